"""The fast reader gives exactly PyYAML's nodes, or steps aside."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cps_drill import blockyaml
from cps_drill.content import bundled_folder

DECKS = Path(__file__).parent / "decks"


def pyyaml(text: str):
    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def assert_same(fast, slow, where="root"):
    if slow is None:
        assert fast is None, where
        return
    assert type(fast).__name__ == type(slow).__name__, where
    assert fast.tag == slow.tag, where
    assert fast.line == slow.start_mark.line + 1, (where, fast.line, slow.start_mark.line + 1)
    if type(slow).__name__ == "ScalarNode":
        assert fast.value == slow.value, where
    elif type(slow).__name__ == "SequenceNode":
        assert len(fast.value) == len(slow.value), where
        for k, (a, b) in enumerate(zip(fast.value, slow.value, strict=True)):
            assert_same(a, b, f"{where}[{k}]")
    else:
        assert len(fast.value) == len(slow.value), where
        for (ka, va), (kb, vb) in zip(fast.value, slow.value, strict=True):
            assert_same(ka, kb, f"{where}.key")
            assert_same(va, vb, f"{where}.{kb.value}")


def check(text: str) -> bool:
    """True when the fast reader took the text (and then matched PyYAML)."""
    try:
        slow = pyyaml(text)
    except yaml.YAMLError:
        with pytest.raises(blockyaml.Unsupported):
            blockyaml.compose(text)
        return False
    try:
        fast = blockyaml.compose(text)
    except blockyaml.Unsupported:
        return False
    assert_same(fast, slow)
    return True


def deck_files():
    files = sorted(bundled_folder().glob("*.yaml")) + sorted(DECKS.glob("*/*.yaml"))
    return [pytest.param(f, id=f"{f.parent.name}/{f.name}") for f in files]


@pytest.mark.parametrize("path", deck_files())
def test_real_decks_take_the_fast_path_and_match(path):
    assert check(path.read_text(encoding="utf-8"))


CASES = [
    "a: 1\nb: true\nc: null\nd: ~\ne: 2024-01-01\nf: 1.5\ng: yes\nh: 0x1F\n",
    "a:\nb: x\n",
    "a:\n  - x\n  - y\n",
    "a:\n- x\n- y\nb: z\n",
    "- a: 1\n  b: 2\n-   c: 3\n    d: 4\n",
    "a: 'it''s'\nb: \"q \\\" \\\\ \\n \\u00e9\"\nc: 'x' # note\n",
    "a: |\n  one\n  two\n\n  three\nb: x\n",
    "a: |-\n  one\n\n\nb: x\n",
    "a: >\n  one\n  two\n\n  three\nb: x\n",
    "a: >-\n  one\n  two\n",
    "a: |\n\nb: x\n",
    "a: [x, y, z]\nb: []\nc: [x, y,]\n",
    "# top\n---\na: 1 # end\n\n# more\nb: 2\n",
    "a: x #c\n",
    "a: x\n  continued\n",
    "a: 'x'y\n",
    "a: b: c\n",
    "a:\n  b:\n    c: [1, 2]\n  d: e\nf: g\n",
    "key with space: v\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: {b: c}\n",
    "- - a\n",
    'a: "line\n  more"\n',
    "a: |\n  x",
    "a: |2\n   x\n",
    "a: >\n  x\n    y\n  z\n",
    "a: |\n    x\n  y\n",
    "-\n  a: 1\n- b\n",
    "a: 1\n a: 2\n",
    "a: 1\nb\n",
    "",
    "# only a comment\n",
    "scalar\n",
    'a: "\\x41"\n',
    'a: "\\ud83d\\ude00"\n',
    "a: [b, [c]]\n",
    "a: x\n\n\n",
    "a:\n\n  - x\n",
    "a: -x\nb: - x\n",
    "a: 'x'\n  'y'\n",
    "a:\r\n  b: c\r\n",
    "a: b\x07c\n",
    "id: >\n\n  # c\n",
    'a: "x\x85y"\n',
    'a: "x\u2028y"\nb: z\n',
    "a: x\u2029\n",
    "a: x\u2028y\n",
    "---\n",
    "# x\n---\n",
    "a: 1\n---\n",
    "k" * 1100 + ": v\n",
    "a: >\n\n\n  x\n  y\n\n  z\n",
    "a: |\n\n  x\n",
    "a: \ufeffb\n",
]


@pytest.mark.parametrize("text", CASES)
def test_tricky_cases_match_pyyaml_or_step_aside(text):
    check(text)


KEYS = st.sampled_from(["id", "text", "why", "a", "b_c", "key-1", "yes", "null", "2"])
WORDS = st.text(
    alphabet=st.sampled_from([*"abc XYZ019'\"#:-,.![]{}&*|>?%@`\\é", "\n"]),
    max_size=14,
)
SCALARS = st.one_of(WORDS, st.integers(-3, 3), st.booleans(), st.none(), st.floats(-2, 2))
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
)
STYLES = st.sampled_from([None, "'", '"', "|", ">"])
MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MANY
@given(doc=DOCS, style=STYLES, flow=st.sampled_from([False, None]), width=st.integers(20, 200))
def test_dumped_documents_match_pyyaml(doc, style, flow, width):
    text = yaml.safe_dump(
        doc, default_style=style, default_flow_style=flow, width=width, allow_unicode=True
    )
    check(text)


LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", KEYS, WORDS),
    st.builds(lambda v: f"- {v}", WORDS),
    st.builds(lambda k: f"{k}:", KEYS),
    st.builds(lambda k, h: f"{k}: {h}", KEYS, st.sampled_from(["|", ">", "|-", ">-", "|+"])),
    st.just(""),
    st.just("# c"),
    st.just("-"),
)


@MANY
@given(lines=st.lists(st.tuples(st.integers(0, 3), LINE), max_size=12))
def test_hand_written_looking_text_matches_pyyaml(lines):
    check("".join(" " * (2 * depth) + line + "\n" for depth, line in lines))
