"""Restore: recovering every answer that can still be read."""

from __future__ import annotations

import json

from tests.helpers import (
    drill,
    invoke,
)


def test_restore_recovers_every_answer_that_can_be_read(mini, home):
    drill(mini, "--count", "2", "--seed", "1", input="a\na\n")
    drill(mini, "--count", "1", "--seed", "2", input="b\n")  # the backup is taken at its start
    log = home / "answers.jsonl"
    log.write_bytes(b"garbage\n" + log.read_bytes())

    refused = invoke(["stats", "--content", mini])
    assert refused.exit_code == 1
    assert f"{log}: cannot read your progress: line 1 is damaged." in refused.stderr
    assert "Run 'cps-drill restore' to recover every answer that can still be read." in (
        refused.stderr
    )

    result = invoke(["restore"])
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "Recovered 3 answers: 3 read from the answer file." in out
    assert "1 line of the damaged file could not be read;" in out
    kept = list(home.glob("answers.jsonl.broken-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"garbage\n")
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 3


def test_restore_after_a_damaged_state_file_keeps_every_answer(mini, home):
    drill(mini, "--count", "3", "--seed", "1", input="a\na\na\n")
    (home / "progress.json").write_text("garbage")
    assert invoke(["stats"]).exit_code == 1
    result = invoke(["restore"])
    assert result.exit_code == 0
    assert "Recovered 3 answers: 3 read from the answer file." in result.stdout
    assert json.loads(invoke(["stats", "--json", "--content", mini]).stdout)["answered"] == 3


def test_restore_when_nothing_is_damaged_changes_nothing(mini, home):
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    before = (home / "answers.jsonl").read_bytes()
    result = invoke(["restore"])
    assert result.exit_code == 0
    assert "Nothing is damaged; 1 answer on record." in result.stdout
    assert (home / "answers.jsonl").read_bytes() == before


def test_restore_with_no_answer_to_recover_still_mends_the_folder(home):
    home.mkdir(parents=True)
    (home / "progress.json").write_text("garbage")
    assert invoke(["stats"]).exit_code == 1
    result = invoke(["restore"])
    assert result.exit_code == 0
    assert "No answer could be recovered" in result.stdout
    (kept,) = home.glob("progress.json.broken-*")
    assert kept.read_text() == "garbage"
    assert invoke(["stats"]).exit_code == 0


def test_restore_with_nothing_there_says_so(home):
    result = invoke(["restore"])
    assert result.exit_code == 0
    assert "Nothing is damaged; 0 answers on record." in result.stdout


# -- content edits -------------------------------------------------------------------------
