"""Check the questions of a large deck on two cores.

A scenarios file of thousands of questions is cut in two where a question begins; a forked child
checks the second part while this process checks the first, and the two are joined, ids used
twice across the parts included. This is only tried on Linux with two or more cores, for files
large enough to gain, and only where the fast reader takes both parts: anything else returns
None and the caller checks the whole file in one piece, so the result is always the same.
"""

from __future__ import annotations

import os
import pickle
import re
import sys

from cps_drill.errors import ContentError

WORTH_IT = 2_000_000  # characters; below this, starting a process costs more than it saves
LIST_START = re.compile(r"^scenarios:[ ]*(?:#.*)?$", re.MULTILINE)
# After the list, anything at the left margin but a comment or a list item (another key, a
# document marker) could change which problems are reported: then check in one piece.
OTHER_TOP_LEVEL = re.compile(r"\n(?:[^\s#-]|-[^ \n]|---)")  # "\n" first: a fast scan
FIRST_ITEM = re.compile(r"^( *)- ", re.MULTILINE)


def check_in_two(text: str, label: str, principles, sources, can_resolve: bool):
    """(questions, problems), or None when the file should be checked in one piece."""
    if len(text) < WORTH_IT or sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        return None
    cut = _cut(text)
    if cut is None:
        return None
    first, rest = text[:cut], text[cut:]
    offset = first.count("\n") - 1  # the second part gets a 'scenarios:' line of its own
    second = "scenarios:\n" + rest
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check the second part, send it back, and leave at once
        code = 1
        try:
            os.close(read_end)
            result = _check(second, label, principles, sources, can_resolve, offset)
            if result is not None:
                questions, ids, problems = result
                result = ([_flat(q) for q in questions], ids, problems)
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = _check(first, label, principles, sources, can_resolve, 0)
    finally:
        with os.fdopen(read_end, "rb") as incoming:
            data = incoming.read()
        _, status = os.waitpid(pid, 0)
    if mine is None or status != 0 or not data:
        return None
    theirs = pickle.loads(data)
    if theirs is None:
        return None
    questions, ids, problems = mine
    flat_questions, more_ids, more_problems = theirs
    more_questions = [_rebuilt(flat) for flat in flat_questions]
    seen: dict[str, int] = {}
    for qid, line in ids:
        seen.setdefault(qid, line)
    for qid, line in more_ids:
        if qid in seen:
            message = f"question id '{qid}' is used twice (first on line {seen[qid]})"
            more_problems.append(ContentError(label, line, message))
        seen.setdefault(qid, line)
    return questions + more_questions, problems + more_problems


def _check(text, label, principles, sources, can_resolve, offset):
    from cps_drill import blockyaml
    from cps_drill.schema import Checker

    checker = Checker()
    checker.fast_only = True
    try:
        questions, ids = checker.scenarios_text(
            text, label, principles, sources, can_resolve, offset
        )
    except blockyaml.Unsupported:
        return None
    return questions, ids, checker.problems


def _flat(q) -> tuple:
    """A question as plain tuples: they cross the pipe in a third of the time."""
    options = tuple((o.text, o.correct, o.why) for o in q.options)
    return (
        q.id,
        q.principle,
        q.question,
        options,
        q.also,
        q.difficulty,
        q.scenario,
        q.explanation,
        q.source,
        q.fingerprint,
    )


def _rebuilt(flat: tuple):
    from cps_drill.content import Option, Question

    qid, principle, question, options, also, difficulty, scenario, explanation, source, fp = flat
    return Question(
        qid,
        principle,
        question,
        tuple(Option(*o) for o in options),
        also,
        difficulty,
        scenario,
        explanation,
        source,
        fp,
    )


def _cut(text: str) -> int | None:
    """Where the question nearest the middle begins, in a file whose only list is scenarios."""
    start = LIST_START.search(text)
    if start is None:
        return None
    item = FIRST_ITEM.search(text, start.end())
    if item is None or OTHER_TOP_LEVEL.search(text, start.end()):
        return None
    cut = text.find("\n" + item.group(1) + "- ", len(text) // 2)
    return None if cut < 0 else cut + 1
