"""Startup budget: how fast cps-drill answers, against a hello-world Typer app.

Measures, alternating in one run, the wall time of:
  floor      a minimal Typer app's --help (written by this script)
  help       cps-drill --help
  question   cps-drill quiz, until the first question is painted in a pseudo-terminal
  a year     the same with a year of history (100,000 answers with memory states and an exam
             date, so the scheduler chooses), without --seed

and prints medians and the ratios to the floor. Targets: help <= 1.1 x floor, question and
a year <= 0.9 x.

    python bench/startup.py [--rounds 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    print(f"Hello {name}")


if __name__ == "__main__":
    app()
'''

MARKER = b"to answer, q to stop"


def compile_installed() -> None:
    """Byte-compile cps-drill as `pip install` does, even where PYTHONDONTWRITEBYTECODE is set
    (an editable install otherwise compiles every module on every start)."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("cps_drill")
    for folder in spec.submodule_search_locations or []:
        compileall.compile_dir(folder, quiet=1)


def cps_drill_command() -> list[str]:
    script = Path(sys.executable).with_name("cps-drill")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cps_drill"]


def time_run(argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def time_first_question(argv: list[str], env: dict) -> float:
    """Spawn in a pseudo-terminal and stop the clock when the question's prompt is on screen."""
    import pexpect

    started = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(50, 100), timeout=30)
    child.expect_exact(MARKER.decode())
    elapsed = time.perf_counter() - started
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--answers", type=int, default=100_000)
    args = parser.parse_args()
    compile_installed()
    with tempfile.TemporaryDirectory() as tmp:
        floor_app = Path(tmp) / "hello.py"
        floor_app.write_text(FLOOR_APP)
        env = {**os.environ, "CPS_DRILL_HOME": str(Path(tmp) / "home"), "TERM": "xterm"}
        env.pop("CPS_DRILL_CONTENT", None)
        cps = cps_drill_command()
        from cps_drill.deck.load import bundled_folder, load_deck
        from history import make_history

        year = {**env, "CPS_DRILL_HOME": str(Path(tmp) / "year")}
        make_history(Path(tmp) / "year", load_deck(bundled_folder()).questions, args.answers)
        runs = {
            "floor": lambda: time_run([sys.executable, str(floor_app), "--help"], env),
            "help": lambda: time_run([*cps, "--help"], env),
            "question": lambda: time_first_question([*cps, "quiz", "--seed", "1"], env),
            "a year": lambda: time_first_question([*cps, "quiz"], year),
        }
        for run in runs.values():  # warm the file cache and any content cache
            run()
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                times[name].append(run())
    floor = statistics.median(times["floor"])
    print(
        f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} cores, "
        f"{args.rounds} rounds, alternating"
    )
    print(f"{'measure':<10} {'median':>9} {'ratio':>7}  target")
    targets = {"floor": "", "help": "<= 1.1", "question": "<= 0.9", "a year": "<= 0.9"}
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<10} {median * 1000:>7.1f}ms {median / floor:>6.2f}x  {targets[name]}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
