"""Standard input closed, output that cannot be written: one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

posix_only = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
MINI = Path(__file__).resolve().parents[1] / "decks" / "mini"


def run(home: Path, args, **streams) -> subprocess.CompletedProcess:
    env = {**os.environ, "CPS_DRILL_HOME": str(home), "TERM": "xterm"}
    return subprocess.run(
        [sys.executable, "-m", "cps_drill", *args], env=env, timeout=30, check=False, **streams
    )


@pytest.mark.skipif(os.name != "posix", reason="closing a descriptor for the child")
def test_quiz_with_standard_input_closed(home):
    result = run(
        home,
        ["quiz", "--content", str(MINI)],
        stdin=subprocess.DEVNULL,
        capture_output=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 2
    assert b"standard input is closed" in result.stderr
    assert result.stderr.count(b"\n") == 1
    assert b"Traceback" not in result.stdout + result.stderr


@posix_only
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["principles"],
        ["stats"],
        ["stats", "--json"],
        ["validate"],
        ["validate", "--stats"],
        ["restore"],
        ["quiz", "-n", "2", "-t", "0"],
    ],
)
def test_output_that_cannot_be_written_is_one_line(home, args):
    with open("/dev/full", "w") as full:
        result = run(
            home,
            [*args],
            stdout=full,
            stderr=subprocess.PIPE,
            input=b"a\nb\n",
            capture_output=False,
        )
    assert result.returncode == 1, result.stderr
    assert result.stderr.decode().strip() == (
        "Error: cannot write the output (No space left on device)."
    )


@posix_only
def test_answers_given_before_the_output_failed_are_kept(home):
    from tests.helpers import read_progress

    with open("/dev/full", "w") as full:
        run(
            home,
            ["quiz", "-n", "2", "-t", "0"],
            stdout=full,
            input=b"a\nb\n",
            stderr=subprocess.PIPE,
        )
    # The first question could not even be shown: nothing was confirmed, nothing is owed;
    # whatever was saved reads back whole.
    assert len(read_progress(home)["answers"]) <= 2


def test_a_closed_pipe_is_quiet(home):
    child = subprocess.Popen(
        [sys.executable, "-m", "cps_drill", "validate", "--stats"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CPS_DRILL_HOME": str(home)},
    )
    child.stdout.close()  # like `cps-drill validate --stats | head -0`
    _, errors = child.communicate(timeout=30)
    assert b"Traceback" not in errors
