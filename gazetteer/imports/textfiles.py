"""Stream the text of a file to import, or of the data file inside its ``.zip``.

GeoNames publishes ``IQ.zip`` (``IQ.txt`` and ``readme.txt``), ``allCountries.zip`` and
``alternateNamesV2.zip`` (with ``iso-languagecodes.txt``): the data file is the largest
text member that is not a readme or a language list.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from gazetteer._errors import ImportFileError

__all__ = ["data_size", "open_lines", "open_raw"]

_NOT_DATA = ("readme.txt", "iso-languagecodes.txt")
_PROGRESS_LINES = 1 << 16


def _main_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    members = [
        m
        for m in archive.infolist()
        if not m.is_dir() and m.filename.lower().endswith((".txt", ".tsv", ".csv"))
        and Path(m.filename).name.lower() not in _NOT_DATA
    ]  # fmt: skip
    if not members:
        names = ", ".join(m.filename for m in archive.infolist()) or "nothing"
        msg = f"{path} holds no .txt file to import (it holds {names})"
        raise ImportFileError(msg)
    return max(members, key=lambda m: m.file_size)


@contextlib.contextmanager
def open_raw(path: Path) -> Iterator[tuple[IO[bytes], int]]:
    """The bytes of a file or of the data file of a zip, and their number."""
    with contextlib.ExitStack() as stack:
        if zipfile.is_zipfile(path):
            archive = stack.enter_context(zipfile.ZipFile(path))
            member = _main_member(archive, path)
            raw: IO[bytes] = stack.enter_context(archive.open(member))
            yield raw, member.file_size
        else:
            yield stack.enter_context(path.open("rb")), path.stat().st_size


@contextlib.contextmanager
def open_lines(path: Path, advance: Callable[[int], None] | None = None) -> Iterator[Iterable[str]]:
    """The text lines of a file or of the data file of a zip, streamed.

    Lines end at ``\\n`` only; bytes that are not UTF-8 become U+FFFD. ``advance`` is told
    the number of bytes read as the lines go.
    """
    with open_raw(path) as (raw, total):
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="\n")
        try:
            yield text if advance is None else _advancing(text, raw, total, advance)
        finally:
            text.detach()


def _advancing(
    lines: Iterable[str], raw: IO[bytes], total: int, advance: Callable[[int], None]
) -> Iterator[str]:
    done = 0
    for i, line in enumerate(lines):
        yield line
        if i & (_PROGRESS_LINES - 1) == 0:
            position = min(raw.tell(), total)
            advance(position - done)
            done = position
    advance(total - done)


def data_size(path: Path) -> int:
    """The number of bytes :func:`open_lines` reads."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return _main_member(archive, path).file_size
    return path.stat().st_size
