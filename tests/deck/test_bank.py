"""The bundled question bank meets every number the curriculum promises."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from cps_drill.deck.load import bundled_folder, load_deck
from cps_drill.deck.quality import measure

FOUR = ("respect", "integrity", "confidentiality", "autonomy")
# Sources whose facts are law or program rules that can change: explanations say "as of" a year.
CHANGEABLE = {
    "dcf-51a",
    "dppc",
    "elder",
    "ma-36b",
    "ma-s12",
    "part2",
    "kiva-cps",
    "cope-ma",
    "tc-cps",
}
BANNED = re.compile(
    r"all of the above|none of the above|both of the above|passing score|cut score|pass mark"
    r"|questions on the (real|actual) exam|the exam (has|lasts|takes)",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def deck():
    return load_deck(bundled_folder())


@pytest.fixture(scope="module")
def quality(deck):
    return measure(deck)


def every_text(q) -> str:
    parts = [q.question, q.scenario or "", q.explanation or ""]
    parts += [f"{o.text} {o.why or ''}" for o in q.options]
    return " ".join(parts)


def test_principles(deck):
    assert len(deck.principles) >= 14
    assert set(FOUR) <= set(deck.principles)
    for p in deck.principles.values():
        assert p.summary and len(p.key_points) >= 3, p.id
        assert p.sources, p.id
        for key in p.sources:
            assert deck.sources[key].title and deck.sources[key].url, key


def test_question_counts(deck, quality):
    assert quality.questions >= 240
    for pid, filed in quality.per_principle.items():
        assert filed >= 10, pid
    for pid in FOUR:
        assert quality.per_principle[pid] >= 8


def test_scenario_share(quality):
    assert quality.scenario_share >= 0.70


def test_option_counts_mostly_four_some_three_or_five(quality):
    counts = quality.option_counts
    assert counts[4] / quality.questions > 0.5
    assert counts.get(3, 0) > 0 and counts.get(5, 0) > 0


def test_every_option_has_a_why_and_every_question_a_source(deck, quality):
    assert quality.missing_why == []
    assert quality.missing_source == []
    assert all(q.source in deck.sources for q in deck.questions)


def test_difficulty_spread(deck, quality):
    assert quality.per_difficulty.get("unset", 0) == 0
    for level in ("1", "2", "3"):
        assert quality.per_difficulty[level] / quality.questions >= 0.15, level


def test_correct_option_is_no_give_away(quality):
    assert quality.longest_correct_rate <= 0.30
    assert quality.shortest_correct_rate <= 0.30


def test_correct_option_position_is_varied(deck):
    # The drill shuffles options, but a deck read as a study sheet should not cue either.
    positions = Counter(q.correct_index for q in deck.questions)
    assert max(positions.values()) / len(deck.questions) < 0.45


def test_no_banned_phrases_and_no_exam_format(deck):
    offenders = [q.id for q in deck.questions if BANNED.search(every_text(q))]
    assert offenders == []


def test_changeable_facts_say_as_of(deck):
    missing = [
        q.id
        for q in deck.questions
        if q.source in CHANGEABLE and "as of" not in (q.explanation or "").lower()
    ]
    assert missing == []


def test_ids_follow_their_principle(deck):
    prefixes = {q.id.rsplit("-", 1)[0] for q in deck.questions}
    assert len(prefixes) == len(deck.principles)


def test_no_two_questions_share_a_stem_and_key(deck):
    seen = Counter(
        (q.question.lower(), q.options[q.correct_index].text.lower()) for q in deck.questions
    )
    assert [k for k, n in seen.items() if n > 1] == []


def test_the_glossary_has_the_terms_a_candidate_meets():
    deck = load_deck(bundled_folder())
    for term in ("RLC", "DMH", "DCF", "DPPC", "51A", "Section 12", "WRAP", "HIPAA"):
        assert deck.find_term(term), term
    for term in ("42 CFR Part 2", "IPS", "SDM", "Executive Office of Elder Affairs"):
        assert deck.find_term(term), term
    assert all(t.source in deck.sources for t in deck.glossary.values() if t.source)
    used = {t.term for q in deck.questions for t in deck.terms_in(q)}
    assert {"RLC", "DMH"} <= used
