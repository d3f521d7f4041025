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
