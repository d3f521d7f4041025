"""Startup is a feature, and the rooms keep their layers: what each import pulls in."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import cps_drill

HEAVY = (
    "yaml",
    "rich",
    "filelock",
    "pydantic",
    "genanki",
    "sqlite3",
    "cps_drill.screen.render",
    "cps_drill.deck.schema",
    "cps_drill.commands.export",
)
CORE = ("deck", "progress", "study")


def _loaded_after(code: str, names) -> list[str]:
    code += f"\nprint(' '.join(m for m in {tuple(names)!r} if m in sys.modules))"
    return subprocess.run(
        [sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, check=True
    ).stdout.split()


def _modules(package: str) -> list[str]:
    path = [f"{cps_drill.__path__[0]}/{package}"]
    return [f"cps_drill.{package}.{m.name}" for m in pkgutil.iter_modules(path)]


def test_importing_the_cli_loads_no_heavy_module():
    assert _loaded_after("import cps_drill.cli", HEAVY) == []


def test_the_core_imports_neither_typer_nor_rich():
    core = [m for package in CORE for m in _modules(package)]
    assert len(core) > 10
    code = "".join(f"import {m}\n" for m in core)
    assert _loaded_after(code, ("typer", "rich", "cps_drill.screen", "cps_drill.commands")) == []


def test_the_progress_store_does_not_import_the_study_session():
    code = "".join(f"import {m}\n" for m in _modules("progress"))
    assert _loaded_after(code, ("cps_drill.study", "cps_drill.screen")) == []


def test_the_real_entry_point_prints_help():
    result = subprocess.run(
        [sys.executable, "-m", "cps_drill", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("quiz", "review", "principles", "stats", "validate", "restore", "export"):
        assert command in result.stdout


def test_fsrs_is_imported_only_where_a_review_is_scheduled(tmp_path):
    """stats, plan and the start of a quiz read memory states without the fsrs package."""
    code = (
        "import sys, os, contextlib, io\n"
        f"os.environ['CPS_DRILL_HOME'] = {str(tmp_path)!r}\n"
        "from cps_drill.cli import app\n"
        "for args in (['stats'], ['plan'], ['principles']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        app(args)\n"
    )
    assert _loaded_after(code, ("fsrs",)) == []
