"""Read a YAML file into located nodes, safely.

The file is composed, never constructed: no tag can build a Python object, and an alias
bomb costs nothing because the schema walks the shared nodes without expanding them.
"""

from __future__ import annotations

import re
from pathlib import Path

from cps_drill.errors import ContentError

# 'It's fine': a single-quoted value with a lone apostrophe inside.
SINGLE_QUOTED_APOSTROPHE = re.compile(r"(?:^|:\s|-\s)\s*'(?:[^']|'')*'[^'\s#,\]}]")


def read_text(path: Path, label: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(label, None, "file not found") from None
    except IsADirectoryError:
        raise ContentError(label, None, "is a folder, expected a YAML file") from None
    except OSError as exc:
        raise ContentError(label, None, f"cannot be read ({exc.strerror})") from None
    return _decode(data, label)


def compose_text(text: str, label: str, line_offset: int = 0, fast_only: bool = False):
    """The root node of a YAML text; errors name `line_offset` + the line within the text.

    With `fast_only`, text the fast reader does not take raises blockyaml.Unsupported.
    """
    if fast_only:
        from cps_drill import blockyaml

        return blockyaml.compose(text)
    try:
        return _compose(text, label)
    except ContentError as exc:
        if exc.line and line_offset:
            raise ContentError(exc.path, exc.line + line_offset, exc.message) from None
        raise


def _compose(text: str, label: str):
    from cps_drill import blockyaml

    try:
        return blockyaml.compose(text)  # fast, for the plain block YAML decks are written in
    except blockyaml.Unsupported:
        pass
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
        raise ContentError(label, None, "the YAML is nested too deeply") from None


def _decode(data: bytes, label: str) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        raise ContentError(label, 1, "the file is UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            label, line, f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        ) from None


def _explain(exc, line: int | None, text: str) -> tuple[int | None, str]:
    """PyYAML's words for the common mistakes, said plainly, with what to do."""
    problem = exc.problem or exc.context or "cannot be parsed"
    context = exc.context or ""
    started = exc.context_mark.line + 1 if exc.context_mark else line
    row = _row(text, line)
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
    line = getattr(node, "line", None)  # the fast reader's nodes carry their line
    return line if line is not None else node.start_mark.line + 1
