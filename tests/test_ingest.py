"""Reading reports: text and Markdown files, folders and JSON Lines, and every problem named."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from geomap._errors import GeomapError, ReportError
from geomap.readers.reports import REPORT_SUFFIXES, read_reports

FRONT_MATTER_REPORT = """\
---
id: rocket-attack-1
title: "Rockets hit a base: two hurt"
published: 2024-08-06
source: Example Wire
url: https://news.example.org/rockets
language: en
---
Two rockets struck a base near Hit on Monday.
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _only_problem(paths: list[Path]) -> ReportError:
    result = read_reports(paths)
    assert result.reports == []
    (problem,) = result.skipped
    assert isinstance(problem, ReportError)
    return problem


# --------------------------------------------------------------------------- text files


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    path = _write(tmp_path / "rockets.md", FRONT_MATTER_REPORT)
    result = read_reports([path])
    assert result.skipped == []
    (report,) = result.reports
    assert report.id == "rocket-attack-1"
    assert report.title == "Rockets hit a base: two hurt"
    assert report.published == date(2024, 8, 6)
    assert type(report.published) is date
    assert report.source == "Example Wire"
    assert report.url == "https://news.example.org/rockets"
    assert report.language == "en"
    assert report.text == "Two rockets struck a base near Hit on Monday.\n"
    assert report.path == str(path)
    assert report.line == 0
    assert FRONT_MATTER_REPORT[report.text_offset :] == report.text


def test_front_matter_timestamp_and_numeric_id(tmp_path: Path) -> None:
    text = "---\nid: 42\npublished: 2024-08-06T21:30:00Z\n---\nA drone was shot down.\n"
    (report,) = read_reports([_write(tmp_path / "a.md", text)]).reports
    assert report.id == "42"
    assert report.published == datetime(2024, 8, 6, 21, 30, tzinfo=UTC)
    assert report.title == ""


def test_front_matter_with_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"---\r\nid: crlf\r\ntitle: T\r\n---\r\nBody of the report.\r\n")
    (report,) = read_reports([path]).reports
    assert (report.id, report.title) == ("crlf", "T")
    assert report.text == "Body of the report.\r\n"


def test_text_file_without_front_matter(tmp_path: Path) -> None:
    text = "Gunmen fired on a checkpoint in Hit.\n\nTwo officers were hurt.\n"
    path = _write(tmp_path / "checkpoint.txt", text)
    (report,) = read_reports([path]).reports
    assert report.id == "checkpoint"
    assert report.text == text
    assert report.title == ""
    assert report.published is None
    assert report.source == report.url == report.language == ""
    assert report.text_offset == 0
    assert report.path == str(path)


def test_a_leading_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + FRONT_MATTER_REPORT.encode())
    (report,) = read_reports([path]).reports
    assert report.id == "rocket-attack-1"


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    _write(tmp_path / "c.md", "---\nid: third\n---\nThird report.\n")
    _write(tmp_path / "b" / "inner.txt", "Second report.\n")
    _write(tmp_path / "a.txt", "First report.\n")
    _write(tmp_path / "b" / "deeper" / "z.jsonl", '{"id": "fourth", "text": "x"}\n')
    _write(tmp_path / ".hidden.txt", "Not read.\n")
    result = read_reports([tmp_path])
    assert result.skipped == []
    assert [r.id for r in result.reports] == ["a", "fourth", "inner", "third"]
    assert [Path(r.path).name for r in result.reports] == ["a.txt", "z.jsonl", "inner.txt", "c.md"]
    assert read_reports([tmp_path]).reports == result.reports


def test_other_files_in_a_folder_are_skipped_with_a_reason(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "A report.\n")
    notes = _write(tmp_path / "notes.odt", "a,b\n")  # .csv is an incident table now
    result = read_reports([tmp_path])
    assert [r.id for r in result.reports] == ["a"]
    (problem,) = result.skipped
    assert problem.path == str(notes)
    assert problem.line == 0
    assert "not a report file (.odt)" in problem.problem
    assert ", ".join(REPORT_SUFFIXES) in problem.problem


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_reads_good_lines_and_names_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Rockets hit Baghdad.", "published": "2024-08-01"}),
        "{not json",
        json.dumps({"id": "b", "title": "no text here"}),
        json.dumps({"id": "c", "text": "A blast in Basra.", "published": "last Tuesday"}),
        "",
        json.dumps({"text": "A drone over Erbil.", "published": "2024-08-02T10:00:00"}),
        json.dumps(["Baghdad"]),
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    result = read_reports([path])

    assert [(r.id, r.line) for r in result.reports] == [("a", 1), ("feed-6", 6)]
    first, second = result.reports
    assert first.text == "Rockets hit Baghdad."
    assert first.published == date(2024, 8, 1)
    assert second.published == datetime(2024, 8, 2, 10, 0)
    assert {r.path for r in result.reports} == {str(path)}

    assert [(e.path, e.line) for e in result.skipped] == [
        (str(path), 2),
        (str(path), 3),
        (str(path), 4),
        (str(path), 7),
    ]
    not_json, no_text, bad_date, not_object = result.skipped
    assert "not JSON" in not_json.problem
    assert "each line must be one JSON object" in not_json.problem
    assert 'each line must be a JSON object with a "text" string' in no_text.problem
    assert "'last Tuesday' is not a date" in bad_date.problem
    assert "write it as 2024-07-30 or 2024-07-30T14:00:00Z" in bad_date.problem
    assert 'with a "text" string' in not_object.problem
    assert str(not_json) == f"{path}, line 2: {not_json.problem}"


def test_jsonl_line_with_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a"]
    (problem,) = result.skipped
    assert (problem.path, problem.line) == (str(path), 2)
    assert "save the file as UTF-8" in problem.problem


def test_jsonl_front_matter_key_with_a_list(tmp_path: Path) -> None:
    path = _write(tmp_path / "feed.jsonl", json.dumps({"text": "x", "title": ["a", "b"]}) + "\n")
    problem = _only_problem([path])
    assert problem.line == 1
    assert "'title' must be a single value" in problem.problem


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", ["photo.txt", "feed.jsonl"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    problem = _only_problem([path])
    assert problem.path == str(path)
    assert problem.line == 0
    assert "binary file" in problem.problem


def test_binary_text_report_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"abc\x00def")
    problem = _only_problem([path])
    assert "remove it or give a .txt/.md/.jsonl file" in problem.problem


@pytest.mark.parametrize(
    "content", ["", "   \n\n", "---\ntitle: Only a title\n---\n", "---\ntitle: x\n---\n  \n"]
)
def test_empty_report(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path / "empty.md", content)
    problem = _only_problem([path])
    assert problem.line == 0
    assert "the report is empty; write its text after the front matter" in problem.problem


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "report.txt"
    good = _write(tmp_path / "good.txt", "A report.\n")
    result = read_reports([missing, good])
    assert [r.id for r in result.reports] == ["good"]
    (problem,) = result.skipped
    assert problem.path == str(missing)
    assert problem.line == 0
    assert "no such file or folder; check the path" in problem.problem


def test_front_matter_that_is_not_yaml_names_its_line(tmp_path: Path) -> None:
    text = "---\ntitle: Rockets\nsource: Wire: late edition\nurl: x\n---\nBody.\n"
    path = _write(tmp_path / "bad.md", text)
    problem = _only_problem([path])
    assert problem.path == str(path)
    assert problem.line == 3  # the "source:" line of the file
    assert "the front matter is not valid YAML" in problem.problem
    assert "fix it or remove the --- block" in problem.problem
    assert str(problem).startswith(f"{path}, line 3: ")


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path / "list.md", "---\n- a\n- b\n---\nBody.\n")
    problem = _only_problem([path])
    assert problem.line == 2
    assert "the front matter must be key: value lines" in problem.problem


def test_front_matter_with_a_bad_date(tmp_path: Path) -> None:
    path = _write(tmp_path / "date.md", "---\npublished: soon\n---\nBody.\n")
    problem = _only_problem([path])
    assert "published 'soon' is not a date; write it as 2024-07-30" in problem.problem


def test_invalid_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("First line\nCafé in Hit\n".encode("latin-1"))
    problem = _only_problem([path])
    assert problem.path == str(path)
    assert problem.line == 2
    assert "invalid UTF-8 byte b'\\xe9' at line 2" in problem.problem
    assert "save the file as UTF-8" in problem.problem


def test_invalid_utf8_after_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfab\n\xe9 in Hit\n")
    problem = _only_problem([path])
    assert problem.line == 2
    assert "invalid UTF-8 byte b'\\xe9' at line 2" in problem.problem


# --------------------------------------------------------------------------- ids, strict


def test_duplicate_ids_are_renamed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _write(tmp_path / "a.md", "---\nid: same\n---\nFirst.\n")
    _write(tmp_path / "b.md", "---\nid: same\n---\nSecond.\n")
    lines = [json.dumps({"id": "same", "text": "Third."}), json.dumps({"id": "c", "text": "4"})]
    _write(tmp_path / "c.jsonl", "\n".join(lines) + "\n")
    _write(tmp_path / "same-2.txt", "Fifth, whose file name is a renamed id.\n")
    with caplog.at_level(logging.WARNING, logger="geomap.readers.reports"):
        result = read_reports([tmp_path])
    assert [(r.id, r.text) for r in result.reports[:4]] == [
        ("same", "First.\n"),
        ("same-3", "Second.\n"),
        ("same-4", "Third."),
        ("c", "4"),
    ]
    # a renamed report never takes another report's own id ("same-2" is the fifth's)
    assert (result.reports[4].id, result.reports[4].text) == (
        "same-2",
        "Fifth, whose file name is a renamed id.\n",
    )
    assert len({r.id for r in result.reports}) == len(result.reports) == 5
    assert "report id 'same' is used twice; renamed 'same-3'" in caplog.text


def test_strict_raises_the_first_problem(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "A good report.\n")
    _write(tmp_path / "b.jsonl", '{"text": "ok"}\n{broken\n{"nope": 1}\n')
    _write(tmp_path / "c.txt", "")
    with pytest.raises(ReportError, match=r"b\.jsonl, line 2: not JSON") as info:
        read_reports([tmp_path], strict=True)
    assert info.value.line == 2
    assert isinstance(info.value, GeomapError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.txt", b"", r"empty\.txt: the report is empty"),
        ("bin.md", b"\x00\x01", r"bin\.md: this is a binary file"),
        ("bad.md", b"---\na: [\n---\nx\n", r"bad\.md, line \d+: the front matter is not valid"),
        ("skip.odt", b"a,b\n", r"skip\.odt: not a report file"),
        ("table.csv", b"a,b\n", r"table\.csv, line 1: no event_date column"),
    ],
)
def test_strict_raises_for_each_kind_of_problem(
    tmp_path: Path, name: str, content: bytes, match: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReportError, match=match):
        read_reports([tmp_path], strict=True)


def test_strict_raises_for_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no such file or folder; check the path"):
        read_reports([tmp_path / "missing.md"], strict=True)


def test_strict_reads_good_input(tmp_path: Path) -> None:
    path = _write(tmp_path / "rockets.md", FRONT_MATTER_REPORT)
    result = read_reports([path], strict=True)
    assert [r.id for r in result.reports] == ["rocket-attack-1"]
    assert result.skipped == []
