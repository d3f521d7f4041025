"""Property tests: whatever YAML a trainer writes, the loader answers with its own error, fast."""

from __future__ import annotations

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
    try:
        load_deck(folder)
    except ContentProblems as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


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


QUESTION_KEYS = st.sampled_from(
    ["id", "principle", "also", "question", "options", "scenario", "explanation", "source",
     "difficulty", "text", "correct", "why", "case", "content_note", "x"]
)  # fmt: skip
TEXTS = st.one_of(
    SCALARS,
    st.sampled_from(["two  spaces", " padded ", "line\nbreak", "para\n\nbreak", "a\x1bb", ""]),
)


@FAST
@given(
    key=QUESTION_KEYS, value=st.one_of(TEXTS, st.lists(TEXTS, max_size=3)), where=st.integers(0, 4)
)
def test_the_quick_reading_agrees_with_the_careful_one(key, value, where):
    """Whatever one value of a question holds, the quick path gives what the careful path
    gives, or leaves the question to it."""
    from cps_drill.deck.schema import Checker, Invalid, plain_question
    from cps_drill.deck.yamlfile import compose_text

    question = yaml.safe_load(SCENARIOS)["scenarios"][0]
    target = question if where == 0 else question["options"][(where - 1) % len(question["options"])]
    target[key] = value
    node = compose_text(yaml.safe_dump({"scenarios": [question]}), "x").value[0][1].value[0]
    quick = plain_question(node)
    try:
        careful = Checker()._question(node)
    except Invalid:
        careful = None
    if quick is not None:
        assert quick == careful
