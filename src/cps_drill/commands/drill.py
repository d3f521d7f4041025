"""Run a drill: put questions up, take answers, save each one, show feedback; return the result.

Used by `quiz` and `review`. What the screen shows is the screen's business; how answers are
read (keys or lines) and whether the time runs is the mode's (screen/modes.py).
"""

from __future__ import annotations

import functools
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cps_drill import errors
from cps_drill.deck.model import Deck, Question
from cps_drill.errors import SaveFailed
from cps_drill.progress import records as rec
from cps_drill.progress.store import Store
from cps_drill.screen.keys import ESC, Keys, Lines, Terminated
from cps_drill.screen.modes import Mode
from cps_drill.study.session import (
    FINISHED,
    GONE,
    INTERRUPTED,
    QUIT,
    SAVE_FAILED,
    SIGNALLED,
    Graded,
    Session,
    Shown,
    Summary,
    is_quit,
    is_skip,
    option_for,
)

GUESS_KEY = "g"  # after a right answer: it was a lucky guess
# Seconds after feedback appears in which keys are dropped: a key meant for the question (a
# moment too late, or the second of a double tap) must not skip the feedback unread.
FEEDBACK_GRACE = 0.6
RESIZED = "resized"  # what `_key` gives when the window changed size, if asked to


@dataclass
class DrillResult:
    summary: Summary
    deck: Deck
    ended: str  # FINISHED, QUIT, INTERRUPTED, SIGNALLED, SAVE_FAILED or GONE
    next_command: str | None = None  # what to run next, as the user would type it
    folder: Path | None = None  # where the answers were saved
    error: str | None = None  # why saving failed
    backup_error: str | None = None  # why this hour's backup could not be made
    signum: int = 0

    @property
    def exit_code(self) -> int:
        return exit_code_of(self.ended, self.signum)

    def as_json(self) -> dict:
        s = self.summary
        return {"answered": s.answered, "correct": s.right, "ended": self.ended}


def exit_code_of(ended: str, signum: int = 0) -> int:
    """How a session's end (drill or exam) is told to the shell."""
    if ended == INTERRUPTED:
        return errors.EXIT_INTERRUPTED
    if ended == SIGNALLED:
        return errors.EXIT_SIGNAL_BASE + signum
    if ended == SAVE_FAILED:
        return errors.EXIT_ERROR
    return errors.EXIT_OK


def backup_after(store: Store) -> str | None:
    """After a drill or an exam, never before its first question: this hour's copy of the log.
    The derived state is saved first, so that a log it has checked is copied without being read
    again. Every answer is saved whatever happens here; a failure is only told (returned)."""
    from cps_drill.progress.backups import backup

    try:
        store.keep_derived()
        backup(store)
    except errors.DrillError as exc:
        return exc.describe()
    except OSError as exc:
        return str(exc)
    except (KeyboardInterrupt, Terminated):
        pass
    return None


class _Stop(Exception):
    """q, or the end of piped input."""


class Drill:
    def __init__(
        self,
        screen,
        store: Store,
        deck: Deck,
        questions: list[Question],
        *,
        command: str,
        mode: Mode,
        time_limit: float,
        rng: random.Random,
        requeue_missed: bool = False,
        clock: Callable[[], float] = time.monotonic,
        focus: set[str] | None = None,
        intro: Callable[[], None] | None = None,
        memory: dict[str, dict] | None = None,
        parameters: tuple[float, ...] | None = None,
    ) -> None:
        self.screen = screen
        self.store = store
        self.deck = deck
        self.mode = mode
        self.session = Session(
            questions,
            rng=rng,
            clock=clock,
            time_limit=time_limit if mode.timer else 0,
            requeue_missed=requeue_missed,
        )
        self.focus = focus or set()
        self.intro = intro  # shown first, and read before the first question (review's card)
        self.session_id = rec.new_session()
        self.seq = 0
        self.command = command
        self.keys: Keys | Lines = Keys() if mode.keys else Lines()
        self.memory = dict(memory or {})  # question id -> its memory state, as reviews go on
        self.parameters = parameters  # FSRS parameters fitted to this candidate, if any
        self.guessed = False  # the answer typed (a line ending in "?") was marked a guess
        self.before: dict | None = None  # the memory state before the last answer

    def run(self) -> DrillResult:
        more: dict = {}
        try:
            with self.keys:
                self._loop()
            ended = FINISHED
        except _Stop:
            ended = QUIT
        except EOFError:  # the end of piped input, or the terminal went away
            ended = GONE if self.mode.keys else QUIT
        except OSError:
            if not self.mode.keys:
                raise
            ended = GONE  # gone while drawing
        except SaveFailed as exc:
            ended, more = SAVE_FAILED, {"error": exc.describe()}
        except KeyboardInterrupt:
            ended = INTERRUPTED
        except Terminated as exc:
            ended, more = SIGNALLED, {"signum": exc.signum}
        if ended != SAVE_FAILED:
            more["backup_error"] = backup_after(self.store)
        return DrillResult(
            self.session.summary(), self.deck, ended, folder=self.store.folder, **more
        )

    def _loop(self) -> None:
        if self.intro is not None and not self.mode.keys:
            self.intro()
        elif self.intro is not None:  # time to read it, a window at a time if it is long
            self._show_intro()
            key = self._key(settle=True, prompt=self.screen.wait_to_start, redraw=self._intro_again)
            if self._is_quit(key):
                raise _Stop
        while (shown := self.session.next()) is not None:
            name = self._principle_name(shown)
            self.keys.flush()
            if not self._show_question(shown, name):
                raise _Stop
            graded = self._ask(shown, name)
            if graded is None:
                self.screen.passed_over()  # after its content note
                continue
            record = self._save(graded)
            if graded.right and self.guessed:
                self._mark_guess(record)
            if not self._show_feedback(graded):
                raise _Stop
            if self.mode.keys:
                key = self._key(
                    settle=True,
                    redraw=functools.partial(self._feedback_again, graded),
                    prompt=functools.partial(self.screen.go_on, graded),
                )
                if key.lower() == GUESS_KEY and graded.right:
                    self._mark_guess(record)
                    self.screen.marked_guess()
                    key = self._key()
                if self._is_quit(key):
                    raise _Stop

    def _show_intro(self) -> None:
        assert self.intro is not None
        if not self.screen.fit(self.intro, self._more, below=2):
            raise _Stop

    def _intro_again(self) -> None:
        """After a resize at the start: the card again, for the new size."""
        self._show_intro()
        self.screen.wait_to_start()

    def _show_question(self, shown: Shown, name: str) -> bool:
        """Put the question up; its clock starts once the options are on screen (a small
        window shows a long question a part at a time)."""
        more = self._more if self.mode.keys else None
        shown_whole = self.screen.question(
            shown, name, keys=self.mode.keys, more=more, **self._context(shown)
        )
        self.session.start_clock()
        return shown_whole

    def _show_feedback(self, graded: Graded) -> bool:
        more = self._more if self.mode.keys else None
        return self.screen.feedback(
            graded, self.deck, keys=self.mode.keys, guessed=self.guessed, more=more
        )

    def _feedback_again(self, graded: Graded) -> None:
        """After a resize while the feedback is up: all of it, drawn for the new size (q or
        Esc at a part of it stops the drill, as anywhere)."""
        if not self._show_feedback(graded):
            raise _Stop
        self.screen.go_on(graded)

    def _more(self) -> bool | None:
        """Between the parts of a screen taller than the window: any key shows the next part
        (after the grace, so a late key cannot skip one unread); q or Esc stops; None when the
        window changed size meanwhile (the screen is then drawn again for it)."""
        key = self._key(settle=True, prompt=self.screen.more_prompt, resized=RESIZED)
        if key == RESIZED:
            return None
        return not self._is_quit(key)

    def _key(
        self,
        settle: bool = False,
        redraw: Callable[[], object] | None = None,
        prompt: Callable[[], object] | None = None,
        resized: str | None = None,
    ) -> str:
        """The next key, waiting as long as it takes. With `settle`, keys typed in the first
        moment are dropped, and only then is `prompt` drawn. A resize or a return from Ctrl-Z
        draws the screen again."""
        if settle:
            deadline = time.monotonic() + FEEDBACK_GRACE
            while (left := deadline - time.monotonic()) > 0:
                self.keys.read(left)
            self.keys.flush()
        if prompt is not None:
            prompt()
        while True:
            key = self.keys.read(None)
            if key is not None:
                return key
            if self.keys.resized or self.keys.continued:
                if resized is not None:  # the caller draws again
                    self.keys.resized = self.keys.continued = False
                    return resized
                if redraw is not None:
                    self.keys.resized = self.keys.continued = False
                    self.screen.clear()
                    redraw()

    def _ask(self, shown: Shown, name: str) -> Graded | None:
        clock = self.session.clock
        drawn: int | str | None = "never"
        try:
            while True:
                before = clock()
                if self.keys.continued or self.keys.resized:  # the screen may be cluttered
                    self.keys.continued = self.keys.resized = False
                    self.screen.end_countdown()
                    self.screen.redraw(shown, name, keys=self.mode.keys, **self._context(shown))
                    drawn = "never"
                    self.session.pause(clock() - before)  # reading it again is not its time
                left = self.session.remaining()
                if left is not None and left <= 0:
                    self.screen.countdown(shown, name, 0, self.session.time_limit)
                    return self.session.time_out()
                whole = None if left is None else math.ceil(left)
                if whole != drawn and self.mode.keys:
                    self.screen.countdown(shown, name, whole, self.session.time_limit)
                    drawn = whole
                wait = None if left is None else max(0.01, left - (whole or 1) + 1)
                word = self.keys.read(wait)
                if self.keys.continued:  # stopped with Ctrl-Z: that time is not the question's
                    self.session.pause(clock() - before - (wait or 0))
                if word is None:
                    continue
                if self._is_quit(word):
                    raise _Stop
                self.guessed = not self.mode.keys and word.rstrip().endswith("?")
                choice = option_for(word.rstrip().rstrip("?"), len(shown.order))
                if choice is not None:
                    return self.session.answer(choice)
                if is_skip(word) and self.deck.notes_of(shown.question):
                    self.session.skip()
                    return None
                if not word.strip():
                    continue
                self.screen.unknown_key(len(shown.order), keys=self.mode.keys)
                drawn = "never"  # the status line says what to press
        finally:
            if self.mode.keys:
                self.screen.end_countdown()

    def _context(self, shown: Shown) -> dict:
        """What the screen shows with a question: its case and its content notes."""
        q = shown.question
        return {"case": self.deck.cases.get(q.case or ""), "notes": self.deck.notes_of(q)}

    def _is_quit(self, word: str | None) -> bool:
        """q (or quit, exit), and Esc from a terminal."""
        return word is not None and (is_quit(word) or (self.mode.keys and word == ESC))

    def _save(self, graded: Graded) -> dict:
        """Save the answer, with the question's new memory state; return the record."""
        from cps_drill.study import schedule

        self.seq += 1
        q = graded.question
        now = schedule.now_utc()
        memory = schedule.review(
            self.memory.get(q.id),
            question_id=q.id,
            graded=schedule.grade(graded.outcome),
            at=now,
            seconds=graded.seconds,
            parameters=self.parameters,
        )
        record = rec.answer(
            kind=rec.DRILL,
            deck=self.deck.id,
            question=q.id,
            principle=q.principle,
            chosen=graded.chosen,
            correct=graded.correct,
            outcome=graded.outcome,
            seconds=graded.seconds,
            session=self.session_id,
            seq=self.seq,
            command=self.command,
            fingerprint=q.fingerprint,
            at=now.isoformat(timespec="seconds"),
            memory=memory,
        )
        try:
            self.store.append([record])
        except SaveFailed:
            self.seq -= 1
            self.session.withdraw(graded)  # never confirmed: it does not count
            raise
        self.before = self.memory.get(q.id)
        self.memory[q.id] = memory
        return record

    def _mark_guess(self, answer: dict) -> None:
        """A right answer that was a guess is scheduled as if it had been missed."""
        from cps_drill.study import schedule

        q = answer["question"]
        memory = schedule.review(
            self.before,
            question_id=q,
            graded=schedule.AGAIN,
            at=schedule.now_utc(),
            seconds=answer["seconds"],
            parameters=self.parameters,
        )
        self.seq += 1
        self.store.append([rec.guess(answer, memory, seq=self.seq)])
        self.memory[q] = memory

    def _principle_name(self, shown: Shown) -> str:
        """The principle it is filed under, and the one studied when it is listed in `also`."""
        names = self.deck.principles
        pid = shown.question.principle
        name = names[pid].name if pid in names else pid
        extra = [names[p].name for p in shown.question.also if p in self.focus and p in names]
        if self.focus and pid not in self.focus and extra:
            name += f" (also {', '.join(extra)})"
        return name
