"""The progress folder: durable appends, owner-only files, upgrades, backups, refusals."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import threading
from pathlib import Path

import pytest

from cps_drill import backups
from cps_drill import store as store_module
from cps_drill.errors import ProgressError
from cps_drill.stats import last_outcomes
from cps_drill.store import SCHEMA, Store

FIXTURES = Path(__file__).parent / "fixtures"


def answer(n: int, session: str = "s", outcome: str = "right") -> dict:
    return {
        "question": f"q-{n}",
        "principle": "respect",
        "chosen": 0,
        "correct": 0,
        "outcome": outcome,
        "seconds": 1.0,
        "at": f"2026-01-01T00:00:{n % 60:02d}+00:00",
        "session": session,
        "command": "quiz",
        "fingerprint": "f",
    }


def fixture(name: str, home: Path) -> Path:
    shutil.copytree(FIXTURES / name, home)
    return home


def test_no_folder_reads_as_empty(home):
    assert Store(home).load() == {"schema": SCHEMA, "answers": []}


def test_record_appends_one_line_per_answer(home):
    store = Store(home)
    store.record(answer(1))
    store.record(answer(2, outcome="wrong"))
    assert json.loads(store.path.read_text())["schema"] == SCHEMA
    lines = store.answers_path.read_text().splitlines()
    assert [json.loads(line)["question"] for line in lines] == ["q-1", "q-2"]
    data = store.load()
    assert [a["question"] for a in data["answers"]] == ["q-1", "q-2"]
    (session,) = store.totals()["sessions"]
    assert session["answered"] == 2 and session["right"] == 1 and session["command"] == "quiz"
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_files_are_readable_by_their_owner_only(home):
    store = Store(home)
    store.record(answer(1))
    backups.backup(store)
    for path in (store.path, store.answers_path, backups.latest_backup(store)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_half_written_last_line_is_ignored_then_cut(home):
    store = Store(home)
    store.record(answer(1))
    with open(store.answers_path, "ab") as f:
        f.write(b'{"question":"q-2","princ')  # a crash in the middle of a write
    assert [a["question"] for a in store.load()["answers"]] == ["q-1"]
    store.record(answer(3))
    assert [a["question"] for a in store.load()["answers"]] == ["q-1", "q-3"]
    assert store.answers_path.read_bytes().count(b"\n") == 2


def test_a_damaged_line_in_the_middle_is_named_and_left_alone(home):
    store = Store(home)
    store.record(answer(1))
    backups.backup(store)
    store.record(answer(2))
    damaged = store.answers_path.read_bytes().replace(b'"q-1"', b"q-1")
    store.answers_path.write_bytes(damaged)
    with pytest.raises(ProgressError, match="line 1 is damaged") as info:
        store.load()
    assert "cps-drill restore" in str(info.value)
    assert store.answers_path.read_bytes() == damaged


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema": 2, "answers": [', r"not valid JSON \(line 1\)"),
        (b"", "it is empty"),
        (b"\xff\xfe\x00garbage", "not text"),
        (b"[1, 2, 3]", "not a cps-drill progress file"),
        (b'{"schema": 1}', "answers are missing"),
        (b'{"schema": 99}', "newer cps-drill"),
    ],
)
def test_unreadable_state_is_refused_and_never_overwritten(home, content, words):
    home.mkdir(parents=True)
    store = Store(home)
    store.path.write_bytes(content)
    with pytest.raises(ProgressError, match=words) as info:
        store.load()
    assert str(store.path) in str(info.value)
    with pytest.raises(ProgressError):
        store.record(answer(1))
    assert store.path.read_bytes() == content
    assert not store.answers_path.exists()


def test_failed_write_leaves_what_was_saved(home, monkeypatch):
    store = Store(home)
    store.record(answer(1))
    before = store.answers_path.read_bytes()

    def broken_write(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "write", broken_write)
    with pytest.raises(ProgressError, match="could not save your progress"):
        store.record(answer(2))
    monkeypatch.undo()
    assert store.answers_path.read_bytes() == before


def test_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProgressError, match="CPS_DRILL_HOME"):
        Store(blocker / "sub").record(answer(1))


def test_two_writers_at_once_keep_every_answer(home):
    def write(session: str) -> None:
        store = Store(home)
        for n in range(40):
            store.record(answer(n, session=session))

    threads = [threading.Thread(target=write, args=(s,)) for s in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = Store(home).load()
    assert len(data["answers"]) == 120
    assert sorted(s["answered"] for s in Store(home).totals()["sessions"]) == [40, 40, 40]


# -- past formats ------------------------------------------------------------------------------


def test_format_1_reads_through_the_upgrade_chain(home):
    store = Store(fixture("progress-v1", home))
    data = store.load()
    assert [a["question"] for a in data["answers"]] == ["conf-001", "resp-001", "conf-002"]
    assert [a["command"] for a in data["answers"]] == ["quiz", "quiz", "review confidentiality"]
    assert [s["answered"] for s in store.totals()["sessions"]] == [2, 1]
    assert json.loads(store.path.read_text())["schema"] == 1  # reading changes nothing


def test_format_1_is_upgraded_on_disk_at_the_first_answer_and_kept_as_a_backup(home):
    store = Store(fixture("progress-v1", home))
    original = store.path.read_bytes()
    store.record(answer(9))
    assert json.loads(store.path.read_text())["schema"] == SCHEMA
    questions = [a["question"] for a in store.load()["answers"]]
    assert questions == ["conf-001", "resp-001", "conf-002", "q-9"]
    kept = [p for p in (home / "backups").iterdir() if p.suffix == ".json"]
    assert [p.read_bytes() for p in kept] == [original]


def test_an_interrupted_upgrade_is_done_again_without_duplicates(home):
    store = Store(fixture("progress-v1", home))
    store.answers_path.write_text('{"question":"conf-001","outcome":"right"}\n')  # half done
    store.record(answer(9))
    assert len(store.load()["answers"]) == 4


def test_format_2_fixture_reads(home):
    data = Store(fixture("progress-v2", home)).load()
    assert len(data["answers"]) == 3
    assert Store(home).totals()["sessions"][1]["command"] == "review confidentiality"


def test_every_past_format_has_a_fixture_and_an_upgrade_step():
    for version in range(1, SCHEMA + 1):
        assert (FIXTURES / f"progress-v{version}").is_dir(), version
    for version in range(1, SCHEMA):
        assert version in store_module.UPGRADES


# -- backups and restore -----------------------------------------------------------------------


def test_backups_rotate_and_skip_copies_of_the_same(home):
    store = Store(home)
    store.record(answer(1))
    first = backups.backup(store)
    assert backups.backup(store, every=0) == first  # nothing new since
    store.record(answer(2))
    assert backups.backup(store) == first  # too soon for another
    for n in range(3, 8):
        store.record(answer(n))
        backups.backup(store, every=0)
    kept = backups._rotating(store)
    assert len(kept) == backups.KEEP
    assert kept[0].read_bytes() == store.answers_path.read_bytes()


def test_restore_puts_back_the_latest_good_backup_and_keeps_the_broken_file(home):
    store = Store(home)
    store.record(answer(1))
    store.record(answer(2))
    backups.backup(store)
    store.answers_path.write_bytes(b"\x00\x01 not json\n")
    with pytest.raises(ProgressError, match="cps-drill restore"):
        store.load()
    result = backups.restore(store)
    assert (result.answers, result.from_backup, result.unreadable) == (2, 2, 1)
    assert [a["question"] for a in store.load()["answers"]] == ["q-1", "q-2"]
    broken = [p for p in result.kept if p.name.startswith("answers.jsonl.broken-")]
    assert broken and broken[0].read_bytes() == b"\x00\x01 not json\n"
    store.record(answer(3))
    assert len(store.load()["answers"]) == 3


def test_restore_without_a_backup_keeps_the_lines_that_read(home):
    store = Store(home)
    for n in range(3):
        store.record(answer(n))
    lines = store.answers_path.read_bytes().split(b"\n")
    store.answers_path.write_bytes(b"\n".join([lines[0], b'{"question": broken', *lines[1:]]))
    result = backups.restore(store)
    assert (result.answers, result.from_current, result.unreadable) == (3, 3, 1)
    assert [a["question"] for a in store.load()["answers"]] == ["q-0", "q-1", "q-2"]


def test_restore_with_nothing_at_all_changes_nothing(home):
    result = backups.restore(Store(home))
    assert (result.answers, result.kept) == (0, [])


# -- content edits -----------------------------------------------------------------------------


def test_a_changed_key_restarts_the_schedule_but_keeps_the_history(home):
    store = Store(home)
    store.record({**answer(1, outcome="wrong"), "fingerprint": "old"})
    totals = store.totals()
    assert last_outcomes(totals, {"q-1": "old"}) == {"q-1": "wrong"}
    assert last_outcomes(totals, {"q-1": "new"}) == {}
    assert len(store.load()["answers"]) == 1


def test_env_override_is_honoured(tmp_path, monkeypatch):
    from cps_drill.cli import home

    monkeypatch.setenv("CPS_DRILL_HOME", str(tmp_path / "x"))
    assert home() == tmp_path / "x"
    monkeypatch.delenv("CPS_DRILL_HOME")
    assert home().name == "cps-drill"
    assert os.fspath(home())


# -- running totals ----------------------------------------------------------------------------


def test_totals_agree_with_the_log_and_are_saved_once_long(home, monkeypatch):
    monkeypatch.setattr(store_module, "TOTALS_AFTER", 5)
    store = Store(home)
    for n in range(7):
        store.record(answer(n, session=f"s{n // 3}", outcome="right" if n % 2 else "wrong"))
    totals = store.totals()
    assert (totals["answered"], totals["right"]) == (7, 3)
    assert totals["principles"] == {"respect": [7, 3]}
    assert [s["answered"] for s in totals["sessions"]] == [3, 3, 1]
    assert (home / "totals.json").exists()
    store.record(answer(7, session="s2", outcome="right"))
    again = store.totals()  # from the saved totals plus one new line
    assert (again["answered"], again["right"]) == (8, 4)
    assert again["sessions"][-1]["answered"] == 2


def test_totals_notice_a_replaced_log(home, monkeypatch):
    monkeypatch.setattr(store_module, "TOTALS_AFTER", 2)
    store = Store(home)
    for n in range(4):
        store.record(answer(n))
    assert store.totals()["answered"] == 4
    lines = store.answers_path.read_bytes().splitlines(keepends=True)
    store.answers_path.write_bytes(b"".join(lines[:1] + lines[2:3]))  # shorter, other bytes
    with pytest.raises(ProgressError, match="answers have gone missing"):
        store.totals()
    store.answers_path.write_bytes(b"".join(lines) + b"garbage\n")
    with pytest.raises(ProgressError, match="line 5 is damaged"):
        store.totals()


def test_a_damaged_log_is_never_kept_as_a_backup(home):
    store = Store(home)
    store.record(answer(1))
    store.answers_path.write_bytes(b"not json\n")
    with pytest.raises(ProgressError, match="line 1 is damaged"):
        backups.backup(store)
    assert backups._all(store) == []


# -- found by an independent review --------------------------------------------------------------


def test_a_restore_that_fails_midway_leaves_the_files_in_place(home, monkeypatch):
    store = Store(home)
    for n in range(3):
        store.record(answer(n))
    store.answers_path.write_bytes(store.answers_path.read_bytes() + b"garbage\n")
    before = {p.name: p.read_bytes() for p in (store.path, store.answers_path)}

    def disk_full(self, path, data, sync=True):
        raise ProgressError("could not save your progress (No space left on device)")

    monkeypatch.setattr(Store, "write_atomic", disk_full)
    with pytest.raises(ProgressError, match="No space left"):
        backups.restore(store)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in (store.path, store.answers_path)} == before


def test_restore_on_a_sound_folder_with_a_backup_changes_nothing(home):
    store = Store(home)
    store.record(answer(1))
    backups.backup(store)
    store.record(answer(2))
    before = store.answers_path.read_bytes()
    result = backups.restore(store)
    assert (result.answers, result.kept) == (2, [])
    assert store.answers_path.read_bytes() == before


def test_restore_brings_back_answers_cut_from_the_log(home):
    store = Store(home)
    for n in range(3):
        store.record(answer(n))
    backups.backup(store)
    store.answers_path.write_bytes(b"")  # emptied by accident: every line reads, none is there
    result = backups.restore(store)
    assert (result.answers, result.from_backup) == (3, 3)


def test_restore_never_touches_progress_from_a_newer_version(home):
    home.mkdir(parents=True)
    store = Store(home)
    store.path.write_bytes(b'{"schema": 99}')
    with pytest.raises(ProgressError, match="newer cps-drill"):
        backups.restore(store)
    assert store.path.read_bytes() == b'{"schema": 99}'
    assert sorted(p.name for p in home.iterdir()) == ["progress.json", "progress.lock"]


def test_a_file_that_cannot_be_opened_is_named_with_what_to_check(home):
    store = Store(home)
    store.record(answer(1))
    store.answers_path.unlink()
    store.answers_path.mkdir()  # stands for a file this user may not read
    for call in (store.load, store.totals):
        with pytest.raises(ProgressError, match="cannot be opened") as info:
            call()
        assert "belong to you" in str(info.value)


def test_a_lock_that_cannot_be_taken_is_one_message(home):
    home.mkdir(parents=True)
    (home / "progress.lock").mkdir()
    with pytest.raises(ProgressError, match=r"progress\.lock: cannot be opened"):
        Store(home).record(answer(1))


@pytest.mark.parametrize(
    "content",
    [
        b'{"schema": 1, "answers": [1, 2], "sessions": []}',
        b'{"schema": 1, "answers": [], "sessions": {"a": 1}}',
        b'{"schema": 1, "answers": [{"id": "x"}], "sessions": []}',
    ],
)
def test_a_format_1_file_of_the_wrong_shape_is_refused(home, content):
    home.mkdir(parents=True)
    store = Store(home)
    store.path.write_bytes(content)
    with pytest.raises(ProgressError, match="not in the usual form"):
        store.totals()
    with pytest.raises(ProgressError):
        store.record(answer(1))
    assert store.path.read_bytes() == content


def test_a_last_line_without_its_line_break_is_kept(home):
    store = Store(home)
    for n in range(3):
        store.record(answer(n))
    store.answers_path.write_bytes(store.answers_path.read_bytes().rstrip(b"\n"))  # an editor
    assert [a["question"] for a in store.load()["answers"]] == ["q-0", "q-1", "q-2"]
    store.record(answer(3))
    assert [a["question"] for a in store.load()["answers"]] == ["q-0", "q-1", "q-2", "q-3"]


def test_a_blank_line_in_the_log_loses_nothing(home):
    store = Store(home)
    for n in range(3):
        store.record(answer(n))
    lines = store.answers_path.read_bytes().split(b"\n")
    store.answers_path.write_bytes(b"\n".join([lines[0], b"", *lines[1:]]))
    assert len(store.load()["answers"]) == 3
    assert store.totals()["answered"] == 3


def test_the_older_format_is_kept_for_good(home):
    store = Store(fixture("progress-v1", home))
    store.record(answer(9))
    for n in range(10, 16):
        store.record(answer(n))
        backups.backup(store, every=0)
    kept = [p.name for p in (home / "backups").iterdir()]
    assert len([n for n in kept if n.startswith("progress-format-")]) == 1


def test_an_emptied_or_deleted_log_is_noticed_not_taken_as_new(home):
    store = Store(home)
    store.record(answer(1))
    store.record(answer(2))
    backups.backup(store)
    store.answers_path.write_bytes(b"")
    for call in (store.totals, store.load):
        with pytest.raises(ProgressError, match="answers have gone missing: it is shorter"):
            call()
    store.answers_path.unlink()
    with pytest.raises(ProgressError, match="it is missing"):
        store.totals()
    assert backups.restore(store).answers == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_lock_file_is_private_too(home):
    Store(home).record(answer(1))
    assert stat.S_IMODE((home / "progress.lock").stat().st_mode) == 0o600


def test_a_line_break_inside_an_answer_is_damage_not_a_comma(home):
    store = Store(home)
    store.record(answer(1))
    store.record(answer(2))
    raw = store.answers_path.read_bytes()
    cut = raw.index(b"respect") + 3
    store.answers_path.write_bytes(raw[:cut] + b"\n" + raw[cut:])  # "res" + "\n" + "pect"
    with pytest.raises(ProgressError, match="line 1 is damaged"):
        store.load()
    with pytest.raises(ProgressError, match="line 1 is damaged"):
        store.totals()
