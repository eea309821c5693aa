"""Which files of the inputs are read: every entry of a folder is read, skipped or passed over,
and always named.

Only regular files (and symbolic links to them) are read. Everything else found among the
inputs is *skipped*, with the reason, so that the run reports it and exits with status 1:

- a named pipe (FIFO), a socket or a device (``/dev/zero``), or a link to one: reading
  would block for ever or never end;
- a symbolic link whose target does not exist, or a loop of links;
- a link to a folder (not followed: a loop of folders would never end; give the folder
  itself);
- a folder that cannot be listed.

A folder's own notes (README, LICENSE) and hidden entries (``.DS_Store``, ``.git``) are
*passed over*: named in the summary as ignored, without changing the exit status.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.files import file_kind

__all__ = ["InputEntry", "input_entries"]

_NOTES = ("README", "LICENSE", "LICENCE")


@dataclass(frozen=True, slots=True)
class InputEntry:
    """One entry found among the inputs: a file to read, or why it is not read."""

    path: Path
    problem: str = ""  # why it is skipped: a bad input (exit status 1)
    ignored: str = ""  # why it is passed over: a folder's notes, a hidden entry

    @property
    def readable(self) -> bool:
        """Whether the entry is a regular file to read."""
        return not self.problem and not self.ignored


def _link_problem(path: Path, error: OSError) -> str:
    target = os.readlink(path) if path.is_symlink() else ""
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links; remove the link"
    if target:
        return f"a symbolic link to {target!r}, which does not exist; remove the link or its target"
    return "no such file or folder; check the path"


def _stat(path: Path) -> os.stat_result | str:
    """The status of what ``path`` points at, or why there is nothing to read there."""
    try:
        return path.stat()
    except FileNotFoundError as e:
        return _link_problem(path, e)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return _link_problem(path, e)
        return f"cannot read it: {e.strerror or e}"


def _not_regular(mode: int) -> str:
    return f"{file_kind(mode)}, not a regular file: only regular files are read"


def _folder(folder: Path) -> Iterator[InputEntry]:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as e:
        yield InputEntry(folder, problem=f"cannot list the folder: {e.strerror or e}")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            yield InputEntry(path, ignored="a hidden entry")
            continue
        if entry.is_symlink():
            status = _stat(path)
            if isinstance(status, str):
                yield InputEntry(path, problem=status)
            elif stat.S_ISDIR(status.st_mode):
                yield InputEntry(
                    path,
                    problem="a symbolic link to a folder, not followed; give the folder itself",
                )
            elif not stat.S_ISREG(status.st_mode):
                yield InputEntry(path, problem="a symbolic link to " + _not_regular(status.st_mode))
            else:
                yield _file(path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _folder(path)
        elif entry.is_file(follow_symlinks=False):
            yield _file(path)
        else:
            yield InputEntry(path, problem=_not_regular(entry.stat(follow_symlinks=False).st_mode))


def _file(path: Path) -> InputEntry:
    if path.stem.upper() in _NOTES:
        return InputEntry(path, ignored="the folder's own notes, not a report")
    return InputEntry(path)


def input_entries(given: str | Path) -> list[InputEntry]:
    """Every entry of one input path (a file or a folder, read recursively), in path order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "a.txt").write_text("Rockets hit Erbil.")
    18
    >>> (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    >>> [(e.path.name, e.readable) for e in input_entries(folder)]
    [('a.txt', True), ('gone.txt', False)]
    """
    path = Path(given)
    status = _stat(path)
    if isinstance(status, str):
        return [InputEntry(path, problem=status)]
    if stat.S_ISDIR(status.st_mode):
        return sorted(_folder(path), key=lambda e: str(e.path))
    if not stat.S_ISREG(status.st_mode):
        return [InputEntry(path, problem=_not_regular(status.st_mode))]
    return [InputEntry(path)]
