"""What every command is given: where progress lives, how the program was started, which deck."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from cps_drill.deck import cache
from cps_drill.deck.load import content_folder
from cps_drill.deck.model import Deck
from cps_drill.progress.store import Store


@dataclass
class Context:
    home: Path  # the progress folder
    program: str = "cps-drill"  # how the user started cps-drill, to name commands they can paste
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The progress folder, private and in the current format (opened once a run)."""
        if self._store is None:
            self._store = Store(self.home).open()
        return self._store

    def deck(self, content: Path | None, cached: bool = True) -> Deck:
        folder = content_folder(content)
        return cache.load(folder, self.home / "cache" if cached else None)

    def finish(self) -> None:
        """At the end of a command: keep the decks it checked, for a quick start next time. A
        cache that cannot be written is only skipped: the command has done its work."""
        from cps_drill.errors import ProgressError

        if cache.pending():
            with contextlib.suppress(ProgressError, OSError):
                cache.save(self.store().write_cached)
        if self._store is not None:
            with contextlib.suppress(ProgressError, OSError):
                self._store.keep_derived()
