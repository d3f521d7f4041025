"""Run a drill: put questions up, take answers, save each one, show feedback and a summary.

In a terminal, answers are single keys and a countdown ticks each second. Otherwise answers are
read one a line, and the end of input ends the session.
"""

from __future__ import annotations

import math
import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cps_drill.content import Deck, Question
from cps_drill.session import QUIT, Graded, Session, Shown, Summary, parse_choice
from cps_drill.store import Store, answer_record


@dataclass
class Outcome:
    summary: Summary
    interrupted: bool = False
    terminal_gone: bool = False  # nothing more can be shown


class Quit(Exception):
    """The candidate pressed q, or the input ended."""


class Drill:
    def __init__(
        self,
        screen,
        store: Store,
        deck: Deck,
        questions: list[Question],
        *,
        command: str,
        time_limit: float,
        rng: random.Random,
        requeue_missed: bool = False,
        interactive: bool = False,
        clock: Callable[[], float] = time.monotonic,
        focus: set[str] | None = None,
        wait_first: bool = False,
    ) -> None:
        self.screen = screen
        self.store = store
        self.deck = deck
        self.interactive = interactive
        self.session = Session(
            questions,
            rng=rng,
            clock=clock,
            time_limit=time_limit if interactive else 0,
            requeue_missed=requeue_missed,
        )
        self.focus = focus or set()
        self.wait_first = wait_first
        self.session_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self.command = command
        self.keys = None

    def run(self) -> Outcome:
        from cps_drill.backups import backup

        backup(self.store)
        try:
            if self.interactive:
                from cps_drill.terminal import Keys

                with Keys() as self.keys:
                    self._loop()
            else:
                self._loop()
        except Quit:  # q, or the end of piped input
            pass
        except EOFError:  # the terminal went away: every answer is saved already
            return Outcome(self.session.summary(), terminal_gone=bool(self.keys))
        except OSError:
            if not self.keys:
                raise
            return Outcome(self.session.summary(), terminal_gone=True)  # gone while drawing
        except KeyboardInterrupt:
            self.screen.line()
            self.screen.line("Stopped with Ctrl-C. Every answer given so far is saved.")
            return Outcome(self.session.summary(), interrupted=True)
        return Outcome(self.session.summary())

    def _loop(self) -> None:
        if self.keys and self.wait_first:  # time to read the principle's card first
            self.screen.wait_to_start()
            if self._key_is_quit(self.keys.read(None)):
                raise Quit
        while (shown := self.session.next()) is not None:
            name = self._principle_name(shown)
            if self.keys:
                self.keys.flush()
            self.screen.question(shown, name)
            graded = self._ask_key(shown, name) if self.keys else self._ask_line(shown)
            self._save(graded)
            self.screen.feedback(graded, self.deck)
            if self.keys and self._key_is_quit(self.keys.read(None)):
                raise Quit

    def _ask_key(self, shown: Shown, name: str) -> Graded:
        drawn = None
        clock = self.session.clock
        try:
            while True:
                before = clock()
                if self.keys.continued:  # back from Ctrl-Z: the screen may be cluttered
                    self.keys.continued = False
                    self.screen.end_countdown()
                    self.screen.question(shown, name)
                    drawn = None
                left = self.session.remaining()
                if left is not None and left <= 0:
                    self.screen.countdown(shown, name, 0)
                    return self.session.time_out()
                whole = None if left is None else math.ceil(left)
                if whole != drawn or drawn is None:
                    self.screen.countdown(shown, name, whole)
                    drawn = whole
                wait = None if left is None else max(0.01, left - (whole - 1))
                key = self.keys.read(wait)
                if self.keys.continued:  # stopped with Ctrl-Z: that time is not the question's
                    self.session.pause(clock() - before - (wait or 0))
                if key is None:
                    continue
                choice = parse_choice(key, len(shown.order))
                if choice == QUIT:
                    raise Quit
                if choice is None:
                    if key.strip():
                        self.screen.unknown_key(len(shown.order))
                        drawn = None
                    continue
                return self.session.answer(choice)
        finally:
            self.screen.end_countdown()

    def _ask_line(self, shown: Shown) -> Graded:
        while True:
            line = sys.stdin.readline()
            if not line:
                raise Quit
            if not line.strip():
                continue
            choice = parse_choice(line, len(shown.order))
            if choice == QUIT:
                raise Quit
            if choice is None:
                self.screen.unknown_key(len(shown.order))
                continue
            return self.session.answer(choice)

    def _key_is_quit(self, key: str | None) -> bool:
        return key is not None and key.lower() == "q"

    def _save(self, graded: Graded) -> None:
        self.store.record(answer_record(graded, self.session_id, self.command))

    def _principle_name(self, shown: Shown) -> str:
        """The principle it is filed under, and the one studied when it is listed in `also`."""
        names = self.deck.principles
        pid = shown.question.principle
        name = names[pid].name if pid in names else pid
        extra = [names[p].name for p in shown.question.also if p in self.focus and p in names]
        if self.focus and pid not in self.focus and extra:
            name += f" (also {', '.join(extra)})"
        return name
