"""Scale budget: a 10,000-question deck and 100,000 past answers.

Generates both in a temporary folder (the history is a year of answers with their memory
states and an exam date, see history.py) and measures:

  validate      cps-drill validate on the deck                      target < 1.5 s
  quiz (cold)   cps-drill quiz until the first question is painted,
                the first time the deck is seen (parsed and checked) target < 1.5 s
  quiz (warm)   the same once the checked deck is cached            target < 1 s
  save          one answer saved to the progress (median and p95)   target p95 < 15 ms
  stats         cps-drill stats                                      target < 0.5 s
  stats (bank)  cps-drill stats on the bundled bank with the same history target < 0.5 s

and, as the floor for the first two, PyYAML's C loader composing the same file and nothing else.

    python bench/scale.py [--questions 10000] [--answers 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from history import make_history
from startup import compile_installed, cps_drill_command, time_first_question

WORDS = [
    "peer",
    "specialist",
    "person",
    "support",
    "recovery",
    "choice",
    "respect",
    "plan",
    "team",
    "agency",
    "policy",
    "group",
    "meeting",
    "supervisor",
    "story",
    "hope",
    "safety",
    "consent",
    "record",
    "family",
    "program",
    "community",
    "voice",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_deck(folder: Path, questions: int, rng: random.Random) -> list[str]:
    folder.mkdir(parents=True)
    ids = [f"principle-{i}" for i in range(20)]
    lines = ["principles:"]
    for pid in ids:
        lines += [
            f"  - id: {pid}",
            f"    name: Principle {pid}",
            f"    summary: {sentence(rng, 20)}",
            "    key_points:",
            f"      - {sentence(rng, 8)}",
            "    sources: [src]",
        ]
    lines += ["sources:", "  src:", "    title: A source", "    url: https://example.org/"]
    (folder / "principles.yaml").write_text("\n".join(lines) + "\n")
    lines = ["scenarios:"]
    for n in range(questions):
        correct = rng.randrange(4)
        lines += [
            f"  - id: q-{n:05d}",
            f"    principle: {rng.choice(ids)}",
            f"    difficulty: {rng.randint(1, 3)}",
            "    scenario: |",
            f"      {sentence(rng, 25)}",
            f"      {sentence(rng, 20)}",
            f"    question: {sentence(rng, 8)}",
            "    options:",
        ]
        for k in range(4):
            lines.append(f"      - text: {sentence(rng, 12)}")
            if k == correct:
                lines.append("        correct: true")
            lines.append(f"        why: {sentence(rng, 15)}")
        lines += [f"    explanation: {sentence(rng, 30)}", "    source: src"]
    (folder / "scenarios.yaml").write_text("\n".join(lines) + "\n")
    return ids


PEAK_MB: dict[str, float] = {}


# A small process that runs the command and reports its peak memory: measured from the bench
# itself, a child forked from this large process would count the bench's own pages.
PEAK_PROBE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True,"
    " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def wall(argv: list[str], env: dict, name: str = "") -> float:
    """Wall time of a command; its peak memory (POSIX) is kept in PEAK_MB[name], measured
    once, apart from the timing."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{argv} failed ({done.returncode})")
    if name and name not in PEAK_MB and sys.platform != "win32":
        probe = [sys.executable, "-c", PEAK_PROBE, *argv]
        kb = subprocess.run(probe, env=env, capture_output=True, text=True, check=True).stdout
        PEAK_MB[name] = int(kb.strip()) / 1024  # kilobytes on Linux
    return elapsed


def save_times(home: Path, count: int) -> list[float]:
    """Seconds to save one answer (append, fsync, lock), with the whole history before it."""
    from cps_drill.progress import records
    from cps_drill.progress.store import Store
    from cps_drill.study import schedule

    store = Store(home).open()
    times = []
    memory = None
    for n in range(count):
        record = records.answer(
            kind=records.DRILL,
            deck="bench",
            question="q-00001",
            principle="principle-1",
            chosen=0,
            correct=0,
            outcome="right",
            seconds=3.0,
            session="bench",
            seq=n + 1,
            command="quiz",
            fingerprint=f"{n:012d}",
            memory=memory,
        )
        started = time.perf_counter()
        memory = schedule.review(
            memory, question_id="q-00001", graded="good", at=schedule.now_utc(), seconds=3
        )
        store.append([record])
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1)
    compile_installed()
    cps = cps_drill_command()
    with tempfile.TemporaryDirectory() as tmp:
        deck, home = Path(tmp) / "deck", Path(tmp) / "home"
        make_deck(deck, args.questions, rng)
        from cps_drill.deck.load import bundled_folder, folder_deck_id, load_deck

        questions = load_deck(deck).questions
        make_history(home, questions, args.answers, deck_id=folder_deck_id(deck))
        bank_home = Path(tmp) / "bank-home"
        make_history(bank_home, load_deck(bundled_folder()).questions, args.answers)
        env = {
            **os.environ,
            "CPS_DRILL_HOME": str(home),
            "CPS_DRILL_CONTENT": str(deck),
            "TERM": "xterm",
        }
        size = (deck / "scenarios.yaml").stat().st_size + (home / "answers.jsonl").stat().st_size
        results: dict[str, list[float]] = {}
        # The floor: PyYAML's C loader composing the same file in a process of its own, with
        # nothing checked. Every deck read costs at least this much on this machine.
        compose = (
            "import gc, sys, yaml; gc.disable(); "
            "yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"
        )
        scenarios = str(deck / "scenarios.yaml")
        results["floor"] = [
            wall([sys.executable, "-c", compose, scenarios], env, "floor")
            for _ in range(args.rounds)
        ]
        results["validate"] = [
            wall([*cps, "validate"], env, "validate") for _ in range(args.rounds)
        ]
        cold = []
        for _ in range(args.rounds):
            for cached in (home / "cache").glob("*"):
                cached.unlink()
            cold.append(time_first_question([*cps, "quiz", "--seed", "1"], env))
        results["quiz (cold)"] = cold
        results["quiz (warm)"] = [
            time_first_question([*cps, "quiz", "--seed", "1"], env) for _ in range(args.rounds)
        ]
        results["stats"] = [wall([*cps, "stats"], env, "stats") for _ in range(args.rounds)]
        bank = {**env, "CPS_DRILL_HOME": str(bank_home)}
        bank.pop("CPS_DRILL_CONTENT")
        wall([*cps, "stats"], bank)  # the first run builds derived.json from the log
        results["stats (bank)"] = [
            wall([*cps, "stats"], bank, "stats (bank)") for _ in range(args.rounds)
        ]
        saves = save_times(home, args.saves)
    print(
        f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} cores; "
        f"{args.questions} questions, {args.answers} answers ({size / 1e6:.1f} MB of files)"
    )
    targets = {
        "validate": 1.5,
        "quiz (cold)": 1.5,
        "quiz (warm)": 1.0,
        "stats": 0.5,
        "stats (bank)": 0.5,
    }
    floor = statistics.median(results.pop("floor"))
    print(f"{'floor':<12} median {floor * 1000:7.1f} ms   (PyYAML's C loader composing the file)")
    for name, values in results.items():
        median = statistics.median(values)
        verdict = "ok" if median < targets[name] else "OVER"
        memory = f"   peak {PEAK_MB[name]:.0f} MB" if name in PEAK_MB else ""
        ratio = f"   {median / floor:.2f} x floor" if name in ("validate", "quiz (cold)") else ""
        print(
            f"{name:<12} median {median * 1000:7.1f} ms   target < {targets[name] * 1000:.0f} ms"
            f"   {verdict}{ratio}{memory}"
        )
    saves.sort()
    p95 = saves[int(0.95 * (len(saves) - 1))]
    verdict = "ok" if p95 < 0.015 else "OVER"
    print(
        f"{'save':<12} median {statistics.median(saves) * 1000:7.2f} ms   "
        f"p95 {p95 * 1000:.2f} ms   target p95 < 15 ms   {verdict}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
