"""Which questions a drill asks, from what the candidate's history says."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from cps_drill.deck.model import Question
from cps_drill.progress.records import TIMEOUT, WRONG

# In the last days before an exam, a question is chosen by what a review now adds to the chance
# of answering it right on the day; before that, by FSRS's own schedule. (Far from the exam,
# FSRS's forgetting curve is too flat for that gain to tell a first look from a review; close
# to it, both the curve and the gain are at their most accurate. bench/learning.py measures it.)
# A miss still comes back the next day in those days (see _final_stretch): that is what lets the
# stretch start six days out rather than four.
FINAL_STRETCH = timedelta(days=6)


def pick_questions(
    pool: Sequence[Question],
    count: int,
    rng: random.Random,
    last_outcome: dict[str, str] | None = None,
) -> list[Question]:
    """Choose up to `count` questions: last missed first, then never seen, then the rest."""
    last_outcome = last_outcome or {}
    groups: dict[int, list[Question]] = {0: [], 1: [], 2: []}
    for q in pool:
        outcome = last_outcome.get(q.id)
        groups[0 if outcome in (WRONG, TIMEOUT) else 1 if outcome is None else 2].append(q)
    chosen: list[Question] = []
    for rank in (0, 1, 2):
        rng.shuffle(groups[rank])
        chosen.extend(groups[rank][: count - len(chosen)])
    rng.shuffle(chosen)
    return chosen


def last_outcomes(history: dict, fingerprints: dict[str, str] | None = None) -> dict[str, str]:
    """The latest outcome of each question of a deck's history, for choosing what to ask.

    Answers given when a question had other options or another key (another fingerprint) do
    not count: that question's schedule starts again. They stay in the history all the same.
    Answers saved before fingerprints existed count for whatever the question is now.
    """
    fingerprints = fingerprints or {}
    last: dict[str, str] = {}
    for qid, by_fingerprint in history["last"].items():
        current = fingerprints.get(qid)
        outcome = by_fingerprint.get(current) if current else None
        if outcome is None:
            outcome = by_fingerprint.get("")
        if outcome is not None:
            last[qid] = outcome
    return last


def memory_of(history: dict, question: Question) -> dict | None:
    """The question's memory state, if it was reviewed with its current options and key."""
    return history.get("memory", {}).get(question.id, {}).get(question.fingerprint)


def schedule_questions(
    pool: Sequence[Question],
    count: int,
    rng: random.Random,
    history: dict,
    now: datetime,
    exam: datetime | None = None,
) -> list[Question]:
    """Up to `count` questions, in the order a candidate learns most from:

    1. questions due now, most overdue first (a question missed before memory states were kept
       counts as due). With an exam date, FSRS's own due date is kept but never later than the
       eve of the exam (the schedule ends there), a question is not asked twice in a day, and
       the least likely to be recalled on the exam day come first;
    2. unseen questions, from the principles where the candidate is weakest first;
    3. the rest, least likely to be remembered first.

    In the last days before an exam (FINAL_STRETCH), the questions missed at their last answer
    come back first, as on any other day, except on the eve of the exam; then the questions whose
    review now adds most to the chance of answering right on the day, seen or not.

    Principles are interleaved rather than blocked. `rng` breaks ties.
    """
    from cps_drill.study import schedule

    if exam is not None and exam - now <= FINAL_STRETCH:
        return _final_stretch(pool, count, rng, history, now, exam)
    last = last_outcomes(history, {q.id: q.fingerprint for q in pool})
    when = exam or now
    due, unseen, rest = [], [], []
    for q in pool:
        memory = memory_of(history, q)
        tie = rng.random()
        if memory is None:
            if last.get(q.id) in (WRONG, TIMEOUT):
                due.append((-1e9, tie, q))  # missed, from before memory was kept
            elif q.id in last:
                rest.append((0.5, tie, q))
            else:
                unseen.append(q)
            continue
        chance = schedule.retrievability(memory, when)
        if exam is not None:
            # FSRS's own date, but never later than the eve of the exam: the schedule ends there
            at = min(schedule.due_at(memory), exam - schedule.ONE_DAY)
            reviewed_today = memory["last"][:10] == now.date().isoformat()
            if at <= now and not reviewed_today:
                due.append((chance, tie, q))
            else:
                rest.append((chance, tie, q))
        elif schedule.due_at(memory) <= now:
            overdue = (now - schedule.due_at(memory)).total_seconds()
            due.append((-overdue, tie, q))
        else:
            rest.append((chance, tie, q))
    chosen = [q for *_, q in sorted(due, key=lambda t: t[:2])][:count]
    if len(chosen) < count:
        weakness = principle_readiness(pool, history, when)
        chosen += _round_robin(unseen, weakness, count - len(chosen), rng)
    if len(chosen) < count:
        chosen += [q for *_, q in sorted(rest, key=lambda t: t[:2])][: count - len(chosen)]
    return interleave(chosen)


def _final_stretch(
    pool: Sequence[Question],
    count: int,
    rng: random.Random,
    history: dict,
    now: datetime,
    exam: datetime,
) -> list[Question]:
    """The last days before an exam: what was missed at its last answer (and not asked today)
    comes back first, least likely to be recalled on the day first; the rest by exam-day gain.

    A miss is put right the next day while the feedback is fresh: FSRS's flat forgetting curve
    would rate a question just missed as mostly remembered on the day, so by gain alone a miss
    would wait behind every new question. On the eve of the exam, gain alone decides: a first
    look that evening is still fresh in the morning.
    """
    from cps_drill.study import schedule

    retry = []
    if schedule.days_between(now, exam) > 1:
        today = now.date().isoformat()
        last = last_outcomes(history, {q.id: q.fingerprint for q in pool})
        for q in pool:
            memory = memory_of(history, q)
            if last.get(q.id) not in (WRONG, TIMEOUT):
                continue
            if memory is not None and memory["last"][:10] == today:
                continue
            retry.append((schedule.retrievability(memory, exam), rng.random(), q))
    chosen = [q for *_, q in sorted(retry, key=lambda t: t[:2])][:count]
    if len(chosen) < count:
        taken = {q.id for q in chosen}
        rest = [q for q in pool if q.id not in taken]
        chosen += _by_exam_gain(rest, count - len(chosen), rng, history, now, exam)
    return interleave(chosen)


def _by_exam_gain(
    pool: Sequence[Question],
    count: int,
    rng: random.Random,
    history: dict,
    now: datetime,
    exam: datetime,
) -> list[Question]:
    """Up to `count` questions not yet reviewed today, the greatest expected gain in
    exam-day chance first (questions never reviewed share one gain per number of options)."""
    from cps_drill.study import schedule

    today = now.date().isoformat()
    first_look: dict[int, float] = {}
    scored = []
    for q in pool:
        memory = memory_of(history, q)
        if memory is not None and memory["last"][:10] == today:
            continue
        k = len(q.options)
        if memory is None and k not in first_look:
            first_look[k] = schedule.exam_gain(
                None, question_id=q.id, options=k, now=now, exam=exam
            )
        gain = (
            first_look[k]
            if memory is None
            else schedule.exam_gain(memory, question_id=q.id, options=k, now=now, exam=exam)
        )
        scored.append((-gain, rng.random(), q))
    scored.sort(key=lambda t: t[:2])
    return interleave([q for *_, q in scored[:count]])


def _round_robin(
    questions: list[Question], weakness: dict[str, float], count: int, rng: random.Random
) -> list[Question]:
    """Up to `count` questions, one principle after another, the weakest principles first."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.principle, []).append(q)
    for group in groups.values():
        rng.shuffle(group)
    order = sorted(groups, key=lambda pid: (weakness.get(pid, 0.0), rng.random()))
    out: list[Question] = []
    while len(out) < count and order:
        for pid in list(order):
            if len(out) == count:
                break
            group = groups[pid]
            out.append(group.pop())
            if not group:
                order.remove(pid)
    return out


def principle_readiness(
    pool: Sequence[Question], history: dict, when: datetime
) -> dict[str, float]:
    """Per principle, the mean chance of answering its questions right at `when` (a question
    never learned is a guess among its options)."""
    from cps_drill.study import schedule

    totals: dict[str, list[float]] = {}
    for q in pool:
        chance = schedule.chance_on(memory_of(history, q), when, len(q.options))
        totals.setdefault(q.principle, []).append(chance)
    return {pid: sum(values) / len(values) for pid, values in totals.items()}


def interleave(questions: list[Question]) -> list[Question]:
    """The same questions, keeping their order as far as it goes, but never two of one
    principle in a row while another principle is waiting."""
    waiting = list(questions)
    out: list[Question] = []
    while waiting:
        pick = next(
            (i for i, q in enumerate(waiting) if not out or q.principle != out[-1].principle), 0
        )
        out.append(waiting.pop(pick))
    return out


def missed_questions(pool: Sequence[Question], history: dict) -> list[Question]:
    """Exactly the questions whose last answer was wrong or timed out, interleaved."""
    last = last_outcomes(history, {q.id: q.fingerprint for q in pool})
    return interleave([q for q in pool if last.get(q.id) in (WRONG, TIMEOUT)])
