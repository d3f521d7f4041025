"""`plan`: the exam date, and how ready the candidate will be on it, per principle."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cps_drill import errors
from cps_drill.commands.context import Context
from cps_drill.commands.settings import (
    EXAM_DATE,
    EXTENDED_TIME,
    checked_extension,
    extended_time,
)
from cps_drill.commands.settings import exam_date as kept_exam_date
from cps_drill.deck.model import Deck
from cps_drill.progress import records as rec
from cps_drill.progress.derived import deck_view
from cps_drill.study import schedule

REVIEWS_TO_LEARN = 3  # reviews a question never seen usually needs to be held for weeks


@dataclass
class PlanResult:
    deck: Deck
    exam_date: str | None
    days_left: int | None
    overall: float  # predicted share right on the exam day (today, without a date)
    principles: dict[str, float]
    due: int  # questions due today
    per_day: int | None  # questions a day to reach TARGET by the date
    seen: int
    program: str
    changed: bool = False
    passed: str | None = None  # a kept exam date that has passed
    extended: float = 1.0  # the extended-time factor kept (1: none)
    extended_changed: bool = False

    def as_json(self) -> dict:
        return {
            "exam_date": self.exam_date,
            "days_left": self.days_left,
            "readiness": {
                "overall": round(self.overall, 4),
                "principles": {pid: round(v, 4) for pid, v in self.principles.items()},
            },
            "due": self.due,
            "per_day": self.per_day,
            "seen": self.seen,
            "questions": len(self.deck.questions),
            "extended_time": self.extended,
        }


def plan(
    ctx: Context, exam_date: str | None, content: Path | None, extended: float | None = None
) -> PlanResult:

    deck = ctx.deck(content)
    store = ctx.store()
    changed = extended_changed = False
    values: dict = {}
    if exam_date is not None:
        values[EXAM_DATE] = _valid_date(exam_date)
    if extended is not None:
        values[EXTENDED_TIME] = None if checked_extension(extended) == 1 else extended
    if values:
        store.save_settings(values, session=rec.new_session())
        changed = EXAM_DATE in values
        extended_changed = EXTENDED_TIME in values
    derived = store.derived()
    day = kept_exam_date(derived["settings"])
    now = schedule.now_utc()
    view = deck_view(derived, deck.id)
    from cps_drill.study.stats import outlook  # not needed for a drill's extended time

    o = outlook(deck.questions, view, day, now)
    days_left = schedule.days_between(now, schedule.exam_moment(day)) if day else None
    per_day = None
    if days_left:
        per_day = math.ceil((o.unlearned * REVIEWS_TO_LEARN + o.fading) / days_left)
    ordered = {pid: o.principles[pid] for pid in deck.principles if pid in o.principles}
    kept = derived["settings"].get(EXAM_DATE)
    passed = kept if isinstance(kept, str) and not day and kept[:4].isdigit() else None
    return PlanResult(
        deck,
        day,
        days_left,
        o.readiness,
        ordered,
        o.due,
        per_day,
        o.seen,
        ctx.program,
        changed,
        passed,
        extended_time(derived["settings"]),
        extended_changed,
    )


def _valid_date(text: str) -> str:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise errors.UsageError(
            f"'{text}' is not a date; give the exam date as YYYY-MM-DD, for example 2027-03-15."
        ) from None
    if day < date.today():
        raise errors.UsageError(
            f"{day.isoformat()} has passed; give the date of an exam still to come."
        )
    return day.isoformat()
