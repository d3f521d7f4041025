"""How figures and times are said on screen and on paper: plain words, without Rich (the
Markdown pages use them too)."""

from __future__ import annotations

from cps_drill.deck.model import Deck


def minutes(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def duration(seconds: float) -> str:
    """A length of time as a person says it: 1 h 05 min, 12 min 30 s, 45 s."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {mins:02d} min"
    if mins:
        return f"{mins} min {secs:02d} s" if secs else f"{mins} min"
    return f"{secs} s"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def percent(right: int, answered: int) -> str:
    return f"{100 * right / answered:.0f}%" if answered else "–"


def principle_name(deck: Deck, pid: str) -> str:
    return deck.principles[pid].name if pid in deck.principles else pid
