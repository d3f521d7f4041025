"""Check composed YAML nodes against the content format, collecting every problem with its line."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Literal, overload

from cps_drill.deck import model as c
from cps_drill.deck.text import unsafe_characters
from cps_drill.deck.yamlfile import aliased, compose_text, line_of, read_text
from cps_drill.errors import ContentError

STD = "tag:yaml.org,2002:"
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
SCALAR_TAGS = {STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
STR, MAP = STD + "str", STD + "map"
KNOWN_TAGS = SCALAR_TAGS | {STD + "map", STD + "seq"}
TRUE_WORDS = {"true", "yes", "on"}
FALSE_WORDS = {"false", "no", "off"}

PRINCIPLE_KEYS = {"id", "name", "summary", "key_points", "sources"}
SOURCE_KEYS = {"title", "url"}
QUESTION_KEYS = {
    "id",
    "principle",
    "also",
    "difficulty",
    "scenario",
    "question",
    "options",
    "explanation",
    "source",
    "case",
    "content_note",
}
CASE_KEYS = {"id", "title", "situation", "content_note"}
TERM_KEYS = {"term", "name", "also", "definition", "source"}
OPTION_KEYS = {"text", "correct", "why"}


class Invalid(Exception):
    """One value is wrong; the problem is already recorded."""


class Checker:
    def __init__(self) -> None:
        self.problems: list[ContentError] = []
        self.label = ""
        self.cases: dict[str, c.Case] = {}
        self.case_nodes: dict[str, object] = {}

    # -- the two files -------------------------------------------------------------------

    def principles_file(self, path: Path, label: str):
        self.label = label
        principles: dict[str, c.Principle] = {}
        sources: dict[str, c.Source] = {}
        deck_id = None
        root = self._root(path, label, "principles", {"deck", "principles", "sources"})
        if root is None:
            return principles, sources, deck_id
        if "deck" in root:
            with contextlib.suppress(Invalid):
                node = root["deck"][1]
                deck_id = self._slug(node, self._text(node, "deck"), "deck id")
        if "sources" in root:
            sources = self._sources(root["sources"][1])
        cited: list[tuple[str, object]] = []
        names: set[str] = set()
        for node in self._sequence(root["principles"][1], "principles"):
            try:
                principle, source_nodes = self._principle(node)
            except Invalid:
                continue
            if principle.id in principles:
                self._problem(node, f"principle id '{principle.id}' is used twice")
            if principle.name.lower() in names:
                self._problem(node, f"principle name '{principle.name}' is used twice")
            principles[principle.id] = principle
            names.add(principle.name.lower())
            cited.extend(source_nodes)
        for key, node in cited:
            self._reference(node, key, sources, "source")
        return principles, sources, deck_id

    def scenarios_file(self, path: Path, label: str, principles, sources) -> list[c.Question]:
        """The questions of a scenarios file; references are checked when the principles
        file was sound (references into a broken one are noise)."""
        can_resolve = not self.problems
        self.label = label
        questions: list[c.Question] = []
        self.cases = {}
        root = self._root(path, label, "scenarios", {"scenarios", "cases"})
        if root is None:
            return questions
        if "cases" in root:
            self.cases = self._cases(root["cases"][1])
        seen: dict[str, int] = {}
        for node in self._sequence(root["scenarios"][1], "scenarios"):
            try:
                question, refs = plain_question(node) or self._question(node)
            except Invalid:
                continue
            if question.id in seen:
                first = seen[question.id]
                self._problem(
                    node, f"question id '{question.id}' is used twice (first on line {first})"
                )
            seen.setdefault(question.id, line_of(node))
            questions.append(question)
            if can_resolve:
                known = {"source": sources, "principle": principles, "case": self.cases}
                for kind, key, ref_node in refs:
                    self._reference(ref_node, key, known[kind], kind)
        self._cases_used(questions)
        return questions

    def glossary_file(self, path: Path, label: str, sources) -> dict[str, c.Term]:
        """The terms of a glossary file, each once, with its source checked."""
        self.label = label
        terms: dict[str, c.Term] = {}
        root = self._root(path, label, "terms", {"terms"})
        if root is None:
            return terms
        for item in self._sequence(root["terms"][1], "terms"):
            try:
                fields = self._mapping(item, "a term")
                self._keys(item, fields, TERM_KEYS, {"term", "definition"}, "in a term")
                term = c.Term(
                    self._text(fields["term"][1], "term"),
                    self._text(fields["definition"][1], "definition"),
                    self._text(fields["name"][1], "name") if "name" in fields else None,
                    tuple(self._text_list(fields, "also")),
                    self._text(fields["source"][1], "source") if "source" in fields else None,
                )
            except Invalid:
                continue
            if term.term.lower() in terms:
                self._problem(item, f"term '{term.term}' is defined twice")
            terms[term.term.lower()] = term
            if term.source:
                self._reference(fields["source"][1], term.source, sources, "source")
        return terms

    def _cases(self, node) -> dict[str, c.Case]:
        cases: dict[str, c.Case] = {}
        self.case_nodes = {}
        for item in self._sequence(node, "cases"):
            try:
                fields = self._mapping(item, "a case")
                self._keys(item, fields, CASE_KEYS, {"id", "title", "situation"}, "in a case")
                cid = self._slug(fields["id"][1], self._text(fields["id"][1], "id"), "case id")
                case = c.Case(
                    cid,
                    self._text(fields["title"][1], "title"),
                    self._text(fields["situation"][1], "situation"),
                    self._notes(fields),
                )
            except Invalid:
                continue
            if cid in cases:
                self._problem(item, f"case id '{cid}' is used twice")
            cases[cid] = case
            self.case_nodes[cid] = item
        return cases

    def _cases_used(self, questions: list[c.Question]) -> None:
        """A case unfolds over at least two questions."""
        counts: dict[str, int] = {}
        for q in questions:
            if q.case:
                counts[q.case] = counts.get(q.case, 0) + 1
        for cid, node in self.case_nodes.items():
            if counts.get(cid, 0) < 2:
                found = counts.get(cid, 0)
                self._problem(
                    node,
                    f"case '{cid}' has {found} question(s); a case unfolds over 2 or more "
                    "(give each its 'case: " + cid + "')",
                )

    def _notes(self, fields: dict) -> tuple[str, ...]:
        """content_note: one subject or a list of them, each from the documented list."""
        if "content_note" not in fields:
            return ()
        node = fields["content_note"][1]
        if _is(node, "SequenceNode"):
            items = self._text_list(fields, "content_note", with_nodes=True)
        else:
            items = [(self._text(node, "content_note"), node)]
        notes = []
        for note, item in items:
            if note not in c.CONTENT_NOTES:
                hint = c.did_you_mean(note, list(c.CONTENT_NOTES))
                self._problem(
                    item,
                    f"content note '{note}' is not one of {', '.join(c.CONTENT_NOTES)}.{hint}",
                )
                raise Invalid
            notes.append(note)
        return tuple(notes)

    # -- items ---------------------------------------------------------------------------

    def _root(self, path: Path, label: str, required: str, allowed: set[str]):
        try:
            text = read_text(path, label)
            node = compose_text(text, label)
        except ContentError as exc:
            self.problems.append(exc)
            return None
        repeated = aliased(text, node) if node is not None else None
        if repeated is not None:
            self._problem(
                repeated,
                "this part is repeated elsewhere with an alias (*name); write it out in full "
                "each time: anchors and aliases are not allowed in a deck",
            )
            return None
        if node is None:
            self.problems.append(
                ContentError(label, None, f"the file is empty; it needs a '{required}:' list")
            )
            return None
        try:
            fields = self._mapping(node, f"the top of {Path(label).name}")
            self._keys(node, fields, allowed, {required}, "at the top of the file")
        except Invalid:
            return None
        return fields

    def _sources(self, node) -> dict[str, c.Source]:
        sources: dict[str, c.Source] = {}
        try:
            entries = self._mapping(node, "sources")
        except Invalid:
            return sources
        for key, (key_node, value) in entries.items():
            try:
                self._slug(key_node, key, "source key")
                fields = self._mapping(value, f"source '{key}'")
                self._keys(value, fields, SOURCE_KEYS, {"title"}, f"in source '{key}'")
                title = self._text(fields["title"][1], "title")
                url = (
                    self._text(fields["url"][1], "url", optional=True) if "url" in fields else None
                )
            except Invalid:
                continue
            sources[key] = c.Source(key, title, url)
        return sources

    def _principle(self, node):
        fields = self._mapping(node, "a principle")
        self._keys(node, fields, PRINCIPLE_KEYS, {"id", "name", "summary"}, "in a principle")
        pid = self._slug(fields["id"][1], self._text(fields["id"][1], "id"), "principle id")
        name = self._text(fields["name"][1], "name")
        summary = self._text(fields["summary"][1], "summary")
        key_points = self._text_list(fields, "key_points")
        source_nodes = self._text_list(fields, "sources", with_nodes=True)
        principle = c.Principle(
            pid, name, summary, tuple(key_points), tuple(k for k, _ in source_nodes)
        )
        return principle, source_nodes

    def _question(self, node):
        fields = self._mapping(node, "a question")
        required = {"id", "principle", "question", "options"}
        qid_node = fields.get("id", (None, None))[1]
        named = _is(qid_node, "ScalarNode") and c.SLUG.match(str(qid_node.value))
        where = f"in question '{qid_node.value}'" if named else "in a question"
        self._keys(node, fields, QUESTION_KEYS, required, where)
        qid = self._slug(fields["id"][1], self._text(fields["id"][1], "id"), "question id")
        principle = self._text(fields["principle"][1], "principle")
        refs = [("principle", principle, fields["principle"][1])]
        also = self._text_list(fields, "also", with_nodes=True)
        refs += [("principle", key, n) for key, n in also]
        difficulty = None
        if "difficulty" in fields:
            difficulty = self._int(fields["difficulty"][1], "difficulty", 1, 3)
        optional = {}
        for key in ("scenario", "explanation", "source"):
            if key in fields:
                optional[key] = self._text(fields[key][1], key, optional=True)
        source = optional.get("source")
        if source:
            refs.append(("source", source, fields["source"][1]))
        case = self._text(fields["case"][1], "case") if "case" in fields else None
        if case:
            refs.append(("case", case, fields["case"][1]))
        notes = self._notes(fields)
        options = self._options(fields["options"][1], qid)
        question = c.Question(
            id=qid,
            principle=principle,
            question=self._text(fields["question"][1], "question"),
            options=options,
            also=tuple(key for key, _ in also),
            difficulty=difficulty,
            fingerprint=c.fingerprint(options),
            case=case,
            content_notes=notes,
            **optional,
        )
        return question, refs

    def _options(self, node, qid: str) -> tuple[c.Option, ...]:
        items = list(self._sequence(node, "options"))
        if not c.MIN_OPTIONS <= len(items) <= c.MAX_OPTIONS:
            self._problem(
                node,
                f"question '{qid}' has {len(items)} options; "
                f"give {c.MIN_OPTIONS} to {c.MAX_OPTIONS}",
            )
            raise Invalid
        options = []
        for item in items:
            fields = self._mapping(item, "an option")
            self._keys(item, fields, OPTION_KEYS, {"text"}, "in an option")
            correct = self._bool(fields["correct"][1], "correct") if "correct" in fields else False
            why = self._text(fields["why"][1], "why", optional=True) if "why" in fields else None
            options.append(c.Option(self._text(fields["text"][1], "text"), correct, why))
        right = sum(o.correct for o in options)
        if right != 1:
            how = "none is marked" if right == 0 else f"{right} are marked"
            self._problem(
                node, f"question '{qid}' needs exactly one option with 'correct: true'; {how}"
            )
            raise Invalid
        return tuple(options)

    # -- values --------------------------------------------------------------------------

    def _mapping(self, node, what: str) -> dict:
        if node is None or not _is(node, "MappingNode"):
            self._problem(node, f"{what} should be a mapping of 'key: value' lines{_found(node)}")
            raise Invalid
        if node.tag != MAP:
            self._tag(node, MAP)
        if not all(_is(key_node, "ScalarNode") for key_node, _ in node.value):
            self._mapping_keys(node)  # a list or mapping used as a key: said, then Invalid
        fields = {key_node.value: (key_node, value) for key_node, value in node.value}
        if len(fields) != len(node.value):
            self._mapping_keys(node)
        return fields

    def _mapping_keys(self, node) -> None:
        """The slow path: say which key is not a word, or appears twice."""
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not _is(key_node, "ScalarNode"):
                self._problem(key_node, "a key should be a plain word")
                raise Invalid
            if key_node.value in seen:
                self._problem(key_node, f"key '{key_node.value}' appears twice")
            seen.add(key_node.value)

    def _sequence(self, node, what: str):
        if node is None or not _is(node, "SequenceNode"):
            self._problem(node, f"'{what}' should be a list of '- ' items{_found(node)}")
            return []
        self._tag(node, STD + "seq")
        return node.value

    def _keys(self, node, fields: dict, allowed: set[str], required: set[str], where: str) -> None:
        if fields.keys() <= allowed and required <= fields.keys():
            return
        ok = True
        for key, (key_node, _value) in fields.items():
            if key not in allowed:
                hint = c.did_you_mean(key, sorted(allowed))
                self._problem(key_node, f"unknown key '{key}' {where}.{hint}")
                ok = False
        for key in sorted(required - fields.keys()):
            swallowed = any(
                _is(value, "ScalarNode") and f"{key}:" in str(value.value)
                for _, value in fields.values()
            )
            hint = " (it seems to be inside the text above it: check its indentation)"
            self._problem(node, f"'{key}' is missing {where}{hint if swallowed else ''}")
            ok = False
        if not ok:
            raise Invalid

    @overload
    def _text(self, node, key: str, optional: Literal[False] = False) -> str: ...

    @overload
    def _text(self, node, key: str, optional: bool) -> str | None: ...

    def _text(self, node, key: str, optional: bool = False) -> str | None:
        if node.tag == STR and _is(node, "ScalarNode"):  # the common case, first
            value = node.value
            if "\n" not in value and "  " not in value and value.strip() == value and value:
                if value.isprintable():
                    return value
                self._safe(node, key, value)
                return value
        if node.tag not in KNOWN_TAGS:
            self._tag(node, None)
        if _is(node, "ScalarNode"):
            self._tag(node, None)
            if node.tag == STD + "null" or not node.value.strip():
                if optional:
                    return None
                self._problem(node, f"'{key}' is empty")
                raise Invalid
            self._safe(node, key, node.value)
            return unwrap(node.value)
        self._problem(node, f"'{key}' should be text{_found(node)}")
        raise Invalid

    def _safe(self, node, key: str, value: str) -> None:
        """Refuse characters that would steer the terminal (see deck.text)."""
        found = unsafe_characters(value)
        if found:
            self._problem(
                node,
                f"'{key}' holds control or direction characters ({', '.join(found[:5])}); "
                "remove them: they could change what the screen shows",
            )
            raise Invalid

    def _text_list(self, fields: dict, key: str, with_nodes: bool = False) -> list:
        if key not in fields:
            return []
        node = fields[key][1]
        if _is(node, "ScalarNode") and node.tag == STD + "null":
            return []
        items = []
        for item in self._sequence(node, key):
            try:
                text = self._text(item, key)
            except Invalid:
                continue
            items.append((text, item) if with_nodes else text)
        return items

    def _bool(self, node, key: str) -> bool:
        if _is(node, "ScalarNode") and node.tag == STD + "bool":
            word = node.value.lower()
            if word in TRUE_WORDS | FALSE_WORDS:
                return word in TRUE_WORDS
        if _is(node, "ScalarNode") and node.value.lower() in TRUE_WORDS | FALSE_WORDS:
            self._problem(node, f"'{key}' should be true or false without quotes")
            raise Invalid
        self._problem(node, f"'{key}' should be true or false{_found(node)}")
        raise Invalid

    def _int(self, node, key: str, low: int, high: int) -> int:
        if _is(node, "ScalarNode") and node.tag == STD + "int" and node.value.isdigit():
            value = int(node.value)
            if low <= value <= high:
                return value
        self._problem(node, f"'{key}' should be a whole number from {low} to {high}{_found(node)}")
        raise Invalid

    def _slug(self, node, value: str, what: str) -> str:
        if not c.SLUG.match(value):
            self._problem(
                node,
                f"{what} '{value}' should use lowercase letters, digits and hyphens, "
                "starting with a letter",
            )
            raise Invalid
        return value

    def _tag(self, node, expected: str | None) -> None:
        if (expected and node.tag != expected) or (
            expected is None and node.tag not in SCALAR_TAGS
        ):
            self._problem(node, f"the tag '{node.tag}' is not allowed in a content file")
            raise Invalid

    def _reference(self, node, key: str, known: dict, kind: str) -> None:
        if key not in known:
            where = {
                "principle": "principles.yaml",
                "source": "the sources of principles.yaml",
                "case": "the cases of scenarios.yaml",
            }[kind]
            hint = c.did_you_mean(key, list(known))
            self._problem(node, f"unknown {kind} '{key}': it is not defined in {where}.{hint}")

    def _problem(self, node, message: str) -> None:
        line = line_of(node) if node is not None else None
        self.problems.append(ContentError(self.label, line, message))


# -- the common case, quickly ------------------------------------------------------------------
#
# A question written the usual way (plain text values, known keys, nothing odd) is read by
# `plain_question` in one pass. Anything it does not take, it leaves to the careful path above,
# which gives the same question or says what is wrong; a test holds the two to the same result.

SEQ, INT, BOOL = STD + "seq", STD + "int", STD + "bool"
REQUIRED = frozenset({"id", "principle", "question", "options"})
PLAIN_KEYS = QUESTION_KEYS - {"case", "content_note"}  # a question of a case: the careful path


def plain_question(node):
    """The question and its references, or None to leave the node to the careful path."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    fields = _plain_mapping(node, MappingNode, ScalarNode)
    if fields is None or not (fields.keys() <= PLAIN_KEYS and fields.keys() >= REQUIRED):
        return None
    qid = _plain_text(fields["id"], ScalarNode)
    principle = _plain_text(fields["principle"], ScalarNode)
    text = _plain_text(fields["question"], ScalarNode)
    if qid is None or principle is None or text is None or not c.SLUG.match(qid):
        return None
    refs = [("principle", principle, fields["principle"])]
    also: list[str] = []
    if "also" in fields:
        items = fields["also"]
        if items.__class__ is not SequenceNode or items.tag != SEQ:
            return None
        for item in items.value:
            key = _plain_text(item, ScalarNode)
            if key is None:
                return None
            also.append(key)
            refs.append(("principle", key, item))
    difficulty = None
    if "difficulty" in fields:
        value = fields["difficulty"]
        if value.__class__ is not ScalarNode or value.tag != INT or value.value not in "123":
            return None
        difficulty = int(value.value)
    optional = {}
    for key in ("scenario", "explanation", "source"):
        if key in fields:
            value = fields[key]
            if value.__class__ is not ScalarNode or value.tag != STR:
                return None
            if value.value.strip():
                found = _plain_text(value, ScalarNode)
                if found is None:
                    return None
                optional[key] = found
    if optional.get("source"):
        refs.append(("source", optional["source"], fields["source"]))
    options = _plain_options(fields["options"], MappingNode, ScalarNode, SequenceNode)
    if options is None:
        return None
    question = c.Question(
        qid,
        principle,
        text,
        options,
        tuple(also),
        difficulty,
        optional.get("scenario"),
        optional.get("explanation"),
        optional.get("source"),
        c.fingerprint(options),
    )
    return question, refs


def _plain_options(node, mapping, scalar, sequence) -> tuple[c.Option, ...] | None:
    if node.__class__ is not sequence or node.tag != SEQ:
        return None
    if not c.MIN_OPTIONS <= len(node.value) <= c.MAX_OPTIONS:
        return None
    options = []
    right = 0
    for item in node.value:
        fields = _plain_mapping(item, mapping, scalar)
        if fields is None or "text" not in fields or not fields.keys() <= OPTION_KEYS:
            return None
        text = _plain_text(fields["text"], scalar)
        if text is None:
            return None
        correct = False
        if "correct" in fields:
            flag = fields["correct"]
            word = flag.value.lower() if flag.__class__ is scalar else ""
            if flag.tag != BOOL or word not in TRUE_WORDS | FALSE_WORDS:
                return None
            correct = word in TRUE_WORDS
            right += correct
        why = None
        if "why" in fields:
            value = fields["why"]
            if value.__class__ is not scalar or value.tag != STR:
                return None
            if value.value.strip():
                why = _plain_text(value, scalar)
                if why is None:
                    return None
        options.append(c.Option(text, correct, why))
    return tuple(options) if right == 1 else None


def _plain_mapping(node, mapping, scalar) -> dict | None:
    if node.__class__ is not mapping or node.tag != MAP:
        return None
    fields = {}
    for key_node, value in node.value:
        if key_node.__class__ is not scalar:
            return None
        fields[key_node.value] = value
    return fields if len(fields) == len(node.value) else None


def _plain_text(node, scalar) -> str | None:
    """Plain text as the careful path would give it, or None for anything else."""
    if node.__class__ is not scalar or node.tag != STR:
        return None
    value = node.value
    if "\n" not in value and "  " not in value and value.strip() == value and value:
        return value if value.isprintable() or not unsafe_characters(value) else None
    if not value.strip() or unsafe_characters(value):
        return None
    return unwrap(value)


def unwrap(text: str) -> str:
    """Join the lines of each paragraph: a line break in the YAML is not one on screen.

    A blank line still starts a new paragraph.
    """
    if "\n" not in text and "  " not in text:
        return text.strip()
    paragraphs = (" ".join(p.split()) for p in PARAGRAPH_BREAK.split(text.strip()))
    return "\n\n".join(p for p in paragraphs if p)


def _is(node, kind: str) -> bool:
    return type(node).__name__ == kind


def _found(node) -> str:
    if node is None:
        return ""
    if _is(node, "ScalarNode"):
        shown = node.value if len(node.value) <= 30 else node.value[:27] + "..."
        return f", not '{shown}'" if shown else ", but it is empty"
    return ", not a list" if _is(node, "SequenceNode") else ", not a mapping"
