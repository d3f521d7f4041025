"""The mock exam: drawing, piped answers, keeping and resuming, results, and a real terminal."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from cps_drill.deck.load import bundled_folder, load_deck
from cps_drill.progress.derived import deck_view
from cps_drill.progress.store import Store
from cps_drill.study.choose import missed_questions
from cps_drill.study.exam import Attempt, draw
from tests.helpers import deck_id, invoke

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\r")


def exam(mini, *extra, input=""):
    return invoke(["exam", "--content", mini, *extra], input=input)


def saved(home: Path) -> dict:
    return json.loads((home / "exam.json").read_text())


def test_questions_are_drawn_in_proportion_with_every_principle_and_none_twice():
    questions = load_deck(bundled_folder()).questions
    principles = {q.principle for q in questions}
    for n in (len(principles), 50, 77):
        chosen = draw(questions, n, random.Random(n))
        assert len(chosen) == n == len({q.id for q in chosen})
        assert {q.principle for q in chosen} == principles
        counts = Counter(q.principle for q in chosen)
        bank = Counter(q.principle for q in questions)
        for pid, k in counts.items():
            assert abs(k - n * bank[pid] / len(questions)) < 1.5  # in proportion
    few = draw(questions, 5, random.Random(1))
    assert len({q.principle for q in few}) == 5  # fewer than the principles: all different


def test_piped_answers_flags_and_submit_give_results_and_exam_reviews(mini, home):
    result = exam(mini, "--questions", "4", "--seed", "2", input="a\nm\nb\np\nc\nn\nn\nd\ns\ny\n")
    assert result.exit_code == 0, result.output
    assert "Exam results" in result.output and "By principle" in result.output
    assert not (home / "exam.json").exists()
    assert list((home / "backups").glob("exam-finished-*.json"))
    log = [json.loads(line) for line in (home / "answers.jsonl").read_text().splitlines()]
    answers = [r for r in log if r["kind"] == "exam"]
    assert len(answers) == 4 and all("memory" in r for r in answers)
    assert len({r["question"] for r in answers}) == 4
    view = deck_view(Store(home).open().derived(), deck_id(mini))
    assert view["exams"][0]["questions"] == 4
    missed = {r["question"] for r in answers if r["outcome"] != "right"}
    deck = load_deck(mini)
    assert {q.id for q in missed_questions(deck.questions, view)} == missed
    stats = invoke(["stats", "--content", mini, "--json"])
    past = json.loads(stats.output)["exams"]
    assert past[0]["questions"] == 4 and past[0]["passed"] in (True, False)


def test_json_prints_only_the_results(mini, home):
    result = invoke(["exam", "--content", mini, "--questions", "3", "--json"], input="a\na\na\ny\n")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for key in ("questions", "answered", "correct", "score", "passed", "minutes_used"):
        assert key in data
    assert data["questions"] == data["answered"] == 3
    assert sum(p["questions"] for p in data["principles"].values()) == 3


def test_the_end_of_piped_input_keeps_the_attempt_and_resume_goes_on(mini, home):
    first = exam(mini, "--questions", "4", "--seed", "5", input="b\nm\n")
    assert first.exit_code == 0
    assert "Your exam is saved: 1 of 4 answered, 1 marked" in first.output
    assert "exam --resume" in first.output
    kept = saved(home)
    assert kept["answers"] == {"0": 1} and kept["flags"] == [1]
    again = exam(mini, "--questions", "4", input="")
    assert again.exit_code == 2 and "an exam is in progress" in again.output
    assert saved(home) == kept  # asked first: nothing changed
    resumed = exam(mini, "--resume", input="c\n")
    assert resumed.exit_code == 0
    after = saved(home)
    assert after["questions"] == kept["questions"] and after["orders"] == kept["orders"]
    assert after["answers"] == {"0": 1, "1": 2} and after["flags"] == [1]
    discarded = exam(mini, "--discard", "--questions", "2", input="")
    assert discarded.exit_code == 0
    assert list((home / "backups").glob("exam-discarded-*.json"))
    assert saved(home)["questions"] != kept["questions"]


def test_resume_without_an_exam_and_a_damaged_attempt_say_so(mini, home):
    result = exam(mini, "--resume")
    assert result.exit_code == 2 and "no exam in progress" in result.output
    home.mkdir(parents=True, exist_ok=True)
    (home / "exam.json").write_text('{"kind": "exam-attempt", "questions": [')
    damaged = exam(mini, "--resume")
    assert damaged.exit_code != 0 and "cannot be read" in damaged.output
    assert "--discard" in damaged.output
    assert (home / "exam.json").read_text().endswith("[")  # left as it was
    fresh = exam(mini, "--discard", "--questions", "2", input="")
    assert fresh.exit_code == 0
    assert list((home / "backups").glob("exam-damaged-*.json"))


def test_an_attempt_edited_into_nonsense_is_not_read():
    good = Attempt("x", "d", ["q"], ["f"], [[1, 0]], 60, 70, "2026-01-01")
    assert Attempt.from_json(good.as_json()) == good
    for change in (
        {"orders": [[0, 0]]},
        {"answers": {"0": 5}},
        {"used": -1},
        {"limit": float("inf")},
        {"position": 3},
        {"flags": ["x"]},
    ):
        assert Attempt.from_json({**good.as_json(), **change}) is None, change


def test_extended_time_is_kept_and_multiplies_the_exam_and_drill_limits(mini, home):
    bad = invoke(["plan", "--extended-time", "4", "--content", mini])
    assert bad.exit_code == 2 and "from 1 to 3" in bad.output
    assert invoke(["plan", "--extended-time", "1.5", "--content", mini]).exit_code == 0
    exam(mini, "--questions", "2", "--minutes", "10", input="")
    assert saved(home)["limit"] == 900  # 10 minutes x 1.5
    exam(mini, "--discard", "--questions", "2", "--minutes", "10", "--extended-time", "2")
    assert saved(home)["limit"] == 1200


def test_a_report_is_written_as_markdown(mini, home, tmp_path):
    report = tmp_path / "results.md"
    result = exam(mini, "--questions", "2", "--seed", "1", "--report", report, input="a\nb\ny\n")
    assert result.exit_code == 0
    text = report.read_text()
    assert text.startswith("# Mock exam results") and "## By principle" in text
    assert text.count("Why:") >= 4 and re.search(r"\((your answer, )?best answer\)", text)


# -- a real terminal -----------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")
posix = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal tests need POSIX")
MINI = Path(__file__).resolve().parents[1] / "decks" / "mini"


def spawn(home: Path, *args: str):
    env = {**os.environ, "CPS_DRILL_HOME": str(home), "TERM": "xterm", "PAGER": "cat"}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "CPS_DRILL_CONTENT"):
        env.pop(name, None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "cps_drill", "exam", "--content", str(MINI), *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=10,
    )


def screen_text(child) -> str:
    return ANSI.sub("", child.before or "")


@posix
def test_in_a_terminal_move_back_change_flag_be_killed_and_resume_with_the_time_left(home):
    child = spawn(home, "--questions", "4", "--minutes", "5", "--seed", "3")
    child.expect("Question 1 of 4")
    child.expect("q stop for now")
    child.send("a")
    child.expect("Question 2 of 4")
    child.send("p")  # back to the first
    child.expect("Question 1 of 4")
    child.expect(r"\(your answer\)")
    child.send("b")  # changed
    child.expect("Question 2 of 4")
    child.send("m")
    child.expect("Marked for review")
    child.send("\x1b[C")  # the right arrow: next
    child.expect("Question 3 of 4")
    child.send("m")
    child.expect("2 marked for review")
    time.sleep(1.5)
    child.send("l")
    child.expect("Questions")
    child.expect("any other key goes back")
    listing = screen_text(child)
    assert "1. answered" in listing and "2. unanswered, marked" in listing
    child.send("\x1b")
    child.expect("Question 3 of 4")
    child.expect("q stop for now")
    before = saved(home)
    child.kill(signal.SIGKILL)  # the laptop dies
    child.close()
    assert before["answers"] == {"0": 1} and before["flags"] == [1, 2]
    time.sleep(1.5)  # time while the program is not running does not count
    child = spawn(home, "--resume")
    child.expect("Question 3 of 4")
    child.expect("q stop for now")
    resumed = saved(home)
    assert resumed["questions"] == before["questions"] and resumed["orders"] == before["orders"]
    assert resumed["used"] - before["used"] < 1.0
    child.send("u")  # the next unanswered: question 4
    child.expect("Question 4 of 4")
    child.send("s")
    child.expect(r"Unanswered: 3 questions \(questions 2, 3, 4\)")
    child.send("y")
    child.expect("Exam results")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (home / "exam.json").exists()


@posix
def test_at_zero_the_exam_is_submitted_as_it_stands(home):
    child = spawn(home, "--questions", "2", "--minutes", "1")
    child.expect("Question 1 of 2")
    child.send("a")
    child.expect("Question 2 of 2")
    child.sendcontrol("c")
    child.expect("exam --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    data = saved(home)
    data["used"] = data["limit"] - 1.5  # a second and a half left
    (home / "exam.json").write_text(json.dumps(data))
    child = spawn(home, "--resume")
    child.expect("Time is up")
    child.expect("Exam results")
    child.expect("Answered 1 of 2")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


# -- found by a second new user --------------------------------------------------------------


def test_piped_after_the_list_a_number_goes_to_that_question(mini, home):
    result = exam(mini, "--questions", "4", "--seed", "1", input="a\nl\n3\nb\nq\n")
    assert result.exit_code == 0
    assert saved(home)["answers"] == {"0": 0, "2": 1}  # 3 went to question 3; b answered it
    again = exam(mini, "--resume", input="l\n9\nq\n")
    assert "There is no question 9: they are 1 to 4." in again.stdout


def test_without_minutes_the_time_keeps_the_practice_pace(mini, home):
    exam(mini, "--questions", "4", "--seed", "1", input="q\n")
    assert saved(home)["limit"] == 4 * 1.5 * 60
    exam(mini, "--questions", "2", "--minutes", "10", "--discard", input="q\n")
    assert saved(home)["limit"] == 10 * 60


def test_content_notes_hidden_leave_the_exam_too_and_shown_are_marked(mini, home):
    from tests.commands.test_notes_and_glossary import with_notes

    with_notes(mini)
    shown = exam(mini, "--questions", "5", "--seed", "1", input="n\nn\nn\nn\nq\n")
    assert "Content note: this question mentions self harm." in shown.stdout
    invoke(["settings", "content-notes", "hide"])
    hidden = exam(mini, "--questions", "5", "--discard", input="q\n")
    assert "Left out: 1 question with a content note" in hidden.stdout
    assert "conf-001" not in saved(home)["questions"]


# -- found by a second review ----------------------------------------------------------------


def test_hidden_notes_with_json_keep_standard_output_json_alone(mini, home):
    from tests.commands.test_notes_and_glossary import with_notes

    with_notes(mini)
    invoke(["settings", "content-notes", "hide"])
    result = exam(mini, "--questions", "2", "--seed", "1", "--json", input="a\na\ny\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["questions"] == 2
    assert "Left out: 1 question with a content note" in result.stderr


def test_an_exam_of_only_hidden_questions_is_refused_and_nothing_is_saved(mini, home):
    text = (mini / "scenarios.yaml").read_text()
    text = text.replace("    principle:", "    content_note: abuse\n    principle:")
    (mini / "scenarios.yaml").write_text(text)
    invoke(["settings", "content-notes", "hide"])
    result = exam(mini, input="a\n")
    assert result.exit_code == 2
    assert "every question here carries a content note" in result.stderr
    assert not (home / "exam.json").exists()


def test_the_default_time_counts_the_questions_drawn(mini, home):
    exam(mini, "--seed", "1", input="q\n")  # 50 asked for; the mini deck has 5
    assert len(saved(home)["questions"]) == 5
    assert saved(home)["limit"] == 5 * 1.5 * 60
