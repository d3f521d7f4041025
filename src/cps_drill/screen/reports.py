"""What the other commands show: the plan, stats, principles, the glossary, a deck's checks,
a recovery, an export, the study sheet."""

from __future__ import annotations

from cps_drill.deck.model import Deck
from cps_drill.screen.base import (
    Base,
    _text,
)
from cps_drill.screen.words import percent, plural, principle_name
from cps_drill.study.session import LETTERS


class ReportScreens(Base):
    """The screens of the commands that report."""

    def plan(self, r) -> None:
        """The exam date, readiness per principle as bars, and what to do each day."""
        if r.changed:
            self.line(f"Exam date saved: {r.exam_date}.")
        if r.extended_changed:
            self.line(
                f"Extended time saved: every time limit is {r.extended:g} x as long."
                if r.extended != 1
                else "Extended time saved: none (the usual time limits)."
            )
        elif r.extended != 1:
            self.line(f"Extended time: {r.extended:g} x every time limit (an accommodation).")
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
            [(principle_name(r.deck, pid), value) for pid, value in r.principles.items()],
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
            value = round(value, 2)  # the bar shows the figure written beside it
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

    def settings(self, result) -> None:
        for name, value, choices, what in result.rows:
            self.line(f"{name}: {value}   ({' or '.join(choices)}: {what})")
        if result.changed:
            self.line(f"Saved: {result.changed}.", style="dim")

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
            [principle_name(deck, pid), t.right, t.answered, percent(t.right, t.answered)]
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
                (principle_name(deck, pid), o.principles[pid])
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
            rows = [
                [principle_name(deck, pid), f"{seconds:.0f} s"]
                for pid, seconds in o.seconds.items()
            ]
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
