"""Backups of the progress folder, and recovery after damage.

A backup is a copy of the log, taken at the start of a session when the log has grown and the
newest backup is over an hour old (a backup dated in the future, from a clock that was wrong,
does not count as new), and only of a log that reads back whole; the three largest are kept (the
log only grows, so they are the latest). The files of an older format are kept for good when the
folder is upgraded.

`restore` repairs every damage that makes a command refuse: it recovers every record that can
still be read, from the current log and from every backup, each once; keeps the damaged files
beside, renamed *.broken-DATE; writes the log and the state file anew; drops the derived cache;
and moves the backups it used into a folder of their own, so none of them is lost.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.errors import DamagedProgress
from cps_drill.progress import files
from cps_drill.progress import records as rec
from cps_drill.progress.store import Store, stamp
from cps_drill.progress.upgrades import upgrade

KEEP = 3
EVERY = 3600  # seconds: at most one new backup an hour
FUTURE = 300  # seconds: a backup dated further ahead than this was made under a wrong clock
USED = "used-by-restore"  # backups a restore read, kept for good


@dataclass
class Recovery:
    records: int  # records on file now
    answers: int  # of which answers
    from_backup: int  # records found only in a backup
    from_current: int  # records read from the current log
    unreadable: int  # lines that could not be read (kept in the renamed files)
    duplicates: int  # lines written twice, now once
    backups: int  # backups read
    kept: list[Path] = field(default_factory=list)  # copies of the damaged files
    changed: bool = True


def backup(store: Store, every: float = EVERY, now: float | None = None) -> Path | None:
    """Copy the log into backups/ if it grew since the largest backup and the newest one is
    older than `every` seconds. Only a log that reads back whole is kept."""
    now = time.time() if now is None else now
    with store.lock():
        files.remove_temp_files(store.folder, store.backups, store.cache)
        files.make_private_tree(store.folder)
        size = files.size_of(store.log_path)
        if not size:
            return None
        found = store.rotating_backups()
        if found and size <= max(s for _, s, _ in found):
            return None  # nothing new since the largest backup
        believable = [m for _, _, m in found if m <= now + FUTURE]
        if believable and now - max(believable) < every:
            return None
        if not store.known_whole():
            store.records()  # read it all: a damaged log is never kept as a good copy
        if os.path.lexists(store.backups) and not store.backups.is_dir():
            raise DamagedProgress(
                f"{store.backups}: something other than a folder is where the backups belong. "
                "It has been left exactly as it is."
            )
        files.make_private_folder(store.backups)
        target = store.backups / f"answers-{stamp()}.jsonl"
        files.copy_private(store.log_path, target)
        for old, _, _ in sorted(store.rotating_backups(), key=lambda b: (b[1], b[2]), reverse=True)[
            KEEP:
        ]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target


def restore(store: Store) -> Recovery:
    """Recover every record that can still be read; nothing is deleted."""
    files.make_private_folder(store.folder)
    with store.lock():
        suffix = f".broken-{stamp()}"
        kept = _move_aside_what_is_not_a_file(store, suffix)
        state_ok = _state_is_sound(store)
        created = store.created()
        current, unreadable = _salvage(store.log_path)
        old = [] if state_ok else _salvage_format_1(store)
        sources = [p for p, _, _ in store.rotating_backups()]
        saved: list[dict] = []
        for path in sources:
            saved += _salvage(path)[0]
        merged = _each_once([*current, *old, *saved])
        in_current = _each_once(current)
        duplicates = len(current) - len(in_current)
        added = [r for r in merged if r not in in_current]
        derived_bad = _derived_disagrees(store)
        with contextlib.suppress(OSError):
            store.derived_path.unlink()  # a cache: always counted again from the log
        if state_ok and not (unreadable or duplicates or added or derived_bad or kept):
            answers = sum(map(rec.is_answer, merged))
            return Recovery(len(merged), answers, 0, answers, 0, 0, 0, changed=False)
        if not (merged or store.log_path.exists() or store.state_path.exists() or kept):
            return Recovery(0, 0, 0, 0, 0, 0, 0, changed=False)  # nothing there at all
        log_changed = bool(unreadable or duplicates or added)
        for path, damaged in ((store.state_path, not state_ok), (store.log_path, log_changed)):
            if damaged and files.is_regular(path):
                aside = path.with_name(path.name + suffix)
                files.copy_private(path, aside)
                kept.append(aside)
        # Each new file replaces its old one in a single step: one or the other is in place.
        files.write_atomic(store.log_path, rec.encode(merged))
        store.write_state(created or _earliest(merged))
        if sources:
            used = store.backups / f"{USED}-{stamp()}"
            files.make_private_folder(used)
            for path in sources:
                with contextlib.suppress(OSError):
                    os.replace(path, used / path.name)
        return Recovery(
            len(merged),
            sum(map(rec.is_answer, merged)),
            sum(map(rec.is_answer, added)),
            sum(map(rec.is_answer, in_current)),
            unreadable,
            duplicates,
            len(sources),
            kept,
            True,
        )


def _move_aside_what_is_not_a_file(store: Store, suffix: str) -> list[Path]:
    """A folder, FIFO or link to a device where a file of the folder belongs (or a file where
    a folder belongs) is renamed aside, never read and never deleted."""
    moved = []
    for path, wanted in (
        (store.state_path, "file"),
        (store.log_path, "file"),
        (store.derived_path, "file"),
        (store.backups, "folder"),
        (store.cache, "folder"),
    ):
        if not os.path.lexists(path):
            continue
        is_dir = path.is_dir() and not path.is_symlink()
        fine = files.is_regular(path) and not path.is_symlink() if wanted == "file" else is_dir
        if not fine:
            aside = path.with_name(path.name + suffix)
            try:
                os.replace(path, aside)
            except OSError as exc:
                raise files.cannot_open(path, exc) from None
            moved.append(aside)
    return moved


def _salvage_format_1(store: Store) -> list[dict]:
    """The answers that still read from a damaged format-1 progress.json, one by one."""
    try:
        raw = files.read_bytes(store.state_path)
        data = rec.loads(raw) if raw else None
    except (ValueError, DamagedProgress):
        return []
    if not isinstance(data, dict) or data.get("schema") != 1:
        return []
    answers = data["answers"] if isinstance(data.get("answers"), list) else []
    sessions = data["sessions"] if isinstance(data.get("sessions"), list) else []
    good = [a for a in answers if isinstance(a, dict) and isinstance(a.get("question"), str)]
    old = {"answers": good, "sessions": [s for s in sessions if isinstance(s, dict)]}
    try:
        upgraded = upgrade(1, old, [])
    except (TypeError, ValueError, AttributeError):
        return []
    return [r for r in upgraded if rec.valid(r)]


def _state_is_sound(store: Store) -> bool:
    """Whether the state file reads as the current format. Newer progress is never touched;
    an older format is upgraded first, as any command would."""
    try:
        state = store.read_state()
    except DamagedProgress:
        return False
    if state is None:
        return False
    if state["schema"] < rec.FORMAT:
        try:
            store.make_current()
        except (DamagedProgress, TypeError, ValueError, AttributeError):
            return False  # its files are damaged: salvaged one by one below
    return True


def _salvage(path: Path) -> tuple[list[dict], int]:
    """Every record that reads back from a log (of format 2 or 3), and the lines that do not."""
    try:
        data = files.read_bytes(path) or b""
    except DamagedProgress:
        return [], 1  # not a file: moved aside before this is reached, or skipped
    lines = [line for line in data.split(b"\n") if line.strip()]
    found, old, bad = [], [], 0
    for line in lines:
        record = rec.parse(line)
        if record is not None:
            found.append(record)
            continue
        try:
            value = rec.loads(line)
        except ValueError:
            value = None
        if (
            isinstance(value, dict)
            and "kind" not in value
            and isinstance(value.get("question"), str)
        ):
            old.append(value)  # an answer of format 2
        else:
            bad += 1
    if old:
        try:
            upgraded = upgrade(2, None, old)
        except (TypeError, ValueError, AttributeError):
            upgraded = []
        bad += sum(not rec.valid(r) for r in upgraded)
        found += [r for r in upgraded if rec.valid(r)]
    return found, bad


def _format_2_answer(value) -> bool:
    return (
        isinstance(value, dict) and "kind" not in value and isinstance(value.get("question"), str)
    )


def _each_once(records: list[dict]) -> list[dict]:
    """Every record once, known by its session and its place in it."""
    return rec.in_session_order(records)


def _derived_disagrees(store: Store) -> bool:
    """A derived file that claims more of the log than there is (commands refuse on it)."""
    saved = store.read_derived()
    return saved is not None and saved["covers"] > files.size_of(store.log_path)


def _earliest(records: list[dict]) -> str | None:
    times = [r["at"] for r in records]
    return min(times) if times else None
