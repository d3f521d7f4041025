"""The drill's screens: a question, its countdown, the feedback, the summary."""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.text import Text

from cps_drill.deck.model import Case, Deck, Principle
from cps_drill.progress.records import RIGHT, TIMEOUT
from cps_drill.screen.base import (
    COMPACT,
    HURRY,
    SHORT_SUMMARY,
    Base,
    _text,
)
from cps_drill.screen.words import minutes, percent, plural, principle_name
from cps_drill.study import session
from cps_drill.study.session import LETTERS, Graded, Shown, Summary


class DrillScreens(Base):
    """A drill's screens (quiz and review)."""

    def principle_card(self, principle: Principle, deck: Deck, asked: int, total: int) -> None:
        self._card(principle, deck)
        self.out.print()
        if asked < total:
            self.line(
                f"{asked} of its {total} questions now (--count changes how many).", style="dim"
            )
        else:
            self.line(f"{plural(total, 'question')} on {principle.name}.", style="dim")

    def passed_over(self) -> None:
        self.line("Passed over; it does not count as missed.", style="dim")

    def marked_guess(self) -> None:
        self.line(
            "Marked as a guess: it will come back sooner. Press any key to go on.", style="dim"
        )

    def capped(self, asked_for: int, available: int) -> None:
        """--count asked for more questions than there are to ask."""
        self.line(
            f"You asked for {asked_for} questions; there are {available} here, so this drill "
            f"asks all {available}.",
            style="bold",
        )

    def wait_to_start(self) -> None:
        self.line("Press any key to start, q to stop.", style="dim")

    def redraw(self, shown: Shown, principle_name: str, keys: bool = True, **context) -> None:
        """The question again, whole: after a resize, after Ctrl-Z, when moving back. Live, the
        screen is cleared first; plain, it is simply printed again below."""
        if self.live:
            self.out.clear()
        self.question(shown, principle_name, keys=keys, **context)

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
        return self.fit(
            lambda: self._question(shown, principle_name, keys, case, notes), more, slack=2
        )

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
        shown_options = []
        if graded.chosen is not None and graded.outcome != RIGHT:
            shown_options.append(
                ("You chose", shown.letter_of(graded.chosen), q.options[graded.chosen])
            )
        shown_options.append(("Best answer", shown.letter_of(graded.correct), correct))
        if self.out.width < COMPACT:  # labels above their text, so the text has the width
            for label, letter, option in shown_options:
                self.out.print(_text(label, style="bold"))
                rows = [(f"{letter}.", _text(option.text))]
                if option.why:
                    rows.append(("", _text("Why: ", style="bold") + _text(option.why)))
                self._hanging(rows, marker_style="bold")
        else:
            rows = []
            for label, letter, option in shown_options:
                rows += _option_rows(label, letter, option)
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
        self.backup_failed(result.backup_error)

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
            [principle_name(deck, pid), t.right, t.answered, percent(t.right, t.answered)]
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
                    how += "; missed again when it came back"
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

    def saved_to(self, folder) -> None:
        self.line(f"Progress saved in {folder}", style="dim")


SETTING = re.compile(r"(You are|You work|You have been|As a peer)\b[^.]*\.\s*")


def _option_rows(label: str, letter: str, option) -> list:
    rows = [(label, _text(f"{letter}. ") + _text(option.text))]
    if option.why:
        rows.append(("Why", _text(option.why)))
    return rows


def _gist(scenario: str, limit: int = 90) -> str:
    """What tells one scenario from another in a list: its first sentence after the usual
    setting ("You are a peer specialist at an RLC in Brockton."), shortened."""
    rest = SETTING.sub("", scenario, count=1).strip() if SETTING.match(scenario) else scenario
    return _first_sentence(rest, limit) if rest else ""


def _first_sentence(text: str, limit: int = 120) -> str:
    end = min((i for i in (text.find(". "), text.find("? ")) if i > 0), default=len(text) - 1)
    sentence = text[: end + 1]
    if len(sentence) > limit:  # shortened between words, unless a word is most of it
        cut = sentence[: limit - 1]
        space = cut.rfind(" ")
        sentence = (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"
    return sentence + '"' if sentence.count('"') % 2 else sentence  # close a quotation
