"""Does the scheduler help? Simulated candidates study the bundled bank daily until an exam.

Each simulated learner has a memory model of its own, which the scheduler cannot see:

  * a question never learned is not recalled; once its answer has been shown (after any
    answer, right or wrong: the feedback teaches it), it is recalled at a later time t with
    probability exp(-t / S), where S (in days) is that question's stability for that learner;
  * the first stability is the learner's own (1 to 3 days) times the question's own difficulty
    factor (0.5 to 2); a review that recalls it multiplies S by the learner's growth factor
    (2 to 3.5), more after a longer gap (recalling what was nearly forgotten teaches more); a
    review that fails sets S back to the first stability;
  * a question not recalled is still answered right by a blind guess with chance 1/k for k
    options, and the learner marks a lucky guess as a guess 70% of the time.

The exam-day score is the mean, over the whole bank, of the chance of answering right on the
exam day: recall, or else a lucky guess. Three ways to spend the same number of questions are
compared: the tool's own choice (the functions `quiz` calls: study.choose.schedule_questions
and study.schedule.review), random practice sets, and Leitner boxes (five boxes, reviewed every
1, 2, 4, 8 and 16 days; right moves a question up, wrong back to the first).

It reports how many fewer questions the tool needs to reach the exam-day score that random
practice (and Leitner) reach with a given number, over several learners, with the spread.

    python bench/learning.py [--learners 8] [--days 30] [--per-day 20] [--quick]

The last line is one JSON object with at least saved_vs_random and saved_vs_leitner (0.3 means
30% fewer questions).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2027, 1, 4, 18, 0, tzinfo=timezone.utc)  # a study session each evening
GUESS_MARKED = 0.7


@dataclass
class Learner:
    """The truth about one candidate's memory, hidden from every policy."""

    rng: random.Random
    first: float  # days
    growth: float
    difficulty: dict[str, float]
    stability: dict[str, float] = field(default_factory=dict)
    last: dict[str, datetime] = field(default_factory=dict)

    @classmethod
    def make(cls, seed: int, questions) -> Learner:
        rng = random.Random(seed)
        return cls(
            rng=random.Random(seed + 1000),
            first=rng.uniform(1.0, 3.0),
            growth=rng.uniform(2.0, 3.5),
            difficulty={
                q.id: math.exp(rng.uniform(math.log(0.5), math.log(2.0))) for q in questions
            },
        )

    def recall(self, qid: str, when: datetime) -> float:
        if qid not in self.stability:
            return 0.0
        days = (when - self.last[qid]).total_seconds() / 86400
        return math.exp(-days / self.stability[qid])

    def answer(self, q, when: datetime) -> tuple[bool, bool, bool]:
        """(right, recalled, marked as a guess), and the learner learns from the feedback."""
        p = self.recall(q.id, when)
        recalled = self.rng.random() < p
        right = recalled or self.rng.random() < 1 / len(q.options)
        marked = right and not recalled and self.rng.random() < GUESS_MARKED
        first = self.first * self.difficulty[q.id]
        if q.id not in self.stability or not recalled:
            self.stability[q.id] = first
        else:
            self.stability[q.id] *= self.growth * (1 + (1 - p))
        self.last[q.id] = when
        return right, recalled, marked

    def exam_score(self, questions, exam: datetime) -> float:
        total = 0.0
        for q in questions:
            r = self.recall(q.id, exam)
            total += r + (1 - r) / len(q.options)
        return total / len(questions)


def run_tool(questions, learner: Learner, days: int, per_day: int, exam: datetime) -> float:
    """The tool's own selection and scheduling, exactly as `quiz` uses them."""
    from cps_drill.study import schedule
    from cps_drill.study.choose import schedule_questions

    view: dict = {"memory": {}, "last": {}}
    rng = random.Random(7)
    for day in range(days):
        now = START + timedelta(days=day)
        for q in schedule_questions(questions, per_day, rng, view, now, exam):
            right, _, marked = learner.answer(q, now)
            outcome = "right" if right else "wrong"
            memory = view["memory"].get(q.id, {}).get(q.fingerprint)
            graded = schedule.grade(outcome, guessed=marked)
            new = schedule.review(memory, question_id=q.id, graded=graded, at=now, seconds=30)
            view["memory"].setdefault(q.id, {})[q.fingerprint] = new
            view["last"].setdefault(q.id, {})[q.fingerprint] = outcome
    return learner.exam_score(questions, exam)


def run_random(questions, learner: Learner, days: int, per_day: int, exam: datetime) -> float:
    rng = random.Random(11)
    for day in range(days):
        now = START + timedelta(days=day)
        for q in rng.sample(list(questions), min(per_day, len(questions))):
            learner.answer(q, now)
    return learner.exam_score(questions, exam)


def run_leitner(questions, learner: Learner, days: int, per_day: int, exam: datetime) -> float:
    rng = random.Random(13)
    box: dict[str, int] = {}
    due: dict[str, int] = {}
    new = list(questions)
    rng.shuffle(new)
    for day in range(days):
        now = START + timedelta(days=day)
        ready = sorted(
            (q for q in questions if due.get(q.id, 10**9) <= day), key=lambda q: box[q.id]
        )
        todays = ready[:per_day]
        while len(todays) < per_day and new:
            todays.append(new.pop())
        for q in todays:
            right, _, _ = learner.answer(q, now)
            box[q.id] = min(5, box.get(q.id, 0) + 1) if right else 1
            due[q.id] = day + 2 ** (box[q.id] - 1)
    return learner.exam_score(questions, exam)


def questions_to_reach(target: float, questions, seed: int, days: int, exam, most: int) -> int:
    """The fewest questions (per-day count x days) with which the tool reaches `target`."""
    low, high = 1, most
    best = None
    while low <= high:  # the score grows with the daily count, near enough: bisect
        mid = (low + high) // 2
        score = run_tool(questions, Learner.make(seed, questions), days, mid, exam)
        if score >= target:
            best, high = mid, mid - 1
        else:
            low = mid + 1
    return (best if best is not None else most + 1) * days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="4 learners, 21 days: under a minute")
    args = parser.parse_args()
    if args.quick:
        args.learners, args.days = 4, 21
    sys.path.insert(0, str(ROOT / "src"))
    from cps_drill.deck.load import bundled_folder, load_deck

    questions = load_deck(bundled_folder()).questions
    exam = START + timedelta(days=args.days, hours=-2)  # the morning after the last evening
    budget = args.days * args.per_day
    started = time.perf_counter()
    rows = []
    for seed in range(args.learners):
        scores = {
            name: run(questions, Learner.make(seed, questions), args.days, args.per_day, exam)
            for name, run in (("tool", run_tool), ("random", run_random), ("leitner", run_leitner))
        }
        most = args.per_day * 2
        need_random = questions_to_reach(scores["random"], questions, seed, args.days, exam, most)
        need_leitner = questions_to_reach(scores["leitner"], questions, seed, args.days, exam, most)
        rows.append(
            {
                **scores,
                "saved_vs_random": 1 - need_random / budget,
                "saved_vs_leitner": 1 - need_leitner / budget,
            }
        )
    elapsed = time.perf_counter() - started
    print(
        f"{len(questions)} questions, {args.learners} learners, {args.days} days, "
        f"{args.per_day} questions a day ({budget} in all), exam the morning after "
        f"({elapsed:.0f} s)"
    )
    print(
        f"{'learner':<8} {'tool':>6} {'random':>7} {'Leitner':>8} "
        f"{'saved vs random':>16} {'vs Leitner':>11}"
    )
    for n, r in enumerate(rows):
        print(
            f"{n:<8} {r['tool']:>6.1%} {r['random']:>7.1%} {r['leitner']:>8.1%} "
            f"{r['saved_vs_random']:>16.0%} {r['saved_vs_leitner']:>11.0%}"
        )
    summary = {}
    for key in ("tool", "random", "leitner", "saved_vs_random", "saved_vs_leitner"):
        values = [r[key] for r in rows]
        summary[key] = round(statistics.mean(values), 4)
        summary[key + "_min"] = round(min(values), 4)
        summary[key + "_max"] = round(max(values), 4)
    print(
        f"mean exam-day score: tool {summary['tool']:.1%}, random {summary['random']:.1%}, "
        f"Leitner {summary['leitner']:.1%}; the tool needs {summary['saved_vs_random']:.0%} fewer "
        f"questions than random (min {summary['saved_vs_random_min']:.0%}, max "
        f"{summary['saved_vs_random_max']:.0%}) and {summary['saved_vs_leitner']:.0%} fewer than "
        f"Leitner (min {summary['saved_vs_leitner_min']:.0%}, "
        f"max {summary['saved_vs_leitner_max']:.0%})"
    )
    print(
        json.dumps(
            {"learners": args.learners, "days": args.days, "per_day": args.per_day, **summary}
        )
    )


if __name__ == "__main__":
    main()
