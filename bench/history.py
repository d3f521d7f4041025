"""A year of study history, for the budgets that must hold with one: `answers` drill answers
over the 365 days before now, about 20 a session, each with the memory state FSRS gives it
(the same `study.schedule.review` the drill calls), and an exam date a month from now.

    from history import make_history
    make_history(home, questions, answers=100_000)
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path


def make_history(home: Path, questions, answers: int, deck_id: str = "ma-cps", seed: int = 1):
    """Write the history to the study folder `home` (made here); `questions` are Question
    objects (id, principle, fingerprint, options)."""
    from cps_drill.progress import records
    from cps_drill.progress.store import Store
    from cps_drill.study import schedule

    rng = random.Random(seed)
    home.mkdir(parents=True)
    memory: dict[str, dict] = {}
    end = datetime.now(timezone.utc) - timedelta(hours=1)
    start = end - timedelta(days=365)
    with open(home / "answers.jsonl", "wb") as f:
        for n in range(answers):
            q = questions[rng.randrange(len(questions))]
            at = start + timedelta(seconds=365 * 86400 * n / answers)
            right = rng.random() < 0.75
            outcome = "right" if right else "wrong"
            state = schedule.review(
                memory.get(q.id),
                question_id=q.id,
                graded=schedule.grade(outcome),
                at=at,
                seconds=20,
            )
            memory[q.id] = state
            record = records.answer(
                kind=records.DRILL,
                deck=deck_id,
                question=q.id,
                principle=q.principle,
                chosen=0 if right else 1,
                correct=0,
                outcome=outcome,
                seconds=round(rng.uniform(5, 90), 2),
                at=at.isoformat(),
                session=f"s-{n // 20}",
                seq=n % 20 + 1,
                command="quiz",
                fingerprint=q.fingerprint,
                memory=state,
            )
            f.write(records.encode([record]))
        exam = (end + timedelta(days=30)).date().isoformat()
        f.write(records.encode([records.settings({"exam-date": exam}, session="plan")]))
    Store(home).write_state(start.isoformat())
