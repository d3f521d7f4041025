"""Every command through Typer's CliRunner: what the user sees, the exit code, the file on disk.

CliRunner's stdin is not a terminal, so drills run in line mode: one answer a line, and the
end of input ends the session. The real terminal (single keys, the countdown) is covered in
test_terminal.py.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shlex
import shutil
import stat
import sys
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cps_drill.cli import app
from cps_drill.content import load_deck
from cps_drill.store import Store

runner = CliRunner()

ANSWER_KEYS = {
    "question",
    "principle",
    "chosen",
    "correct",
    "outcome",
    "seconds",
    "at",
    "session",
    "command",
    "fingerprint",
}
HEADER = re.compile(r"Question (\d+) of (\d+) · (.+?)( · again)? ─")
OPTION = re.compile(r"^  ([A-F])\. (.*)$")
PROBLEM = re.compile(r"^(?P<file>.+\.yaml):(?P<line>\d+): (?P<message>.+)$")


# -- helpers -------------------------------------------------------------------------------


def invoke(args, input=None, env=None):
    """Run the CLI; a Python exception escaping the program is always a test failure."""
    result = runner.invoke(app, [str(a) for a in args], input=input, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"cps-drill raised {result.exception!r}\n--- output ---\n{result.output}"
        ) from result.exception
    assert "Traceback" not in result.output
    return result


def drill(mini, *extra, input="", command="quiz"):
    args = [*command.split(), "--time-limit", "0", "--content", mini, *extra]
    return invoke(args, input=input)


def progress_path(home: Path) -> Path:
    return home / "progress.json"


def read_progress(home: Path) -> dict:
    """The progress as cps-drill reads it: answers from the log, sessions derived."""
    store = Store(home)
    return {**store.load(), "sessions": store.totals()["sessions"]}


def questions_shown(output: str) -> list[dict]:
    """Each question block in order: its header fields and its options by letter."""
    blocks: list[dict] = []
    reading = False
    for line in output.splitlines():
        header = HEADER.search(line)
        if header:
            blocks.append(
                {
                    "position": int(header[1]),
                    "total": int(header[2]),
                    "principle": header[3],
                    "again": bool(header[4]),
                    "options": {},
                }
            )
            reading = True
        elif line.startswith("Answer ("):
            reading = False
        elif reading and (option := OPTION.match(line)):
            blocks[-1]["options"][option[1]] = option[2]
    return blocks


def letter_of(block: dict, text: str) -> str:
    return next(letter for letter, shown in block["options"].items() if shown == text)


def question_with_text(mini: Path, block: dict):
    """The deck question whose options are the ones shown in block."""
    shown = set(block["options"].values())
    return next(q for q in load_deck(mini).questions if {o.text for o in q.options} == shown)


def write_progress(home: Path, answers: list[tuple[str, str, str]]) -> Path:
    """A progress file with answers given as (question, principle, outcome)."""
    home.mkdir(parents=True, exist_ok=True)
    data = {
        "schema": 1,
        "answers": [
            {
                "question": q,
                "principle": p,
                "chosen": 0 if outcome == "right" else 1,
                "correct": 0,
                "outcome": outcome,
                "seconds": 4.5,
                "at": "2025-01-02T03:04:05+00:00",
                "session": "s1",
            }
            for q, p, outcome in answers
        ],
        "sessions": [
            {
                "id": "s1",
                "command": "quiz",
                "started": "2025-01-02T03:00:00+00:00",
                "ended": "2025-01-02T03:04:05+00:00",
                "answered": len(answers),
                "right": sum(outcome == "right" for _, _, outcome in answers),
            }
        ],
    }
    path = progress_path(home)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def break_deck(mini: Path, file: str, old: str, new: str) -> int:
    """Replace the first `old` in a deck file; return the 1-based line it was on."""
    path = mini / file
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, at) + 1


# -- quiz ----------------------------------------------------------------------------------


def test_quiz_piped_records_answers_and_shows_a_summary(mini, home):
    result = drill(mini, "--count", "2", "--seed", "7", input="a\nb\n")

    assert result.exit_code == 0, result.output
    shown = questions_shown(result.stdout)
    assert [(b["position"], b["total"]) for b in shown] == [(1, 2), (2, 2)]
    assert "Answer (A–" in result.stdout

    data = read_progress(home)
    assert json.loads(progress_path(home).read_text())["schema"] == 2
    answers = data["answers"]
    assert len(answers) == 2
    deck = {q.id: q for q in load_deck(mini).questions}
    for answer, block, letter in zip(answers, shown, "ab", strict=True):
        assert set(answer) == ANSWER_KEYS
        question = deck[answer["question"]]
        assert answer["principle"] == question.principle
        # the letter typed is the option that was on screen at that letter
        assert question.options[answer["chosen"]].text == block["options"][letter.upper()]
        assert answer["correct"] == question.correct_index
        assert answer["outcome"] == ("right" if answer["chosen"] == answer["correct"] else "wrong")
        assert isinstance(answer["seconds"], (int, float)) and answer["seconds"] >= 0
        assert datetime.fromisoformat(answer["at"]).tzinfo is not None
        assert answer["session"] == data["sessions"][0]["id"]
    right = sum(a["outcome"] == "right" for a in answers)
    assert data["sessions"][0]["command"] == "quiz"
    assert data["sessions"][0]["answered"] == 2
    assert data["sessions"][0]["right"] == right

    score = re.search(r"Score: (\d) of 2 right \((\d+)%\) · time \d+:\d\d", result.stdout)
    assert score, result.stdout
    assert int(score[1]) == right
    assert int(score[2]) == round(100 * right / 2)
    assert "Review next:\n  cps-drill review " in result.stdout
    assert f"Progress saved in {home}" in result.stdout
    assert result.stderr == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_progress_file_is_private(mini, home):
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    mode = stat.S_IMODE(progress_path(home).stat().st_mode)
    assert mode == 0o600, oct(mode)


def test_review_command_in_summary_names_the_weakest_principle_and_the_deck(mini, home):
    result = drill(mini, "--count", "5", "--seed", "3", input="a\n" * 5)

    assert result.exit_code == 0
    answers = read_progress(home)["answers"]
    tallies: dict[str, list[int]] = {}
    for a in answers:
        tally = tallies.setdefault(a["principle"], [0, 0])
        tally[0] += a["outcome"] == "right"
        tally[1] += 1
    weakest = min(
        tallies, key=lambda p: (tallies[p][0] / tallies[p][1], tallies[p][0] - tallies[p][1])
    )
    expected = f"cps-drill review {weakest} --content {shlex.quote(str(mini))}"
    # the whole command is in the output (it may be wrapped; see the next test)
    assert expected in " ".join(result.stdout.split())


def test_review_command_in_summary_is_one_line_that_can_be_copied(mini, home):
    """The suggested command must not be broken over two lines, or pasting it runs a
    different command (`--content` without its folder). It stands on a line of its own."""
    result = drill(mini, "--count", "2", "--seed", "7", input="b\nb\n")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    line = lines[lines.index("Review next:") + 1]
    assert line.startswith("  cps-drill review ")
    assert line.rstrip().endswith(f"--content {shlex.quote(str(mini))}"), (
        "the Review next command was wrapped onto a second line:\n"
        + "\n".join(result.stdout.splitlines()[-4:])
    )


def test_end_of_input_mid_session_keeps_the_answers(mini, home):
    result = drill(mini, "--count", "3", "--seed", "2", input="a\n")

    assert result.exit_code == 0
    assert len(questions_shown(result.stdout)) == 2  # the second question was up when input ended
    assert "Stopped early: 1 of the 3 questions asked." in result.stdout
    assert re.search(r"Score: [01] of 1 right", result.stdout)
    assert len(read_progress(home)["answers"]) == 1


def test_no_input_at_all_records_nothing(mini, home):
    result = drill(mini, "--count", "2", "--seed", "2", input="")

    assert result.exit_code == 0
    assert "No questions answered; nothing was recorded." in result.stdout
    assert "Progress saved" not in result.stdout
    assert not progress_path(home).exists()


@pytest.mark.parametrize("word", ["q", "Q", "quit", "exit"])
def test_q_line_quits_and_keeps_the_answers(mini, home, word):
    result = drill(mini, "--count", "3", "--seed", "2", input=f"a\n{word}\nb\n")

    assert result.exit_code == 0
    assert "Session summary" in result.stdout
    assert "Stopped early: 1 of the 3 questions asked." in result.stdout
    assert len(questions_shown(result.stdout)) == 2
    assert len(read_progress(home)["answers"]) == 1


def test_invalid_line_asks_again(mini, home):
    result = drill(mini, "--count", "1", "--seed", "4", input="x\n\n  \nzz\n1\n")

    assert result.exit_code == 0
    block = questions_shown(result.stdout)[0]
    n = len(block["options"])
    last = "ABCDEF"[n - 1]
    message = f"Please answer with a letter A–{last} or a number 1–{n}, or q."
    assert result.stdout.count(message) == 2  # "x" and "zz"; blank lines are skipped quietly
    answers = read_progress(home)["answers"]
    assert len(answers) == 1
    question = question_with_text(mini, block)
    assert question.options[answers[0]["chosen"]].text == block["options"]["A"]  # "1" is A


def test_letter_past_the_last_option_is_refused(mini, home):
    result = drill(mini, "--count", "1", "--seed", "1", input="f\n6\n")

    n = len(questions_shown(result.stdout)[0]["options"])
    assert n < 6  # the mini deck has no question with six options
    message = f"Please answer with a letter A–{'ABCDEF'[n - 1]} or a number 1–{n}, or q."
    assert result.stdout.count(message) == 2
    assert not progress_path(home).exists()


def test_principle_filter(mini, home):
    result = drill(mini, "--count", "10", "--seed", "5", "--principle", "respect", input="a\n" * 10)

    assert result.exit_code == 0
    shown = questions_shown(result.stdout)
    # resp-001, resp-002, resp-003 (resp-001 also counts for confidentiality, not the reverse)
    assert [b["total"] for b in shown] == [3, 3, 3]
    ids = {a["question"] for a in read_progress(home)["answers"]}
    assert ids == {"resp-001", "resp-002", "resp-003"}


def test_principle_filter_includes_questions_that_also_cover_it(mini, home):
    result = drill(mini, "-n", "10", "--seed", "5", "-p", "confidentiality", input="a\n" * 10)

    assert result.exit_code == 0
    ids = {a["question"] for a in read_progress(home)["answers"]}
    assert ids == {"conf-001", "conf-002", "resp-001"}


def test_principle_filter_by_name_and_prefix_and_repeated(mini, home):
    result = drill(mini, "-n", "10", "--seed", "5", "-p", "RESPECT", "-p", "conf", input="")
    assert result.exit_code == 0
    assert questions_shown(result.stdout)[0]["total"] == 5


def test_unknown_principle_is_a_usage_error(mini, home):
    result = drill(mini, "--principle", "confidentialty", input="a\n")

    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: no principle called 'confidentialty'. Did you mean 'confidentiality'? "
        "Known principles: confidentiality, respect."
    )
    assert "Question" not in result.stdout
    assert not progress_path(home).exists()


def test_unknown_principle_without_a_close_match_lists_the_known_ids(mini):
    result = drill(mini, input="", command="review zzz")
    assert result.exit_code == 2
    assert "Did you mean" not in result.stderr
    assert "Known principles: confidentiality, respect." in result.stderr
    assert result.stdout == ""


# -- review --------------------------------------------------------------------------------


def test_review_prefix_shows_the_principle_card_first(mini, home):
    result = drill(mini, "--seed", "3", input="", command="review conf")

    assert result.exit_code == 0
    out = result.stdout
    lines = [line.rstrip() for line in out.splitlines()]
    card = [
        "Keep what people share private, and say at the start where that privacy ends.",
        "",
        "Key points",
        "  • Explain the limits of confidentiality at the first meeting.",
        "  • Share with the team only under consent and agency policy.",
        "",
        "Sources",
        "  • A test source",
        "    https://example.org/test",
        "",
        "3 questions on Confidentiality.",
    ]
    start = lines.index(card[0])
    assert lines[start : start + len(card)] == card
    assert re.fullmatch(r"─+ Confidentiality ─+", lines[start - 1])
    assert out.index("3 questions on Confidentiality.") < out.index("Question 1 of 3")


def test_review_card_without_key_points_or_sources(mini):
    result = drill(mini, "--seed", "3", input="", command="review Respect")
    assert result.exit_code == 0
    assert "Treat every person with dignity." in result.stdout
    assert "Key points" not in result.stdout
    assert "Sources" not in result.stdout
    assert "3 questions on Respect." in result.stdout


def test_review_requeues_a_missed_question_until_it_is_answered_right(mini, home):
    args = ("--count", "1", "--seed", "11")
    command = "review confidentiality"

    # See the first showing and pick a wrong letter.
    first = questions_shown(drill(mini, *args, command=command).stdout)[0]
    question = question_with_text(mini, first)
    right_text = question.options[question.correct_index].text
    wrong = next(k for k, text in first["options"].items() if text != right_text)

    # Answer it wrong: the same question comes back, marked "again", in a fresh order.
    result = drill(mini, *args, input=f"{wrong.lower()}\n", command=command)
    shown = questions_shown(result.stdout)
    header = [(b["position"], b["total"], b["again"]) for b in shown]
    assert header == [(1, 1, False), (2, 2, True)]
    assert set(shown[1]["options"].values()) == set(first["options"].values())
    right = letter_of(shown[1], right_text)

    # From the start again: wrong, then right; the session ends there.
    shutil.rmtree(home)
    result = drill(mini, *args, input=f"{wrong.lower()}\n{right.lower()}\n", command=command)
    assert result.exit_code == 0
    assert "Question 2 of 2" in result.stdout and " · again ─" in result.stdout
    answers = read_progress(home)["answers"]
    assert [(a["question"], a["outcome"]) for a in answers] == [
        (question.id, "wrong"),
        (question.id, "right"),
    ]
    assert "Score: 1 of 2 right (50%)" in result.stdout
    assert "Stopped after" not in result.stdout
    missed = result.stdout.split("Missed\n", 1)[1].split("Review next:")[0]
    assert missed.count("•") == 1  # listed as missed once
    assert "Question 3" not in result.stdout


def test_review_unknown_principle(mini):
    result = drill(mini, input="", command="review respekt")
    assert result.exit_code == 2
    assert "Did you mean 'respect'?" in result.stderr
    assert "Known principles: confidentiality, respect." in result.stderr


# -- principles and stats ------------------------------------------------------------------


def table_row(output: str, first_cell: str) -> list[str]:
    for line in output.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line)]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row for {first_cell!r} in:\n{output}")


def test_principles_before_any_answer(mini):
    result = invoke(["principles", "--content", mini])

    assert result.exit_code == 0
    assert table_row(result.stdout, "confidentiality") == [
        "confidentiality",
        "Confidentiality",
        "3",
        "not tried yet",
    ]
    assert table_row(result.stdout, "respect") == ["respect", "Respect", "3", "not tried yet"]
    assert "Study one with: cps-drill review ID (the start of an id is enough)" in result.stdout


def test_principles_show_accuracy(mini, home):
    write_progress(
        home,
        [
            ("conf-001", "confidentiality", "right"),
            ("conf-002", "confidentiality", "wrong"),
            ("conf-002", "confidentiality", "right"),
        ],
    )
    result = invoke(["principles", "--content", mini])

    assert result.exit_code == 0
    assert table_row(result.stdout, "confidentiality")[3] == "67% of 3"
    assert table_row(result.stdout, "respect")[3] == "not tried yet"


def test_stats_with_no_answers(mini):
    result = invoke(["stats", "--content", mini])
    assert result.exit_code == 0
    assert result.stdout.strip() == "No answers recorded yet. Start with: cps-drill quiz"


def test_stats_table(mini, home):
    write_progress(
        home,
        [
            ("conf-001", "confidentiality", "right"),
            ("resp-001", "respect", "timeout"),
            ("resp-002", "respect", "right"),
            ("resp-003", "respect", "wrong"),
        ],
    )
    result = invoke(["stats", "--content", mini])

    assert result.exit_code == 0
    assert "Answered 4, right 2 (50%)." in result.stdout
    assert table_row(result.stdout, "Confidentiality")[1:] == ["1", "1", "100%"]
    assert table_row(result.stdout, "Respect")[1:] == ["1", "3", "33%"]
    assert "Recent sessions" in result.stdout
    # a format-1 file: after the upgrade a session starts at its first answer
    assert table_row(result.stdout, "2025-01-02 03:04")[1:] == ["quiz", "2/4"]


def test_stats_json(mini, home):
    write_progress(
        home,
        [
            ("resp-001", "respect", "right"),
            ("resp-002", "respect", "wrong"),
        ],
    )
    result = invoke(["stats", "--json", "--content", mini])

    assert result.exit_code == 0
    assert result.stderr == ""
    figures = json.loads(result.stdout)
    assert figures["answered"] == 2
    assert figures["correct"] == 1
    assert figures["principles"]["respect"]["answered"] == 2
    assert figures["principles"]["respect"]["correct"] == 1
    assert figures["principles"]["confidentiality"]["answered"] == 0
    assert figures["principles"]["confidentiality"]["correct"] == 0
    assert list(figures["principles"]) == ["confidentiality", "respect"]


def test_stats_json_after_a_quiz_matches_the_progress_file(mini, home):
    drill(mini, "--count", "5", "--seed", "9", input="b\n" * 5)
    answers = read_progress(home)["answers"]

    result = invoke(["stats", "--json", "--content", mini])
    assert result.stderr == ""
    figures = json.loads(result.stdout)
    assert figures["answered"] == len(answers) == 5
    assert figures["correct"] == sum(a["outcome"] == "right" for a in answers)
    for pid, tally in figures["principles"].items():
        mine = [a for a in answers if a["principle"] == pid]
        assert tally["answered"] == len(mine)
        assert tally["correct"] == sum(a["outcome"] == "right" for a in mine)


def test_stats_json_with_no_progress(mini):
    result = invoke(["stats", "--json", "--content", mini])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["answered"] == 0
    assert figures["correct"] == 0
    assert figures["principles"] == {
        "confidentiality": {"answered": 0, "correct": 0, "accuracy": None},
        "respect": {"answered": 0, "correct": 0, "accuracy": None},
    }


def test_stats_still_work_when_the_content_is_broken(mini, home):
    write_progress(home, [("resp-001", "respect", "right")])
    break_deck(mini, "scenarios.yaml", "principle: respect", "principle: respekt")

    result = invoke(["stats", "--json", "--content", mini])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["principles"] == {
        "confidentiality": {"answered": 0, "correct": 0, "accuracy": None},
        "respect": {"answered": 1, "correct": 1, "accuracy": 1.0},
    }
    break_deck(mini, "principles.yaml", "summary:", "sumary:")
    result = invoke(["stats", "--json", "--content", mini])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["principles"] == {
        "respect": {"answered": 1, "correct": 1, "accuracy": 1.0}
    }


# -- validate and content folders ----------------------------------------------------------


def test_validate_mini_deck(mini):
    result = invoke(["validate", mini])
    assert result.exit_code == 0
    assert result.stdout == "2 principles, 5 questions: OK\n"
    assert result.stderr == ""


def test_validate_bundled_deck():
    result = invoke(["validate"])
    assert result.exit_code == 0
    assert result.stdout.endswith(" questions: OK\n")


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


def test_content_option_and_environment_variable_choose_the_deck(mini, tmp_path, monkeypatch):
    bundled = invoke(["principles"]).stdout
    assert table_row(bundled, "respect")[2] != "3"  # the bundled deck differs from mini

    assert table_row(invoke(["principles", "--content", mini]).stdout, "respect")[2] == "3"

    monkeypatch.setenv("CPS_DRILL_CONTENT", str(mini))
    assert table_row(invoke(["principles"]).stdout, "respect")[2] == "3"

    # the option wins over the variable
    monkeypatch.setenv("CPS_DRILL_CONTENT", str(tmp_path / "nowhere"))
    assert invoke(["principles", "--content", mini]).exit_code == 0
    result = invoke(["principles"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: content folder not found" in result.stderr


def test_quiz_uses_the_environment_variable(mini, home, monkeypatch):
    monkeypatch.setenv("CPS_DRILL_CONTENT", str(mini))
    result = invoke(["quiz", "-n", "5", "-t", "0", "--seed", "1"], input="a\n" * 5)
    assert result.exit_code == 0
    assert len(read_progress(home)["answers"]) == 5


def test_quiz_on_invalid_content_exits_before_the_drill(mini, home):
    line = break_deck(mini, "scenarios.yaml", "principle: respect", "principle: respekt")
    result = drill(mini, "--count", "2", input="a\nb\n")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{mini / 'scenarios.yaml'}:{line}: unknown principle 'respekt': it is not defined "
        "in principles.yaml. Did you mean 'respect'?",
        f"Error: the deck has 1 problem(s); fix them and try again (cps-drill validate {mini} "
        "lists them all).",
    ]
    assert not progress_path(home).exists()


# -- the progress file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "-t", "0"],
        ["review", "conf", "-t", "0"],
        ["stats"],
        ["stats", "--json"],
        ["principles"],
    ],
    ids=lambda a: " ".join(a),
)
def test_unreadable_progress_file_is_one_line_and_left_alone(mini, home, args):
    home.mkdir(parents=True)
    path = progress_path(home)
    broken = b'{"schema": 1, "answers": [\n  oops\n'
    path.write_bytes(broken)

    result = invoke([*args, "--content", mini], input="a\n")

    assert result.exit_code == 1
    assert "Question" not in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: cannot read your progress: it is not valid JSON")
    assert "It has been left exactly as it is." in lines[0]
    assert path.read_bytes() == broken


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\xff\xfe\x00garbage", "it is not text"),
        (b"[1, 2, 3]", "it is not a cps-drill progress file"),
        (b'{"schema": 1}', "its answers are missing or not in the usual form"),
    ],
)
def test_other_unreadable_progress_files(mini, home, content, why):
    home.mkdir(parents=True)
    path = progress_path(home)
    path.write_bytes(content)

    result = drill(mini, input="a\n")

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"{path}: cannot read your progress: {why}." in result.stderr
    assert path.read_bytes() == content


def test_progress_from_a_newer_version_is_left_alone(mini, home):
    home.mkdir(parents=True)
    path = progress_path(home)
    content = b'{"schema": 99, "answers": [], "sessions": []}'
    path.write_bytes(content)

    result = drill(mini, input="a\n")
    assert result.exit_code == 1
    assert "saved by a newer cps-drill" in result.stderr
    assert path.read_bytes() == content


def test_failed_write_keeps_the_previous_file(mini, home, monkeypatch):
    import cps_drill.store

    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    answers = home / "answers.jsonl"
    before = {p.name: p.read_bytes() for p in (progress_path(home), answers)}

    def refuse(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cps_drill.store.os, "write", refuse)
    result = drill(mini, "--count", "2", "--seed", "2", input="a\nb\n")
    monkeypatch.undo()

    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in (progress_path(home), answers)} == before
    assert result.stderr.strip() == (
        f"Error: {home}: could not save your progress (No space left on device). "
        "Everything saved before is unchanged."
    )
    assert not list(home.glob(".*.tmp"))  # no temp file left behind


def test_failed_write_of_the_first_answer_creates_no_file(mini, home, monkeypatch):
    import cps_drill.store

    def refuse(src, dst):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(cps_drill.store.os, "replace", refuse)
    result = drill(mini, "--count", "1", "--seed", "1", input="a\n")
    monkeypatch.undo()

    assert result.exit_code == 1
    assert "could not save your progress (Permission denied)" in result.stderr
    assert not progress_path(home).exists()
    assert not (home / "answers.jsonl").exists()


def test_answers_accumulate_across_sessions(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\na\n")
    drill(mini, "--count", "2", "--seed", "2", input="b\nb\n")
    data = read_progress(home)
    assert len(data["answers"]) == 4
    assert len(data["sessions"]) == 2
    assert len({a["session"] for a in data["answers"]}) == 2


# -- what is printed -----------------------------------------------------------------------


def test_markup_in_content_is_printed_literally(mini, home):
    result = drill(mini, "--count", "3", "--seed", "1", "-p", "respect", input="a\na\na\n")

    assert result.exit_code == 0
    out = result.stdout
    assert "A sign on the door says [bold]STAFF ONLY[/] in red." in out
    assert "Which markup-looking text is shown literally? [red]" in out
    block = next(b for b in questions_shown(out) if "[bold]this[/]" in b["options"].values())
    assert set(block["options"].values()) == {"[bold]this[/]", "[/]that"}
    assert "Best answer: " in out and ". [bold]this[/]" in out


def test_markup_in_a_principle_card_is_printed_literally(mini):
    break_deck(
        mini,
        "principles.yaml",
        "Treat every person with dignity.",
        "Treat every person with [italic]dignity[/italic].",
    )
    result = drill(mini, "--count", "1", input="", command="review respect")
    assert result.exit_code == 0
    assert "Treat every person with [italic]dignity[/italic]." in result.stdout


def test_no_color_gives_no_escape_codes(mini, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    results = [
        drill(mini, "--count", "2", "--seed", "7", input="a\nb\n"),
        invoke(["principles", "--content", mini]),
        invoke(["stats", "--content", mini]),
        invoke(["review", "nope", "--content", mini]),
    ]
    for result in results:
        assert "\x1b" not in result.output


def test_plain_output_when_not_a_terminal(mini):
    """Piped output carries no escape codes, even without NO_COLOR."""
    result = drill(mini, "--count", "2", "--seed", "7", input="a\nb\n")
    assert "\x1b" not in result.output
    assert "\r" not in result.output  # no countdown redraws in line mode


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "--principle", "nope"],
        ["quiz", "--count", "0"],
        ["quiz", "--count", "many"],
        ["quiz", "--time-limit", "-1"],
        ["review"],
        ["review", "nope"],
        ["drill"],
        ["stats", "--jsn"],
        ["validate", "nowhere"],
        ["quiz", "--content", "nowhere"],
        ["principles", "--content", "nowhere"],
    ],
    ids=lambda a: " ".join(a),
)
def test_user_mistakes_never_show_a_traceback(mini, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    if "--content" not in args and args[0] != "validate":
        args = [*args, "--content", str(mini)]
    result = invoke(args, input="a\n")
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert result.output.strip()  # something was said


def test_no_arguments_shows_help():
    result = invoke([])
    assert result.exit_code in (0, 2)
    for command in ("quiz", "review", "principles", "stats", "validate"):
        assert command in result.output


def test_help_for_each_command():
    for command in ("quiz", "review", "principles", "stats", "validate"):
        result = invoke([command, "--help"])
        assert result.exit_code == 0
        assert "--content" in result.output or command == "validate"


def test_unusable_home_is_one_line(mini, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CPS_DRILL_HOME", str(not_a_folder))

    result = drill(mini, "--count", "1", "--seed", "1", input="a\n")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {not_a_folder / 'progress.json'}: ")
    assert not_a_folder.read_text(encoding="utf-8") == "x"


# -- restore -------------------------------------------------------------------------------


def test_restore_recovers_every_answer_that_can_be_read(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\na\n")
    drill(mini, "--count", "1", "--seed", "2", input="b\n")  # the backup is taken at its start
    log = home / "answers.jsonl"
    log.write_bytes(b"garbage\n" + log.read_bytes())

    refused = invoke(["stats"])
    assert refused.exit_code == 1
    assert f"{log}: cannot read your progress: line 1 is damaged." in refused.stderr
    assert "Run 'cps-drill restore' to recover every answer that can still be read." in (
        refused.stderr
    )

    result = invoke(["restore"])
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "Recovered 3 answers: 2 from the backup answers-" in out
    assert ", 1 more from the current files." in out
    assert "1 line of the damaged file could not be read;" in out
    kept = list(home.glob("answers.jsonl.broken-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"garbage\n")
    assert json.loads(invoke(["stats", "--json"]).stdout)["answered"] == 3


def test_restore_after_a_damaged_state_file_keeps_every_answer(mini, home):
    drill(mini, "--count", "3", "--seed", "1", input="a\na\na\n")
    (home / "progress.json").write_text("garbage")
    assert invoke(["stats"]).exit_code == 1
    result = invoke(["restore"])
    assert result.exit_code == 0
    assert "Recovered 3 answers: 3 more from the current files." in result.stdout
    assert json.loads(invoke(["stats", "--json"]).stdout)["answered"] == 3


def test_restore_when_nothing_is_damaged_changes_nothing(mini, home):
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    before = (home / "answers.jsonl").read_bytes()
    result = invoke(["restore"])
    assert result.exit_code == 0
    assert "Nothing is damaged; 1 answer on record." in result.stdout
    assert (home / "answers.jsonl").read_bytes() == before


def test_restore_with_nothing_to_recover(home):
    home.mkdir(parents=True)
    (home / "progress.json").write_text("garbage")
    result = invoke(["restore"])
    assert result.exit_code == 1
    assert "there is no answer to recover" in result.stderr


# -- content edits -------------------------------------------------------------------------


def test_a_question_gone_from_the_deck_stays_in_the_history(mini, home):
    home.mkdir(parents=True)
    (home / "progress.json").write_text('{"schema": 2}')
    gone = {
        "question": "gone-001",
        "principle": "vanished",
        "chosen": 0,
        "correct": 1,
        "outcome": "wrong",
        "seconds": 3.0,
        "at": "2026-01-01T00:00:00+00:00",
        "session": "old",
        "command": "quiz",
        "fingerprint": "x",
    }
    (home / "answers.jsonl").write_text(json.dumps(gone) + "\n")

    for args in (["stats"], ["stats", "--json"], ["principles"]):
        result = invoke([*args, "--content", mini])
        assert result.exit_code == 0, result.output
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 1
    result = drill(mini, "--count", "1", "--seed", "1", input="a\n")
    assert result.exit_code == 0
    assert len(read_progress(home)["answers"]) == 2


def test_a_deck_smaller_than_the_count_asks_what_it_has(mini, home):
    result = drill(mini, "--count", "50", "--seed", "1", input="a\n" * 5)
    assert result.exit_code == 0
    assert "Question 1 of 5" in result.stdout and "Question 5 of 5" in result.stdout
    assert "Stopped after" not in result.stdout


# -- what a newcomer tripped over ----------------------------------------------------------


def test_version():
    from cps_drill import __version__

    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"cps-drill {__version__}\n"


def test_a_question_filed_elsewhere_says_why_it_is_asked(mini, home):
    result = drill(mini, "-p", "confidentiality", "--count", "3", "--seed", "1", input="a\n" * 3)
    assert result.exit_code == 0
    assert "· Respect (also Confidentiality)" in result.stdout


def test_seed_gives_the_same_questions_whatever_the_history(mini, home):
    first = drill(mini, "--count", "2", "--seed", "4", input="b\nb\n")
    again = drill(mini, "--count", "2", "--seed", "4", input="b\nb\n")
    assert questions_shown(first.stdout) == questions_shown(again.stdout)


def test_listings_become_lists_in_a_narrow_terminal(mini, home, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    for args in (["principles"], ["stats"]):
        result = invoke([*args, "--content", mini])
        assert result.exit_code == 0
        assert "┃" not in result.stdout  # no table
    listed = invoke(["principles", "--content", mini]).stdout
    assert "\nconfidentiality\n" in listed and "\nrespect\n" in listed  # ids whole


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_progress_folder_is_private(mini, home):
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_a_missing_content_folder_is_named_in_the_advice(tmp_path):
    folder = tmp_path / "nowhere"
    result = invoke(["quiz", "--content", folder])
    assert result.exit_code == 1
    assert f"{folder}: content folder not found" in result.stderr
    assert f"cps-drill validate {folder} lists them all" in result.stderr


def test_after_a_perfect_session_the_next_step_is_more_practice(mini, home):
    first = questions_shown(drill(mini, "--count", "1", "--seed", "3", input="q\n").stdout)[0]
    right = letter_of(
        first,
        question_with_text(mini, first).options[question_with_text(mini, first).correct_index].text,
    )
    result = drill(mini, "--count", "1", "--seed", "3", input=f"{right.lower()}\n")
    assert "No misses. Next:\n  cps-drill quiz" in result.stdout


def test_a_review_with_misses_suggests_the_same_principle(mini, home):
    result = drill(mini, "--count", "2", "--seed", "1", input="b\nb\nb\nb\n", command="review conf")
    if "Review next:" in result.stdout:
        assert "Review next:\n  cps-drill review confidentiality" in result.stdout


def test_stats_json_sessions_say_correct_like_the_rest(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\nb\n")
    (session,) = json.loads(invoke(["stats", "--json"]).stdout)["sessions"]
    assert set(session) == {"id", "command", "started", "ended", "answered", "correct"}
