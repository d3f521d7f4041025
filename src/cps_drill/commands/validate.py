"""`validate`: check a deck folder, and measure its quality signals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cps_drill.commands.context import Context
from cps_drill.deck.model import Deck
from cps_drill.deck.quality import Quality, measure


@dataclass
class ValidateResult:
    deck: Deck
    quality: Quality | None = None

    def as_json(self) -> dict:
        return {
            "deck": self.deck.id,
            "principles": len(self.deck.principles),
            "questions": len(self.deck.questions),
            **({"quality": self.quality.as_json()} if self.quality else {}),
        }


def validate(ctx: Context, folder: Path | None, show_stats: bool) -> ValidateResult:
    """The checked deck; its problems raise ContentProblems, drawn by the error boundary."""
    deck = ctx.deck(folder, cached=False)
    return ValidateResult(deck, measure(deck) if show_stats else None)
