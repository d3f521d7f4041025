"""Reading answers: named keys from a terminal (termios on POSIX, msvcrt on Windows), or one
line at a time from a pipe. Both give words: a key's character ("a", "3", "?") or its name
("enter", "esc", "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
"backspace", "tab", "delete"); a line's text.

Platform modules are imported behind a guard so that this module imports everywhere. A
library such as blessed reads named keys too, but importing it costs about 115 ms, more than
half of a command's whole start: the few sequences a drill needs are read here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from typing import Any

WINDOWS = sys.platform == "win32"
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import select
    import termios
    import tty

ENTER, ESC, UP, DOWN, LEFT, RIGHT = "enter", "esc", "up", "down", "left", "right"
PAGEUP, PAGEDOWN, HOME, END = "pageup", "pagedown", "home", "end"
BACKSPACE, TAB, DELETE, UNKNOWN = "backspace", "tab", "delete", "unknown"
ESC_WAIT = 0.05  # seconds: the rest of a special key's sequence follows within this
WAKE = 0.2  # seconds: how soon a wait for a key notices a resize

# The tail of an escape sequence (after ESC [ or ESC O, parameters stripped) and its name.
_FINAL = {"A": UP, "B": DOWN, "C": RIGHT, "D": LEFT, "H": HOME, "F": END}
_TILDE = {"1": HOME, "7": HOME, "4": END, "8": END, "5": PAGEUP, "6": PAGEDOWN, "3": DELETE}
_CONTROL = {"\r": ENTER, "\n": ENTER, "\t": TAB, "\x7f": BACKSPACE, "\x08": BACKSPACE}
_WINDOWS = {"H": UP, "P": DOWN, "K": LEFT, "M": RIGHT, "I": PAGEUP, "Q": PAGEDOWN, "G": HOME}
_WINDOWS.update({"O": END, "S": DELETE})


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: stop, restoring the terminal on the way out."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)


def stdin_is_closed() -> bool:
    """Started with standard input closed (`<&-`): Python then has no sys.stdin at all."""
    return sys.stdin is None or bool(getattr(sys.stdin, "closed", False))


def is_terminal() -> bool:
    """Both ends are a terminal: single keys can be read and a screen drawn."""
    try:
        return bool(sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def decode(data: str) -> tuple[str, str]:
    """The first key in `data` as a word, and what is left over."""
    first = data[0]
    if first != "\x1b":
        return _CONTROL.get(first, first), data[1:]
    if len(data) == 1:
        return ESC, ""
    if data[1] not in "[O":
        return ESC, data[1:]  # Esc, then another key
    end = 2
    while end < len(data) and (data[end].isdigit() or data[end] == ";"):
        end += 1
    if end >= len(data):
        return UNKNOWN, ""
    final, params = data[end], data[2:end].split(";")[0]
    rest = data[end + 1 :]
    if final == "~":
        return _TILDE.get(params, UNKNOWN), rest
    return _FINAL.get(final, UNKNOWN), rest


class Keys:
    """While open, keys arrive one at a time without Enter and are not echoed.

    Ctrl-C still raises KeyboardInterrupt (cbreak mode keeps the terminal's signals); SIGTERM
    and SIGHUP raise Terminated, so that the terminal is restored whatever stops the program.
    `continued` is set when the program continues after Ctrl-Z, `resized` when the window
    changes size: the screen is then drawn again.
    """

    def __init__(self) -> None:
        self.fd = -1
        self.saved: list | None = None
        self.continued = False
        self.resized = False
        self.pending = ""
        self.handlers: dict[int, Any] = {}

    def __enter__(self) -> Keys:
        self._on_signals()
        if sys.platform != "win32":
            self.fd = sys.stdin.fileno()
            self.saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def _on_signals(self) -> None:
        wanted = {"SIGTERM": self._terminated, "SIGHUP": self._terminated}
        if not WINDOWS:
            # After Ctrl-Z and fg the shell hands the terminal back in line mode: take single
            # keys again when the program continues.
            wanted.update(SIGCONT=self._continued, SIGWINCH=self._resized)
        for name, handler in wanted.items():
            signum = getattr(signal, name, None)
            if signum is not None:
                self.handlers[signum] = signal.signal(signum, handler)

    def _terminated(self, signum, frame) -> None:
        raise Terminated(signum)

    def _continued(self, signum, frame) -> None:
        self.continued = True
        if sys.platform != "win32":
            with contextlib.suppress(termios.error, OSError):
                tty.setcbreak(self.fd)

    def _resized(self, signum, frame) -> None:
        self.resized = True

    def __exit__(self, *exc) -> None:
        if sys.platform != "win32" and self.saved is not None:
            with contextlib.suppress(termios.error, OSError):  # the terminal may be gone
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
        for signum, handler in self.handlers.items():
            signal.signal(signum, handler)

    def flush(self) -> None:
        """Drop keys typed ahead, so that a key meant for one screen cannot act on the next."""
        self.pending = ""
        if sys.platform == "win32":  # pragma: no cover - Windows
            while msvcrt.kbhit():
                msvcrt.getwch()
        else:
            with contextlib.suppress(termios.error, OSError):
                termios.tcflush(self.fd, termios.TCIFLUSH)

    def read(self, timeout: float | None) -> str | None:
        """One key as a word, or None when `timeout` seconds pass first (None waits for a key).
        A resize or a return from Ctrl-Z also ends the wait with None, within WAKE seconds, so
        that the screen can be drawn again. Raises EOFError when the terminal has gone away."""
        if sys.platform == "win32":  # pragma: no cover - Windows
            return _read_windows(timeout)
        if not self.pending:
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                step = WAKE if deadline is None else min(WAKE, deadline - time.monotonic())
                try:
                    ready, _, _ = select.select([self.fd], [], [], max(0.0, step))
                except InterruptedError:
                    return None
                if ready:
                    break
                if self.resized or self.continued:
                    return None
                if deadline is not None and time.monotonic() >= deadline:
                    return None
            self.pending = self._take()
            # A special key on a slow link: the rest of its sequence follows a moment later.
            while _unfinished(self.pending) and select.select([self.fd], [], [], ESC_WAIT)[0]:
                self.pending += self._take()
        key, self.pending = decode(self.pending)
        return key

    def _take(self) -> str:
        try:
            data = os.read(self.fd, 64)
        except OSError:
            raise EOFError from None  # the terminal went away
        if not data:
            raise EOFError
        return data.decode("utf-8", "replace")


def _unfinished(data: str) -> bool:
    """An escape sequence whose end has not arrived yet."""
    start = data.rfind("\x1b")
    if start < 0:
        return False
    tail = data[start + 1 :]
    if not tail:
        return True
    return tail[0] in "[O" and not any(c.isalpha() or c == "~" for c in tail[1:])


class Lines:
    """Answers one a line from a pipe or a file; the end of input raises EOFError. A line
    longer than LINE_LIMIT is read in parts (each is then no answer), and bytes that are not
    text in the input's encoding are read as a replacement character."""

    continued = resized = False
    LINE_LIMIT = 4096

    def __enter__(self) -> Lines:
        stream = sys.stdin
        if stream is not None and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")
        return self

    def __exit__(self, *exc) -> None:
        pass

    def flush(self) -> None:
        pass

    def read(self, timeout: float | None) -> str | None:
        line = sys.stdin.readline(self.LINE_LIMIT) if sys.stdin else ""
        if not line:
            raise EOFError
        return line.strip()


if sys.platform == "win32":  # pragma: no cover - Windows

    def _read_windows(timeout: float | None) -> str | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if msvcrt.kbhit():
                key = msvcrt.getwch()
                # A special key comes as a prefix and a code, at once. "\xe0" alone is a letter
                # (à on a French keyboard), so it is a prefix only when a code follows.
                if key == "\x00" or (key == "\xe0" and msvcrt.kbhit()):
                    return _WINDOWS.get(msvcrt.getwch(), UNKNOWN)
                if key == "\x03":
                    raise KeyboardInterrupt
                if key == "\x1b":
                    return ESC
                return _CONTROL.get(key, key)
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.02)
