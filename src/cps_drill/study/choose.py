"""Which questions a drill asks, from what the candidate's history says."""

from __future__ import annotations

import random
from collections.abc import Sequence

from cps_drill.deck.model import Question
from cps_drill.progress.records import TIMEOUT, WRONG


def pick_questions(
    pool: Sequence[Question],
    count: int,
    rng: random.Random,
    last_outcome: dict[str, str] | None = None,
) -> list[Question]:
    """Choose up to `count` questions: last missed first, then never seen, then the rest."""
    last_outcome = last_outcome or {}
    groups: dict[int, list[Question]] = {0: [], 1: [], 2: []}
    for q in pool:
        outcome = last_outcome.get(q.id)
        groups[0 if outcome in (WRONG, TIMEOUT) else 1 if outcome is None else 2].append(q)
    chosen: list[Question] = []
    for rank in (0, 1, 2):
        rng.shuffle(groups[rank])
        chosen.extend(groups[rank][: count - len(chosen)])
    rng.shuffle(chosen)
    return chosen


def last_outcomes(history: dict, fingerprints: dict[str, str] | None = None) -> dict[str, str]:
    """The latest outcome of each question of a deck's history, for choosing what to ask.

    Answers given when a question had other options or another key (another fingerprint) do
    not count: that question's schedule starts again. They stay in the history all the same.
    Answers saved before fingerprints existed count for whatever the question is now.
    """
    fingerprints = fingerprints or {}
    last: dict[str, str] = {}
    for qid, by_fingerprint in history["last"].items():
        current = fingerprints.get(qid)
        outcome = by_fingerprint.get(current) if current else None
        if outcome is None:
            outcome = by_fingerprint.get("")
        if outcome is not None:
            last[qid] = outcome
    return last
