"""`validate`: check a deck folder, and measure its quality signals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.commands.context import Context
from cps_drill.deck.load import content_folder
from cps_drill.deck.model import Deck
from cps_drill.deck.quality import Quality, measure


@dataclass
class ValidateResult:
    deck: Deck
    quality: Quality | None = None
    warnings: list[str] = field(default_factory=list)  # FILE:LINE: what is odd but allowed

    def as_json(self) -> dict:
        return {
            "deck": self.deck.id,
            "principles": len(self.deck.principles),
            "questions": len(self.deck.questions),
            "warnings": self.warnings,
            **({"quality": self.quality.as_json()} if self.quality else {}),
        }


def validate(ctx: Context, folder: Path | None, show_stats: bool) -> ValidateResult:
    """The checked deck; its problems raise ContentProblems, drawn by the error boundary."""
    deck = ctx.deck(folder, cached=False)
    warnings = empty_principles(deck, content_folder(folder))
    return ValidateResult(deck, measure(deck) if show_stats else None, warnings)


def empty_principles(deck: Deck, folder: Path) -> list[str]:
    """A warning for each principle that no question is filed under or tests: a drill of it
    would have nothing to ask."""
    tested = {pid for q in deck.questions for pid in q.principles}
    empty = [pid for pid in deck.principles if pid not in tested]
    if not empty:
        return []
    path = folder / "principles.yaml"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    warnings = []
    for pid in empty:
        found = re.search(rf"^\s*-?\s*id:\s*['\"]?{re.escape(pid)}['\"]?\s*$", text, re.M)
        where = f"{path}:{text.count(chr(10), 0, found.start()) + 1}" if found else str(path)
        warnings.append(
            f"{where}: warning: principle '{pid}' has no questions yet, so a drill of it has "
            "nothing to ask; add questions with this principle in scenarios.yaml."
        )
    return warnings
