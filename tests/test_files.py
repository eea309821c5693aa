"""Durable replacement of files, shared by the index build, imports and outputs."""

from __future__ import annotations

from pathlib import Path

from gazetteer.files import fsync_folder, replace_durably


def test_replace_durably_puts_the_new_file_in_place(tmp_path: Path) -> None:
    target = tmp_path / "index.sqlite"
    target.write_text("old", encoding="utf-8")
    temp = tmp_path / "index.sqlite.tmp"
    temp.write_text("new", encoding="utf-8")
    replace_durably(temp, target)
    assert target.read_text(encoding="utf-8") == "new"
    assert not temp.exists()


def test_a_folder_that_cannot_be_synced_is_not_an_error(tmp_path: Path) -> None:
    fsync_folder(tmp_path / "missing")  # open() fails: nothing to flush, nothing raised
