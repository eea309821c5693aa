"""Read reports: text and Markdown files (with YAML front matter), folders, JSON Lines,
and incident tables (ACLED exports and other CSV or XLSX tables, see ``geomap.acled``).

Every reader returns what it could read and the problems it met, file by file and line by
line, so one bad report never loses the others::

    result = read_reports(["reports/", "extra.jsonl"])
    result.reports   # Report records, in a stable order
    result.incidents # Incident records: the rows of incident tables
    result.skipped   # ReportError records: file, line, what is wrong and the fix
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from geomap._errors import ReportError
from geomap.acled import TABLE_SUFFIXES, parse_columns, read_acled
from geomap.records import Incident

__all__ = ["REPORT_SUFFIXES", "ReadResult", "Report", "read_reports"]

logger = logging.getLogger(__name__)

#: File endings read as reports; others in a folder are listed as skipped.
REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl", ".ndjson", ".csv", ".xlsx")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_META_KEYS = ("id", "title", "published", "source", "url", "language")


@dataclass(frozen=True, slots=True)
class Report:
    """One report: its text and what is known about it."""

    id: str
    text: str
    title: str = ""
    published: date | datetime | None = None
    source: str = ""  # the outlet
    url: str = ""
    language: str = ""
    path: str = ""  # the file it came from
    line: int = 0  # its line in a JSON Lines file, 0 for a whole file
    text_offset: int = 0  # where ``text`` starts in the file (after front matter)


@dataclass(slots=True)
class ReadResult:
    """The reports read and the inputs skipped, with reasons."""

    reports: list[Report] = field(default_factory=list)
    skipped: list[ReportError] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)  # rows of incident tables


def _published(value: Any, path: str, line: int) -> date | datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        try:
            return (
                datetime.fromisoformat(value)
                if "T" in value or " " in value.strip()
                else date.fromisoformat(value)
            )
        except ValueError:
            pass
    problem = f"published {value!r} is not a date; write it as 2024-07-30 or 2024-07-30T14:00:00Z"
    raise ReportError(path, line, problem)


def _report(
    meta: dict[str, Any], text: str, path: str, line: int, default_id: str, offset: int = 0
) -> Report:
    unknown_types = [
        k
        for k in _META_KEYS
        if k in meta and not isinstance(meta[k], str | int | float | date | type(None))
    ]
    if unknown_types:
        key = unknown_types[0]
        problem = f"front matter key {key!r} must be a single value, got {meta[key]!r}"
        raise ReportError(path, line, problem)
    return Report(
        id=str(meta.get("id") or default_id),
        text=text,
        title=str(meta.get("title") or ""),
        published=_published(meta.get("published"), path, line),
        source=str(meta.get("source") or ""),
        url=str(meta.get("url") or ""),
        language=str(meta.get("language") or ""),
        path=path,
        line=line,
        text_offset=offset,
    )


def _decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192]:
        raise ReportError(
            path,
            0,
            "this is a binary file, not a text report; remove it or give a .txt/.md/.jsonl file",
        )
    if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark: offsets count after it
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        problem = (
            f"invalid UTF-8 byte {data[e.start : e.end]!r} at line {line}; save the file as UTF-8"
        )
        raise ReportError(path, line, problem) from e


def read_text_report(path: Path) -> Report:
    """Read one .txt or .md report with optional YAML front matter."""
    import yaml

    name = str(path)
    text = _decode(path.read_bytes(), name)
    meta: dict[str, Any] = {}
    offset = 0
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            raise ReportError(
                name,
                line,
                f"the front matter is not valid YAML ({getattr(e, 'problem', e)}); "
                "fix it or remove the --- block",
            ) from e
        if loaded is not None and not isinstance(loaded, dict):
            raise ReportError(
                name,
                2,
                "the front matter must be key: value lines "
                "(title, published, source, url, language, id)",
            )
        meta = loaded or {}
        offset = m.end()
    body = text[offset:]
    if not body.strip():
        raise ReportError(name, 0, "the report is empty; write its text after the front matter")
    return _report(meta, body, name, 0, path.stem, offset)


def read_jsonl(path: Path) -> ReadResult:
    """Read a JSON Lines file of reports: one {"id", "text", ...} object per line."""
    name = str(path)
    result = ReadResult()
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        result.skipped.append(ReportError(name, 0, "this is a binary file, not JSON Lines"))
        return result
    if not data.strip():
        result.skipped.append(
            ReportError(name, 0, "the file is empty; write one JSON report per line")
        )
        return result
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            result.skipped.append(
                ReportError(name, number, "invalid UTF-8 on this line; save the file as UTF-8")
            )
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            result.skipped.append(
                ReportError(
                    name,
                    number,
                    f"not JSON ({e.msg} at column {e.colno}); each line must be one JSON object",
                )
            )
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            result.skipped.append(
                ReportError(name, number, 'each line must be a JSON object with a "text" string')
            )
            continue
        try:
            result.reports.append(_report(obj, obj["text"], name, number, f"{path.stem}-{number}"))
        except ReportError as e:
            result.skipped.append(e)
    return result


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not child.name.startswith("."):
                yield child
    else:
        yield path


def _read_file(file: Path, suffix: str, columns: Mapping[str, str] | None) -> ReadResult:
    """One file's reports or table rows, and its skipped lines; raises for a bad file."""
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(file)
    if suffix in (".txt", ".md", ".markdown"):
        return ReadResult(reports=[read_text_report(file)])
    if suffix in TABLE_SUFFIXES:
        rows, bad = read_acled(file, columns=columns)
        return ReadResult(incidents=rows, skipped=bad)
    raise ReportError(
        str(file),
        0,
        f"not a report file ({suffix or 'no ending'}); reports are {', '.join(REPORT_SUFFIXES)}",
    )


def read_reports(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    columns: str | Mapping[str, str] | None = None,
) -> ReadResult:
    """Read reports from files and folders; problems are collected, not raised.

    Parameters
    ----------
    paths
        .txt/.md files, .jsonl files, incident tables (.csv, .xlsx), or folders of them
        (read recursively, sorted).
    strict
        Raise the first problem instead of collecting it.
    columns
        For tables that are neither ACLED exports nor geomap's CSV: which of their columns
        hold the date, the location ... (``"date=Date,location=Town"``, see
        ``geomap.acled.parse_columns``).
    """
    result = ReadResult()
    mapping = parse_columns(columns) if columns else None
    for given in paths:
        path = Path(given)
        if not path.exists():
            error = ReportError(str(path), 0, "no such file or folder; check the path")
            if strict:
                raise error
            result.skipped.append(error)
            continue
        for file in _files(path):
            suffix = file.suffix.lower()
            if path.is_dir() and file.stem.upper() in ("README", "LICENSE", "LICENCE"):
                continue  # a folder's own notes are not reports
            try:
                part = _read_file(file, suffix, mapping)
                if strict and part.skipped:
                    raise part.skipped[0]
                result.reports.extend(part.reports)
                result.incidents.extend(part.incidents)
                result.skipped.extend(part.skipped)
            except ReportError as e:
                if strict:
                    raise
                result.skipped.append(e)
            except OSError as e:
                error = ReportError(str(file), 0, f"cannot read the file: {e.strerror}")
                if strict:
                    raise error from e
                result.skipped.append(error)
    result.reports = _unique_ids(result.reports)
    return result


def _unique_ids(reports: list[Report]) -> list[Report]:
    """Reports with unique ids: a later duplicate gets a -2, -3 ... suffix, with a warning."""
    taken = {r.id for r in reports}
    seen: set[str] = set()
    unique = []
    for report in reports:
        new_id, n = report.id, 1
        while new_id in seen or (new_id != report.id and new_id in taken):
            n += 1
            new_id = f"{report.id}-{n}"
        if new_id != report.id:
            logger.warning(
                "%s: report id %r is used twice; renamed %r", report.path, report.id, new_id
            )
            report = replace(report, id=new_id)
        seen.add(new_id)
        unique.append(report)
    return unique
