"""``geomap gazetteer import`` of files that are not what their name says: one clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.conftest import BOUND, geomap


def _error_line(outcome: object) -> str:
    assert "Traceback" not in outcome.output  # type: ignore[attr-defined]
    assert outcome.status == 1, outcome.output  # type: ignore[attr-defined]
    assert outcome.seconds < BOUND  # type: ignore[attr-defined]
    lines = outcome.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) <= 2, lines  # the progress bar's label, then the error
    return lines[-1]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # a picture
        bytes(range(256)) * 64,  # every byte
        "name,lat,lon\nCafé,1,2\n".encode("cp1252"),  # a legacy encoding
    ],
)
def test_a_binary_file_named_csv_is_one_error_line(mini: Path, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(data)
    line = _error_line(geomap("gazetteer", "import", path))
    assert line.startswith(f"Error: {path}"), line
    assert "binary file, not a CSV table" in line or "is not UTF-8" in line


def test_a_bad_byte_deep_in_a_csv_is_one_error_line(mini: Path, tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    rows = "".join(f"Site {k},33.{k:04d},44.{k:04d}\n" for k in range(5000))
    path.write_bytes(b"name,lat,lon\n" + rows.encode() + b"Caf\xe9,33.3,44.4\n")
    assert os.path.getsize(path) > 1 << 16  # past the head geomap checks first
    line = _error_line(geomap("gazetteer", "import", path))
    assert line == (
        f"Error: {path}, line 5002: byte b'\\xe9' is not UTF-8; save the table as UTF-8 text"
    )
