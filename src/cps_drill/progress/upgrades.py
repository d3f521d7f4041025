"""The upgrade chain: one named step from each past format of the progress folder to the next.

A step takes what the folder held in its format (the state file's contents, and the records of
the log, if any) and returns the records of the next format. Steps must give the same result
when run again on their own output: an upgrade cut short by a crash is simply run again.

    1 -> 2  everything in progress.json  ->  one answer a line in answers.jsonl
    2 -> 3  answers without kind or deck ->  records with kind, deck, session and seq
"""

from __future__ import annotations

from collections.abc import Callable

from cps_drill.deck.model import BUNDLED_DECK_ID
from cps_drill.progress import records as rec

Step = Callable[[dict | None, list[dict]], list[dict]]


def upgrade_1_to_2(state: dict | None, lines: list[dict]) -> list[dict]:
    """Format 1 kept answers and sessions in progress.json; format 2 keeps answers in a log.

    The command of each session moves onto its answers. A log that already stands beside the
    old file (restored from an old backup, say) is kept too: its answers are merged in.
    """
    old = state or {}
    commands = {str(s.get("id")): s.get("command") for s in old.get("sessions", [])}
    moved = [
        {**a, "command": a.get("command") or commands.get(str(a.get("session")))}
        for a in old.get("answers", [])
    ]
    return _merge(moved, lines)


def upgrade_2_to_3(state: dict | None, lines: list[dict]) -> list[dict]:
    """Every answer gets a kind (a drill answer), the deck it came from (the bundled deck: the
    only one whose history format 2 kept apart from nothing), and its place in its session."""
    seqs: dict[str, int] = {}
    out = []
    for line in lines:  # each line is an answer of its own, even two alike to the second
        if "kind" in line:  # already of format 3 (an upgrade cut short and run again)
            session, seq = str(line.get("session")), line.get("seq")
            if isinstance(seq, int) and not isinstance(seq, bool):
                seqs[session] = max(seqs.get(session, 0), seq)
            out.append(line)
            continue
        session = str(line.get("session") or "before-sessions")
        seqs[session] = seqs.get(session, 0) + 1
        out.append(
            {
                "kind": rec.DRILL,
                "deck": BUNDLED_DECK_ID,
                **line,
                "session": session,
                "seq": seqs[session],
                "fingerprint": line.get("fingerprint") or "",
                "command": line.get("command"),
            }
        )
    return out


UPGRADES: dict[int, Step] = {1: upgrade_1_to_2, 2: upgrade_2_to_3}  # from format N to N + 1


def upgrade(format_: int, state: dict | None, lines: list[dict]) -> list[dict]:
    """Run every step from `format_` up to the current format."""
    records = lines
    while format_ < rec.FORMAT:
        records = UPGRADES[format_](state, records)
        state = None
        format_ += 1
    return records


def _merge(first: list[dict], then: list[dict]) -> list[dict]:
    """Both lists in order, as a union of answers: an answer in both is kept once, and two
    answers alike in every way (given in the same second) are both kept, as many times as
    the list with more of them holds."""
    from collections import Counter

    in_first = Counter(_content(a) for a in first)
    merged = list(first)
    matched: Counter = Counter()
    for answer in then:
        key = _content(answer)
        if matched[key] < in_first[key]:
            matched[key] += 1  # the same answer, already in the first list
        else:
            merged.append(answer)
    return merged


def _content(answer: dict) -> tuple:
    """What an answer was, whatever format holds it (a format-3 record's own fields aside)."""
    keys = ("session", "question", "at", "outcome", "seconds", "chosen", "correct")
    return tuple(str(answer.get(k)) for k in keys)
