"""The progress file: atomic saves, owner-only mode, refusals that never overwrite."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from cps_drill.errors import ProgressError
from cps_drill.store import SCHEMA, Store


def answer(n: int) -> dict:
    return {
        "question": f"q-{n}",
        "principle": "respect",
        "chosen": 0,
        "correct": 0,
        "outcome": "right",
        "seconds": 1.0,
        "at": "2026-01-01T00:00:00+00:00",
        "session": "s",
    }


def session(n: int) -> dict:
    return {"id": "s", "command": "quiz", "started": "x", "answered": n, "right": n}


def test_no_file_reads_as_empty(home):
    assert Store(home).load() == {"schema": SCHEMA, "answers": [], "sessions": []}


def test_record_appends_and_updates_the_session(home):
    store = Store(home)
    store.record(answer(1), session(1))
    store.record(answer(2), session(2))
    data = json.loads(store.path.read_text())
    assert data["schema"] == SCHEMA
    assert [a["question"] for a in data["answers"]] == ["q-1", "q-2"]
    assert data["sessions"] == [session(2)]
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_file_is_readable_by_its_owner_only(home):
    store = Store(home)
    store.record(answer(1), session(1))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_two_stores_on_one_file_keep_both_answers(home):
    Store(home).record(answer(1), session(1))
    Store(home).record(answer(2), {**session(1), "id": "t"})
    data = Store(home).load()
    assert len(data["answers"]) == 2 and len(data["sessions"]) == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema": 1, "answers": [', r"not valid JSON \(line 1\)"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b"[1, 2, 3]", "not a cps-drill progress file"),
        (b'{"schema": 1}', "answers or sessions are missing"),
        (b'{"schema": 99, "answers": [], "sessions": []}', "newer cps-drill"),
    ],
)
def test_unreadable_file_is_refused_and_never_overwritten(home, content, words):
    home.mkdir(parents=True)
    store = Store(home)
    store.path.write_bytes(content)
    with pytest.raises(ProgressError, match=words) as info:
        store.load()
    assert str(store.path) in str(info.value)
    with pytest.raises(ProgressError):
        store.record(answer(1), session(1))
    assert store.path.read_bytes() == content


def test_failed_write_leaves_the_previous_file_intact(home, monkeypatch):
    store = Store(home)
    store.record(answer(1), session(1))
    before = store.path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ProgressError, match="could not save your progress"):
        store.record(answer(2), session(2))
    assert store.path.read_bytes() == before
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


def test_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProgressError, match="CPS_DRILL_HOME"):
        Store(blocker / "sub").record(answer(1), session(1))
