"""The session logic, driven by an injected clock: timeouts without sleeping."""

from __future__ import annotations

import random

import pytest

from cps_drill.deck.load import load_deck
from cps_drill.progress.records import RIGHT, TIMEOUT, WRONG
from cps_drill.study.choose import pick_questions
from cps_drill.study.session import Session, is_quit, option_for
from tests.conftest import MINI


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def deck():
    return load_deck(MINI)


def session(deck, clock, **kw):
    questions = [q for q in deck.questions if q.id in ("conf-001", "conf-002")]
    return Session(questions, rng=random.Random(7), clock=clock, **kw)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("a", 0),
        ("B", 1),
        ("3", 2),
        (" c \n", 2),
        ("d)", None),
        ("4", None),
        ("q", None),
        ("quit", None),
        ("", None),
        ("zz", None),
        ("0", None),
    ],
)
def test_option_for(typed, expected):
    assert option_for(typed, 3) == expected


@pytest.mark.parametrize(("typed", "expected"), [("q", True), ("Quit", True), ("exit\n", True)])
def test_is_quit(typed, expected):
    assert is_quit(typed) is expected
    assert not is_quit("a")


def test_right_and_wrong_are_graded_by_yaml_index(deck):
    clock = Clock()
    s = session(deck, clock)
    shown = s.next()
    correct_letter = shown.order.index(shown.question.correct_index)
    clock.now += 4.5
    graded = s.answer(correct_letter)
    assert graded.outcome == RIGHT and graded.chosen == shown.question.correct_index
    assert graded.seconds == 4.5
    shown = s.next()
    wrong_letter = next(k for k, i in enumerate(shown.order) if i != shown.question.correct_index)
    assert s.answer(wrong_letter).outcome == WRONG
    assert s.next() is None
    summary = s.summary()
    assert (summary.answered, summary.right) == (2, 1)
    assert [g.question.id for g in summary.missed] == [shown.question.id]


def test_timeout_without_sleeping(deck):
    clock = Clock()
    s = session(deck, clock, time_limit=30)
    s.next()
    assert s.remaining() == 30
    clock.now += 29.5
    assert s.remaining() == pytest.approx(0.5)
    clock.now += 5
    assert s.remaining() == 0
    graded = s.time_out()
    assert graded.outcome == TIMEOUT and graded.chosen is None and graded.seconds == 30
    assert not graded.right


def test_no_time_limit_means_no_remaining(deck):
    s = session(deck, Clock())
    s.next()
    assert s.remaining() is None


def test_options_are_shuffled_each_time_and_seed_repeats(deck):
    q = next(q for q in deck.questions if q.id == "conf-002")  # four options
    orders = set()
    for seed in range(20):
        s = Session([q], rng=random.Random(seed), clock=Clock())
        orders.add(s.next().order)
    assert len(orders) > 3
    again = [Session([q], rng=random.Random(5), clock=Clock()).next().order for _ in range(2)]
    assert again[0] == again[1]


def test_missed_question_comes_back_until_right(deck):
    s = session(deck, Clock(), requeue_missed=True)
    ids = []
    wrong_once = False
    while (shown := s.next()) is not None:
        ids.append((shown.question.id, shown.repeat))
        right = shown.order.index(shown.question.correct_index)
        if not wrong_once:
            wrong_once = True
            s.answer((right + 1) % len(shown.order))
        else:
            s.answer(right)
    first = ids[0][0]
    assert [i for i, _ in ids].count(first) == 2
    assert (first, True) in ids
    summary = s.summary()
    assert summary.planned == 2 and summary.answered == 2 and summary.answers == 3
    assert [g.question.id for g in summary.retries] == [first]
    assert summary.right == 1  # the first tries: one missed, one right
    assert summary.right_later(first)


def test_weakest_principle(deck):
    s = Session(deck.questions, rng=random.Random(1), clock=Clock())
    while (shown := s.next()) is not None:
        right = shown.order.index(shown.question.correct_index)
        miss = shown.question.principle == "respect"
        s.answer((right + 1) % len(shown.order) if miss else right)
    assert s.summary().weakest == "respect"


def test_pick_questions_prefers_missed_then_unseen(deck):
    history = {"conf-001": WRONG, "conf-002": RIGHT, "resp-001": RIGHT, "resp-002": RIGHT}
    picked = pick_questions(deck.questions, 2, random.Random(3), history)
    assert {q.id for q in picked} == {"conf-001", "resp-003"}
    assert len(pick_questions(deck.questions, 50, random.Random(3))) == len(deck.questions)


def test_time_stopped_with_ctrl_z_does_not_count(deck):
    clock = Clock()
    s = session(deck, clock, time_limit=30)
    s.next()
    clock.now += 25
    s.pause(20)  # the program was stopped for 20 of those seconds
    assert s.remaining() == 25
