"""The command line: parse, call the core, hand the result to the screen. Nothing more."""

from __future__ import annotations

import functools
import os
import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer

from cps_drill import errors
from cps_drill.errors import ContentProblems, DrillError

DEFAULT_COUNT = 10
DEFAULT_TIME_LIMIT = 90  # seconds: enough to read a five-sentence scenario and four options

app = typer.Typer(
    name="cps-drill",
    help="Timed practice drills for the Massachusetts Certified Peer Specialist exam.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

ContentOpt = Annotated[
    Optional[Path],  # noqa: UP045 - Typer reads the annotation at run time on Python 3.10
    typer.Option(
        "--content",
        envvar="CPS_DRILL_CONTENT",
        help="A folder with principles.yaml and scenarios.yaml to use instead of the bundled deck.",
        show_default=False,
    ),
]
CountOpt = Annotated[int, typer.Option("--count", "-n", min=1, help="How many questions.")]
TimeOpt = Annotated[
    int,
    typer.Option(
        "--time-limit",
        "-t",
        min=0,
        help="Seconds for each question; 0 turns the timer off.",
    ),
]
SeedOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--seed", help="Make the choice and order of questions repeatable."),
]


def _version(value: bool) -> None:
    if value:
        from cps_drill import __version__

        typer.echo(f"cps-drill {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Timed practice drills for the Massachusetts Certified Peer Specialist exam."""


def handles_errors(command):
    """The one error boundary: a user's mistake becomes one line and an exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ContentProblems as exc:
            from cps_drill.render import Screen

            screen = Screen()
            for problem in exc.problems:
                screen.note(str(problem))
            where = f" {shlex.quote(str(exc.folder))}" if exc.folder else ""
            screen.error(
                f"the deck has {len(exc.problems)} problem(s); fix them and try again "
                f"({program()} validate{where} lists them all)."
            )
            raise typer.Exit(errors.EXIT_ERROR) from None
        except DrillError as exc:
            from cps_drill.render import Screen

            # Advice names commands as "cps-drill X": say them the way this one was started.
            Screen().error(str(exc).replace("'cps-drill ", f"'{program()} "))
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def home() -> Path:
    return Path(os.environ.get("CPS_DRILL_HOME") or typer.get_app_dir("cps-drill"))


def _store():
    from cps_drill.store import Store

    return Store(home())


def _deck(content: Path | None, cached: bool = True):
    from cps_drill import deckcache
    from cps_drill.content import content_folder

    return deckcache.load(content_folder(content), home() / "cache" if cached else None)


def program() -> str:
    """How the user started cps-drill, so that a suggested command can be pasted as it is."""
    import shutil
    import sys

    main_spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if main_spec is not None and main_spec.name == "cps_drill.__main__":
        return "python -m cps_drill"
    argv0 = sys.argv[0] if sys.argv else ""
    if not Path(argv0).name.startswith("cps-drill"):
        return "cps-drill"
    found = shutil.which("cps-drill")
    if found and Path(found).resolve() == Path(argv0).resolve():
        return "cps-drill"
    return shlex.quote(argv0) if os.sep in argv0 else "cps-drill"


def _history(totals, pool, seed):
    """Missed and unseen questions first; with --seed the same choice whatever the history."""
    from cps_drill.stats import last_outcomes

    if seed is not None:
        return {}
    seen = totals["last"]
    return last_outcomes(totals, {q.id: q.fingerprint for q in pool if q.id in seen})


def _drill(
    deck, questions, *, command, time_limit, seed, requeue, content, focus=None, wait_first=False
) -> None:
    import random

    from cps_drill.drill import Drill
    from cps_drill.render import Screen
    from cps_drill.terminal import is_interactive

    interactive = is_interactive()
    screen = Screen(interactive=interactive)
    store = _store()
    outcome = Drill(
        screen,
        store,
        deck,
        questions,
        command=command,
        time_limit=time_limit,
        rng=random.Random(seed),
        requeue_missed=requeue,
        interactive=interactive,
        focus=focus,
        wait_first=wait_first,
    ).run()
    summary = outcome.summary
    if outcome.terminal_gone:
        return
    command_line = None
    if summary.answered:
        if not summary.missed:
            command_line = f"{program()} quiz"  # nothing to review: more practice
        elif focus and len(focus) == 1:
            command_line = f"{program()} review {next(iter(focus))}"  # the same again
        else:
            command_line = f"{program()} review {summary.weakest}"
        if content is not None:
            command_line += f" --content {shlex.quote(str(content))}"
    screen.summary(summary, deck, command_line)
    if summary.answered:
        screen.saved_to(store.folder)
    if outcome.interrupted:
        raise typer.Exit(errors.EXIT_INTERRUPTED)


@app.command()
@handles_errors
def quiz(
    count: CountOpt = DEFAULT_COUNT,
    principle: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--principle", "-p", help="Only this principle (repeat for more)."),
    ] = None,
    time_limit: TimeOpt = DEFAULT_TIME_LIMIT,
    seed: SeedOpt = None,
    content: ContentOpt = None,
) -> None:
    """A mixed drill: questions from every principle, or the ones you name.

    Example: cps-drill quiz --count 20 --principle boundaries
    """
    import random

    from cps_drill.session import pick_questions

    deck = _deck(content)
    wanted = {deck.resolve_principle(p).id for p in principle or []}
    pool = [q for q in deck.questions if not wanted or wanted & set(q.principles)]
    history = _history(_store().totals(), pool, seed)
    questions = pick_questions(pool, count, random.Random(seed), history)
    if not questions:
        raise errors.UsageError("there are no questions to ask in this deck.")
    _drill(
        deck,
        questions,
        command="quiz",
        time_limit=time_limit,
        seed=seed,
        requeue=False,
        content=content,
        focus=wanted,
    )


@app.command()
@handles_errors
def review(
    principle: Annotated[
        str, typer.Argument(help="A principle id, or the start of one (see cps-drill principles).")
    ],
    count: CountOpt = DEFAULT_COUNT,
    time_limit: TimeOpt = DEFAULT_TIME_LIMIT,
    seed: SeedOpt = None,
    content: ContentOpt = None,
) -> None:
    """Study one principle: its summary first, then its questions until each is answered right.

    Example: cps-drill review confidentiality
    """
    import random

    from cps_drill.render import Screen
    from cps_drill.session import pick_questions

    deck = _deck(content)
    chosen = deck.resolve_principle(principle)
    pool = deck.questions_for(chosen.id)
    history = _history(_store().totals(), pool, seed)
    questions = pick_questions(pool, count, random.Random(seed), history)
    Screen().principle_card(chosen, deck, len(questions), len(pool))
    if not questions:
        raise errors.UsageError(f"the deck has no questions on '{chosen.id}' yet.")
    _drill(
        deck,
        questions,
        command=f"review {chosen.id}",
        time_limit=time_limit,
        seed=seed,
        requeue=True,
        content=content,
        focus={chosen.id},
        wait_first=True,
    )


@app.command()
@handles_errors
def principles(content: ContentOpt = None) -> None:
    """List the principles with their question counts and your accuracy so far."""
    from cps_drill.render import Screen
    from cps_drill.stats import compute

    deck = _deck(content)
    stats = compute(_store().totals(), list(deck.principles))
    counts = {pid: len(deck.questions_for(pid)) for pid in deck.principles}
    Screen().principles_table(deck, counts, stats.principles, program())


@app.command()
@handles_errors
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    content: ContentOpt = None,
) -> None:
    """Your answers so far: overall, per principle, and the last sessions."""
    import json

    from cps_drill.content import Deck, content_folder, load_principles
    from cps_drill.render import Screen
    from cps_drill.stats import compute

    totals = _store().totals()
    try:
        deck = load_principles(content_folder(content))
    except ContentProblems:
        deck = Deck(Path(), {}, [])  # names are a nicety; the figures stand without them
    figures = compute(totals, list(deck.principles))
    if as_json:
        typer.echo(json.dumps(figures.as_json(), indent=2, ensure_ascii=False))
        return
    Screen().stats(figures, deck, program())


@app.command()
@handles_errors
def validate(
    folder: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(
            help="The content folder to check (default: the bundled deck).", show_default=False
        ),
    ] = None,
    show_stats: Annotated[
        bool,
        typer.Option(
            "--stats",
            help="Also print quality signals: questions per principle and difficulty, option "
            "counts, scenario share, how often the correct option is the longest, missing "
            "why and source.",
        ),
    ] = False,
    content: ContentOpt = None,
) -> None:
    """Check a content folder and list every problem as FILE:LINE: message.

    Example: cps-drill validate my-deck/ --stats
    """
    from cps_drill.render import Screen

    screen = Screen()
    try:
        deck = _deck(folder or content, cached=False)
    except ContentProblems as exc:
        for problem in exc.problems:
            screen.raw(str(problem))
        screen.line(f"{len(exc.problems)} problem(s) found.")
        raise typer.Exit(errors.EXIT_ERROR) from None
    if show_stats:
        from cps_drill.quality import measure

        screen.quality(measure(deck), deck)
    screen.deck_summary(deck)


@app.command()
@handles_errors
def restore() -> None:
    """Recover your progress after damage: every answer that can still be read.

    Answers come from the latest backup and from the damaged files; nothing is deleted (the
    damaged files are kept, renamed *.broken-DATE).
    """
    from cps_drill.backups import restore as recover
    from cps_drill.render import Screen

    result = recover(_store())
    Screen().recovery(result)


def main() -> None:
    app()
