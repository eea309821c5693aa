"""Files, shared by the index build, imports and geomap's readers and outputs.

- **Locks.** :func:`exclusive` keeps two processes from writing the same files at once.
- **Durable replacement.** A file written beside its target is flushed to disk, renamed
  over the target, and the folder is flushed too, so a crash leaves either the old file or
  the new one, never half.
- **Regular files only.** Input is read only from regular files (or links to them): a
  named pipe would block for ever, ``/dev/zero`` never ends, and a folder is not a file.
  The check is made on the opened file, so nothing can swap the path in between.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from gazetteer._errors import GazetteerError, NotARegularFileError

__all__ = [
    "exclusive",
    "file_kind",
    "first_bad_utf8",
    "fsync_file",
    "fsync_folder",
    "read_regular_file",
    "replace_durably",
    "sha256_of",
]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


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


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words: "a regular file", "a named pipe (FIFO)" ..."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def first_bad_utf8(path: str | Path) -> tuple[int, bytes] | None:
    """The line and byte where a file stops being UTF-8 (a NUL counts: a binary file), or
    None; read in blocks, so a large file costs no memory."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            nul = block.find(b"\x00")
            try:
                decoder.decode(block if nul < 0 else block[:nul], final=False)
            except UnicodeDecodeError as e:
                return line + block.count(b"\n", 0, e.start), block[e.start : e.start + 1]
            if nul >= 0:
                return line + block.count(b"\n", 0, nul), b"\x00"
            line += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line, b""
    return None


def read_regular_file(path: str | Path, *, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit`` of them); never blocks on a pipe.

    Raises
    ------
    NotARegularFileError
        When ``path`` is a named pipe, a device, a socket or a folder.
    OSError
        When it cannot be opened (missing, a dangling link, a link loop, no permission).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            msg = f"{path} is {file_kind(mode)}, not a regular file; only regular files are read"
            raise NotARegularFileError(msg)
        return f.read() if limit is None else f.read(limit)


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
