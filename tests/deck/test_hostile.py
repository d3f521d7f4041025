"""Decks that try to hurt: deep nesting, odd folder names, FIFOs and devices, control characters.

Whatever a deck holds, cps-drill answers with FILE:LINE and what to do, never a traceback, never a
hang, and never passes a character on that could steer the terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deck.test_load import PRINCIPLES, SCENARIOS, write_deck
from tests.helpers import invoke

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX files")
MINI = Path(__file__).resolve().parents[1] / "decks" / "mini"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def program(*args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    env = {**os.environ, "TERM": "xterm"}
    return subprocess.run(
        [sys.executable, "-m", "cps_drill", *args],
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "text",
    [
        "scenarios:\n" + "".join("  " * (i + 1) + "-\n" for i in range(330)),
        "scenarios:\n  - " + "- " * 400 + "x\n",
        "scenarios:\n  - " + "[" * 400 + "]" * 400 + "\n",
        "scenarios:\n  - " + "{a: " * 400 + "b" + "}" * 400 + "\n",
        "scenarios:\n" + "".join("  " * (i + 1) + "- \n" for i in range(5000)),
    ],
    ids=["330 nested items", "400 inline items", "400 brackets", "400 braces", "5000 nested"],
)
def test_any_depth_of_nesting_is_one_line_with_file_and_line(tmp_path, text):
    folder = write_deck(tmp_path, PRINCIPLES, text)
    result = program("validate", str(folder))
    assert result.returncode == 1
    out = result.stdout.decode()
    assert re.match(rf"{re.escape(str(folder / 'scenarios.yaml'))}:\d+: ", out), out[:300]
    assert b"Traceback" not in result.stdout + result.stderr
    assert len(out.splitlines()) < 10  # a line per problem, not a traceback's hundreds


@posix_only
def test_a_folder_whose_name_is_not_utf8(tmp_path):
    folder = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/deck-\xff\xfe"))
    shutil.copytree(MINI, folder)
    assert program("validate", str(folder)).returncode == 0
    (folder / "scenarios.yaml").write_text(SCENARIOS.replace("question:", "qustion:", 1))
    result = program("validate", str(folder))
    assert result.returncode == 1
    assert b"unknown key 'qustion'" in result.stdout
    assert b"Traceback" not in result.stdout + result.stderr
    result = program("quiz", "--content", str(folder), "-n", "1")
    assert result.returncode == 1 and b"Traceback" not in result.stderr


@posix_only
@pytest.mark.parametrize("command", [["validate"], ["quiz", "--content"], ["stats", "--content"]])
def test_a_fifo_in_place_of_a_deck_file_does_not_hang(tmp_path, command):
    folder = tmp_path / "deck"
    shutil.copytree(MINI, folder)
    (folder / "scenarios.yaml").unlink()
    os.mkfifo(folder / "scenarios.yaml")
    (folder / "principles.yaml").unlink()
    os.mkfifo(folder / "principles.yaml")
    result = program(*command, str(folder), timeout=20)  # a hang fails here
    assert b"Traceback" not in result.stdout + result.stderr
    if command[0] != "stats":
        assert b"is not a regular file" in result.stdout + result.stderr
        assert result.returncode == 1


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused_not_read_forever(tmp_path, device):
    folder = tmp_path / "deck"
    shutil.copytree(MINI, folder)
    (folder / "scenarios.yaml").unlink()
    (folder / "scenarios.yaml").symlink_to(device)
    result = program("validate", str(folder))
    assert result.returncode == 1
    assert b"is not a regular file" in result.stdout
    assert b"Traceback" not in result.stdout + result.stderr


def test_a_file_too_large_to_be_a_deck_is_refused(tmp_path, monkeypatch):
    from cps_drill.deck import yamlfile

    monkeypatch.setattr(yamlfile, "MAX_BYTES", 100)
    result = invoke(["validate", write_deck(tmp_path)])
    assert result.exit_code == 1
    assert "is larger than" in result.stdout


HOSTILE = {
    "clear screen": r"\e[2J\e[H",
    "window title": r"\e]0;pwned\a",
    "clipboard write": r"\e]52;c;cm0gLXJmIH4=\a",
    "hidden text": r"\e[8m",
    "terminal query": r"\e[6n",
    "C1 CSI": r"\x9b2J",
    "NUL": r"\0",
    "right-to-left override": r"\u202e",
    "isolate": r"\u2066",
    "backspace": r"\b\b\b",
}


@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_control_characters_in_a_deck_are_refused_with_file_and_line(tmp_path, payload):
    text = SCENARIOS.replace("question: Which one?", f'question: "Which{payload} one?"', 1)
    assert text != SCENARIOS
    folder = write_deck(tmp_path, PRINCIPLES, text)
    line = text[: text.index(payload)].count("\n") + 1
    result = invoke(["validate", folder])
    assert result.exit_code == 1
    assert f"{folder / 'scenarios.yaml'}:{line}: 'question' holds control or direction" in (
        result.stdout
    )
    assert not CONTROL.search(result.stdout + result.stderr)
    quiz = invoke(["quiz", "--content", folder, "-t", "0"], input="a\n")
    assert quiz.exit_code == 1
    assert not CONTROL.search(quiz.stdout + quiz.stderr)


def test_control_characters_in_key_names_and_values_are_shown_visibly(tmp_path):
    text = SCENARIOS.replace("question: Which one?", '"q\\e[2Jx": 1', 1)
    result = invoke(["validate", write_deck(tmp_path, PRINCIPLES, text)])
    assert result.exit_code == 1
    assert "\\x1b[2Jx" in result.stdout  # named, visibly
    assert not CONTROL.search(result.stdout + result.stderr)


def test_the_screen_never_passes_a_control_character_on(mini, home):
    from cps_drill.screen.base import _text

    assert _text("a\x1b[2Jb\x9b\u202ec\x00").plain == "a\\x1b[2Jb\\x9b\\u202ec\\x00"
    assert _text("tab\tand\nline").plain == "tab\tand\nline"


def test_a_text_repeated_by_aliases_is_refused_before_it_fills_the_memory(tmp_path):
    big = "word " * 2000
    text = SCENARIOS.replace("question: Which one?", f"question: &big {big}", 1)
    text += "".join(
        SCENARIOS.split("\n", 1)[1]
        .replace("q-001", f"q-{n:03d}")
        .replace("question: Which one?", "question: *big")
        for n in range(2, 50)
    )
    folder = write_deck(tmp_path, PRINCIPLES, text)
    result = invoke(["validate", folder])
    assert result.exit_code == 1
    assert f"{folder / 'scenarios.yaml'}:4: this part is repeated elsewhere with an alias" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("breaker", "words"),
    [("\u2028", "U+2028"), ("\u2029", "U+2029"), ("\x85", "U+0085"), ("\r", "CR alone")],
)
def test_odd_line_breaks_are_named_at_the_line_an_editor_shows(tmp_path, breaker, words):
    text = SCENARIOS.replace("Which one?", f"Which{breaker}one?", 1)
    folder = write_deck(tmp_path, PRINCIPLES, text)
    line = text[: text.index(breaker)].count("\n") + 1
    result = invoke(["validate", folder])
    assert result.exit_code == 1
    assert f"{folder / 'scenarios.yaml'}:{line}: " in result.stdout
    assert words in result.stdout
