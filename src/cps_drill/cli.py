"""The command line: Typer wiring. Each command parses its options, calls its module under
`commands/`, and hands the result to the one screen. Errors meet one boundary here."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import shlex
import sys
from pathlib import Path
from typing import Annotated, Optional


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size().columns


COLUMNS = _columns()  # the window's width when the program started


def _plain_help() -> bool:
    """Help and usage errors as Click's plain lines, without Rich's boxes, where boxes would not
    serve: under 60 columns (they cut words), TERM=dumb, or --plain (a screen reader reads every
    border aloud)."""
    term = os.environ.get("TERM", "").strip().lower()
    dumb = term in ("dumb", "unknown") or (not term and sys.platform != "win32")  # see modes.py
    if "--plain" in sys.argv[1:] or dumb:
        return True
    return COLUMNS < 60


if _plain_help():  # Typer's own switch, read when Typer is imported
    os.environ.setdefault("TYPER_USE_RICH", "0")

import typer  # noqa: E402 - after the switch above

from cps_drill import errors  # noqa: E402

DEFAULT_COUNT = 10
DEFAULT_TIME_LIMIT = 90  # seconds: enough to read a five-sentence scenario and four options

app = typer.Typer(
    name="cps-drill",
    help="Timed practice drills for the Massachusetts Certified Peer Specialist exam.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={
        "help_option_names": ["-h", "--help"],
        # Click lays plain help out at 50 columns at least: narrower, the terminal cut words.
        "terminal_width": max(20, COLUMNS - 1) if COLUMNS < 52 else None,
    },
)

ContentOpt = Annotated[
    Optional[Path],  # noqa: UP045 - Typer reads the annotation at run time on Python 3.10
    typer.Option(
        "--content",
        envvar="CPS_DRILL_CONTENT",
        metavar="FOLDER",
        help="A folder with principles.yaml and scenarios.yaml to use instead of the bundled deck.",
        show_default=False,
    ),
]


def number(kind: type = int, low: float = 0, high: float | None = None, example: str = ""):
    """Read a number from an option, saying what to give in a candidate's words when it will
    not do (Typer's own says "'x' is not a valid int" and "0 is not in the range x>=1")."""
    wanted = f"from {low:g} to {high:g}" if high is not None else f"of {low:g} or more"
    what = "a whole number" if kind is int else "a number"
    hint = f", for example {example}" if example else ""

    def parse(text):
        try:
            value = kind(str(text).strip())
        except ValueError:
            raise typer.BadParameter(
                f"'{text}' is not {what}: give {what} {wanted}{hint}."
            ) from None
        if not math.isfinite(value) or value < low or (high is not None and value > high):
            raise typer.BadParameter(f"{text} will not do: give {what} {wanted}{hint}.")
        return value

    return parse


CountOpt = Annotated[
    int,
    typer.Option(
        "--count",
        "-n",
        parser=number(int, 1, example="--count 10"),
        metavar="N",
        help="How many questions.",
    ),
]
TimeOpt = Annotated[
    int,
    typer.Option(
        "--time-limit",
        "-t",
        parser=number(int, 0, example="--time-limit 60"),
        metavar="SECONDS",
        help="Seconds for each question; 0 turns the timer off.",
    ),
]
PLAIN_HELP = (
    "Plain lines for screen readers: no colour, boxes or redrawing; the time said in words. "
    "Keep it with: cps-drill settings screen plain"
)
# --plain chooses the screen as the options are read, before the command runs (its callback);
# the kept screen setting too, except where the progress may be what is damaged.
PlainOpt = Annotated[
    bool, typer.Option("--plain", help=PLAIN_HELP, callback=lambda asked: plain_screen(asked))
]
PlainNowOpt = Annotated[
    bool,
    typer.Option("--plain", help=PLAIN_HELP, callback=lambda asked: plain_screen(asked, False)),
]
SeedOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        "--seed", metavar="NUMBER", help="Make the choice and order of questions repeatable."
    ),
]


def _complete_principle(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Tab after `review`, `read` or `--principle`: the ids of the deck in use (--content or
    CPS_DRILL_CONTENT, else the bundled deck) that start with what is typed, with their names."""
    from cps_drill.commands.complete import principle_choices

    given = ctx.params.get("principle")
    return principle_choices(
        ctx.params.get("content"), incomplete, given if isinstance(given, (list, tuple)) else ()
    )


def _version(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:  # not while the shell asks for completions
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


def plain_screen(asked: bool, kept_too: bool = True) -> None:
    """Plain mode when asked for with --plain, or kept as the screen setting (a progress folder
    that cannot be read is reported by the command itself, not here)."""
    from cps_drill.commands.settings import current
    from cps_drill.errors import ProgressError

    kept = False
    if kept_too and not asked:
        with contextlib.suppress(ProgressError, OSError):
            kept = current(context())["screen"] == "plain"
    if asked or kept:
        screen().make_plain()


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
        typer.Option(
            "--principle",
            "-p",
            metavar="PRINCIPLE",
            help="Only this principle (repeat for more).",
            autocompletion=_complete_principle,
        ),
    ] = None,
    time_limit: TimeOpt = DEFAULT_TIME_LIMIT,
    seed: SeedOpt = None,
    missed: Annotated[
        bool,
        typer.Option("--missed", help="Exactly the questions whose last answer was missed."),
    ] = False,
    plain: PlainOpt = False,
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
        str,
        typer.Argument(
            metavar="PRINCIPLE",
            help="A principle id, or the start of one (see cps-drill principles).",
            autocompletion=_complete_principle,
        ),
    ],
    count: CountOpt = DEFAULT_COUNT,
    time_limit: TimeOpt = DEFAULT_TIME_LIMIT,
    seed: SeedOpt = None,
    plain: PlainOpt = False,
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
def read(
    principle: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="PRINCIPLE",
            help="A principle id or name, or the start of one (default: every principle).",
            show_default=False,
            autocompletion=_complete_principle,
        ),
    ] = None,
    markdown: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--markdown",
            metavar="FILE",
            help="Write the sheet to this Markdown file instead, to keep or print.",
            show_default=False,
        ),
    ] = None,
    plain: PlainOpt = False,
    content: ContentOpt = None,
):
    """A study sheet: a principle's card and every one of its questions, with the best answer
    and why each option is or is not the best (in a pager on a terminal).

    Example: cps-drill read confidentiality --markdown confidentiality.md
    """
    from cps_drill.commands.read import read as run

    return run(context(), principle, markdown, content)


@app.command()
@boundary
def principles(content: ContentOpt = None, plain: PlainOpt = False):
    """List the principles with their question counts and your accuracy so far."""
    from cps_drill.commands.principles import principles as run

    return run(context(), content)


@app.command()
@boundary
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    plain: PlainOpt = False,
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
            metavar="FOLDER",
            help="The content folder to check (default: the bundled deck).",
            show_default=False,
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
    plain: PlainNowOpt = False,
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
        typer.Option(
            "--exam-date",
            metavar="YYYY-MM-DD",
            help="Your exam date, as YYYY-MM-DD; kept for next time.",
        ),
    ] = None,
    extended_time: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--extended-time",
            metavar="FACTOR",
            help="An accommodation: multiply every time limit by this (1 to 3, e.g. 1.5); kept.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    plain: PlainOpt = False,
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
        typer.Option(
            "--questions",
            "-n",
            parser=number(int, 1, example="--questions 30"),
            metavar="N",
            help="How many questions (a practice default).",
        ),
    ] = 50,
    minutes: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option(
            "--minutes",
            parser=number(float, 1, example="--minutes 45"),
            metavar="MINUTES",
            help="Time for the whole exam (a practice default: 1.5 minutes a question, so 75 "
            "for 50).",
            show_default=False,
        ),
    ] = None,
    pass_mark: Annotated[
        float,
        typer.Option(
            "--pass-mark",
            parser=number(float, 0, 100, example="--pass-mark 70"),
            metavar="PERCENT",
            help="Percent to pass (a practice default).",
        ),
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
        typer.Option(
            "--extended-time",
            metavar="FACTOR",
            help="Multiply the time by this (1 to 3, e.g. 1.5).",
        ),
    ] = None,
    report: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--report", metavar="FILE", help="Also write the full results to this Markdown file."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print only the results, as JSON.")
    ] = False,
    plain: PlainOpt = False,
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
def optimize(content: ContentOpt = None, plain: PlainOpt = False):
    """Fit the spaced-repetition schedule to your own answers (needs 512 reviews and the
    optimizer extra; the README says how to install it)."""
    from cps_drill.commands.optimize import optimize as run

    return run(context(), content)


@app.command()
@boundary
def glossary(
    term: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="TERM", help="A term or acronym, or the start of one (default: every term)."
        ),
    ] = None,
    plain: PlainOpt = False,
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
        typer.Argument(
            metavar="NAME",
            help="The setting to change (default: list them all).",
            show_default=False,
        ),
    ] = None,
    value: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="VALUE", help="Its new value.", show_default=False),
    ] = None,
    plain: PlainOpt = False,
):
    """Choices kept with your progress.

    Example: cps-drill settings content-notes hide
    """
    from cps_drill.commands.settings import settings as run

    return run(context(), name, value)


@app.command()
@boundary
def restore(plain: PlainNowOpt = False):
    """Recover your progress after damage: every answer that can still be read.

    Answers come from the backups and from the damaged files; nothing is deleted (the
    damaged files are kept, renamed *.broken-DATE).
    """
    from cps_drill.commands.restore import restore as run

    return run(context())


export_app = typer.Typer(
    help="Write the deck to a file: an Anki package, or a spreadsheet (CSV).",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")
ExportFileArg = Annotated[
    Path,
    typer.Argument(
        metavar="FILE", help="The file to write; one already there is replaced.", show_default=False
    ),
]
ExportPrincipleOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--principle",
        "-p",
        metavar="PRINCIPLE",
        help="Only this principle's questions (repeat for more).",
        autocompletion=_complete_principle,
    ),
]


@export_app.command("anki")
@boundary
def export_anki(
    file: ExportFileArg,
    principle: ExportPrincipleOpt = None,
    plain: PlainOpt = False,
    content: ContentOpt = None,
):
    """An Anki package (.apkg), one note per question; importing a newer one updates them.

    Example: cps-drill export anki cps.apkg
    """
    from cps_drill.commands.export import export_anki as run

    return run(context(), file, principles=principle or [], content=content)


@export_app.command("csv")
@boundary
def export_csv(
    file: ExportFileArg,
    principle: ExportPrincipleOpt = None,
    plain: PlainOpt = False,
    content: ContentOpt = None,
):
    """A spreadsheet (CSV, UTF-8 with a byte-order mark), one row per question.

    Example: cps-drill export csv cps.csv --principle boundaries
    """
    from cps_drill.commands.export import export_csv as run

    return run(context(), file, principles=principle or [], content=content)


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
