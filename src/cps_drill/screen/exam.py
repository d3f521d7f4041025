"""The mock exam's screens: a question with where you stand, the clock, the list, the keys,
the confirmation and the results."""

from __future__ import annotations

from collections.abc import Callable

from cps_drill.deck.model import Deck
from cps_drill.screen.base import (
    Base,
    _text,
)
from cps_drill.screen.words import duration, percent, plural, principle_name
from cps_drill.study import session
from cps_drill.study.session import LETTERS


class ExamScreens(Base):
    """The mock exam's screens."""

    def exam_start(self, attempt, keys: bool, timed: bool) -> None:
        self.announced = set()
        how = "press ? for the keys" if keys else "type ? for the commands"
        clock = (
            f"{duration(attempt.left())} for {attempt.total} questions"
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
        more: Callable[[], bool | None] | None = None,
        notes: tuple[str, ...] = (),
    ) -> None:
        """One question of the exam, whole: where you are, how it stands, the question; a
        window at a time when taller than the window (the clock's line stays below)."""
        if self.live:
            self.out.clear()
        self.fit(
            lambda: self._exam_question(attempt, q, principle_name, keys, case, timed, notes),
            more,
            below=2,
            status=True,
            slack=4,  # the header may scroll away: the status line says the same
        )

    def _exam_question(
        self, attempt, q, principle_name: str, keys: bool, case, timed: bool, notes=()
    ) -> None:
        self.hint = ""
        i = attempt.position
        self.out.print()
        self._title(f"Question {i + 1} of {attempt.total} · {principle_name}")
        self.line(
            f"{len(attempt.answers)} answered · {len(attempt.flags)} marked for review · "
            + (f"{duration(attempt.left())} left" if timed else "no clock"),
            style="dim",
        )
        if i in attempt.flags:
            self.out.print(_text(self._glyph("⚑ ") + "Marked for review.", style="bold"))
        self.out.print()
        if notes:
            words = ", ".join(note.replace("-", " ") for note in notes)
            self.out.print(_text(f"Content note: this question mentions {words}.", style="bold"))
            self.line(
                "Move on with n and come back when you are ready (the content-notes "
                "setting can leave such questions out of exams).",
                style="dim",
            )
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
                    self.line(f"{duration(moment)} left for the whole exam.")
                    return
            return
        warn = " · under a minute!" if left < 60 else ""
        a = attempt
        text = (
            f"Question {a.position + 1} of {a.total} · {len(a.answers)} answered · "
            f"{len(a.flags)} marked · {duration(left)} left{warn}"
        )
        if self.hint:
            text = f"{self.hint} · {duration(left)} left{'!' if warn else ''}"
            if len(text) >= self.out.width:
                text = f"{self.hint} · {duration(left)}"
        elif len(text) >= self.out.width:  # the status line is never wrapped: a short form
            text = (
                f"{a.position + 1}/{a.total} · {len(a.answers)} done · {len(a.flags)} marked · "
                f"{duration(left)}{' left!' if warn else ''}"
            )
        text = text[: self.out.width - 1]
        self.out.file.write("\r" + " " * (self.out.width - 1) + "\r")
        self.out.print(_text(text, style="bold red" if warn else "bold"), end="", soft_wrap=True)
        self.out.file.flush()

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
        self.hint = ""  # the status line below no longer speaks of an earlier key
        self._exam_line("")
        if left:
            listed = ", ".join(str(i + 1) for i in left[:30]) + (" …" if len(left) > 30 else "")
            which = "question" if len(left) == 1 else "questions"
            self.line(
                f"Unanswered: {plural(len(left), 'question')} ({which} {listed}); "
                f"{'it counts' if len(left) == 1 else 'they count'} as missed."
            )
        else:
            self.line("Every question is answered.")
        if attempt.flags:
            marked = sorted(attempt.flags)
            listed = ", ".join(str(i + 1) for i in marked)
            self.line(
                f"Marked for review: {'question' if len(marked) == 1 else 'questions'} {listed}."
            )
        how = "Press y" if keys else "Type y"
        self.line(f"Submit the exam now? {how} to submit, anything else to go back.", "bold")

    def exam_result(self, r) -> None:
        self._exam_result(r)
        self.backup_failed(r.backup_error)

    def _exam_result(self, r) -> None:
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
                f"answered, {len(a.flags)} marked, {duration(a.left())} left."
            )
            self.line("To go on with it:")
            self.out.print(_text("  " + (r.resume or "")), soft_wrap=True)
            return
        s = r.score
        self.page(
            lambda: self._exam_review(s, r.deck),
            hint="Every question opens in a pager: Space for more, q to leave it.",
        )
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
            f"Answered {s.answered} of {s.questions} · time used {duration(a.used)} of "
            f"{duration(a.limit)}"
        )
        rows = [
            [principle_name(r.deck, pid), c, n, percent(c, n)]
            for pid, (n, c) in s.by_principle().items()
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

    def _exam_review(self, s, deck: Deck) -> None:
        """Every question with the answer given, the best one and every why; an option's
        wrapped lines stay under its text."""
        self.out.print(_text("Every question, with the answer you gave", style="bold"))
        for i, m in enumerate(s.marked):
            q = m.question
            verdict = "right" if m.right else "not answered" if m.chosen is None else "missed"
            flag = ", marked" if m.flagged else ""
            self.out.print()
            self.out.print(_text(f"{i + 1}. ({verdict}{flag}) {q.id}", style="bold"))
            case = deck.cases.get(q.case or "")
            if case:
                self.out.print(_text(f"Case: {case.title}", style="bold"))
                self.out.print(_text(case.situation))
            if q.scenario:
                self.out.print(_text(q.scenario))
            self.out.print(_text(q.question, style="bold"))
            rows = []
            for k, index in enumerate(m.order):
                option = q.options[index]
                tags = []
                if index == m.chosen:
                    tags.append("your answer")
                if option.correct:
                    tags.append("best answer")
                tag = _text(f"[{', '.join(tags)}] ", style="bold") if tags else _text("")
                rows.append((f"{LETTERS[k]}.", tag + _text(option.text)))
                if option.why:
                    rows.append(("", _text(f"Why: {option.why}", style="dim")))
            self._hanging(rows, marker_style="bold")
            if q.source and q.source in deck.sources:
                self._source("Source", deck.sources[q.source], marker_style="dim")
