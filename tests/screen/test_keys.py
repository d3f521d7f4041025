"""Named keys: what each key or escape sequence reads as, on a real pseudo-terminal too."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from cps_drill.screen import keys
from cps_drill.screen.keys import Keys, decode


@pytest.mark.parametrize(
    ("data", "key", "rest"),
    [
        ("a", "a", ""),
        ("B", "B", ""),
        ("3", "3", ""),
        ("?", "?", ""),
        ("\r", keys.ENTER, ""),
        ("\n", keys.ENTER, ""),
        ("\x7f", keys.BACKSPACE, ""),
        ("\t", keys.TAB, ""),
        ("\x1b", keys.ESC, ""),
        ("\x1b[A", keys.UP, ""),
        ("\x1b[B", keys.DOWN, ""),
        ("\x1b[C", keys.RIGHT, ""),
        ("\x1b[D", keys.LEFT, ""),
        ("\x1bOA", keys.UP, ""),
        ("\x1b[5~", keys.PAGEUP, ""),
        ("\x1b[6~", keys.PAGEDOWN, ""),
        ("\x1b[H", keys.HOME, ""),
        ("\x1b[4~", keys.END, ""),
        ("\x1b[1;5C", keys.RIGHT, ""),  # with Ctrl held
        ("\x1b[Ab", keys.UP, "b"),
        ("ab", "a", "b"),
        ("\x1b[99Z", keys.UNKNOWN, ""),
        ("\x1bx", keys.ESC, "x"),
    ],
)
def test_decode(data, key, rest):
    assert decode(data) == (key, rest)


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
def test_keys_on_a_pseudo_terminal_even_when_a_sequence_arrives_in_pieces():
    import tty

    leader, follower = os.openpty()
    try:
        tty.setcbreak(follower)  # as Keys does on entry
        reader = Keys()
        reader.fd = follower
        os.write(leader, b"\x1b")
        threading.Timer(0.02, os.write, (leader, b"[A")).start()
        assert reader.read(1) == keys.UP  # a slow arrow key is one key
        assert reader.read(0.2) is None  # no stray "A" left to answer with
        os.write(leader, b"\x1b")
        assert reader.read(1) == keys.ESC  # Esc alone, after a short wait
        os.write(leader, b"b\x1b[6~q")
        assert [reader.read(1), reader.read(1), reader.read(1)] == ["b", keys.PAGEDOWN, "q"]
        os.write(leader, b"zz")
        reader.flush()
        assert reader.read(0.1) is None  # typed ahead, then dropped
    finally:
        os.close(leader)
        os.close(follower)
