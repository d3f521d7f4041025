"""The error boundary: unreadable progress, failed writes, odd homes, help and version."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from tests.helpers import (
    drill,
    invoke,
    progress_path,
)


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "-t", "0"],
        ["review", "conf", "-t", "0"],
        ["stats"],
        ["stats", "--json"],
        ["principles"],
    ],
    ids=lambda a: " ".join(a),
)
def test_unreadable_progress_file_is_one_line_and_left_alone(mini, home, args):
    home.mkdir(parents=True)
    path = progress_path(home)
    broken = b'{"schema": 1, "answers": [\n  oops\n'
    path.write_bytes(broken)

    result = invoke([*args, "--content", mini], input="a\n")

    assert result.exit_code == 1
    assert "Question" not in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: cannot read your progress: it is not valid JSON")
    assert "It has been left exactly as it is." in lines[0]
    assert path.read_bytes() == broken


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\xff\xfe\x00garbage", "it is not text"),
        (b"[1, 2, 3]", "it is not a cps-drill progress file"),
        (b'{"schema": 1}', "its answers are missing or not in the usual form"),
    ],
)
def test_other_unreadable_progress_files(mini, home, content, why):
    home.mkdir(parents=True)
    path = progress_path(home)
    path.write_bytes(content)

    result = drill(mini, input="a\n")

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"{path}: cannot read your progress: {why}." in result.stderr
    assert path.read_bytes() == content


def test_progress_from_a_newer_version_is_left_alone(mini, home):
    home.mkdir(parents=True)
    path = progress_path(home)
    content = b'{"schema": 99, "answers": [], "sessions": []}'
    path.write_bytes(content)

    result = drill(mini, input="a\n")
    assert result.exit_code == 1
    assert "saved by a newer cps-drill" in result.stderr
    assert path.read_bytes() == content


def test_failed_write_keeps_the_previous_file(mini, home, monkeypatch):
    from cps_drill.progress import files

    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    answers = home / "answers.jsonl"
    before = {p.name: p.read_bytes() for p in (progress_path(home), answers)}

    def refuse(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", refuse)
    result = drill(mini, "--count", "2", "--seed", "2", input="a\nb\n")
    monkeypatch.undo()

    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in (progress_path(home), answers)} == before
    assert result.stderr.splitlines()[0] == (
        f"Error: {home}: could not save your progress (the disk is full). "
        "Everything saved before is unchanged; free some space and start again."
    )
    # the answer that could not be saved was never confirmed: no feedback, not in the score
    assert "Right." not in result.stdout and "Not the best answer." not in result.stdout
    assert "No questions answered" in result.stdout
    assert not list(home.glob(".*.tmp"))  # no temp file left behind


def test_failed_write_of_the_first_answer_creates_no_file(mini, home, monkeypatch):
    from cps_drill.progress import files

    def refuse(src, dst):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "replace", refuse)
    result = drill(mini, "--count", "1", "--seed", "1", input="a\n")
    monkeypatch.undo()

    assert result.exit_code == 1
    assert "could not save your progress (Permission denied)" in result.stderr
    assert not progress_path(home).exists()
    assert not (home / "answers.jsonl").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "--principle", "nope"],
        ["quiz", "--count", "0"],
        ["quiz", "--count", "many"],
        ["quiz", "--time-limit", "-1"],
        ["review"],
        ["review", "nope"],
        ["drill"],
        ["stats", "--jsn"],
        ["validate", "nowhere"],
        ["quiz", "--content", "nowhere"],
        ["principles", "--content", "nowhere"],
    ],
    ids=lambda a: " ".join(a),
)
def test_user_mistakes_never_show_a_traceback(mini, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    if "--content" not in args and args[0] != "validate":
        args = [*args, "--content", str(mini)]
    result = invoke(args, input="a\n")
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert result.output.strip()  # something was said


def test_no_arguments_shows_help():
    result = invoke([])
    assert result.exit_code in (0, 2)
    for command in ("quiz", "review", "principles", "stats", "validate"):
        assert command in result.output


def test_help_for_each_command():
    for command in ("quiz", "review", "principles", "stats", "validate"):
        result = invoke([command, "--help"])
        assert result.exit_code == 0
        assert "--content" in result.output or command == "validate"


def test_unusable_home_is_one_line(mini, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("CPS_DRILL_HOME", str(not_a_folder))

    result = drill(mini, "--count", "1", "--seed", "1", input="a\n")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {not_a_folder}: this is a file, not a folder.")
    assert "CPS_DRILL_HOME" in result.stderr
    assert not_a_folder.read_text(encoding="utf-8") == "x"


def test_version():
    from cps_drill import __version__

    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"cps-drill {__version__}\n"


def test_listings_become_lists_in_a_narrow_terminal(mini, home, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    for args in (["principles"], ["stats"]):
        result = invoke([*args, "--content", mini])
        assert result.exit_code == 0
        assert "┃" not in result.stdout  # no table
    listed = invoke(["principles", "--content", mini]).stdout
    assert "\nconfidentiality\n" in listed and "\nrespect\n" in listed  # ids whole


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_progress_folder_is_private(mini, home):
    drill(mini, "--count", "1", "--seed", "1", input="a\n")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
