"""The screen's ground floor: the two consoles, plain mode, and the pieces every screen is
drawn with (lines, hanging lists, listings, titles, sources, commands to copy, windows a part at
a time). Every piece of text goes through `_text`: it is never read as markup (`[bold]` in a
question is shown as those characters), and a character that would steer the terminal is shown
as a visible escape (deck.text)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from cps_drill.deck.model import Case, Deck, Principle
from cps_drill.deck.text import visible
from cps_drill.screen.markdown import md
from cps_drill.screen.modes import Mode, dumb_terminal
from cps_drill.screen.words import plural

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


_md = md  # one escaping for every Markdown page (screen.markdown)


def _last_window(rows: list[int], room: int) -> int:
    """Where the last window starts: as far back as `room` rows reach from the end."""
    start, used = len(rows), 0
    while start > 0 and used + rows[start - 1] <= room:
        start -= 1
        used += rows[start]
    return start


def _never_fail_on_encoding() -> None:
    """On a terminal that is not UTF-8, print '?' for what it cannot show instead of failing."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


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


class Base:
    """What every screen is drawn with."""

    def __init__(self, plain: bool = False) -> None:
        import sys

        _never_fail_on_encoding()
        self._consoles(_no_color())
        piped = not _isatty(sys.stdout)
        dumb = dumb_terminal()
        self.live = not (plain or piped or dumb)
        self.plain = False  # asked for: --plain, or the screen setting
        self.mode: Mode | None = None
        self.announced: set[int] = set()
        self.hint = ""  # said on the status line after a key that is not an answer
        if plain or (dumb and not piped):  # a terminal that cannot move the cursor: plain
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
        if sum(self._rows(text.splitlines())) <= self.out.height:
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

    def clear(self) -> None:
        if self.live:
            self.out.clear()

    def fit(
        self,
        draw: Callable[[], None],
        more: Callable[[], bool | None] | None,
        below: int = 1,
        status: bool = False,
        slack: int = 1,
    ) -> bool:
        """Draw; on a live screen too short for it, a window at a time, so that what comes
        first (a verdict, a situation) is read before it scrolls away. Between windows
        `more()` waits for a key (False: stop; None: the window changed size, so all is drawn
        again for it); the last window is a full one, with `below` lines left for what follows
        it. Up to `slack` rows at the top (a blank line, a title) may scroll away instead: a
        More prompt to show only those would take a key meant for an answer. Returns False when
        the candidate stopped."""
        if not self.live or more is None:
            draw()
            return True
        while True:  # once, or again from the top after the window changed size
            with self.out.capture() as captured:
                draw()
            lines = captured.get().splitlines()
            height = self.out.height
            rows = self._rows(lines)
            last = max(1, height - below)  # rows in the last window
            page = max(1, height - 2 if status else height - 1)  # and the More prompt below
            start = 0
            if sum(rows) <= last + slack:  # what would scroll away is only the top's margin
                self._write_lines(lines)
                return True
            while sum(rows[start:]) > last:
                end = start + 1
                while end < len(lines) and sum(rows[start : end + 1]) <= page:
                    end += 1
                self._write_lines(lines[start:end])
                going_on = more()
                self.out.clear()
                if going_on is None:
                    break  # resized: drawn again for the new size
                if not going_on:
                    return False
                start = min(end, _last_window(rows, last))  # the last window is a full one
            else:
                self._write_lines(lines[start:])
                return True

    def _rows(self, lines: list[str]) -> list[int]:
        """The rows each drawn line takes on screen: an address is one line that the terminal
        wraps onto several."""
        from rich.cells import cell_len

        width = max(1, self.out.width)
        return [max(1, -(-cell_len(_STYLES.sub("", line)) // width)) for line in lines]

    def more_prompt(self, status: bool = False) -> None:
        """Below a part of a screen taller than the window (see `fit`); with a status line
        below it (the exam's clock), on a line of its own."""
        text = (EXAM_MORE_PROMPT if status else MORE_PROMPT)[: self.out.width - 1]
        self.out.print(_text(text, style="reverse"), end="\n" if status else "")
        self.out.file.flush()

    def _write_lines(self, lines: list[str]) -> None:
        self.out.file.write("".join(line + "\n" for line in lines))
        self.out.file.flush()

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

    def command(self, text: str, indent: str = "  ") -> None:
        """A command to copy and paste: on one line when it fits; otherwise broken only between
        its shell words (never inside a quoted path), each line but the last ending in a
        backslash, so that it still pastes into a shell as one command."""
        import shlex

        width = self.out.width - 1
        try:
            words = shlex.split(text)
        except ValueError:
            words = []
        piped = not self.out.is_terminal  # the reader's program wraps it, if anything
        if piped or len(indent) + len(text) <= width or len(words) < 2:
            self.out.print(_text(indent + text), soft_wrap=True)
            return
        # The program's own path is kept as the user typed it (shlex.quote would change it).
        first = text.split(" ", 1)[0] if text.startswith(words[0]) else shlex.quote(words[0])
        parts = [first, *(shlex.quote(w) for w in words[1:])]
        lines: list[str] = []
        current = ""
        for word in parts:
            if current and len(indent) + len(current) + 1 + len(word) + 2 > width:
                lines.append(current)
                current = "  " + word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        for k, part in enumerate(lines):
            tail = " \\" if k < len(lines) - 1 else ""
            self.out.print(_text(indent + part + tail), soft_wrap=True)

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

    def left_out(self, count: int, program: str) -> None:
        """Questions with content notes left out of a drill, by the candidate's setting."""
        self.line(
            f"Left out: {plural(count, 'question')} with a content note (your setting; "
            f"'{program} settings content-notes show' brings them back).",
            style="dim",
        )

    def _exam_line(self, text: str, style: str = "") -> None:
        if self.live:
            self.out.file.write("\r" + " " * (self.out.width - 1) + "\r")
        self.line(text, style=style)

    def backup_failed(self, why: str | None) -> None:
        """After a drill or an exam: the hourly backup could not be made (nothing is lost)."""
        if why:
            self.note(
                f"This hour's backup of your answers could not be made ({why}). "
                "Your answers are saved; 'restore' can repair the backups."
            )
