"""`plan`: the exam date, and how ready the candidate will be on it, per principle."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cps_drill import errors
from cps_drill.commands.context import Context
from cps_drill.commands.quiz import EXAM_DATE
from cps_drill.deck.model import Deck
from cps_drill.progress.derived import deck_view
from cps_drill.study import schedule
from cps_drill.study.choose import memory_of, principle_readiness

TARGET = 0.9  # the readiness to aim for on the exam day
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
        }


def plan(ctx: Context, exam_date: str | None, content: Path | None) -> PlanResult:
    deck = ctx.deck(content)
    store = ctx.store()
    changed = False
    if exam_date is not None:
        day = _valid_date(exam_date)
        session = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        store.save_settings({EXAM_DATE: day}, session=session)
        changed = True
    derived = store.derived()
    day = derived["settings"].get(EXAM_DATE)
    now = schedule.now_utc()
    when = schedule.exam_moment(day) if day else now
    view = deck_view(derived, deck.id)
    readiness = principle_readiness(deck.questions, view, when)
    chances = [schedule.chance_on(memory_of(view, q), when, len(q.options)) for q in deck.questions]
    overall = sum(chances) / len(chances) if chances else 0.0
    memories = [memory_of(view, q) for q in deck.questions]
    due = sum(1 for m in memories if m and schedule.due_at(m) <= now)
    seen = sum(1 for m in memories if m)
    days_left = schedule.days_between(now, when) if day else None
    per_day = None
    if days_left:
        work = sum(
            REVIEWS_TO_LEARN if m is None else 1
            for m, chance in zip(memories, chances, strict=True)
            if chance < TARGET
        )
        per_day = math.ceil(work / days_left)
    ordered = {pid: readiness[pid] for pid in deck.principles if pid in readiness}
    return PlanResult(
        deck, day, days_left, overall, ordered, due, per_day, seen, ctx.program, changed
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
