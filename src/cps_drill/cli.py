"""The command line: Typer wiring. Each command parses its options, calls its module under
`commands/`, and hands the result to the one screen. Errors meet one boundary here."""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cps_drill import errors

DEFAULT_COUNT = 10
DEFAULT_TIME_LIMIT = 90  # seconds: enough to read a five-sentence scenario and four options

app = typer.Typer(
    name="cps-drill",
    help="Timed practice drills for the Massachusetts Certified Peer Specialist exam.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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
    screen.cache_clear()  # one screen and one context for each run (tests make many runs)
    context.cache_clear()


@functools.cache
def screen():
    """The one screen of this run."""
    from cps_drill.screen.render import Screen

    return Screen()


@functools.cache
def context():
    from cps_drill.commands.context import Context

    return Context(home(), program())


def home() -> Path:
    return Path(os.environ.get("CPS_DRILL_HOME") or typer.get_app_dir("cps-drill"))


def program() -> str:
    """How the user started cps-drill, so that a suggested command can be pasted as it is."""
    import shutil

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


def boundary(command):
    """The one error boundary: a user's mistake becomes one line and an exit code; the
    result is drawn; the decks checked are cached for next time."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from cps_drill.errors import ContentProblems, DrillError

        try:
            result = command(*args, **kwargs)
            context().finish()
        except ContentProblems as exc:
            screen().problems(exc.problems, stderr=True)
            where = f" {shlex.quote(str(exc.folder))}" if exc.folder else ""
            screen().error(
                f"the deck has {len(exc.problems)} problem(s); fix them and try again "
                f"({program()} validate{where} lists them all)."
            )
            raise typer.Exit(errors.EXIT_ERROR) from None
        except DrillError as exc:
            screen().error(exc.describe(program()))
            raise typer.Exit(exc.exit_code) from None
        if result is not None:
            screen().show(result)
            code = getattr(result, "exit_code", errors.EXIT_OK)
            if code:
                raise typer.Exit(code)

    return wrapper


@app.command()
@boundary
def quiz(
    count: CountOpt = DEFAULT_COUNT,
    principle: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--principle", "-p", help="Only this principle (repeat for more)."),
    ] = None,
    time_limit: TimeOpt = DEFAULT_TIME_LIMIT,
    seed: SeedOpt = None,
    missed: Annotated[
        bool,
        typer.Option("--missed", help="Exactly the questions whose last answer was missed."),
    ] = False,
    content: ContentOpt = None,
):
    """A drill: what you are about to forget first, then what you have not seen yet.

    Example: cps-drill quiz --count 20 --principle boundaries
    """
    from cps_drill.commands.quiz import quiz as run

    return run(
        context(),
        screen(),
        count=count,
        principles=principle or [],
        time_limit=time_limit,
        seed=seed,
        content=content,
        missed=missed,
    )


@app.command()
@boundary
def review(
    principle: Annotated[
        str, typer.Argument(help="A principle id, or the start of one (see cps-drill principles).")
    ],
    count: CountOpt = DEFAULT_COUNT,
    time_limit: TimeOpt = DEFAULT_TIME_LIMIT,
    seed: SeedOpt = None,
    content: ContentOpt = None,
):
    """Study one principle: its summary first, then its questions until each is answered right.

    Example: cps-drill review confidentiality
    """
    from cps_drill.commands.quiz import review as run

    return run(
        context(),
        screen(),
        principle=principle,
        count=count,
        time_limit=time_limit,
        seed=seed,
        content=content,
    )


@app.command()
@boundary
def principles(content: ContentOpt = None):
    """List the principles with their question counts and your accuracy so far."""
    from cps_drill.commands.principles import principles as run

    return run(context(), content)


@app.command()
@boundary
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    content: ContentOpt = None,
):
    """Your answers so far: overall, per principle, and the last sessions."""
    from cps_drill.commands.stats import stats as run

    result = run(context(), content)
    if as_json:
        return _print_json(result)
    return result


@app.command()
@boundary
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
):
    """Check a content folder and list every problem as FILE:LINE: message.

    Example: cps-drill validate my-deck/ --stats
    """
    from cps_drill.commands.validate import validate as run
    from cps_drill.errors import ContentProblems

    try:
        return run(context(), folder or content, show_stats)
    except ContentProblems as exc:
        screen().problems(exc.problems)
        raise typer.Exit(errors.EXIT_ERROR) from None


@app.command()
@boundary
def plan(
    exam_date: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--exam-date", help="Your exam date, as YYYY-MM-DD; kept for next time."),
    ] = None,
    extended_time: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--extended-time",
            help="An accommodation: multiply every time limit by this (1 to 3, e.g. 1.5); kept.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    content: ContentOpt = None,
):
    """Your exam date, how ready you will be on it per principle, and how much to do a day.

    Example: cps-drill plan --exam-date 2027-03-15
    """
    from cps_drill.commands.plan import plan as run

    result = run(context(), exam_date, content, extended_time)
    if as_json:
        return _print_json(result)
    return result


@app.command()
@boundary
def exam(
    questions: Annotated[
        int,
        typer.Option("--questions", "-n", min=1, help="How many questions (a practice default)."),
    ] = 50,
    minutes: Annotated[
        float,
        typer.Option("--minutes", min=1, help="Time for the whole exam (a practice default)."),
    ] = 75,
    pass_mark: Annotated[
        float,
        typer.Option("--pass-mark", min=0, max=100, help="Percent to pass (a practice default)."),
    ] = 70,
    seed: SeedOpt = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Go on with the exam in progress.")
    ] = False,
    discard: Annotated[
        bool,
        typer.Option("--discard", help="Start a new exam, setting the one in progress aside."),
    ] = False,
    extended_time: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--extended-time", help="Multiply the time by this (1 to 3, e.g. 1.5)."),
    ] = None,
    report: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--report", help="Also write the full results to this Markdown file."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print only the results, as JSON.")
    ] = False,
    content: ContentOpt = None,
):
    """A whole timed mock exam: move back and forth, mark questions, submit; saved as you go.

    The real exam's length, time and pass mark are not published: 50 questions, 75 minutes
    and 70% are practice defaults. Example: cps-drill exam --questions 30 --minutes 45
    """
    from cps_drill.commands.exam import exam as run

    result = run(
        context(),
        screen(),
        count=questions,
        minutes=minutes,
        pass_mark=pass_mark,
        seed=seed,
        content=content,
        resume=resume,
        discard=discard,
        extended=extended_time,
        report=report,
        as_json=as_json,
    )
    if as_json:
        _print_json(result)
        if result.exit_code:
            raise typer.Exit(result.exit_code)
        return None
    return result


@app.command()
@boundary
def optimize(content: ContentOpt = None):
    """Fit the spaced-repetition schedule to your own answers (needs 512 reviews and the
    optimizer extra: pip install 'cps-drill[optimizer]')."""
    from cps_drill.commands.optimize import optimize as run

    return run(context(), content)


@app.command()
@boundary
def glossary(
    term: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="A term or acronym, or the start of one (default: every term)."),
    ] = None,
    content: ContentOpt = None,
):
    """The terms and acronyms you will meet, each with a short definition and its source.

    Example: cps-drill glossary RLC
    """
    from cps_drill.commands.glossary import glossary as run

    return run(context(), term, content)


@app.command()
@boundary
def settings(
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="The setting to change (default: list them all).", show_default=False),
    ] = None,
    value: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="Its new value.", show_default=False),
    ] = None,
):
    """Choices kept with your progress.

    Example: cps-drill settings content-notes hide
    """
    from cps_drill.commands.settings import settings as run

    return run(context(), name, value)


@app.command()
@boundary
def restore():
    """Recover your progress after damage: every answer that can still be read.

    Answers come from the backups and from the damaged files; nothing is deleted (the
    damaged files are kept, renamed *.broken-DATE).
    """
    from cps_drill.commands.restore import restore as run

    return run(context())


def _print_json(result) -> None:
    import json

    typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))


def main() -> None:
    """The entry point: output that cannot be written ends the run with one line, not a
    traceback, and a file-size limit fails a write (reported) instead of killing the run."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        app()
    except OSError as exc:
        _output_failed(exc)
    except SystemExit as exc:
        _flush_or_fail()
        raise exc from None
    _flush_or_fail()


def _flush_or_fail() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        _output_failed(exc)
    except (AttributeError, ValueError):
        pass


def _output_failed(exc: OSError) -> None:
    """The screen or the pipe went away, or the output is a full device."""
    import errno

    # Nothing more can go to standard output, and Python's own flush at exit must not fail.
    with contextlib.suppress(OSError, AttributeError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if exc.errno != errno.EPIPE:
        reason = exc.strerror or str(exc)
        with contextlib.suppress(OSError, AttributeError, ValueError):
            sys.stderr.write(f"Error: cannot write the output ({reason}).\n")
            sys.stderr.flush()
    raise SystemExit(errors.EXIT_ERROR)
