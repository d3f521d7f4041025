"""Crash harness: kill drills at random moments, or make their writes fail, and check nothing
confirmed was lost.

Each trial starts `cps-drill quiz` with answers on standard input, and then either kills it with
SIGKILL after a random delay (during start-up, a save, feedback, anything) or makes one of its
writes fail at a random point (see bench/faults.py: a short write followed by a full disk,
ENOSPC, EIO, or a failed fsync or rename). Afterwards it checks that

  * the progress folder still reads (no corrupted file),
  * every answer whose feedback reached the screen is in it (no lost answer), and
  * a run whose write failed either said so on one clear line and exited 1, or went on
    unharmed (a cache that could not be written is only skipped); never a traceback.

    python bench/crash.py [--trials 200] [--faults 200] [--seed 1]

--faults counts faults that were really hit: a run may end before its fault's turn comes, and
then another run is made.

POSIX only. The test suite runs a short version of the same harness.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Printed once per answer in its feedback, after the answer is saved (the summary's list of
# missed questions says "Best answer:" with a colon, and is not counted).
FEEDBACK = re.compile(rb"^ +Best answer +[A-F]\. ", re.MULTILINE)
FAULTS = ("short-then-full", "enospc", "eio", "fsync", "rename")


@dataclass
class Result:
    trials: int = 0
    confirmed: int = 0  # answers whose feedback was printed before the kill or the fault
    saved: int = 0  # answers found in the progress afterwards
    corrupted: int = 0  # trials after which the progress could not be read
    lost: int = 0  # confirmed answers missing from the progress
    faulted: int = 0  # runs in which an injected write failure was hit
    clear: int = 0  # of those, runs that ended with one clear error line and exit 1
    absorbed: int = 0  # or that went on unharmed (a cache that could not be written, say)
    unclear: list[str] = field(default_factory=list)  # how the others ended


def _answers(home: Path) -> int:
    from cps_drill.progress.store import Store

    return len(Store(home).open().answers())


def run_trials(
    trials: int,
    seed: int,
    home: Path,
    max_delay: float = 0.6,
    fault: str | None = None,
    until_faults: bool = False,
) -> Result:
    """`trials` runs, each killed at a random moment, or with `fault` ("random" for any kind)
    injected at a random write instead. With `until_faults`, runs go on until `trials` faults
    were really hit (a run can end before its fault's turn comes), up to four times as many."""
    from cps_drill.errors import ProgressError

    rng = random.Random(seed)
    env = {**os.environ, "CPS_DRILL_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("CPS_DRILL_CONTENT", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), env.get("PYTHONPATH", "")])
    result = Result()
    while result.trials < trials or (until_faults and result.faulted < trials):
        if result.trials >= 4 * trials:
            break
        try:
            before = _answers(home)
        except ProgressError:
            before = 0
        if fault == "rename":  # renames are few: make this run write its caches again
            shutil.rmtree(home / "cache", ignore_errors=True)
            (home / "derived.json").unlink(missing_ok=True)
        count = rng.randint(1, 25)
        answers = "".join(rng.choice("abcd") + "\n" for _ in range(count)).encode()
        args = ["quiz", "--count", str(count), "-t", "0"]
        if fault:
            kind = rng.choice(FAULTS) if fault == "random" else fault
            after = rng.randint(0, 12 if kind in ("short-then-full", "enospc", "eio") else 1)
            run_env = {**env, "FAULT": kind, "FAULT_AFTER": str(after)}
            command = [sys.executable, "-m", "faults", *args]
        else:
            run_env, command = env, [sys.executable, "-m", "cps_drill", *args]
        child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=run_env,
        )
        if fault:
            output, errors = child.communicate(answers, timeout=60)
        else:
            child.stdin.write(answers)
            child.stdin.close()
            time.sleep(rng.uniform(0, max_delay))
            child.kill()
            output, errors = child.stdout.read(), child.stderr.read()
            child.stdout.close()
            child.stderr.close()
            child.wait()
        confirmed = len(FEEDBACK.findall(output))
        result.trials += 1
        result.confirmed += confirmed
        if fault and b"injected" in errors:
            result.faulted += 1
            lines = [line for line in errors.decode().splitlines() if "injected" not in line]
            no_traceback = b"Traceback" not in errors + output
            clear = (
                child.returncode == 1
                and no_traceback
                and sum(line.startswith("Error: ") for line in lines) == 1
            )
            absorbed = child.returncode == 0 and no_traceback and not lines
            result.clear += clear
            result.absorbed += absorbed
            if not (clear or absorbed):
                result.unclear.append(f"exit {child.returncode}: {errors.decode()[-300:]}")
        try:
            after = _answers(home)
        except ProgressError as exc:
            result.corrupted += 1
            print(f"corrupted after trial {result.trials}: {exc}", file=sys.stderr)
            break
        saved = after - before
        result.saved += saved
        result.lost += max(0, confirmed - saved)
    return result


def _report(label: str, r: Result, elapsed: float) -> str:
    line = (
        f"{label}: trials {r.trials}, answers confirmed {r.confirmed}, saved {r.saved}, "
        f"corrupted files {r.corrupted}, lost answers {r.lost}"
    )
    if label != "kills":
        line += (
            f", faults hit {r.faulted}: ended with one clear message {r.clear}, "
            f"went on unharmed {r.absorbed}"
        )
    return line + f" ({elapsed:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200, help="runs killed at random")
    parser.add_argument("--faults", type=int, default=200, help="faults of each kind to hit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["kills", *FAULTS], help="one plan alone")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    failed = False
    plans = [("kills", None, args.trials)] + [(kind, kind, args.faults) for kind in FAULTS]
    for label, fault, trials in plans:
        if not trials or (args.only and label != args.only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            r = run_trials(
                trials, args.seed, Path(tmp) / "home", fault=fault, until_faults=bool(fault)
            )
            print(_report(label, r, time.perf_counter() - started), flush=True)
        for how in r.unclear[:3]:
            print(f"  not clear: {how}")
        failed |= bool(r.corrupted or r.lost or r.unclear)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
