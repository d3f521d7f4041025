"""Crash harness: kill piped drills with SIGKILL at random moments and check nothing was lost.

Each trial starts `cps-drill quiz` with answers on standard input, kills it after a random
delay (during start-up, a save, feedback, anything), then checks that

  * the progress reads back (no corrupted file), and
  * every answer whose feedback reached the terminal is in it (no lost answer).

    python bench/crash.py [--trials 200] [--seed 1]

POSIX only (SIGKILL). The test suite runs a short version of the same harness.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Printed once per answer in its feedback, after the answer is saved (the summary's list of
# missed questions says "Best answer:" with a colon, and is not counted).
FEEDBACK = re.compile(rb"^ +Best answer +[A-F]\. ", re.MULTILINE)


@dataclass
class Result:
    trials: int = 0
    confirmed: int = 0  # answers whose feedback was printed before the kill
    saved: int = 0  # answers found in the progress afterwards
    corrupted: int = 0  # trials after which the progress could not be read
    lost: int = 0  # confirmed answers missing from the progress


def run_trials(trials: int, seed: int, home: Path, max_delay: float = 0.6) -> Result:
    from cps_drill.errors import ProgressError
    from cps_drill.store import Store

    rng = random.Random(seed)
    env = {**os.environ, "CPS_DRILL_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("CPS_DRILL_CONTENT", None)
    result = Result()
    for _ in range(trials):
        try:
            before = len(Store(home).load()["answers"])
        except ProgressError:
            before = 0
        count = rng.randint(1, 25)
        answers = "".join(rng.choice("abcd") + "\n" for _ in range(count)).encode()
        child = subprocess.Popen(
            [sys.executable, "-m", "cps_drill", "quiz", "--count", str(count), "-t", "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        child.stdin.write(answers)
        child.stdin.close()
        time.sleep(rng.uniform(0, max_delay))
        child.kill()
        output = child.stdout.read()
        child.stdout.close()
        child.wait()
        confirmed = len(FEEDBACK.findall(output))
        result.trials += 1
        result.confirmed += confirmed
        try:
            after = len(Store(home).load()["answers"])
        except ProgressError as exc:
            result.corrupted += 1
            print(f"corrupted after trial {result.trials}: {exc}", file=sys.stderr)
            break
        saved = after - before
        result.saved += saved
        result.lost += max(0, confirmed - saved)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        r = run_trials(args.trials, args.seed, Path(tmp) / "home")
        elapsed = time.perf_counter() - started
    print(
        f"trials {r.trials}, answers confirmed {r.confirmed}, saved {r.saved}, "
        f"corrupted files {r.corrupted}, lost answers {r.lost} ({elapsed:.0f} s)"
    )
    sys.exit(1 if r.corrupted or r.lost else 0)


if __name__ == "__main__":
    main()
