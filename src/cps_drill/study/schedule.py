"""Spaced repetition with FSRS (the `fsrs` package, 6.x, the algorithm Anki uses), per question.

A multiple-choice answer becomes an FSRS grade: wrong or timed out is Again, right is Good, and
right but marked as a guess is Again. Each review gives the question a new memory state, stored
with the answer in the log (a plain dict, so reading it needs no fsrs):

    {"s": stability in days, "d": difficulty, "state": FSRS state, "due": ISO time,
     "last": ISO time of the review, "decay": the forgetting curve's decay, "fsrs": 6}

The drill's own rule that a missed question comes back later in a review session decides
returns within a session; FSRS's learning steps are switched off, so that the two never both
decide. Fuzz is switched off too: the same history always gives the same schedule.
"""

from __future__ import annotations

import functools
import zlib
from datetime import datetime, timedelta, timezone

from cps_drill.progress.records import RIGHT

AGAIN, GOOD = "again", "good"
MAX_STABILITY = 1e5  # days: a memory state holds no more (the log accepts up to 1e6)
FSRS_MAJOR = 6


def grade(outcome: str, guessed: bool = False) -> str:
    return GOOD if outcome == RIGHT and not guessed else AGAIN


def card_id(question_id: str) -> int:
    """A stable id for a question's FSRS card (a card made without one sleeps a millisecond)."""
    return zlib.crc32(question_id.encode("utf-8", "surrogateescape")) + 1


@functools.cache
def _scheduler(parameters: tuple[float, ...] | None):
    import fsrs

    if parameters:
        try:
            return fsrs.Scheduler(
                parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False
            )
        except (ValueError, TypeError, OverflowError):
            pass  # fitted parameters FSRS does not accept: the standard ones serve
    return fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def review(
    memory: dict | None,
    *,
    question_id: str,
    graded: str,
    at: datetime,
    seconds: float,
    parameters: tuple[float, ...] | None = None,
) -> dict:
    """The memory state after one review of a question (`memory` None: its first)."""
    import fsrs

    scheduler = _scheduler(parameters)
    at = _utc(at)
    if memory is None:
        card = fsrs.Card(card_id=card_id(question_id), due=at)
    else:
        card = fsrs.Card(
            card_id=card_id(question_id),
            state=fsrs.State(memory["state"]),
            stability=memory["s"],
            difficulty=memory["d"],
            due=_parse(memory["due"]),
            last_review=_parse(memory["last"]),
        )
    rating = fsrs.Rating.Good if graded == GOOD else fsrs.Rating.Again
    card, _ = scheduler.review_card(card, rating, at, review_duration=round(seconds * 1000))
    return {
        "s": min(card.stability, MAX_STABILITY),
        "d": card.difficulty,
        "state": card.state.value,
        "due": card.due.isoformat(),
        "last": at.isoformat(),
        "decay": -scheduler.parameters[20],  # as fsrs's own _DECAY
        "fsrs": FSRS_MAJOR,
    }


def retrievability(memory: dict | None, when: datetime) -> float:
    """The chance of recalling the question at `when`, by FSRS's forgetting curve (0 when it
    was never reviewed)."""
    if not memory:
        return 0.0
    decay = memory["decay"]  # negative
    factor = 0.9 ** (1 / decay) - 1
    elapsed = max(0, (_utc(when) - _parse(memory["last"])).days)
    return float((1 + factor * elapsed / memory["s"]) ** decay)


def exam_gain(
    memory: dict | None,
    *,
    question_id: str,
    options: int,
    now: datetime,
    exam: datetime,
    parameters: tuple[float, ...] | None = None,
) -> float:
    """How much a review now is expected to raise the chance of answering right on the exam
    day: recalled now (with FSRS's chance) it becomes a Good review, else an Again one."""
    recall_now = retrievability(memory, now) if memory else 1 / options
    after = 0.0
    for graded, weight in ((GOOD, recall_now), (AGAIN, 1 - recall_now)):
        state = review(
            memory, question_id=question_id, graded=graded, at=now, seconds=0, parameters=parameters
        )
        after += weight * retrievability(state, exam)
    return (after - retrievability(memory, exam)) * (1 - 1 / options)


def due_at(memory: dict) -> datetime:
    return _parse(memory["due"])


def chance_on(memory: dict | None, when: datetime, options: int) -> float:
    """The chance of answering right at `when`: recalled, or else a lucky guess among
    `options`."""
    recall = retrievability(memory, when)
    return recall + (1 - recall) / options


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def exam_moment(day: str) -> datetime:
    """An exam date (YYYY-MM-DD) as the start of that day, UTC."""
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def days_between(start: datetime, end: datetime) -> int:
    return max(0, (end.date() - start.date()).days)


def _parse(text: str) -> datetime:
    return _utc(datetime.fromisoformat(text))


def _utc(moment: datetime) -> datetime:
    """FSRS takes timezone-aware UTC only."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


ONE_DAY = timedelta(days=1)
