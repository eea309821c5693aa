"""Durable file replacement, shared by the index build, imports and geomap's outputs.

A file written beside its target is flushed to disk, renamed over the target, and the
folder is flushed too, so a crash leaves either the old file or the new one, never half.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["fsync_file", "fsync_folder", "replace_durably"]


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
