"""Tab completion, driven as a shell drives it: the real entry point run with Typer's
completion variables (`_CPS_DRILL_COMPLETE=complete_bash` with COMP_WORDS and COMP_CWORD, or
zsh's `_TYPER_COMPLETE_ARGS`), and once through a real bash with the script it installs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cps_drill.deck.load import bundled_folder, load_principles
from tests.conftest import MINI

PROGRAM = Path(sys.executable).with_name("cps-drill")
BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None or os.name != "posix", reason="needs bash")
BUNDLED_IDS = list(load_principles(bundled_folder()).principles)


def run(args=(), extra_env=None, **kw) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COMP_", "_TYPER_", "_CPS_DRILL_COMPLETE"))
    }
    env.update(extra_env or {})
    return subprocess.run(
        [str(PROGRAM), *args], env=env, capture_output=True, text=True, timeout=30, **kw
    )


def bash_complete(line: str, extra_env=None, **kw) -> list[str]:
    """What bash offers at the end of `line` (a trailing space: a new, empty word)."""
    words = line.split(" ")
    result = run(
        extra_env={
            "_CPS_DRILL_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            **(extra_env or {}),
        },
        **kw,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing on the screen, traceback or other
    return result.stdout.split()


def test_the_entry_point_exists():
    assert PROGRAM.exists(), f"install the project first: no {PROGRAM}"


def test_review_completes_a_principle_id():
    assert bash_complete("cps-drill review conf") == ["confidentiality"]


@pytest.mark.parametrize("option", ["-p", "--principle"])
def test_quiz_principle_option_completes(option):
    assert bash_complete(f"cps-drill quiz {option} b") == ["boundaries"]


@pytest.mark.parametrize(
    ("bundled", "own"),
    [
        ("read conf", "read --content {mini} r"),
        ("export anki cps.apkg -p conf", "export anki --content {mini} cps.apkg -p r"),
        ("export csv cps.csv --principle conf", "export csv cps.csv --content {mini} -p r"),
    ],
)
def test_read_and_export_complete_a_principle(bundled, own):
    assert bash_complete(f"cps-drill {bundled}") == ["confidentiality"]
    assert bash_complete(f"cps-drill {own.format(mini=MINI)}") == ["respect"]


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_principle_parameter_completes_the_ids():
    """A command added later with a principle argument or option completes it too."""
    import typer.main

    from cps_drill.cli import app

    found = []
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if param.name == "principle":
                ctx = command.make_context(" ".join(path), [], resilient_parsing=True)
                values = [item.value for item in param.shell_complete(ctx, "conf")]
                assert values == ["confidentiality"], " ".join(path)
                found.append(" ".join(path))
    assert {"quiz", "review"} <= set(found)


def test_every_id_of_the_bundled_deck_in_its_order():
    assert len(BUNDLED_IDS) > 10
    assert bash_complete("cps-drill quiz -p ") == BUNDLED_IDS
    assert bash_complete("cps-drill review ") == BUNDLED_IDS


def test_a_principle_already_given_is_not_offered_again():
    offered = bash_complete("cps-drill quiz -p boundaries -n 5 -p ")
    assert "boundaries" not in offered
    assert offered == [pid for pid in BUNDLED_IDS if pid != "boundaries"]


def test_the_content_options_deck_is_the_one_completed():
    offered = bash_complete(f"cps-drill review --content {MINI} ")
    assert offered == ["confidentiality", "respect"]
    assert bash_complete(f"cps-drill quiz --content {MINI} -p r") == ["respect"]
    assert bash_complete(f"cps-drill quiz --content {MINI} -p b") == []  # bundled only


def test_the_content_variable_and_a_home_folder_path(tmp_path):
    assert bash_complete("cps-drill review ", {"CPS_DRILL_CONTENT": str(MINI)}) == [
        "confidentiality",
        "respect",
    ]
    shutil.copytree(MINI, tmp_path / "decks" / "week3")
    offered = bash_complete("cps-drill quiz --content ~/decks/week3 -p ", {"HOME": str(tmp_path)})
    assert offered == ["confidentiality", "respect"]
    relative = bash_complete("cps-drill review --content decks/week3 c", cwd=tmp_path)
    assert relative == ["confidentiality"]


@pytest.mark.parametrize(
    "principles_yaml",
    [
        None,  # no such folder
        "principles: [\n",  # not YAML
        "principles:\n  - id: Not An Id\n",  # YAML, but not a deck
        b"\xff\xfe\x00principles",  # not text
    ],
)
def test_a_deck_that_cannot_be_read_offers_nothing_and_prints_nothing(tmp_path, principles_yaml):
    deck = tmp_path / "deck"
    if principles_yaml is not None:
        deck.mkdir()
        data = principles_yaml if isinstance(principles_yaml, bytes) else principles_yaml.encode()
        (deck / "principles.yaml").write_bytes(data)
    assert bash_complete(f"cps-drill review --content {deck} ") == []  # stderr checked inside
    assert bash_complete(f"cps-drill quiz --content {deck} -p c") == []


def test_zsh_shows_each_principles_name():
    result = run(
        extra_env={
            "_CPS_DRILL_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": f"cps-drill review --content {MINI} ",
        }
    )
    assert result.returncode == 0 and result.stderr == ""
    assert '"confidentiality":"Confidentiality"' in result.stdout
    assert '"respect":"Respect"' in result.stdout


def test_completing_after_version_does_not_print_the_version():
    offered = bash_complete("cps-drill --version ")
    assert "quiz" in offered and "review" in offered
    assert not any("0." in word or word == "cps-drill" for word in offered)
    assert run(["--version"]).stdout.startswith("cps-drill ")


def test_the_completion_code_is_not_loaded_by_a_plain_start():
    code = (
        "import sys, contextlib, io\n"
        "from cps_drill.cli import app\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    app(['--help'])\n"
        "print('cps_drill.commands.complete' in sys.modules, 'cps_drill.deck.load' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"], result.stderr


def test_help_lists_the_completion_options():
    result = run(["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_show_completion_for_a_named_shell():
    # Typer takes a shell's name only with its shell detection off (its own tests do the same).
    no_detection = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    bash = run(["--show-completion", "bash"], no_detection)
    assert bash.returncode == 0, bash.stderr
    assert "complete -o default -F _cps_drill_completion cps-drill" in bash.stdout
    assert "_CPS_DRILL_COMPLETE=complete_bash" in bash.stdout
    zsh = run(["--show-completion", "zsh"], no_detection)
    assert zsh.returncode == 0, zsh.stderr
    assert "compdef _cps_drill_completion cps-drill" in zsh.stdout


@needs_bash
def test_a_real_bash_completes_with_the_script_shown(tmp_path):
    """From bash, `cps-drill --show-completion bash` prints the script for bash; sourced, Tab
    after `review conf` and `quiz -p b` offers the ids."""
    script = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", '"$0" --show-completion bash; exit $?', PROGRAM],
        capture_output=True,
        text=True,
        timeout=30,
        env={k: v for k, v in os.environ.items() if not k.startswith("_TYPER_")},
    )
    assert script.returncode == 0, script.stderr
    assert "complete -o default -F _cps_drill_completion cps-drill" in script.stdout
    (tmp_path / "completion.sh").write_text(script.stdout)
    session = (
        'source "$1"\n'
        "COMP_WORDS=(cps-drill review conf); COMP_CWORD=2; _cps_drill_completion cps-drill\n"
        'echo "review: ${COMPREPLY[*]}"\n'
        "COMP_WORDS=(cps-drill quiz -p b); COMP_CWORD=3; _cps_drill_completion cps-drill\n"
        'echo "quiz: ${COMPREPLY[*]}"\n'
    )
    env = {**os.environ, "PATH": f"{PROGRAM.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    shell = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", session, "bash", str(tmp_path / "completion.sh")],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert shell.stderr == ""
    assert shell.stdout.splitlines() == ["review: confidentiality", "quiz: boundaries"]


@needs_bash
def test_install_completion_from_bash(tmp_path):
    result = subprocess.run(
        [BASH, "--norc", "--noprofile", "-c", '"$0" --install-completion; exit $?', PROGRAM],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "bash completion installed in" in result.stdout
    installed = tmp_path / ".bash_completions" / "cps-drill.sh"
    assert "_CPS_DRILL_COMPLETE=complete_bash" in installed.read_text()
    assert f"source '{installed}'" in (tmp_path / ".bashrc").read_text()
