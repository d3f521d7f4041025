"""The drill as a candidate feels it, in a pseudo-terminal: late and doubled keys, small
windows, resizing, Esc, the last seconds, and --plain for screen readers."""

from __future__ import annotations

import re
import sys
import time

import pytest

from tests.helpers import read_progress
from tests.screen.test_terminal import ANSI, FEEDBACK, GO_ON, finish, spawn, status_line

pexpect = pytest.importorskip("pexpect")

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminal tests need POSIX", allow_module_level=True)

MORE = "More below: press Space, or q to stop."
STOP_FOR_NOW = (
    r"q[\s\S]{0,30}?stop[\s\S]{0,30}?for[\s\S]{0,30}?now"  # the exam's key line, wrapped or not
)


def quiet_for(child, seconds: float, pattern: str) -> bool:
    """True when `pattern` does not appear within `seconds`."""
    try:
        child.expect(pattern, timeout=seconds)
    except pexpect.TIMEOUT:
        return True
    return False


def test_a_key_a_moment_after_the_time_ran_out_does_not_skip_the_feedback(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "quiz", "--count", "2", "--time-limit", "2", "--seed", "3")
    child.expect_exact("Time is up. This counts as missed.")
    time.sleep(0.3)
    child.send("b")  # meant for the question, a moment too late
    assert quiet_for(child, 1.0, r"2/2 · "), "the late key skipped the feedback"
    child.expect_exact(GO_ON)
    child.send(" ")
    status_line(child, "2/2")
    child.send("q")
    assert finish(child) == 0
    assert [a["outcome"] for a in read_progress(home)["answers"]] == ["timeout"]


def test_a_double_tap_answers_once_and_leaves_the_feedback_up(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "quiz", "--count", "2", "--time-limit", "0", "--seed", "3")
    status_line(child, "1/2")
    child.send("a")
    time.sleep(0.15)
    child.send("a")
    child.expect(FEEDBACK)
    assert quiet_for(child, 1.0, r"2/2 · "), "the second tap skipped the feedback"
    child.expect_exact(GO_ON)
    child.send("q")
    assert finish(child) == 0
    assert len(read_progress(home)["answers"]) == 1


def long_deck(tmp_path):
    """The mini deck with one question made long: a long situation and a long explanation."""
    from tests.screen.test_terminal import MINI

    deck = tmp_path / "long"
    deck.mkdir()
    (deck / "principles.yaml").write_text((MINI / "principles.yaml").read_text())
    situation = " ".join(f"Sentence {k} of a long situation to read." for k in range(1, 25))
    because = " ".join(f"Reason {k} of a long explanation." for k in range(1, 25))
    text = (MINI / "scenarios.yaml").read_text()
    text = text.replace(
        "      A person's mother phones and asks how her adult son is doing.",
        f"      {situation}",
    ).replace(
        "explanation: Confidentiality protects a person from outsiders, family included.",
        f"explanation: {because}",
    )
    (deck / "scenarios.yaml").write_text(text)
    return deck


def test_a_small_window_shows_the_situation_and_the_verdict_first(tmp_path):
    """At 40x20 a long question and its feedback come a window at a time: the start of each
    stays on screen until the candidate asks for more."""
    home = tmp_path / "home"
    env = {"CPS_DRILL_HOME": str(home), "TERM": "xterm", "PATH": "/usr/bin:/bin"}
    args = ["-m", "cps_drill", "quiz", "-n", "5", "-t", "0", "--content", str(long_deck(tmp_path))]
    child = pexpect.spawn(
        sys.executable, args, env=env, encoding="utf-8", dimensions=(20, 40), timeout=10
    )
    for _ in range(5):  # until the long question comes up
        if child.expect([r"\d/5 · ", re.escape(MORE)]) == 1:
            break
        child.send("a")
        child.expect_exact(GO_ON)
        child.send(" ")
    else:
        raise AssertionError("the long question never came")
    first = ANSI.sub("", child.before).split("\x1b[2J")[-1]  # the situation first
    assert "Question " in first and "Sentence 1 of" in first
    assert first.count("\n") <= 20
    child.send(" ")
    child.expect(r"\d/5 · ")  # then the options, with the clock

    child.send("a")
    child.expect(FEEDBACK)
    child.expect_exact(MORE)  # the verdict stays up; the rest comes after a key
    shown = ANSI.sub("", child.before)
    assert shown.count("\n") <= 20
    assert "Best answer" in shown
    rest = ""
    child.send(" ")
    while child.expect_exact([GO_ON, MORE]) == 1:  # a window at a time, to the end
        rest += child.before
        child.send(" ")
    assert "Reason 24 of" in rest + child.before
    child.send("q")
    assert finish(child) == 0


def test_resizing_while_waiting_redraws_at_once(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "quiz", "--count", "1", "--time-limit", "0", "--seed", "3")
    status_line(child, "1/1")
    child.setwinsize(24, 50)
    child.expect_exact("\x1b[2J", timeout=2)  # the screen is cleared and drawn again
    child.expect_exact("Question 1 of 1")
    status_line(child, "1/1")
    child.send("a")
    child.expect(FEEDBACK)
    child.expect_exact("q to stop.")  # the prompt to go on, wrapped at 50 columns
    child.send("q")
    assert finish(child) == 0


def test_esc_stops_the_drill_and_keeps_the_answers(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "quiz", "--count", "2", "--time-limit", "0", "--seed", "3")
    status_line(child, "1/2")
    child.send("a")
    child.expect(FEEDBACK)
    child.expect_exact(GO_ON)
    child.send(" ")
    status_line(child, "2/2")
    child.send("\x1b")
    child.expect_exact("Session summary")
    assert finish(child) == 0
    assert len(read_progress(home)["answers"]) == 1


def test_the_last_seconds_are_called_out_and_the_time_taken_is_shown(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "quiz", "--count", "1", "--time-limit", "12", "--seed", "3")
    child.expect_exact("0:12 left")
    child.expect_exact("0:10 left, answer now")
    child.send("a")
    child.expect(FEEDBACK)
    child.expect(r"Answered in \d+ s\.")
    child.expect_exact(GO_ON)
    child.send("q")
    child.expect(r"\d+ s an answer on average")
    assert finish(child) == 0


def test_plain_in_a_terminal_writes_no_escape_codes(tmp_path):
    home = tmp_path / "home"
    child = spawn(home, "quiz", "--plain", "--count", "2", "--time-limit", "20", "--seed", "3")
    child.expect_exact("You have 20 seconds for this question.")
    child.send("a")
    child.expect(FEEDBACK)
    child.expect_exact(GO_ON)
    child.send(" ")
    child.expect_exact("Question 2 of 2")
    child.send("b")
    child.expect(FEEDBACK)
    child.expect_exact(GO_ON)
    child.send(" ")
    child.expect_exact("Session summary")
    assert finish(child) == 0
    text = child.logfile_read.text
    assert re.findall(r"\x1b", text) == [], sorted(set(ANSI.findall(text)))
    assert "\r" not in text.replace("\r\n", "")  # no line rewritten in place
    assert not re.search(r"[─│╭╮╰╯█░✔✘⏱]", text)
    assert len(read_progress(home)["answers"]) == 2


def test_a_window_made_larger_while_a_part_is_shown_draws_the_whole_question(tmp_path):
    env = {"CPS_DRILL_HOME": str(tmp_path / "home"), "TERM": "xterm", "PATH": "/usr/bin:/bin"}
    deck = long_deck(tmp_path)
    args = ["-m", "cps_drill", "quiz", "-n", "5", "-t", "0", "--content", str(deck)]
    child = pexpect.spawn(
        sys.executable, args, env=env, encoding="utf-8", dimensions=(20, 40), timeout=10
    )
    for _ in range(5):  # until the long question comes up, a part at a time
        if child.expect([r"\d/5 · ", re.escape(MORE)]) == 1:
            break
        child.send("a")
        child.expect_exact(GO_ON)
        child.send(" ")
    else:
        raise AssertionError("the long question never came")
    child.setwinsize(45, 100)
    child.expect(r"\d/5 · ")  # the whole question, options and clock, without a key
    screen = ANSI.sub("", child.before).split("\x1b[2J")[-1]
    assert "Sentence 24 of" in screen and "What do you tell her?" in screen
    child.send("q")
    assert finish(child) == 0


def test_the_exam_fits_a_small_window_and_a_resize_while_paging_loses_no_key(tmp_path):
    """Found by a review: a resize while a part of a long exam question was shown drew a
    second copy inside the first, and the next key was taken as 'more' instead of an answer."""
    home = tmp_path / "home"
    env = {"CPS_DRILL_HOME": str(home), "TERM": "xterm", "PATH": "/usr/bin:/bin"}
    deck = long_deck(tmp_path)
    args = ["-m", "cps_drill", "exam", "-n", "5", "--seed", "1", "--content", str(deck)]
    child = pexpect.spawn(
        sys.executable, args, env=env, encoding="utf-8", dimensions=(20, 40), timeout=10
    )
    for _ in range(5):  # move on until the long question comes, a part at a time
        if child.expect([STOP_FOR_NOW, "More below: press any key."]) == 1:
            break
        child.send("n")
    else:
        raise AssertionError("the long question never came")
    child.setwinsize(18, 44)
    child.expect_exact("More below: press any key.")  # drawn again for the new size
    child.send(" ")
    while child.expect([STOP_FOR_NOW, "More below: press any key."]) == 1:
        child.send(" ")
    child.send("a")  # an answer, not a key for 'more'
    child.expect(r"1 done|1 answered")
    child.sendcontrol("c")  # stops at once, saved, whatever is on screen
    child.expect(pexpect.EOF)
    import json

    saved = json.loads((home / "exam.json").read_text())
    assert len(saved["answers"]) == 1
