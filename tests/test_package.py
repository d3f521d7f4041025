"""The wheel carries the bundled deck: installed (not editable), it finds it from elsewhere."""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, check=False, **kw)


def test_wheel_ships_the_content(tmp_path):
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "-q",
        "-w",
        str(tmp_path / "dist"),
        str(ROOT),
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("cps_drill-*.whl"))
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", str(venv)).returncode == 0
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    # The new environment borrows this one's packages (typer, rich...) without its cps_drill:
    # a .pth line adds a folder to the path, but the .pth files inside it are not read.
    purelib = run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    here = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib.stdout.strip()) / "borrowed.pth").write_text("\n".join(here) + "\n")
    installed = run(
        str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = run(
        str(python), "-c", "import cps_drill; print(cps_drill.__file__)", cwd=elsewhere, env=env
    )
    assert str(venv) in where.stdout, where.stdout + where.stderr
    result = run(str(bindir / "cps-drill"), "validate", cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "principles" in result.stdout and ": OK" in result.stdout
