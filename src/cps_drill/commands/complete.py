"""Shell completion: the principle ids of the deck in use, for every command that takes one.

The shell runs this on each Tab, so it reads only the deck's principles.yaml (never the
questions), and a deck that cannot be read offers nothing: a traceback, or any line on the
screen, would land in the middle of what the user is typing.
"""

from __future__ import annotations

import os
from collections.abc import Collection


def principle_choices(
    content: str | os.PathLike | None, incomplete: str, taken: Collection[str] = ()
) -> list[tuple[str, str]]:
    """(id, name) of each principle whose id starts with `incomplete`, in the deck's order,
    leaving out those already given (`taken`). `content` is the --content folder, if any."""
    try:
        from cps_drill.deck.load import content_folder, load_principles

        folder = content_folder(os.path.expanduser(content) if content else None)
        principles = load_principles(folder).principles.values()
    except Exception:  # whatever is wrong with the deck, Tab offers nothing (see above)
        return []
    return [(p.id, p.name) for p in principles if p.id.startswith(incomplete) and p.id not in taken]
