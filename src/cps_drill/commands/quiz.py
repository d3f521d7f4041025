"""`quiz` and `review`: choose questions from the history, run the drill, say what to do next."""

from __future__ import annotations

import random
import shlex
from collections.abc import Callable
from pathlib import Path

from cps_drill import errors
from cps_drill.commands.context import Context
from cps_drill.commands.drill import Drill, DrillResult
from cps_drill.commands.optimize import fitted
from cps_drill.commands.settings import exam_date
from cps_drill.deck.model import Deck, Principle, Question
from cps_drill.progress.derived import deck_view
from cps_drill.screen.keys import stdin_is_closed
from cps_drill.screen.modes import detect
from cps_drill.study.choose import (
    memory_of,
    missed_questions,
    pick_questions,
    schedule_questions,
)


def quiz(
    ctx: Context,
    screen,
    *,
    count: int,
    principles: list[str],
    time_limit: int,
    seed: int | None,
    content: Path | None,
    missed: bool = False,
) -> DrillResult:
    deck = ctx.deck(content)
    wanted = {deck.resolve_principle(p).id for p in principles}
    pool = without_notes(ctx, screen, deck, questions_on(ctx, deck, wanted))
    if missed:
        questions = missed_questions(pool, deck_view(ctx.store().derived(), deck.id))
        if not questions:
            raise errors.UsageError(
                f"there is nothing to drill again: no question's last answer was missed. "
                f"'{ctx.program} quiz' goes on with what is due."
            )
        command = "quiz --missed"
    else:
        questions = _choose(ctx, deck, pool, count, seed)
        command = "quiz"
        if len(questions) < count:
            screen.capped(count, len(questions))
    return _run(ctx, screen, deck, questions, command, time_limit, seed, content, wanted)


def questions_on(ctx: Context, deck: Deck, wanted: set[str]) -> list[Question]:
    """The questions on these principles (every question when none is named), or one line
    that names the principles without any and says what to do."""
    pool = deck.questions_on(wanted)
    if not pool:
        which = ", ".join(f"{deck.principles[p].name} ({p})" for p in sorted(wanted))
        raise errors.UsageError(
            f"the deck has no questions on {which} yet: pick another principle "
            f"('{ctx.program} principles' lists them with their question counts)."
            if wanted
            else "the deck has no questions."
        )
    return pool


def review(
    ctx: Context,
    screen,
    *,
    principle: str,
    count: int,
    time_limit: int,
    seed: int | None,
    content: Path | None,
) -> DrillResult:
    deck = ctx.deck(content)
    chosen: Principle = deck.resolve_principle(principle)
    pool = without_notes(ctx, screen, deck, deck.questions_for(chosen.id))
    # Its own questions first; those filed elsewhere that also test it fill up the count.
    own = [q for q in pool if q.principle == chosen.id]
    questions = _choose(ctx, deck, own, count, seed)
    if len(questions) < count:
        others = [q for q in pool if q.principle != chosen.id]
        questions += _choose(ctx, deck, others, count - len(questions), seed)
    if not questions:
        raise errors.UsageError(
            f"the deck has no questions on {chosen.name} ({chosen.id}) yet: pick another "
            f"principle ('{ctx.program} principles' lists them with their question counts)."
        )
    return _run(
        ctx,
        screen,
        deck,
        questions,
        f"review {chosen.id}",
        time_limit,
        seed,
        content,
        {chosen.id},
        requeue=True,
        intro=lambda: screen.principle_card(chosen, deck, len(questions), len(pool)),
    )


def without_notes(ctx: Context, screen, deck: Deck, pool: list[Question]) -> list[Question]:
    """Questions with a content note are left out when the candidate asked for that; if that
    leaves none, the candidate is told why."""
    from cps_drill.commands.settings import current

    if current(ctx)["content-notes"] != "hide":
        return pool
    kept = [q for q in pool if not deck.notes_of(q)]
    if pool and not kept:
        raise errors.UsageError(
            "every question here carries a content note, and your setting leaves them out "
            f"('{ctx.program} settings content-notes show' brings them back)."
        )
    if len(kept) < len(pool):
        screen.left_out(len(pool) - len(kept), ctx.program)
    return kept


def _choose(ctx: Context, deck: Deck, pool, count: int, seed: int | None) -> list[Question]:
    """What the candidate is about to forget first, then what they have not seen (see
    study.choose); with --seed the same choice whatever the history."""
    if seed is not None:
        return pick_questions(pool, count, random.Random(seed))
    from cps_drill.study import schedule

    derived = ctx.store().derived()
    exam = exam_date(derived["settings"])
    when = schedule.exam_moment(exam) if exam else None
    view = deck_view(derived, deck.id)
    return schedule_questions(pool, count, random.Random(), view, schedule.now_utc(), when)


def _memory(ctx: Context, deck: Deck, questions: list[Question]) -> dict[str, dict]:
    """The memory states the drill goes on from, for the questions it will ask."""
    view = deck_view(ctx.store().derived(), deck.id)
    found = {q.id: memory_of(view, q) for q in questions}
    return {qid: memory for qid, memory in found.items() if memory}


def _run(
    ctx: Context,
    screen,
    deck: Deck,
    questions: list[Question],
    command: str,
    time_limit: int,
    seed: int | None,
    content: Path | None,
    focus: set[str],
    requeue: bool = False,
    intro: Callable[[], None] | None = None,
) -> DrillResult:
    if stdin_is_closed():
        raise errors.UsageError(
            "no answers can be read: standard input is closed. Run cps-drill in a terminal, "
            "or pipe answers into it (one letter a line)."
        )
    from cps_drill.commands.settings import extended_time

    time_limit = round(time_limit * extended_time(ctx.store().settings()))  # accommodations
    mode = detect(time_limit, plain=not screen.live)
    screen.set_mode(mode)
    result = Drill(
        screen,
        ctx.store(),
        deck,
        questions,
        command=command,
        mode=mode,
        time_limit=time_limit,
        rng=random.Random(seed),
        requeue_missed=requeue,
        focus=focus,
        intro=intro,
        memory=_memory(ctx, deck, questions),
        parameters=fitted(ctx.store().settings()),
    ).run()
    result.next_command = _next_command(ctx, result, focus, content)
    return result


def _next_command(ctx: Context, result: DrillResult, focus, content: Path | None) -> str | None:
    summary = result.summary
    if not summary.answered:
        return None
    if not summary.missed:
        line = f"{ctx.program} quiz"  # nothing to review: more practice
    elif focus and len(focus) == 1:
        line = f"{ctx.program} review {next(iter(focus))}"  # the same again
    else:
        line = f"{ctx.program} review {summary.weakest}"
    if content is not None:
        line += f" --content {shlex.quote(str(content))}"
    return line
