"""Test-wise cues: how far simple shortcuts beat chance on a deck, without knowing anything.

Each heuristic picks some options of a question by their shape alone (the longest, the one with
no absolute word, ...). If the best answer is among the m options picked, the heuristic scores
1/m for that question; if it cannot tell the options apart (it picks none or all of them), it
scores chance, 1/k for k options. A deck whose best answers can be found by shape teaches
test-taking, not ethics: every heuristic should stay within chance + 10 points.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cps_drill.deck.model import Deck, Option

LIMIT = 0.10  # points above chance that a heuristic may reach
ABSOLUTE = re.compile(
    r"\b(always|never|only|all|every|everyone|everything|everybody|must|none|nothing|no one)\b",
    re.IGNORECASE,
)
JUSTIFY = re.compile(r"\b(since|because|so that|so|in order to)\b", re.IGNORECASE)
CLAUSE = re.compile(r",|;|:|\band\b|\bbut\b|\bor\b|\bthen\b|\bwhile\b", re.IGNORECASE)
# Verbs that open an action ("Explain ..., and offer ..."), for the two-part shape.
_VERB_WORDS = """
    accept acknowledge add address adopt advise agree answer apologise apologize arrange ask
    assume assure avoid bring build call cancel caution celebrate change check choose clarify
    complete conclude confirm confront connect consult contact continue copy correct cut
    decide decline delete describe discuss do document draft drop encourage end enroll explain
    explore file fill find finish follow get give go greet hand have help hold ignore insist
    interpret introduce invite involve keep lead learn leave lend let link listen look make
    mention move name note notice offer open pass pause phone plan point post praise promise
    propose put raise reach read reassure recall recommend record redirect refer reflect
    refuse remind remove repeat reply report request respect restore return review rewrite say
    schedule seek send set share show sit speak start stay steer step stop suggest summarize
    support take talk tell thank treat try turn update urge use validate wait walk warn
    welcome work write
    """
VERBS = frozenset(_VERB_WORDS.split())

Picker = Callable[[Sequence[Option]], list[int]]


@dataclass(frozen=True)
class Cue:
    name: str
    hit_rate: float  # share of questions the heuristic answers right
    chance: float  # share a blind guess answers right

    @property
    def above_chance(self) -> float:
        return self.hit_rate - self.chance

    @property
    def too_strong(self) -> bool:
        return self.above_chance > LIMIT

    def as_json(self) -> dict:
        return {
            "heuristic": self.name,
            "hit_rate": round(self.hit_rate, 4),
            "chance": round(self.chance, 4),
            "above_chance": round(self.above_chance, 4),
        }


def two_part(text: str) -> bool:
    """The "do X, and Y" shape: ", and", "and then", ", then", or "and" before a verb."""
    low = text.lower()
    if ", and " in low or " and then " in low or ", then " in low:
        return True
    return any(m.group(1) in VERBS for m in re.finditer(r"\band ([a-z']+)", low))


def _by_rank(options: Sequence[Option], rank: int) -> list[int]:
    lengths = [len(o.text) for o in options]
    if rank >= len(lengths):
        return []
    target = sorted(lengths, reverse=True)[rank]
    return [i for i, n in enumerate(lengths) if n == target]


def _most(options: Sequence[Option], count: Callable[[str], int]) -> list[int]:
    counts = [count(o.text) for o in options]
    return [i for i, n in enumerate(counts) if n == max(counts)]


def _without(options: Sequence[Option], pattern: re.Pattern) -> list[int]:
    return [i for i, o in enumerate(options) if not pattern.search(o.text)]


HEURISTICS: dict[str, Picker] = {
    "longest": lambda opts: _by_rank(opts, 0),
    "second-longest": lambda opts: _by_rank(opts, 1),
    "shortest": lambda opts: _by_rank(opts, len(opts) - 1),
    "most clauses": lambda opts: _most(opts, lambda t: len(CLAUSE.findall(t))),
    "no absolute words": lambda opts: _without(opts, ABSOLUTE),
    "no justification clause": lambda opts: _without(opts, JUSTIFY),
    "two-part answer": lambda opts: [i for i, o in enumerate(opts) if two_part(o.text)],
}


def measure(deck: Deck) -> list[Cue]:
    """Each heuristic's hit rate on the deck, against chance."""
    questions = deck.questions
    if not questions:
        return []
    chance = sum(1 / len(q.options) for q in questions) / len(questions)
    cues = []
    for name, pick in HEURISTICS.items():
        total = 0.0
        for q in questions:
            picked = pick(q.options)
            k = len(q.options)
            if not picked or len(picked) == k:
                total += 1 / k
            elif q.correct_index in picked:
                total += 1 / len(picked)
        cues.append(Cue(name, total / len(questions), chance))
    return cues
