"""Startup is a feature: loading the CLI imports none of the heavy modules."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("yaml", "rich", "filelock", "pydantic", "cps_drill.render", "cps_drill.schema")


def test_importing_the_cli_loads_no_heavy_module():
    code = f"import sys, cps_drill.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


def test_the_core_imports_neither_typer_nor_rich():
    core = [
        "content",
        "schema",
        "yamlfile",
        "blockyaml",
        "bigdeck",
        "deckcache",
        "session",
        "store",
        "backups",
        "totals",
        "stats",
        "quality",
        "drill",
        "terminal",
    ]
    code = (
        "import sys\n"
        + "".join(f"import cps_drill.{m}\n" for m in core)
        + "print(' '.join(m for m in ('typer', 'rich') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


def test_the_real_entry_point_prints_help():
    result = subprocess.run(
        [sys.executable, "-m", "cps_drill", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("quiz", "review", "principles", "stats", "validate", "restore"):
        assert command in result.stdout
