"""Run cps-drill with one write failure injected, for bench/crash.py: `python -m faults ARGS`.

FAULT names the failure and FAULT_AFTER how many writes go through first:

    short-then-full  a write stores only part of its data, and the next one finds the disk full
    enospc           a write fails: no space left on the device
    eio              a write fails: an input/output error
    fsync            flushing a file to the disk fails (EIO)
    rename           putting a written file in place fails (ENOSPC)

Only the operating-system calls that cps-drill's progress folder uses are wrapped (os.write,
os.fsync, os.replace); what the screen prints is not touched. One line saying "injected" goes
to standard error when the fault fires, so the harness knows that it did.
"""

from __future__ import annotations

import errno
import os
import sys

KIND = os.environ.get("FAULT", "enospc")
AFTER = int(os.environ.get("FAULT_AFTER", "0"))
_calls = {"n": 0, "fired": False}
_write, _fsync, _replace = os.write, os.fsync, os.replace


def _due() -> bool:
    if _calls["fired"]:
        return KIND == "short-then-full"  # the disk stays full
    _calls["n"] += 1
    if _calls["n"] <= AFTER:
        return False
    _calls["fired"] = True
    sys.stderr.write(f"[{KIND} injected]\n")
    return True


def write(fd, data):
    if KIND in ("short-then-full", "enospc", "eio") and _due():
        if KIND == "short-then-full" and _calls.get("short") is None and len(data) > 1:
            _calls["short"] = True
            return _write(fd, bytes(data[: len(data) // 2]))
        code = errno.EIO if KIND == "eio" else errno.ENOSPC
        raise OSError(code, os.strerror(code))
    return _write(fd, data)


def fsync(fd):
    if KIND == "fsync" and _due():
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    return _fsync(fd)


def replace(src, dst, **kw):
    if KIND == "rename" and _due():
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return _replace(src, dst, **kw)


if __name__ == "__main__":
    os.write, os.fsync, os.replace = write, fsync, replace
    sys.argv[0] = "cps-drill"
    from cps_drill.cli import main

    main()
