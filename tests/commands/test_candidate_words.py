"""What a candidate reads when something is off: numbers out of range, a count larger than the
bank, a principle with no questions, and the plain screen kept as a setting."""

from __future__ import annotations

import re

import pytest

from tests.helpers import drill, invoke

BOX = re.compile(r"[─│╭╮╰╯┃━┏┓┗┛█░▒▓✔✘⏱•]")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["quiz", "--count", "0"], "0 will not do: give a whole number of 1 or more, for example "),
        (["quiz", "-n", "ten"], "'ten' is not a whole number: give a whole number of 1 or more"),
        (["quiz", "--time-limit", "-5"], "give a whole number of 0 or more"),
        (["exam", "--pass-mark", "120"], "give a number from 0 to 100"),
        (["exam", "--minutes", "0"], "give a number of 1 or more, for example --minutes 45"),
        (["exam", "--minutes", "inf"], "inf will not do: give a number of 1 or more"),
        (["exam", "--pass-mark", "nan"], "nan will not do: give a number from 0 to 100"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_a_number_out_of_range_is_said_in_plain_words(mini, args, said):
    result = invoke([*args, "--content", mini])
    assert result.exit_code == 2
    words = " ".join(result.output.replace("│", " ").split())
    assert said in words
    assert "x>=" not in words and "not in the range" not in words
    assert "valid int" not in words


def test_help_names_what_to_give_not_a_type(mini):
    for command in ("quiz", "exam", "review"):
        result = invoke([command, "-h"])
        assert result.exit_code == 0
        assert "<int" not in result.output and "x>=" not in result.output
        assert "INTEGER RANGE" not in result.output


def test_a_count_larger_than_the_bank_is_said(mini):
    result = drill(mini, "--count", "300", "--seed", "1", input="q\n")
    assert result.exit_code == 0
    assert "You asked for 300 questions; there are 5 here, so this drill asks all 5." in (
        result.stdout
    )
    assert "Question 1 of 5" in result.stdout


def test_a_principle_with_no_questions_is_named_and_validate_warns(mini):
    path = mini / "principles.yaml"
    text = path.read_text()
    text = text.replace(
        "sources:\n", "  - id: advocacy\n    name: Advocacy\n    summary: Speak up.\nsources:\n", 1
    )
    path.write_text(text)
    line = text.splitlines().index("  - id: advocacy") + 1

    result = drill(mini, "--principle", "adv")
    assert result.exit_code == 2
    assert "no questions on Advocacy (advocacy) yet" in result.stderr
    assert "principles' lists them" in result.stderr

    checked = invoke(["validate", mini])
    assert checked.exit_code == 0  # a warning, not a problem
    assert f"{path}:{line}: warning: principle 'advocacy' has no questions yet" in checked.stdout
    assert "respect" not in checked.stdout.split("warning")[1]  # only the empty one


def test_plain_is_kept_as_a_setting_and_draws_no_boxes(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\nb\n")
    boxed = invoke(["stats", "--content", mini])
    assert BOX.search(boxed.stdout)  # the ordinary screen has bars and rules

    plain = invoke(["stats", "--plain", "--content", mini])
    assert plain.exit_code == 0
    assert not BOX.search(plain.stdout), plain.stdout
    assert re.search(r"\d+%", plain.stdout)  # every figure in words

    assert invoke(["settings", "screen", "plain"]).exit_code == 0
    kept = invoke(["stats", "--content", mini])
    assert not BOX.search(kept.stdout), kept.stdout
    quiz = drill(mini, "--count", "1", "--seed", "1", input="a\n")
    assert not BOX.search(quiz.stdout), quiz.stdout
    assert "Right." in quiz.stdout or "Not the best answer." in quiz.stdout

    assert invoke(["settings", "screen", "live"]).exit_code == 0
    assert BOX.search(invoke(["stats", "--content", mini]).stdout)


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"COLUMNS": "40"}, ["review", "-h"]),
        ({"TERM": "dumb"}, ["quiz", "--count", "0"]),
        ({}, ["quiz", "--count", "0", "--plain"]),
    ],
    ids=["40 columns", "TERM=dumb", "--plain"],
)
def test_help_and_usage_errors_have_no_boxes_where_boxes_would_not_serve(env, args):
    import os
    import subprocess
    import sys

    run_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TYPER_USE_RICH")}
    run_env.update({"TERM": "xterm", **env})
    done = subprocess.run(
        [sys.executable, "-m", "cps_drill", *args],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    out = done.stdout + done.stderr
    assert not re.search(r"[╭╮╰╯│─]", out), out
    assert "Traceback" not in out
    if "-h" in args:
        assert done.returncode == 0 and "-n, --count N" in out and "--time-limit SECONDS" in out
        width = int(env.get("COLUMNS", "80"))
        assert max(map(len, done.stdout.splitlines())) < width  # the terminal cuts no word
    else:
        assert done.returncode == 2 and "0 will not do" in out


@pytest.mark.parametrize(
    "command",
    [
        "cps-drill review mandated-reporting --content '/home/me/My Study Decks/cps'",
        ".venv/bin/cps-drill review confidentiality --content /tmp/a/long/folder/of/decks",
    ],
)
def test_a_suggested_command_is_broken_only_between_shell_words(command):
    import io
    import shlex

    from rich.console import Console

    from cps_drill.screen.render import Screen

    screen = Screen()
    buffer = io.StringIO()
    screen.out = Console(file=buffer, width=40, force_terminal=True, color_system=None)
    screen.command(command)
    lines = buffer.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) < 40 for line in lines)
    assert all(line.endswith(" \\") for line in lines[:-1])
    pasted = "\n".join(lines)  # what a shell reads: a backslash before a newline joins lines
    assert shlex.split(pasted.replace("\\\n", " ")) == shlex.split(command)
