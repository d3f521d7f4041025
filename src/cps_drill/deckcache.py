"""A cache of checked decks, so that a deck checked once starts the next drill at once.

An entry holds two pickles: first what the deck depended on, then the deck. What it depends on
is the deck files' sizes, times and contents, and the loader's own code: a quick look at sizes
and times tells a changed deck without reading it, and when they match the contents decide (a
copy that keeps the times, such as cp -p or an unzip, cannot hide an edit). Only decks that
passed every check are kept; an entry that cannot be read is a miss, and one that cannot be
written is skipped. Entries are written at exit, never before the first question.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from pathlib import Path

from cps_drill.content import PRINCIPLES_FILE, SCENARIOS_FILE, Deck, load_deck

FILES = (PRINCIPLES_FILE, SCENARIOS_FILE)
LOADER = ("content.py", "schema.py", "yamlfile.py", "blockyaml.py", "bigdeck.py")
_pending: list[tuple[Path, Path, tuple, Deck]] = []


def load(folder: Path, cache_dir: Path | None) -> Deck:
    """The checked deck in `folder`, from the cache when nothing it depends on has changed."""
    if cache_dir is None:
        return load_deck(folder)
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    path = cache_dir / f"deck-{name}.pickle"
    quick = _quick_key(folder)
    if quick is not None:
        try:
            with open(path, "rb") as entry:
                if pickle.load(entry) == (quick, _contents(folder)):
                    return pickle.load(entry)
        except Exception:  # a missing, stale or damaged entry is only a miss
            pass
    deck = load_deck(folder)
    if quick is not None:
        if not _pending:
            import atexit

            atexit.register(save_pending)
        _pending.append((path, folder, quick, deck))
    return deck


def save_pending() -> None:
    """Write the decks checked in this run (done at exit)."""
    while _pending:
        path, folder, quick, deck = _pending.pop()
        if _quick_key(folder) == quick:  # not edited while this ran
            _write(path, pickle.dumps((quick, _contents(folder))), pickle.dumps(deck, 5))


def _quick_key(folder: Path) -> tuple | None:
    from cps_drill import __version__

    code = Path(__file__).parent
    try:
        stats = [(folder / name).stat() for name in FILES]
        loader = zlib.crc32(b"".join((code / name).read_bytes() for name in LOADER))
    except OSError:
        return None
    return (__version__, loader, *((s.st_size, s.st_mtime_ns) for s in stats))


def _contents(folder: Path) -> tuple:
    return tuple(zlib.crc32((folder / name).read_bytes()) for name in FILES)


def _write(path: Path, key: bytes, deck: bytes) -> None:
    import tempfile

    try:
        path.parent.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the progress folder
        path.parent.mkdir(exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as entry:
            entry.write(key + deck)
        os.replace(tmp, path)
    except OSError:
        pass
