"""Principles: the list, question counts and accuracy."""

from __future__ import annotations

from tests.helpers import (
    invoke,
    table_row,
    write_progress,
)


def test_principles_before_any_answer(mini):
    result = invoke(["principles", "--content", mini])

    assert result.exit_code == 0
    assert table_row(result.stdout, "confidentiality") == [
        "confidentiality",
        "Confidentiality",
        "3",
        "not tried yet",
    ]
    assert table_row(result.stdout, "respect") == ["respect", "Respect", "3", "not tried yet"]
    assert "Study one with: cps-drill review ID (the start of an id is enough)" in result.stdout


def test_principles_show_accuracy(mini, home):
    write_progress(
        home,
        [
            ("conf-001", "confidentiality", "right"),
            ("conf-002", "confidentiality", "wrong"),
            ("conf-002", "confidentiality", "right"),
        ],
        deck=mini,
    )
    result = invoke(["principles", "--content", mini])

    assert result.exit_code == 0
    assert table_row(result.stdout, "confidentiality")[3] == "67% of 3"
    assert table_row(result.stdout, "respect")[3] == "not tried yet"
