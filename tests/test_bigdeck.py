"""A large deck checked in two parts gives exactly what checking it in one piece gives."""

from __future__ import annotations

import shutil
import sys

import pytest

from cps_drill import bigdeck
from cps_drill.content import bundled_folder, load_deck
from cps_drill.errors import ContentProblems

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the two-part check is Linux-only")


def both_ways(folder, monkeypatch):
    """The deck (or its problems) checked in two parts, then in one piece."""
    results = []
    for worth_it in (0, 10**12):
        monkeypatch.setattr(bigdeck, "WORTH_IT", worth_it)
        try:
            deck = load_deck(folder)
            results.append(("deck", deck.questions))
        except ContentProblems as exc:
            results.append(("problems", [str(p) for p in exc.problems]))
    return results


def test_the_bundled_deck_in_two_parts(monkeypatch):
    calls = []
    real = bigdeck._check
    monkeypatch.setattr(bigdeck, "_check", lambda *a: calls.append(1) or real(*a))
    two, one = both_ways(bundled_folder(), monkeypatch)
    assert calls, "the two-part check did not run"
    assert two == one and two[0] == "deck" and len(two[1]) > 200


def test_problems_in_both_parts_and_ids_used_twice_across_them(tmp_path, monkeypatch):
    folder = tmp_path / "deck"
    shutil.copytree(bundled_folder(), folder)
    path = folder / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    first_id = text[text.index("  - id: ") + 8 : text.index("\n", text.index("  - id: "))]
    text = text.replace("    principle: respect\n", "    principle: respekt\n", 1)
    late = text.rindex("  - id: ", 0, text.rindex("  - id: "))  # the one before the last
    text = text[:late] + text[late:].replace("    question:", "    qustion:", 1)
    last = text.rindex("  - id: ")
    text = text[:last] + f"  - id: {first_id}\n" + text[text.index("\n", last) + 1 :]
    path.write_text(text, encoding="utf-8")
    two, one = both_ways(folder, monkeypatch)
    assert two == one
    kind, problems = two
    assert kind == "problems"
    assert any("unknown principle 'respekt'" in p for p in problems)
    assert any("unknown key 'qustion'" in p for p in problems)
    assert any(f"question id '{first_id}' is used twice" in p for p in problems)


def test_a_file_without_a_plain_scenarios_list_is_checked_in_one_piece():
    assert bigdeck._cut("scenarios: []\n") is None
    assert bigdeck._cut("other:\n  - a\n") is None
    text = "scenarios:\n" + "".join(f"  - id: q{n}\n    x: y\n" for n in range(10))
    cut = bigdeck._cut(text)
    assert text[cut:].startswith("  - id: q")


def test_another_key_after_the_list_means_one_piece(tmp_path, monkeypatch):
    folder = tmp_path / "deck"
    shutil.copytree(bundled_folder(), folder)
    path = folder / "scenarios.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    principle: respect\n", "    principle: respekt\n", 1
    )
    path.write_text(text + "extra: 1\n", encoding="utf-8")
    two, one = both_ways(folder, monkeypatch)
    assert two == one
