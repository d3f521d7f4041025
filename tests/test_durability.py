"""Nothing lost: kills at random moments, and two sessions drilling at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cps_drill.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


@posix_only
def test_random_kills_lose_no_confirmed_answer_and_corrupt_nothing(home):
    from crash import run_trials

    result = run_trials(trials=12, seed=7, home=home)
    assert result.trials == 12
    assert result.corrupted == 0
    assert result.lost == 0
    assert result.saved >= result.confirmed > 0


def test_two_sessions_side_by_side_keep_every_answer(home):
    env = {**os.environ, "CPS_DRILL_HOME": str(home)}
    count = 40
    sessions = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cps_drill",
                "quiz",
                "-n",
                str(count),
                "-t",
                "0",
                "--seed",
                seed,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for seed in ("1", "2")
    ]
    for child in sessions:
        child.stdin.write(b"b\n" * count)
        child.stdin.close()
    for child in sessions:
        errors = child.stderr.read()
        child.stderr.close()
        assert child.wait(timeout=60) == 0, errors
    data = Store(home).load()
    assert len(data["answers"]) == 2 * count
    assert sorted(s["answered"] for s in Store(home).totals()["sessions"]) == [count, count]
