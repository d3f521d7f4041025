"""`glossary`: the terms and acronyms a candidate meets, or one of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cps_drill import errors
from cps_drill.commands.context import Context
from cps_drill.deck.model import Deck, Term, did_you_mean


@dataclass
class GlossaryResult:
    deck: Deck
    terms: list[Term]
    wanted: str | None
    program: str

    def as_json(self) -> dict:
        return {
            "terms": [
                {
                    "term": t.term,
                    "name": t.name,
                    "also": list(t.also),
                    "definition": t.definition,
                    "source": t.source,
                }
                for t in self.terms
            ]
        }


def glossary(ctx: Context, term: str | None, content: Path | None) -> GlossaryResult:
    deck = ctx.deck(content)
    if not deck.glossary:
        raise errors.UsageError("this deck has no glossary (a glossary.yaml beside its files).")
    if term is None:
        return GlossaryResult(deck, list(deck.glossary.values()), None, ctx.program)
    found = deck.find_term(term)
    if not found:
        forms = {f.lower(): f for t in deck.glossary.values() for f in t.forms}
        close = did_you_mean(term.lower(), list(forms))
        hint = close.replace(close.split("'")[1], forms[close.split("'")[1]]) if close else ""
        shown = term if len(term) <= 40 else term[:39] + "…"
        raise errors.UsageError(
            f"the glossary has no '{shown}'.{hint} '{ctx.program} glossary' lists every term."
        )
    return GlossaryResult(deck, found, term, ctx.program)
