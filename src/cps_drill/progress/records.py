"""The records of the progress log (format 3): one JSON object a line, each with a `kind`.

Every record has:
    kind      what it is: "drill" (an answer in a drill), "exam" (an answer in a mock exam),
              "settings" (settings changed); other kinds may be added, and a reader that does
              not know a kind keeps it and skips it
    session   the run it belongs to, and `seq`, its place in that run (from 1): together they
              name the record, so a line written twice is counted once
    at        when, in UTC (ISO 8601)

An answer (drill or exam) also has: deck, question, principle, chosen and correct (options by
their place in the deck file, from 0; chosen is null when the time ran out), outcome (right,
wrong or timeout), seconds, command and fingerprint (of the question's options and key).
An answer may carry `memory`: the question's memory state after it, for scheduling (see
study/schedule.py). A `guess` record marks the answer `of` (its seq in the same session) as a
lucky guess: it has the deck, question and fingerprint, and the memory state that replaces it.
Settings records have `set`: the settings they change (a null value removes one).

A line that is not such a record is damage: reading stops with its line number, and `restore`
keeps it aside.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone

FORMAT = 3
DRILL, EXAM, SETTINGS, GUESS = "drill", "exam", "settings", "guess"
ANSWER_KINDS = frozenset({DRILL, EXAM})
RIGHT, WRONG, TIMEOUT = "right", "wrong", "timeout"
OUTCOMES = frozenset({RIGHT, WRONG, TIMEOUT})


def new_session() -> str:
    """A name for one run's records: when it started, and six random hex digits."""
    import time
    import uuid

    return f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def answer(
    *,
    kind: str,
    deck: str,
    question: str,
    principle: str,
    chosen: int | None,
    correct: int,
    outcome: str,
    seconds: float,
    session: str,
    seq: int,
    command: str,
    fingerprint: str,
    at: str | None = None,
    memory: dict | None = None,
) -> dict:
    record: dict = {
        "kind": kind,
        "deck": deck,
        "question": question,
        "principle": principle,
        "chosen": chosen,
        "correct": correct,
        "outcome": outcome,
        "seconds": seconds,
        "at": at or now_utc(),
        "session": session,
        "seq": seq,
        "command": command,
        "fingerprint": fingerprint,
    }
    if memory is not None:
        record["memory"] = memory
    return record


def guess(answer: dict, memory: dict, *, seq: int) -> dict:
    """The mark that `answer` was right by luck, with the memory state that replaces its own."""
    return {
        "kind": GUESS,
        "deck": answer["deck"],
        "question": answer["question"],
        "fingerprint": answer["fingerprint"],
        "of": answer["seq"],
        "memory": memory,
        "at": now_utc(),
        "session": answer["session"],
        "seq": seq,
    }


def settings(values: dict, *, session: str, seq: int = 1) -> dict:
    return {"kind": SETTINGS, "set": values, "at": now_utc(), "session": session, "seq": seq}


def is_answer(record: dict) -> bool:
    return record.get("kind") in ANSWER_KINDS


def valid(record) -> bool:
    """A record of format 3 whose fields have the types its kind needs."""
    if not isinstance(record, dict):
        return False
    kind = record.get("kind")
    if not (
        isinstance(kind, str)
        and isinstance(record.get("session"), str)
        and _whole(record.get("seq"))
        and isinstance(record.get("at"), str)
    ):
        return False
    if kind in ANSWER_KINDS:
        return _valid_answer(record) and valid_memory(record.get("memory", {}))
    if kind == SETTINGS:
        return isinstance(record.get("set"), dict)
    if kind == GUESS:
        return (
            all(isinstance(record.get(k), str) for k in ("deck", "question", "fingerprint"))
            and _whole(record.get("of"))
            and valid_memory(record.get("memory"))
        )
    return True  # a kind this version does not know: kept, and skipped by every count


def _valid_answer(r: dict) -> bool:
    seconds = r.get("seconds")
    chosen = r.get("chosen")
    return (
        isinstance(r.get("deck"), str)
        and isinstance(r.get("question"), str)
        and isinstance(r.get("principle"), str)
        and r.get("outcome") in OUTCOMES
        and (chosen is None or _whole(chosen))
        and _whole(r.get("correct"))
        and isinstance(seconds, (int, float))
        and not isinstance(seconds, bool)
        and math.isfinite(seconds)
        and seconds >= 0
        and isinstance(r.get("fingerprint"), str)
        and (r.get("command") is None or isinstance(r.get("command"), str))
    )


def valid_memory(memory) -> bool:
    """A memory state: empty (none given), or stability, difficulty and times of the right types.
    Written out without generators: every start checks one for each question of the bank."""
    if type(memory) is not dict:
        return False
    if not memory:
        return True
    s, d, decay = memory.get("s"), memory.get("d"), memory.get("decay")
    for n in (s, d, decay):
        if type(n) is not float and type(n) is not int:
            return False
        if not math.isfinite(n):
            return False
    return (
        0 < s < 1e6  # type: ignore[operator]
        and -10 < decay < 0  # type: ignore[operator]
        and memory.get("state") in (1, 2, 3)  # FSRS's learning, review and relearning
        and _moment(memory.get("due"))
        and _moment(memory.get("last"))
    )


def _moment(value) -> bool:
    """An ISO 8601 time, as FSRS and the derived state will read it."""
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def loads(data: bytes | str):
    """JSON from the progress folder; nesting too deep to read is damage like any other."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def parse(line: bytes) -> dict | None:
    """The record a log line holds, or None when it is damaged."""
    try:
        record = loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return record if valid(record) else None


def encode(records: list[dict]) -> bytes:
    return "".join(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records
    ).encode()


def identity(record: dict) -> tuple[str, int]:
    return (record["session"], record["seq"])


def in_session_order(records: list[dict]) -> list[dict]:
    """Sessions in the order they first appear, each session's records by `seq`, every
    record once: the order `restore` writes, in which a repeated (session, seq) is a copy."""
    first: dict[str, int] = {}
    unique: dict[tuple[str, int], dict] = {}
    for record in records:
        first.setdefault(record["session"], len(first))
        unique.setdefault(identity(record), record)
    return sorted(unique.values(), key=lambda r: (first[r["session"]], r["seq"]))
