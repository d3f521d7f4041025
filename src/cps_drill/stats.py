"""Figures from the progress file: answered, right and accuracy, overall and per principle."""

from __future__ import annotations

from dataclasses import dataclass, field

from cps_drill.session import RIGHT, Tally

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
            "accuracy": round(self.overall.accuracy, 4),
            "principles": {
                pid: {
                    "answered": t.answered,
                    "correct": t.right,
                    "accuracy": round(t.accuracy, 4),
                }
                for pid, t in self.principles.items()
            },
            "sessions": self.sessions,
        }


def compute(progress: dict, principle_ids: list[str] | None = None) -> Stats:
    """Tally every answer; principles in the deck come first, in deck order, even if unseen."""
    overall = Tally()
    principles: dict[str, Tally] = {pid: Tally() for pid in principle_ids or []}
    for answer in progress["answers"]:
        right = answer.get("outcome") == RIGHT
        overall.add(right)
        principles.setdefault(str(answer.get("principle")), Tally()).add(right)
    from cps_drill.store import sessions_of

    recent = sessions_of(progress["answers"])[-RECENT_SESSIONS:]
    return Stats(overall, principles, list(reversed(recent)))


def last_outcomes(progress: dict, fingerprints: dict[str, str] | None = None) -> dict[str, str]:
    """The most recent outcome of each question id, for choosing what to ask next.

    Answers given when a question had other options or another key (another fingerprint) do
    not count: that question's schedule starts again. They stay in the history all the same.
    """
    fingerprints = fingerprints or {}
    last: dict[str, str] = {}
    for a in progress["answers"]:
        qid, fingerprint = a.get("question"), a.get("fingerprint")
        current = fingerprints.get(qid)
        if fingerprint and current and fingerprint != current:
            continue
        last[qid] = a.get("outcome")
    return last
