"""The learning engine through the command line: memory states, guesses, --missed, plan."""

from __future__ import annotations

import json
from datetime import date, timedelta

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
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 1
