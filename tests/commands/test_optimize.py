"""optimize: fit FSRS to the candidate's reviews once there are enough, with the extra."""

from __future__ import annotations

import importlib.util

import pytest

from cps_drill.commands.optimize import MIN_REVIEWS, fitted, reviews_of
from cps_drill.progress import records
from cps_drill.progress.store import Store
from tests.helpers import drill, invoke


def test_without_enough_reviews_it_says_how_many_are_needed(mini, home):
    drill(mini, "--count", "3", input="a\na\na\n")
    result = invoke(["optimize", "--content", mini])
    assert result.exit_code == 1
    assert f"at least {MIN_REVIEWS} reviews on this deck; you have 3 so far" in result.stderr


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="the extra is here")
def test_without_the_extra_it_says_how_to_install_it(mini, home):
    memory = {
        "s": 1.0,
        "d": 5.0,
        "state": 2,
        "due": "2026-01-02",
        "last": "2026-01-01",
        "decay": -0.15,
    }
    answers = [
        records.answer(
            kind=records.DRILL,
            deck=invoke(["stats", "--json", "--content", mini]) and _deck_id(mini),
            question=f"q-{n % 5}",
            principle="respect",
            chosen=0,
            correct=0,
            outcome="right",
            seconds=3.0,
            session="s",
            seq=n + 1,
            command="quiz",
            fingerprint="f",
            memory=memory,
        )
        for n in range(MIN_REVIEWS)
    ]
    Store(home).append(answers)
    result = invoke(["optimize", "--content", mini])
    assert result.exit_code == 1
    assert "pip install 'cps-drill[optimizer]'" in result.stderr


def _deck_id(folder):
    from cps_drill.deck.load import load_deck

    return load_deck(folder).id


def test_a_guess_counts_as_a_miss_for_fitting():
    answer = records.answer(
        kind=records.DRILL, deck="d", question="q", principle="p", chosen=0, correct=0,
        outcome="right", seconds=2.0, session="s", seq=1, command="quiz", fingerprint="f",
        memory={"s": 1.0, "d": 5.0, "state": 2, "due": "x", "last": "y", "decay": -0.15},
    )  # fmt: skip
    guess = records.guess(answer, answer["memory"], seq=2)
    assert [g for _, g, _, _ in reviews_of([answer], "d")] == ["good"]
    assert [g for _, g, _, _ in reviews_of([answer, guess], "d")] == ["again"]
    assert reviews_of([answer], "another deck") == []


def test_fitted_parameters_are_used_only_when_well_formed():
    assert fitted({}) is None
    assert fitted({"fsrs-parameters": [0.1] * 21}) == (0.1,) * 21
    assert fitted({"fsrs-parameters": [0.1] * 3}) is None
    assert fitted({"fsrs-parameters": ["x"] * 21}) is None


def test_fitted_parameters_that_are_not_finite_are_not_used():
    assert fitted({"fsrs-parameters": [float("nan")] * 21}) is None
    assert fitted({"fsrs-parameters": [1e309] * 21}) is None
