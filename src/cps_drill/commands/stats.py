"""`stats`: the candidate's figures for the current deck."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cps_drill.commands.context import Context
from cps_drill.deck.load import content_folder, folder_deck_id, load_principles
from cps_drill.deck.model import Deck
from cps_drill.errors import ContentProblems
from cps_drill.progress.derived import deck_view
from cps_drill.study.stats import Stats, compute


@dataclass
class StatsResult:
    stats: Stats
    deck: Deck
    program: str

    def as_json(self) -> dict:
        return {"deck": self.deck.id, **self.stats.as_json()}


def stats(ctx: Context, content: Path | None) -> StatsResult:
    folder = content_folder(content)
    try:
        deck = load_principles(folder)
    except ContentProblems:
        # Names are a nicety; the figures stand without them (under the folder's own id).
        deck = Deck(folder, {}, [], {}, folder_deck_id(folder))
    figures = compute(deck_view(ctx.store().derived(), deck.id), list(deck.principles))
    return StatsResult(figures, deck, ctx.program)
