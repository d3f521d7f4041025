"""Files a command writes for the candidate to keep (a study sheet, an export, an exam report):
checked before any work is done, then written whole or not at all.

Unlike the progress folder, these are ordinary files, readable as the user's others are.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO

from cps_drill import errors


def check(file: Path, example: str) -> bool:
    """Refuse a file that cannot be written, with one line; say whether it is there already."""
    folder = file.parent
    try:
        if is_folder(file):
            raise errors.UsageError(
                f"{file}: that is a folder. Name a file to write in it, such as {file / example}."
            )
        if not folder.exists():
            raise errors.UsageError(
                f"{file}: there is no folder {folder} to write it in. Create the folder "
                "first, or name a file in a folder that exists."
            )
        if not folder.is_dir():
            raise errors.UsageError(f"{file}: {folder} is a file, not a folder.")
        return os.path.lexists(file)
    except OSError as exc:
        raise _failed(file, exc) from None


def is_folder(file: Path) -> bool:
    try:
        return file.is_dir()
    except OSError:
        return False


def write(file: Path, fill: Callable[[IO[bytes]], object]) -> None:
    """Write `file` whole through `fill`, or leave it as it was and raise one clear error."""
    temp = file.parent / f".{file.name}.{secrets.token_hex(4)}.tmp"
    try:
        # 0o666 less the umask: an export is an ordinary file, readable as the user's others.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise _failed(file, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, file)
    except OSError as exc:
        raise _failed(file, exc) from None
    finally:
        if os.path.lexists(temp):
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _failed(file: Path, exc: OSError) -> errors.DrillError:
    reason = exc.strerror or str(exc)
    return errors.DrillError(
        f"{file}: cannot write it ({reason}). An existing file of that name is left as it was."
    )
