"""The progress folder: every answer ever given, each saved the moment it is given.

Layout (format 2), inside the progress folder:

    progress.json   {"schema": 2, "created": ...}: which format the folder holds; written
                    atomically (temp file in the same folder, flush, fsync, os.replace)
    answers.jsonl   one answer a line, appended and fsynced before its feedback is shown
    totals.json     running totals derived from the log (see totals.py), a shortcut only
    backups/        good copies made at the start of a session (see backups.py)
    progress.lock   held around every change, so two cps-drill windows both keep every answer

An answer is a line: a crash can at worst leave a last line half written, which was never
confirmed to the user; it is ignored when reading and cut off before the next append. A file
that cannot be read is never overwritten: the error names it and what to do. Format 1 (one
progress.json holding everything) is upgraded step by step.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from cps_drill.errors import NewerProgress, ProgressError

SCHEMA = 2
STATE = "progress.json"
ANSWERS = "answers.jsonl"
TOTALS = "totals.json"  # derived from the log, rebuilt whenever it does not match it
TOTALS_AFTER = 500  # save the totals again when this many answers are not yet in them
LOCK = "progress.lock"
LOCK_TIMEOUT = 10  # seconds to wait for another cps-drill that is saving
BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
RESTORE_ADVICE = "Run 'cps-drill restore' to recover every answer that can still be read."


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


# -- the upgrade chain: one named step per past format -----------------------------------------


def upgrade_1_to_2(old: dict) -> list[dict]:
    """Format 1 kept answers and sessions in progress.json; format 2 keeps answers in a log.

    The command of each session moves onto its answers, so sessions can be derived again.
    """
    commands = {str(s.get("id")): s.get("command") for s in old.get("sessions", [])}
    return [
        {**a, "command": a.get("command") or commands.get(str(a.get("session")))}
        for a in old["answers"]
    ]


UPGRADES = {1: upgrade_1_to_2}  # from format N to N + 1


def is_answer(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("question"), str)


def answer_in(line: bytes) -> dict | None:
    """The answer a log line holds, or None when it is damaged."""
    try:
        answer = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return answer if is_answer(answer) else None


def lines_of(answers: list[dict]) -> bytes:
    return "".join(
        json.dumps(a, ensure_ascii=False, separators=(",", ":")) + "\n" for a in answers
    ).encode()


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STATE
        self.answers_path = self.folder / ANSWERS

    # -- reading -------------------------------------------------------------------------

    def load(self) -> dict:
        """Every answer so far, oldest first; empty when new. Figures: see totals()."""
        from cps_drill.gcpause import paused

        with paused():
            return {"schema": SCHEMA, "answers": self.answers()}

    def answers(self) -> list[dict]:
        state = self.read_state()
        if state is None:
            return self._read_log() if self.answers_path.exists() else []
        schema = state["schema"]
        if schema == SCHEMA:
            self._check_length(self._log_size())
            return self._read_log()
        answers = state
        while schema < SCHEMA:
            answers = UPGRADES[schema](answers)
            schema += 1
        return answers

    def read_state(self) -> dict | None:
        """The state file, or the whole progress of an older format; None when there is none."""
        raw = self._read_bytes(self.path)
        if raw is None:
            return None
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
            raise NewerProgress(
                f"{self.path}: this progress was saved by a newer cps-drill (format {schema}; "
                f"this one reads up to {SCHEMA}). Install the newer cps-drill to go on; "
                "nothing has been changed."
            )
        if schema < 1 or (schema < SCHEMA and not _format_1_shape(data)):
            raise self._unreadable(self.path, "its answers are missing or not in the usual form")
        return data

    def _read_bytes(self, path: Path, start: int = 0) -> bytes | None:
        """A file's bytes from `start`, None when it does not exist; other failures are named."""
        try:
            with open(path, "rb") as f:
                f.seek(start)
                return f.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self.cannot_open(path, exc) from None

    def _read_log(self) -> list[dict]:
        raw = self._read_bytes(self.answers_path)
        return self._parse_log(raw or b"", first_line=1)

    def _parse_log(self, raw: bytes, first_line) -> list[dict]:
        """The answers in the log text `raw`. A last line without its line break counts if it
        holds a whole answer (an editor may drop the final break), and is otherwise a write
        that a crash cut short and was never confirmed.

        `first_line` is the number of the first line, or a function that works it out: it is
        needed only to name a damaged line.
        """
        complete, tail = _split_tail(raw)
        try:
            answers = json.loads(b"[" + complete.rstrip(b"\n").replace(b"\n", b",") + b"]")
        except (ValueError, UnicodeDecodeError):
            answers = None
        # One answer a line: a line break inside an answer would have been read as a comma
        # ("lang" + "," + "uage"), so the count must match too.
        if (
            answers is None
            or len(answers) != complete.count(b"\n")
            or not all(map(is_answer, answers))
        ):
            answers = []
            for number, line in enumerate(complete.split(b"\n")):
                if not line.strip():
                    continue
                answer = answer_in(line)
                if answer is None:
                    first = first_line() if callable(first_line) else first_line
                    raise self._unreadable(self.answers_path, f"line {first + number} is damaged")
                answers.append(answer)
        whole = answer_in(tail) if tail.strip() else None
        return [*answers, whole] if whole else answers

    def totals(self) -> dict:
        """Running totals of every answer (see totals.py), read from totals.json and the part
        of the log written since, and saved again when that part has grown long."""
        from cps_drill import totals as running

        state = self.read_state()
        if state is not None and state["schema"] < SCHEMA:
            return running.add_all(running.new(), self.answers())
        size = self._log_size()
        self._check_length(size)
        if size == 0:
            return running.new()
        base = self._read_totals(size) or {**running.new(), "covers": 0}
        start = base.pop("covers")
        base.pop("check", None)
        tail = self._read_bytes(self.answers_path, start) or b""
        answers = self._parse_log(tail, first_line=lambda: self._line_at(start))
        totals = running.add_all(base, answers)
        covers = start + len(_split_tail(tail)[0])
        if len(answers) >= TOTALS_AFTER:
            record = {**totals, "covers": covers, "check": self._check_bytes(covers)}
            with contextlib.suppress(ProgressError):
                self.write_atomic(self.folder / TOTALS, json.dumps(record).encode(), sync=False)
        return totals

    def _log_size(self) -> int:
        try:
            return self.answers_path.stat().st_size
        except FileNotFoundError:
            return 0
        except OSError as exc:
            raise self.cannot_open(self.answers_path, exc) from None

    def _check_length(self, size: int) -> None:
        """The log only grows: shorter than a backup or the saved totals, answers went missing."""
        from cps_drill.backups import longest_backup

        known = longest_backup(self)
        try:
            saved = json.loads((self.folder / TOTALS).read_bytes()).get("covers", 0)
            known = max(known, saved if isinstance(saved, int) else 0)
        except (OSError, ValueError, AttributeError):
            pass
        if size < known:
            what = (
                "it is missing" if not self.answers_path.exists() else "it is shorter than before"
            )
            raise ProgressError(
                f"{self.answers_path}: answers have gone missing: {what}. {RESTORE_ADVICE} "
                f"(To start afresh on purpose, move the whole folder {self.folder} aside.)"
            )

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

        data = self._read_bytes(self.answers_path, max(0, covers - 256)) or b""
        return format(zlib.crc32(data[: min(covers, 256)]), "08x")

    def _line_at(self, offset: int) -> int:
        return (self._read_bytes(self.answers_path) or b"")[:offset].count(b"\n") + 1

    def _unreadable(self, path: Path, why: str) -> ProgressError:
        return ProgressError(
            f"{path}: cannot read your progress: {why}. It has been left exactly as it is. "
            + RESTORE_ADVICE
        )

    def cannot_open(self, path: Path, exc: OSError) -> ProgressError:
        return ProgressError(
            f"{path}: cannot be opened ({exc.strerror or exc}). Check that it and its folder "
            "belong to you and that you may read and write them; nothing has been changed."
        )

    # -- writing -------------------------------------------------------------------------

    def record(self, answer: dict) -> None:
        """Append one answer and make it durable before returning."""
        line = lines_of([answer])
        with self.lock():
            self._make_current()
            self._append(line)

    def _make_current(self) -> None:
        """Create the state file, or upgrade an older format on disk, before appending."""
        state = self.read_state()
        if state is not None and state["schema"] == SCHEMA:
            return
        if state is not None:  # an older format: keep it, then write the log it becomes
            from cps_drill.backups import keep_old_format

            keep_old_format(self)
            self.write_atomic(self.answers_path, lines_of(self.answers()))
        self.write_state()

    def write_state(self) -> None:
        state = {"schema": SCHEMA, "created": now_utc(), "answers": ANSWERS}
        self.write_atomic(self.path, json.dumps(state, indent=1).encode() + b"\n")

    def _append(self, line: bytes) -> None:
        try:
            fd = os.open(self.answers_path, os.O_RDWR | os.O_APPEND | os.O_CREAT | BINARY, 0o600)
        except OSError as exc:
            raise self.cannot_save(exc) from None
        try:
            size = os.fstat(fd).st_size
            if size:
                _end_last_line(fd, size)
            os.write(fd, line)
            os.fsync(fd)
        except OSError as exc:
            raise self.cannot_save(exc) from None
        finally:
            os.close(fd)
        if not size:
            sync_folder(self.folder)

    def write_atomic(self, path: Path, data: bytes, sync: bool = True) -> None:
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
                sync_folder(path.parent)
        except OSError as exc:
            raise self.cannot_save(exc) from None
        finally:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def copy_atomic(self, source: Path, target: Path) -> None:
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
            raise self.cannot_save(exc) from None

    def cannot_save(self, exc: OSError) -> ProgressError:
        return ProgressError(
            f"{self.folder}: could not save your progress ({exc.strerror or exc}). "
            "Everything saved before is unchanged."
        )

    @contextlib.contextmanager
    def lock(self):
        from filelock import FileLock, Timeout

        self.make_folder(self.folder)
        lock = FileLock(str(self.folder / LOCK), timeout=LOCK_TIMEOUT, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise ProgressError(
                f"{self.folder}: another cps-drill kept the progress locked for "
                f"{LOCK_TIMEOUT} s; close it and try again."
            ) from None
        except OSError as exc:
            raise self.cannot_open(self.folder / LOCK, exc) from None
        try:
            yield
        finally:
            lock.release()

    def make_folder(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise ProgressError(
                f"{folder}: cannot create the progress folder ({exc.strerror}). "
                "Set CPS_DRILL_HOME to a folder you can write to."
            ) from None


def _format_1_shape(data: dict) -> bool:
    sessions = data.get("sessions", [])
    return (
        isinstance(data.get("answers"), list)
        and all(map(is_answer, data["answers"]))
        and isinstance(sessions, list)
        and all(isinstance(s, dict) for s in sessions)
    )


def _split_tail(raw: bytes) -> tuple[bytes, bytes]:
    """The whole lines, and what follows the last line break."""
    end = raw.rfind(b"\n") + 1
    return raw[:end], raw[end:]


def _end_last_line(fd: int, size: int) -> None:
    """Before appending: a last line without its break gets one if it holds a whole answer
    (an editor dropped the break); otherwise it was cut short by a crash, never confirmed,
    and is removed."""
    start = max(0, size - 65536)
    os.lseek(fd, start, os.SEEK_SET)
    tail = os.read(fd, size - start)
    if tail.endswith(b"\n"):
        return
    last = tail[tail.rfind(b"\n") + 1 :]
    if answer_in(last) is not None or (b"\n" not in tail and start > 0):
        os.write(fd, b"\n")  # a whole answer; or a line too long to be one: left to be reported
    else:
        os.ftruncate(fd, start + tail.rfind(b"\n") + 1)


def sync_folder(folder: Path) -> None:
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
