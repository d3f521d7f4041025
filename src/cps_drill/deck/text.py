"""Deck text is data: characters that would steer a terminal are found here and never passed on.

A deck could hold escape sequences (clear the screen, set the window title, write to the
clipboard, query the terminal), C1 control characters, NUL, or right-to-left overrides that make
text read differently from what it holds. `validate` refuses them with FILE:LINE, and the screen
shows any that reach it (a file name, say) as visible escapes.
"""

from __future__ import annotations

import re

# C0 controls but tab and line break, DEL, C1 controls, bidirectional embeddings, overrides,
# isolates and marks, and lone surrogates (a file name that was not UTF-8).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def unsafe_characters(text: str) -> list[str]:
    """The unsafe characters in `text`, each named as a visible escape, first seen first."""
    return list(dict.fromkeys(_visible(m) for m in UNSAFE.finditer(text)))


def visible(text: str) -> str:
    """`text` with every unsafe character shown as an escape such as \\x1b."""
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(_visible, text)


def _visible(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
