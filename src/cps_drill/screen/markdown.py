"""Pages written as Markdown, to keep or print: plain functions from data to text, without Rich
(a command can build one without loading the screen). Printable: no HTML, and every address is
written out in full, not hidden behind a link's words."""

from __future__ import annotations

import re

from cps_drill.deck.model import Deck, Source
from cps_drill.deck.text import visible
from cps_drill.screen.words import duration, percent, principle_name
from cps_drill.study.session import LETTERS

# What would start a list, a heading's underline or a rule at the start of a paragraph.
_LEADING_MARK = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])")


def md(text: str) -> str:
    """Text as it reads in Markdown: no accidental markup, no line breaks in table cells."""
    text = " ".join(visible(text).split())
    text = re.sub(r"([\\`*_{}\[\]<>#|~&])", r"\\\1", text)
    return _LEADING_MARK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def link(url: str) -> str:
    """An address as a link that shows the address itself, so that a printed page keeps it."""
    if re.fullmatch(r"https?://[^\s<>]+", url):  # a web address; anything else is text
        return f"<{url}>"
    return md(url)


def source_lines(source: Source, label: str = "Source") -> list[str]:
    """A source's title, then its address as a paragraph of its own."""
    lines = [f"{label}: {md(source.title)}", ""]
    if source.url:
        lines += [link(source.url), ""]
    return lines


def study_sheet(result) -> str:
    """A study sheet (commands.read.ReadResult) as Markdown: a heading per principle with its
    card, then each question with its options, the best answer, why each option is or is not
    the best, the explanation and the source."""
    deck: Deck = result.deck
    questions = "question" if result.count == 1 else "questions"
    lines = [f"# Study sheet: {md(result.title)}", "", f"{result.count} {questions}."]
    if result.left_out:
        lines.append(
            f"Left out by your setting: {result.left_out} with a content note "
            f"({md(result.program)} settings content-notes show brings them back)."
        )
    lines.append("")
    for section in result.sections:
        lines += _card(section, deck)
        for entry in section.entries:
            lines += _question(entry, deck)
    return "\n".join(lines).rstrip("\n") + "\n"


def _card(section, deck: Deck) -> list[str]:
    p = section.principle
    lines = [f"## {md(p.name)}", "", md(p.summary), ""]
    if p.key_points:
        lines += ["**Key points**", ""]
        lines += [f"- {md(point)}" for point in p.key_points]
        lines.append("")
    cited = [deck.sources[k] for k in p.sources if k in deck.sources]
    if cited:
        lines += ["**Sources**", ""]
        for source in cited:
            where = f" {link(source.url)}" if source.url else ""
            lines.append(f"- {md(source.title)}{where}")
        lines.append("")
    own = sum(1 for e in section.entries if e.filed_under is None)
    if own < len(section.entries):
        lines += [
            f"{len(section.entries)} questions on {md(p.name)}: {own} of its own, then "
            f"{len(section.entries) - own} filed under other principles that also test it.",
            "",
        ]
    if section.also:
        numbers = ", ".join(str(n) for n in section.also)
        lines += [f"Also on {md(p.name)}, filed under other principles: questions {numbers}.", ""]
    if not section.entries:
        lines += ["No questions filed under it yet.", ""]
    return lines


def _question(entry, deck: Deck) -> list[str]:
    q = entry.question
    head = f"### {entry.number}. {md(q.id)}"
    if q.difficulty:
        head += f" (difficulty {q.difficulty} of 3)"
    lines = [head, ""]
    if entry.filed_under is not None:
        lines += [f"*Filed under {md(entry.filed_under.name)}.*", ""]
    if entry.notes:
        words = ", ".join(note.replace("-", " ") for note in entry.notes)
        lines += [f"*Content note: this question mentions {md(words)}.*", ""]
    if entry.case is not None:
        lines += [f"**Case: {md(entry.case.title)}**", "", md(entry.case.situation), ""]
    if q.scenario:
        lines += [md(q.scenario), ""]
    lines += [f"**{md(q.question)}**", ""]
    lines += [f"- **{LETTERS[k]}.** {md(o.text)}" for k, o in enumerate(q.options)]
    best = q.correct_index
    lines += ["", f"**Best answer: {LETTERS[best]}.** {md(q.options[best].text)}", ""]
    whys = [(LETTERS[k], o.why) for k, o in enumerate(q.options) if o.why]
    if whys:
        lines += ["Why each option:", ""]
        lines += [f"- **{letter}.** {md(why)}" for letter, why in whys]
        lines.append("")
    if q.explanation:
        lines += [md(q.explanation), ""]
    if q.source and q.source in deck.sources:
        lines += source_lines(deck.sources[q.source])
    return lines


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
        f"- Time used: {duration(a.used)} of {duration(a.limit)}",
        "",
        "## By principle",
        "",
        "| Principle | Right | Asked | % |",
        "| --- | --- | --- | --- |",
    ]
    for pid, (n, c) in s.by_principle().items():
        lines.append(f"| {md(principle_name(deck, pid))} | {c} | {n} | {percent(c, n)} |")
    lines += ["", "## Every question", ""]
    for i, m in enumerate(s.marked):
        q = m.question
        verdict = "right" if m.right else "not answered" if m.chosen is None else "missed"
        lines += [f"### {i + 1}. {md(q.id)} ({verdict})", ""]
        case = deck.cases.get(q.case or "")
        if case:
            lines += [f"*Case: {md(case.title)}.* {md(case.situation)}", ""]
        if q.scenario:
            lines += [md(q.scenario), ""]
        lines += [f"**{md(q.question)}**", ""]
        for k, index in enumerate(m.order):
            option = q.options[index]
            tags = [
                t
                for t, on in (("your answer", index == m.chosen), ("best answer", option.correct))
                if on
            ]
            tag = f" *({', '.join(tags)})*" if tags else ""
            lines.append(f"- **{LETTERS[k]}.** {md(option.text)}{tag}")
            if option.why:
                lines.append(f"  - Why: {md(option.why)}")
        if q.source and q.source in deck.sources:
            src = deck.sources[q.source]
            where = f" {link(src.url)}" if src.url else ""
            lines += ["", f"Source: {md(src.title)}{where}"]
        lines.append("")
    return "\n".join(lines)
