"""`optimize`: fit the FSRS parameters to the candidate's own reviews (an optional extra)."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cps_drill import errors
from cps_drill.commands.context import Context
from cps_drill.progress import records as rec
from cps_drill.study import schedule

MIN_REVIEWS = 512  # what the fsrs optimizer needs to fit anything
PARAMETERS = "fsrs-parameters"  # a setting: the fitted parameters, used when scheduling


@dataclass
class OptimizeResult:
    reviews: int
    parameters: list[float]

    def as_json(self) -> dict:
        return {"reviews": self.reviews, "parameters": self.parameters}


def reviews_of(records: list[dict], deck_id: str) -> list[tuple[str, str, str, float]]:
    """(question, grade, time, seconds) of every review of a deck, a guess counted as missed."""
    guessed = {(r["session"], r["of"]) for r in records if r["kind"] == rec.GUESS}
    out = []
    for r in records:
        if rec.is_answer(r) and r["deck"] == deck_id and "memory" in r:
            guess = (r["session"], r["seq"]) in guessed
            out.append((r["question"], schedule.grade(r["outcome"], guess), r["at"], r["seconds"]))
    return out


def optimize(ctx: Context, content: Path | None) -> OptimizeResult:
    deck = ctx.deck(content)
    store = ctx.store()
    reviews = reviews_of(store.records(), deck.id)
    if len(reviews) < MIN_REVIEWS:
        raise errors.DrillError(
            f"fitting the schedule to you needs at least {MIN_REVIEWS} reviews on this deck; "
            f"you have {len(reviews)} so far. Until then the standard parameters serve well."
        )
    if importlib.util.find_spec("torch") is None:
        raise errors.DrillError(
            "fitting the schedule needs the optimizer extra, which is large: install it with "
            "pip install 'cps-drill[optimizer]' and run this again."
        )
    import fsrs

    logs = [
        fsrs.ReviewLog(
            card_id=schedule.card_id(question),
            rating=fsrs.Rating.Good if grade == schedule.GOOD else fsrs.Rating.Again,
            review_datetime=datetime.fromisoformat(at),
            review_duration=round(seconds * 1000),
        )
        for question, grade, at, seconds in reviews
    ]
    parameters = [float(p) for p in fsrs.Optimizer(logs).compute_optimal_parameters()]
    session = rec.new_session()
    store.save_settings({PARAMETERS: parameters}, session=session)
    return OptimizeResult(len(reviews), parameters)


def fitted(settings: dict) -> tuple[float, ...] | None:
    """The fitted parameters kept in the settings, if any are there and of the right shape."""
    found = settings.get(PARAMETERS)
    if (
        isinstance(found, list)
        and len(found) == 21
        and all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in found)
    ):
        try:
            values = tuple(float(p) for p in found)
        except OverflowError:
            return None
        return values if all(map(math.isfinite, values)) else None
    return None
