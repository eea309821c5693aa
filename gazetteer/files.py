"""Durable file replacement, shared by the index build, imports and geomap's outputs.

A file written beside its target is flushed to disk, renamed over the target, and the
folder is flushed too, so a crash leaves either the old file or the new one, never half.
:func:`exclusive` keeps two processes from writing the same files at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from gazetteer._errors import GazetteerError

__all__ = ["exclusive", "fsync_file", "fsync_folder", "replace_durably", "sha256_of"]


@contextlib.contextmanager
def exclusive(lock_path: Path, busy: str) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (made if missing), or fail at once.

    Raises
    ------
    GazetteerError
        With the message ``busy`` when another process holds the lock.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise GazetteerError(busy) from e
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fsync_file(path: Path) -> None:
    """Flush a closed file's contents to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames) to disk, where the file system allows it."""
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_durably(temp: Path, target: Path) -> None:
    """Flush ``temp``, rename it over ``target``, and flush the folder."""
    fsync_file(temp)
    os.replace(temp, target)
    fsync_folder(target.parent)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex, read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
