"""Load a deck folder and check it against the format.

`load_deck(folder)` returns a `Deck` or raises `ContentProblems` listing every problem found,
each as FILE:LINE: message. The format is documented in the README.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from cps_drill.deck.model import BUNDLED_DECK_ID, Deck
from cps_drill.errors import ContentError, ContentProblems

PRINCIPLES_FILE = "principles.yaml"
SCENARIOS_FILE = "scenarios.yaml"
GLOSSARY_FILE = "glossary.yaml"  # optional
FILES = (PRINCIPLES_FILE, SCENARIOS_FILE)


def bundled_folder() -> Path:
    """The deck that ships with the tool: inside the wheel, or at the repository root."""
    packaged = Path(__file__).parent.parent / "content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "content"


def content_folder(option: str | os.PathLike | None) -> Path:
    return Path(option) if option else bundled_folder()


def is_bundled(folder: Path) -> bool:
    try:
        return folder.resolve() == bundled_folder().resolve()
    except OSError:
        return False


def folder_deck_id(folder: Path) -> str:
    """A stable id for a deck without a `deck:` key: its folder's name and a hash of its path."""
    if is_bundled(folder):
        return BUNDLED_DECK_ID
    try:
        where = str(folder.resolve())
    except OSError:
        where = os.path.abspath(folder)
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    name = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")[:24] or "deck"
    if not name[0].isalpha():
        name = "deck-" + name
    return f"{name}-{digest}"


def load_deck(folder: Path) -> Deck:
    """Load and check a content folder; raise ContentProblems listing every problem."""
    from cps_drill.gcpause import paused

    with paused():
        return _load_deck(folder, with_questions=True)


def load_principles(folder: Path) -> Deck:
    """Only the principles and sources (no questions): enough to name things, and fast."""
    return _load_deck(folder, with_questions=False)


def _load_deck(folder: Path, with_questions: bool) -> Deck:
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "content folder not found"
        raise ContentProblems([ContentError(str(folder), None, what)], folder)
    from cps_drill.deck.schema import Checker

    checker = Checker()
    principles_path = folder / PRINCIPLES_FILE
    principles, sources, deck_id = checker.principles_file(principles_path, str(principles_path))
    questions = []
    glossary = {}
    if with_questions:
        scenarios_path = folder / SCENARIOS_FILE
        questions = checker.scenarios_file(scenarios_path, str(scenarios_path), principles, sources)
        glossary_path = folder / GLOSSARY_FILE
        if os.path.lexists(glossary_path):
            glossary = checker.glossary_file(glossary_path, str(glossary_path), sources)
    if checker.problems:
        raise ContentProblems(sorted(checker.problems, key=_problem_order), folder)
    deck_id = deck_id or folder_deck_id(folder)
    return Deck(folder, principles, questions, sources, deck_id, checker.cases, glossary)


def _problem_order(problem: ContentError) -> tuple[str, int]:
    return (problem.path, problem.line or 0)
