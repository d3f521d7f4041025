"""The progress folder: every answer ever given, each saved the moment it is given.

Layout (format 3), inside the progress folder:

    progress.json   {"schema": 3, "created": ...}: which format the folder holds, and since when
    answers.jsonl   the log: one record a line (see records.py), appended and fsynced before an
                    answer's feedback is shown; the truth, from which everything else is derived
    derived.json    a cache of what the log adds up to (see derived.py), rebuilt from the log
                    whenever it is missing or out of step
    backups/        good copies of the log (see backups.py) and, for good, the files of every
                    older format the folder was upgraded from
    cache/          checked decks, so that a deck checked once starts at once
    progress.lock   held around every change, so two cps-drill windows both keep every answer

A record is a line: a crash can at worst leave a last line half written, which was never
confirmed to the user; it is ignored when reading and cut off before the next append. A file that
cannot be read is never overwritten: the error names it, and `restore` repairs it. An older
format is upgraded step by step (upgrades.py); a newer one is refused untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from datetime import datetime, timezone
from pathlib import Path

from cps_drill.errors import DamagedProgress, NewerProgress, ProgressError
from cps_drill.progress import derived as dv
from cps_drill.progress import files
from cps_drill.progress import records as rec
from cps_drill.progress.upgrades import upgrade

STATE = "progress.json"
LOG = "answers.jsonl"
DERIVED = "derived.json"
OLD_TOTALS = "totals.json"  # format 2's derived file; removed on upgrade
BACKUPS = "backups"
CACHE = "cache"
EXAM = "exam.json"  # the mock exam in progress, saved after every action
OLD_FORMAT = "progress-format"  # backups/progress-format-N-DATE/: kept for good, not rotated
DERIVED_AFTER = 200  # write the derived state again when this many records are not yet in it


def stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.state_path = self.folder / STATE
        self.log_path = self.folder / LOG
        self.derived_path = self.folder / DERIVED
        self.backups = self.folder / BACKUPS
        self.cache = self.folder / CACHE
        self.exam_path = self.folder / EXAM
        self._known: tuple[int, dict] | None = None  # the derived state, and the log size it is of
        self._locked = False  # this store holds the folder's lock
        self._described: list[int] | None = None  # the log's identity derived.json was seen with

    # -- the state file ------------------------------------------------------------------

    def read_state(self) -> dict | None:
        """The state file (of any format), checked; None when there is none."""
        raw = files.read_bytes(self.state_path)
        if raw is None:
            return None
        try:
            data = rec.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise self.damaged(self.state_path, "it is not text") from None
        except ValueError as exc:
            line = getattr(exc, "lineno", None)
            what = "it is empty" if not raw.strip() else "it is not valid JSON"
            raise self.damaged(
                self.state_path, what + (f" (line {line})" if line and raw.strip() else "")
            ) from None
        schema = data.get("schema") if isinstance(data, dict) else None
        if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
            raise self.damaged(self.state_path, "it is not a cps-drill progress file")
        if schema > rec.FORMAT:
            raise NewerProgress(
                f"{self.state_path}: this progress was saved by a newer cps-drill (format "
                f"{schema}; this one reads up to {rec.FORMAT}). Install the newer cps-drill to "
                "go on; nothing has been changed."
            )
        if schema == 1 and not _format_1_shape(data):
            raise self.damaged(self.state_path, "its answers are missing or not in the usual form")
        return data

    def format_on_disk(self) -> int:
        """The folder's format: the state file's, else told from the log; FORMAT when new."""
        state = self.read_state()
        if state is not None:
            return int(state["schema"])
        head = (files.read_bytes(self.log_path) or b"")[:65536].split(b"\n", 1)[0]
        if not head.strip():
            return rec.FORMAT
        try:
            first = rec.loads(head)
        except ValueError:
            return rec.FORMAT  # damaged: reading it says where
        return rec.FORMAT if isinstance(first, dict) and "kind" in first else 2

    def write_state(self, created: str | None = None) -> None:
        state = {"schema": rec.FORMAT, "created": created or rec.now_utc(), "answers": LOG}
        files.write_atomic(self.state_path, json.dumps(state, indent=1).encode() + b"\n")

    def created(self) -> str | None:
        """When this progress began; kept through every upgrade and every restore."""
        with contextlib.suppress(DamagedProgress):
            state = self.read_state()
            if state and isinstance(state.get("created"), str):
                return state["created"]
        return None

    # -- opening: a private folder in the current format ---------------------------------

    def open(self) -> Store:
        """Make the folder private and current (upgrading an older format); returns self."""
        if not self.folder.exists():
            return self  # created with the first answer
        files.make_private_folder(self.folder)
        if not self.state_path.exists() and not files.size_of(self.log_path):
            return self
        if self.format_on_disk() < rec.FORMAT or not self.state_path.exists():
            with self.lock():
                self.make_current()
        return self

    def make_current(self) -> None:
        """Under the lock: create the state file, or upgrade an older format on disk."""
        format_ = self.format_on_disk()
        if format_ == rec.FORMAT:
            if not self.state_path.exists():
                self.write_state(self._earliest())
            return
        state = self.read_state()
        self.keep_old_format(format_)
        lines = self._old_lines() if format_ >= 2 or self.log_path.exists() else []
        records = upgrade(format_, state, lines)
        bad = [r for r in records if not rec.valid(r)]
        if bad:
            raise self.damaged(self.log_path, "some answers are not in the usual form")
        files.write_atomic(self.log_path, rec.encode(records))
        created = state.get("created") if state else None
        self.write_state(created if isinstance(created, str) else _earliest_of(records))
        with contextlib.suppress(OSError):
            (self.folder / OLD_TOTALS).unlink()
        with contextlib.suppress(OSError):
            self.derived_path.unlink()

    def _old_lines(self) -> list[dict]:
        """The lines of an older log, each a JSON object, or the damage named."""
        raw = files.read_bytes(self.log_path) or b""
        complete, tail = _split_tail(raw)
        lines = []
        for number, line in enumerate(complete.split(b"\n"), 1):
            if not line.strip():
                continue
            try:
                value = rec.loads(line)
            except ValueError:
                value = None
            if not _old_line(value):
                raise self.damaged(self.log_path, f"line {number} is damaged")
            lines.append(value)
        with contextlib.suppress(ValueError):
            value = rec.loads(tail) if tail.strip() else None
            if _old_line(value):
                lines.append(value)
        return lines

    def _earliest(self) -> str | None:
        with contextlib.suppress(DamagedProgress, OSError):
            return _earliest_of(self.records()[:1])
        return None

    # -- reading -------------------------------------------------------------------------

    def records(self) -> list[dict]:
        """Every record of the log, oldest first (each line checked)."""
        raw = files.read_bytes(self.log_path) or b""
        self._check_not_shorter(len(raw))
        return self._parse(raw, first_line=1)

    def answers(self, deck_id: str | None = None) -> list[dict]:
        """Every answer (of one deck, if named), oldest first, each once."""
        seen = set()
        out = []
        for r in self.records():
            key = rec.identity(r)
            if key in seen or not rec.is_answer(r):
                continue
            seen.add(key)
            if deck_id is None or r["deck"] == deck_id:
                out.append(r)
        return out

    def _parse(self, raw: bytes, first_line) -> list[dict]:
        """The records in the log text `raw`. A last line without its line break counts if it
        holds a whole record (an editor may drop the final break), and is otherwise a write a
        crash cut short, never confirmed.

        `first_line` is the number of the first line, or a function that works it out: it is
        needed only to name a damaged line.
        """
        complete, tail = _split_tail(raw)
        try:
            found = rec.loads(b"[" + complete.rstrip(b"\n").replace(b"\n", b",") + b"]")
        except (ValueError, UnicodeDecodeError):
            found = None
        # One record a line: a line break inside a record would have been read as a comma,
        # so the count must match too.
        if found is None or len(found) != complete.count(b"\n") or not all(map(rec.valid, found)):
            found = []
            for number, line in enumerate(complete.split(b"\n")):
                if not line.strip():
                    continue
                record = rec.parse(line)
                if record is None:
                    first = first_line() if callable(first_line) else first_line
                    raise self.damaged(self.log_path, f"line {first + number} is damaged")
                found.append(record)
        whole = rec.parse(tail) if tail.strip() else None
        return [*found, whole] if whole else found

    def derived(self) -> dict:
        """What the log adds up to (derived.py): from derived.json and the part of the log
        written since, checked against both; rebuilt from the log when they disagree."""
        if self._known is not None and self._known[0] == files.size_of(self.log_path):
            return self._known[1]  # read once a command, until something is appended
        saved = self.read_derived(seqs=False)
        unchanged = _identity(self.log_path)
        if saved is not None and unchanged is not None and _describes(saved, unchanged):
            # The log is the very file, untouched, that the state was saved with (same inode,
            # size, modification and change times): no need to read it again, nor the record
            # places (seqs), which only adding records needs.
            self._check_not_shorter(unchanged[1])
            self._known = (unchanged[1], saved["state"])
            self._described = unchanged
            return saved["state"]
        return self._counted(files.read_bytes(self.log_path) or b"", _with_seqs(saved))

    def _counted(self, raw: bytes, saved: dict | None) -> dict:
        """The state of the log `raw`: the saved one, if it is of the start of this log, with
        what was written since added to it; otherwise counted again from the start."""
        from cps_drill.gcpause import paused

        self._check_not_shorter(len(raw))
        if saved is not None and saved["covers"] > len(raw):
            raise self.missing("it is shorter than the answers already counted")
        if saved is not None and (
            saved["check"] != _crc(raw[: saved["covers"]])
            or (saved["covers"] and raw[saved["covers"] - 1 : saved["covers"]] != b"\n")
        ):
            saved = None  # the log was replaced or edited: count again from the start
        start = saved["covers"] if saved else 0
        state = saved["state"] if saved else dv.new()
        with paused():
            tail = self._parse(raw[start:], first_line=lambda: raw[:start].count(b"\n") + 1)
            try:
                state = dv.add_all(state, tail)
            except (TypeError, KeyError, AttributeError, ValueError):
                if saved is None:
                    raise
                return self._rebuilt(raw)  # a saved state of the wrong shape: a cache, rebuilt
        covers = start + len(_split_tail(raw[start:])[0])
        if (saved is None and covers) or len(tail) >= DERIVED_AFTER:
            self._write_derived(state, covers, _crc(raw[:covers]))
        self._known = (len(raw), state)
        return state

    def keep_derived(self) -> None:
        """At the end of a command that added to the log: save the state it adds up to, with
        the log's identity, so that the next command need not read the log at all."""
        if not files.size_of(self.log_path):
            return  # nothing to count, and no folder made for it
        if self._described is not None and self._described == _identity(self.log_path):
            return  # read from derived.json this command, and nothing added since
        with self.lock():  # nothing is written to the log between counting it and saving
            saved = self.read_derived(seqs=False)
            identity = _identity(self.log_path)
            if _describes(saved, identity):
                return
            raw = files.read_bytes(self.log_path) or b""  # read once: counted and summed
            if not (
                identity
                and identity == _identity(self.log_path)
                and len(raw) == identity[1]
                and raw.endswith(b"\n")
            ):
                return  # not a whole log, or it changed meanwhile: the next command counts it
            state = self._counted(raw, _with_seqs(saved))
            self._write_derived(state, len(raw), _crc(raw), log=identity)
            self._described = identity

    def _rebuilt(self, raw: bytes) -> dict:
        from cps_drill.gcpause import paused

        with paused():
            state = dv.add_all(dv.new(), self._parse(raw, first_line=1))
        covers = len(_split_tail(raw)[0])
        self._write_derived(state, covers, _crc(raw[:covers]))
        self._known = (len(raw), state)
        return state

    def known_whole(self) -> bool:
        """The log is the very file, untouched, that derived.json was last saved with: every
        line of it was read and checked then (see `derived` and `keep_derived`)."""
        identity = _identity(self.log_path)
        if self._described is not None and self._described == identity:
            return True  # seen so this command: no need to read derived.json again
        return _describes(self.read_derived(seqs=False), identity)

    def settings(self) -> dict:
        return dict(self.derived()["settings"])

    def read_derived(self, seqs: bool = True) -> dict | None:
        """The saved derived state with what it covers, or None when it cannot be trusted.

        derived.json holds three lines: a header (the length of the log it covers, a checksum
        of that part of the log, and a checksum of the other two lines), the state, and the
        places of the records counted (seqs), which only adding records needs. Without
        `seqs` that line is checked against the header's checksum but not read:
        `_with_seqs` reads it when it is needed."""
        try:
            raw = files.read_bytes(self.derived_path) or b""
            head, _, rest = raw.partition(b"\n")
            rest = rest[:-1] if rest.endswith(b"\n") else rest
            saved = rec.loads(head) if head else None
            if not isinstance(saved, dict) or saved.get("sum") != _crc(rest):
                return None  # damaged or edited by hand: a cache, so it is simply rebuilt
            body, _, places = rest.partition(b"\n")
            saved["state"] = rec.loads(body)
        except (ProgressError, ValueError):
            return None
        if not (
            isinstance(saved.get("covers"), int)
            and isinstance(saved.get("check"), str)
            and isinstance(saved["state"], dict)
            and "seqs" not in saved["state"]
            and dv.valid({**saved["state"], "seqs": {}})
        ):
            return None
        saved["state"]["seqs"] = None  # not read yet
        saved["places"] = places
        return _with_seqs(saved) if seqs else saved

    def _write_derived(
        self, state: dict, covers: int, check: str, log: list[int] | None = None
    ) -> None:
        if state.get("seqs") is None:
            return  # a state read without its record places is never written back
        rest = (
            json.dumps({k: v for k, v in state.items() if k != "seqs"}, separators=(",", ":"))
            + "\n"
            + json.dumps(state["seqs"], separators=(",", ":"))
        ).encode()
        header: dict = {"covers": covers, "check": check, "sum": _crc(rest)}
        if log:
            header["log"] = log
        head = json.dumps(header).encode()
        with contextlib.suppress(OSError, ProgressError), self.lock():
            files.write_atomic(self.derived_path, head + b"\n" + rest + b"\n", sync=False)

    def _check_not_shorter(self, size: int) -> None:
        """The log only grows: shorter than a backup of it, answers have gone missing."""
        if size < max((size for _, size, _ in self.rotating_backups()), default=0):
            what = "it is missing" if not self.log_path.exists() else "it is shorter than before"
            raise self.missing(what + " (a backup holds more)")

    def missing(self, what: str) -> DamagedProgress:
        return DamagedProgress(
            f"{self.log_path}: answers have gone missing: {what}. It has been left as it is."
        )

    def damaged(self, path: Path, why: str) -> DamagedProgress:
        return DamagedProgress(
            f"{path}: cannot read your progress: {why}. It has been left exactly as it is."
        )

    # -- backups (made and used by backups.py) -------------------------------------------

    def rotating_backups(self) -> list[tuple[Path, int, float]]:
        """The rotating backups of the log, with their sizes and times."""
        try:
            entries = list(os.scandir(self.backups))
        except OSError:
            return []
        found = []
        for entry in entries:
            if entry.name.startswith("answers-") and entry.name.endswith(".jsonl"):
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and _ours(info):
                        found.append((Path(entry.path), info.st_size, info.st_mtime))
        return found

    def keep_old_format(self, format_: int) -> Path:
        """Before an upgrade: keep the older files for good (they are never rotated away)."""
        folder = self.backups / f"{OLD_FORMAT}-{format_}-{stamp()}"
        files.make_private_folder(folder)
        for name in (STATE, LOG, OLD_TOTALS):
            source = self.folder / name
            if source.exists():
                files.copy_private(source, folder / name)
        return folder

    # -- writing -------------------------------------------------------------------------

    def append(self, records: list[dict]) -> None:
        """Append records and make them durable before returning; all or none."""
        bad = [r for r in records if not rec.valid(r)]
        if bad:
            raise ValueError(f"not a record of format {rec.FORMAT}: {bad[0]!r}")
        data = rec.encode(records)
        with self.lock():
            self.make_current()
            files.append_whole(self.log_path, data, _end_last_line)

    # -- the mock exam in progress --------------------------------------------------------

    def read_exam(self) -> dict | None:
        """The exam in progress as saved, or None when there is none. A file that cannot be
        read raises DamagedProgress and is left exactly as it is."""
        raw = files.read_bytes(self.exam_path)
        if raw is None:
            return None
        try:
            data = rec.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict):
            raise self.damaged(self.exam_path, "the exam in progress is not readable")
        return data

    def save_exam(self, data: dict) -> None:
        """Replace the saved exam in one step, synced: a crash leaves the old one or this."""
        with self.lock():
            files.write_atomic(self.exam_path, json.dumps(data).encode() + b"\n")

    def set_exam_aside(self, why: str) -> Path | None:
        """Move the exam file into backups/ (as exam-WHY-STAMP.json) instead of deleting it:
        an exam discarded, damaged or finished can still be read there."""
        if not self.exam_path.exists() and not self.exam_path.is_symlink():
            return None
        with self.lock():
            files.make_private_folder(self.backups)
            target = self.backups / f"exam-{why}-{stamp()}.json"
            try:
                os.replace(self.exam_path, target)
            except OSError as exc:
                raise files.cannot_save(self.folder, exc) from None
            files.sync_folder(self.folder)
        return target

    def save_settings(self, values: dict, session: str) -> None:
        self.append([rec.settings(values, session=session)])

    @contextlib.contextmanager
    def lock(self):
        """The folder's lock; taken again inside it (by the same store), it is simply held."""
        if self._locked:
            yield
            return
        with files.locked(self.folder):
            self._locked = True
            try:
                yield
            finally:
                self._locked = False

    def write_cached(self, path: Path, data: bytes) -> None:
        """A private cache file inside the folder (for the deck cache)."""
        with self.lock():
            files.make_private_folder(path.parent)
            files.write_atomic(path, data, sync=False)


def _ours(info: os.stat_result) -> bool:
    """A file of this user's own (a file another user put in the folder is not read)."""
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _format_1_shape(data: dict) -> bool:
    sessions = data.get("sessions", [])
    return (
        isinstance(data.get("answers"), list)
        and all(isinstance(a, dict) and isinstance(a.get("question"), str) for a in data["answers"])
        and isinstance(sessions, list)
        and all(isinstance(s, dict) for s in sessions)
    )


def _old_line(value) -> bool:
    """A line an upgrade can take: an answer of format 2, or a record of format 3."""
    return isinstance(value, dict) and (isinstance(value.get("question"), str) or rec.valid(value))


def _earliest_of(records: list[dict]) -> str | None:
    times = [r["at"] for r in records if isinstance(r.get("at"), str)]
    return min(times) if times else None


def _split_tail(raw: bytes) -> tuple[bytes, bytes]:
    """The whole lines, and what follows the last line break."""
    end = raw.rfind(b"\n") + 1
    return raw[:end], raw[end:]


def _with_seqs(saved: dict | None) -> dict | None:
    """A saved state read without its record places, completed with them (None when they are
    not in the usual form: the state is then rebuilt from the log)."""
    if saved is None or saved["state"].get("seqs") is not None:
        return saved
    try:
        seqs = rec.loads(saved["places"])
    except ValueError:
        return None
    state = {**saved["state"], "seqs": seqs}
    if not dv.valid(state):
        return None
    return {**saved, "state": state}


def _describes(saved: dict | None, identity: list[int] | None) -> bool:
    """derived.json was saved with the log as it is now (the same file, untouched)."""
    return saved is not None and bool(identity) and saved.get("log") == identity


def _identity(path: Path) -> list[int] | None:
    """What tells one state of a file from another without reading it: inode, size, and the
    modification and change times in nanoseconds (the change time moves whenever the file is
    written or its times are set, and cannot be set back by hand)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _crc(data: bytes) -> str:
    return format(zlib.crc32(data), "08x")


def _end_last_line(fd: int, size: int) -> None:
    """Before appending: a last line without its break gets one if it holds a whole record
    (an editor dropped the break); otherwise it was cut short by a crash, never confirmed,
    and is removed."""
    start = max(0, size - 65536)
    os.lseek(fd, start, os.SEEK_SET)
    tail = os.read(fd, size - start)
    if tail.endswith(b"\n"):
        return
    last = tail[tail.rfind(b"\n") + 1 :]
    if rec.parse(last) is not None or (b"\n" not in tail and start > 0):
        os.write(fd, b"\n")  # a whole record; or a line too long to be one: left to be reported
    else:
        os.ftruncate(fd, start + tail.rfind(b"\n") + 1)
