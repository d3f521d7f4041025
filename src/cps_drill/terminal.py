"""Single keys from the terminal, with a timeout, on POSIX (termios) and Windows (msvcrt).

Platform modules are imported behind a guard so that this module imports everywhere.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    termios = tty = select = None
else:
    import select
    import termios
    import tty

    msvcrt = None


def is_interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class Keys:
    """While open, keys arrive one at a time without Enter and are not echoed.

    Ctrl-C still raises KeyboardInterrupt: cbreak mode keeps the terminal's signals.
    """

    def __init__(self) -> None:
        self.fd: int | None = None
        self.saved = None
        self.continued = False  # set when the program continues after Ctrl-Z

    def __enter__(self) -> Keys:
        if termios is not None:
            self.fd = sys.stdin.fileno()
            self.saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
            # After Ctrl-Z and fg the shell hands the terminal back in line mode: take single
            # keys again when the program continues.
            self.on_continue = signal.signal(signal.SIGCONT, self._continued)
        return self

    def _continued(self, signum, frame) -> None:
        self.continued = True
        with contextlib.suppress(termios.error, OSError):
            tty.setcbreak(self.fd)

    def __exit__(self, *exc) -> None:
        if termios is not None and self.saved is not None:
            signal.signal(signal.SIGCONT, self.on_continue)
            with contextlib.suppress(termios.error, OSError):  # the terminal may be gone
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def flush(self) -> None:
        """Drop keys typed ahead, so a held key cannot answer the next question."""
        if termios is not None:
            termios.tcflush(self.fd, termios.TCIFLUSH)
        else:  # pragma: no cover - Windows
            while msvcrt.kbhit():
                msvcrt.getwch()

    def read(self, timeout: float | None) -> str | None:
        """One key, or None when `timeout` seconds pass first (None waits forever)."""
        if msvcrt is not None:  # pragma: no cover - Windows
            return _read_windows(timeout)
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        try:
            data = os.read(self.fd, 32)  # an escape sequence (arrow keys) usually comes whole
        except OSError:
            raise EOFError from None  # the terminal went away
        if not data:
            raise EOFError
        if data.startswith(b"\x1b"):
            # A special key. On a slow link the rest of its sequence may follow a moment
            # later: swallow that too, so that the "A" of an arrow key does not answer.
            while select.select([self.fd], [], [], 0.05)[0]:
                if not os.read(self.fd, 32):
                    break
            return ""
        return data[:1].decode("utf-8", "replace")


def _read_windows(timeout: float | None) -> str | None:  # pragma: no cover - Windows
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if msvcrt.kbhit():
            key = msvcrt.getwch()
            # A special key comes as a prefix and a code, at once. "\xe0" alone is a letter
            # (à on a French keyboard), so it is a prefix only when a code follows.
            if key == "\x00" or (key == "\xe0" and msvcrt.kbhit()):
                msvcrt.getwch()
                return ""
            if key == "\x03":
                raise KeyboardInterrupt
            return key
        if deadline is not None and time.monotonic() >= deadline:
            return None
        time.sleep(0.02)
