"""The checked-deck cache: used until the deck changes, never trusted blindly, never pickle."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from cps_drill.cli import app
from cps_drill.deck import cache
from cps_drill.errors import ContentProblems
from tests.deck.test_load import PRINCIPLES, SCENARIOS, write_deck


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def cached(folder, cache_dir):
    return cache.load(folder, cache_dir)


def test_the_deck_cache_is_used_until_the_deck_changes(tmp_path, monkeypatch):
    folder = write_deck(tmp_path / "deck")
    cache_dir = tmp_path / "cache"
    first = cached(folder, cache_dir)
    assert not cache_dir.exists()  # written at the end of the command, not before
    cache.save(write)
    assert len(list(cache_dir.glob("deck-*.json"))) == 1

    def never(folder):
        raise AssertionError("the deck was checked again instead of read from the cache")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "load_deck", never)
        assert cached(folder, cache_dir) == first  # really read from the cache
    scenarios = folder / "scenarios.yaml"
    scenarios.write_text(SCENARIOS.replace("Which one?", "Which one now?"))
    assert cached(folder, cache_dir).questions[0].question == "Which one now?"
    scenarios.write_text(SCENARIOS.replace("question:", "qustion:"))
    with pytest.raises(ContentProblems):
        cached(folder, cache_dir)  # a broken deck is never served from the cache


def test_a_second_run_of_a_command_reads_the_cache(mini, home, monkeypatch):
    runner = CliRunner()
    assert runner.invoke(app, ["principles", "--content", str(mini)]).exit_code == 0
    assert len(list((home / "cache").glob("deck-*.json"))) == 1

    def never(folder):
        raise AssertionError("checked again")

    monkeypatch.setattr(cache, "load_deck", never)
    result = runner.invoke(app, ["principles", "--content", str(mini)])
    assert result.exit_code == 0, result.output
    assert "Respect" in result.stdout


def test_a_damaged_cache_is_only_a_miss(tmp_path):
    folder = write_deck(tmp_path / "deck")
    cache_dir = tmp_path / "cache"
    cached(folder, cache_dir)
    cache.save(write)
    (entry,) = cache_dir.glob("deck-*.json")
    for damage in (b"not json", b'{"key": 1}', json.dumps({"key": [], "deck": {}}).encode()):
        entry.write_bytes(damage)
        assert cached(folder, cache_dir).questions[0].id == "q-001"


def test_the_cache_holds_data_that_cannot_run_code(tmp_path):
    folder = write_deck(tmp_path / "deck")
    cache_dir = tmp_path / "cache"
    cached(folder, cache_dir)
    cache.save(write)
    (entry,) = cache_dir.glob("deck-*.json")
    assert json.loads(entry.read_bytes())["deck"]["questions"][0][0] == "q-001"


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_cache_entry_written_by_another_user_is_not_read(tmp_path, monkeypatch):
    folder = write_deck(tmp_path / "deck")
    cache_dir = tmp_path / "cache"
    first = cached(folder, cache_dir)
    cache.save(write)
    (entry,) = cache_dir.glob("deck-*.json")
    os.chown(entry, 12345, 12345)
    seen = []
    real = cache.load_deck
    monkeypatch.setattr(cache, "load_deck", lambda f: seen.append(f) or real(f))
    assert cached(folder, cache_dir) == first
    assert seen == [folder]  # checked afresh: the planted entry was not trusted


def test_the_cache_notices_an_edit_that_keeps_the_size_and_the_time(tmp_path):
    folder = write_deck(tmp_path / "deck")
    cache_dir = tmp_path / "cache"
    cached(folder, cache_dir)
    cache.save(write)
    path = folder / "principles.yaml"
    times = (path.stat().st_atime_ns, path.stat().st_mtime_ns)
    path.write_text(PRINCIPLES.replace("name: Respect", "name: RESPECT"))
    os.utime(path, ns=times)  # as cp -p or an unzip would leave it
    assert cached(folder, cache_dir).principles["respect"].name == "RESPECT"
