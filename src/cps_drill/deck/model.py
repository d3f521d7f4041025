"""What a deck is: principles, sources and questions, as plain frozen data.

Loading and checking a deck is `deck.load`; this module only holds its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.errors import UsageError

BUNDLED_DECK_ID = "ma-cps"  # the deck that ships with cps-drill; its history is kept under it
# Subjects that a question may carry a content note for (README: "Content notes").
CONTENT_NOTES = (
    "suicide",
    "self-harm",
    "abuse",
    "sexual-violence",
    "overdose",
    "restraint",
    "violence",
)
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
class Term:
    """A glossary entry: a term or acronym a candidate meets, and what it means."""

    term: str
    definition: str
    name: str | None = None  # the expansion of an acronym
    also: tuple[str, ...] = ()  # other forms of it that appear in text
    source: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *((self.name,) if self.name else ()), *self.also)


@dataclass(frozen=True)
class Case:
    """A situation that unfolds over several questions, each asked with it."""

    id: str
    title: str
    situation: str
    content_notes: tuple[str, ...] = ()


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
    case: str | None = None  # the id of the case it belongs to
    content_notes: tuple[str, ...] = ()  # from CONTENT_NOTES

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
    id: str = BUNDLED_DECK_ID  # progress is kept per deck, under this id
    cases: dict[str, Case] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)  # by term

    def terms_in(self, question: Question) -> list[Term]:
        """The glossary terms a question uses, in glossary order."""
        if not self.glossary:
            return []
        case = self.cases.get(question.case or "")
        text = " ".join(
            [
                case.situation if case else "",
                question.scenario or "",
                question.question,
                *(o.text for o in question.options),
                question.explanation or "",
            ]
        )
        return [t for t in self.glossary.values() if any(_mentions(text, f) for f in t.forms)]

    def find_term(self, wanted: str) -> list[Term]:
        """Glossary entries for a word: the term, its expansion or another form, or the start
        of one; case does not matter."""
        word = " ".join(wanted.lower().split())
        exact = [t for t in self.glossary.values() if word in (f.lower() for f in t.forms)]
        if exact:
            return exact
        return [
            t for t in self.glossary.values() if any(f.lower().startswith(word) for f in t.forms)
        ]

    def notes_of(self, question: Question) -> tuple[str, ...]:
        """A question's content notes, with its case's."""
        case = self.cases.get(question.case or "")
        extra = case.content_notes if case else ()
        return tuple(dict.fromkeys((*question.content_notes, *extra)))

    def questions_for(self, principle_id: str) -> list[Question]:
        return [q for q in self.questions if principle_id in q.principles]

    def questions_on(self, principle_ids: set[str]) -> list[Question]:
        """The questions on any of these principles (filed under one or listing it in
        `also`), in the deck's order; every question when none is named."""
        return [q for q in self.questions if not principle_ids or principle_ids & set(q.principles)]

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


def _mentions(text: str, form: str) -> bool:
    """`form` stands in `text` as a word of its own (an acronym in capitals as written)."""
    flags = 0 if form.isupper() else re.IGNORECASE
    return re.search(rf"(?<![\w-]){re.escape(form)}(?!\w)", text, flags) is not None


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
