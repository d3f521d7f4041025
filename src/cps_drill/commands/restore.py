"""`restore`: recover every answer that can still be read after damage."""

from __future__ import annotations

from cps_drill.commands.context import Context
from cps_drill.progress.backups import Recovery
from cps_drill.progress.backups import restore as recover
from cps_drill.progress.store import Store


def restore(ctx: Context) -> Recovery:
    return recover(Store(ctx.home))
