"""Quiz: a drill of the whole deck or some principles, piped answers, the summary."""

from __future__ import annotations

import json
import re
import shlex
import stat
import sys
from datetime import datetime

import pytest

from cps_drill.deck.load import load_deck
from tests.helpers import (
    ANSWER_KEYS,
    break_deck,
    drill,
    invoke,
    letter_of,
    progress_path,
    question_with_text,
    questions_shown,
    read_progress,
    table_row,
)

# -- quiz ----------------------------------------------------------------------------------


def test_quiz_piped_records_answers_and_shows_a_summary(mini, home):
    result = drill(mini, "--count", "2", "--seed", "7", input="a\nb\n")

    assert result.exit_code == 0, result.output
    shown = questions_shown(result.stdout)
    assert [(b["position"], b["total"]) for b in shown] == [(1, 2), (2, 2)]
    assert "Answer (A–" in result.stdout

    data = read_progress(home)
    assert json.loads(progress_path(home).read_text())["schema"] == 3
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
    assert "Stopped early: 1 of the 3 questions answered." in result.stdout
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
    assert "Stopped early: 1 of the 3 questions answered." in result.stdout
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
    # format-2 history belongs to the bundled deck, where the question is gone too
    assert json.loads(invoke(["stats", "--json"]).stdout)["answered"] == 1
    result = drill(mini, "--count", "1", "--seed", "1", input="a\n")
    assert result.exit_code == 0
    assert len(read_progress(home)["answers"]) == 2


def test_a_deck_smaller_than_the_count_asks_what_it_has(mini, home):
    result = drill(mini, "--count", "50", "--seed", "1", input="a\n" * 5)
    assert result.exit_code == 0
    assert "Question 1 of 5" in result.stdout and "Question 5 of 5" in result.stdout
    assert "Stopped after" not in result.stdout


# -- what a newcomer tripped over ----------------------------------------------------------


def test_a_question_filed_elsewhere_says_why_it_is_asked(mini, home):
    result = drill(mini, "-p", "confidentiality", "--count", "3", "--seed", "1", input="a\n" * 3)
    assert result.exit_code == 0
    assert "· Respect (also Confidentiality)" in result.stdout


def test_seed_gives_the_same_questions_whatever_the_history(mini, home):
    first = drill(mini, "--count", "2", "--seed", "4", input="b\nb\n")
    again = drill(mini, "--count", "2", "--seed", "4", input="b\nb\n")
    assert questions_shown(first.stdout) == questions_shown(again.stdout)


def test_after_a_perfect_session_the_next_step_is_more_practice(mini, home):
    first = questions_shown(drill(mini, "--count", "1", "--seed", "3", input="q\n").stdout)[0]
    right = letter_of(
        first,
        question_with_text(mini, first).options[question_with_text(mini, first).correct_index].text,
    )
    result = drill(mini, "--count", "1", "--seed", "3", input=f"{right.lower()}\n")
    assert "No misses. Next:\n  cps-drill quiz" in result.stdout
