"""Stats: figures and JSON."""

from __future__ import annotations

import json

from tests.helpers import (
    break_deck,
    drill,
    invoke,
    read_progress,
    table_row,
    write_progress,
)


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
    # a format-1 file: its history is the bundled deck's
    assert "No answers recorded yet" in invoke(["stats", "--content", mini]).stdout
    result = invoke(["stats"])

    assert result.exit_code == 0
    assert "Answered 4, right 2 (50%)." in result.stdout
    assert table_row(result.stdout, "Privacy and confidentiality")[1:] == ["1", "1", "100%"]
    assert table_row(result.stdout, "Respect and dignity")[1:] == ["1", "3", "33%"]
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
        deck=mini,
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
    write_progress(home, [("resp-001", "respect", "right")], deck=mini)
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


def test_stats_json_sessions_say_correct_like_the_rest(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\nb\n")
    (session,) = json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["sessions"]
    assert set(session) == {"id", "command", "started", "ended", "answered", "correct"}


def test_a_trainers_deck_with_the_same_ids_keeps_its_own_history(mini, home, tmp_path):
    import shutil

    other = tmp_path / "other"
    shutil.copytree(mini, other)
    text = (other / "principles.yaml").read_text()
    (other / "principles.yaml").write_text("deck: week-3\n" + text)
    drill(mini, "--count", "2", "--seed", "1", input="a\nb\n")
    figures = json.loads(invoke(["stats", "--json", "--content", other]).stdout)
    assert (figures["deck"], figures["answered"]) == ("week-3", 0)
    drill(other, "--count", "1", "--seed", "1", input="a\n")
    assert json.loads(invoke(["stats", "--json", "--content", other]).stdout)["answered"] == 1
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 2
    assert json.loads(invoke(["stats", "--json"]).stdout)["answered"] == 0  # the bundled deck
    (record,) = [a for a in read_progress(home)["answers"] if a["deck"] == "week-3"]
    assert record["question"].startswith(("conf", "resp"))


def test_stats_json_carries_readiness_due_streak_and_seen(mini, home):
    drill(mini, "--count", "3", "--seed", "1", input="a\na\na\n")
    figures = json.loads(invoke(["stats", "--json", "--content", mini]).stdout)
    readiness = figures["readiness"]
    assert 0 <= readiness["overall"] <= 1
    assert set(readiness["principles"]) == {"confidentiality", "respect"}
    assert all(0 <= v <= 1 for v in readiness["principles"].values())
    assert figures["exam_date"] is None
    assert figures["streak_days"] == 1
    assert figures["seen"] == 3 and figures["bank"] == 5
    assert figures["due"] >= 0
    assert sum(figures["days"].values()) == 3 and len(figures["days"]) == 84


def test_stats_shows_readiness_the_sessions_and_the_calendar_in_words(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\na\n")
    out = invoke(["stats", "--content", mini]).stdout
    assert "Readiness today:" in out
    assert "Studied 2 of 5 questions (40%)" in out
    assert "study days in a row: 1" in out
    assert "The last 12 weeks: 2 answers on 1 day" in out
    assert "Average time an answer" in out
