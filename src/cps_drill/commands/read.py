"""`read`: a study sheet. A principle's card and every one of its questions with the best answer
and why each option is or is not the best; or the whole bank, principle by principle. Shown on
the screen, or written as a Markdown page to keep or print.

Questions keep the deck's order: the questions of a case unfold in that order, and a number on
the sheet is the same on the screen and on paper. A principle's own questions come first, then
those filed under another principle that also test it. The whole bank lists each question once,
under the principle it is filed under, and names by number those that also test another one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.commands import outfile
from cps_drill.commands.context import Context
from cps_drill.deck.model import Case, Deck, Principle, Question


@dataclass
class Entry:
    """One question on the sheet."""

    number: int
    question: Question
    case: Case | None = None
    notes: tuple[str, ...] = ()  # its content notes, said before it
    filed_under: Principle | None = None  # set when it is filed under another principle


@dataclass
class Section:
    """A principle's card and its questions."""

    principle: Principle
    entries: list[Entry]
    also: list[int] = field(default_factory=list)  # whole bank: numbers filed elsewhere


@dataclass
class ReadResult:
    deck: Deck
    sections: list[Section]
    whole: bool  # every principle, not one
    program: str
    left_out: int = 0  # questions with a content note, left out by the candidate's setting
    written: Path | None = None  # the Markdown file written, if one was asked for

    @property
    def count(self) -> int:
        return sum(len(s.entries) for s in self.sections)

    @property
    def title(self) -> str:
        return "every principle" if self.whole else self.sections[0].principle.name


def read(
    ctx: Context, principle: str | None, markdown: Path | None, content: Path | None
) -> ReadResult:
    deck = ctx.deck(content)
    hide = _hiding_notes(ctx)
    if principle is not None:
        chosen = deck.resolve_principle(principle)
        pool = deck.questions_for(chosen.id)
        kept = [q for q in pool if not (hide and deck.notes_of(q))]
        ordered = [q for q in kept if q.principle == chosen.id]
        ordered += [q for q in kept if q.principle != chosen.id]
        entries = [_entry(deck, n, q, chosen.id) for n, q in enumerate(ordered, 1)]
        sections = [Section(chosen, entries)]
        left_out = len(pool) - len(kept)
    else:
        sections, left_out = _whole_bank(deck, hide)
    result = ReadResult(deck, sections, principle is None, ctx.program, left_out)
    if markdown is not None:
        from cps_drill.screen.markdown import study_sheet

        write_sheet(markdown, study_sheet(result))
        result.written = markdown
    return result


def _whole_bank(deck: Deck, hide: bool) -> tuple[list[Section], int]:
    kept = [q for q in deck.questions if not (hide and deck.notes_of(q))]
    filed: dict[str, list[Question]] = {pid: [] for pid in deck.principles}
    for q in kept:
        filed.setdefault(q.principle, []).append(q)
    numbers: dict[str, int] = {}
    sections = []
    for pid, principle in deck.principles.items():
        entries = []
        for q in filed[pid]:
            numbers[q.id] = len(numbers) + 1
            entries.append(_entry(deck, numbers[q.id], q, pid))
        sections.append(Section(principle, entries))
    for section in sections:
        pid = section.principle.id
        section.also = [numbers[q.id] for q in kept if pid in q.also and q.id in numbers]
    return sections, len(deck.questions) - len(kept)


def _entry(deck: Deck, number: int, q: Question, pid: str) -> Entry:
    elsewhere = deck.principles.get(q.principle) if q.principle != pid else None
    return Entry(number, q, deck.cases.get(q.case or ""), deck.notes_of(q), elsewhere)


def _hiding_notes(ctx: Context) -> bool:
    """The candidate's setting leaves questions with a content note out of what they read."""
    from cps_drill.commands.settings import current

    return current(ctx)["content-notes"] == "hide"


def write_sheet(path: Path, text: str) -> None:
    """Write the sheet in one step, so that a sheet already there is never left half written."""
    outfile.check(path, "study-sheet.md")
    outfile.write(path, lambda out: out.write(text.encode("utf-8")))
