from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DECKS = Path(__file__).parent / "decks"
MINI = DECKS / "mini"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own progress folder, no forced colour and a fixed width."""
    for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "NO_COLOR", "CPS_DRILL_CONTENT"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("CPS_DRILL_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm")
    return home


@pytest.fixture
def home(isolated) -> Path:
    return isolated


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable copy of the small test deck."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder
