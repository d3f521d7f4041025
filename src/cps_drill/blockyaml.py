"""A fast reader for the plain block YAML that decks are written in.

PyYAML takes seconds to compose a deck of thousands of questions. This reads the common subset
in one pass over the lines: block mappings and sequences, plain, quoted and block (| and >)
scalars, and flow lists of plain words. It returns nodes shaped like PyYAML's (tag, value and
the line they start on). For anything outside the subset it raises `Unsupported` and the caller
composes the file with PyYAML instead, so the result is always what PyYAML would give: the
tests compare the two on every shape they can generate.
"""

from __future__ import annotations

import json
import re

STD = "tag:yaml.org,2002:"
STR, NULL, MAP, SEQ = STD + "str", STD + "null", STD + "map", STD + "seq"
KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
FLOW_ITEM_BAD = re.compile(r"[\[\]{}\"'&*!|>#%@`]|: |:$")
PLAIN_BAD = re.compile(r" #|: |:$")
PLAIN_START_BAD = frozenset("&*!%@`|>'\"[]{}#,?:-")
NOT_PLAIN = PLAIN_START_BAD | frozenset(" ")
ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")
JSON_U = re.compile(r"u(?![dD][89a-fA-F])[0-9a-fA-F]{4}")  # no surrogates: PyYAML keeps them apart


# What PyYAML refuses to read (its reader's own pattern).
NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


PRINTABLE_ASCII = bytes([0x0A, 0x0D, *range(0x20, 0x7F)])


def _printable(text: str) -> bool:
    """Nothing PyYAML refuses to read, and no line break but \\n (PyYAML also breaks lines at
    U+0085, U+2028 and U+2029)."""
    if text.isascii():  # the common case, checked in C: drop the printable bytes, see what is left
        return not text.encode("ascii").translate(None, PRINTABLE_ASCII)
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return False
    return NON_PRINTABLE.search(text) is None


class Unsupported(Exception):
    """The text uses YAML this reader does not handle; compose it with PyYAML."""


class ScalarNode:
    __slots__ = ("line", "tag", "value")

    def __init__(self, tag: str, value: str, line: int) -> None:
        self.tag, self.value, self.line = tag, value, line


class SequenceNode:
    __slots__ = ("line", "tag", "value")

    def __init__(self, line: int) -> None:
        self.tag, self.value, self.line = SEQ, [], line


class MappingNode:
    __slots__ = ("line", "tag", "value")

    def __init__(self, line: int) -> None:
        self.tag, self.value, self.line = MAP, [], line


def _resolvers():
    import yaml

    return yaml.resolver.Resolver.yaml_implicit_resolvers


def compose(text: str):
    """The root node of `text`, None for an empty document; raise Unsupported when unsure."""
    if "\t" in text or "\r" in text.replace("\r\n", "") or not _printable(text):
        raise Unsupported
    return _Reader(text.replace("\r\n", "\n")).document()


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = lines = text.split("\n")
        self.n = n = len(lines)
        self.resolvers = _resolvers()
        self.resolved: dict[str, str] = {}
        stripped = [line.lstrip(" ") for line in lines]
        self.indents = [len(line) - len(rest) for line, rest in zip(lines, stripped, strict=True)]
        # next_content[i]: the first line from i that holds something other than a comment
        following = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            rest = stripped[i]
            following[i] = i if rest and rest[0] != "#" else following[i + 1]
        self.following = following

    def _skip(self, i: int) -> int:
        return self.following[i] if i < self.n else self.n

    def _indent(self, i: int) -> int:
        return self.indents[i]

    # -- structure -------------------------------------------------------------------------

    def document(self):
        i = self._skip(0)
        explicit = i < self.n and self.lines[i].rstrip() == "---"
        if explicit:
            i = self._skip(i + 1)
        if i >= self.n:
            if explicit:
                raise Unsupported  # an explicit empty document: PyYAML gives a null node
            return None
        node, i = self._node(i, self._indent(i))
        if self._skip(i) < self.n:
            raise Unsupported  # more than one document, or indentation PyYAML would refuse
        return node

    def _node(self, i: int, indent: int):
        content = self.lines[i][indent:]
        if content == "-" or content.startswith("- "):
            return self._sequence(i, indent)
        if KEY.match(content):
            return self._mapping(i, indent)
        raise Unsupported  # a lone scalar document, or something unusual

    def _mapping(self, i: int, indent: int):
        node = MappingNode(i + 1)
        items = node.value
        lines, indents, following, n = self.lines, self.indents, self.following, self.n
        key_match, resolved = KEY.match, self.resolved
        while i < n:
            i = following[i]
            if i >= n:
                break
            ind = indents[i]
            if ind != indent:
                if ind < indent:
                    break
                raise Unsupported
            line = lines[i]
            match = key_match(line, ind)
            if not match:
                raise Unsupported
            key = match.group(1)
            if len(key) > 1000:
                raise Unsupported  # PyYAML refuses implicit keys over 1024 characters
            key_node = ScalarNode(resolved.get(key) or self._resolve(key), key, i + 1)
            rest = line[match.end() :]
            if rest and rest[0] not in NOT_PLAIN:  # the common case, inlined: 'key: words'
                text = rest.rstrip(" ")
                if " #" in text or ": " in text or text[-1] == ":":
                    raise Unsupported  # a comment, or a colon PyYAML would read as a mapping
                i += 1
                j = following[i]  # following has one entry past the end, for this
                if j < n and indents[j] > indent:
                    raise Unsupported  # a scalar continued on the next lines
                tag = STR if len(text) > 5 and text[0].isalpha() else self._resolve(text)
                items.append((key_node, ScalarNode(tag, text, i)))
                continue
            value, i = self._value(rest, i, indent, True)
            items.append((key_node, value))
        return node, i

    def _sequence(self, i: int, indent: int):
        node = SequenceNode(i + 1)
        while True:
            i = self._skip(i)
            if i >= self.n:
                break
            ind = self._indent(i)
            if ind < indent:
                break
            if ind > indent:
                raise Unsupported
            line = self.lines[i]
            content = line[ind:]
            if not (content == "-" or content.startswith("- ")):
                break
            rest = content[1:].lstrip(" ")
            column = len(line) - len(rest)
            if rest and KEY.match(rest):
                self.lines[i] = " " * column + rest  # "- key: v" is a mapping at that column
                self.indents[i] = column
                value, i = self._mapping(i, column)
            elif rest.startswith("- ") or rest == "-":
                raise Unsupported
            else:
                value, i = self._value(rest, i, indent, in_mapping=False)
            node.value.append(value)
        return node, i

    def _value(self, rest: str, i: int, indent: int, in_mapping: bool):
        """The value after 'key:' or '- ' on line i; return it and the next line to read."""
        if not rest or rest.startswith("#"):
            j = self._skip(i + 1)
            if j < self.n:
                ind = self._indent(j)
                nested = self.lines[j][ind:]
                is_item = nested == "-" or nested.startswith("- ")
                if ind > indent or (in_mapping and ind == indent and is_item):
                    return self._node(j, ind)
            return ScalarNode(NULL, "", i + 1), i + 1
        if rest[0] in "|>":
            return self._block_scalar(rest, i, indent)
        node = self._inline(rest.rstrip(" "), i + 1)
        j = self.following[i + 1] if i + 1 < self.n else self.n
        if j < self.n and self.indents[j] > indent:
            raise Unsupported  # a scalar continued on the next lines
        return node, i + 1

    # -- scalars ---------------------------------------------------------------------------

    def _inline(self, s: str, line: int) -> ScalarNode:
        first = s[0]
        if first == '"':
            return ScalarNode(STR, self._double(s), line)
        if first == "'":
            return ScalarNode(STR, self._single(s), line)
        if first == "[":
            return self._flow_list(s, line)
        if first in PLAIN_START_BAD or PLAIN_BAD.search(s):
            raise Unsupported
        return ScalarNode(self._resolve(s), s, line)

    def _double(self, s: str) -> str:
        end = 1
        while True:
            end = s.find('"', end)
            if end < 0:
                raise Unsupported  # continues on the next line
            backslashes = len(s[:end]) - len(s[:end].rstrip("\\"))
            if backslashes % 2 == 0:
                break
            end += 1
        self._only_comment(s[end + 1 :])
        body = s[1:end]
        for escape in ESCAPE.finditer(body):
            code = escape.group(1)
            if code[0] not in '"\\bfnrtu' or (code[0] == "u" and not JSON_U.fullmatch(code)):
                raise Unsupported
        try:
            return json.loads(f'"{body}"')
        except ValueError:
            raise Unsupported from None

    def _single(self, s: str) -> str:
        end = 1
        while True:
            end = s.find("'", end)
            if end < 0:
                raise Unsupported
            if s.startswith("''", end):
                end += 2
                continue
            break
        self._only_comment(s[end + 1 :])
        return s[1:end].replace("''", "'")

    @staticmethod
    def _only_comment(after: str) -> None:
        """After a closing quote: nothing, or spaces and a comment."""
        rest = after.lstrip(" ")
        if rest and not (rest.startswith("#") and len(rest) < len(after)):
            raise Unsupported

    def _flow_list(self, s: str, line: int) -> SequenceNode:
        if not s.endswith("]") or "#" in s:
            raise Unsupported
        inner = s[1:-1]
        node = SequenceNode(line)
        if not inner.strip():
            return node
        items = [item.strip(" ") for item in inner.split(",")]
        if items[-1] == "":
            items.pop()  # a trailing comma
        for item in items:
            if not item or FLOW_ITEM_BAD.search(item) or item[0] in PLAIN_START_BAD:
                raise Unsupported
            node.value.append(ScalarNode(self._resolve(item), item, line))
        return node

    def _block_scalar(self, header: str, i: int, indent: int):
        header = header.split(" #", 1)[0].rstrip(" ")
        if header not in ("|", "|-", "|+", ">", ">-", ">+"):
            raise Unsupported
        folded, chomp = header[0] == ">", header[1:]
        start = i + 1
        j = start
        content_indent = None
        body: list[str] = []
        while j < self.n:
            line = self.lines[j]
            stripped = line.lstrip(" ")
            ind = len(line) - len(stripped)
            if not stripped:
                if ind and (content_indent is None or ind > content_indent):
                    raise Unsupported  # spaces on an empty line: PyYAML's rules are subtle
                body.append("")
                j += 1
                continue
            if content_indent is None:
                if ind <= indent:
                    break
                content_indent = ind
            elif ind < content_indent:
                break
            if folded and ind > content_indent:
                raise Unsupported  # more-indented lines are not folded
            body.append(line[content_indent:])
            j += 1
        if chomp == "+" or (j >= self.n and self.lines[-1] != ""):
            raise Unsupported  # keep-chomping, or no line break at the very end: rare and subtle
        while body and body[-1] == "":
            body.pop()
        text = _fold(body) if folded else "\n".join(body)
        value = text + "\n" if body and chomp != "-" else text
        return ScalarNode(STR, value, i + 1), j

    def _resolve(self, value: str) -> str:
        if len(value) > 5 and value[0].isalpha():
            return STR  # the words PyYAML reads as bool or null are five letters at most
        tag = self.resolved.get(value)
        if tag is None:
            tag = NULL if not value else STR
            for candidate, regexp in self.resolvers.get(value[:1], ()):
                if regexp.match(value):
                    tag = candidate
                    break
            if len(value) <= 16:
                self.resolved[value] = tag
        return tag


def _fold(lines: list[str]) -> str:
    """Folded scalar: a single line break becomes a space, each empty line a line break;
    empty lines before the first line of text are kept as line breaks."""
    out: list[str] = []
    empties = 0
    for line in lines:
        if line == "":
            empties += 1
            continue
        if out:
            out.append("\n" * empties if empties else " ")
        else:
            out.append("\n" * empties)
        out.append(line)
        empties = 0
    return "".join(out)
