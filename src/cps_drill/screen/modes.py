"""How a session meets the person: three choices that used to be one flag.

- input:  single named keys from a terminal, or one answer a line from a pipe or a file;
- screen: live (a countdown rewritten in place, screens redrawn after a resize or Ctrl-Z), or
          plain and linear (for pipes, TERM=dumb and screen readers: no cursor movement, the
          time left said in words at a few moments);
- timer:  whether a countdown runs at all (never when answers come from a pipe).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from cps_drill.screen.keys import is_terminal

KEYS, LINES = "keys", "lines"
LIVE, PLAIN = "live", "plain"
# TERM names a terminal that cannot move the cursor. On Windows TERM is usually not set at all,
# and its consoles draw fine; elsewhere a missing TERM is a terminal of unknown powers.
DUMB_TERMINALS = {"dumb", "unknown"} | (set() if sys.platform == "win32" else {""})


def dumb_terminal() -> bool:
    return os.environ.get("TERM", "").strip().lower() in DUMB_TERMINALS


@dataclass(frozen=True)
class Mode:
    input: str  # KEYS or LINES
    screen: str  # LIVE or PLAIN
    timer: bool

    @property
    def keys(self) -> bool:
        return self.input == KEYS

    @property
    def live(self) -> bool:
        return self.screen == LIVE


def detect(time_limit: float, plain: bool = False) -> Mode:
    """The mode for this run: from the terminal, TERM, and what the user asked for."""
    terminal = is_terminal()
    dumb = dumb_terminal()
    live = terminal and not plain and not dumb
    return Mode(
        input=KEYS if terminal else LINES,
        screen=LIVE if live else PLAIN,
        timer=terminal and time_limit > 0,
    )
