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

from cps_drill.deck.model import BUNDLED_DECK_ID
from cps_drill.errors import ProgressError
from cps_drill.progress import backups, files, records, upgrades
from cps_drill.progress import store as store_module
from cps_drill.progress.derived import deck_view
from cps_drill.progress.records import FORMAT as SCHEMA
from cps_drill.progress.store import Store
from cps_drill.study.choose import last_outcomes

DECK = "test-deck"

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def answer(n: int, session: str = "s", outcome: str = "right", fingerprint: str = "f") -> dict:
    return records.answer(
        kind=records.DRILL,
        deck=DECK,
        question=f"q-{n}",
        principle="respect",
        chosen=0,
        correct=0,
        outcome=outcome,
        seconds=1.0,
        at=f"2026-01-01T00:00:{n % 60:02d}+00:00",
        session=session,
        seq=n + 1,
        command="quiz",
        fingerprint=fingerprint,
    )


class Recorder(Store):
    """A store with the drill's one-answer-at-a-time write, for short tests."""

    def record(self, record: dict) -> None:
        self.append([record])

    def load(self) -> list[dict]:
        return self.open().answers()

    def history(self) -> dict:
        return deck_view(self.open().derived(), DECK)


def fixture(name: str, home: Path) -> Path:
    shutil.copytree(FIXTURES / name, home)
    return home


def test_no_folder_reads_as_empty_and_creates_nothing(home):
    assert Recorder(home).load() == []
    assert Recorder(home).history()["answered"] == 0
    assert not home.exists()


def test_record_appends_one_line_per_answer(home):
    store = Recorder(home)
    store.record(answer(1))
    store.record(answer(2, outcome="wrong"))
    assert json.loads(store.state_path.read_text())["schema"] == SCHEMA
    lines = store.log_path.read_text().splitlines()
    assert [json.loads(line)["question"] for line in lines] == ["q-1", "q-2"]
    assert [a["question"] for a in store.load()] == ["q-1", "q-2"]
    (session,) = store.history()["sessions"]
    assert session["answered"] == 2 and session["right"] == 1 and session["command"] == "quiz"
    assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_files_are_readable_by_their_owner_only(home):
    store = Recorder(home)
    store.record(answer(1))
    backup = backups.backup(store)
    for path in (store.state_path, store.log_path, backup):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_half_written_last_line_is_ignored_then_cut(home):
    store = Recorder(home)
    store.record(answer(1))
    with open(store.log_path, "ab") as f:
        f.write(b'{"question":"q-2","princ')  # a crash in the middle of a write
    assert [a["question"] for a in store.load()] == ["q-1"]
    store.record(answer(3))
    assert [a["question"] for a in store.load()] == ["q-1", "q-3"]
    assert store.log_path.read_bytes().count(b"\n") == 2


def test_a_damaged_line_in_the_middle_is_named_and_left_alone(home):
    store = Recorder(home)
    store.record(answer(1))
    backups.backup(store)
    store.record(answer(2))
    damaged = store.log_path.read_bytes().replace(b'"q-1"', b"q-1")
    store.log_path.write_bytes(damaged)
    with pytest.raises(ProgressError, match="line 1 is damaged") as info:
        store.load()
    assert info.value.command == "restore"
    assert "Run 'cps-drill restore' to recover" in info.value.describe()
    assert store.log_path.read_bytes() == damaged


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
    store = Recorder(home)
    store.state_path.write_bytes(content)
    with pytest.raises(ProgressError, match=words) as info:
        store.load()
    assert str(store.state_path) in str(info.value)
    with pytest.raises(ProgressError):
        store.record(answer(1))
    assert store.state_path.read_bytes() == content
    assert not store.log_path.exists()


def test_failed_write_leaves_what_was_saved(home, monkeypatch):
    store = Recorder(home)
    store.record(answer(1))
    before = store.log_path.read_bytes()

    def broken_write(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", broken_write)
    with pytest.raises(ProgressError, match="could not save your progress"):
        store.record(answer(2))
    monkeypatch.undo()
    assert store.log_path.read_bytes() == before


def test_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ProgressError, match="CPS_DRILL_HOME"):
        Recorder(blocker / "sub").record(answer(1))


def test_two_writers_at_once_keep_every_answer(home):
    def write(session: str) -> None:
        store = Recorder(home)
        for n in range(40):
            store.record(answer(n, session=session))

    threads = [threading.Thread(target=write, args=(s,)) for s in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(Recorder(home).load()) == 120
    assert sorted(s["answered"] for s in Recorder(home).history()["sessions"]) == [40, 40, 40]


# -- past formats ------------------------------------------------------------------------------


def test_format_1_is_upgraded_on_disk_and_kept_for_good(home):
    store = Store(fixture("progress-v1", home))
    original = store.state_path.read_bytes()
    store.open()
    assert json.loads(store.state_path.read_text())["schema"] == SCHEMA
    answers = store.answers()
    assert [a["question"] for a in answers] == ["conf-001", "resp-001", "conf-002"]
    assert [a["command"] for a in answers] == ["quiz", "quiz", "review confidentiality"]
    assert {a["deck"] for a in answers} == {BUNDLED_DECK_ID}  # format 1 knew one deck
    sessions = deck_view(store.derived(), BUNDLED_DECK_ID)["sessions"]
    assert [s["answered"] for s in sessions] == [2, 1]
    (kept,) = (home / "backups").glob("progress-format-1-*")
    assert (kept / "progress.json").read_bytes() == original


def test_an_interrupted_upgrade_is_done_again_without_duplicates(home):
    store = Store(fixture("progress-v1", home))
    state = store.state_path.read_bytes()
    store.open()
    store.state_path.write_bytes(state)  # as if killed after the log was written, before this
    Recorder(home).record(answer(9))
    assert len(store.answers()) == 4


def test_an_old_format_file_beside_a_log_keeps_every_answer_of_both(home):
    """Found by a tester: an old progress.json restored beside a log replaced the log."""
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    log = store.log_path.read_bytes()
    shutil.copy(FIXTURES / "progress-v1" / "progress.json", store.state_path)
    store.record(answer(3))
    questions = [a["question"] for a in store.load()]
    assert questions == ["conf-001", "resp-001", "conf-002", "q-0", "q-1", "q-2", "q-3"]
    (kept,) = (home / "backups").glob("progress-format-1-*")
    assert (kept / "answers.jsonl").read_bytes() == log  # and a copy of both old files


def test_format_2_is_upgraded_and_its_history_is_the_bundled_decks(home):
    store = Store(fixture("progress-v2", home)).open()
    assert len(store.answers()) == 3
    assert [r["seq"] for r in store.records()] == [1, 2, 1]
    view = deck_view(store.derived(), BUNDLED_DECK_ID)
    assert view["sessions"][1]["command"] == "review confidentiality"
    assert not (home / "totals.json").exists()


def test_format_3_fixture_reads_with_its_settings(home):
    store = Store(fixture("progress-v3", home)).open()
    assert len(store.answers()) == 3
    assert store.settings() == {"exam_date": "2027-02-15"}
    assert not (home / "backups").exists()  # nothing to upgrade


def test_every_past_format_has_a_fixture_and_an_upgrade_step():
    for version in range(1, SCHEMA + 1):
        assert (FIXTURES / f"progress-v{version}").is_dir(), version
    for version in range(1, SCHEMA):
        assert version in upgrades.UPGRADES


def test_a_new_format_is_one_more_named_step(home, monkeypatch):
    """A throwaway 3 -> 4 step: a format-3 folder upgrades through it, and every earlier
    format through the whole chain."""

    def upgrade_3_to_4(state, lines):
        return [{**line, "note": "four"} for line in lines]

    monkeypatch.setattr(records, "FORMAT", 4)
    monkeypatch.setitem(upgrades.UPGRADES, 3, upgrade_3_to_4)
    for name in ("progress-v1", "progress-v2", "progress-v3"):
        folder = home / name
        store = Store(fixture(name, folder)).open()
        assert json.loads(store.state_path.read_text())["schema"] == 4
        lines = [json.loads(line) for line in store.log_path.read_text().splitlines()]
        assert lines and all(line["note"] == "four" for line in lines), name
        assert list((folder / "backups").glob("progress-format-*"))


# -- backups and restore -----------------------------------------------------------------------


def test_backups_rotate_and_skip_copies_of_the_same(home):
    store = Recorder(home)
    store.record(answer(1))
    first = backups.backup(store)
    assert first is not None
    assert backups.backup(store, every=0) is None  # nothing new since
    store.record(answer(2))
    assert backups.backup(store) is None  # too soon for another
    for n in range(3, 8):
        store.record(answer(n))
        backups.backup(store, every=0)
    kept = sorted(store.rotating_backups(), key=lambda b: b[1], reverse=True)
    assert len(kept) == backups.KEEP
    assert kept[0][0].read_bytes() == store.log_path.read_bytes()


def test_restore_puts_back_the_latest_good_backup_and_keeps_the_broken_file(home):
    store = Recorder(home)
    store.record(answer(1))
    store.record(answer(2))
    backups.backup(store)
    store.log_path.write_bytes(b"\x00\x01 not json\n")
    with pytest.raises(ProgressError, match="answers have gone missing"):
        store.load()
    result = backups.restore(store)
    assert (result.answers, result.from_backup, result.unreadable) == (2, 2, 1)
    assert [a["question"] for a in store.load()] == ["q-1", "q-2"]
    broken = [p for p in result.kept if p.name.startswith("answers.jsonl.broken-")]
    assert broken and broken[0].read_bytes() == b"\x00\x01 not json\n"
    store.record(answer(3))
    assert len(store.load()) == 3


def test_restore_without_a_backup_keeps_the_lines_that_read(home):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    lines = store.log_path.read_bytes().split(b"\n")
    store.log_path.write_bytes(b"\n".join([lines[0], b'{"question": broken', *lines[1:]]))
    result = backups.restore(store)
    assert (result.answers, result.from_current, result.unreadable) == (3, 3, 1)
    assert [a["question"] for a in store.load()] == ["q-0", "q-1", "q-2"]


def test_restore_with_nothing_at_all_changes_nothing(home):
    result = backups.restore(Recorder(home))
    assert (result.answers, result.kept) == (0, [])


# -- content edits -----------------------------------------------------------------------------


def test_a_changed_key_restarts_the_schedule_but_keeps_the_history(home):
    store = Recorder(home)
    store.record(answer(1, outcome="wrong", fingerprint="old"))
    totals = store.history()
    assert last_outcomes(totals, {"q-1": "old"}) == {"q-1": "wrong"}
    assert last_outcomes(totals, {"q-1": "new"}) == {}
    assert len(store.load()) == 1


def test_env_override_is_honoured(tmp_path, monkeypatch):
    from cps_drill.cli import home

    monkeypatch.setenv("CPS_DRILL_HOME", str(tmp_path / "x"))
    assert home() == tmp_path / "x"
    monkeypatch.delenv("CPS_DRILL_HOME")
    assert home().name == "cps-drill"
    assert os.fspath(home())


# -- running totals ----------------------------------------------------------------------------


def test_derived_state_agrees_with_the_log_and_is_saved_once_long(home, monkeypatch):
    monkeypatch.setattr(store_module, "DERIVED_AFTER", 5)
    store = Recorder(home)
    for n in range(7):
        store.record(answer(n, session=f"s{n // 3}", outcome="right" if n % 2 else "wrong"))
    history = store.history()
    assert (history["answered"], history["right"]) == (7, 3)
    assert history["principles"] == {"respect": [7, 3, 7.0]}  # answered, right, seconds
    assert [s["answered"] for s in history["sessions"]] == [3, 3, 1]
    assert (home / "derived.json").exists()
    store.record(answer(7, session="s2", outcome="right"))
    again = store.history()  # from the saved state plus one new line
    assert (again["answered"], again["right"]) == (8, 4)
    assert again["sessions"][-1]["answered"] == 2


def test_derived_state_notices_a_replaced_log(home, monkeypatch):
    monkeypatch.setattr(store_module, "DERIVED_AFTER", 2)
    store = Recorder(home)
    for n in range(4):
        store.record(answer(n))
    assert store.history()["answered"] == 4
    lines = store.log_path.read_bytes().splitlines(keepends=True)
    store.log_path.write_bytes(b"".join(lines[:1] + lines[2:3]))  # shorter, other bytes
    with pytest.raises(ProgressError, match="answers have gone missing"):
        store.history()
    store.log_path.write_bytes(b"".join(lines) + b"garbage\n")
    with pytest.raises(ProgressError, match="line 5 is damaged"):
        store.history()


def test_an_untouched_log_is_not_read_again_and_an_edit_of_the_same_size_is_seen(home, monkeypatch):
    store = Recorder(home)
    for n in range(4):
        store.record(answer(n, outcome="right"))
    store.open().keep_derived()  # what the end of a command does
    assert "log" in json.loads((home / "derived.json").read_bytes().partition(b"\n")[0])
    real_read = files.read_bytes

    def no_log_reads(path, *args, **kwargs):
        assert path != store.log_path, "the log was read again"
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(files, "read_bytes", no_log_reads)
    assert Recorder(home).history()["right"] == 4  # a new command: from derived.json alone
    monkeypatch.setattr(files, "read_bytes", real_read)
    data = store.log_path.read_bytes()
    edited = data.replace(b'"outcome":"right"', b'"outcome":"wrong"', 1)
    assert len(edited) == len(data) and edited != data
    stamp = os.stat(store.log_path)
    store.log_path.write_bytes(edited)
    os.utime(store.log_path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # times set back
    assert Recorder(home).history()["right"] == 3  # seen: counted again from the log


def test_a_damaged_log_is_never_kept_as_a_backup(home):
    store = Recorder(home)
    store.record(answer(1))
    store.log_path.write_bytes(b"not json\n")
    with pytest.raises(ProgressError, match="line 1 is damaged"):
        backups.backup(store)
    assert store.rotating_backups() == []


# -- found by an independent review --------------------------------------------------------------


def test_a_restore_that_fails_midway_leaves_the_files_in_place(home, monkeypatch):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    store.log_path.write_bytes(store.log_path.read_bytes() + b"garbage\n")
    before = {p.name: p.read_bytes() for p in (store.state_path, store.log_path)}

    def disk_full(path, data, sync=True):
        raise ProgressError("could not save your progress (No space left on device)")

    monkeypatch.setattr(files, "write_atomic", disk_full)
    with pytest.raises(ProgressError, match="No space left"):
        backups.restore(store)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in (store.state_path, store.log_path)} == before


def test_restore_on_a_sound_folder_with_a_backup_changes_nothing(home):
    store = Recorder(home)
    store.record(answer(1))
    backups.backup(store)
    store.record(answer(2))
    before = store.log_path.read_bytes()
    result = backups.restore(store)
    assert (result.answers, result.kept) == (2, [])
    assert store.log_path.read_bytes() == before


def test_restore_brings_back_answers_cut_from_the_log(home):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    backups.backup(store)
    store.log_path.write_bytes(b"")  # emptied by accident: every line reads, none is there
    result = backups.restore(store)
    assert (result.answers, result.from_backup) == (3, 3)


def test_restore_never_touches_progress_from_a_newer_version(home):
    home.mkdir(parents=True)
    store = Recorder(home)
    store.state_path.write_bytes(b'{"schema": 99}')
    with pytest.raises(ProgressError, match="newer cps-drill"):
        backups.restore(store)
    assert store.state_path.read_bytes() == b'{"schema": 99}'
    assert sorted(p.name for p in home.iterdir()) == ["progress.json", "progress.lock"]


def test_a_file_that_cannot_be_opened_is_named_with_what_to_check(home):
    store = Recorder(home)
    store.record(answer(1))
    store.log_path.unlink()
    store.log_path.mkdir()  # a folder where the answers belong
    for call in (store.load, store.history):
        with pytest.raises(ProgressError, match="something other than a file") as info:
            call()
        assert info.value.command == "restore"
    result = backups.restore(store)
    assert result.changed and any(p.name.startswith("answers.jsonl.broken-") for p in result.kept)
    assert store.load() == [] and store.log_path.is_file()


def test_a_lock_that_cannot_be_taken_is_one_message(home):
    home.mkdir(parents=True)
    (home / "progress.lock").mkdir()
    with pytest.raises(ProgressError, match=r"progress\.lock: cannot be opened"):
        Recorder(home).record(answer(1))


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
    store = Recorder(home)
    store.state_path.write_bytes(content)
    with pytest.raises(ProgressError, match="not in the usual form"):
        store.open()
    with pytest.raises(ProgressError):
        store.record(answer(1))
    assert store.state_path.read_bytes() == content


def test_a_last_line_without_its_line_break_is_kept(home):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    store.log_path.write_bytes(store.log_path.read_bytes().rstrip(b"\n"))  # an editor
    assert [a["question"] for a in store.load()] == ["q-0", "q-1", "q-2"]
    store.record(answer(3))
    assert [a["question"] for a in store.load()] == ["q-0", "q-1", "q-2", "q-3"]


def test_a_blank_line_in_the_log_loses_nothing(home):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    lines = store.log_path.read_bytes().split(b"\n")
    store.log_path.write_bytes(b"\n".join([lines[0], b"", *lines[1:]]))
    assert len(store.load()) == 3
    assert store.history()["answered"] == 3


def test_the_older_format_is_kept_for_good(home):
    store = Recorder(fixture("progress-v1", home))
    store.record(answer(9))
    for n in range(10, 16):
        store.record(answer(n))
        backups.backup(store, every=0)
    kept = [p.name for p in (home / "backups").iterdir()]
    assert len([n for n in kept if n.startswith("progress-format-")]) == 1


def test_an_emptied_or_deleted_log_is_noticed_not_taken_as_new(home):
    store = Recorder(home)
    store.record(answer(1))
    store.record(answer(2))
    backups.backup(store)
    store.log_path.write_bytes(b"")
    for call in (store.history, store.load):
        with pytest.raises(ProgressError, match="answers have gone missing: it is shorter"):
            call()
    store.log_path.unlink()
    with pytest.raises(ProgressError, match="it is missing"):
        store.history()
    assert backups.restore(store).answers == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_lock_file_is_private_too(home):
    Recorder(home).record(answer(1))
    assert stat.S_IMODE((home / "progress.lock").stat().st_mode) == 0o600


def test_a_line_break_inside_an_answer_is_damage_not_a_comma(home):
    store = Recorder(home)
    store.record(answer(1))
    store.record(answer(2))
    raw = store.log_path.read_bytes()
    cut = raw.index(b"respect") + 3
    store.log_path.write_bytes(raw[:cut] + b"\n" + raw[cut:])  # "res" + "\n" + "pect"
    with pytest.raises(ProgressError, match="line 1 is damaged"):
        store.load()
    with pytest.raises(ProgressError, match="line 1 is damaged"):
        store.history()


# -- kinds, decks and settings -----------------------------------------------------------------


def test_a_kind_this_version_does_not_know_is_kept_and_not_counted(home):
    store = Recorder(home)
    store.record(answer(1))
    note = {"kind": "note", "text": "later kinds", "session": "n", "seq": 1, "at": "2026-01-01"}
    store.record(note)
    store.record(answer(2))
    assert store.history()["answered"] == 2
    assert [r["kind"] for r in store.records()] == ["drill", "note", "drill"]
    store.log_path.write_bytes(store.log_path.read_bytes() + b"garbage\n")
    backups.restore(store)  # writes each session's records together, in order
    assert sorted(r["kind"] for r in store.records()) == ["drill", "drill", "note"]
    assert store.history()["answered"] == 2


def test_settings_survive_every_write_and_restore(home):
    store = Recorder(home)
    store.save_settings({"exam_date": "2027-03-01", "time_factor": 1.5}, session="p1")
    store.record(answer(1))
    store.save_settings({"time_factor": None}, session="p2")  # null removes one
    assert store.settings() == {"exam_date": "2027-03-01"}
    created = json.loads(store.state_path.read_text())["created"]
    store.state_path.write_text("garbage")
    backups.restore(store)
    assert store.settings() == {"exam_date": "2027-03-01"}
    assert json.loads(store.state_path.read_text())["created"] <= created  # never reset forward


def test_created_is_kept_by_an_upgrade_and_a_restore(home):
    store = Store(fixture("progress-v2", home)).open()
    assert json.loads(store.state_path.read_text())["created"] == "2026-11-20T08:00:00+00:00"
    store.log_path.write_bytes(store.log_path.read_bytes() + b"garbage\n")
    backups.restore(store)
    assert json.loads(store.state_path.read_text())["created"] == "2026-11-20T08:00:00+00:00"


def test_each_deck_keeps_its_own_history(home):
    store = Recorder(home)
    store.record(answer(1))
    store.record({**answer(2), "deck": "another-deck", "question": "q-1", "outcome": "wrong"})
    derived = store.open().derived()
    assert deck_view(derived, DECK)["answered"] == 1
    assert deck_view(derived, "another-deck")["last"] == {"q-1": {"f": "wrong"}}
    assert deck_view(derived, "never-used")["answered"] == 0


# -- the hourly backup, after the drill ----------------------------------------------------------


def test_a_drill_backs_up_after_its_questions_not_before(home, monkeypatch):
    from tests.conftest import MINI
    from tests.helpers import drill

    order: list[str] = []
    real_backup = backups.backup
    monkeypatch.setattr(
        backups, "backup", lambda store: order.append("backup") or real_backup(store)
    )
    real_append = Store.append
    monkeypatch.setattr(
        Store, "append", lambda self, r: order.append("answer") or real_append(self, r)
    )
    result = drill(MINI, "--count", "2", "--seed", "1", input="a\nb\n")
    assert result.exit_code == 0
    assert order == ["answer", "answer", "backup"]
    (copy,) = Store(home).open().rotating_backups()
    assert copy[0].read_bytes() == (home / "answers.jsonl").read_bytes()


def test_a_log_the_derived_state_has_checked_is_copied_without_reading_it_again(home, monkeypatch):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    store.keep_derived()
    assert store.known_whole()
    monkeypatch.setattr(Store, "records", lambda self: pytest.fail("the log was read again"))
    assert backups.backup(store) is not None

    data = store.log_path.read_bytes()
    stamp = os.stat(store.log_path)
    store.log_path.write_bytes(data.replace(b'"right"', b'"wrong"', 1))  # the same size
    os.utime(store.log_path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # its times set back
    assert store.log_path.stat().st_size == stamp.st_size
    assert not Recorder(home).known_whole()  # the change time still tells


def test_a_backup_that_cannot_be_made_is_told_and_the_answers_are_kept(home):
    from tests.conftest import MINI
    from tests.helpers import drill, read_progress

    home.mkdir(parents=True)
    (home / "backups").write_text("not a folder")
    result = drill(MINI, "--count", "1", "--seed", "1", input="a\n")
    assert result.exit_code == 0
    assert "This hour's backup of your answers could not be made" in result.stderr
    assert "'restore' can repair the backups" in result.stderr
    assert len(read_progress(home)["answers"]) == 1


def test_the_record_places_are_read_only_when_records_are_added(home):
    """derived.json keeps the places of the records counted (seqs) on a line of their own: a
    command that only reads (the first question, stats) does not parse it; one that adds
    records does, and a line not in the usual form is rebuilt from the log."""
    from tests.progress.test_faults import read_derived, write_derived

    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    store.keep_derived()
    head, state = read_derived(home)
    assert state["seqs"] == {"s": [[1, 3]]}  # on the third line: session "s", places 1 to 3
    stamp = os.stat(store.log_path)

    write_derived(home, head, {**state, "seqs": "not places"})  # a well-summed wrong line
    assert os.stat(store.log_path).st_ino == stamp.st_ino
    fresh = Recorder(home)
    assert fresh.history()["answered"] == 3  # read without the places
    assert fresh._known is not None and fresh._known[1]["seqs"] is None

    fresh.record(answer(3))  # adding needs them: the state is counted again from the log
    assert Recorder(home).history()["answered"] == 4
    fresh.keep_derived()
    assert read_derived(home)[1]["seqs"] != "not places"
