"""The mock exam: which questions, the attempt as it stands, and the score.

The real exam's length, time limit and passing score are not published; the defaults here are
practice defaults, and each is an option of `cps-drill exam`.

An attempt is plain data (`Attempt.as_json`, `Attempt.from_json`), saved after every action, so
that `exam --resume` continues with the same questions in the same order, the same letters,
the answers and flags given and the time that remained.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from cps_drill.deck.model import Deck, Question

# How a sitting ends, besides the drill's INTERRUPTED, SIGNALLED, GONE and SAVE_FAILED.
SUBMITTED, KEPT = "submitted", "kept"

QUESTIONS = 50  # practice defaults, not the real exam's
MINUTES = 75
PASS_MARK = 70  # percent
LONGEST_EXTENSION = 3.0  # --extended-time: a factor from 1 to this


def draw(pool: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """`count` different questions across the principles in proportion to the bank (largest
    remainders), every principle present when `count` allows, interleaved."""
    groups: dict[str, list[Question]] = {}
    for q in pool:
        groups.setdefault(q.principle, []).append(q)
    count = min(count, len(pool))
    share = {pid: count * len(qs) / len(pool) for pid, qs in groups.items()}
    take = {pid: math.floor(s) for pid, s in share.items()}
    if count >= len(groups):
        for pid in groups:
            take[pid] = max(1, take[pid])
    order = sorted(groups, key=lambda pid: (take[pid] - share[pid], rng.random()))
    while sum(take.values()) > count:  # the floor of one each took too many: the largest give
        pid = max(take, key=lambda p: (take[p] - share[p], rng.random()))
        take[pid] -= 1
    for pid in order:  # the largest remainders get one more each, while there is room
        if sum(take.values()) >= count:
            break
        if take[pid] < len(groups[pid]):
            take[pid] += 1
    chosen: list[Question] = []
    for pid, qs in groups.items():
        chosen += rng.sample(qs, min(take[pid], len(qs)))
    rng.shuffle(chosen)
    from cps_drill.study.choose import interleave

    return interleave(chosen)


@dataclass
class Attempt:
    """One exam as it stands. `orders[i][k]` is the YAML index of the option at letter k of
    question i; `answers[i]` the letter index chosen."""

    id: str
    deck: str
    questions: list[str]
    fingerprints: list[str]
    orders: list[list[int]]
    limit: float  # seconds for the whole exam
    pass_mark: float
    started: str
    content: str | None = None  # the deck's folder, when not the bundled one
    extended: float = 1.0
    used: float = 0.0  # seconds spent while the program ran
    position: int = 0
    answers: dict[int, int] = field(default_factory=dict)
    flags: set[int] = field(default_factory=set)
    spent: dict[int, float] = field(default_factory=dict)  # seconds on each question
    submitted: bool = False

    @property
    def total(self) -> int:
        return len(self.questions)

    def left(self) -> float:
        return max(0.0, self.limit - self.used)

    def unanswered(self) -> list[int]:
        return [i for i in range(self.total) if i not in self.answers]

    def answer(self, choice: int) -> None:
        self.answers[self.position] = choice

    def toggle_flag(self) -> bool:
        """Flag the current question, or unflag it; True when it is now flagged."""
        if self.position in self.flags:
            self.flags.discard(self.position)
            return False
        self.flags.add(self.position)
        return True

    def move(self, step: int) -> None:
        self.position = min(self.total - 1, max(0, self.position + step))

    def next_of(self, wanted: Sequence[int]) -> int | None:
        """The first of `wanted` after the current question, going round; None if none."""
        after = [i for i in wanted if i > self.position] + [i for i in wanted if i < self.position]
        return after[0] if after else None

    def as_json(self) -> dict:
        return {
            "kind": "exam-attempt",
            "id": self.id,
            "deck": self.deck,
            "content": self.content,
            "questions": self.questions,
            "fingerprints": self.fingerprints,
            "orders": self.orders,
            "limit": self.limit,
            "pass_mark": self.pass_mark,
            "extended": self.extended,
            "started": self.started,
            "used": round(self.used, 2),
            "position": self.position,
            "answers": {str(i): c for i, c in sorted(self.answers.items())},
            "flags": sorted(self.flags),
            "spent": {str(i): round(t, 2) for i, t in sorted(self.spent.items())},
            "submitted": self.submitted,
        }

    @classmethod
    def from_json(cls, data) -> Attempt | None:
        """The attempt, or None when the data is not one (damaged or edited by hand)."""
        try:
            if not isinstance(data, dict) or data.get("kind") != "exam-attempt":
                return None
            questions = [str(q) for q in data["questions"]]
            total = len(questions)
            orders = [[int(k) for k in order] for order in data["orders"]]
            fingerprints = [str(f) for f in data["fingerprints"]]
            answers = {int(i): int(c) for i, c in data["answers"].items()}
            flags = {int(i) for i in data["flags"]}
            spent = {int(i): float(t) for i, t in data.get("spent", {}).items()}
            attempt = cls(
                id=str(data["id"]),
                deck=str(data["deck"]),
                content=None if data.get("content") is None else str(data["content"]),
                questions=questions,
                fingerprints=fingerprints,
                orders=orders,
                limit=float(data["limit"]),
                pass_mark=float(data["pass_mark"]),
                extended=float(data.get("extended", 1.0)),
                started=str(data["started"]),
                used=float(data["used"]),
                position=int(data["position"]),
                answers=answers,
                flags=flags,
                spent=spent,
                submitted=bool(data.get("submitted", False)),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        sound = (
            total > 0
            and len(orders) == len(fingerprints) == total
            and all(sorted(order) == list(range(len(order))) for order in orders)
            and all(0 <= i < total and 0 <= c < len(orders[i]) for i, c in answers.items())
            and all(0 <= i < total for i in flags)
            and all(0 <= i < total and math.isfinite(t) and t >= 0 for i, t in spent.items())
            and 0 <= attempt.position < total
            and math.isfinite(attempt.limit)
            and attempt.limit > 0
            and math.isfinite(attempt.used)
            and attempt.used >= 0
        )
        return attempt if sound else None


@dataclass
class Marked:
    """One question of a finished exam."""

    question: Question
    order: list[int]
    chosen: int | None  # YAML index of the option chosen, or None
    flagged: bool

    @property
    def right(self) -> bool:
        return self.chosen == self.question.correct_index


@dataclass
class ExamScore:
    attempt: Attempt
    marked: list[Marked]

    @property
    def questions(self) -> int:
        return len(self.marked)

    @property
    def answered(self) -> int:
        return sum(m.chosen is not None for m in self.marked)

    @property
    def correct(self) -> int:
        return sum(m.right for m in self.marked)

    @property
    def score(self) -> float:
        return 100 * self.correct / self.questions if self.questions else 0.0

    @property
    def passed(self) -> bool:
        return self.score >= self.attempt.pass_mark

    def by_principle(self) -> dict[str, list[int]]:
        """principle id -> [questions, correct], in the order principles first appear."""
        out: dict[str, list[int]] = {}
        for m in self.marked:
            tally = out.setdefault(m.question.principle, [0, 0])
            tally[0] += 1
            tally[1] += m.right
        return out


def questions_of(attempt: Attempt, deck: Deck) -> list[Question] | None:
    """The attempt's questions as the deck has them now; None when one is gone or changed
    (other options or another key), so that the attempt can no longer be marked fairly."""
    by_id = {q.id: q for q in deck.questions}
    found = [by_id.get(qid) for qid in attempt.questions]
    if any(q is None for q in found):
        return None
    questions = [q for q in found if q is not None]
    for q, fingerprint, order in zip(questions, attempt.fingerprints, attempt.orders, strict=True):
        if q.fingerprint != fingerprint or len(order) != len(q.options):
            return None
    return questions


def mark(attempt: Attempt, questions: list[Question]) -> ExamScore:
    marked = []
    for i, q in enumerate(questions):
        order = attempt.orders[i]
        choice = attempt.answers.get(i)
        chosen = order[choice] if choice is not None else None
        marked.append(Marked(q, order, chosen, i in attempt.flags))
    return ExamScore(attempt, marked)
