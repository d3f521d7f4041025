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
    from collections import Counter

    from cps_drill.store import sessions_of

    answers = progress["answers"]
    counts = Counter(
        zip(
            [str(a.get("principle")) for a in answers],
            [a.get("outcome") == RIGHT for a in answers],
            strict=True,
        )
    )
    principles: dict[str, Tally] = {pid: Tally() for pid in principle_ids or []}
    for (pid, right), n in counts.items():
        tally = principles.setdefault(pid, Tally())
        tally.answered += n
        tally.right += n if right else 0
    overall = Tally(len(answers), sum(n for (_, right), n in counts.items() if right))
    return Stats(overall, principles, list(reversed(sessions_of(_tail(answers)))))


def _tail(answers: list[dict]) -> list[dict]:
    """The answers of the most recent sessions: back from the end to an older session."""
    seen: set = set()
    for start in range(len(answers) - 1, -1, -1):
        seen.add(answers[start].get("session"))
        if len(seen) > RECENT_SESSIONS:
            return answers[start + 1 :]
    return answers


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
