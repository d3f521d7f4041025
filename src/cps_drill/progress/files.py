"""Durable, private file operations for the progress folder. Nothing here knows what a record is.

- A folder is the owner's alone: created 0700 (parents too, whatever the umask), an existing one
  made 0700, and one that belongs to another user refused.
- A whole file is written to a private temp file in the same folder, flushed, fsynced and put in
  place with `os.replace`; a failed write leaves the old file and no temp file behind.
- An appended line is written whole or not at all: a short write or an error (a full disk, a
  file-size limit) is rolled back to the old length before the error is raised.
- Temp files are only written under the folder's lock, so any found while holding it were left
  by a killed process and are removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cps_drill.errors import ProgressError, SaveFailed

BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
LOCK_TIMEOUT = 10  # seconds to wait for another cps-drill that is saving
TEMP_SUFFIX = ".tmp"
FOLDER_ADVICE = "Set CPS_DRILL_HOME to a folder of your own that you can write to."


def cannot_open(path: Path, exc: OSError) -> ProgressError:
    if exc.errno == errno.ENOTDIR:  # the progress folder's path runs through a file
        return ProgressError(
            f"{path.parent}: part of this path is a file, not a folder, so your progress "
            f"cannot be kept there. {FOLDER_ADVICE}"
        )
    return ProgressError(
        f"{path}: cannot be opened ({exc.strerror or exc}). Check that it and its folder "
        "belong to you and that you may read and write them; nothing has been changed."
    )


def cannot_save(folder: Path, exc: OSError) -> SaveFailed:
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EFBIG: "a file-size limit was reached",
        errno.EDQUOT: "the disk quota is used up",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return SaveFailed(
        f"{folder}: could not save your progress ({reason}). Everything saved before is "
        "unchanged; free some space and start again."
    )


def make_private_folder(folder: Path) -> None:
    """Create `folder` and its missing parents as 0700, or make an existing one 0700."""
    missing = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    try:
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=0o700)
            _chmod(path, 0o700)  # mkdir's mode is cut by the umask
        info = folder.stat()
    except OSError as exc:
        raise ProgressError(
            f"{folder}: cannot create the progress folder ({exc.strerror}). {FOLDER_ADVICE}"
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise ProgressError(f"{folder}: this is a file, not a folder. {FOLDER_ADVICE}")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ProgressError(
            f"{folder}: this folder belongs to another user, so your progress would not be "
            f"private there. {FOLDER_ADVICE}"
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        try:
            _chmod(folder, 0o700)
        except OSError as exc:
            raise cannot_open(folder, exc) from None


def make_private_tree(folder: Path) -> None:
    """Every file of ours in the folder 0600 and every folder 0700 (run under the lock)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        for entry in _walk(folder):
            info = entry.stat(follow_symlinks=False)
            if info.st_uid != os.getuid() or stat.S_ISLNK(info.st_mode):
                continue
            wanted = 0o700 if stat.S_ISDIR(info.st_mode) else 0o600
            if stat.S_IMODE(info.st_mode) & 0o077:
                os.chmod(entry.path, wanted)


def _walk(folder: Path) -> Iterator[os.DirEntry]:
    with os.scandir(folder) as entries:
        for entry in entries:
            yield entry
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path))


def _chmod(path: Path, mode: int) -> None:
    if os.name == "posix":
        os.chmod(path, mode)


def read_bytes(path: Path, start: int = 0) -> bytes | None:
    """A regular file's bytes from `start`; None when it does not exist. Anything else in its
    place (a folder, a FIFO, a device, a link to one) is named, never read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | BINARY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise cannot_open(path, exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise not_a_file(path)
        with os.fdopen(fd, "rb") as f:
            if start:
                f.seek(start)
            return f.read()
    except OSError as exc:
        raise cannot_open(path, exc) from None


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def not_a_file(path: Path):
    from cps_drill.errors import DamagedProgress

    return DamagedProgress(
        f"{path}: cannot read your progress: something other than a file is in its place. "
        "It has been left exactly as it is."
    )


def size_of(path: Path) -> int:
    try:
        info = path.stat()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise cannot_open(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise not_a_file(path)
    return info.st_size


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Replace `path` with `data` in one step; on failure the old file is untouched."""
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}-", suffix=TEMP_SUFFIX, dir=path.parent
        )
        with os.fdopen(fd, "wb") as tmp:
            _chmod(Path(tmp_name), 0o600)  # mkstemp makes it 0600 already; say so anyway
            tmp.write(data)
            tmp.flush()
            if sync:
                os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        if sync:
            sync_folder(path.parent)
    except OSError as exc:
        raise cannot_save(path.parent, exc) from None
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def copy_private(source: Path, target: Path) -> None:
    """A private copy of `source` at `target`, put in place in one step."""
    data = read_bytes(source)
    write_atomic(target, data or b"")


def append_whole(path: Path, data: bytes, end_last_line) -> None:
    """Append `data` and make it durable, or leave the file as it was and raise SaveFailed.

    `end_last_line(fd, size)` tidies an unfinished last line first (see the store).
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | BINARY | NOFOLLOW, 0o600)
    except OSError as exc:
        raise cannot_open(path, exc) from None
    created = False
    try:
        size = os.fstat(fd).st_size
        created = size == 0
        if size:
            end_last_line(fd, size)
            size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[written:]
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):  # take the part that was written back
                os.ftruncate(fd, size)
                os.fsync(fd)
            raise cannot_save(path.parent, exc) from None
    except OSError as exc:
        raise cannot_save(path.parent, exc) from None
    finally:
        os.close(fd)
    if created:
        with contextlib.suppress(OSError):
            sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a new or renamed file's entry durable (POSIX; Windows cannot open a folder)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_temp_files(*folders: Path) -> int:
    """Remove temp files left by a killed process; call only while holding the lock."""
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


@contextlib.contextmanager
def locked(folder: Path, name: str = "progress.lock"):
    """Hold the folder's lock, so that two cps-drill windows both keep every answer."""
    from filelock import FileLock, Timeout

    make_private_folder(folder)
    lock = FileLock(str(folder / name), timeout=LOCK_TIMEOUT, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise ProgressError(
            f"{folder}: another cps-drill kept the progress locked for "
            f"{LOCK_TIMEOUT} s; close it and try again."
        ) from None
    except OSError as exc:
        raise cannot_open(folder / name, exc) from None
    try:
        yield
    finally:
        lock.release()
