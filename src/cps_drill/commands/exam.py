"""`exam`: a whole timed mock exam, no feedback until the end, saved after every action.

The attempt lives in the study folder's exam.json until it is submitted; `exam --resume`
continues it. On submitting, every question becomes an exam answer in the log (a review for
the scheduler; a question left unanswered counts as missed) and exam.json is set aside in
backups/.
"""

from __future__ import annotations

import random
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cps_drill import errors
from cps_drill.commands import outfile
from cps_drill.commands.context import Context
from cps_drill.commands.drill import backup_after, exit_code_of
from cps_drill.deck.model import Deck, Question
from cps_drill.errors import SaveFailed
from cps_drill.progress import records as rec
from cps_drill.progress.derived import deck_view
from cps_drill.screen.keys import (
    DOWN,
    END,
    ESC,
    HOME,
    LEFT,
    PAGEDOWN,
    PAGEUP,
    RIGHT,
    UP,
    Keys,
    Lines,
    Terminated,
    stdin_is_closed,
)
from cps_drill.screen.modes import Mode, detect
from cps_drill.screen.words import duration
from cps_drill.study.exam import (
    KEPT,
    MINUTES,
    QUESTIONS,
    SUBMITTED,
    Attempt,
    ExamScore,
    draw,
    mark,
    questions_of,
)
from cps_drill.study.session import (
    GONE,
    INTERRUPTED,
    SAVE_FAILED,
    SIGNALLED,
    is_quit,
    option_for,
)

SAVE_EVERY = 5.0  # seconds: the time used is saved at least this often while the clock runs

# Keys that move rather than answer: never an option letter (A-F) or digit (1-6).
NEXT, PREVIOUS, FLAG, UNANSWERED, FLAGGED, LIST, SUBMIT, HELP = (
    "n",
    "p",
    "m",
    "u",
    "r",
    "l",
    "s",
    "?",
)
KEY_HELP = [
    ("A–F or 1–6", "answer (you can change it later)"),
    ("n or →", "next question"),
    ("p or ←", "previous question"),
    ("m", "mark (flag) this question for review, or unmark it"),
    ("u", "the next unanswered question"),
    ("r", "the next marked question"),
    ("l", "the list of questions: answered, marked, unanswered; go to any"),
    ("s", "submit the exam (asks first)"),
    ("?", "these keys"),
    ("q", "stop for now: the exam is saved, and --resume goes on with it"),
]


@dataclass
class ExamResult:
    ended: str
    attempt: Attempt
    deck: Deck
    program: str
    score: ExamScore | None = None
    resume: str | None = None  # the command that goes on with a kept exam
    report: Path | None = None
    report_error: str | None = None  # why the report could not be written
    backup_error: str | None = None  # why this hour's backup could not be made
    error: str | None = None
    signum: int = 0
    json: bool = False
    timed_out: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code_of(self.ended, self.signum)

    def as_json(self) -> dict:
        a = self.attempt
        out: dict = {
            "ended": self.ended,
            "questions": a.total,
            "answered": len(a.answers),
            "flagged": len(a.flags),
            "minutes_used": round(a.used / 60, 2),
            "minutes_left": round(a.left() / 60, 2),
            "pass_mark": a.pass_mark,
        }
        if self.score is not None:
            s = self.score
            out.update(
                correct=s.correct,
                score=round(s.score, 2),
                passed=s.passed,
                timed_out=self.timed_out,
                principles={
                    pid: {"questions": n, "correct": c, "score": round(100 * c / n, 2)}
                    for pid, (n, c) in s.by_principle().items()
                },
            )
        if self.resume:
            out["resume"] = self.resume
        return out


def exam(
    ctx: Context,
    screen,
    *,
    count: int,
    minutes: float | None,  # None: the practice default's pace, MINUTES for QUESTIONS
    pass_mark: float,
    seed: int | None,
    content: Path | None,
    resume: bool,
    discard: bool,
    extended: float | None,
    report: Path | None,
    as_json: bool,
    clock: Callable[[], float] = time.monotonic,
) -> ExamResult:
    from cps_drill.commands.quiz import without_notes
    from cps_drill.commands.settings import checked_extension, extended_time

    if as_json:
        screen.to_stderr()  # from the start: standard output carries the JSON alone
    store = ctx.store()
    if extended is not None:
        factor = checked_extension(extended)
    else:
        factor = extended_time(store.settings())
    if report is not None:
        outfile.check(report, "exam-results.md")  # before the exam, not after it
    saved = _saved_attempt(ctx, discard and not resume)
    if resume:
        if saved is None:
            raise errors.UsageError(
                f"there is no exam in progress to resume. Start one with '{ctx.program} exam'."
            )
        attempt = saved
        deck = ctx.deck(Path(attempt.content) if attempt.content else None)
        questions = questions_of(attempt, deck)
        if questions is None:
            raise errors.UsageError(
                "the exam in progress asks questions that its deck no longer has as they were, "
                f"so it cannot be marked fairly. Start a new one with '{ctx.program} exam "
                "--discard' (the old one is kept in the backups folder)."
            )
    else:
        if saved is not None and not discard:
            raise errors.UsageError(
                f"an exam is in progress ({len(saved.answers)} of {saved.total} answered, "
                f"{duration(saved.left())} left). Go on with '{ctx.program} exam --resume', or "
                f"start again with '{ctx.program} exam --discard' (the old one is kept in "
                "the backups folder)."
            )
        deck = ctx.deck(content)
        if not deck.questions:
            raise errors.UsageError("this deck has no questions to ask.")
        rng = random.Random(seed)
        pool = without_notes(ctx, screen, deck, deck.questions)  # the candidate's choice
        questions = draw(pool, count, rng)
        attempt = Attempt(
            id=rec.new_session(),
            deck=deck.id,
            content=str(content) if content is not None else None,
            questions=[q.id for q in questions],
            fingerprints=[q.fingerprint for q in questions],
            orders=[_shuffled(len(q.options), rng) for q in questions],
            limit=(minutes or len(questions) * MINUTES / QUESTIONS) * 60 * factor,
            pass_mark=pass_mark,
            extended=factor,
            started=rec.now_utc(),
        )
        if saved is not None:
            store.set_exam_aside("discarded")
        store.save_exam(attempt.as_json())
    if stdin_is_closed():
        raise errors.UsageError(
            "no answers can be read: standard input is closed. Run the exam in a terminal, or "
            f"pipe answers into it; it is saved, and '{ctx.program} exam --resume' goes on."
        )
    mode = detect(1, plain=not screen.live)
    screen.set_mode(mode)
    sitting = Sitting(screen, store, deck, attempt, questions, mode, clock)
    result = sitting.run()
    result.program = ctx.program
    result.json = as_json
    if result.ended != SUBMITTED:
        where = f" --content {shlex.quote(attempt.content)}" if attempt.content else ""
        result.resume = f"{ctx.program} exam --resume{where}"
        return result
    result.score = mark(attempt, questions)
    if report is not None:
        from cps_drill.screen.markdown import markdown_report

        text = markdown_report(result.score, deck)
        try:
            outfile.write(report, lambda out: out.write(text.encode("utf-8")))
            result.report = report
        except errors.DrillError as exc:  # the results are shown all the same
            result.report_error = exc.describe()
    return result


def _saved_attempt(ctx: Context, discarding: bool) -> Attempt | None:
    store = ctx.store()
    try:
        data = store.read_exam()
    except errors.ProgressError:
        data = {}
    if data is None:
        return None
    attempt = Attempt.from_json(data)
    if attempt is None:
        if discarding:
            store.set_exam_aside("damaged")
            return None
        raise errors.DamagedProgress(
            f"{store.exam_path}: the exam in progress cannot be read. Start a new one with "
            f"'{ctx.program} exam --discard'; the damaged file is then kept in the backups "
            "folder."
        )
    return attempt


def _shuffled(n: int, rng: random.Random) -> list[int]:
    order = list(range(n))
    rng.shuffle(order)
    return order


class Sitting:
    """The exam being sat: keys or lines in, the attempt saved after every action."""

    def __init__(self, screen, store, deck, attempt, questions, mode: Mode, clock) -> None:
        self.screen = screen
        self.store = store
        self.deck = deck
        self.attempt = attempt
        self.questions: list[Question] = questions
        self.mode = mode
        self.clock = clock
        self.keys: Keys | Lines = Keys() if mode.keys else Lines()
        self.timed = mode.keys  # piped answers have no clock, as in the drill
        self.last = clock()
        self.saved_at = self.last
        self.timed_out = False
        self.paging = False  # a question taller than the window is shown a part at a time
        self.listed = False  # piped: the list was just shown, so a number goes there
        self.resized_while_paging = False

    # -- the clock and saving ----------------------------------------------------------

    def tick(self) -> None:
        """Count the time since the last tick as used (only while the program runs)."""
        now = self.clock()
        if self.timed:
            spent = max(0.0, now - self.last)
            self.attempt.used += spent
            pos = self.attempt.position
            self.attempt.spent[pos] = self.attempt.spent.get(pos, 0.0) + spent
        self.last = now

    def save(self) -> None:
        self.tick()
        self.store.save_exam(self.attempt.as_json())
        self.saved_at = self.clock()

    # -- the run -------------------------------------------------------------------------

    def run(self) -> ExamResult:
        result = lambda ended, **more: ExamResult(  # noqa: E731
            ended,
            self.attempt,
            self.deck,
            "",
            timed_out=self.timed_out,
            backup_error=backup_after(self.store) if ended != SAVE_FAILED else None,
            **more,
        )
        ended = SUBMITTED
        more: dict = {}
        try:
            with self.keys:
                if self.attempt.submitted or self._loop():
                    self._submit()
                else:
                    ended = KEPT
        except EOFError:  # the end of piped input, or the terminal went away
            ended = KEPT if not self.mode.keys else GONE
        except KeyboardInterrupt:
            ended = INTERRUPTED
        except Terminated as exc:
            ended, more = SIGNALLED, {"signum": exc.signum}
        except SaveFailed as exc:
            return result(SAVE_FAILED, error=exc.describe())
        except OSError:
            if not self.mode.keys:
                raise
            ended = GONE
        if ended != SUBMITTED:
            try:
                self.save()  # the time used up to now, too
            except SaveFailed as exc:
                return result(SAVE_FAILED, error=exc.describe())
        return result(ended, **more)

    def _loop(self) -> bool:
        """Until the exam is submitted (True) or left for later (False)."""
        self.screen.exam_start(self.attempt, keys=self.mode.keys, timed=self.timed)
        self._show()
        while True:
            if self.timed and self.attempt.left() <= 0:
                self.timed_out = True
                self.screen.exam_time_up()
                return True
            word = self._read()
            if word is None:
                continue
            outcome = self._act(word)
            if outcome is not None:
                return outcome

    def _read(self) -> str | None:
        """One key or line; None after a second with none, so that the clock moves on."""
        if self.timed:
            left = self.attempt.left()
            self.screen.exam_clock(self.attempt, left)
            wait = max(0.05, min(1.0, left - int(left) or 1.0))
        else:
            wait = None
        word = self.keys.read(wait)
        self.tick()
        if self.keys.continued or self.keys.resized:
            self.keys.continued = self.keys.resized = False
            if self.paging:  # the part on screen is drawn again by the paging itself
                self.resized_while_paging = True
            else:
                self._show()
        if word is None:
            if self.clock() - self.saved_at >= SAVE_EVERY:
                self.save()
            return None
        return word

    def _show(self) -> None:
        i = self.attempt.position
        self.screen.exam_question(
            self.attempt,
            self.questions[i],
            self._name(self.questions[i]),
            keys=self.mode.keys,
            case=self.deck.cases.get(self.questions[i].case or ""),
            timed=self.timed,
            notes=self.deck.notes_of(self.questions[i]),
            more=self._more if self.mode.keys else None,
        )

    def _more(self) -> bool | None:
        """A question taller than the window: any key shows the rest (the clock runs on);
        None when the window changed size meanwhile (the question is drawn again for it)."""
        self.screen.more_prompt(status=True)
        self.paging = True
        try:
            while True:
                word = self._read()
                if self.resized_while_paging:
                    self.resized_while_paging = False
                    return None
                if word is not None:
                    return True
                if self.attempt.left() <= 0:
                    return False
        finally:
            self.paging = False

    def _name(self, q: Question) -> str:
        p = self.deck.principles.get(q.principle)
        return p.name if p else q.principle

    def _act(self, word: str) -> bool | None:
        a = self.attempt
        raw = word.strip()
        key = raw.lower()
        n = len(a.orders[a.position])
        listed, self.listed = self.listed, False
        if listed and raw.isdigit():  # after the list, a number goes to that question
            if 1 <= int(raw) <= a.total:
                a.position = int(raw) - 1
                self.save()
                self._show()
            else:
                self.screen.exam_note(f"There is no question {raw}: they are 1 to {a.total}.")
            return None
        choice = option_for(raw, n)
        if choice is not None:
            a.answer(choice)
            if a.position < a.total - 1:
                a.move(1)
            self.save()
            if len(a.answers) == a.total and not self.mode.keys:
                return self._confirm()
            self._show()
            if len(a.answers) == a.total:
                self.screen.exam_note("Every question is answered. Press s to submit.")
            return None
        if key in (NEXT, RIGHT, DOWN, PAGEDOWN) or (not self.mode.keys and key == ""):
            a.move(1)
        elif key in (PREVIOUS, LEFT, UP, PAGEUP):
            a.move(-1)
        elif key == HOME:
            a.position = 0
        elif key == END:
            a.position = a.total - 1
        elif key == FLAG:
            a.toggle_flag()
        elif key in (UNANSWERED, FLAGGED):
            wanted = a.unanswered() if key == UNANSWERED else sorted(a.flags)
            found = a.next_of(wanted)
            if found is None:
                what = "unanswered" if key == UNANSWERED else "marked"
                self.screen.exam_note(f"No other question is {what}.")
                return None
            a.position = found
        elif key == LIST:
            self._list()
            if not self.mode.keys:
                return None  # the list's own prompt stays last: a number goes there
        elif key == SUBMIT:
            return self._confirm() or None
        elif key in (HELP, "h"):
            self.screen.exam_keys(KEY_HELP, keys=self.mode.keys)
            if self.mode.keys:
                self._wait_key()
        elif is_quit(key) or (key == ESC):
            return False
        elif raw.isdigit() and not self.mode.keys:
            if not 1 <= int(raw) <= a.total:
                self.screen.exam_note(f"There is no question {raw}: they are 1 to {a.total}.")
                return None
            a.position = int(raw) - 1
        elif raw.lower().startswith("go ") and raw[3:].strip().isdigit():
            target = int(raw[3:].strip())
            if not 1 <= target <= a.total:
                self.screen.exam_note(f"There is no question {target}: they are 1 to {a.total}.")
                return None
            a.position = target - 1
        else:
            self.screen.exam_unknown(n, keys=self.mode.keys)
            return None
        self.save()
        self._show()
        return None

    def _wait_key(self) -> str | None:
        while True:
            word = self._read()
            if word is not None:
                return word
            if self.attempt.left() <= 0:
                return None

    def _list(self) -> None:
        a = self.attempt
        self.screen.exam_list(a, [self._name(q) for q in self.questions], keys=self.mode.keys)
        if not self.mode.keys:
            self.listed = True  # a number on the next line goes there
            return
        typed = ""
        while True:
            word = self._wait_key()
            if word is None:
                return
            if word.isdigit():
                typed += word
                self.screen.exam_typed(typed)
                continue
            if word == "enter" and typed:
                target = int(typed)
                if 1 <= target <= a.total:
                    a.position = target - 1
                return
            if word == "backspace":
                typed = typed[:-1]
                self.screen.exam_typed(typed)
                continue
            return  # Esc or any other key: back to the question

    def _confirm(self) -> bool:
        a = self.attempt
        self.screen.exam_confirm(a, keys=self.mode.keys)
        word = self._wait_key() if self.mode.keys else self.keys.read(None)
        if word is not None and word.strip().lower() in ("y", "yes"):
            return True
        self._show()
        return False

    def _submit(self) -> None:
        """Every question becomes an exam answer in the log, then exam.json is set aside.
        Marked as submitted first, so that a crash in between is finished by --resume (the
        records carry the attempt's id and places, so a second writing counts once)."""
        from cps_drill.study import schedule
        from cps_drill.study.choose import memory_of

        a = self.attempt
        a.submitted = True
        self.save()
        view = deck_view(self.store.derived(), self.deck.id)
        now = schedule.now_utc()
        out = []
        for i, q in enumerate(self.questions):
            choice = a.answers.get(i)
            chosen = a.orders[i][choice] if choice is not None else None
            outcome = (
                rec.TIMEOUT
                if chosen is None
                else rec.RIGHT
                if chosen == q.correct_index
                else rec.WRONG
            )
            seconds = round(a.spent.get(i, 0.0), 2)
            memory = schedule.review(
                memory_of(view, q),
                question_id=q.id,
                graded=schedule.grade(outcome),
                at=now,
                seconds=seconds,
            )
            record = rec.answer(
                kind=rec.EXAM,
                deck=self.deck.id,
                question=q.id,
                principle=q.principle,
                chosen=chosen,
                correct=q.correct_index,
                outcome=outcome,
                seconds=seconds,
                session=a.id,
                seq=i + 1,
                command="exam",
                fingerprint=q.fingerprint,
                at=now.isoformat(timespec="seconds"),
                memory=memory,
            )
            record["mark"] = a.pass_mark
            out.append(record)
        self.store.append(out)
        self.store.set_exam_aside("finished")
