"""Derived state: what the log adds up to, kept small. A cache of the log, never the record.

The state is a fold of the log's records: running totals per deck (answered, right, per
principle, the latest outcome of each question, recent sessions), the settings, and the
places (`seq`) seen of each session, as ranges (so that a line written twice counts once,
whatever order the lines are in). `Store.derived()` keeps it in
`derived.json` with the length of the log it covers, a checksum of that part of the log and a
checksum of itself: a file that disagrees with the log or with itself is rebuilt from the log.

Per-question state (a memory state for scheduling, say) goes under a deck's `questions`, kept
the same way.
"""

from __future__ import annotations

import math

from cps_drill.progress import records as rec

VERSION = 5  # 5: the record places (seqs) on a line of their own in derived.json
KEEP_SESSIONS = 20


def new() -> dict:
    return {"version": VERSION, "decks": {}, "settings": {}, "seqs": {}}


def new_deck() -> dict:
    return {
        "answered": 0,
        "right": 0,
        "principles": {},  # id -> [answered, right, seconds]
        "last": {},  # question id -> {fingerprint or "": the latest outcome with it}
        "memory": {},  # question id -> {fingerprint: its memory state after the latest review}
        "days": {},  # YYYY-MM-DD (UTC) -> answers given that day
        "sessions": [],  # the most recent sessions, oldest first
        "exams": [],  # every mock exam: id, at, questions, right, mark (the pass mark, %)
    }


def add_all(state: dict, records: list[dict]) -> dict:
    """Fold `records` (in log order) into `state`; copies of a record are skipped."""
    seqs, decks = state["seqs"], state["decks"]
    for r in records:
        session, seq = r["session"], r["seq"]
        ranges = seqs.get(session)
        if ranges is None:
            seqs[session] = [[seq, seq]]
        elif not _add(ranges, seq):
            continue  # the same record again
        kind = r["kind"]
        if kind in rec.ANSWER_KINDS:
            deck = decks.get(r["deck"])
            if deck is None:
                deck = decks[r["deck"]] = new_deck()
            _add_answer(deck, r)
        elif kind == rec.GUESS:
            deck = decks.get(r["deck"])
            if deck is not None:
                deck["memory"].setdefault(r["question"], {})[r["fingerprint"]] = r["memory"]
        elif kind == rec.SETTINGS:
            for key, value in r["set"].items():
                if value is None:
                    state["settings"].pop(key, None)
                else:
                    state["settings"][key] = value
    return state


def _add_answer(deck: dict, r: dict) -> None:
    right = r["outcome"] == rec.RIGHT
    deck["answered"] += 1
    deck["right"] += right
    tally = deck["principles"].get(r["principle"])
    if tally is None:
        tally = deck["principles"][r["principle"]] = [0, 0, 0.0]
    tally[0] += 1
    tally[1] += right
    tally[2] = round(tally[2] + r["seconds"], 2)
    deck["last"].setdefault(r["question"], {})[r["fingerprint"]] = r["outcome"]
    if "memory" in r:
        deck["memory"].setdefault(r["question"], {})[r["fingerprint"]] = r["memory"]
    if r["kind"] == rec.EXAM:
        _add_exam(deck, r, right)
    day = r["at"][:10]
    deck["days"][day] = deck["days"].get(day, 0) + 1
    sessions = deck["sessions"]
    session = sessions[-1] if sessions and sessions[-1]["id"] == r["session"] else None
    if session is None:
        session = next((s for s in sessions if s["id"] == r["session"]), None)
    if session is None:
        session = {
            "id": r["session"],
            "command": r.get("command"),
            "kind": r["kind"],
            "started": r["at"],
            "answered": 0,
            "right": 0,
        }
        sessions.append(session)
        del sessions[:-KEEP_SESSIONS]
    session["ended"] = r["at"]
    session["answered"] += 1
    session["right"] += right


def _add_exam(deck: dict, r: dict, right: bool) -> None:
    exams = deck.setdefault("exams", [])
    entry = exams[-1] if exams and exams[-1]["id"] == r["session"] else None
    if entry is None:
        entry = next((e for e in exams if e["id"] == r["session"]), None)
    if entry is None:
        mark = r.get("mark")
        ok = isinstance(mark, (int, float)) and not isinstance(mark, bool) and 0 <= mark <= 100
        entry = {"id": r["session"], "at": r["at"], "questions": 0, "right": 0}
        entry["mark"] = mark if ok else None
        exams.append(entry)
    entry["questions"] += 1
    entry["right"] += right


def _add(ranges: list[list[int]], seq: int) -> bool:
    """Add `seq` to sorted, disjoint [low, high] ranges; False when it was there already."""
    for i, (low, high) in enumerate(ranges):
        if low <= seq <= high:
            return False
        if seq == high + 1:
            ranges[i][1] = seq
            if i + 1 < len(ranges) and ranges[i + 1][0] == seq + 1:
                ranges[i][1] = ranges.pop(i + 1)[1]
            return True
        if seq == low - 1:
            ranges[i][0] = seq
            return True
        if seq < low:
            ranges.insert(i, [seq, seq])
            return True
    ranges.append([seq, seq])
    return True


def deck_view(state: dict, deck_id: str) -> dict:
    """The figures of one deck (empty when it has no history)."""
    return state["decks"].get(deck_id) or new_deck()


def valid(state) -> bool:
    """The shape a saved state must have to be used (anything else is rebuilt from the log)."""
    if not (
        isinstance(state, dict)
        and state.get("version") == VERSION
        and all(isinstance(state.get(k), dict) for k in ("decks", "settings", "seqs"))
    ):
        return False
    seqs = state["seqs"].values()
    if not all(type(ranges) is list for ranges in seqs):
        return False
    if not all(
        type(r) is list and len(r) == 2 and type(r[0]) is int is type(r[1]) and r[0] >= 0 <= r[1]
        for ranges in seqs
        for r in ranges
    ):  # written out in one pass: a year of sessions is checked at every start
        return False
    return all(_valid_deck(deck) for deck in state["decks"].values())


def _valid_deck(deck) -> bool:
    """Every figure a command reads, down to the leaves: a state that passes is safe to use
    (a crafted one with a right checksum is rebuilt from the log, never believed or a crash)."""
    if not isinstance(deck, dict) or not _tally(deck.get("answered"), deck.get("right")):
        return False
    parts = ("principles", "last", "memory", "days")
    if not all(isinstance(deck.get(k), dict) for k in parts):
        return False
    if not all(
        isinstance(t, list) and len(t) == 3 and all(map(_number, t)) and _tally(t[0], t[1])
        for t in deck["principles"].values()
    ):
        return False
    if not all(
        isinstance(by, dict) and all(isinstance(o, str) and o in rec.OUTCOMES for o in by.values())
        for by in deck["last"].values()
    ):
        return False
    if not all(
        isinstance(by, dict) and all(rec.valid_memory(m) for m in by.values())
        for by in deck["memory"].values()
    ):
        return False
    if not all(isinstance(day, str) and _count(n) for day, n in deck["days"].items()):
        return False
    exams = deck.get("exams")
    if not isinstance(exams, list) or not all(
        isinstance(e, dict)
        and _tally(e.get("questions"), e.get("right"))
        and (e.get("mark") is None or _number(e.get("mark")))
        for e in exams
    ):
        return False
    sessions = deck.get("sessions")
    return isinstance(sessions, list) and all(
        isinstance(s, dict) and _tally(s.get("answered"), s.get("right")) for s in sessions
    )


def _tally(answered, right) -> bool:
    """How many, and how many of them right: whole numbers, the second no larger."""
    return _count(answered) and _count(right) and right <= answered


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
