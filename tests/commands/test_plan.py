"""The learning engine through the command line: memory states, guesses, --missed, plan."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta

import pytest

from tests.helpers import drill, invoke, questions_shown, read_progress


def answers(home):
    return read_progress(home)["answers"]


def test_every_answer_is_saved_with_its_memory_state(mini, home):
    drill(mini, "--count", "3", input="a\nb\nc\n")
    for answer in answers(home):
        memory = answer["memory"]
        assert memory["s"] > 0 and memory["fsrs"] == 6
        assert memory["due"] > answer["at"]


def test_a_right_answer_marked_as_a_guess_is_scheduled_as_missed(mini, home):
    # "?" after a letter marks the answer a guess; try every letter until one is right
    for letter in "abcd":
        result = drill(mini, "--count", "1", "--seed", "3", input=f"{letter}?\n")
        if "Right." in result.stdout:
            break
    assert "Marked as a guess: it will come back sooner." in result.stdout
    store = __import__("cps_drill.progress.store", fromlist=["Store"]).Store(home).open()
    guesses = [r for r in store.records() if r["kind"] == "guess"]
    (guess,) = guesses
    answer = next(
        r
        for r in store.records()
        if r.get("seq") == guess["of"] and r["kind"] == "drill" and r["session"] == guess["session"]
    )
    assert answer["outcome"] == "right"  # still right in the stats
    assert guess["memory"]["due"] < answer["memory"]["due"]  # but back sooner


def test_quiz_missed_asks_exactly_what_was_missed(mini, home):
    drill(mini, "--count", "5", "--seed", "2", input="a\n" * 5)
    missed = {a["question"] for a in answers(home) if a["outcome"] != "right"}
    result = drill(mini, "--missed", input="a\n" * 5)
    if not missed:
        assert result.exit_code == 2 and "nothing to drill again" in result.stderr
        return
    shown = questions_shown(result.stdout)
    assert len(shown) == len(missed)
    asked = {a["question"] for a in answers(home)[5:]}
    assert asked == missed


def test_quiz_missed_with_nothing_missed_says_so(mini, home):
    result = drill(mini, "--missed", input="")
    assert result.exit_code == 2
    assert "nothing to drill again: no question's last answer was missed" in result.stderr


def test_plan_keeps_the_exam_date_and_forecasts_readiness(mini, home):
    day = (date.today() + timedelta(days=20)).isoformat()
    result = invoke(["plan", "--exam-date", day, "--content", mini])
    assert result.exit_code == 0, result.output
    assert f"Exam date saved: {day}." in result.stdout
    assert "Readiness on the exam day:" in result.stdout
    figures = json.loads(invoke(["plan", "--json", "--content", mini]).stdout)
    assert figures["exam_date"] == day and figures["days_left"] == 20
    assert set(figures["readiness"]["principles"]) == {"confidentiality", "respect"}
    before = figures["readiness"]["overall"]
    assert 0.2 < before < 0.6  # nothing learned yet: the chance of a guess
    assert figures["per_day"] > 0
    drill(mini, "--count", "5", input="a\n" * 5)
    after = json.loads(invoke(["plan", "--json", "--content", mini]).stdout)
    assert after["exam_date"] == day  # kept through every write
    assert after["readiness"]["overall"] != before
    assert after["seen"] == 5


def test_plan_refuses_a_date_that_has_passed_or_is_not_a_date(home):
    past = (date.today() - timedelta(days=1)).isoformat()
    for given, words in ((past, "has passed"), ("next week", "is not a date")):
        result = invoke(["plan", "--exam-date", given])
        assert result.exit_code == 2
        assert words in result.stderr and result.stderr.count("\n") == 1
    assert "No exam date yet" in invoke(["plan"]).stdout


def test_an_exam_date_edited_into_nonsense_is_ignored_not_a_crash(mini, home):
    from cps_drill.progress.store import Store as Progress

    Progress(home).save_settings({"exam-date": "not a date"}, session="hand")
    for args in (["plan", "--content", mini], ["stats", "--content", mini]):
        result = invoke(args)
        assert result.exit_code == 0, result.output
    assert "No exam date yet" in invoke(["plan", "--content", mini]).stdout
    assert drill(mini, "--count", "1", input="a\n").exit_code == 0


def test_a_memory_state_that_is_not_one_is_damage_that_restore_repairs(mini, home):
    import json as j

    drill(mini, "--count", "2", input="a\na\n")
    log = home / "answers.jsonl"
    lines = log.read_text().splitlines()
    record = j.loads(lines[0])
    record["memory"]["due"] = "someday"
    lines[0] = j.dumps(record)
    log.write_text("\n".join(lines) + "\n")
    refused = invoke(["stats", "--content", mini])
    assert refused.exit_code == 1 and "line 1 is damaged" in refused.stderr
    assert invoke(["restore"]).exit_code == 0
    # the damaged line comes back whole from the backup the drill took when it ended
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 2
    shutil.rmtree(home / "backups")
    log.write_text("\n".join(lines) + "\n")
    assert invoke(["restore"]).exit_code == 0  # without a backup: the readable lines
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 1


def _append(home, record):
    with open(home / "answers.jsonl", "a") as log:
        log.write(json.dumps(record) + "\n")


MEMORY = {"s": 1, "d": 5, "state": 2, "due": "2026-11-02T00:00:00+00:00"}


@pytest.mark.parametrize(
    "memory",
    [{**MEMORY, "state": 9}, {**MEMORY, "decay": 0}, {**MEMORY, "decay": 0.5}],
    ids=["a state FSRS does not know", "no decay", "a rising curve"],
)
def test_a_memory_state_fsrs_cannot_read_is_damage(mini, home, memory):
    drill(mini, "--count", "1", input="a\n")
    (first,) = read_progress(home)["answers"]
    odd = {**first, "seq": 99, "memory": {"last": "2026-11-01T00:00:00+00:00", "decay": -0.15}}
    odd["memory"].update(memory)
    _append(home, odd)
    for args in (["stats", "--content", mini], ["plan", "--content", mini]):
        assert invoke(args).exit_code == 1  # named as damage, one line
    assert invoke(["restore"]).exit_code == 0
    assert invoke(["plan", "--content", mini]).exit_code == 0
    assert drill(mini, "--count", "1", input="a\n").exit_code == 0


@pytest.mark.parametrize(
    "parameters",
    [[-1] * 21, [0.0] * 21, [1e308] * 21, [10**400] + [0] * 20],
    ids=["negative", "zeros", "huge", "an integer too large for a float"],
)
def test_fitted_parameters_fsrs_refuses_fall_back_to_the_standard_ones(mini, home, parameters):
    from cps_drill.progress.store import Store as Progress

    Progress(home).save_settings({"fsrs-parameters": parameters}, session="hand")
    result = drill(mini, "--count", "2", input="a\nb\n")
    assert result.exit_code == 0, result.output
    assert len(read_progress(home)["answers"]) == 2


def test_a_long_remembered_question_stays_a_record_the_log_accepts(mini, home):
    from cps_drill.study import schedule

    huge = {**MEMORY, "s": 999000, "last": "2000-11-01T00:00:00+00:00", "decay": -0.1542}
    after = schedule.review(
        huge, question_id="q", graded=schedule.GOOD, at=schedule.now_utc(), seconds=2
    )
    from cps_drill.progress import records

    assert after["s"] <= schedule.MAX_STABILITY
    assert records.valid_memory(after)


def test_an_exam_date_that_has_passed_says_so(mini, home):
    from cps_drill.progress.store import Store as Progress

    Progress(home).save_settings({"exam-date": "2020-01-01"}, session="hand")
    out = invoke(["plan", "--content", mini]).stdout
    assert "Your exam date, 2020-01-01, has passed." in out
    drill(mini, "--count", "1", input="a\n")
    assert "Readiness today" in invoke(["stats", "--content", mini]).stdout


def test_extended_time_is_confirmed_and_shown_and_no_date_is_claimed(mini, home):
    """Found by a new user: 'plan --extended-time 1.5' said 'Exam date saved: None.'"""
    saved = invoke(["plan", "--extended-time", "1.5", "--content", mini])
    assert saved.exit_code == 0
    assert "Extended time saved: every time limit is 1.5 x as long." in saved.stdout
    assert "Exam date saved" not in saved.stdout and "None" not in saved.stdout
    assert "Extended time: 1.5 x every time limit" in invoke(["plan", "--content", mini]).stdout
    back = invoke(["plan", "--extended-time", "1", "--content", mini]).stdout
    assert "Extended time saved: none (the usual time limits)." in back
