"""Everything cps-drill shows, drawn with Rich. The only module that imports Rich.

Every piece of text goes through `_text`: it is never read as markup (`[bold]` in a question is
shown as those characters), and a character that would steer the terminal is shown as a visible
escape (deck.text). `show(result)` draws what a command returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from cps_drill.deck.model import Case, Deck, Principle
from cps_drill.deck.text import visible
from cps_drill.progress.records import RIGHT, TIMEOUT
from cps_drill.screen.markdown import md
from cps_drill.screen.modes import Mode
from cps_drill.study import session
from cps_drill.study.session import LETTERS, Graded, Shown, Summary

RULE = "─"
_STYLES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")  # colours, styles, links
NUMERIC = re.compile(r"[\d/%.–]+")  # a column of figures is aligned right
NARROW = 70  # columns: below this, listings are lists instead of tables
TOO_MANY_A_DAY = 100  # questions: more a day than a plan can honestly ask
COMPACT = 60  # columns: below this, feedback labels stand above their text
HURRY = 10  # seconds left: the status line says to answer now
MORE_PROMPT = "More below: press Space, or q to stop."
EXAM_MORE_PROMPT = "More below: press any key."
SHORT_SUMMARY = 10  # answers: a longer summary says the score again at its end


def _text(value="", style: str | None = "") -> Text:
    return Text(visible(str(value)), style=style or "")


def minutes(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _hours(seconds: float) -> str:
    """A length of time as a person says it: 1 h 05 min, 12 min 30 s, 45 s."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {mins:02d} min"
    if mins:
        return f"{mins} min {secs:02d} s" if secs else f"{mins} min"
    return f"{secs} s"


def markdown_report(s, deck: Deck) -> str:
    """The results of an exam as a Markdown page, to keep or print."""
    a = s.attempt
    lines = [
        "# Mock exam results",
        "",
        f"- Date: {a.started[:10]}",
        f"- Score: {s.correct} of {s.questions} right ({s.score:.0f}%)",
        f"- Pass mark: {a.pass_mark:g}% (a practice figure): "
        + ("**passed**" if s.passed else "**not passed**"),
        f"- Answered: {s.answered} of {s.questions}",
        f"- Time used: {_hours(a.used)} of {_hours(a.limit)}",
        "",
        "## By principle",
        "",
        "| Principle | Right | Asked | % |",
        "| --- | --- | --- | --- |",
    ]
    for pid, (n, c) in s.by_principle().items():
        lines.append(f"| {_md(_name(deck, pid))} | {c} | {n} | {percent(c, n)} |")
    lines += ["", "## Every question", ""]
    for i, m in enumerate(s.marked):
        q = m.question
        verdict = "right" if m.right else "not answered" if m.chosen is None else "missed"
        lines += [f"### {i + 1}. {q.id} ({verdict})", ""]
        case = deck.cases.get(q.case or "")
        if case:
            lines += [f"*Case: {_md(case.title)}.* {_md(case.situation)}", ""]
        if q.scenario:
            lines += [_md(q.scenario), ""]
        lines += [f"**{_md(q.question)}**", ""]
        for k, index in enumerate(m.order):
            option = q.options[index]
            tags = [
                t
                for t, on in (("your answer", index == m.chosen), ("best answer", option.correct))
                if on
            ]
            tag = f" *({', '.join(tags)})*" if tags else ""
            lines.append(f"- **{LETTERS[k]}.** {_md(option.text)}{tag}")
            if option.why:
                lines.append(f"  - Why: {_md(option.why)}")
        if q.source and q.source in deck.sources:
            src = deck.sources[q.source]
            where = f" <{src.url}>" if src.url else ""
            lines += ["", f"Source: {_md(src.title)}{where}"]
        lines.append("")
    return "\n".join(lines)


_md = md  # one escaping for every Markdown page (screen.markdown)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def percent(right: int, answered: int) -> str:
    return f"{100 * right / answered:.0f}%" if answered else "–"


class Screen:
    """The one screen of a run. `live` draws a countdown in place and redraws; otherwise every
    line is printed once, in order (pipes, TERM=dumb, screen readers)."""

    def __init__(self, plain: bool = False) -> None:
        import os
        import sys

        _never_fail_on_encoding()
        self._consoles(_no_color())
        piped = not _isatty(sys.stdout)
        dumb = os.environ.get("TERM", "").strip().lower() in ("dumb", "unknown", "")
        self.live = not (plain or piped or dumb)
        self.plain = False  # asked for: --plain, or the screen setting
        self.mode: Mode | None = None
        self.announced: set[int] = set()
        self.hint = ""  # said on the status line after a key that is not an answer
        if plain:
            self.make_plain()

    def _consoles(self, colours: dict) -> None:
        """Standard output and standard error. Into a pipe or a file, lines are not broken at
        a made-up width (and carry no trailing spaces): the reader's program wraps them."""
        import sys

        options = {**_dumb_terminal_size(), **colours, "highlight": False, "emoji": False}
        self.out = Console(soft_wrap=not _isatty(sys.stdout), **options)
        self.err = Console(stderr=True, soft_wrap=not _isatty(sys.stderr), **options)

    def make_plain(self) -> None:
        """Plain mode, for screen readers: linear lines with no colour, no styling, no boxes or
        bars, no symbols and no cursor movement; everything said in words."""
        self.plain = True
        self.live = False
        self._consoles({"color_system": None})

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.live = mode.live

    def show(self, result) -> None:
        """Draw what a command returned."""
        draw = {
            "DrillResult": self.drill_result,
            "PrinciplesResult": self.principles_table,
            "StatsResult": self.stats,
            "ValidateResult": self.validated,
            "Recovery": self.recovery,
            "GlossaryResult": self.glossary,
            "SettingsResult": self.settings,
            "PlanResult": self.plan,
            "OptimizeResult": self.optimized,
            "ExamResult": self.exam_result,
            "ReadResult": self.study_sheet,
            "ExportResult": self.exported,
        }[type(result).__name__]
        draw(result)

    def to_stderr(self) -> None:
        """Questions and messages go to standard error: standard output carries JSON only."""
        self.out = self.err

    def _glyph(self, symbol: str) -> str:
        """A symbol where the terminal can show it; the words alone carry the meaning."""
        if self.plain:
            return ""
        return symbol if self.out.encoding.lower().startswith("utf") else ""

    def _hanging(self, rows, marker_style: str = "") -> None:
        """Indented items whose wrapped lines stay under their text, not under the marker. In
        a narrow window a word marker ("Source") runs into its text instead of taking a
        column of its own."""
        if self.out.width < COMPACT and any(len(str(marker)) > 3 for marker, _ in rows):
            grid = Table.grid(padding=(0, 0))
            grid.add_column(width=2, no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            for marker, text in rows:
                label = _text(f"{marker} " if marker else "", style=marker_style or "bold")
                grid.add_row("", label + text)
            self._print_trimmed(grid)
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(no_wrap=True, style=marker_style)
        grid.add_column(ratio=1, overflow="fold")
        for marker, text in rows:
            grid.add_row("", marker, text)
        self._print_trimmed(grid)

    def _source(self, marker: str, source, marker_style: str = "") -> None:
        """A source's title, then its address on a line of its own that is never broken, so
        that it can be copied whole (a narrow terminal wraps it without adding breaks)."""
        self._hanging([(marker, _text(source.title))], marker_style=marker_style)
        if source.url:
            address = _text(source.url, style="dim")
            if self.live and source.url.startswith(("https://", "http://")):
                # a link the terminal can open whole, however the window wraps it
                address.stylize(Style(link=visible(source.url)))
            self.out.print(_text("    ") + address, soft_wrap=True)

    def _print_trimmed(self, renderable) -> None:
        """Print without the padding a grid leaves at the end of each line."""
        from rich.segment import Segment, Segments

        lines = self.out.render_lines(renderable, pad=False)
        out: list[Segment] = []
        for line in lines:
            while line and not line[-1].text.strip() and not line[-1].control:
                line = line[:-1]
            if line:
                last = line[-1]
                line = [*line[:-1], Segment(last.text.rstrip(), last.style, last.control)]
            out += [*line, Segment.line()]
        self.out.print(Segments(out), end="")

    def page(self, draw: Callable[[], None], hint: str = "", keys: str = "") -> None:
        """What `draw` prints; on a live screen it does not fit, through the pager (PAGER,
        else less; tests set PAGER=cat) as plain text, since a pager may not show colour.
        `hint` is said before the pager starts, `keys` is the first line inside it."""
        if not self.live:
            draw()
            return
        with self.out.capture() as captured:
            draw()
        text = captured.get()
        if text.count("\n") <= self.out.height:
            self.out.file.write(text)
            self.out.file.flush()
            return
        if hint:
            self._exam_line(hint)
        if keys:
            with self.out.capture() as top:
                self.line(keys)  # wrapped between words, like the rest
            text = top.get() + text
        from rich.pager import SystemPager  # what Console.pager uses: PAGER, else less

        # Drawn once: the styles come off the text already drawn (deck text holds no escape
        # of its own: _text shows any as visible characters).
        SystemPager().show(_STYLES.sub("", text))

    # -- plain lines ---------------------------------------------------------------------

    def line(self, text: str = "", style: str | None = None) -> None:
        self.out.print(_text(text, style=style or ""))

    @property
    def narrow(self) -> bool:
        """Too narrow for tables, or plain: listings become lists."""
        return self.plain or self.out.width < NARROW

    def _listing(self, title: str, headers: list[str], rows: list[list], lines) -> None:
        """A table when there is room; otherwise each row as a bold first line and a second
        line made by `lines(row)`."""
        self.out.print()
        if self.narrow:
            self.out.print(_text(title, style="bold underline"))
            for row in rows:
                self.out.print(_text(str(row[0]), style="bold"))
                self._hanging([("", _text(lines(row)))])
            return
        table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
        for k, header in enumerate(headers):
            figures = all(NUMERIC.fullmatch(str(row[k])) for row in rows)
            table.add_column(header, justify="right" if figures else "left")
        for row in rows:
            table.add_row(*(_text(str(cell)) for cell in row))
        self.out.print(table)

    def error(self, message: str) -> None:
        # Into a terminal, wrapped between words (a narrow window would cut them); into a pipe
        # or a log, one line.
        line = _text("Error: ", style="bold red") + _text(message)
        self.err.print(line, soft_wrap=not self.err.is_terminal)

    def note(self, message: str) -> None:
        self.err.print(_text(message))

    # -- the drill -----------------------------------------------------------------------

    def principle_card(self, principle: Principle, deck: Deck, asked: int, total: int) -> None:
        self._card(principle, deck)
        self.out.print()
        if asked < total:
            self.line(
                f"{asked} of its {total} questions now (--count changes how many).", style="dim"
            )
        else:
            self.line(f"{plural(total, 'question')} on {principle.name}.", style="dim")

    def _card(self, principle: Principle, deck: Deck) -> None:
        """A principle's name, summary, key points and sources (review, read)."""
        self.out.print()
        self._title(principle.name)
        self.out.print(_text(principle.summary))
        if principle.key_points:
            self.out.print()
            self.out.print(_text("Key points", style="bold"))
            self._hanging(
                [(self._glyph("•") or "-", _text(point)) for point in principle.key_points]
            )
        cited = [deck.sources[k] for k in principle.sources if k in deck.sources]
        if cited:
            self.out.print()
            self.out.print(_text("Sources", style="bold"))
            for source in cited:
                self._source(self._glyph("•") or "-", source)

    def plan(self, r) -> None:
        """The exam date, readiness per principle as bars, and what to do each day."""
        if r.changed:
            self.line(f"Exam date saved: {r.exam_date}.")
        if r.exam_date:
            self.line(f"Exam date: {r.exam_date} ({plural(r.days_left or 0, 'day')} from today).")
            when = "on the exam day"
        elif r.passed:
            self.line(
                f"Your exam date, {r.passed[:10]}, has passed. Set the next one with: "
                f"{r.program} plan --exam-date YYYY-MM-DD"
            )
            when = "today"
        else:
            self.line(f"No exam date yet. Set one with: {r.program} plan --exam-date YYYY-MM-DD")
            when = "today"
        self.line(
            f"Readiness {when}: {r.overall:.0%} (the chance of answering a question right, "
            f"averaged over the bank; {r.seen} of {len(r.deck.questions)} questions studied)."
        )
        self._bars(
            "Readiness per principle",
            [(_name(r.deck, pid), value) for pid, value in r.principles.items()],
        )
        self.out.print()
        self.line(f"Due today: {plural(r.due, 'question')}.")
        if r.per_day is not None:
            self.line(f"To reach 90% by the exam: about {plural(r.per_day, 'question')} a day.")
        self.line(f"Start with: {r.program} quiz --count {max(10, r.per_day or r.due or 10)}")

    def _bars(self, title: str, rows: list[tuple[str, float]]) -> None:
        """A bar for each share, with the figure in words too (plain mode, screen readers)."""
        self.out.print()
        self.out.print(_text(title, style="bold"))
        if not rows:
            return
        name_width = min(max(len(name) for name, _ in rows), max(10, self.out.width // 2))
        bar_width = max(5, self.out.width - name_width - 8)
        full = self._glyph("█") or "#"
        empty = self._glyph("░") or "."
        for name, value in rows:
            if self.plain:
                self.line(f"{name}: {value:.0%}")
                continue
            if self.narrow:
                self.line(name)
                self.line(f"  {value:.0%}  " + full * round(value * bar_width / 2))
                continue
            filled = round(value * bar_width)
            label = name if len(name) <= name_width else name[: name_width - 1] + "…"
            bar = full * filled + empty * (bar_width - filled)
            self.line(f"{label:<{name_width}} {value:>4.0%} {bar}")

    def optimized(self, r) -> None:
        self.line(
            f"The schedule is now fitted to your {r.reviews} reviews; new reviews use it. "
            "(The questions already scheduled keep their dates until you next answer them.)"
        )

    def exported(self, r) -> None:
        """What `export` wrote, and where to take it."""
        if r.on:
            what = f"{plural(r.questions, 'question')} on {' or '.join(r.on)}"
        else:
            what = f"{plural(r.questions, 'question')} ({plural(r.principles, 'principle')})"
        said = f"Replaced {r.path} with {what}." if r.replaced else f"Wrote {what} to {r.path}."
        if r.format == "anki":
            then = "In Anki: File > Import. Importing a newer export updates these notes."
        else:
            then = "One row a question, in UTF-8 with a byte-order mark (Excel opens it as it is)."
        self.line(f"{said} {then}")

    def passed_over(self) -> None:
        self.line("Passed over; it does not count as missed.", style="dim")

    def marked_guess(self) -> None:
        self.line(
            "Marked as a guess: it will come back sooner. Press any key to go on.", style="dim"
        )

    def left_out(self, count: int, program: str) -> None:
        """Questions with content notes left out of a drill, by the candidate's setting."""
        self.line(
            f"Left out: {plural(count, 'question')} with a content note (your setting; "
            f"'{program} settings content-notes show' brings them back).",
            style="dim",
        )

    def capped(self, asked_for: int, available: int) -> None:
        """--count asked for more questions than there are to ask."""
        self.line(
            f"You asked for {asked_for} questions; there are {available} here, so this drill "
            f"asks all {available}.",
            style="bold",
        )

    def settings(self, result) -> None:
        for name, value, choices, what in result.rows:
            self.line(f"{name}: {value}   ({' or '.join(choices)}: {what})")
        if result.changed:
            self.line(f"Saved: {result.changed}.", style="dim")

    def clear(self) -> None:
        if self.live:
            self.out.clear()

    def wait_to_start(self) -> None:
        self.line("Press any key to start, q to stop.", style="dim")

    def redraw(self, shown: Shown, principle_name: str, keys: bool = True, **context) -> None:
        """The question again, whole: after a resize, after Ctrl-Z, when moving back. Live, the
        screen is cleared first; plain, it is simply printed again below."""
        if self.live:
            self.out.clear()
        self.question(shown, principle_name, keys=keys, **context)

    def fit(
        self,
        draw: Callable[[], None],
        more: Callable[[], bool | None] | None,
        below: int = 1,
        status: bool = False,
    ) -> bool:
        """Draw; on a live screen too short for it, a window at a time, so that what comes
        first (a verdict, a situation) is read before it scrolls away. Between windows
        `more()` waits for a key (False: stop; None: the window changed size, so all is drawn
        again for it); the last window is a full one, with `below` lines left for what follows
        it. Returns False when the candidate stopped."""
        if not self.live or more is None:
            draw()
            return True
        while True:  # once, or again from the top after the window changed size
            with self.out.capture() as captured:
                draw()
            lines = captured.get().splitlines()
            height = self.out.height
            last = max(3, height - below)  # lines in the last window
            start = 0
            while len(lines) - start > last:
                page = max(3, height - 2 if status else height - 1)  # the More prompt below
                self._write_lines(lines[start : start + page])
                going_on = more()
                self.out.clear()
                if going_on is None:
                    break  # resized: drawn again for the new size
                if not going_on:
                    return False
                start = min(start + page, len(lines) - last)
            else:
                self._write_lines(lines[start:])
                return True

    def more_prompt(self, status: bool = False) -> None:
        """Below a part of a screen taller than the window (see `fit`); with a status line
        below it (the exam's clock), on a line of its own."""
        text = (EXAM_MORE_PROMPT if status else MORE_PROMPT)[: self.out.width - 1]
        self.out.print(_text(text, style="reverse"), end="\n" if status else "")
        self.out.file.flush()

    def _write_lines(self, lines: list[str]) -> None:
        self.out.file.write("".join(line + "\n" for line in lines))
        self.out.file.flush()

    def question(
        self,
        shown: Shown,
        principle_name: str,
        keys: bool = True,
        case: Case | None = None,
        notes: tuple[str, ...] = (),
        more: Callable[[], bool | None] | None = None,
    ) -> bool:
        """A question: its content note first, then its case's situation, its own, the
        question and the options; a window at a time when it is taller than the window (see
        `fit`). False when the candidate stopped while reading."""
        self.hint = ""
        return self.fit(lambda: self._question(shown, principle_name, keys, case, notes), more)

    def _question(
        self,
        shown: Shown,
        principle_name: str,
        keys: bool,
        case: Case | None,
        notes: tuple[str, ...],
    ) -> None:
        q = shown.question
        title = f"Question {shown.position} of {shown.total} · {principle_name}"
        if shown.repeat:
            title += " · again (missed earlier)"
        self.announced = set()
        self.out.print()
        self._title(title)
        if notes:
            words = ", ".join(note.replace("-", " ") for note in notes)
            how = "Press s" if keys else "Type s"
            self.out.print(_text(f"Content note: this question mentions {words}.", style="bold"))
            self.line(f"{how} to pass over it; that does not count as a miss.", style="dim")
            self.out.print()
        self._stem(q, case)
        self._hanging(
            [
                (f"{letter}.", _text(q.options[index].text))
                for letter, index in zip(LETTERS, shown.order, strict=False)
            ],
            marker_style="bold",
        )
        self.out.print()
        n = len(shown.order)
        skip = ", s to pass over" if notes else ""
        if keys:
            self.line(f"Press A–{LETTERS[n - 1]} or 1–{n} to answer{skip}, q to stop.", style="dim")
        else:
            self.line(f"Answer (A–{LETTERS[n - 1]} or 1–{n}{skip}, q to stop):", style="dim")

    def _stem(self, q, case: Case | None) -> None:
        """What a question asks, before its options: its case's situation, its own, the
        question; a blank line after each."""
        if case:
            self.out.print(_text(f"Case: {case.title}", style="bold"))
            self.out.print(_text(case.situation))
            self.out.print()
        if q.scenario:
            self.out.print(_text(q.scenario))
            self.out.print()
        self.out.print(_text(q.question, style="bold"))
        self.out.print()

    def _title(self, title: str) -> None:
        if not self.live or len(title) + 6 > self.out.width:  # a rule would cut a long title
            self.out.print(_text(title, style="bold underline"))
        else:
            self.out.rule(_text(title, style="bold"), characters=RULE)

    def countdown(
        self, shown: Shown, principle_name: str, seconds_left: float | None, limit: float = 0
    ) -> None:
        """Live: rewrite the status line in place (position, principle, time left). Plain:
        say the time left in words at half time, 30 and 10 seconds, and at the end."""
        if not self.live:
            self._announce(seconds_left, limit)
            return
        clock = "no time limit" if seconds_left is None else f"{minutes(seconds_left)} left"
        hurry = seconds_left is not None and seconds_left <= HURRY and limit > HURRY
        if hurry:
            clock += ", answer now"
        head = f"{shown.position}/{shown.total}{' again' if shown.repeat else ''} · "
        tail = f" · {clock}"
        if self.hint:  # after a key that is not an answer: what to press, in place
            text = f"{self.hint} · {clock}"
        else:
            room = max(8, self.out.width - 1 - len(head) - len(tail))
            name = principle_name if len(principle_name) <= room else principle_name[: room - 1]
            text = head + (name if name == principle_name else name + "…") + tail
        text = text[: self.out.width - 1]
        clear = "\r" + " " * (self.out.width - 1) + "\r"
        self.out.file.write(clear)
        style = "bold yellow" if hurry or self.hint else "bold"
        self.out.print(_text(text, style=style), end="", soft_wrap=True)
        self.out.file.flush()

    def _announce(self, seconds_left: float | None, limit: float) -> None:
        if seconds_left is None or not limit:
            return
        if -1 not in self.announced:  # at the start: how long there is
            self.announced.add(-1)
            self.line(f"You have {plural(round(limit), 'second')} for this question.")
            return
        moments = sorted({30, 10} | ({round(limit / 2)} if limit >= 40 else set()), reverse=True)
        for moment in moments:
            if moment < limit and seconds_left <= moment and moment not in self.announced:
                self.announced.add(moment)
                self.line(f"{plural(moment, 'second')} left.")
                return

    def end_countdown(self) -> None:
        if self.live:
            self.out.file.write("\n")
            self.out.file.flush()

    def unknown_key(self, option_count: int, keys: bool = True) -> None:
        """Live, said in place on the status line (a new line each time would pile up);
        otherwise a line of its own."""
        last = LETTERS[option_count - 1]
        if self.live and keys:
            self.hint = f"Press A–{last} or 1–{option_count}, q to stop"
            return
        self.line(f"Please answer with a letter A–{last} or a number 1–{option_count}, or q.")

    def feedback(
        self,
        graded: Graded,
        deck: Deck,
        keys: bool = True,
        guessed: bool = False,
        more: Callable[[], bool | None] | None = None,
    ) -> bool:
        """The verdict first, then the answers with their whys, the explanation and the
        source; a window at a time when taller than the window. False: stopped while reading."""
        return self.fit(lambda: self._feedback(graded, deck, keys, guessed), more, below=3)

    def _feedback(self, graded: Graded, deck: Deck, keys: bool, guessed: bool) -> None:
        q, shown = graded.question, graded.shown
        correct = q.options[graded.correct]
        self.out.print()
        took = _text(f"  Answered in {graded.seconds:.0f} s.", style="dim")
        if graded.outcome == RIGHT:
            self.out.print(_text(self._glyph("✔ ") + "Right.", style="bold green") + took)
        elif graded.outcome == TIMEOUT:
            text = self._glyph("⏱ ") + "Time is up. This counts as missed."
            self.out.print(_text(text, style="bold yellow"))
        else:
            verdict = _text(self._glyph("✘ ") + "Not the best answer.", style="bold red")
            self.out.print(verdict + took)
        rows = []
        if graded.chosen is not None and graded.outcome != RIGHT:
            chosen = q.options[graded.chosen]
            rows += _option_rows("You chose", shown.letter_of(graded.chosen), chosen)
        rows += _option_rows("Best answer", shown.letter_of(graded.correct), correct)
        if self.out.width < COMPACT:  # labels above their text, so the text has the width
            for label, text in rows:
                self.out.print(_text(label, style="bold"))
                self._hanging([("", text)])
        else:
            self._hanging(rows, marker_style="bold")
        if q.explanation:
            self.out.print()
            self.out.print(_text(q.explanation))
        if q.source and q.source in deck.sources:
            self._source("Source", deck.sources[q.source], marker_style="dim")
        terms = deck.terms_in(q)
        if terms:
            listed = ", ".join(t.term for t in terms)
            self._hanging([("Terms", _text(f"{listed} (see the glossary command)"))], "dim")
        if graded.outcome == RIGHT and guessed:
            self.line("Marked as a guess: it will come back sooner.", style="dim")

    def go_on(self, graded: Graded) -> None:
        """After the feedback, once keys are taken again (a moment after it is drawn)."""
        self.out.print()
        if graded.outcome == RIGHT:
            self.line(
                "Press g if that was a guess, any other key to go on, q to stop.", style="dim"
            )
        else:
            self.line("Press any key to go on, q to stop.", style="dim")

    def drill_result(self, result) -> None:
        """The end of a drill: why it stopped, the summary, and where answers were saved."""
        if result.ended == session.GONE:
            return  # nothing more can be shown
        if result.ended == session.INTERRUPTED:
            self.line()
            self.line("Stopped with Ctrl-C. Every answer given so far is saved.")
        elif result.ended == session.SIGNALLED:
            self.line()
            self.line("Stopped. Every answer given so far is saved.")
        elif result.ended == session.SAVE_FAILED:
            self.line()
            self.error(result.error or "could not save your progress.")
            self.note("The last answer was not saved, so its feedback was not shown.")
        self.summary(result.summary, result.deck, result.next_command)
        if result.summary.answered:
            self.saved_to(result.folder)
        if result.backup_error:
            self.note(
                f"This hour's backup of your answers could not be made ({result.backup_error}). "
                "Your answers are saved; 'restore' can repair the backups."
            )

    def summary(self, summary: Summary, deck: Deck, review_command: str | None) -> None:
        """The score, per principle, what was missed, what to run next; when all that is
        taller than the window, the score once more at the end."""
        with self.out.capture() as captured:
            self._summary(summary, deck, review_command)
        text = captured.get()
        self.out.file.write(text)
        lines = text.count("\n")
        if summary.answered and (lines > self.out.height - 2 or summary.answers > SHORT_SUMMARY):
            self.out.print()
            self.line(self._score(summary), style="bold")

    def _summary(self, summary: Summary, deck: Deck, review_command: str | None) -> None:
        self.out.print()
        self._title("Session summary")
        answered = summary.answered
        if not answered:
            self.line("No questions answered; nothing was recorded.")
            if summary.skipped:
                self.line(
                    f"Passed over after a content note: {plural(len(summary.skipped), 'question')}."
                )
            return
        score = self._score(summary)
        self.line(score)
        retries = summary.retries
        if retries:
            again = sum(g.right for g in retries)
            every = summary.answers
            total = summary.right + again
            self.line(
                f"Asked again after a miss: {again} of {len(retries)} right. The score counts "
                f"first tries; with the retries, {total} of {every} answers were right (as "
                "stats counts them)."
            )
        done = summary.asked + len(summary.skipped)
        if done < summary.planned:
            self.line(
                f"Stopped early: {summary.asked} of the {summary.planned} questions answered."
            )
        if summary.skipped:
            self.line(
                f"Passed over after a content note: {plural(len(summary.skipped), 'question')}."
            )
        rows = [
            [_name(deck, pid), t.right, t.answered, percent(t.right, t.answered)]
            for pid, t in summary.by_principle.items()
        ]
        self._listing(
            "By principle",
            ["Principle", "Right", "Asked", "%"],
            rows,
            lambda row: f"{row[1]} of {row[2]} right ({row[3]})",
        )
        missed = summary.missed
        if missed:
            self.out.print()
            self.out.print(_text(f"Missed ({len(missed)})", style="bold"))
            items: list[tuple[str, Text]] = []
            for g in missed:
                q = g.question
                how = "time ran out" if g.outcome == TIMEOUT else "not the best answer"
                if summary.right_later(q.id):
                    how += "; right when asked again"
                elif any(r.question.id == q.id for r in summary.retries):
                    how += "; missed again when asked again"
                gist = _gist(q.scenario or "")
                what = f"{gist} {q.question}" if gist else q.question
                items.append((self._glyph("•") or "-", _text(what, style="bold")))
                items.append(("", _text(f"{q.id} · {how}", style="dim")))
                items.append(
                    ("", _text("Best answer: ", style="dim") + _text(q.options[g.correct].text))
                )
            self._hanging(items)
        if review_command:
            self.out.print()
            label = "Review next:" if " review " in review_command else "No misses. Next:"
            self.out.print(_text(label, style="bold"))
            self.command(review_command)

    def _score(self, summary: Summary) -> str:
        answered, right = summary.answered, summary.right
        answers = summary.first_tries
        average = sum(g.seconds for g in answers) / len(answers) if answers else 0
        return (
            f"Score: {right} of {answered} right ({percent(right, answered)}) · "
            f"time {minutes(summary.seconds)} · {average:.0f} s an answer on average"
        )

    def command(self, text: str, indent: str = "  ") -> None:
        """A command to copy and paste: on one line when it fits; otherwise broken only between
        words, each line but the last ending in a backslash, so that it still pastes into a
        shell as one command (a narrow terminal would otherwise cut it mid-word)."""
        width = self.out.width - 1
        piped = not self.out.is_terminal  # the reader's program wraps it, if anything
        if piped or len(indent) + len(text) <= width or " " not in text:
            self.out.print(_text(indent + text), soft_wrap=True)
            return
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            if current and len(indent) + len(current) + 1 + len(word) + 2 > width:
                lines.append(current)
                current = "  " + word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        for k, part in enumerate(lines):
            tail = " \\" if k < len(lines) - 1 else ""
            self.out.print(_text(indent + part + tail), soft_wrap=True)

    def saved_to(self, folder) -> None:
        self.line(f"Progress saved in {folder}", style="dim")

    # -- listings ------------------------------------------------------------------------

    # -- the mock exam -------------------------------------------------------------------

    def exam_start(self, attempt, keys: bool, timed: bool) -> None:
        self.announced = set()
        how = "press ? for the keys" if keys else "type ? for the commands"
        clock = (
            f"{_hours(attempt.left())} for {attempt.total} questions"
            if timed
            else (f"{attempt.total} questions, no clock (answers come from a pipe)")
        )
        if attempt.extended != 1:
            clock += f" (extended time: {attempt.extended:g} times)"
        self.line(f"Mock exam: {clock}. No answers are shown until you submit; {how}.")

    def exam_question(
        self,
        attempt,
        q,
        principle_name: str,
        keys: bool,
        case=None,
        timed: bool = True,
        more: Callable[[], bool] | None = None,
    ) -> None:
        """One question of the exam, whole: where you are, how it stands, the question; a
        window at a time when taller than the window (the clock's line stays below)."""
        if self.live:
            self.out.clear()
        self.fit(
            lambda: self._exam_question(attempt, q, principle_name, keys, case, timed),
            more,
            below=2,
            status=True,
        )

    def _exam_question(
        self, attempt, q, principle_name: str, keys: bool, case, timed: bool
    ) -> None:
        self.hint = ""
        i = attempt.position
        self.out.print()
        self._title(f"Question {i + 1} of {attempt.total} · {principle_name}")
        self.line(
            f"{len(attempt.answers)} answered · {len(attempt.flags)} marked for review · "
            + (f"{_hours(attempt.left())} left" if timed else "no clock"),
            style="dim",
        )
        if i in attempt.flags:
            self.out.print(_text(self._glyph("⚑ ") + "Marked for review.", style="bold"))
        self.out.print()
        self._stem(q, case)
        order = attempt.orders[i]
        chosen = attempt.answers.get(i)
        rows = []
        for k, index in enumerate(order):
            mark = f"{LETTERS[k]}."
            text = _text(q.options[index].text)
            if k == chosen:
                text = _text("(your answer) ", style="bold") + text
                mark = (self._glyph("▸") or ">") + mark
            rows.append((mark, text))
        self._hanging(rows, marker_style="bold")
        self.out.print()
        n = len(order)
        if keys:
            self.line(
                f"A–{LETTERS[n - 1]} answer · n next · p back · m mark · u unanswered · "
                "l list · s submit · ? keys · q stop for now",
                style="dim",
            )
        else:
            self.line(
                f"Answer (A–{LETTERS[n - 1]}), or n, p, m, u, r, l, s, a question number, "
                "? for help, q to stop for now:",
                style="dim",
            )

    def exam_clock(self, attempt, left: float) -> None:
        """Live: the time left, rewritten in place. Plain: said in words at half time and
        at 10, 5 and 1 minutes."""
        if not self.live:
            moments = sorted({round(attempt.limit / 2), 600, 300, 60}, reverse=True)
            for moment in moments:
                if moment < attempt.limit and left <= moment and moment not in self.announced:
                    self.announced.update(m for m in moments if m >= moment)
                    self.line(f"{_hours(moment)} left for the whole exam.")
                    return
            return
        warn = " · under a minute!" if left < 60 else ""
        a = attempt
        text = (
            f"Question {a.position + 1} of {a.total} · {len(a.answers)} answered · "
            f"{len(a.flags)} marked · {_hours(left)} left{warn}"
        )
        if self.hint:
            text = f"{self.hint} · {_hours(left)} left{'!' if warn else ''}"
            if len(text) >= self.out.width:
                text = f"{self.hint} · {_hours(left)}"
        elif len(text) >= self.out.width:  # the status line is never wrapped: a short form
            text = (
                f"{a.position + 1}/{a.total} · {len(a.answers)} done · {len(a.flags)} marked · "
                f"{_hours(left)}{' left!' if warn else ''}"
            )
        text = text[: self.out.width - 1]
        self.out.file.write("\r" + " " * (self.out.width - 1) + "\r")
        self.out.print(_text(text, style="bold red" if warn else "bold"), end="", soft_wrap=True)
        self.out.file.flush()

    def _exam_line(self, text: str, style: str = "") -> None:
        if self.live:
            self.out.file.write("\r" + " " * (self.out.width - 1) + "\r")
        self.line(text, style=style)

    def exam_note(self, text: str) -> None:
        """Live, said on the status line until the next question is drawn (a new line for
        each would pile up); otherwise a line of its own."""
        if self.live and self.mode is not None and self.mode.keys:
            self.hint = text
            return
        self._exam_line(text, style="bold")

    def exam_unknown(self, option_count: int, keys: bool) -> None:
        if self.live and keys:
            self.hint = f"Press A–{LETTERS[option_count - 1]}, or ? for keys"
            return
        how = "Press" if keys else "Type"
        self._exam_line(
            f"{how} A–{LETTERS[option_count - 1]} to answer, or ? for the other keys.", "dim"
        )

    def exam_time_up(self) -> None:
        self._exam_line("Time is up: the exam is submitted as it stands.", style="bold")

    def exam_keys(self, help_rows, keys: bool) -> None:
        if self.live:
            self.out.clear()
        self.out.print()
        self._title("Exam keys" if keys else "Exam commands (one a line)")
        self._hanging([(k, _text(what)) for k, what in help_rows], marker_style="bold")
        if not keys:
            self.line("A question number (or 'go 12') goes to that question.")
        else:
            self.line("Press any key to go back to the question.", style="dim")

    def exam_list(self, attempt, names: list[str], keys: bool) -> None:
        if self.live:
            self.out.clear()
        self.out.print()
        self._title("Questions")
        rows = []
        for i in range(attempt.total):
            state = []
            state.append("answered" if i in attempt.answers else "unanswered")
            if i in attempt.flags:
                state.append("marked")
            here = " (you are here)" if i == attempt.position else ""
            rows.append((f"{i + 1}.", _text(f"{', '.join(state)}{here} · {names[i]}")))
        self._hanging(rows, marker_style="bold")
        left = attempt.unanswered()
        self.line(
            f"{len(attempt.answers)} answered, {len(left)} unanswered, {len(attempt.flags)} marked."
        )
        if keys:
            self.line("Type a number and Enter to go there; any other key goes back.", "dim")
        else:
            self.line("Type a question number to go there.", style="dim")

    def exam_typed(self, typed: str) -> None:
        if self.live:
            self.out.file.write("\r" + " " * (self.out.width - 1) + "\r")
            self.out.print(_text(f"Go to question: {typed}"), end="", soft_wrap=True)
            self.out.file.flush()

    def exam_confirm(self, attempt, keys: bool) -> None:
        left = attempt.unanswered()
        self._exam_line("")
        if left:
            listed = ", ".join(str(i + 1) for i in left[:30]) + (" …" if len(left) > 30 else "")
            self.line(
                f"Unanswered: {plural(len(left), 'question')} ({listed}); they count as missed."
            )
        else:
            self.line("Every question is answered.")
        if attempt.flags:
            listed = ", ".join(str(i + 1) for i in sorted(attempt.flags))
            self.line(f"Marked for review: {listed}.")
        how = "Press y" if keys else "Type y"
        self.line(f"Submit the exam now? {how} to submit, anything else to go back.", "bold")

    def exam_result(self, r) -> None:
        from cps_drill.study.exam import SUBMITTED

        ex = session
        if r.ended != SUBMITTED:
            if r.ended == ex.GONE:
                return
            if r.ended == ex.SAVE_FAILED:
                self.error(r.error or "could not save the exam.")
                return
            a = r.attempt
            self._exam_line("")
            why = {ex.INTERRUPTED: "Stopped with Ctrl-C. ", ex.SIGNALLED: "Stopped. "}
            self.line(
                f"{why.get(r.ended, '')}Your exam is saved: {len(a.answers)} of {a.total} "
                f"answered, {len(a.flags)} marked, {_hours(a.left())} left."
            )
            self.line("To go on with it:")
            self.out.print(_text("  " + (r.resume or "")), soft_wrap=True)
            return
        s = r.score
        review = self._exam_review_lines(s, r.deck)

        def draw() -> None:
            for item in review:
                self.out.print(item)

        self.page(draw, hint="Every question opens in a pager: Space for more, q to leave it.")
        self._exam_summary(r)

    def _exam_summary(self, r) -> None:
        s, a = r.score, r.attempt
        self.out.print()
        self._title("Exam results")
        if r.timed_out:
            self.line("The time ran out; the exam was submitted as it stood.")
        verdict = "PASSED" if s.passed else "NOT PASSED"
        self.out.print(
            _text(
                f"Score: {s.correct} of {s.questions} right ({s.score:.0f}%) · pass mark "
                f"{a.pass_mark:g}% · {verdict}",
                style="bold green" if s.passed else "bold red",
            )
        )
        self.line(
            f"Answered {s.answered} of {s.questions} · time used {_hours(a.used)} of "
            f"{_hours(a.limit)}"
        )
        rows = [
            [_name(r.deck, pid), c, n, percent(c, n)] for pid, (n, c) in s.by_principle().items()
        ]
        self._listing(
            "By principle",
            ["Principle", "Right", "Asked", "%"],
            rows,
            lambda row: f"{row[1]} of {row[2]} right ({row[3]})",
        )
        if s.correct < s.questions:
            self.out.print()
            self.line("Drill what you missed:")
            self.out.print(_text(f"  {r.program} quiz --missed"), soft_wrap=True)
        if r.report:
            self.line(f"The full results are in {r.report}")
        if r.report_error:
            self.error(f"{r.report_error} The exam and its results are saved.")

    def _exam_review_lines(self, s, deck: Deck) -> list:
        out: list = [_text("Every question, with the answer you gave", style="bold")]
        for i, m in enumerate(s.marked):
            q = m.question
            verdict = "right" if m.right else "not answered" if m.chosen is None else "missed"
            flag = ", marked" if m.flagged else ""
            out.append(_text(""))
            out.append(_text(f"{i + 1}. ({verdict}{flag}) {q.id}", style="bold"))
            case = deck.cases.get(q.case or "")
            if case:
                out.append(_text(f"Case: {case.title}", style="bold"))
                out.append(_text(case.situation))
            if q.scenario:
                out.append(_text(q.scenario))
            out.append(_text(q.question, style="bold"))
            for k, index in enumerate(m.order):
                option = q.options[index]
                tags = []
                if index == m.chosen:
                    tags.append("your answer")
                if option.correct:
                    tags.append("best answer")
                tag = f" [{', '.join(tags)}]" if tags else ""
                out.append(_text(f"  {LETTERS[k]}.{tag} {option.text}"))
                if option.why:
                    out.append(_text(f"     Why: {option.why}", style="dim"))
            if q.source and q.source in deck.sources:
                src = deck.sources[q.source]
                out.append(_text(f"  Source: {src.title} {src.url or ''}".rstrip(), style="dim"))
        return out

    def principles_table(self, result) -> None:
        deck, counts, tallies, program = result.deck, result.counts, result.tallies, result.program
        rows = []
        for pid, principle in deck.principles.items():
            tally = tallies.get(pid)
            accuracy = (
                f"{percent(tally.right, tally.answered)} of {tally.answered}"
                if tally and tally.answered
                else "not tried yet"
            )
            rows.append([pid, principle.name, counts.get(pid, 0), accuracy])
        self._listing(
            "Principles",
            ["Id", "Name", "Questions", "Your accuracy"],
            rows,
            lambda row: f"{row[1]} · {plural(row[2], 'question')} · {row[3]}",
        )
        self.out.print()
        self.line(
            f"Study one with: {program} review ID (the start of an id is enough)", style="dim"
        )

    def stats(self, result) -> None:
        stats, deck, program = result.stats, result.deck, result.program
        overall = stats.overall
        if not overall.answered:
            self.line(f"No answers recorded yet. Start with: {program} quiz")
            return
        self.line(
            f"Answered {overall.answered}, right {overall.right} "
            f"({percent(overall.right, overall.answered)})."
        )
        rows = [
            [_name(deck, pid), t.right, t.answered, percent(t.right, t.answered)]
            for pid, t in stats.principles.items()
            if t.answered
        ]
        self._listing(
            "By principle",
            ["Principle", "Right", "Answered", "%"],
            rows,
            lambda row: f"{row[1]} of {row[2]} right ({row[3]})",
        )
        untried = sum(1 for t in stats.principles.values() if not t.answered)
        if untried:
            self.line(
                f"Not tried yet: {plural(untried, 'principle')} ({program} principles lists them).",
                style="dim",
            )
        if stats.sessions:
            rows = [
                [
                    str(s.get("started", ""))[:16].replace("T", " "),
                    str(s.get("command", "")),
                    f"{s.get('right', 0)}/{s.get('answered', 0)}",
                ]
                for s in stats.sessions
            ]
            self._listing(
                "Recent sessions",
                ["Started (UTC)", "Command", "Score"],
                rows,
                lambda row: f"{row[1]} · {row[2]} right",
            )
        if result.exams:
            rows = [
                [
                    e["date"],
                    f"{e['correct']}/{e['questions']} ({e['score']:.0f}%)",
                    "–" if e["passed"] is None else "passed" if e["passed"] else "not passed",
                ]
                for e in result.exams
            ]
            self._listing(
                "Mock exams",
                ["Date (UTC)", "Score", "Result"],
                rows,
                lambda row: f"{row[1]} · {row[2]}",
            )
        if result.outlook is not None:
            self._outlook(result.outlook, deck, program)

    def _outlook(self, o, deck: Deck, program: str) -> None:
        """Readiness, the accuracy of recent sessions, the streak, a 12-week calendar, time per
        principle and how much of the bank is seen; every figure also in words."""
        when = f"on {o.exam_date}" if o.exam_date else "today"
        self._bars(
            f"Readiness {when}: {o.readiness:.0%} overall",
            [
                (_name(deck, pid), o.principles[pid])
                for pid in deck.principles
                if pid in o.principles
            ],
        )
        if not o.exam_date:
            self.line(
                f"Set your exam date with: {program} plan --exam-date YYYY-MM-DD", style="dim"
            )
        self.out.print()
        if o.accuracy:
            marks = "".join(_spark(a, self._glyph("█")) for a in o.accuracy)
            words = ", ".join(f"{a:.0%}" for a in o.accuracy)
            if self.plain:
                self.line(f"Recent sessions, oldest first: {words} right.")
            else:
                self.line(f"Recent sessions, oldest first: {marks}  ({words} right)")
        self.line(
            f"Studied {o.seen} of {o.bank} questions ({percent(o.seen, o.bank)}); "
            f"due now: {o.due}; study days in a row: {o.streak_days}."
        )
        self._calendar(o.days)
        if o.seconds:
            rows = [[_name(deck, pid), f"{seconds:.0f} s"] for pid, seconds in o.seconds.items()]
            self._listing(
                "Average time an answer",
                ["Principle", "Seconds"],
                rows,
                lambda row: f"{row[1]} an answer",
            )

    def _calendar(self, days: dict[str, int]) -> None:
        """The last twelve weeks, a column a week, shaded by answers given each day."""
        from datetime import date

        self.out.print()
        total = sum(days.values())
        active = sum(1 for n in days.values() if n)
        self.out.print(
            _text(
                f"The last 12 weeks: {plural(total, 'answer')} on {plural(active, 'day')}", "bold"
            )
        )
        if not self.live or self.narrow:
            weeks = [list(days.items())[i : i + 7] for i in range(0, len(days), 7)]
            for week in weeks:
                count = sum(n for _, n in week)
                if count:
                    self.line(f"  week of {week[0][0]}: {plural(count, 'answer')}")
            return
        shades = (" ", "░", "▒", "▓", "█") if self._glyph("█") else (" ", ".", ":", "o", "#")
        items = list(days.items())
        first = date.fromisoformat(items[0][0]).weekday()
        cells: list[str] = [" "] * first + [shades[_shade(n)] for _, n in items]
        for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
            row = cells[weekday::7]
            self.line(f"  {name:<3} " + " ".join(row))
        self.line(f"  Less {' '.join(shades[1:])} more", style="dim")

    def quality(self, quality, deck: Deck) -> None:
        """The quality signals of a deck (validate --stats)."""
        q = quality
        rows = [
            [pid, filed, len(deck.questions_for(pid))] for pid, filed in q.per_principle.items()
        ]
        self._listing(
            "Questions per principle",
            ["Principle", "Filed", "Incl. also"],
            rows,
            lambda row: f"{row[1]} filed, {row[2]} with also",
        )
        spread = ", ".join(f"{k}: {v}" for k, v in q.per_difficulty.items())
        options = ", ".join(f"{k} options: {v}" for k, v in sorted(q.option_counts.items()))
        self.line(f"Difficulty: {spread}")
        self.line(f"Options: {options}")
        self.line(f"Scenario items: {q.scenarios} of {q.questions} ({q.scenario_share:.0%})")
        self.line(
            f"Correct option is the single longest: {q.longest_correct} of {q.multi_option} "
            f"items with 3+ options ({q.longest_correct_rate:.0%})"
        )
        self.line(
            f"Correct option is the single shortest: {q.shortest_correct} of {q.multi_option} "
            f"({q.shortest_correct_rate:.0%})"
        )
        for label, ids in (("a why", q.missing_why), ("a source", q.missing_source)):
            listed = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
            self.line(f"Missing {label}: {len(ids)}" + (f" ({listed})" if ids else ""))
        self.line(f"Case studies: {q.cases} · questions with a content note: {q.content_notes}")
        if q.cues:
            rows = [
                [
                    cue.name,
                    f"{cue.hit_rate:.0%}",
                    f"{cue.chance:.0%}",
                    f"{round(100 * cue.above_chance):+d}",
                    "TOO STRONG" if cue.too_strong else "ok",
                ]
                for cue in q.cues
            ]
            self._listing(
                "Test-wise shortcuts: how often picking by shape alone finds the best answer",
                ["Shortcut", "Right", "Chance", "Points", "Verdict"],
                rows,
                lambda row: f"right {row[1]} against chance {row[2]} ({row[3]} points): {row[4]}",
            )
            self.line(
                "Keep every shortcut within 10 points of chance: vary which option is longest, "
                "and give wrong answers the same shapes as right ones.",
                style="dim",
            )

    def recovery(self, r) -> None:
        if not r.changed:
            self.line(f"Nothing is damaged; {plural(r.answers, 'answer')} on record.")
            return
        if not r.records:
            self.line("No answer could be recovered. The folder is mended: you can start afresh.")
        else:
            more = f", {r.from_backup} more from the backups" if r.from_backup else ""
            self.line(
                f"Recovered {plural(r.answers, 'answer')}: {r.from_current} read from the "
                f"answer file{more}."
            )
        if r.unreadable:
            lines = plural(r.unreadable, "line")
            self.line(
                f"{lines} of the damaged file could not be read; any answer a backup had is "
                "among those recovered."
            )
        if r.duplicates:
            verb = "counts" if r.duplicates == 1 else "count"
            self.line(f"{plural(r.duplicates, 'line')} written twice now {verb} once.")
        for path in r.kept:
            self.line(f"The damaged file is kept as {path}")

    def glossary(self, result) -> None:
        """Glossary entries: the term, what it stands for, its meaning and its source; the
        whole glossary in alphabetical order."""
        terms = result.terms
        if result.wanted is None:
            terms = sorted(terms, key=lambda t: t.term.lower())
        for term in terms:
            self.out.print()
            head = term.term + (f" ({term.name})" if term.name else "")
            self.out.print(_text(head, style="bold"))
            self._hanging([("", _text(term.definition))])
            if term.also:
                self._hanging([("", _text("Also written: " + ", ".join(term.also)))], "dim")
            if term.source and term.source in result.deck.sources:
                self._source("  Source", result.deck.sources[term.source], marker_style="dim")
        if result.wanted is None:
            self.out.print()
            self.line(
                f"{plural(len(result.terms), 'term')}. One term: {result.program} glossary TERM",
                style="dim",
            )

    # -- the study sheet -----------------------------------------------------------------

    def study_sheet(self, r) -> None:
        """A study sheet (read): each principle's card, then its questions in the deck's
        order with the best answer, why each option is or is not, the explanation and the
        source; through the pager on a live screen. With --markdown, where it was written."""
        if r.written is not None:
            self.line(
                f"Wrote the study sheet for {r.title} ({plural(r.count, 'question')}) "
                f"to {r.written}."
            )
            if r.left_out:
                self.left_out(r.left_out, r.program)
            return
        self.page(
            lambda: self._sheet(r), keys="Space for more, b to go back, /word to find, q to leave."
        )

    def _sheet(self, r) -> None:
        deck = r.deck
        if r.whole:
            self.out.print()
            self._title(f"Study sheet: every principle, {plural(r.count, 'question')}")
            self._hanging(
                [
                    (self._glyph("•") or "-", _text(f"{s.principle.name} ({len(s.entries)})"))
                    for s in r.sections
                ]
            )
            self.line(f"One principle only: {r.program} read ID (the start of an id is enough).")
        if r.left_out:
            self.left_out(r.left_out, r.program)
        for section in r.sections:
            p = section.principle
            self._card(p, deck)
            self.out.print()
            own = sum(1 for e in section.entries if e.filed_under is None)
            count = f"{plural(len(section.entries), 'question')} on {p.name}"
            if own < len(section.entries):
                others = len(section.entries) - own
                count += f": {own} of its own, then {others} filed under other principles"
            self.line(count + ".", style="dim")
            if section.also:
                numbers = ", ".join(str(n) for n in section.also)
                self.line(f"Also on {p.name}, filed under other principles: questions {numbers}.")
            for entry in section.entries:
                self._sheet_question(entry, deck, r.count)
        self.out.print()
        where = f"{r.sections[0].principle.id} " if not r.whole else ""
        self.line("To print it, write it as a Markdown page:", style="dim")
        self.command(f"{r.program} read {where}--markdown study-sheet.md")

    def _sheet_question(self, entry, deck: Deck, total: int) -> None:
        q = entry.question
        head = f"Question {entry.number} of {total} · {q.id}"
        if q.difficulty:
            head += f" · difficulty {q.difficulty} of 3"
        self.out.print()
        self._title(head)
        if entry.filed_under is not None:
            self.line(f"Filed under {entry.filed_under.name}.", style="dim")
        if entry.notes:
            words = ", ".join(note.replace("-", " ") for note in entry.notes)
            self.out.print(_text(f"Content note: this question mentions {words}.", style="bold"))
            self.out.print()
        self._stem(q, entry.case)
        self._hanging(
            [(f"{LETTERS[k]}.", _text(o.text)) for k, o in enumerate(q.options)],
            marker_style="bold",
        )
        best = q.correct_index
        self.out.print()
        self.out.print(
            _text(f"Best answer: {LETTERS[best]}. ", style="bold") + _text(q.options[best].text)
        )
        whys = [(f"{LETTERS[k]}.", _text(o.why)) for k, o in enumerate(q.options) if o.why]
        if whys:
            self.out.print()
            self.out.print(_text("Why each option", style="bold"))
            self._hanging(whys, marker_style="bold")
        if q.explanation:
            self.out.print()
            self.out.print(_text(q.explanation))
        if q.source and q.source in deck.sources:
            self.out.print()
            self._source("Source", deck.sources[q.source], marker_style="dim")

    def validated(self, result) -> None:
        if result.quality is not None:
            self.quality(result.quality, result.deck)
        for warning in result.warnings:
            self.out.print(_text(warning), soft_wrap=True)
        self.deck_summary(result.deck)

    def problems(self, problems, stderr: bool = False) -> None:
        """Every problem of a deck, one a line, as FILE:LINE: message: the result of validate
        (with a count), or before the error line of any other command that loads a deck."""
        console = self.err if stderr else self.out
        for problem in problems:
            console.print(_text(str(problem)), soft_wrap=True)
        if not stderr:
            self.line(f"{len(problems)} problem(s) found.")

    def deck_summary(self, deck: Deck) -> None:
        parts = [plural(len(deck.principles), "principle"), plural(len(deck.questions), "question")]
        if deck.cases:
            parts.append(plural(len(deck.cases), "case"))
        if deck.glossary:
            parts.append(plural(len(deck.glossary), "glossary term"))
        self.line(f"{', '.join(parts)}: OK")


def _spark(share: float, full: str) -> str:
    if not full:
        return str(round(share * 9))  # 0-9 where block characters cannot be shown
    return " ▁▂▃▄▅▆▇█"[round(share * 8)]


def _shade(count: int) -> int:
    return 0 if not count else 1 if count < 5 else 2 if count < 15 else 3 if count < 30 else 4


def _never_fail_on_encoding() -> None:
    """On a terminal that is not UTF-8, print '?' for what it cannot show instead of failing."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _option_rows(label: str, letter: str, option) -> list:
    rows = [(label, _text(f"{letter}. ") + _text(option.text))]
    if option.why:
        rows.append(("Why", _text(option.why)))
    return rows


def _isatty(stream) -> bool:
    try:
        return bool(stream and stream.isatty())
    except (ValueError, OSError):
        return False


def _no_color() -> dict:
    """NO_COLOR (no-color.org): plain text, without colour or any other styling."""
    import os

    return {"color_system": None} if os.environ.get("NO_COLOR") else {}


def _dumb_terminal_size() -> dict:
    """Rich assumes 80 columns on TERM=dumb; use the real size there instead."""
    import os
    import shutil

    if os.environ.get("TERM", "").lower() not in ("dumb", "unknown"):
        return {}
    size = shutil.get_terminal_size()
    return {"width": size.columns, "height": size.lines}


def _name(deck: Deck, pid: str) -> str:
    return deck.principles[pid].name if pid in deck.principles else pid


SETTING = re.compile(r"(You are|You work|You have been|As a peer)\b[^.]*\.\s*")


def _gist(scenario: str, limit: int = 90) -> str:
    """What tells one scenario from another in a list: its first sentence after the usual
    setting ("You are a peer specialist at an RLC in Brockton."), shortened."""
    rest = SETTING.sub("", scenario, count=1).strip() if SETTING.match(scenario) else scenario
    return _first_sentence(rest, limit) if rest else ""


def _first_sentence(text: str, limit: int = 120) -> str:
    end = min((i for i in (text.find(". "), text.find("? ")) if i > 0), default=len(text) - 1)
    sentence = text[: end + 1]
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence + '"' if sentence.count('"') % 2 else sentence  # close a quotation
