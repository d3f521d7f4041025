"""`principles`: the deck's principles, their question counts and the candidate's accuracy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cps_drill.commands.context import Context
from cps_drill.deck.model import Deck
from cps_drill.progress.derived import deck_view
from cps_drill.study.session import Tally
from cps_drill.study.stats import compute


@dataclass
class PrinciplesResult:
    deck: Deck
    counts: dict[str, int]
    tallies: dict[str, Tally]
    program: str


def principles(ctx: Context, content: Path | None) -> PrinciplesResult:
    deck = ctx.deck(content)
    figures = compute(deck_view(ctx.store().derived(), deck.id), list(deck.principles))
    counts = {pid: len(deck.questions_for(pid)) for pid in deck.principles}
    return PrinciplesResult(deck, counts, figures.principles, ctx.program)
