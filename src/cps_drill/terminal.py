"""Single keys from the terminal, with a timeout, on POSIX (termios) and Windows (msvcrt).

Platform modules are imported behind a guard so that this module imports everywhere.
"""

from __future__ import annotations

import os
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

    def __enter__(self) -> Keys:
        if termios is not None:
            self.fd = sys.stdin.fileno()
            self.saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc) -> None:
        if termios is not None and self.saved is not None:
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
        data = os.read(self.fd, 32)  # a whole escape sequence (arrow keys) arrives at once
        if not data:
            raise EOFError
        if data.startswith(b"\x1b") and len(data) > 1:
            return ""  # a special key: ignored
        return data[:1].decode("utf-8", "replace")


def _read_windows(timeout: float | None) -> str | None:  # pragma: no cover - Windows
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if msvcrt.kbhit():
            key = msvcrt.getwch()
            if key in ("\x00", "\xe0"):  # a special key: swallow its second half
                msvcrt.getwch()
                return ""
            if key == "\x03":
                raise KeyboardInterrupt
            return key
        if deadline is not None and time.monotonic() >= deadline:
            return None
        time.sleep(0.02)
