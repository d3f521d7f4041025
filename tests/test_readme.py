"""The README's example deck is valid, and CI runs exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from cps_drill.deck.load import load_deck
from cps_drill.deck.quality import measure

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_example_deck_is_valid_and_no_give_away(tmp_path):
    blocks = re.findall(r"`(principles|scenarios)\.yaml`:\n\n```yaml\n(.*?)```", README, re.S)
    assert [name for name, _ in blocks] == ["principles", "scenarios"]
    for name, text in blocks:
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    deck = load_deck(tmp_path)
    assert len(deck.questions) == 1
    assert measure(deck).longest_correct == 0


def test_ci_runs_the_readme_test_command():
    section = README.split("## Run the tests in one command", 1)[1]
    command = re.search(r"```sh\n(.*?)\n```", section, re.S).group(1).strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()
