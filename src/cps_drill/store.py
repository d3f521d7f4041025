"""The progress file: every answer ever given, saved atomically after each one.

Layout (schema 1):
    {"schema": 1,
     "answers": [{"question", "principle", "chosen", "correct", "outcome", "seconds", "at",
                  "session"}, ...],
     "sessions": [{"id", "command", "started", "ended", "answered", "right"}, ...]}

Each save takes a lock, reads the file as it is on disk, adds the new answer and writes the
whole through a temp file in the same folder (flush, fsync, os.replace). Two programs drilling
at once therefore both keep their answers. A file that cannot be read is never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from cps_drill.errors import ProgressError

SCHEMA = 1
FILENAME = "progress.json"
LOCK_TIMEOUT = 10  # seconds to wait for another cps-drill that is saving


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def empty() -> dict:
    return {"schema": SCHEMA, "answers": [], "sessions": []}


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / FILENAME

    def load(self) -> dict:
        """The progress on disk; an empty record when there is no file yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return empty()
        except OSError as exc:
            raise self._unreadable(f"it cannot be opened ({exc.strerror})") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise self._unreadable("it is not text") from None
        except json.JSONDecodeError as exc:
            raise self._unreadable(f"it is not valid JSON (line {exc.lineno})") from None
        return self._check(data)

    def record(self, answer: dict, session: dict) -> None:
        """Add one answer and the running tally of its session, under the lock."""
        with self._lock():
            data = self.load()
            data["answers"].append(answer)
            sessions = data["sessions"]
            for i, existing in enumerate(sessions):
                if existing.get("id") == session["id"]:
                    sessions[i] = session
                    break
            else:
                sessions.append(session)
            self._write(data)

    def _check(self, data) -> dict:
        if not isinstance(data, dict) or not isinstance(data.get("schema"), int):
            raise self._unreadable("it is not a cps-drill progress file")
        if data["schema"] > SCHEMA:
            raise ProgressError(
                f"{self.path}: this progress file was written by a newer cps-drill "
                f"(format {data['schema']}; this one reads up to {SCHEMA}). "
                "Upgrade cps-drill to keep using it; the file has not been changed."
            )
        if not isinstance(data.get("answers"), list) or not isinstance(data.get("sessions"), list):
            raise self._unreadable("its answers or sessions are missing")
        return data

    def _unreadable(self, why: str) -> ProgressError:
        return ProgressError(
            f"{self.path}: cannot read your progress: {why}. The file has been left as it is. "
            f"To start afresh, move it aside (for example rename it to {FILENAME}.broken)."
        )

    @contextlib.contextmanager
    def _lock(self):
        from filelock import FileLock, Timeout

        self._make_folder()
        lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        try:
            with lock:
                yield
        except Timeout:
            raise ProgressError(
                f"{self.path}: another cps-drill kept the progress file locked for "
                f"{LOCK_TIMEOUT} s; close it and try again."
            ) from None

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProgressError(
                f"{self.folder}: cannot create the progress folder ({exc.strerror}). "
                "Set CPS_DRILL_HOME to a folder you can write to."
            ) from None

    def _write(self, data: dict) -> None:
        tmp_name = None
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as tmp:
                if hasattr(os, "fchmod"):
                    os.fchmod(tmp.fileno(), 0o600)
                json.dump(data, tmp, ensure_ascii=False, separators=(",", ":"))
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, self.path)
            tmp_name = None
            _sync_folder(self.folder)
        except OSError as exc:
            raise ProgressError(
                f"{self.path}: could not save your progress ({exc.strerror or exc}). "
                "The previous progress file is unchanged."
            ) from None
        finally:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder for this."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def answer_record(graded, session_id: str) -> dict:
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
    }
