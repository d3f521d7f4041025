"""A cache of checked decks, so that a deck checked once starts the next drill at once.

An entry is a JSON file (never pickle: nothing read from the progress folder can run code). It
holds what the deck depended on, then the deck: the deck files' sizes, times and contents, and the
loader's own code. A quick look at sizes and times tells a changed deck without reading it; when
they match, the contents decide (a copy that keeps the times, such as cp -p, cannot hide an
edit). Only decks that passed every check are kept; an entry that cannot be read, or is not the
owner's own, is a miss; one that cannot be written is skipped. `save()` writes what this run
checked, at the end of a command, never before the first question.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zlib
from pathlib import Path

from cps_drill.deck.load import FILES, GLOSSARY_FILE, load_deck
from cps_drill.deck.model import Case, Deck, Option, Principle, Question, Source, Term

LOADER = ("model.py", "load.py", "schema.py", "yamlfile.py", "text.py", "cache.py", "cues.py")
FORMAT = 3
_pending: list[tuple[Path, Path, list, Deck]] = []


def load(folder: Path, cache_dir: Path | None) -> Deck:
    """The checked deck in `folder`, from the cache when nothing it depends on has changed."""
    if cache_dir is None:
        return load_deck(folder)
    name = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    path = cache_dir / f"deck-{name[:16]}.json"
    quick = _quick_key(folder)
    if quick is not None:
        deck = _read(path, folder, quick)
        if deck is not None:
            return deck
    deck = load_deck(folder)
    if quick is not None:
        _pending.append((path, folder, quick, deck))
    return deck


def pending() -> bool:
    return bool(_pending)


def save(write) -> None:
    """Write the decks checked in this run with `write(path, data)` (an atomic, private write
    into the progress folder). Called at the end of a command."""
    while _pending:
        path, folder, quick, deck = _pending.pop()
        if _quick_key(folder) != quick:  # edited while this ran
            continue
        entry = {"key": [*quick, _contents(folder)], "deck": _to_json(deck)}
        write(path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode())


def _read(path: Path, folder: Path, quick: list) -> Deck | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    from cps_drill.gcpause import paused

    try:
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None  # planted by someone else: not trusted, whatever it holds
            if not stat.S_ISREG(info.st_mode):
                return None
            raw = f.read()
        with paused():
            entry = json.loads(raw)
            if entry["key"] != [*quick, _contents(folder)]:
                return None
            return _from_json(entry["deck"], folder)
    except Exception:  # a stale, damaged or odd entry is only a miss
        return None


def _quick_key(folder: Path) -> list | None:
    from cps_drill import __version__

    code = Path(__file__).parent
    try:
        stats = [(folder / name).stat() for name in FILES]
        loader = zlib.crc32(b"".join((code / name).read_bytes() for name in LOADER))
        glossary = folder / GLOSSARY_FILE
        extra = glossary.stat() if os.path.lexists(glossary) else None
    except OSError:
        return None
    sizes: list[list[int] | None] = [[s.st_size, s.st_mtime_ns] for s in stats]
    sizes.append([extra.st_size, extra.st_mtime_ns] if extra else None)
    return [__version__, FORMAT, loader, *sizes]


def _contents(folder: Path) -> list:
    names = [*FILES, GLOSSARY_FILE] if (folder / GLOSSARY_FILE).exists() else FILES
    return [zlib.crc32((folder / name).read_bytes()) for name in names]


def _to_json(deck: Deck) -> dict:
    return {
        "id": deck.id,
        "principles": [
            [p.id, p.name, p.summary, list(p.key_points), list(p.sources)]
            for p in deck.principles.values()
        ],
        "sources": [[s.key, s.title, s.url] for s in deck.sources.values()],
        "questions": [
            [
                q.id,
                q.principle,
                q.question,
                [[o.text, o.correct, o.why] for o in q.options],
                list(q.also),
                q.difficulty,
                q.scenario,
                q.explanation,
                q.source,
                q.fingerprint,
                q.case,
                list(q.content_notes),
            ]
            for q in deck.questions
        ],
        "cases": [[k.id, k.title, k.situation, list(k.content_notes)] for k in deck.cases.values()],
        "glossary": [
            [t.term, t.definition, t.name, list(t.also), t.source] for t in deck.glossary.values()
        ],
    }


_new = object.__new__


def _frozen(cls, fields: dict):
    """A frozen dataclass made from every one of its fields at once: what its __init__ does,
    without one object.__setattr__ a field (10,000 questions read in half the time). A test
    holds a deck read back from the cache equal to the deck the loader made."""
    made = _new(cls)
    made.__dict__.update(fields)
    return made


def _from_json(data: dict, folder: Path) -> Deck:
    principles = {
        pid: Principle(pid, name, summary, tuple(points), tuple(sources))
        for pid, name, summary, points, sources in data["principles"]
    }
    sources = {key: Source(key, title, url) for key, title, url in data["sources"]}
    questions = [
        _frozen(
            Question,
            {
                "id": qid,
                "principle": principle,
                "question": text,
                "options": tuple(
                    _frozen(Option, {"text": t, "correct": c, "why": w}) for t, c, w in options
                ),
                "also": tuple(also),
                "difficulty": difficulty,
                "scenario": scenario,
                "explanation": explanation,
                "source": source,
                "fingerprint": fingerprint,
                "case": case,
                "content_notes": tuple(notes),
            },
        )
        for (
            qid,
            principle,
            text,
            options,
            also,
            difficulty,
            scenario,
            explanation,
            source,
            fingerprint,
            case,
            notes,
        ) in data["questions"]
    ]
    cases = {
        cid: Case(cid, title, situation, tuple(notes))
        for cid, title, situation, notes in data["cases"]
    }
    glossary = {
        term.lower(): Term(term, definition, name, tuple(also), source)
        for term, definition, name, also, source in data["glossary"]
    }
    return Deck(folder, principles, questions, sources, data["id"], cases, glossary)
