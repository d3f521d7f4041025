"""The progress folder: every answer ever given, each saved the moment it is given.

Layout (format 2), inside the progress folder:

    progress.json   {"schema": 2, "created": ...}: which format the folder holds; written
                    atomically (temp file in the same folder, flush, fsync, os.replace)
    answers.jsonl   one answer a line, appended and fsynced before its feedback is shown
    backups/        the last few good copies, made at the start of a session
    progress.lock   held around every change, so two cps-drill windows both keep every answer

An answer is a line: a crash can at worst leave a last line half written, which was never
confirmed to the user; it is ignored when reading and cut off before the next append. A file
that cannot be read is never overwritten: the error names it and the command that restores the
latest good backup. Format 1 (one progress.json holding everything) is upgraded step by step.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cps_drill.errors import ProgressError

SCHEMA = 2
STATE = "progress.json"
ANSWERS = "answers.jsonl"
TOTALS = "totals.json"  # derived from the log, rebuilt whenever it does not match it
TOTALS_AFTER = 500  # save the totals again when this many answers are not yet in them
LOCK = "progress.lock"
BACKUPS = "backups"
KEEP_BACKUPS = 3
BACKUP_EVERY = 3600  # seconds: at most one new backup an hour, at the start of a session
LOCK_TIMEOUT = 10  # seconds to wait for another cps-drill that is saving
BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


# -- the upgrade chain: one named step per past format -----------------------------------------


def upgrade_1_to_2(old: dict) -> list[dict]:
    """Format 1 kept answers and sessions in progress.json; format 2 keeps answers in a log.

    The command of each session moves onto its answers, so sessions can be derived again.
    """
    commands = {s.get("id"): s.get("command") for s in old.get("sessions", [])}
    answers = []
    for a in old["answers"]:
        answers.append({**a, "command": a.get("command") or commands.get(a.get("session"))})
    return answers


UPGRADES = {1: upgrade_1_to_2}  # from format N to N + 1


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STATE
        self.answers_path = self.folder / ANSWERS
        self.backups = self.folder / BACKUPS

    # -- reading -------------------------------------------------------------------------

    def load(self) -> dict:
        """Every answer so far, oldest first; empty when new. Figures: see totals()."""
        import gc

        paused = gc.isenabled()
        gc.disable()  # a long history is a hundred thousand small dicts: no cycles to find
        try:
            return {"schema": SCHEMA, "answers": self._load_answers()}
        finally:
            if paused:
                gc.enable()

    def _load_answers(self) -> list[dict]:
        state = self._read_state()
        if state is None:
            return self._read_log() if self.answers_path.exists() else []
        schema = state["schema"]
        if schema == SCHEMA:
            return self._read_log()
        answers = state
        while schema < SCHEMA:
            answers = UPGRADES[schema](answers)
            schema += 1
        return answers

    def _read_state(self) -> dict | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._unreadable(self.path, f"it cannot be opened ({exc.strerror})") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise self._unreadable(self.path, "it is not text") from None
        except json.JSONDecodeError as exc:
            what = "it is empty" if not raw.strip() else f"it is not valid JSON (line {exc.lineno})"
            raise self._unreadable(self.path, what) from None
        if not isinstance(data, dict) or not isinstance(data.get("schema"), int):
            raise self._unreadable(self.path, "it is not a cps-drill progress file")
        schema = data["schema"]
        if schema > SCHEMA:
            raise ProgressError(
                f"{self.path}: this progress was saved by a newer cps-drill (format {schema}; "
                f"this one reads up to {SCHEMA}). Install the newer cps-drill to go on; "
                "nothing has been changed."
            )
        if schema < 1 or (schema < SCHEMA and not isinstance(data.get("answers"), list)):
            raise self._unreadable(self.path, "its answers are missing")
        return data

    def _read_log(self) -> list[dict]:
        try:
            raw = self.answers_path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise self._unreadable(
                self.answers_path, f"it cannot be opened ({exc.strerror})"
            ) from None
        return self._parse_log(raw[: raw.rfind(b"\n") + 1], first_line=1)

    def _parse_log(self, complete: bytes, first_line) -> list[dict]:
        """Answers from whole lines (a half-written last line was never confirmed: cut it first).

        `first_line` is the number of the first line, or a function that works it out: it is
        needed only to name a damaged line.
        """
        try:
            answers = json.loads(b"[" + complete.rstrip(b"\n").replace(b"\n", b",") + b"]")
        except (ValueError, UnicodeDecodeError):
            answers = None
        if answers is not None and all(isinstance(a, dict) and "question" in a for a in answers):
            return answers
        for number, line in enumerate(complete.split(b"\n")):
            if line.strip() and _answer_in(line) is None:
                first = first_line() if callable(first_line) else first_line
                raise self._unreadable(self.answers_path, f"line {first + number} is damaged")
        return []  # not reached: some line failed above

    def totals(self) -> dict:
        """Running totals of every answer (see totals.py), read from totals.json and the part
        of the log written since, and saved again when that part has grown long."""
        from cps_drill import totals as running

        state = self._read_state()
        if state is not None and state["schema"] < SCHEMA:
            return running.add_all(running.new(), self._load_answers())
        try:
            size = self.answers_path.stat().st_size
        except FileNotFoundError:
            return running.new()
        base = self._read_totals(size) or {**running.new(), "covers": 0}
        start = base.pop("covers")
        base.pop("check", None)
        with open(self.answers_path, "rb") as log:
            log.seek(start)
            tail = log.read()
        complete = tail[: tail.rfind(b"\n") + 1]
        answers = self._parse_log(complete, first_line=lambda: self._line_at(start))
        totals = running.add_all(base, answers)
        covers = start + len(complete)
        if len(answers) >= TOTALS_AFTER:
            record = {**totals, "covers": covers, "check": self._check_bytes(covers)}
            with contextlib.suppress(ProgressError):
                self._write_atomic(self.folder / TOTALS, json.dumps(record).encode(), sync=False)
        return totals

    def _read_totals(self, size: int) -> dict | None:
        from cps_drill import totals as running

        try:
            saved = json.loads((self.folder / TOTALS).read_bytes())
        except (OSError, ValueError):
            return None
        if not running.valid(saved) or saved["covers"] > size:
            return None
        if saved.get("check") != self._check_bytes(saved["covers"]):
            return None  # the log was replaced (a restore): count again from the start
        return saved

    def _check_bytes(self, covers: int) -> str:
        """A checksum of the log just before `covers`, to notice a log that was replaced."""
        import zlib

        with open(self.answers_path, "rb") as log:
            log.seek(max(0, covers - 256))
            return format(zlib.crc32(log.read(min(covers, 256))), "08x")

    def _line_at(self, offset: int) -> int:
        with open(self.answers_path, "rb") as log:
            return log.read(offset).count(b"\n") + 1

    def _unreadable(self, path: Path, why: str) -> ProgressError:
        return ProgressError(
            f"{path}: cannot read your progress: {why}. It has been left exactly as it is. "
            "Run 'cps-drill restore' to recover every answer that can still be read."
        )

    # -- writing -------------------------------------------------------------------------

    def record(self, answer: dict) -> None:
        """Append one answer and make it durable before returning."""
        line = (json.dumps(answer, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        with self._lock():
            self._make_current()
            self._append(line)

    def backup(self, every: float = BACKUP_EVERY) -> Path | None:
        """Copy the progress into backups/ if it grew since the newest backup and that one is
        older than `every` seconds. Only a file that reads back whole is kept."""
        with self._lock():
            state = self._read_state()
            old_format = state is not None and state["schema"] < SCHEMA
            source = self.path if old_format else self.answers_path
            if not source.exists():
                return None
            latest = self.latest_backup()
            if latest and latest.suffix == source.suffix:
                grown = source.stat().st_size != latest.stat().st_size  # the log only grows
                if not grown or time.time() - latest.stat().st_mtime < every:
                    return latest
            self.load()  # read it all: a damaged file is never kept as a good copy
            self._make_folder(self.backups)
            target = self.backups / f"{source.stem}-{_stamp()}{source.suffix}"
            self._copy_atomic(source, target)
            for old in self._backups()[KEEP_BACKUPS:]:
                with contextlib.suppress(OSError):
                    old.unlink()
            return target

    def latest_backup(self) -> Path | None:
        found = self._backups()
        return found[0] if found else None

    def _backups(self) -> list[Path]:
        """Backups, newest first."""
        try:
            found = [p for p in self.backups.iterdir() if p.suffix in (".jsonl", ".json")]
        except OSError:
            return []
        return sorted(found, key=lambda p: p.name.split("-", 1)[-1], reverse=True)

    def restore(self) -> Recovery:
        """Recover every answer that can still be read, from the latest backup and from the
        current files; the current files are kept beside, renamed *.broken-DATE."""
        with self._lock():
            backup = self.latest_backup()
            saved = self._answers_in(backup)[0] if backup else []
            current, unreadable, state_ok = self._salvage()
            known = {_identity(a) for a in saved}
            added = [a for a in current if _identity(a) not in known]
            if state_ok and not unreadable and len(added) == len(current):
                return Recovery(len(current), 0, len(current), 0, None, [])  # nothing damaged
            if not saved and not current:
                raise ProgressError(
                    f"{self.folder}: there is no answer to recover: no backup, and nothing in "
                    f"the damaged files can be read. To start afresh, move {STATE} and "
                    f"{ANSWERS} aside."
                )
            kept = []
            stamp = _stamp()
            for path in (self.path, self.answers_path):
                if path.exists():
                    aside = path.with_name(f"{path.name}.broken-{stamp}")
                    os.replace(path, aside)
                    kept.append(aside)
            with contextlib.suppress(OSError):
                (self.folder / TOTALS).unlink()
            answers = saved + added
            lines = "".join(
                json.dumps(a, ensure_ascii=False, separators=(",", ":")) + "\n" for a in answers
            )
            self._write_atomic(self.answers_path, lines.encode())
            self._write_state()
            return Recovery(len(answers), len(saved), len(added), unreadable, backup, kept)

    def _salvage(self) -> tuple[list[dict], int, bool]:
        """The answers in the current files that can still be read, how many lines could not
        be, and whether the state file is fine."""
        try:
            state = self._read_state()
            state_ok = True
        except ProgressError:
            state, state_ok = None, False
        if state is not None and state["schema"] < SCHEMA:
            return self._load_answers(), 0, True
        if not self.answers_path.exists():
            return [], 0, state_ok
        answers, unreadable = self._answers_in(self.answers_path)
        return answers, unreadable, state_ok

    def _answers_in(self, path: Path) -> tuple[list[dict], int]:
        """Every answer that reads back from a log or a format-1 file, and the lines that don't."""
        if path.suffix == ".json":
            try:
                old = json.loads(path.read_bytes())
                return UPGRADES[1](old), 0
            except (OSError, ValueError, KeyError, TypeError):
                return [], 1
        lines = [line for line in path.read_bytes().split(b"\n") if line.strip()]
        answers = [a for a in map(_answer_in, lines) if a is not None]
        return answers, len(lines) - len(answers)

    def _make_current(self) -> None:
        """Create the state file, or upgrade an older format on disk, before appending."""
        state = self._read_state()
        if state is not None and state["schema"] == SCHEMA:
            return
        if state is None:
            self._write_state()
            return
        self._make_folder(self.backups)
        self._copy_atomic(self.path, self.backups / f"progress-{_stamp()}.json")
        answers = self._load_answers()
        lines = "".join(
            json.dumps(a, ensure_ascii=False, separators=(",", ":")) + "\n" for a in answers
        )
        self._write_atomic(self.answers_path, lines.encode())
        self._write_state()

    def _write_state(self) -> None:
        state = {"schema": SCHEMA, "created": now_utc(), "answers": ANSWERS}
        self._write_atomic(self.path, json.dumps(state, indent=1).encode() + b"\n")

    def _append(self, line: bytes) -> None:
        try:
            fd = os.open(self.answers_path, os.O_RDWR | os.O_APPEND | os.O_CREAT | BINARY, 0o600)
        except OSError as exc:
            raise self._cannot_save(exc) from None
        try:
            size = os.fstat(fd).st_size
            if size:
                self._cut_half_line(fd, size)
            os.write(fd, line)
            os.fsync(fd)
        except OSError as exc:
            raise self._cannot_save(exc) from None
        finally:
            os.close(fd)
        if not size:
            _sync_folder(self.folder)

    def _cut_half_line(self, fd: int, size: int) -> None:
        """Drop a last line left half written by a crash: it was never confirmed."""
        os.lseek(fd, max(0, size - 1), os.SEEK_SET)
        if os.read(fd, 1) == b"\n":
            return
        start = max(0, size - 65536)
        os.lseek(fd, start, os.SEEK_SET)
        tail = os.read(fd, size - start)
        os.ftruncate(fd, start + tail.rfind(b"\n") + 1)

    def _write_atomic(self, path: Path, data: bytes, sync: bool = True) -> None:
        tmp_name = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as tmp:
                if hasattr(os, "fchmod"):
                    os.fchmod(tmp.fileno(), 0o600)
                tmp.write(data)
                tmp.flush()
                if sync:
                    os.fsync(tmp.fileno())
            os.replace(tmp_name, path)
            tmp_name = None
            if sync:
                _sync_folder(path.parent)
        except OSError as exc:
            raise self._cannot_save(exc) from None
        finally:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def _copy_atomic(self, source: Path, target: Path) -> None:
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            shutil.copyfile(source, tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            if hasattr(os, "chmod"):
                os.chmod(tmp, 0o600)
            os.replace(tmp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise self._cannot_save(exc) from None

    def _cannot_save(self, exc: OSError) -> ProgressError:
        return ProgressError(
            f"{self.folder}: could not save your progress ({exc.strerror or exc}). "
            "Everything saved before is unchanged."
        )

    @contextlib.contextmanager
    def _lock(self):
        from filelock import FileLock, Timeout

        self._make_folder(self.folder)
        lock = FileLock(str(self.folder / LOCK), timeout=LOCK_TIMEOUT)
        try:
            with lock:
                yield
        except Timeout:
            raise ProgressError(
                f"{self.folder}: another cps-drill kept the progress locked for "
                f"{LOCK_TIMEOUT} s; close it and try again."
            ) from None

    def _make_folder(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise ProgressError(
                f"{folder}: cannot create the progress folder ({exc.strerror}). "
                "Set CPS_DRILL_HOME to a folder you can write to."
            ) from None


@dataclass
class Recovery:
    answers: int  # answers on record now
    from_backup: int
    from_current: int  # answers read from the current files that the backup did not have
    unreadable: int  # lines that could not be read (kept in the renamed files)
    backup: Path | None
    kept: list[Path]


def _answer_in(line: bytes) -> dict | None:
    """The answer a log line holds, or None when it is damaged."""
    try:
        answer = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return answer if isinstance(answer, dict) and "question" in answer else None


def _identity(answer: dict) -> tuple:
    return tuple(answer.get(k) for k in ("session", "question", "at", "outcome", "seconds"))


def _sync_folder(folder: Path) -> None:
    """Make a new or renamed file's entry durable (POSIX; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def answer_record(graded, session_id: str, command: str) -> dict:
    """The stored form of a graded answer (options by their place in the YAML, from 0)."""
    question = graded.question
    return {
        "question": question.id,
        "principle": question.principle,
        "chosen": graded.chosen,
        "correct": graded.correct,
        "outcome": graded.outcome,
        "seconds": graded.seconds,
        "at": now_utc(),
        "session": session_id,
        "command": command,
        "fingerprint": question.fingerprint,
    }
