"""Nothing lost: kills at random moments, and two sessions drilling at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cps_drill.deck.model import BUNDLED_DECK_ID
from cps_drill.progress.derived import deck_view
from cps_drill.progress.store import Store

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


@posix_only
def test_random_kills_lose_no_confirmed_answer_and_corrupt_nothing(home):
    from crash import run_trials

    result = run_trials(trials=12, seed=7, home=home, max_delay=1.5)  # slow machines too
    assert result.trials == 12
    assert result.corrupted == 0
    assert result.lost == 0
    assert result.saved >= result.confirmed > 0


@posix_only
@pytest.mark.parametrize("fault", ["short-then-full", "enospc", "eio", "fsync", "rename"])
def test_failed_writes_lose_no_confirmed_answer_and_say_so(home, fault):
    from crash import run_trials

    result = run_trials(trials=4, seed=3, home=home, fault=fault)
    assert result.corrupted == 0
    assert result.lost == 0
    assert result.faulted >= 1
    assert result.clear + result.absorbed == result.faulted, result.unclear
    if fault in ("short-then-full", "enospc", "eio"):
        assert result.clear >= 1  # an answer that could not be saved stops the session


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
    store = Store(home).open()
    assert len(store.answers()) == 2 * count
    sessions = deck_view(store.derived(), BUNDLED_DECK_ID)["sessions"]
    assert sorted(s["answered"] for s in sessions) == [count, count]
