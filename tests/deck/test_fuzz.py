"""Property tests: whatever YAML a trainer writes, the loader answers with its own error, fast."""

from __future__ import annotations

import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cps_drill.deck.load import load_deck
from cps_drill.errors import ContentProblems
from tests.deck.test_load import PRINCIPLES, SCENARIOS, write_deck

KEYS = st.sampled_from(
    [
        "id",
        "principle",
        "also",
        "question",
        "options",
        "text",
        "correct",
        "why",
        "scenarios",
        "principles",
        "name",
        "summary",
        "sources",
        "source",
        "difficulty",
        "title",
        "x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["confidentiality", "q-001", "respect", "src-a"]),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=30,
)
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(folder):
    started = time.perf_counter()
    try:
        load_deck(folder)
    except ContentProblems as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
    assert time.perf_counter() - started < 1.0


@FAST
@given(doc=DOCS)
def test_random_documents_as_scenarios(tmp_path_factory, doc):
    folder = write_deck(tmp_path_factory.mktemp("d"), PRINCIPLES, yaml.safe_dump(doc))
    check(folder)


@FAST
@given(doc=DOCS)
def test_random_documents_as_principles(tmp_path_factory, doc):
    folder = write_deck(tmp_path_factory.mktemp("d"), yaml.safe_dump(doc), SCENARIOS)
    check(folder)


@FAST
@given(data=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, data):
    check(write_deck(tmp_path_factory.mktemp("d"), PRINCIPLES, data))


@FAST
@given(cut=st.integers(0, len(SCENARIOS)), junk=st.text(max_size=5))
def test_damaged_valid_file(tmp_path_factory, cut, junk):
    text = SCENARIOS[:cut] + junk + SCENARIOS[cut:]
    check(write_deck(tmp_path_factory.mktemp("d"), PRINCIPLES, text))
