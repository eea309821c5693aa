"""Entries of input folders that are not regular files: every one is named, none is read.

A named pipe would block a reader for ever and ``/dev/zero`` never ends, so these cases
run in a child process with the suite's time bound: a hang fails instead of hanging.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.hostile.conftest import assert_outcome, geomap_process, summary


def _run(cache: Path, *args: str | Path) -> object:
    return geomap_process(*args, env={"GEOMAP_CACHE_DIR": str(cache)})


def test_odd_entries_of_a_folder_are_named_and_skipped(
    mini_cache: Path, reports: Path, tmp_path: Path
) -> None:
    os.mkfifo(reports / "pipe.md")
    (reports / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (reports / "loop-a.md").symlink_to(reports / "loop-b.md")
    (reports / "loop-b.md").symlink_to(reports / "loop-a.md")
    (reports / "zero.txt").symlink_to("/dev/zero")
    (reports / "folder-link").symlink_to(tmp_path)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(reports / "socket.txt"))
        out = tmp_path / "out"
        outcome = _run(mini_cache, "run", reports, "-o", out)
    assert_outcome(
        outcome,
        out,
        status=1,
        bad={
            reports / "pipe.md": "a named pipe (FIFO), not a regular file",
            reports / "dangling.md": "a symbolic link to",
            reports / "loop-a.md": "a loop of symbolic links",
            reports / "loop-b.md": "a loop of symbolic links",
            reports / "zero.txt": "a symbolic link to a character device",
            reports / "folder-link": "a symbolic link to a folder, not followed",
            reports / "socket.txt": "a socket, not a regular file",
        },
    )


def test_a_link_to_a_regular_file_is_read(mini_cache: Path, reports: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    (reports / "kirkuk-bomb.md").rename(elsewhere)
    (reports / "kirkuk-bomb.md").symlink_to(elsewhere)
    out = tmp_path / "out"
    assert_outcome(_run(mini_cache, "run", reports, "-o", out), out, status=0)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_non_regular_file_given_as_an_input_is_skipped(
    mini_cache: Path, reports: Path, tmp_path: Path, kind: str
) -> None:
    odd = tmp_path / "given.jsonl"
    if kind == "fifo":
        os.mkfifo(odd)
    else:
        odd.symlink_to("/dev/zero")
    out = tmp_path / "out"
    outcome = _run(mini_cache, "run", reports, odd, "-o", out)
    assert_outcome(outcome, out, status=1, bad={odd: "not a regular file"})


def test_notes_and_hidden_entries_are_named_as_ignored(
    mini_cache: Path, reports: Path, tmp_path: Path
) -> None:
    (reports / "README.md").write_text("# About these reports\n", encoding="utf-8")
    (reports / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (reports / ".git").mkdir()
    out = tmp_path / "out"
    outcome = _run(mini_cache, "run", reports, "-o", out)
    assert_outcome(outcome, out, status=0)
    ignored = {Path(i["path"]).name: i["reason"] for i in summary(out)["ignored"]}
    assert set(ignored) == {"README.md", ".DS_Store", ".git"}
