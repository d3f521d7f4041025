"""Running totals of the answer log: what stats and the choice of questions need, kept small.

Totals are derived data: they can always be rebuilt from the log, so a file of them is only a
shortcut (see Store.totals) and never the record itself.
"""

from __future__ import annotations

from cps_drill.session import RIGHT

KEEP_SESSIONS = 20
VERSION = 1


def new() -> dict:
    return {
        "version": VERSION,
        "answered": 0,
        "right": 0,
        "principles": {},  # id -> [answered, right]
        "last": {},  # question id -> {fingerprint or "": the latest outcome with it}
        "sessions": [],  # the most recent sessions, oldest first
    }


def add_all(totals: dict, answers: list[dict]) -> dict:
    principles, last, sessions = totals["principles"], totals["last"], totals["sessions"]
    by_id = {s["id"]: s for s in sessions}
    right_count = 0
    for a in answers:
        right = a.get("outcome") == RIGHT
        right_count += right
        tally = principles.get(a.get("principle"))
        if tally is None:
            tally = principles[str(a.get("principle"))] = [0, 0]
        tally[0] += 1
        tally[1] += right
        last.setdefault(a.get("question"), {})[a.get("fingerprint") or ""] = a.get("outcome")
        sid = a.get("session")
        session = by_id.get(sid)
        if session is None:
            session = by_id[sid] = {
                "id": sid,
                "command": a.get("command"),
                "started": a.get("at"),
                "answered": 0,
                "right": 0,
            }
            sessions.append(session)
        session["ended"] = a.get("at")
        session["answered"] += 1
        session["right"] += right
    totals["answered"] += len(answers)
    totals["right"] += right_count
    del sessions[:-KEEP_SESSIONS]
    return totals


def valid(totals) -> bool:
    return (
        isinstance(totals, dict)
        and totals.get("version") == VERSION
        and isinstance(totals.get("covers"), int)
        and all(isinstance(totals.get(k), dict) for k in ("principles", "last"))
        and isinstance(totals.get("sessions"), list)
    )
