"""export anki and export csv: every question, escaped, with ids Anki can match again."""

from __future__ import annotations

import csv
import errno
import html
import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from cps_drill.deck.load import bundled_folder, load_deck
from tests.helpers import break_deck, invoke

FIELDS = ("Front", "Back", "Principle", "Id", "Source")

TRICKY_PRINCIPLES = """\
principles:
  - id: tricky
    name: Tricky <text> & "quotes"
    summary: Text that must reach Anki and spreadsheets exactly as written.
sources:
  odd:
    title: A <i>source</i> & co
    url: javascript:alert(1)
"""
TRICKY_SCENARIOS = """\
scenarios:
  - id: trick-001
    principle: tricky
    scenario: A sign says <script>alert(1)</script> & more.
    question: |
      Which one, of these, is "best" <u>here</u>?

      Read them all.
    options:
      - text: <b>Bold</b> & <img src=x onerror=alert(1)>
        correct: true
        why: It is shown as written, tags and all.
      - text: =HYPERLINK("https://example.org","click")
        why: A spreadsheet would run this as a formula.
    explanation: Deck text is data, never markup.
    source: odd
  - id: trick-002
    principle: tricky
    question: A plain question?
    options:
      - text: "Yes"
        correct: true
      - text: "No"
"""


@pytest.fixture
def tricky(tmp_path) -> Path:
    """A deck whose text holds HTML, a comma, quotes, a line break and a formula."""
    folder = tmp_path / "tricky"
    folder.mkdir()
    (folder / "principles.yaml").write_text(TRICKY_PRINCIPLES, encoding="utf-8")
    (folder / "scenarios.yaml").write_text(TRICKY_SCENARIOS, encoding="utf-8")
    return folder


def export(kind: str, file: Path, *extra):
    return invoke(["export", kind, file, *extra])


def read_package(path: Path) -> dict:
    """The notes, note types and decks of an .apkg, as Anki reads them."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        collection = archive.read("collection.anki2")
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        database.write_bytes(collection)
        return _read_collection(database)


def _read_collection(database: Path) -> dict:
    connection = sqlite3.connect(database)
    try:
        notes = {}
        for guid, mid, tags, flds in connection.execute("select guid, mid, tags, flds from notes"):
            fields = dict(zip(FIELDS, flds.split("\x1f"), strict=True))
            notes[fields["Id"]] = {"guid": guid, "mid": mid, "tags": tags.split(), **fields}
        models, decks = connection.execute("select models, decks from col").fetchone()
        card_decks = {did for (did,) in connection.execute("select did from cards")}
        cards = connection.execute("select count(*) from cards").fetchone()[0]
    finally:
        connection.close()
    return {
        "notes": notes,
        "models": set(json.loads(models)),
        "decks": {k: v["name"] for k, v in json.loads(decks).items() if k != "1"},
        "card_decks": card_decks,
        "cards": cards,
    }


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def assert_one_error_line(result, text: str) -> None:
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"Error: {text}"]
    assert "Traceback" not in result.output


# -- Anki ------------------------------------------------------------------------------------


def test_the_bundled_deck_exports_one_note_per_question(tmp_path):
    deck = load_deck(bundled_folder())
    target = tmp_path / "cps.apkg"

    result = export("anki", target)

    assert result.exit_code == 0, result.output
    n, p = len(deck.questions), len(deck.principles)
    assert result.stdout.strip() == (
        f"Wrote {n} questions ({p} principles) to {target}. In Anki: File > Import. "
        "Importing a newer export updates these notes."
    )
    package = read_package(target)
    assert len(package["notes"]) == n == package["cards"]
    assert set(package["notes"]) == {q.id for q in deck.questions}
    q = next(q for q in deck.questions if q.also and q.case and q.scenario)
    note = package["notes"][q.id]
    case = deck.cases[q.case]
    for text in (case.title, case.situation, q.scenario, q.question):
        assert html.escape(text, quote=False) in note["Front"]
    for letter, option in zip("ABCDEF", q.options, strict=False):
        assert (
            f"<li><b>{letter}.</b> {html.escape(option.text, quote=False)}</li>" in (note["Front"])
        )
        assert html.escape(option.why, quote=False) in note["Back"]
    best = q.options[q.correct_index]
    letter = "ABCDEF"[q.correct_index]
    assert f"<b>Best answer: {letter}.</b> {html.escape(best.text, quote=False)}" in note["Back"]
    assert best.text not in note["Front"].split("</ul>")[1]  # the answer is not on the front
    assert html.escape(q.explanation, quote=False) in note["Back"]
    source = deck.sources[q.source]
    assert note["Source"] == f'<a href="{html.escape(source.url)}">' + (
        f"{html.escape(source.title, quote=False)}</a>"
    )
    assert note["tags"] == [q.principle, *q.also, "cps-drill"] + (
        ["content-note"] if deck.notes_of(q) else []
    )
    assert package["decks"] == {
        str(package["card_decks"].pop()): "Massachusetts CPS exam (cps-drill)"
    }


def test_ids_are_the_same_in_every_export_and_the_file_is_replaced(mini, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "mini.apkg"

    first = export("anki", target, "--content", mini)
    earlier = read_package(target)
    second = export("anki", target, "--content", mini)
    later = read_package(target)

    assert first.exit_code == second.exit_code == 0
    assert first.stdout.startswith(f"Wrote 5 questions (2 principles) to {target}.")
    assert second.stdout.startswith(f"Replaced {target} with 5 questions (2 principles).")
    assert sorted(p.name for p in out.iterdir()) == ["mini.apkg"]  # no temp file
    guids = {qid: note["guid"] for qid, note in earlier["notes"].items()}
    assert guids == {qid: note["guid"] for qid, note in later["notes"].items()}
    assert len(set(guids.values())) == 5
    assert earlier["models"] == later["models"] == {str(n["mid"]) for n in later["notes"].values()}
    assert earlier["decks"] == later["decks"]
    assert earlier["card_decks"] == later["card_decks"] == {int(d) for d in later["decks"]}


def test_a_question_edited_in_the_deck_keeps_its_note(mini, tmp_path):
    """Anki matches notes by guid: an edited question must update its note, not add one."""
    target = tmp_path / "mini.apkg"
    export("anki", target, "--content", mini)
    before = read_package(target)["notes"]["conf-001"]
    break_deck(mini, "scenarios.yaml", "What do you tell her?", "What do you say to her?")

    assert export("anki", target, "--content", mini).exit_code == 0

    after = read_package(target)["notes"]["conf-001"]
    assert "What do you say to her?" in after["Front"]
    assert after["guid"] == before["guid"]


def test_another_deck_gets_its_own_anki_deck_but_the_same_note_type(mini, tricky, tmp_path):
    export("anki", tmp_path / "a.apkg", "--content", mini)
    export("anki", tmp_path / "b.apkg", "--content", tricky)
    a, b = read_package(tmp_path / "a.apkg"), read_package(tmp_path / "b.apkg")

    assert a["models"] == b["models"]
    assert set(a["decks"]).isdisjoint(b["decks"])


def test_principle_limits_the_notes_to_questions_on_it(mini, tmp_path):
    target = tmp_path / "conf.apkg"

    result = export("anki", target, "--content", mini, "-p", "conf")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote 3 questions on Confidentiality to {target}.")
    # resp-001 is filed under respect and also tests confidentiality.
    assert set(read_package(target)["notes"]) == {"conf-001", "conf-002", "resp-001"}


def test_an_unknown_principle_is_one_line_and_writes_nothing(mini, tmp_path):
    target = tmp_path / "x.apkg"

    result = export("anki", target, "--content", mini, "--principle", "nosuch")

    assert result.exit_code == 2
    assert_one_error_line(
        result, "no principle called 'nosuch'. Known principles: confidentiality, respect."
    )
    assert not target.exists()


def test_html_in_the_deck_is_shown_as_text_in_anki(tricky, tmp_path):
    target = tmp_path / "tricky.apkg"

    assert export("anki", target, "--content", tricky).exit_code == 0

    note = read_package(target)["notes"]["trick-001"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in note["Front"]
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in note["Front"]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in note["Back"]
    assert '<b>Which one, of these, is "best" &lt;u&gt;here&lt;/u&gt;?<br>' in note["Front"]
    assert note["Principle"] == 'Tricky &lt;text&gt; &amp; "quotes"'
    # A source address that is not http or https is never made a link.
    assert note["Source"] == "A &lt;i&gt;source&lt;/i&gt; &amp; co (javascript:alert(1))"
    everything = "".join(note[name] for name in FIELDS)
    for raw in ("<script", "<img", "<b>Bold", "<u>", "<i>source", "href"):
        assert raw not in everything


def test_an_anki_file_must_end_in_apkg(tmp_path):
    target = tmp_path / "cps.csv"

    result = export("anki", target)

    assert_one_error_line(
        result,
        f"{target}: an Anki package's name ends in .apkg, so that Anki can import it "
        f"(for example {tmp_path / 'cps.apkg'}).",
    )
    assert not target.exists()


def test_without_genanki_anki_export_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "genanki", None)  # import genanki fails
    target = tmp_path / "cps.apkg"

    result = export("anki", target)

    assert result.exit_code == 1
    assert_one_error_line(
        result,
        "writing an Anki package needs genanki, which is installed with cps-drill but is "
        "missing here: install cps-drill again (python -m pip install . in its folder).",
    )
    assert not target.exists()


# -- CSV -------------------------------------------------------------------------------------


def test_the_csv_has_a_header_and_one_row_per_question(mini, tmp_path):
    deck = load_deck(mini)
    target = tmp_path / "mini.csv"

    result = export("csv", target, "--content", mini)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote 5 questions (2 principles) to {target}.")
    assert "UTF-8 with a byte-order mark" in result.stdout
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,principle,also,difficulty,")
    assert raw.count(b"\r\n") == 6  # the header and five rows, with the line ends CSV expects
    rows = read_csv(target)
    header = rows[0]
    assert header[:8] == [
        "id",
        "principle",
        "also",
        "difficulty",
        "case",
        "case situation",
        "scenario",
        "question",
    ]
    assert header[8:14] == [f"option {c}" for c in "ABCDEF"]
    assert header[14] == "best answer"
    assert header[15:] == [
        *(f"why {c}" for c in "ABCDEF"),
        "explanation",
        "source title",
        "source url",
        "content notes",
    ]
    assert [row[0] for row in rows[1:]] == [q.id for q in deck.questions]
    assert all(len(row) == len(header) for row in rows)
    conf = dict(zip(header, rows[1], strict=True))
    assert conf["principle"] == "confidentiality"
    assert conf["difficulty"] == "2"
    assert conf["question"] == "What do you tell her?"
    assert conf["option B"] == "That you can talk only with his written consent."
    assert conf["option D"] == ""
    assert conf["best answer"] == "B"
    assert conf["why B"] == "An adult's information needs his consent."
    assert conf["source title"] == "A test source"
    assert conf["source url"] == "https://example.org/test"
    resp = dict(zip(header, rows[2], strict=True))
    assert resp["also"] == "confidentiality"
    assert resp["difficulty"] == ""


def test_csv_text_with_commas_quotes_and_line_breaks_reads_back_whole(tricky, tmp_path):
    deck = load_deck(tricky)
    target = tmp_path / "tricky.csv"

    assert export("csv", target, "--content", tricky).exit_code == 0

    header, first, second = read_csv(target)
    row = dict(zip(header, first, strict=True))
    q = deck.questions[0]
    assert "\n" in q.question and "," in q.question and '"' in q.question
    assert row["question"] == q.question
    assert row["scenario"] == "A sign says <script>alert(1)</script> & more."  # plain text
    assert row["option A"] == "<b>Bold</b> & <img src=x onerror=alert(1)>"
    assert row["why A"] == "It is shown as written, tags and all."
    # A cell a spreadsheet would run as a formula starts with an apostrophe.
    assert row["option B"] == "'" + '=HYPERLINK("https://example.org","click")'
    assert row["source url"] == "javascript:alert(1)"
    assert dict(zip(header, second, strict=True))["why A"] == ""


def test_csv_principle_limits_the_rows(mini, tmp_path):
    target = tmp_path / "respect.csv"

    result = export("csv", target, "--content", mini, "-p", "Respect")

    assert result.exit_code == 0, result.output
    assert [row[0] for row in read_csv(target)[1:]] == ["resp-001", "resp-002", "resp-003"]


# -- where the file goes ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_a_missing_folder_is_one_line(kind, tmp_path):
    target = tmp_path / "nowhere" / f"cps.{'apkg' if kind == 'anki' else 'csv'}"

    result = export(kind, target)

    assert result.exit_code == 2
    assert_one_error_line(
        result,
        f"{target}: there is no folder {target.parent} to write it in. Create the folder "
        "first, or name a file in a folder that exists.",
    )
    assert not target.parent.exists()


@pytest.mark.parametrize(("kind", "example"), [("anki", "cps.apkg"), ("csv", "cps.csv")])
def test_a_folder_as_the_file_is_one_line(kind, example, tmp_path):
    folder = tmp_path / "exports.apkg"
    folder.mkdir()

    result = export(kind, folder)

    assert result.exit_code == 2
    assert_one_error_line(
        result,
        f"{folder}: that is a folder. Name a file to write in it, such as {folder / example}.",
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(kind, mini, tmp_path, monkeypatch):
    from cps_drill.commands import outfile

    target = tmp_path / f"old.{'apkg' if kind == 'anki' else 'csv'}"
    target.write_bytes(b"the last export")

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outfile.os, "replace", full_disk)
    result = export(kind, target, "--content", mini)

    assert result.exit_code == 1
    assert_one_error_line(
        result,
        f"{target}: cannot write it (No space left on device). An existing file of that name "
        "is left as it was.",
    )
    assert target.read_bytes() == b"the last export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
