"""Pause the garbage collector while building many small objects that hold no cycles."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """Collecting midway through a large deck or a long history is wasted work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
