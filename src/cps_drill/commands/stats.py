"""`stats`: the candidate's figures for the current deck."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.commands.context import Context
from cps_drill.deck.load import content_folder, folder_deck_id, load_principles
from cps_drill.deck.model import Deck
from cps_drill.errors import ContentProblems
from cps_drill.progress.derived import deck_view
from cps_drill.study.stats import Outlook, Stats, compute, outlook


@dataclass
class StatsResult:
    stats: Stats
    deck: Deck
    program: str
    outlook: Outlook | None = None  # None when the deck's questions cannot be read
    exams: list[dict] = field(default_factory=list)  # past mock exams, oldest first

    def as_json(self) -> dict:
        extra = self.outlook.as_json() if self.outlook else {}
        return {"deck": self.deck.id, **self.stats.as_json(), **extra, "exams": self.exams}


def stats(ctx: Context, content: Path | None) -> StatsResult:
    from cps_drill.commands.settings import exam_date
    from cps_drill.study.schedule import now_utc

    folder = content_folder(content)
    try:
        deck = ctx.deck(content)
    except ContentProblems:
        try:
            deck = load_principles(folder)
        except ContentProblems:
            # Names are a nicety; the figures stand without them (under the folder's own id).
            deck = Deck(folder, {}, [], {}, folder_deck_id(folder))
    derived = ctx.store().derived()
    view = deck_view(derived, deck.id)
    figures = compute(view, list(deck.principles))
    future = None
    if deck.questions:
        exam = exam_date(derived["settings"])
        future = outlook(deck.questions, view, exam, now_utc())
    return StatsResult(figures, deck, ctx.program, future, past_exams(view))


def past_exams(view: dict) -> list[dict]:
    out = []
    for e in view.get("exams", []):
        n, right, mark = e["questions"], e["right"], e.get("mark")
        score = 100 * right / n if n else 0.0
        out.append(
            {
                "date": str(e.get("at", ""))[:10],
                "questions": n,
                "correct": right,
                "score": round(score, 2),
                "pass_mark": mark,
                "passed": None if mark is None else score >= mark,
            }
        )
    return out
