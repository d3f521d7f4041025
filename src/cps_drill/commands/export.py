"""`export anki` and `export csv`: the deck's questions as an Anki package or a spreadsheet.

Deck text is data. In an Anki note every piece of it is HTML-escaped (a `<b>` in a question
shows as those characters), and a link is made only of an http or https address. In a CSV a
cell that a spreadsheet would run as a formula starts with an apostrophe.

The ids Anki matches on are derived, never random: the note type's and the Anki deck's from
fixed names and the deck id, each note's guid from the deck id and the question id. Importing a
new export therefore updates the notes of the last one instead of adding copies.

The file is written whole to a temp file in its own folder and put in place in one step: a
failed export leaves an existing file as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import IO

from cps_drill import errors
from cps_drill.commands import outfile
from cps_drill.commands.context import Context
from cps_drill.commands.quiz import questions_on
from cps_drill.deck.load import is_bundled
from cps_drill.deck.model import MAX_OPTIONS, Deck, Question
from cps_drill.deck.text import visible
from cps_drill.study.session import LETTERS

ANKI, CSV = "anki", "csv"
EXAMPLE = {ANKI: "cps.apkg", CSV: "cps.csv"}  # a file name to suggest
TAG = "cps-drill"  # on every note, to find them all in Anki's browser
NOTE_TAG = "content-note"  # on the notes whose question carries a content note
# One note type for every deck. A change to its fields needs a new MODEL_KEY (a new id), so
# that Anki sees a new note type rather than notes that no longer fit the old one.
MODEL_NAME = "cps-drill question"
MODEL_KEY = "cps-drill note type 1"
FIELDS = ("Front", "Back", "Principle", "Id", "Source")
SORT_FIELD = FIELDS.index("Id")  # the browser's sort column: ids keep a principle's together
FRONT = "{{Front}}"
BACK = (
    '{{FrontSide}}\n<hr id="answer">\n{{Back}}\n'
    '{{#Source}}<p class="source">Source: {{Source}}</p>{{/Source}}\n'
    '<p class="meta">{{Principle}} · {{Id}}</p>'
)
CSS = """\
.card { font-family: Arial, Helvetica, sans-serif; font-size: 20px; line-height: 1.45;
  text-align: left; max-width: 42em; margin: 0 auto; }
ul.options, ul.whys { list-style: none; padding-left: 0; }
ul.options li, ul.whys li { margin: 0.35em 0 0.35em 1.6em; text-indent: -1.6em; }
.content-note, .meta { font-size: 0.85em; }
.meta { opacity: 0.7; }
"""
CSV_HEADER = [
    "id",
    "principle",
    "also",
    "difficulty",
    "case",
    "case situation",
    "scenario",
    "question",
    *(f"option {letter}" for letter in LETTERS[:MAX_OPTIONS]),
    "best answer",
    *(f"why {letter}" for letter in LETTERS[:MAX_OPTIONS]),
    "explanation",
    "source title",
    "source url",
    "content notes",
]
CSV_ENCODING = "utf-8-sig"  # with a byte-order mark: Excel on Windows reads it as UTF-8 then
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell


@dataclass
class ExportResult:
    path: Path
    format: str  # ANKI or CSV
    questions: int
    principles: int  # how many principles the questions are filed under
    replaced: bool  # the file was there before
    on: tuple[str, ...] = ()  # the names of the principles asked for with --principle


def export_anki(
    ctx: Context, file: Path, *, principles: list[str], content: Path | None
) -> ExportResult:
    if file.suffix.lower() != ".apkg" and not outfile.is_folder(file):
        raise errors.UsageError(
            f"{file}: an Anki package's name ends in .apkg, so that Anki can import it "
            f"(for example {_with_suffix(file, '.apkg')})."
        )
    _genanki()  # before any work: a clear line if it is missing
    deck, questions, result = _prepare(ctx, file, principles, content, ANKI)
    package = anki_package(deck, questions)
    outfile.write(file, lambda out: _write_package(package, out))
    return result


def export_csv(
    ctx: Context, file: Path, *, principles: list[str], content: Path | None
) -> ExportResult:
    import csv
    import io

    deck, questions, result = _prepare(ctx, file, principles, content, CSV)
    text = io.StringIO(newline="")  # the csv module writes its own line ends
    csv.writer(text).writerows([CSV_HEADER, *csv_rows(deck, questions)])
    data = text.getvalue().encode(CSV_ENCODING)
    outfile.write(file, lambda out: out.write(data))
    return result


# -- what is exported ------------------------------------------------------------------------


def _prepare(
    ctx: Context, file: Path, principles: list[str], content: Path | None, kind: str
) -> tuple[Deck, list[Question], ExportResult]:
    """The file checked, the deck loaded, the questions chosen, and what will be said."""
    replaced = outfile.check(file, EXAMPLE[kind])
    deck = ctx.deck(content)
    wanted = {deck.resolve_principle(p).id: None for p in principles}  # in the order asked
    questions = questions_on(ctx, deck, set(wanted))  # as a drill chooses them
    filed = len({q.principle for q in questions})
    on = tuple(deck.principles[pid].name for pid in wanted)
    return deck, questions, ExportResult(file, kind, len(questions), filed, replaced, on)


# -- Anki ------------------------------------------------------------------------------------


def stable_id(name: str) -> int:
    """An Anki id made from a name: the same name gives the same id on every machine, in the
    range genanki advises for ids chosen by hand."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def model_id() -> int:
    return stable_id(MODEL_KEY)


def anki_deck_id(deck: Deck) -> int:
    return stable_id(f"cps-drill deck {deck.id}")


def anki_deck_name(deck: Deck) -> str:
    if is_bundled(deck.folder):
        return "Massachusetts CPS exam (cps-drill)"
    return f"{deck.id} (cps-drill)"


def anki_package(deck: Deck, questions: list[Question]):
    """A genanki package of one Anki deck with one note per question."""
    genanki = _genanki()
    model = genanki.Model(
        model_id(),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
        sort_field_index=SORT_FIELD,
    )
    anki = genanki.Deck(
        anki_deck_id(deck),
        anki_deck_name(deck),
        description="Practice questions exported by cps-drill. Importing a newer export "
        "updates these notes.",
    )
    for q in questions:
        fields = note_fields(deck, q)
        anki.add_note(
            genanki.Note(
                model=model,
                fields=[fields[name] for name in FIELDS],
                sort_field=fields["Id"],
                tags=note_tags(deck, q),
                guid=genanki.guid_for(deck.id, q.id),
            )
        )
    return genanki.Package(anki)


def _genanki():
    try:
        import genanki
    except ImportError:
        raise errors.DrillError(
            "writing an Anki package needs genanki, which is installed with cps-drill but is "
            "missing here: install cps-drill again (python -m pip install . in its folder)."
        ) from None
    return genanki


def note_fields(deck: Deck, q: Question) -> dict[str, str]:
    """A note's fields as HTML, every piece of deck text escaped."""
    principle = _html(_principle_name(deck, q.principle))
    if q.also:
        principle += " · also " + ", ".join(_html(_principle_name(deck, p)) for p in q.also)
    return {
        "Front": _front(deck, q),
        "Back": _back(q),
        "Principle": principle,
        "Id": _html(q.id),
        "Source": _source_html(deck, q),
    }


def note_tags(deck: Deck, q: Question) -> list[str]:
    """The principle's id, those of its `also` principles, cps-drill, and content-note where
    one applies (Anki tags hold no spaces)."""
    tags = [*q.principles, TAG, *([NOTE_TAG] if deck.notes_of(q) else [])]
    return list(dict.fromkeys("_".join(tag.split()) for tag in tags))


def _front(deck: Deck, q: Question) -> str:
    parts = []
    notes = deck.notes_of(q)
    if notes:
        words = ", ".join(note.replace("-", " ") for note in notes)
        parts.append(
            f'<p class="content-note"><b>Content note:</b> this question mentions '
            f"{_html(words)}.</p>"
        )
    case = deck.cases.get(q.case or "")
    if case:
        parts.append(f"<p><b>Case: {_html(case.title)}</b><br>\n{_html(case.situation)}</p>")
    if q.scenario:
        parts.append(f"<p>{_html(q.scenario)}</p>")
    parts.append(f'<p class="question"><b>{_html(q.question)}</b></p>')
    options = "\n".join(
        f"<li><b>{letter}.</b> {_html(option.text)}</li>"
        for letter, option in zip(LETTERS, q.options, strict=False)
    )
    parts.append(f'<ul class="options">\n{options}\n</ul>')
    return "\n".join(parts)


def _back(q: Question) -> str:
    best = q.correct_index
    parts = [f"<p><b>Best answer: {LETTERS[best]}.</b> {_html(q.options[best].text)}</p>"]
    whys = [
        f"<li><b>{LETTERS[k]}.</b>{' <i>Best answer.</i>' if k == best else ''} "
        f"{_html(option.why)}</li>"
        for k, option in enumerate(q.options)
        if option.why
    ]
    if whys:
        parts.append("<p><b>Why each option</b></p>")
        parts.append('<ul class="whys">\n' + "\n".join(whys) + "\n</ul>")
    if q.explanation:
        parts.append(f"<p>{_html(q.explanation)}</p>")
    return "\n".join(parts)


def _source_html(deck: Deck, q: Question) -> str:
    source = deck.sources.get(q.source or "")
    if source is None:
        return ""
    title = _html(source.title)
    if source.url and source.url.lower().startswith(("https://", "http://")):
        return f'<a href="{escape(source.url, quote=True)}">{title}</a>'
    return title + (f" ({_html(source.url)})" if source.url else "")


def _html(text: str) -> str:
    """Deck text as HTML that shows exactly that text (line breaks kept); quotes are left
    as they are, so that Anki's search finds them (this is never inside an attribute)."""
    return escape(visible(text), quote=False).replace("\n", "<br>\n")


def _principle_name(deck: Deck, pid: str) -> str:
    principle = deck.principles.get(pid)
    return principle.name if principle else pid


def _write_package(package, out: IO[bytes]) -> None:
    """The .apkg: a zip of the collection database, built in a private temp folder (genanki's
    own writer leaves that database behind in the system's temp folder)."""
    import itertools
    import sqlite3
    import tempfile
    import time
    import zipfile

    timestamp = time.time()  # newer than the last export's, so that Anki takes the update
    with tempfile.TemporaryDirectory(prefix="cps-drill-export-") as scratch:
        database = Path(scratch) / "collection.anki2"
        try:
            connection = sqlite3.connect(database)
            try:
                ids = itertools.count(int(timestamp * 1000))
                package.write_to_db(connection.cursor(), timestamp, ids)
                connection.commit()
            finally:
                connection.close()
        except sqlite3.Error as exc:
            raise OSError(str(exc)) from None
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            archive.writestr("media", "{}")


# -- CSV -------------------------------------------------------------------------------------


def csv_rows(deck: Deck, questions: list[Question]) -> list[list[str]]:
    """One row per question under CSV_HEADER: plain text, options in the deck's order."""
    rows = []
    for q in questions:
        case = deck.cases.get(q.case or "")
        source = deck.sources.get(q.source or "")
        blank = [""] * (MAX_OPTIONS - len(q.options))
        texts = [_cell(o.text) for o in q.options] + blank
        whys = [_cell(o.why or "") for o in q.options] + blank
        row = [
            q.id,
            q.principle,
            ", ".join(q.also),
            "" if q.difficulty is None else str(q.difficulty),
            _cell(case.title if case else ""),
            _cell(case.situation if case else ""),
            _cell(q.scenario or ""),
            _cell(q.question),
            *texts,
            LETTERS[q.correct_index],
            *whys,
            _cell(q.explanation or ""),
            _cell(source.title if source else ""),
            _cell((source.url or "") if source else ""),
            ", ".join(deck.notes_of(q)),
        ]
        rows.append(row)
    return rows


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: one that would start a formula gets an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


# -- the file --------------------------------------------------------------------------------


def _with_suffix(file: Path, suffix: str) -> Path:
    try:
        return file.with_suffix(suffix)
    except ValueError:
        return Path("cps" + suffix)
