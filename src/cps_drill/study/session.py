"""A drill session: which questions, in what order, and how each answer is graded.

Time and randomness come in from outside (a clock function and a `random.Random`), so a test
can drive a timeout without sleeping and a `--seed` makes a run repeatable.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cps_drill.deck.model import Question
from cps_drill.progress.records import RIGHT, TIMEOUT, WRONG

LETTERS = "ABCDEF"
# How a session ended.
FINISHED, QUIT, INTERRUPTED, SIGNALLED = "finished", "quit", "interrupted", "signalled"
SAVE_FAILED, GONE = "save-failed", "terminal-gone"  # an answer could not be saved; no screen
QUIT_WORDS = frozenset({"q", "quit", "exit"})
SKIP_WORDS = frozenset({"s", "skip"})
REQUEUE_GAP = 3  # a missed question in review comes back after this many others


@dataclass(frozen=True)
class Shown:
    """A question as put on screen: `order[k]` is the YAML index of the option at letter k."""

    question: Question
    order: tuple[int, ...]
    position: int  # among the questions planned; a repeat keeps its first position
    total: int  # the questions planned: repeats in review do not add to it
    repeat: bool = False

    def letter_of(self, yaml_index: int) -> str:
        return LETTERS[self.order.index(yaml_index)]


@dataclass(frozen=True)
class Graded:
    shown: Shown
    chosen: int | None  # YAML index of the chosen option; None when the time ran out
    outcome: str
    seconds: float

    @property
    def question(self) -> Question:
        return self.shown.question

    @property
    def correct(self) -> int:
        return self.question.correct_index

    @property
    def right(self) -> bool:
        return self.outcome == RIGHT


@dataclass
class Tally:
    answered: int = 0
    right: int = 0

    def add(self, right: bool) -> None:
        self.answered += 1
        self.right += int(right)

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass
class Summary:
    graded: list[Graded]
    seconds: float
    planned: int
    by_principle: dict[str, Tally] = field(default_factory=dict)
    skipped: list[Question] = field(default_factory=list)  # passed over after a content note

    @property
    def first_tries(self) -> list[Graded]:
        """Each question's first answer: what the score counts."""
        return [g for g in self.graded if not g.shown.repeat]

    @property
    def retries(self) -> list[Graded]:
        """Answers to a question missed earlier in the session (review asks it again)."""
        return [g for g in self.graded if g.shown.repeat]

    @property
    def answered(self) -> int:
        return len(self.first_tries)

    @property
    def right(self) -> int:
        return sum(g.right for g in self.first_tries)

    @property
    def answers(self) -> int:
        """Every answer saved, retries included."""
        return len(self.graded)

    def right_later(self, question_id: str) -> bool:
        """A question missed first and answered right on a retry."""
        return any(g.right and g.question.id == question_id for g in self.retries)

    @property
    def asked(self) -> int:
        """How many different questions were asked (a repeat in review counts once)."""
        return len({g.question.id for g in self.graded})

    @property
    def missed(self) -> list[Graded]:
        """Each question missed at least once, in the order first missed."""
        seen: set[str] = set()
        missed = []
        for g in self.graded:
            if not g.right and g.question.id not in seen:
                seen.add(g.question.id)
                missed.append(g)
        return missed

    @property
    def weakest(self) -> str | None:
        """The principle to review next: lowest accuracy, then the most misses."""
        if not self.by_principle:
            return None
        return min(
            self.by_principle,
            key=lambda pid: (
                self.by_principle[pid].accuracy,
                -(self.by_principle[pid].answered - self.by_principle[pid].right),
            ),
        )


def option_for(word: str, option_count: int) -> int | None:
    """The letter index that a key or a typed word names (A or 1 is 0), or None."""
    word = word.strip().lower().rstrip(").:")
    if len(word) != 1:
        return None
    if "a" <= word <= "f":
        index = ord(word) - ord("a")
    elif "1" <= word <= "6":
        index = int(word) - 1
    else:
        return None
    return index if index < option_count else None


def is_quit(word: str) -> bool:
    return word.strip().lower() in QUIT_WORDS


def is_skip(word: str) -> bool:
    return word.strip().lower() in SKIP_WORDS


class Session:
    def __init__(
        self,
        questions: Iterable[Question],
        *,
        rng: random.Random,
        clock: Callable[[], float],
        time_limit: float = 0,
        requeue_missed: bool = False,
    ) -> None:
        self.queue = list(questions)
        self.planned = len(self.queue)
        self.rng = rng
        self.clock = clock
        self.time_limit = time_limit
        self.requeue_missed = requeue_missed
        self.graded: list[Graded] = []
        self.current: Shown | None = None
        self.started = clock()
        self.shown_at = self.started
        self.cursor = 0
        self.pending_repeat: set[str] = set()
        self.positions: dict[str, int] = {}  # question id -> its place among those planned
        self.skipped: list[Question] = []

    def next(self) -> Shown | None:
        """Put the next question up, with its options in a fresh random order."""
        if self.cursor >= len(self.queue):
            self.current = None
            return None
        question = self.queue[self.cursor]
        self.cursor += 1
        order = list(range(len(question.options)))
        self.rng.shuffle(order)
        repeat = question.id in self.pending_repeat
        position = self.positions.setdefault(question.id, len(self.positions) + 1)
        self.current = Shown(question, tuple(order), position, self.planned, repeat)
        self.shown_at = self.clock()
        return self.current

    def start_clock(self) -> None:
        """The question's time starts now: its options are on screen."""
        self.shown_at = self.clock()

    def remaining(self) -> float | None:
        """Seconds left on the current question, or None when there is no time limit."""
        if not self.time_limit:
            return None
        return max(0.0, self.time_limit - (self.clock() - self.shown_at))

    def pause(self, seconds: float) -> None:
        """Time the program spent stopped (Ctrl-Z) does not count against the question."""
        self.shown_at += max(0.0, seconds)

    def answer(self, letter_index: int) -> Graded:
        shown = self._shown()
        chosen = shown.order[letter_index]
        right = shown.question.options[chosen].correct
        return self._grade(chosen, RIGHT if right else WRONG)

    def time_out(self) -> Graded:
        return self._grade(None, TIMEOUT)

    def withdraw(self, graded: Graded) -> None:
        """Take back an answer that could not be saved: it never happened."""
        self.graded.remove(graded)
        question = graded.question
        if graded.outcome != RIGHT and self.requeue_missed:
            later = [i for i in range(self.cursor, len(self.queue)) if self.queue[i] is question]
            if later:
                del self.queue[later[0]]

    def skip(self) -> None:
        """Pass over the question on screen (after its content note): not a miss, not saved."""
        shown = self._shown()
        self.skipped.append(shown.question)
        self.current = None

    def summary(self) -> Summary:
        by_principle: dict[str, Tally] = {}
        for g in self.graded:
            if g.shown.repeat:
                continue  # the score counts first tries
            by_principle.setdefault(g.question.principle, Tally()).add(g.right)
        seconds = self.clock() - self.started
        return Summary(list(self.graded), seconds, self.planned, by_principle, list(self.skipped))

    def _shown(self) -> Shown:
        if self.current is None:
            raise RuntimeError("no question is on screen")
        return self.current

    def _grade(self, chosen: int | None, outcome: str) -> Graded:
        shown = self._shown()
        seconds = self.clock() - self.shown_at
        if self.time_limit:
            seconds = min(seconds, float(self.time_limit))
        graded = Graded(shown, chosen, outcome, round(seconds, 2))
        self.graded.append(graded)
        self.current = None
        question = shown.question
        if outcome == RIGHT:
            self.pending_repeat.discard(question.id)
        elif self.requeue_missed:
            self.pending_repeat.add(question.id)
            self.queue.insert(min(len(self.queue), self.cursor + REQUEUE_GAP), question)
        return graded
