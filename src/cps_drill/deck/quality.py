"""Quality signals for any deck: the figures a trainer and we both look at."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cps_drill.deck import cues
from cps_drill.deck.cues import Cue
from cps_drill.deck.model import Deck


@dataclass
class Quality:
    questions: int
    per_principle: dict[str, int]  # filed under the principle (its `principle:`)
    per_difficulty: dict[str, int]  # "1", "2", "3", "unset"
    option_counts: dict[int, int]
    scenarios: int
    multi_option: int  # questions with 3 or more options
    longest_correct: int  # of those, the correct option is the single longest
    shortest_correct: int  # of those, the correct option is the single shortest
    missing_why: list[str] = field(default_factory=list)
    missing_source: list[str] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)  # test-wise heuristics against chance
    cases: int = 0
    content_notes: int = 0  # questions that carry a content note (their own or their case's)

    @property
    def scenario_share(self) -> float:
        return self.scenarios / self.questions if self.questions else 0.0

    @property
    def longest_correct_rate(self) -> float:
        return self.longest_correct / self.multi_option if self.multi_option else 0.0

    @property
    def shortest_correct_rate(self) -> float:
        return self.shortest_correct / self.multi_option if self.multi_option else 0.0

    def as_json(self) -> dict:
        return {
            "questions": self.questions,
            "per_principle": self.per_principle,
            "per_difficulty": self.per_difficulty,
            "option_counts": {str(k): v for k, v in sorted(self.option_counts.items())},
            "scenario_share": round(self.scenario_share, 4),
            "longest_option_correct_rate": round(self.longest_correct_rate, 4),
            "shortest_option_correct_rate": round(self.shortest_correct_rate, 4),
            "missing_why": self.missing_why,
            "missing_source": self.missing_source,
            "cases": self.cases,
            "content_notes": self.content_notes,
            "cues": [cue.as_json() for cue in self.cues],
        }


def measure(deck: Deck) -> Quality:
    per_principle = {pid: 0 for pid in deck.principles}
    difficulty: Counter[str] = Counter()
    options: Counter[int] = Counter()
    scenarios = multi = longest = shortest = 0
    missing_why, missing_source = [], []
    for q in deck.questions:
        per_principle[q.principle] = per_principle.get(q.principle, 0) + 1
        difficulty[str(q.difficulty) if q.difficulty else "unset"] += 1
        options[len(q.options)] += 1
        scenarios += bool(q.scenario)
        if len(q.options) >= 3:
            multi += 1
            lengths = [len(o.text) for o in q.options]
            mine = lengths[q.correct_index]
            single = lengths.count(mine) == 1
            longest += single and mine == max(lengths)
            shortest += single and mine == min(lengths)
        if any(not o.why for o in q.options):
            missing_why.append(q.id)
        if not q.source:
            missing_source.append(q.id)
    per_difficulty = {k: difficulty[k] for k in ("1", "2", "3", "unset") if difficulty[k]}
    return Quality(
        questions=len(deck.questions),
        per_principle=per_principle,
        per_difficulty=per_difficulty,
        option_counts=dict(options),
        scenarios=scenarios,
        multi_option=multi,
        longest_correct=longest,
        shortest_correct=shortest,
        missing_why=missing_why,
        missing_source=missing_source,
        cues=cues.measure(deck),
        cases=len(deck.cases),
        content_notes=sum(bool(deck.notes_of(q)) for q in deck.questions),
    )
