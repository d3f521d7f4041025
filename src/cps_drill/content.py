"""The content of a deck: principles, sources and questions, checked against the format.

`load_deck(folder)` returns a `Deck` or raises `ContentProblems` listing every problem found,
each as FILE:LINE: message. The format is documented in the README.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.errors import ContentError, ContentProblems, UsageError

PRINCIPLES_FILE = "principles.yaml"
SCENARIOS_FILE = "scenarios.yaml"
SLUG = re.compile(r"[a-z][a-z0-9-]*\Z")
MIN_OPTIONS, MAX_OPTIONS = 2, 6


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    summary: str
    key_points: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False
    why: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    principle: str
    question: str
    options: tuple[Option, ...]
    also: tuple[str, ...] = ()
    difficulty: int | None = None
    scenario: str | None = None
    explanation: str | None = None
    source: str | None = None
    fingerprint: str = ""  # see fingerprint(); set by the loader

    @property
    def correct_index(self) -> int:
        return next(i for i, option in enumerate(self.options) if option.correct)

    @property
    def principles(self) -> tuple[str, ...]:
        return (self.principle, *self.also)


@dataclass
class Deck:
    folder: Path
    principles: dict[str, Principle]
    questions: list[Question]
    sources: dict[str, Source] = field(default_factory=dict)

    def questions_for(self, principle_id: str) -> list[Question]:
        return [q for q in self.questions if principle_id in q.principles]

    def resolve_principle(self, name: str) -> Principle:
        """Find a principle by its id or name, or the start of either, forgiving case."""
        wanted = name.strip().lower()
        if wanted in self.principles:
            return self.principles[wanted]
        exact = [p for p in self.principles.values() if p.name.lower() == wanted]
        matches = exact or [
            p
            for p in self.principles.values()
            if p.id.startswith(wanted) or p.name.lower().startswith(wanted)
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = "; ".join(f"{p.id} ({p.name})" for p in matches)
            raise UsageError(f"'{name}' could mean {listed}. Type more of the name.")
        known = ", ".join(self.principles)
        hint = did_you_mean(wanted, list(self.principles))
        raise UsageError(f"no principle called '{name}'.{hint} Known principles: {known}.")


def fingerprint(options: tuple[Option, ...]) -> str:
    """Changes when the options or the key change: that question's schedule then starts again.

    Option texts come folded (one space between words) from the loader.
    """
    import zlib

    key = next(i for i, option in enumerate(options) if option.correct)
    texts = "\0".join([str(key), *(option.text.lower() for option in options)])
    return format(zlib.crc32(texts.encode()), "08x")


def did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def bundled_folder() -> Path:
    """The deck that ships with the tool: inside the wheel, or at the repository root."""
    packaged = Path(__file__).parent / "content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"


def content_folder(option: str | os.PathLike | None) -> Path:
    return Path(option) if option else bundled_folder()


def load_deck(folder: Path) -> Deck:
    """Load and check a content folder; raise ContentProblems listing every problem."""
    from cps_drill.gcpause import paused

    with paused():
        return _load_deck(folder)


def _load_deck(folder: Path) -> Deck:
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "content folder not found"
        raise ContentProblems([ContentError(str(folder), None, what)], folder)
    from cps_drill.schema import Checker

    checker = Checker()
    principles_path = folder / PRINCIPLES_FILE
    scenarios_path = folder / SCENARIOS_FILE
    principles, sources = checker.principles_file(principles_path, str(principles_path))
    questions = _questions(checker, scenarios_path, principles, sources)
    if checker.problems:
        raise ContentProblems(sorted(checker.problems, key=_problem_order), folder)
    return Deck(folder, principles, questions, sources)


def _questions(checker, path: Path, principles, sources) -> list[Question]:
    from cps_drill import bigdeck
    from cps_drill.yamlfile import read_text

    label = str(path)
    can_resolve = not checker.problems  # references to a broken principles file are noise
    try:
        text = read_text(path, label)
    except ContentError as exc:
        checker.problems.append(exc)
        return []
    parts = bigdeck.check_in_two(text, label, principles, sources, can_resolve)
    if parts is not None:
        questions, problems = parts
        checker.problems.extend(problems)
        return questions
    questions, _ids = checker.scenarios_text(text, label, principles, sources, can_resolve)
    return questions


def load_principles(folder: Path) -> Deck:
    """Only the principles and sources (no questions): enough to name things, and fast."""
    from cps_drill.schema import Checker

    checker = Checker()
    path = folder / PRINCIPLES_FILE
    principles, sources = checker.principles_file(path, str(path))
    if checker.problems:
        raise ContentProblems(sorted(checker.problems, key=_problem_order))
    return Deck(folder, principles, [], sources)


def _problem_order(problem: ContentError) -> tuple[str, int]:
    return (problem.path, problem.line or 0)
