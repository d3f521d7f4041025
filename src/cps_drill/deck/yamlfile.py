"""Read a YAML file into located nodes, safely.

The file is composed, never constructed: no tag can build a Python object, and an alias
bomb costs nothing because the schema walks the shared nodes without expanding them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from cps_drill.errors import ContentError

TOO_DEEP = "the YAML is nested too deeply here; a deck needs only a few levels"
ODD_BREAK = re.compile("\r(?!\n)|[\u2028\u2029\x85]")
ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s,\[\]{}]+", re.MULTILINE)
MAX_BYTES = 64 * 2**20  # a 10,000-question deck is about 17 MB
# 'It's fine': a single-quoted value with a lone apostrophe inside.
SINGLE_QUOTED_APOSTROPHE = re.compile(r"(?:^|:\s|-\s)\s*'(?:[^']|'')*'[^'\s#,\]}]")


def read_text(path: Path, label: str) -> str:
    """The text of a deck file: only a regular file, only up to MAX_BYTES, only UTF-8.

    A FIFO, a device or a link to one is refused before it is opened, so nothing can hang or
    fill the memory.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ContentError(label, None, "file not found") from None
    except OSError as exc:
        raise ContentError(label, None, f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ContentError(label, None, "is a folder, expected a YAML file")
    if not stat.S_ISREG(info.st_mode):
        raise ContentError(label, None, "is not a regular file; give a YAML file saved on disk")
    if info.st_size > MAX_BYTES:
        raise ContentError(label, None, f"is larger than {MAX_BYTES // 2**20} MB; split the deck")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # replaced since the look
                raise ContentError(label, None, "is not a regular file; give a YAML file")
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError(label, None, f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise ContentError(label, None, f"is larger than {MAX_BYTES // 2**20} MB; split the deck")
    return _decode(data, label)


def compose_text(text: str, label: str):
    """The root node of a YAML text, composed by PyYAML's C loader where it is installed."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if line and _tab_indented(text, line):
            raise ContentError(
                label, line, "a tab is used for indentation; indent with spaces"
            ) from None
        line, message = _explain(exc, line, text)
        raise ContentError(label, line, message) from None
    except yaml.reader.ReaderError:
        bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
        line = text.count("\n", 0, bad.start()) + 1 if bad else None
        code = f" (#x{ord(bad.group()):04x})" if bad else ""
        raise ContentError(
            label, line, f"the file holds a control character{code}; remove it"
        ) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise ContentError(label, None, f"YAML error: {message}") from None
    except RecursionError:
        raise ContentError(label, _deepest_line(text), TOO_DEEP) from None


def _decode(data: bytes, label: str) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        raise ContentError(label, 1, "the file is UTF-16; save it as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            label, line, f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        ) from None
    odd = ODD_BREAK.search(text)
    if odd:
        line = text.count("\n", 0, odd.start()) + 1
        what = (
            "a line break of the old Mac kind (CR alone)"
            if odd.group() == "\r"
            else (f"a Unicode line separator (U+{ord(odd.group()):04X})")
        )
        raise ContentError(
            label, line, f"{what} is here; use ordinary line breaks (save the file with LF)"
        )
    return text


def aliased(text: str, root) -> object | None:
    """The first node that an alias (*name) repeats, or None. Aliases are refused: one
    anchored text repeated many times could fill the memory."""
    if "&" not in text or not ANCHOR.search(text):
        return None
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        value = node.value
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):
                    stack.extend(item)
                else:
                    stack.append(item)
    return None


def _explain(exc, line: int | None, text: str) -> tuple[int | None, str]:
    """PyYAML's words for the common mistakes, said plainly, with what to do."""
    problem = exc.problem or exc.context or "cannot be parsed"
    context = exc.context or ""
    started = exc.context_mark.line + 1 if exc.context_mark else line
    row = _row(text, line)
    if "nesting depth" in problem:
        return line, TOO_DEEP
    if "quoted scalar" in context:
        return started, (
            "a quote opened on this line is never closed; end the text with the same quote "
            "mark, or put text that holds an apostrophe in double quotes"
        )
    if SINGLE_QUOTED_APOSTROPHE.search(row):
        return line, (
            "text in single quotes holds an apostrophe; put the text in double quotes "
            "instead (\"...\"), or write the apostrophe twice ('')"
        )
    if "mapping values are not allowed" in problem:
        return line, (
            "a colon followed by a space inside a value, or a line indented too far; put text "
            'that contains ": " in double quotes, or line it up with the lines above'
        )
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        return line, (
            "this line is not lined up with the lines around it: the keys of one item share "
            "one indentation, and a new item starts with '- '"
        )
    if "flow sequence" in context or "expected ',' or ']'" in problem:
        return started, "a list in [ ] is not closed, or an item in it needs quotes"
    if "could not find expected ':'" in problem:
        return line, "a key needs a colon after it (key: value)"
    return line, f"YAML syntax error: {problem}"


def _deepest_line(text: str) -> int | None:
    """Where the nesting is deepest: the most indented line (a nested list shows there)."""
    best, where = -1, None
    for number, row in enumerate(text.splitlines(), 1):
        depth = len(row) - len(row.lstrip(" -[{"))
        if depth > best:
            best, where = depth, number
    return where


def _row(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


def _tab_indented(text: str, line: int) -> bool:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    row = lines[line - 1]
    return "\t" in row[: len(row) - len(row.lstrip(" \t"))]


def line_of(node) -> int:
    return node.start_mark.line + 1
