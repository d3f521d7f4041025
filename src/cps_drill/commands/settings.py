"""`settings`: choices kept with your progress, such as leaving out questions with a content note.

Settings are records in the progress log (progress/records.py), so every write keeps them and
`restore` brings them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cps_drill import errors
from cps_drill.commands.context import Context
from cps_drill.progress import records as rec

# name -> (choices, the default, what it does)
KNOWN: dict[str, tuple[tuple[str, ...], str, str]] = {
    "content-notes": (
        ("show", "hide"),
        "show",
        "whether drills ask questions that carry a content note",
    ),
    "screen": (
        ("live", "plain"),
        "live",
        "how screens are drawn; plain is linear lines for screen readers, as --plain gives",
    ),
}
# Kept by other commands, read here for all (plan keeps both).
EXAM_DATE = "exam-date"  # YYYY-MM-DD
EXTENDED_TIME = "extended-time"  # the factor every time limit is multiplied by


def exam_date(settings: dict) -> str | None:
    """The exam date kept in the settings, if it is one (a hand-edited value is ignored)."""
    from datetime import date

    value = settings.get(EXAM_DATE)
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day.isoformat() if day >= date.today() else None  # a date that has passed: none


def checked_extension(factor: float) -> float:
    """An --extended-time factor as given, or one line saying what it takes."""
    from cps_drill.study.exam import LONGEST_EXTENSION

    if not 1 <= factor <= LONGEST_EXTENSION:
        raise errors.UsageError(
            f"--extended-time takes a factor from 1 to {LONGEST_EXTENSION:g} "
            "(1.5 is half as much time again)."
        )
    return factor


def extended_time(settings: dict) -> float:
    """The kept extended-time factor (1 when none, or when the kept one is not a factor)."""
    value = settings.get(EXTENDED_TIME)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 3:
        return float(value)
    return 1.0


@dataclass
class SettingsResult:
    rows: list[tuple[str, str, tuple[str, ...], str]]
    changed: str | None = None
    values: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return dict(self.values)


def current(ctx: Context) -> dict[str, str]:
    """Each known setting's value; one that is not one of its choices reads as the default."""
    saved = ctx.store().settings()
    values = {}
    for name, (choices, default, _) in KNOWN.items():
        value = str(saved.get(name, default)).strip().lower()
        values[name] = value if value in choices else default
    return values


def settings(ctx: Context, name: str | None, value: str | None) -> SettingsResult:
    changed = None
    if name is not None:
        wanted = name.strip().lower()
        if wanted not in KNOWN:
            raise errors.UsageError(f"there is no setting '{name}'. Settings: {', '.join(KNOWN)}.")
        choices, _, _ = KNOWN[wanted]
        if value is None or value.strip().lower() not in choices:
            raise errors.UsageError(
                f"give '{wanted}' one of: {', '.join(choices)} "
                f"(for example: {ctx.program} settings {wanted} {choices[-1]})."
            )
        session = rec.new_session()
        ctx.store().save_settings({wanted: value.strip().lower()}, session=session)
        changed = f"{wanted} {value.strip().lower()}"
    values = current(ctx)
    rows = [(n, values[n], choices, what) for n, (choices, _, what) in KNOWN.items()]
    return SettingsResult(rows, changed, values)
