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

import contextlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from gazetteer.files import read_regular_file
from geomap._errors import ReportError, shown
from geomap.acled import TABLE_SUFFIXES, PointCheck, parse_columns, read_table
from geomap.readers.files import input_entries
from geomap.records import Incident, date_out_of_range

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
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (path, why): notes, hidden
    notes: list[ReportError] = field(default_factory=list)  # rows read after a correction


def _published(value: Any, path: str, line: int) -> date | datetime | None:
    if value is None or value == "":
        return None
    day: date | None = value if isinstance(value, datetime | date) else None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # not a date: said below
            day = (
                datetime.fromisoformat(value)
                if "T" in value or " " in value.strip()
                else date.fromisoformat(value)
            )
    if day is None:
        problem = (
            f"published {shown(value)} is not a date; write it as 2024-07-30 or "
            "2024-07-30T14:00:00Z"
        )
        raise ReportError(path, line, problem)
    if why := date_out_of_range(day):
        raise ReportError(path, line, f"published {why}; correct the date or leave it out")
    return day


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
        problem = f"front matter key {key!r} must be a single value, got {shown(meta[key])}"
        raise ReportError(path, line, problem)
    _check_strings(meta, text, path, line)
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


def _check_strings(meta: Mapping[str, Any], text: str, path: str, line: int) -> None:
    """Refuse a lone surrogate ("\\ud800" in JSON): it is no character and cannot be written."""
    for key, value in [("text", text), *((k, meta.get(k)) for k in _META_KEYS)]:
        if not isinstance(value, str):
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as e:
            problem = (
                f"{key!r} holds a lone surrogate {value[e.start]!r} at character {e.start}, "
                "which is no character; escape the pair (\\ud83d\\ude00) or the UTF-8 itself"
            )
            raise ReportError(path, line, problem) from None


@cache
def _front_matter_loader() -> type[Any]:
    """Safe YAML in which a timestamp that names no day (2024-13-45) stays text."""
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        pass

    def timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return loader.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)  # _published says what is wrong with it

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return FrontMatterLoader


def _front_matter(block: str, name: str) -> Any:
    import yaml

    try:
        return yaml.load(block, Loader=_front_matter_loader())  # a SafeLoader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        raise ReportError(
            name,
            line,
            f"the front matter is not valid YAML ({problem}); fix it or remove the --- block",
        ) from e
    except (ValueError, OverflowError, RecursionError) as e:  # 5,000 digits; deep nesting
        raise ReportError(
            name, 1, f"the front matter cannot be read ({shown(str(e))}); fix it or remove it"
        ) from e


def read_text_report(path: Path) -> Report:
    """Read one .txt or .md report with optional YAML front matter."""
    name = str(path)
    text = _decode(read_regular_file(path), name)
    meta: dict[str, Any] = {}
    offset = 0
    m = _FRONT_MATTER.match(text)
    if m:
        loaded = _front_matter(m.group(1), name)
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
    data = read_regular_file(path)
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
        except RecursionError:
            result.skipped.append(
                ReportError(name, number, "JSON nested too deeply to read; flatten the line")
            )
            continue
        except ValueError as e:  # an integer of more than 4,300 digits
            problem = f"not readable JSON ({shown(str(e))}); write long numbers as strings"
            result.skipped.append(ReportError(name, number, problem))
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


def _read_file(
    file: Path, suffix: str, columns: Mapping[str, str] | None, check_point: PointCheck | None
) -> ReadResult:
    """One file's reports or table rows, and its skipped lines; raises for a bad file."""
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(file)
    if suffix in (".txt", ".md", ".markdown"):
        return ReadResult(reports=[read_text_report(file)])
    if suffix in TABLE_SUFFIXES:
        table = read_table(file, columns=columns, check_point=check_point)
        return ReadResult(incidents=table.incidents, skipped=table.skipped, notes=table.notes)
    raise ReportError(
        str(file),
        0,
        f"not a report file ({suffix or 'no ending'}); reports are {', '.join(REPORT_SUFFIXES)}",
    )


def _add(result: ReadResult, part: ReadResult, *, strict: bool) -> None:
    if strict and part.skipped:
        raise part.skipped[0]
    result.reports.extend(part.reports)
    result.incidents.extend(part.incidents)
    result.skipped.extend(part.skipped)
    result.notes.extend(part.notes)


def read_reports(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    columns: str | Mapping[str, str] | None = None,
    check_point: PointCheck | None = None,
) -> ReadResult:
    """Read reports from files and folders; problems are collected, not raised.

    Only regular files are read; every other entry of a folder (a named pipe, a device, a
    dangling link, a link loop ...) is skipped with its reason, and a folder's notes and
    hidden entries are listed as ignored (``geomap.readers.files``).

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
    check_point
        Checks a table row's coordinates against its country (see
        ``geomap.acled.PointCheck``); without it only their range is checked.
    """
    result = ReadResult()
    mapping = parse_columns(columns) if columns else None
    for given in paths:
        for entry in input_entries(given):
            file = entry.path
            if entry.ignored:
                result.ignored.append((str(file), entry.ignored))
                continue
            try:
                if entry.problem:
                    raise ReportError(str(file), 0, entry.problem)
                _add(
                    result,
                    _read_file(file, file.suffix.lower(), mapping, check_point),
                    strict=strict,
                )
            except ReportError as e:
                if strict:
                    raise
                result.skipped.append(e)
            except OSError as e:
                error = ReportError(str(file), 0, f"cannot read the file: {e.strerror or e}")
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
