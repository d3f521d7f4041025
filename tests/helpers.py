"""Shared helpers for driving cps-drill through Typer's CliRunner.

CliRunner's stdin is not a terminal, so drills run in line mode: one answer a line, and the
end of input ends the session. The real terminal (single keys, the countdown) is covered in
tests/screen/test_terminal.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from cps_drill.cli import app
from cps_drill.deck.load import load_deck
from cps_drill.progress.derived import deck_view
from cps_drill.progress.store import Store

runner = CliRunner()

ANSWER_KEYS = {
    "kind",
    "deck",
    "seq",
    "question",
    "principle",
    "chosen",
    "correct",
    "outcome",
    "seconds",
    "at",
    "session",
    "command",
    "fingerprint",
    "memory",
}
HEADER = re.compile(r"Question (\d+) of (\d+) · (.+?)( · again \(missed earlier\))?(?: ─|$)")
OPTION = re.compile(r"^  ([A-F])\. (.*)$")
PROBLEM = re.compile(r"^(?P<file>.+\.yaml):(?P<line>\d+): (?P<message>.+)$")


# -- helpers -------------------------------------------------------------------------------


def invoke(args, input=None, env=None):
    """Run the CLI; a Python exception escaping the program is always a test failure."""
    result = runner.invoke(app, [str(a) for a in args], input=input, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"cps-drill raised {result.exception!r}\n--- output ---\n{result.output}"
        ) from result.exception
    assert "Traceback" not in result.output
    return result


def drill(mini, *extra, input="", command="quiz"):
    args = [*command.split(), "--time-limit", "0", "--content", mini, *extra]
    return invoke(args, input=input)


def progress_path(home: Path) -> Path:
    return home / "progress.json"


def read_progress(home: Path) -> dict:
    """The progress as cps-drill reads it: answers from the log, sessions derived (of every
    deck, oldest first)."""
    store = Store(home).open()
    derived = store.derived()
    sessions = [s for deck in derived["decks"] for s in deck_view(derived, deck)["sessions"]]
    return {"answers": store.answers(), "sessions": sorted(sessions, key=lambda s: s["started"])}


def deck_id(folder: Path) -> str:
    return load_deck(folder).id


def questions_shown(output: str) -> list[dict]:
    """Each question block in order: its header fields and its options by letter."""
    blocks: list[dict] = []
    reading = False
    for line in output.splitlines():
        header = HEADER.search(line)
        if header:
            blocks.append(
                {
                    "position": int(header[1]),
                    "total": int(header[2]),
                    "principle": header[3],
                    "again": bool(header[4]),
                    "options": {},
                }
            )
            reading = True
        elif line.startswith("Answer ("):
            reading = False
        elif reading and (option := OPTION.match(line)):
            blocks[-1]["options"][option[1]] = option[2]
    return blocks


def letter_of(block: dict, text: str) -> str:
    return next(letter for letter, shown in block["options"].items() if shown == text)


def question_with_text(mini: Path, block: dict):
    """The deck question whose options are the ones shown in block."""
    shown = set(block["options"].values())
    return next(q for q in load_deck(mini).questions if {o.text for o in q.options} == shown)


def write_progress(home: Path, answers: list[tuple[str, str, str]], deck: Path | None = None):
    """Progress with answers given as (question, principle, outcome): a format-1 file (whose
    history belongs to the bundled deck), or with `deck`, a format-3 log of that deck."""
    home.mkdir(parents=True, exist_ok=True)
    if deck is not None:
        return _write_log(home, answers, deck_id(deck))
    data = {
        "schema": 1,
        "answers": [
            {
                "question": q,
                "principle": p,
                "chosen": 0 if outcome == "right" else 1,
                "correct": 0,
                "outcome": outcome,
                "seconds": 4.5,
                "at": "2025-01-02T03:04:05+00:00",
                "session": "s1",
            }
            for q, p, outcome in answers
        ],
        "sessions": [
            {
                "id": "s1",
                "command": "quiz",
                "started": "2025-01-02T03:00:00+00:00",
                "ended": "2025-01-02T03:04:05+00:00",
                "answered": len(answers),
                "right": sum(outcome == "right" for _, _, outcome in answers),
            }
        ],
    }
    path = progress_path(home)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _write_log(home: Path, answers, deck: str) -> Path:
    from cps_drill.progress import records

    lines = [
        records.answer(
            kind=records.DRILL,
            deck=deck,
            question=q,
            principle=p,
            chosen=0 if outcome == "right" else 1,
            correct=0,
            outcome=outcome,
            seconds=4.5,
            session="s1",
            seq=n,
            command="quiz",
            fingerprint="",
            at="2025-01-02T03:04:05+00:00",
        )
        for n, (q, p, outcome) in enumerate(answers, 1)
    ]
    (home / "answers.jsonl").write_bytes(records.encode(lines))
    Store(home).write_state("2025-01-02T03:00:00+00:00")
    return home / "answers.jsonl"


def break_deck(mini: Path, file: str, old: str, new: str) -> int:
    """Replace the first `old` in a deck file; return the 1-based line it was on."""
    path = mini / file
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, at) + 1


def table_row(output: str, first_cell: str) -> list[str]:
    for line in output.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line)]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row for {first_cell!r} in:\n{output}")
