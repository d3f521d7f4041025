"""Validate: every problem as FILE:LINE, and the bundled deck."""

from __future__ import annotations

import re

import pytest

from tests.helpers import (
    PROBLEM,
    break_deck,
    invoke,
)


def test_validate_mini_deck(mini):
    result = invoke(["validate", mini])
    assert result.exit_code == 0
    assert result.stdout == "2 principles, 5 questions: OK\n"
    assert result.stderr == ""


def test_validate_bundled_deck():
    result = invoke(["validate"])
    assert result.exit_code == 0
    assert re.fullmatch(
        r"18 principles, \d+ questions, (\d+ cases, )?\d+ glossary terms: OK\n", result.stdout
    )


def test_validate_takes_content_option_and_environment_variable(mini, monkeypatch):
    assert invoke(["validate", "--content", mini]).stdout == "2 principles, 5 questions: OK\n"
    monkeypatch.setenv("CPS_DRILL_CONTENT", str(mini))
    assert invoke(["validate"]).stdout == "2 principles, 5 questions: OK\n"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "scenarios.yaml",
            "principle: respect",
            "principle: respekt",
            "unknown principle 'respekt': it is not defined in principles.yaml. "
            "Did you mean 'respect'?",
        ),
        (
            "scenarios.yaml",
            "        correct: true\n        why: An adult's",
            "        why: An adult's",
            "question 'conf-001' needs exactly one option with 'correct: true'; none is marked",
        ),
        (
            "scenarios.yaml",
            "    difficulty: 2\n    scenario: |",
            "    dificulty: 2\n    scenario: |",
            "unknown key 'dificulty' in question 'conf-001'. Did you mean 'difficulty'?",
        ),
        (
            "scenarios.yaml",
            "  - id: conf-002",
            "  - id: conf-001",
            "question id 'conf-001' is used twice (first on line 2)",
        ),
        (
            "principles.yaml",
            "sources: [test-source]",
            "sources: [test-sauce]",
            "unknown source 'test-sauce': it is not defined in the sources of "
            "principles.yaml. Did you mean 'test-source'?",
        ),
        (
            "principles.yaml",
            "    name: Respect",
            "\tname: Respect",
            "a tab is used for indentation; indent with spaces",
        ),
    ],
    ids=["unknown-principle", "no-correct", "unknown-key", "duplicate-id", "source", "tab"],
)
def test_validate_broken_deck(mini, file, old, new, message):
    line = break_deck(mini, file, old, new)
    if "exactly one option" in message:  # reported where the options list starts
        text = (mini / file).read_text(encoding="utf-8")
        line = text.count("\n", 0, text.index("      - text: Everything")) + 1
    result = invoke(["validate", mini])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "1 problem(s) found."
    problems = [PROBLEM.match(x) for x in lines[:-1]]
    assert all(problems), lines
    assert [(p["file"], int(p["line"]), p["message"]) for p in problems] == [
        (str(mini / file), line, message)
    ]


def test_validate_lists_every_problem_in_file_order(mini):
    first = break_deck(mini, "scenarios.yaml", "principle: respect", "principle: respekt")
    second = break_deck(mini, "scenarios.yaml", "id: resp-003", "id: Resp_003")
    result = invoke(["validate", mini])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 problem(s) found."
    found = [PROBLEM.match(x) for x in lines[:-1]]
    assert all(found), lines
    assert [int(p["line"]) for p in found] == [first, second]
    assert all(p["file"] == str(mini / "scenarios.yaml") for p in found)


def test_validate_missing_folder(tmp_path):
    missing = tmp_path / "nowhere"
    result = invoke(["validate", missing])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{missing}: content folder not found",
        "1 problem(s) found.",
    ]


def test_a_missing_content_folder_is_named_in_the_advice(tmp_path):
    folder = tmp_path / "nowhere"
    result = invoke(["quiz", "--content", folder])
    assert result.exit_code == 1
    assert f"{folder}: content folder not found" in result.stderr
    assert f"cps-drill validate {folder} lists them all" in result.stderr
