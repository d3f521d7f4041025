"""Figures from a deck's history: answered, right and accuracy, overall and per principle."""

from __future__ import annotations

from dataclasses import dataclass, field

from cps_drill.study.session import Tally

RECENT_SESSIONS = 5


@dataclass
class Stats:
    overall: Tally
    principles: dict[str, Tally]
    sessions: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "answered": self.overall.answered,
            "correct": self.overall.right,
            "accuracy": _accuracy(self.overall),
            "principles": {
                pid: {
                    "answered": t.answered,
                    "correct": t.right,
                    "accuracy": _accuracy(t),
                }
                for pid, t in self.principles.items()
            },
            "sessions": [
                {
                    "id": s.get("id"),
                    "command": s.get("command"),
                    "started": s.get("started"),  # the time of its first answer
                    "ended": s.get("ended"),
                    "answered": s.get("answered", 0),
                    "correct": s.get("right", 0),
                }
                for s in self.sessions
            ],
        }


def _accuracy(tally: Tally) -> float | None:
    """Share right, or None (null in JSON) when nothing was answered."""
    return round(tally.accuracy, 4) if tally.answered else None


def compute(totals: dict, principle_ids: list[str] | None = None) -> Stats:
    """Figures from running totals; principles in the deck come first, in deck order."""
    principles: dict[str, Tally] = {pid: Tally() for pid in principle_ids or []}
    for pid, (answered, right, *_seconds) in totals["principles"].items():
        principles[pid] = Tally(answered, right)
    overall = Tally(totals["answered"], totals["right"])
    recent = totals["sessions"][-RECENT_SESSIONS:]
    return Stats(overall, principles, list(reversed(recent)))


@dataclass
class Outlook:
    """What the history says about the exam: readiness, what is due, the habit of study."""

    readiness: float  # predicted share right on the exam day (today, without a date)
    principles: dict[str, float]  # the same per principle
    exam_date: str | None
    due: int  # questions due now
    seen: int  # questions of the bank studied at least once
    bank: int
    streak_days: int  # days in a row with an answer, up to today (or yesterday)
    days: dict[str, int]  # the last CALENDAR_DAYS days (YYYY-MM-DD, UTC) -> answers given
    seconds: dict[str, float]  # average seconds an answer, per principle
    accuracy: list[float]  # share right in each of the recent sessions, oldest first
    unlearned: int = 0  # questions never studied, all below TARGET on the day
    fading: int = 0  # questions studied whose chance on the day is below TARGET

    def as_json(self) -> dict:
        return {
            "readiness": {
                "overall": round(self.readiness, 4),
                "principles": {pid: round(v, 4) for pid, v in self.principles.items()},
            },
            "exam_date": self.exam_date,
            "due": self.due,
            "seen": self.seen,
            "bank": self.bank,
            "streak_days": self.streak_days,
            "days": self.days,
            "average_seconds": {pid: round(v, 1) for pid, v in self.seconds.items()},
            "session_accuracy": [round(a, 4) for a in self.accuracy],
        }


CALENDAR_DAYS = 84  # twelve weeks
TARGET = 0.9  # the readiness to aim for on the exam day


def outlook(questions, view: dict, exam_date: str | None, now) -> Outlook:
    """Readiness on the exam day (or today), what is due, and the study habit, from a deck's
    history (`view`, progress.derived.deck_view)."""
    from datetime import timedelta

    from cps_drill.study import schedule
    from cps_drill.study.choose import memory_of

    when = schedule.exam_moment(exam_date) if exam_date else now
    memories = [memory_of(view, q) for q in questions]
    chances = [
        schedule.chance_on(m, when, len(q.options))
        for m, q in zip(memories, questions, strict=True)
    ]
    seen_ids = set(view["last"])
    days = view.get("days", {})
    today = now.date()
    streak = 0
    day = today if days.get(today.isoformat()) else today - timedelta(days=1)
    while days.get(day.isoformat()):
        streak += 1
        day -= timedelta(days=1)
    recent = {
        (today - timedelta(days=n)).isoformat(): days.get(
            (today - timedelta(days=n)).isoformat(), 0
        )
        for n in range(CALENDAR_DAYS - 1, -1, -1)
    }
    seconds = {
        pid: tally[2] / tally[0]
        for pid, tally in view["principles"].items()
        if len(tally) > 2 and tally[0]
    }
    accuracy = [s["right"] / s["answered"] for s in view["sessions"] if s.get("answered")]
    by_principle: dict[str, list[float]] = {}
    for q, chance in zip(questions, chances, strict=True):
        by_principle.setdefault(q.principle, []).append(chance)
    return Outlook(
        readiness=sum(chances) / len(chances) if chances else 0.0,
        principles={pid: sum(v) / len(v) for pid, v in by_principle.items()},
        exam_date=exam_date,
        due=sum(1 for m in memories if m and schedule.due_at(m) <= now),
        seen=sum(1 for q in questions if q.id in seen_ids),
        bank=len(questions),
        streak_days=streak,
        days=recent,
        seconds=seconds,
        accuracy=accuracy[-RECENT_SESSIONS * 2 :],
        unlearned=sum(1 for m in memories if m is None),
        fading=sum(
            1 for m, c in zip(memories, chances, strict=True) if m is not None and c < TARGET
        ),
    )
