"""Kill mock exams at random moments: is any answer or mark the screen had confirmed lost?

Each round starts an exam in a pseudo-terminal, takes random actions (answer, change an
answer, mark, move back and forth), waiting after each for the question to be drawn again
(the candidate has seen it done), then kills the process with SIGKILL, sometimes a moment
after one more key, before it is confirmed. The saved attempt must hold every confirmed
answer and mark; `exam --resume` must then start on the same questions in the same order.

    python bench/exam_crash.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "q stop for now"


def spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "CPS_DRILL_HOME": str(home), "TERM": "xterm"}
    env.pop("CPS_DRILL_CONTENT", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "cps_drill", "exam", *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=15,
    )


def one_round(home: Path, rng: random.Random) -> tuple[int, int]:
    """(confirmed actions, lost ones) for one killed exam."""
    child = spawn(home, "--questions", "10", "--seed", str(rng.randrange(10**6)))
    child.expect(PROMPT)
    position, answers, flags = 0, {}, set()
    confirmed = 0
    for _ in range(rng.randrange(1, 25)):
        action = rng.choice("abcdmnp")
        child.send(action)
        if child.expect([PROMPT, r"or \? for keys"]) == 1:
            continue  # no such letter on this question: nothing happened, as it says
        if action in "abcd":
            answers[position] = "abcd".index(action)
            position = min(9, position + 1)
        elif action == "m":
            flags ^= {position}
        elif action == "n":
            position = min(9, position + 1)
        else:
            position = max(0, position - 1)
        confirmed += 1
    extra = None
    if rng.random() < 0.5:
        extra = rng.choice("abm")  # one more, killed before it is confirmed: it may count
        child.send(extra)
        time.sleep(rng.uniform(0, 0.05))
    child.kill(signal.SIGKILL)
    child.close()
    saved = json.loads((home / "exam.json").read_text())
    got = {int(k): v for k, v in saved["answers"].items()}
    if extra in ("a", "b") and got.get(position) == "ab".index(extra):
        answers[position] = got[position]  # the unconfirmed key was saved: not a loss
    if extra == "m":
        flags ^= {position} & (flags ^ set(saved["flags"]))
    lost = sum(1 for i, c in answers.items() if got.get(i) != c)
    lost += len(flags ^ set(saved["flags"]))
    before = saved["questions"], saved["orders"]
    child = spawn(home, "--resume")
    child.expect(PROMPT)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    after = json.loads((home / "exam.json").read_text())
    if (after["questions"], after["orders"]) != before:
        lost += 1
    return confirmed, lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(1)
    total = lost = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            home = Path(tmp) / f"home-{n}"
            confirmed, missing = one_round(home, rng)
            total += confirmed
            lost += missing
    print(
        f"{args.rounds} exams killed at random moments ({time.perf_counter() - started:.0f} s): "
        f"{total} confirmed answers, changes and marks, {lost} lost"
    )
    raise SystemExit(1 if lost else 0)


if __name__ == "__main__":
    main()
