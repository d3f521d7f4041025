"""read: a study sheet of a principle, or of the whole bank, on the screen or as Markdown."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from cps_drill.deck.load import bundled_folder, load_deck
from cps_drill.study.session import LETTERS
from tests.helpers import invoke

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\r")
CASE = """\
cases:
  - id: case-call
    title: The phone call
    situation: |
      It is Monday morning at the peer center, and the phone rings.
"""


def read(mini, *args):
    return invoke(["read", *args, "--content", mini])


def with_case(mini: Path) -> None:
    """conf-001 and conf-002 become a case; conf-002 carries a content note."""
    path = mini / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    for qid, extra in (("conf-001", ""), ("conf-002", "    content_note: abuse\n")):
        head = f"  - id: {qid}\n    principle: confidentiality\n"
        assert head in text
        text = text.replace(head, head + "    case: case-call\n" + extra)
    path.write_text(CASE + text, encoding="utf-8")


def blocks(output: str) -> dict[str, str]:
    """Each question's part of the sheet, by id."""
    parts = re.split(r"^Question \d+ of \d+ · ", output, flags=re.M)[1:]
    return {part.split()[0]: part for part in parts}


def test_a_principle_shows_its_card_then_every_question_with_best_answer_and_every_why(mini):
    result = read(mini, "conf")  # the start of an id

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    lines = [line.rstrip() for line in out.splitlines()]
    card = [
        "Confidentiality",
        "Keep what people share private, and say at the start where that privacy ends.",
        "",
        "Key points",
        "  • Explain the limits of confidentiality at the first meeting.",
        "  • Share with the team only under consent and agency policy.",
        "",
        "Sources",
        "  • A test source",
        "    https://example.org/test",
        "",
        "3 questions on Confidentiality: 2 of its own, then 1 filed under other principles.",
    ]
    start = lines.index(card[0])
    assert lines[start : start + len(card)] == card
    deck = load_deck(mini)
    wanted = deck.questions_for("confidentiality")
    shown = blocks(out)
    # Its own questions first, in the deck's order, then the one filed under Respect.
    assert list(shown) == ["conf-001", "conf-002", "resp-001"]
    assert "Question 3 of 3 · resp-001\nFiled under Respect." in out
    for n, q in enumerate(sorted(wanted, key=lambda q: q.principle != "confidentiality"), 1):
        part = shown[q.id]
        assert out.count(f"Question {n} of 3 · {q.id}") == 1
        assert q.question in part
        for k, option in enumerate(q.options):  # lettered in the deck's order
            assert f"  {LETTERS[k]}. {option.text}\n" in part
            assert f"  {LETTERS[k]}. {option.why}\n" in part
        best = q.correct_index
        assert f"Best answer: {LETTERS[best]}. {q.options[best].text}\n" in part
        assert part.index("Best answer") < part.index("Why each option")
    first = shown["conf-001"]
    assert "A person's mother phones and asks how her adult son is doing." in first
    assert "Confidentiality protects a person from outsiders, family included." in first
    assert "  Source A test source\n    https://example.org/test\n" in first
    assert "Which markup-looking text" not in out  # resp-002 is not on confidentiality
    assert "cps-drill read confidentiality --markdown study-sheet.md" in out


@pytest.mark.parametrize("name", ["respect", "resp", "Respect", "RESP"])
def test_an_id_a_name_or_the_start_of_either_finds_the_principle(mini, name):
    result = read(mini, name)
    assert result.exit_code == 0
    assert "Treat every person with dignity." in result.stdout
    assert list(blocks(result.stdout)) == ["resp-001", "resp-002", "resp-003"]
    assert "Key points" not in result.stdout and "Sources" not in result.stdout


def test_an_unknown_principle_is_one_line_and_exit_2(mini):
    result = read(mini, "respekt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: no principle called 'respekt'. Did you mean 'respect'?")


def test_a_case_situation_and_a_content_note_come_before_the_question(mini):
    with_case(mini)
    out = read(mini, "confidentiality").stdout
    shown = blocks(out)
    for qid, question in (("conf-001", "What do you tell her?"), ("conf-002", "When do you")):
        part = shown[qid]
        at = part.index("Case: The phone call\nIt is Monday morning at the peer center")
        assert at < part.index(question)
    second = shown["conf-002"]
    assert second.index("Content note: this question mentions abuse.") < second.index("Case:")
    assert "Content note" not in shown["conf-001"]


def test_the_content_notes_setting_leaves_such_questions_out_and_says_so(mini, home):
    with_case(mini)
    invoke(["settings", "content-notes", "hide"])
    result = read(mini, "confidentiality")
    assert result.exit_code == 0
    assert list(blocks(result.stdout)) == ["conf-001", "resp-001"]
    assert "Left out: 1 question with a content note" in result.stdout


def test_without_a_principle_every_question_once_principle_by_principle(mini):
    result = read(mini)
    assert result.exit_code == 0
    out = result.stdout
    assert "Study sheet: every principle, 5 questions" in out
    assert list(blocks(out)) == ["conf-001", "conf-002", "resp-001", "resp-002", "resp-003"]
    assert out.index("Keep what people share private") < out.index("Question 1 of 5")
    assert out.index("Question 2 of 5") < out.index("Treat every person with dignity.")
    # resp-001 also tests confidentiality: listed once, under Respect, named under both.
    assert "Also on Confidentiality, filed under other principles: questions 3." in out
    assert "Filed under" not in out


def test_piped_output_has_no_escape_codes_and_no_pager(mini):
    result = invoke(
        ["read", "conf", "--content", mini], env={"PAGER": "sed s/^/PAGED:/", "TERM": "xterm"}
    )
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "PAGED:" not in result.stdout and "Space for more" not in result.stdout
    assert "Best answer: B. That you can talk only with his written consent." in result.stdout


def test_plain_is_linear_text_without_symbols(mini):
    result = read(mini, "conf", "--plain")
    assert result.exit_code == 0
    out = result.stdout
    assert "  - Explain the limits of confidentiality at the first meeting." in out
    assert "•" not in out and "─" not in out and "\x1b" not in out
    assert "Best answer: B. That you can talk only with his written consent." in out


# -- Markdown -------------------------------------------------------------------------------


def markdown_tokens(text: str):
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").parse(text)


def test_markdown_writes_every_question_of_the_principle(mini, tmp_path):
    sheet = tmp_path / "out" / "conf.md"
    sheet.parent.mkdir()
    result = read(mini, "conf", "--markdown", sheet)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote the study sheet for Confidentiality (3 questions) to {sheet}.\n"
    assert os.listdir(sheet.parent) == ["conf.md"]  # no temp file left behind
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("# Study sheet: Confidentiality\n")
    assert "## Confidentiality\n" in text
    assert "- Explain the limits of confidentiality at the first meeting.\n" in text
    assert "- A test source <https://example.org/test>\n" in text
    heads = re.findall(r"^### (\d+)\. (\S+)", text, flags=re.M)
    assert heads == [("1", "conf-001"), ("2", "conf-002"), ("3", "resp-001")]
    for q in load_deck(mini).questions_for("confidentiality"):
        for k, option in enumerate(q.options):
            assert f"- **{LETTERS[k]}.** {option.text}\n" in text
            assert f"- **{LETTERS[k]}.** {option.why}\n" in text
        best = q.correct_index
        assert f"**Best answer: {LETTERS[best]}.** {q.options[best].text}\n" in text
    assert "Source: A test source\n\n<https://example.org/test>\n" in text
    assert "*Filed under Respect.*" in text
    tokens = markdown_tokens(text)
    assert not [t for t in tokens if "html" in t.type]  # printable: no HTML
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h3", "h3", "h3"]


def test_markdown_escapes_text_that_looks_like_markup(mini, tmp_path):
    sheet = tmp_path / "respect.md"
    assert read(mini, "respect", "--markdown", sheet).exit_code == 0
    text = sheet.read_text(encoding="utf-8")
    assert "A sign on the door says \\[bold\\]STAFF ONLY\\[/\\] in red." in text
    rendered = "".join(
        child.content
        for t in markdown_tokens(text)
        if t.type == "inline"
        for child in t.children or []
        if child.type == "text"
    )
    assert "[bold]STAFF ONLY[/]" in rendered


def test_markdown_without_a_principle_has_every_question_of_the_bundled_bank(tmp_path):
    sheet = tmp_path / "bank.md"
    result = invoke(["read", "--markdown", sheet])

    questions = load_deck(bundled_folder()).questions
    assert len(questions) == 414  # the bundled bank as it ships
    assert result.exit_code == 0
    assert result.stdout == (
        f"Wrote the study sheet for every principle ({len(questions)} questions) to {sheet}.\n"
    )
    text = sheet.read_text(encoding="utf-8")
    heads = re.findall(r"^### (\d+)\. (.+?)(?: \(difficulty \d of 3\))?$", text, flags=re.M)
    assert [int(n) for n, _ in heads] == list(range(1, len(questions) + 1))
    ids = [qid.replace("\\", "") for _, qid in heads]
    assert sorted(ids) == sorted(q.id for q in questions)  # every question, each once
    assert text.count("\n## ") == len(load_deck(bundled_folder()).principles)
    assert not [t for t in markdown_tokens(text) if "html" in t.type]


def test_markdown_replaces_a_sheet_already_there(mini, tmp_path):
    sheet = tmp_path / "sheet.md"
    sheet.write_text("an old sheet\n", encoding="utf-8")
    assert read(mini, "respect", "--markdown", sheet).exit_code == 0
    assert sheet.read_text(encoding="utf-8").startswith("# Study sheet: Respect\n")
    assert [name for name in os.listdir(tmp_path) if name.startswith(".")] == []


def test_a_failed_write_leaves_the_old_sheet_and_no_temp_file(mini, tmp_path, monkeypatch):
    import errno

    from cps_drill.commands import outfile as command

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    sheet = tmp_path / "sheet.md"
    sheet.write_text("an old sheet\n", encoding="utf-8")
    monkeypatch.setattr(command.os, "replace", full)
    result = read(mini, "respect", "--markdown", sheet)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {sheet}: cannot write it (No space left on device). An existing file of that "
        "name is left as it was.\n"
    )
    assert sheet.read_text(encoding="utf-8") == "an old sheet\n"
    assert [name for name in os.listdir(tmp_path) if name.startswith(".")] == []


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("missing/sheet.md", "there is no folder {folder} to write it in"),
        (".", "that is a folder. Name a file to write in it"),
    ],
    ids=["missing folder", "a folder"],
)
def test_markdown_somewhere_it_cannot_go_is_one_line(mini, tmp_path, where, words):
    target = tmp_path / where
    result = read(mini, "conf", "--markdown", target)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert words.format(folder=target.parent) in result.stderr
    assert not (tmp_path / "missing").exists()


def test_the_sheet_is_built_without_rich_or_typer():
    import subprocess

    code = (
        "import sys, cps_drill.commands.read, cps_drill.screen.markdown\n"
        "print(' '.join(m for m in ('rich', 'typer') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.split() == []


# -- a real terminal -----------------------------------------------------------------------

pexpect = pytest.importorskip("pexpect")
posix = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal tests need POSIX")
MINI = Path(__file__).resolve().parents[1] / "decks" / "mini"


def spawn(home: Path, rows: int, *args: str):
    env = {**os.environ, "CPS_DRILL_HOME": str(home), "TERM": "xterm", "PAGER": "cat"}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "CPS_DRILL_CONTENT", "MANPAGER"):
        env.pop(name, None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "cps_drill", "read", *args, "--content", str(MINI)],
        env=env,
        encoding="utf-8",
        dimensions=(rows, 80),
        timeout=10,
    )


@posix
def test_in_a_terminal_the_sheet_goes_through_the_pager_as_plain_text(home):
    child = spawn(home, 24, "confidentiality")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    raw = child.before.replace("\r", "")
    assert raw.startswith("Space for more, b to go back, /word to find, q to leave.\n")
    assert "\x1b" not in raw  # the pager is given plain text
    assert "─" * 10 in raw  # drawn for a live screen: titles are rules
    assert "Best answer: B. That you can talk only with his written consent." in raw
    assert "    https://example.org/test\n" in raw
    for qid in ("conf-001", "conf-002", "resp-001"):
        assert qid in raw


@posix
def test_in_a_terminal_a_sheet_that_fits_is_drawn_without_the_pager(home):
    child = spawn(home, 200, "respect")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = ANSI.sub("", child.before)
    assert "Space for more" not in screen
    assert "Treat every person with dignity." in screen and "resp-003" in screen
    assert "\x1b[1m" in child.before  # live: bold titles
