"""Case studies and content notes in the deck format."""

from __future__ import annotations

import json

import pytest

from cps_drill.deck import cache
from cps_drill.deck.load import load_deck
from tests.deck.test_load import PRINCIPLES, QUESTION, problems, write_deck

CASES = """\
cases:
  - id: case-ana
    title: Ana's first month
    situation: |
      Ana, 30, has just joined the peer center.
    content_note: self-harm
"""


def step(n: int, extra: str = "    case: case-ana\n") -> str:
    return QUESTION.replace("q-001", f"q-00{n}").replace("    question:", extra + "    question:")


def deck_text(*steps: str, cases: str = CASES) -> str:
    return cases + "scenarios:\n" + "".join(steps)


def test_a_case_and_its_questions_load(tmp_path):
    text = deck_text(step(1), step(2, "    case: case-ana\n    content_note: [suicide, abuse]\n"))
    deck = load_deck(write_deck(tmp_path, PRINCIPLES, text))
    case = deck.cases["case-ana"]
    assert (case.title, case.situation, case.content_notes) == (
        "Ana's first month",
        "Ana, 30, has just joined the peer center.",
        ("self-harm",),
    )
    first, second = deck.questions
    assert first.case == second.case == "case-ana"
    assert second.content_notes == ("suicide", "abuse")
    assert deck.notes_of(second) == ("suicide", "abuse", "self-harm")
    assert deck.notes_of(first) == ("self-harm",)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (deck_text(step(1), step(2, "    case: case-bob\n")), 20, "unknown case 'case-bob'"),
        (deck_text(step(1)), 2, "case 'case-ana' has 1 question(s)"),
        (
            deck_text(step(1), step(2, "    case: case-ana\n    content_note: gore\n")),
            21,
            "content note 'gore' is not one of suicide, self-harm",
        ),
        (
            deck_text(step(1), step(2), cases=CASES.replace("    title: Ana's first month\n", "")),
            2,
            "'title' is missing in a case",
        ),
        (
            deck_text(step(1), step(2), cases=CASES.replace("self-harm", "self harm")),
            6,
            "Did you mean 'self-harm'?",
        ),
    ],
    ids=["unknown case", "a case of one", "unknown note", "no title", "close note"],
)
def test_case_and_note_problems_have_file_and_line(tmp_path, text, line, words):
    folder = write_deck(tmp_path, PRINCIPLES, text)
    found = problems(folder)
    where = f"{folder / 'scenarios.yaml'}:{line}: "
    assert any(p.startswith(where) and words in p for p in found), found


def test_cases_survive_the_cache(tmp_path):
    text = deck_text(step(1), step(2, "    case: case-ana\n    content_note: overdose\n"))
    folder = write_deck(tmp_path / "deck", PRINCIPLES, text)
    first = cache.load(folder, tmp_path / "cache")
    cache.save(lambda path, data: path.parent.mkdir(exist_ok=True) or path.write_bytes(data))
    (entry,) = (tmp_path / "cache").glob("*.json")
    assert json.loads(entry.read_bytes())["deck"]["cases"]
    assert cache.load(folder, tmp_path / "cache") == first
