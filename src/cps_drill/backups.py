"""Backups of the progress folder, and recovery after damage.

A backup is a copy of the answer log, taken at the start of a session at most once an hour, and
only of a log that reads back whole; the last three are kept. A file of an older format is kept
for good when it is upgraded. `restore` recovers every answer that can still be read, from the
latest backup and the current files, and keeps the current files beside, renamed *.broken-DATE.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

from cps_drill.errors import NewerProgress, ProgressError
from cps_drill.store import ANSWERS, SCHEMA, STATE, TOTALS, Store, answer_in, lines_of, stamp

FOLDER = "backups"
KEEP = 3
EVERY = 3600  # seconds: at most one new backup an hour
OLD_FORMAT = "progress-format"  # kept for good, not rotated


@dataclass
class Recovery:
    answers: int  # answers on record now
    from_backup: int
    from_current: int  # answers read from the current files that the backup did not have
    unreadable: int  # lines that could not be read (kept in the renamed files)
    backup: Path | None
    kept: list[Path]  # copies of the damaged files
    changed: bool = True


def backup(store: Store, every: float = EVERY) -> Path | None:
    """Copy the log into backups/ if it grew since the newest backup and that one is older
    than `every` seconds. Only a log that reads back whole is kept."""
    with store.lock():
        state = store.read_state()
        if state is not None and state["schema"] < SCHEMA:
            return None  # it is kept as it is until it is upgraded (keep_old_format)
        source = store.answers_path
        if not source.exists():
            return None
        latest = latest_backup(store)
        try:
            size = source.stat().st_size
            if latest and latest.suffix == ".jsonl":
                grown = size != latest.stat().st_size  # the log only grows
                if not grown or time.time() - latest.stat().st_mtime < every:
                    return latest
        except OSError as exc:
            raise store.cannot_open(source, exc) from None
        store.load()  # read it all: a damaged log is never kept as a good copy
        folder = store.folder / FOLDER
        store.make_folder(folder)
        target = folder / f"answers-{stamp()}.jsonl"
        store.copy_atomic(source, target)
        for old in _rotating(store)[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target


def keep_old_format(store: Store) -> Path:
    """Before an upgrade: keep the older file for good (it is never rotated away)."""
    folder = store.folder / FOLDER
    store.make_folder(folder)
    target = folder / f"{OLD_FORMAT}-{stamp()}.json"
    store.copy_atomic(store.path, target)
    return target


def latest_backup(store: Store) -> Path | None:
    found = _all(store)
    return found[0] if found else None


def longest_backup(store: Store) -> int:
    """The size of the largest backup of the log (0 if none): the log is never shorter."""
    sizes = []
    for path in _rotating(store):
        with contextlib.suppress(OSError):
            sizes.append(path.stat().st_size)
    return max(sizes, default=0)


def _all(store: Store) -> list[Path]:
    """Backups of either kind, newest first."""
    try:
        found = [p for p in (store.folder / FOLDER).iterdir() if p.suffix in (".jsonl", ".json")]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stem.rsplit("-", 1)[-1], reverse=True)


def _rotating(store: Store) -> list[Path]:
    return [p for p in _all(store) if p.suffix == ".jsonl"]


def restore(store: Store) -> Recovery:
    """Recover every answer that can still be read; nothing is deleted."""
    with store.lock():
        current, unreadable, state_ok = _salvage(store)
        latest = latest_backup(store)
        saved = _answers_in(latest)[0] if latest else []
        have = {_identity(a) for a in current}
        missing = [a for a in saved if _identity(a) not in have]
        if state_ok and not unreadable and not missing:
            return Recovery(len(current), 0, len(current), 0, None, [], False)  # sound
        if not current and not saved:
            raise ProgressError(
                f"{store.folder}: there is no answer to recover: no backup, and nothing in the "
                f"damaged files can be read. To start afresh, move {STATE} and {ANSWERS} aside."
            )
        known = {_identity(a) for a in saved}
        added = [a for a in current if _identity(a) not in known]
        answers = saved + added
        # Copies of the damaged files first; then each new file replaces its old one in a
        # single step, so that at every moment one or the other is in place.
        kept = []
        suffix = f".broken-{stamp()}"
        damaged = [(store.path, not state_ok), (store.answers_path, bool(unreadable or missing))]
        for path, is_damaged in damaged:
            if is_damaged and path.exists():
                aside = path.with_name(path.name + suffix)
                store.copy_atomic(path, aside)
                kept.append(aside)
        store.write_atomic(store.answers_path, lines_of(answers))
        store.write_state()
        with contextlib.suppress(OSError):
            (store.folder / TOTALS).unlink()
        return Recovery(len(answers), len(saved), len(added), unreadable, latest, kept, True)


def _salvage(store: Store) -> tuple[list[dict], int, bool]:
    """The answers in the current files that can still be read, how many lines could not be,
    and whether the state file is sound. Progress from a newer cps-drill is never touched."""
    try:
        state = store.read_state()
        state_ok = True
    except NewerProgress:
        raise
    except ProgressError:
        state, state_ok = None, False
    if state is not None and state["schema"] < SCHEMA:
        return store.answers(), 0, True
    if not store.answers_path.exists():
        return [], 0, state_ok
    answers, unreadable = _answers_in(store.answers_path)
    return answers, unreadable, state_ok


def _answers_in(path: Path) -> tuple[list[dict], int]:
    """Every answer that reads back from a log or an older-format file, and the lines that
    do not."""
    try:
        data = path.read_bytes()
    except OSError:
        return [], 1
    if path.suffix == ".json":
        older = Store(path.parent)
        older.path = path
        try:
            return older.answers(), 0
        except ProgressError:
            return [], 1
    lines = [line for line in data.split(b"\n") if line.strip()]
    answers = [a for a in map(answer_in, lines) if a is not None]
    return answers, len(lines) - len(answers)


def _identity(answer: dict) -> tuple:
    return tuple(str(answer.get(k)) for k in ("session", "question", "at", "outcome", "seconds"))
