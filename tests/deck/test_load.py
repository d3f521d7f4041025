"""The content loader and every validation rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from cps_drill.deck.load import bundled_folder, load_deck
from cps_drill.errors import ContentProblems, UsageError

PRINCIPLES = """\
principles:
  - id: confidentiality
    name: Confidentiality
    summary: Keep things private.
    key_points: [one, two]
    sources: [src-a]
  - id: respect
    name: Respect
    summary: Dignity for all.
sources:
  src-a:
    title: Source A
    url: https://example.org/a
"""

QUESTION = """\
  - id: q-001
    principle: confidentiality
    question: Which one?
    options:
      - text: This one
        correct: true
        why: Right.
      - text: That one
        why: Wrong.
"""

SCENARIOS = "scenarios:\n" + QUESTION


def write_deck(folder: Path, principles: str | bytes = PRINCIPLES, scenarios=SCENARIOS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("principles.yaml", principles), ("scenarios.yaml", scenarios)):
        if text is None:
            continue
        data = text.encode() if isinstance(text, str) else text
        (folder / name).write_bytes(data)
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentProblems) as info:
        load_deck(folder)
    return [str(p) for p in info.value.problems]


def test_valid_deck_loads(tmp_path):
    deck = load_deck(write_deck(tmp_path))
    assert list(deck.principles) == ["confidentiality", "respect"]
    q = deck.questions[0]
    assert q.correct_index == 0
    assert q.options[1].why == "Wrong."
    assert deck.sources["src-a"].url == "https://example.org/a"
    assert deck.principles["confidentiality"].key_points == ("one", "two")


def test_bundled_deck_is_valid():
    deck = load_deck(bundled_folder())
    assert len(deck.questions) > 0


def q(body: str) -> str:
    """A scenarios file holding one question written out in full."""
    return "scenarios:\n" + body


# (name, principles text or None for the default, scenarios text, file, line, words in message)
BROKEN = [
    ("syntax error", None, "scenarios:\n  - id: [unclosed\n", "scenarios.yaml", 2, "not closed"),
    (
        "unclosed quote",
        None,
        'scenarios:\n  - id: "q\n  - id: r\n',
        "scenarios.yaml",
        2,
        "never closed",
    ),
    (
        "colon in text",
        None,
        "scenarios:\n  - id: Say: this\n",
        "scenarios.yaml",
        2,
        "double quotes",
    ),
    (
        "correct in quotes",
        None,
        SCENARIOS.replace("correct: true", "correct: 'true'"),
        "scenarios.yaml",
        7,
        "without quotes",
    ),
    ("tab indent", None, "scenarios:\n\t- id: q\n", "scenarios.yaml", 2, "tab"),
    ("empty file", None, "", "scenarios.yaml", None, "empty"),
    ("top is a list", None, "- a\n- b\n", "scenarios.yaml", 1, "mapping"),
    ("scenarios not a list", None, "scenarios: hello\n", "scenarios.yaml", 1, "list"),
    (
        "unknown top key",
        None,
        SCENARIOS + "extra: 1\n",
        "scenarios.yaml",
        11,
        "unknown key 'extra'",
    ),
    (
        "unknown question key",
        None,
        SCENARIOS.replace("question:", "qustion:"),
        "scenarios.yaml",
        4,
        "Did you mean 'question'",
    ),
    (
        "missing question",
        None,
        SCENARIOS.replace("    question: Which one?\n", ""),
        "scenarios.yaml",
        2,
        "'question' is missing",
    ),
    (
        "no correct",
        None,
        SCENARIOS.replace("        correct: true\n", ""),
        "scenarios.yaml",
        6,
        "none is marked",
    ),
    (
        "two correct",
        None,
        SCENARIOS.replace("        why: Wrong.", "        why: Wrong.\n        correct: true"),
        "scenarios.yaml",
        6,
        "2 are marked",
    ),
    (
        "correct as text",
        None,
        SCENARIOS.replace("correct: true", 'correct: "true"'),
        "scenarios.yaml",
        7,
        "true or false",
    ),
    (
        "one option",
        None,
        SCENARIOS.replace("      - text: That one\n        why: Wrong.\n", ""),
        "scenarios.yaml",
        6,
        "1 options",
    ),
    (
        "unknown principle",
        None,
        SCENARIOS.replace("principle: confidentiality", "principle: confidentialty"),
        "scenarios.yaml",
        3,
        "Did you mean 'confidentiality'",
    ),
    (
        "unknown also",
        None,
        SCENARIOS.replace("    question:", "    also: [nope]\n    question:"),
        "scenarios.yaml",
        4,
        "unknown principle 'nope'",
    ),
    (
        "unknown source",
        None,
        SCENARIOS + "    source: src-b\n",
        "scenarios.yaml",
        11,
        "unknown source 'src-b'",
    ),
    ("duplicate id", None, SCENARIOS + QUESTION, "scenarios.yaml", 11, "used twice"),
    ("bad id", None, SCENARIOS.replace("id: q-001", "id: Q 001"), "scenarios.yaml", 2, "lowercase"),
    (
        "difficulty out of range",
        None,
        SCENARIOS.replace("    question:", "    difficulty: 5\n    question:"),
        "scenarios.yaml",
        4,
        "1 to 3",
    ),
    (
        "text is a list",
        None,
        SCENARIOS.replace("question: Which one?", "question: [a, b]"),
        "scenarios.yaml",
        4,
        "should be text",
    ),
    (
        "python tag",
        None,
        SCENARIOS.replace("question: Which one?", "question: !!python/object/apply:os.system [ls]"),
        "scenarios.yaml",
        4,
        "not allowed",
    ),
    ("binary bytes", None, b"scenarios:\n  - id: \xff\xfe\x00\n", "scenarios.yaml", 2, "not UTF-8"),
    (
        "latin-1",
        None,
        "scenarios:\n  - id: caf\xe9\n".encode("latin-1"),
        "scenarios.yaml",
        2,
        "UTF-8",
    ),
    ("utf-16", None, "scenarios: []\n".encode("utf-16"), "scenarios.yaml", 1, "UTF-16"),
    (
        "control character",
        None,
        "scenarios:\n  - id: a\x07b\n",
        "scenarios.yaml",
        2,
        "control character",
    ),
    ("missing file", None, None, "scenarios.yaml", None, "file not found"),
    (
        "duplicate key",
        None,
        SCENARIOS.replace("    question:", "    principle: respect\n    question:"),
        "scenarios.yaml",
        4,
        "appears twice",
    ),
    (
        "principle id twice",
        PRINCIPLES.replace("id: respect", "id: confidentiality"),
        SCENARIOS,
        "principles.yaml",
        7,
        "used twice",
    ),
    (
        "principle missing summary",
        PRINCIPLES.replace("    summary: Dignity for all.\n", ""),
        SCENARIOS,
        "principles.yaml",
        7,
        "'summary' is missing",
    ),
    (
        "principle cites unknown source",
        PRINCIPLES.replace("sources: [src-a]", "sources: [src-z]"),
        SCENARIOS,
        "principles.yaml",
        6,
        "unknown source 'src-z'",
    ),
    (
        "source without title",
        PRINCIPLES.replace("    title: Source A\n", ""),
        SCENARIOS,
        "principles.yaml",
        12,
        "'title' is missing",
    ),
    (
        "alias bomb",
        None,
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "scenarios: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        "scenarios.yaml",
        1,
        "anchors and aliases are not allowed",
    ),
]


BROKEN += [
    (
        "apostrophe in single quotes",
        None,
        SCENARIOS.replace("text: This one", "text: 'It's this one'"),
        "scenarios.yaml",
        6,
        "holds an apostrophe",
    ),
    (
        "question swallowed by a block",
        None,
        SCENARIOS.replace(
            "    question: Which one?\n",
            "    scenario: |\n      A situation.\n      question: Which one?\n",
        ),
        "scenarios.yaml",
        2,
        "inside the text above it",
    ),
]


@pytest.mark.parametrize(
    ("principles", "scenarios", "file", "line", "words"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_deck_is_refused_with_file_and_line(
    tmp_path, principles, scenarios, file, line, words
):
    folder = write_deck(tmp_path / "deck", principles or PRINCIPLES, scenarios)
    found = problems(folder)
    prefix = f"{folder / file}:{line}:" if line else f"{folder / file}: "
    matching = [p for p in found if p.startswith(prefix) and words in p]
    assert matching, f"expected {prefix} ... {words!r} in {found}"


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    scenarios = SCENARIOS.replace("question:", "qustion:") + QUESTION.replace(
        "principle: confidentiality", "principle: nope"
    ).replace("q-001", "q-002")
    found = problems(write_deck(tmp_path, scenarios=scenarios))
    lines = [p.split(":")[1] for p in found]
    assert lines == ["2", "4", "12"]  # missing 'question', the misspelt key, the bad reference


def test_missing_folder(tmp_path):
    found = problems(tmp_path / "nowhere")
    assert found == [f"{tmp_path / 'nowhere'}: content folder not found"]


def test_python_tag_never_constructs(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("os.system", lambda *a: calls.append(a))
    text = SCENARIOS.replace(
        "question: Which one?", "question: !!python/object/apply:os.system [echo]"
    )
    problems(write_deck(tmp_path, scenarios=text))
    assert calls == []


def test_forgiving_scalars_are_text(tmp_path):
    text = SCENARIOS.replace("text: This one", "text: yes").replace("text: That one", "text: 42")
    deck = load_deck(write_deck(tmp_path, scenarios=text))
    assert [o.text for o in deck.questions[0].options] == ["yes", "42"]


def test_empty_also_and_null_optional_fields(tmp_path):
    text = SCENARIOS.replace("    question:", "    also:\n    explanation:\n    question:")
    deck = load_deck(write_deck(tmp_path, scenarios=text))
    assert deck.questions[0].also == ()
    assert deck.questions[0].explanation is None


def test_resolve_principle_by_prefix_name_and_case(tmp_path):
    deck = load_deck(write_deck(tmp_path))
    assert deck.resolve_principle("conf").id == "confidentiality"
    assert deck.resolve_principle("RESPECT").id == "respect"
    with pytest.raises(UsageError, match="Did you mean 'respect'"):
        deck.resolve_principle("respekt")


def test_ambiguous_prefix_names_the_candidates(tmp_path):
    text = PRINCIPLES.replace("id: respect", "id: conflict").replace(
        "name: Respect", "name: Conflict"
    )
    deck = load_deck(write_deck(tmp_path, principles=text))
    with pytest.raises(
        UsageError, match=r"could mean confidentiality \(Confidentiality\); conflict \(Conflict\)"
    ):
        deck.resolve_principle("conf")


def test_questions_for_includes_also(tmp_path):
    text = SCENARIOS.replace("    question:", "    also: [respect]\n    question:")
    deck = load_deck(write_deck(tmp_path, scenarios=text))
    assert [q.id for q in deck.questions_for("respect")] == ["q-001"]


@pytest.mark.parametrize(
    ("principles", "scenarios", "file", "line", "words"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_validate_command_refuses_each_broken_deck(
    tmp_path, principles, scenarios, file, line, words
):
    from typer.testing import CliRunner

    from cps_drill.cli import app

    folder = write_deck(tmp_path / "deck", principles or PRINCIPLES, scenarios)
    result = CliRunner().invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    where = f"{folder / file}:{line}: " if line else f"{folder / file}: "
    assert any(row.startswith(where) and words in row for row in result.stdout.splitlines())
    assert result.stdout.rstrip().endswith("problem(s) found.")
    assert "Traceback" not in result.output


def test_resolve_principle_by_the_start_of_its_name(tmp_path):
    text = PRINCIPLES.replace("name: Confidentiality", "name: Privacy and confidentiality")
    deck = load_deck(write_deck(tmp_path, principles=text))
    assert deck.resolve_principle("privacy").id == "confidentiality"


def test_a_list_used_as_a_key_is_a_problem_not_a_crash(tmp_path):
    found = problems(write_deck(tmp_path, scenarios=SCENARIOS + "[a, b]: c\n"))
    assert any("a key should be a plain word" in p for p in found)
