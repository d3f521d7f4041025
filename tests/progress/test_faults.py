"""Nothing lost, nothing leaked: a full disk, a wrong clock, damaged or planted files.

Each test stands for a fault that an attacker or an unlucky user found; each failed before the
fix it guards.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cps_drill.progress import backups, files
from tests.helpers import drill, invoke, read_progress
from tests.progress.test_store import FIXTURES, Recorder, answer

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX files and limits")
MINI = Path(__file__).resolve().parents[1] / "decks" / "mini"


def run(home: Path, *args: str, input: bytes = b"", limit: int | None = None, **popen):
    """The real program in a child process, optionally under a file-size limit (a stand-in
    for a full disk that needs no root: writes past it fail with EFBIG)."""

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "CPS_DRILL_HOME": str(home), "TERM": "dumb", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "cps_drill", *args],
        input=input,
        capture_output="stdout" not in popen,
        env=env,
        preexec_fn=limited,
        timeout=60,
        check=False,
        **popen,
    )


def read_derived(home: Path) -> tuple[dict, dict]:
    """derived.json's header and state (three JSON lines: the header, the state, its seqs)."""
    head, body, seqs = (home / "derived.json").read_bytes().splitlines()[:3]
    return json.loads(head), {**json.loads(body), "seqs": json.loads(seqs)}


def write_derived(home: Path, head: dict, state: dict, resum: bool = True) -> None:
    from cps_drill.progress import store as store_module

    rest = {k: v for k, v in state.items() if k != "seqs"}
    body = (json.dumps(rest) + "\n" + json.dumps(state.get("seqs"))).encode()
    if resum:
        head = {**head, "sum": store_module._crc(body)}
    (home / "derived.json").write_bytes(json.dumps(head).encode() + b"\n" + body + b"\n")


def confirmed(output: bytes) -> int:
    return output.count(b"Best answer ")


# -- 1. a full disk mid-answer ----------------------------------------------------------------


@posix_only
def test_a_full_disk_mid_answer_stops_with_a_message_and_loses_no_confirmed_answer(home):
    deck = ["--content", str(MINI), "-t", "0", "--seed", "4"]
    run(home, "quiz", "-n", "2", *deck, input=b"a\nb\n")  # the files exist and hold 2 answers
    size = (home / "answers.jsonl").stat().st_size
    result = run(home, "quiz", "-n", "5", *deck, input=b"a\n" * 5, limit=size + 400)
    assert result.returncode == 1
    errors = result.stderr.decode()
    assert "could not save your progress (a file-size limit was reached)" in errors
    assert "Traceback" not in errors
    saved = len(read_progress(home)["answers"])
    assert saved == 2 + confirmed(result.stdout)  # every answer confirmed on screen, no more
    assert confirmed(result.stdout) < 5  # it really stopped
    raw = (home / "answers.jsonl").read_bytes()
    assert raw.endswith(b"\n")  # no half line left behind


# -- 2. an old-format file beside a log: see test_store ---------------------------------------


@posix_only
def test_an_old_format_file_restored_beside_a_log_loses_neither(home):
    drill(MINI, "--count", "2", "--seed", "1", input="a\nb\n")
    shutil.copy(FIXTURES / "progress-v1" / "progress.json", home / "progress.json")
    drill(MINI, "--count", "1", "--seed", "2", input="a\n")
    assert len(read_progress(home)["answers"]) == 3 + 2 + 1


# -- 3. a backup dated in the future ----------------------------------------------------------


def test_a_backup_dated_in_the_future_does_not_stop_later_backups(home):
    store = Recorder(home)
    store.record(answer(1))
    future = backups.backup(store)
    ahead = time.time() + 30 * 86400  # the clock was a month ahead once
    os.utime(future, (ahead, ahead))
    for n in range(2, 5):
        store.record(answer(n))
    newer = backups.backup(store)
    assert newer is not None and newer != future
    assert newer.read_bytes() == store.log_path.read_bytes()


def test_restore_takes_every_backup_not_the_newest_name(home):
    store = Recorder(home)
    for n in range(4):
        store.record(answer(n))
    big = backups.backup(store)
    small = home / "backups" / "answers-29990101T000000000000Z.jsonl"  # dated far ahead
    small.write_bytes(store.log_path.read_bytes().split(b"\n", 1)[0] + b"\n")
    store.log_path.write_bytes(b"")
    with pytest.raises(Exception, match="answers have gone missing"):
        store.load()
    result = backups.restore(store)
    assert result.answers == 4
    assert [a["question"] for a in store.load()] == ["q-0", "q-1", "q-2", "q-3"]
    assert store.history()["answered"] == 4
    assert big is not None and not big.exists()  # moved aside with the others, kept
    assert len(list((home / "backups").glob("used-by-restore-*/answers-*"))) == 2


# -- 4. whatever a command refuses on, restore repairs ----------------------------------------


def _derived_covers_more(home: Path) -> None:
    store = Recorder(home)
    for n in range(5):
        store.record(answer(n))
    store.history()  # writes derived.json
    data = store.log_path.read_bytes()
    store.log_path.write_bytes(data[: data.rfind(b"\n", 0, len(data) - 1) + 1])  # lost its tail


def _type_confused_line(home: Path) -> None:
    store = Recorder(home)
    store.record(answer(1))
    store.record(answer(2))
    _poke(store, lambda r: {**r, "session": {"a": "mapping"}}, line=1)


def _poke(store, change, line):
    lines = store.log_path.read_bytes().splitlines(keepends=True)
    record = json.loads(lines[line])
    lines[line] = (json.dumps(change(record)) + "\n").encode()
    store.log_path.write_bytes(b"".join(lines))


def _fingerprint_a_list(home: Path) -> None:
    store = Recorder(home)
    store.record(answer(1))
    store.record(answer(2))
    _poke(store, lambda r: {**r, "fingerprint": [1, 2]}, line=0)


def _damaged_state(home: Path) -> None:
    Recorder(home).record(answer(1))
    (home / "progress.json").write_text('{"schema": "three"}')


def _shorter_than_a_backup(home: Path) -> None:
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    backups.backup(store)
    store.log_path.write_bytes(store.log_path.read_bytes().split(b"\n", 1)[1])


DAMAGE = {
    "derived covers more than the log": _derived_covers_more,
    "a line whose session is a mapping": _type_confused_line,
    "a fingerprint that is a list": _fingerprint_a_list,
    "a damaged state file": _damaged_state,
    "a log shorter than its backup": _shorter_than_a_backup,
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_every_damage_a_command_refuses_on_is_one_restore_repairs(home, damage):
    from cps_drill.progress import records

    records_valid = records.valid  # the record store.append checks: bypassed to plant damage
    try:
        records.valid = lambda r: True
        DAMAGE[damage](home)
    finally:
        records.valid = records_valid
    for args in (["stats"], ["quiz", "--time-limit", "0"]):
        refused = invoke(args, input="a\n")
        assert refused.exit_code == 1, refused.output
        assert refused.stderr.count("\n") == 1  # one line
        assert "restore" in refused.stderr
    repaired = invoke(["restore"])
    assert repaired.exit_code == 0, repaired.output
    assert "Nothing is damaged" not in repaired.stdout
    assert invoke(["stats"]).exit_code == 0
    assert invoke(["quiz", "-n", "1", "--time-limit", "0"], input="a\n").exit_code == 0
    assert "Nothing is damaged" in invoke(["restore"]).stdout


# -- 11. temp files ---------------------------------------------------------------------------


def test_temp_files_left_by_a_killed_run_are_cleaned_up(home):
    drill(MINI, "--count", "1", "--seed", "1", input="a\n")
    left = [
        home / ".answers.jsonl-x1.tmp",
        home / "cache" / ".deck-1.json-x2.tmp",
        home / "backups" / ".answers-1.jsonl-x3.tmp",
    ]
    for path in left:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * 1000)
    drill(MINI, "--count", "1", "--seed", "2", input="a\n")
    assert not [p for p in left if p.exists()]


def test_a_failed_cache_write_leaves_no_temp_file(home, monkeypatch):
    def full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    invoke(["principles", "--content", MINI])
    monkeypatch.undo()
    assert not list(home.rglob("*.tmp"))


# -- 12. a private folder whatever was there before --------------------------------------------


@posix_only
@pytest.mark.parametrize("mode", [0o755, 0o777])
def test_a_folder_that_already_existed_is_made_private(home, mode):
    home.mkdir(parents=True)
    os.chmod(home, mode)
    (home / "cache").mkdir()
    os.chmod(home / "cache", 0o777)
    drill(MINI, "--count", "1", "--seed", "1", input="a\n")
    for path in [home, *home.rglob("*")]:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


@posix_only
def test_folders_made_under_umask_000_are_private(tmp_path):
    home = tmp_path / "a" / "b" / "home"
    result = run(home, "quiz", "-n", "1", "-t", "0", "--content", str(MINI), input=b"a\n", umask=0)
    assert result.returncode == 0, result.stderr
    for path in (tmp_path / "a", tmp_path / "a" / "b", home, *home.rglob("*")):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


@posix_only
@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_folder_that_belongs_to_someone_else_is_refused(home):
    home.mkdir(parents=True)
    os.chown(home, 12345, 12345)
    result = drill(MINI, "--count", "1", input="a\n")
    assert result.exit_code == 1
    assert "belongs to another user" in result.stderr


# -- 13. nothing read from the folder can run code ---------------------------------------------


def test_a_planted_pickle_is_never_loaded(home, tmp_path):
    import hashlib
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    name = hashlib.sha256(str(MINI.resolve()).encode()).hexdigest()[:16]
    (home / "cache").mkdir(parents=True)
    for suffix in ("pickle", "json"):
        (home / "cache" / f"deck-{name}.{suffix}").write_bytes(pickle.dumps(Payload()))
    assert invoke(["principles", "--content", MINI]).exit_code == 0
    assert not marker.exists()


# -- 14. restore's copies are private from the first byte --------------------------------------


@posix_only
def test_restore_never_writes_a_file_others_could_read(home, monkeypatch):
    store = Recorder(home)
    for n in range(3):
        store.record(answer(n))
    store.log_path.write_bytes(store.log_path.read_bytes() + b"garbage\n")
    seen = []
    real = os.replace

    def watch(src, dst):
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", watch)
    backups.restore(store)
    assert seen and all(mode == 0o600 for mode in seen)


# -- 17. a derived file is a cache, never believed over the log ---------------------------------


def test_hand_edited_figures_are_not_believed(home):
    drill(MINI, "--count", "3", "--seed", "1", input="a\na\na\n")
    invoke(["stats", "--content", MINI])  # counts the log once and keeps the figures
    head, state = read_derived(home)
    for deck in state["decks"].values():
        deck["answered"] = 100_503
    write_derived(home, head, state, resum=False)  # edited by hand
    figures = json.loads(invoke(["stats", "--json", "--content", MINI]).stdout)
    assert figures["answered"] == 3


def test_a_line_written_twice_counts_once_and_restore_removes_it(home):
    drill(MINI, "--count", "3", "--seed", "1", input="a\na\na\n")
    log = home / "answers.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join([*lines, lines[1]]))
    figures = json.loads(invoke(["stats", "--json", "--content", MINI]).stdout)
    assert figures["answered"] == 3
    result = invoke(["restore"])
    assert "1 line written twice now counts once." in " ".join(result.stdout.split())
    assert log.read_bytes() == b"".join(lines)


# -- found by a second attacker -----------------------------------------------------------------


def test_restore_keeps_answers_that_are_alike_to_the_second(home):
    """Piped review answers land in one second with the same outcome: each is its own."""
    store = Recorder(home)
    for n in range(6):
        store.record({**answer(1), "seq": n + 1})  # the same question, missed, six times
    assert store.history()["answered"] == 6
    result = backups.restore(store)
    assert not result.changed
    assert store.history()["answered"] == 6


def test_an_upgrade_keeps_format_2_answers_that_are_alike(home):
    home.mkdir(parents=True)
    line = {
        "question": "q",
        "principle": "p",
        "correct": 0,
        "outcome": "wrong",
        "seconds": 0.0,
        "at": "2026-01-01T00:00:00+00:00",
        "session": "s",
        "command": "review p",
        "fingerprint": "",
    }
    lines = [{**line, "chosen": 0}, {**line, "chosen": 2}, {**line, "chosen": 0}]
    (home / "answers.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    (home / "progress.json").write_text('{"schema": 2}')
    assert [a["chosen"] for a in Recorder(home).load()] == [0, 2, 0]


def test_restore_salvages_the_good_answers_of_a_damaged_format_1_file(home):
    shutil.copytree(FIXTURES / "progress-v1", home)
    data = json.loads((home / "progress.json").read_text())
    data["answers"].append({"question": "x", "seconds": "n/a"})
    data["sessions"].append(None)
    (home / "progress.json").write_text(json.dumps(data))
    assert invoke(["stats"]).exit_code == 1
    result = invoke(["restore"])
    assert "Recovered 3 answers" in result.stdout
    assert json.loads(invoke(["stats", "--json"]).stdout)["answered"] == 3


@pytest.mark.parametrize("name", ["answers.jsonl", "progress.json", "derived.json"])
def test_json_nested_too_deeply_is_damage_that_restore_repairs(home, name):
    drill(MINI, "--count", "2", "--seed", "1", input="a\na\n")
    invoke(["stats", "--content", MINI])
    path = home / name
    deep = "[" * 50000 + "]" * 50000 + "\n"
    path.write_text(path.read_text() + deep if name == "answers.jsonl" else deep)
    first = invoke(["stats", "--content", MINI])
    assert "Traceback" not in first.output
    assert invoke(["restore"]).exit_code == 0
    assert json.loads(invoke(["stats", "--json", "--content", MINI]).stdout)["answered"] == 2


@posix_only
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("answers.jsonl", lambda p: os.mkfifo(p)),
        ("answers.jsonl", lambda p: p.symlink_to("/dev/zero")),
        ("derived.json", lambda p: os.mkfifo(p)),
        ("backups/answers-zzz.jsonl", lambda p: p.mkdir()),
        ("backups/answers-zzz.jsonl", lambda p: os.mkfifo(p)),
        ("backups", lambda p: p.write_text("x")),
        ("cache", lambda p: p.write_text("x")),
    ],
    ids=["log FIFO", "log to /dev/zero", "derived FIFO", "backup folder", "backup FIFO",
         "backups a file", "cache a file"],
)  # fmt: skip
def test_something_other_than_a_file_never_hangs_and_restore_repairs_it(home, name, make):
    drill(MINI, "--count", "2", "--seed", "1", input="a\na\n")
    path = home / name
    if path.is_dir():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(exist_ok=True)
    make(path)
    for args in (["stats", "--content", str(MINI)], ["restore"], ["stats", "--content", str(MINI)]):
        result = run(home, *args)  # a hang fails here (timeout)
        assert b"Traceback" not in result.stdout + result.stderr, args
    quiz = run(home, "quiz", "-n", "1", "-t", "0", "--content", str(MINI), input=b"a\n")
    assert quiz.returncode == 0, quiz.stderr
    assert b"Progress saved" in quiz.stdout


def test_a_derived_file_crafted_to_disagree_is_not_believed(home):
    drill(MINI, "--count", "3", "--seed", "1", input="a\na\na\n")
    invoke(["stats", "--content", MINI])
    from cps_drill.progress import store as store_module

    head, state = read_derived(home)
    head["covers"] -= 5  # in the middle of a line, checksums made to match
    log = (home / "answers.jsonl").read_bytes()
    head["check"] = store_module._crc(log[: head["covers"]])
    write_derived(home, head, state)
    assert json.loads(invoke(["stats", "--json", "--content", MINI]).stdout)["answered"] == 3
    head, state = read_derived(home)
    for deck in state["decks"].values():
        deck["answered"] = "lots"
    state["seqs"] = {"x": "y"}
    write_derived(home, head, state)
    result = invoke(["stats", "--json", "--content", MINI])
    assert result.exit_code == 0 and json.loads(result.stdout)["answered"] == 3


def test_lines_in_another_order_are_all_counted(home):
    drill(MINI, "--count", "5", "--seed", "1", input="a\n" * 5)
    log = home / "answers.jsonl"
    log.write_bytes(b"".join(reversed(log.read_bytes().splitlines(keepends=True))))
    (home / "derived.json").unlink(missing_ok=True)
    assert json.loads(invoke(["stats", "--json", "--content", MINI]).stdout)["answered"] == 5


@pytest.mark.parametrize(
    "craft",
    [
        lambda deck: deck["memory"].update({"conf-001": {"f": 5}}),
        lambda deck: deck["last"].update({"conf-001": "wrong"}),
        lambda deck: deck.update(right=99),
        lambda deck: deck["days"].update({"2026-01-01": "many"}),
        lambda deck: deck["principles"].update({"respect": [1, 5, 3.0]}),
        lambda deck: deck["exams"].append({"questions": 2, "right": 1, "mark": "high"}),
    ],
    ids=["memory", "last", "right", "days", "tally", "exam"],
)
def test_a_derived_state_crafted_with_a_right_checksum_is_counted_again(home, craft):
    """Found by a review: the figures inside the state were not checked, so a derived.json
    with a right checksum and the log's identity could crash a command or be believed."""
    drill(MINI, "--count", "3", "--seed", "1", input="a\na\nb\n")
    invoke(["stats", "--content", MINI])  # derived.json now carries the log's identity
    head, state = read_derived(home)
    assert "log" in head
    deck = next(iter(state["decks"].values()))
    craft(deck)
    write_derived(home, head, state)
    for args in (["stats"], ["plan"], ["quiz", "--missed", "-t", "0"], ["principles"]):
        result = invoke([*args, "--content", MINI], input="q\n")
        assert "Traceback" not in result.output
    figures = json.loads(invoke(["stats", "--json", "--content", MINI]).stdout)
    assert figures["answered"] == 3 and figures["correct"] <= 3
