"""A fresh install, the way a candidate makes one: the wheel built from this checkout, installed
with its dependencies from the package index into a new virtual environment, then a quiz run
from another folder. It needs the package index (CI has it) and takes 10 to 40 seconds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cps_drill import __version__

ROOT = Path(__file__).resolve().parents[1]
DECK_FILES = ("principles.yaml", "scenarios.yaml", "glossary.yaml")


def run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=600, **kw)


def outside_env(**extra) -> dict:
    """This environment without what would let the checkout or this venv leak in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CPS_DRILL_CONTENT")
    }
    return {**env, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT))
    assert built.returncode == 0, built.stderr
    (found,) = dist.glob("cps_drill-*.whl")
    return found


def test_the_wheel_carries_the_bundled_deck(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        for name in DECK_FILES:
            packed = archive.read(f"cps_drill/content/{name}")
            assert packed == (ROOT / "content" / name).read_bytes(), name
    assert "cps_drill/cli.py" in names
    assert not [n for n in names if n.startswith("tests/") or n.endswith(".whl")]


def test_a_fresh_install_runs_a_quiz_from_another_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", str(venv))
    assert made.returncode == 0, made.stdout + made.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    installed = run(
        str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel), env=outside_env()
    )
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home = tmp_path / "progress"
    env = outside_env(CPS_DRILL_HOME=str(home))
    where = run(
        str(bindir / "python"),
        "-c",
        "import cps_drill; print(cps_drill.__file__)",
        cwd=elsewhere,
        env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    program = shutil.which("cps-drill", path=str(bindir))
    assert program, f"the wheel installed no cps-drill command in {bindir}"
    quiz = run(program, "quiz", "--count", "2", input="a\nb\n", cwd=elsewhere, env=env)
    shown = quiz.stdout + quiz.stderr
    assert quiz.returncode == 0, shown
    assert "Question 1 of 2" in quiz.stdout and "Question 2 of 2" in quiz.stdout
    assert re.search(r"^  A\. \S", quiz.stdout, re.M) and "Answer (A–" in quiz.stdout
    assert re.search(r"^Score: [0-2] of 2 right", quiz.stdout, re.M), quiz.stdout
    assert f"Progress saved in {home}" in quiz.stdout
    assert "Traceback" not in shown and "Error:" not in shown

    assert (home / "progress.json").is_file()
    answers = [json.loads(line) for line in (home / "answers.jsonl").read_text().splitlines()]
    drilled = [a for a in answers if a["kind"] == "drill"]
    assert len(drilled) == 2
    assert {a["deck"] for a in drilled} == {"ma-cps"}  # the bundled deck, found in the wheel
    assert not list(elsewhere.iterdir())  # nothing written where it was run

    version = run(program, "--version", cwd=elsewhere, env=env)
    assert version.returncode == 0, version.stderr
    assert version.stdout == f"cps-drill {__version__}\n"
