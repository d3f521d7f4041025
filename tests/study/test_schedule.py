"""Scheduling with FSRS: grades, memory states, the forgetting curve, and the order of questions."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta, timezone

import fsrs
import pytest

from cps_drill.deck.load import load_deck
from cps_drill.study import schedule
from cps_drill.study.choose import interleave, missed_questions, schedule_questions
from tests.conftest import MINI

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def deck():
    return load_deck(MINI)


def reviewed(graded, at=NOW, memory=None, qid="q"):
    return schedule.review(memory, question_id=qid, graded=graded, at=at, seconds=5)


@pytest.mark.parametrize(
    ("outcome", "guessed", "grade"),
    [
        ("right", False, schedule.GOOD),
        ("right", True, schedule.AGAIN),
        ("wrong", False, schedule.AGAIN),
        ("timeout", False, schedule.AGAIN),
    ],
)
def test_a_multiple_choice_answer_becomes_a_grade(outcome, guessed, grade):
    assert schedule.grade(outcome, guessed) == grade


def test_a_miss_comes_back_sooner_than_a_right_answer():
    right, wrong = reviewed(schedule.GOOD), reviewed(schedule.AGAIN)
    assert schedule.due_at(wrong) < schedule.due_at(right)
    again = reviewed(schedule.GOOD, NOW + timedelta(days=3), right)
    assert again["s"] > right["s"]  # remembered again: it holds longer
    assert schedule.due_at(again) > schedule.due_at(right)


def test_the_forgetting_curve_is_fsrs_own():
    memory = reviewed(schedule.GOOD)
    scheduler = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State(memory["state"]),
        stability=memory["s"],
        difficulty=memory["d"],
        due=schedule.due_at(memory),
        last_review=NOW,
    )
    for days in (0, 1, 5, 30, 200):
        when = NOW + timedelta(days=days)
        expected = scheduler.get_card_retrievability(card, when)
        assert schedule.retrievability(memory, when) == pytest.approx(expected)
    assert schedule.retrievability(None, NOW) == 0
    assert schedule.chance_on(None, NOW, 4) == 0.25


def test_reviews_are_repeatable_and_cards_have_stable_ids():
    assert reviewed(schedule.GOOD) == reviewed(schedule.GOOD)  # no fuzz
    assert schedule.card_id("conf-001") == schedule.card_id("conf-001") > 0
    assert schedule.card_id("conf-001") != schedule.card_id("conf-002")


def history(**memory):
    return {"memory": {qid: {fp: m} for qid, (fp, m) in memory.items()}, "last": {}}


def test_due_questions_come_first_most_overdue_first(deck):
    by_id = {q.id: q for q in deck.questions}
    old = reviewed(schedule.GOOD, NOW - timedelta(days=40))
    recent = reviewed(schedule.GOOD, NOW - timedelta(days=5))
    fresh = reviewed(schedule.GOOD, NOW)
    h = history(
        **{
            "conf-001": (by_id["conf-001"].fingerprint, recent),
            "resp-001": (by_id["resp-001"].fingerprint, old),
            "conf-002": (by_id["conf-002"].fingerprint, fresh),
        }
    )
    order = [q.id for q in schedule_questions(deck.questions, 5, random.Random(1), h, NOW)]
    assert order[:2] == ["resp-001", "conf-001"]  # overdue, the older first
    assert order.index("conf-002") > 1  # not due yet: after what is
    assert set(order) == set(by_id)


def test_with_an_exam_date_the_least_likely_to_be_remembered_then_comes_first(deck):
    by_id = {q.id: q for q in deck.questions}
    weak = reviewed(schedule.AGAIN, NOW - timedelta(days=10))
    strong = reviewed(
        schedule.GOOD,
        NOW - timedelta(days=20),
        reviewed(schedule.GOOD, NOW - timedelta(days=30)),
    )
    h = history(
        **{
            "conf-001": (by_id["conf-001"].fingerprint, strong),
            "resp-001": (by_id["resp-001"].fingerprint, weak),
        }
    )
    exam = NOW + timedelta(days=30)
    order = schedule_questions(deck.questions, 5, random.Random(1), h, NOW, exam)
    assert order[0].id == "resp-001"


def test_in_the_last_days_the_biggest_gain_on_the_exam_day_comes_first(deck):
    by_id = {q.id: q for q in deck.questions}
    fading = reviewed(schedule.GOOD, NOW - timedelta(days=12))
    secure = reviewed(
        schedule.GOOD,
        NOW - timedelta(days=2),
        reviewed(
            schedule.GOOD,
            NOW - timedelta(days=12),
            reviewed(schedule.GOOD, NOW - timedelta(days=20)),
        ),
    )
    today = reviewed(schedule.AGAIN, NOW - timedelta(hours=1))
    h = history(
        **{
            "conf-001": (by_id["conf-001"].fingerprint, secure),
            "resp-001": (by_id["resp-001"].fingerprint, fading),
            "conf-002": (by_id["conf-002"].fingerprint, today),
        }
    )
    exam = NOW + timedelta(days=2)
    gain = {
        qid: schedule.exam_gain(
            memory, question_id=qid, options=len(by_id[qid].options), now=NOW, exam=exam
        )
        for qid, memory in (("conf-001", secure), ("resp-001", fading))
    }
    assert gain["resp-001"] > gain["conf-001"] > 0
    order = [q.id for q in schedule_questions(deck.questions, 9, random.Random(1), h, NOW, exam)]
    assert "conf-002" not in order  # reviewed today: not again the same day
    assert set(order) == set(by_id) - {"conf-002"}
    pair = [by_id["conf-001"], by_id["resp-001"]]
    assert schedule_questions(pair, 1, random.Random(1), h, NOW, exam) == [by_id["resp-001"]]
    # a month out, FSRS's own schedule decides instead: the secure question is not due
    far = schedule_questions(pair, 1, random.Random(1), h, NOW, NOW + timedelta(days=30))
    assert far == [by_id["resp-001"]]


def test_in_the_last_days_a_miss_still_comes_back_the_next_day_but_not_on_the_eve(deck):
    by_id = {q.id: q for q in deck.questions}
    missed = reviewed(schedule.AGAIN, NOW - timedelta(days=1), qid="conf-002")
    missed_today = reviewed(schedule.AGAIN, NOW - timedelta(hours=1), qid="resp-001")
    h = history(
        **{
            "conf-002": (by_id["conf-002"].fingerprint, missed),
            "resp-001": (by_id["resp-001"].fingerprint, missed_today),
        }
    )
    h["last"] = {
        "conf-002": {by_id["conf-002"].fingerprint: "wrong"},
        "resp-001": {by_id["resp-001"].fingerprint: "wrong"},
    }
    exam = NOW + timedelta(days=5)
    # by exam-day gain alone, a first look would beat the retry of a miss
    first_look = schedule.exam_gain(None, question_id="x", options=4, now=NOW, exam=exam)
    retry = schedule.exam_gain(missed, question_id="conf-002", options=4, now=NOW, exam=exam)
    assert first_look > retry
    order = [q.id for q in schedule_questions(deck.questions, 9, random.Random(1), h, NOW, exam)]
    assert order[0] == "conf-002"  # missed yesterday: back first, before anything new
    assert "resp-001" not in order  # missed today: not again the same day
    assert set(order) == set(by_id) - {"resp-001"}
    for seed in range(5):  # whatever breaks the ties
        picked = schedule_questions(deck.questions, 1, random.Random(seed), h, NOW, exam)
        assert picked == [by_id["conf-002"]]
    # on the eve, a first look adds most by the morning: gain alone decides
    eve = NOW.replace(hour=0) + timedelta(days=1)
    for seed in range(5):
        picked = schedule_questions(deck.questions, 1, random.Random(seed), h, NOW, eve)
        assert picked[0].id not in {"conf-002", "resp-001"}


def test_unseen_questions_of_the_weakest_principle_come_first(deck):
    by_id = {q.id: q for q in deck.questions}
    # respect is known well; confidentiality not at all
    known = reviewed(schedule.GOOD, NOW, reviewed(schedule.GOOD, NOW - timedelta(days=10)))
    h = history(
        **{q.id: (q.fingerprint, known) for q in deck.questions if q.principle == "respect"}
    )
    order = schedule_questions(deck.questions, 2, random.Random(1), h, NOW)
    assert {q.principle for q in order} == {"confidentiality"}
    assert all(q.id in by_id for q in order)


def test_principles_are_interleaved_not_blocked(deck):
    questions = sorted(deck.questions, key=lambda q: q.principle)
    mixed = interleave(questions)
    assert sorted(q.id for q in mixed) == sorted(q.id for q in questions)
    runs = sum(a.principle == b.principle for a, b in itertools.pairwise(mixed))
    blocked = sum(a.principle == b.principle for a, b in itertools.pairwise(questions))
    assert runs < blocked


def test_missed_means_exactly_the_last_answer_was_missed(deck):
    by_id = {q.id: q for q in deck.questions}
    last = {
        "conf-001": {by_id["conf-001"].fingerprint: "wrong"},
        "resp-001": {by_id["resp-001"].fingerprint: "right"},
        "conf-002": {by_id["conf-002"].fingerprint: "timeout"},
        "resp-002": {"another-fingerprint": "wrong"},  # its options changed since
    }
    found = missed_questions(deck.questions, {"last": last, "memory": {}})
    assert sorted(q.id for q in found) == ["conf-001", "conf-002"]


def test_the_streak_counts_days_in_a_row_up_to_today_or_yesterday(deck):
    from cps_drill.study.stats import outlook

    def streak(days):
        view = {"last": {}, "memory": {}, "principles": {}, "sessions": [], "days": days}
        return outlook(deck.questions, view, None, NOW).streak_days

    day = lambda n: (NOW - timedelta(days=n)).date().isoformat()  # noqa: E731
    assert streak({}) == 0
    assert streak({day(0): 3, day(1): 1, day(2): 5, day(4): 1}) == 3
    assert streak({day(1): 2, day(2): 2}) == 2  # not yet today: yesterday's streak holds
    assert streak({day(2): 2}) == 0
