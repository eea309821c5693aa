"""Download GeoNames' files for countries and import them: ``geomap gazetteer download``.

Nothing here runs unless asked: the gazetteer is offline, and this module talks to the
network only when :func:`download_geonames` (or :func:`install_geonames`) is called.

For each country it fetches, from GeoNames' dump server (:data:`DEFAULT_MIRROR`, or a
mirror or proxy given as ``mirror``), the country's extract ``CC.zip`` and its alternate
names ``alternatenames/CC.zip``, and once for all countries :data:`SHARED_FILES`
(``admin1CodesASCII.txt``, ``admin2Codes.txt``, ``countryInfo.txt``). Files are kept in
``downloads/geonames`` of the cache directory, named as on the server with ``/`` made
``-`` (``alternatenames-AD.zip``), with a ``manifest.json`` recording what the server said
of each (ETag, Last-Modified, size), when it was downloaded and its rows.

- **No-op when nothing changed**: a ``HEAD`` request per file; a file whose ETag (else
  Last-Modified) and size are those recorded is not downloaded again (``refresh`` does).
- **Resumed**: a download goes to ``NAME.part``; when the connection drops, the rest is
  asked for with an HTTP ``Range`` (and ``If-Range``, so a file that changed meanwhile
  starts over), up to ``retries`` times at once, and by the next run after that.
- **Verified** before anything is imported: the size the server announced, every zip
  member's CRC (a truncated zip is refused and deleted), the layout of the rows (a dump
  has 19 fields, admin codes 4 ...: a proxy's error page is refused), and the number of
  rows, which the import's counts are checked against.
- **Errors** are one line: :class:`~gazetteer._errors.ServerUnreachableError` when the
  server cannot be reached (offline), :class:`~gazetteer._errors.DownloadError` for a
  missing file (HTTP 404: not a GeoNames country code), a timeout, a dropped connection
  or a file that fails the checks. Nothing is imported unless every file is in.

The files are imported by :func:`gazetteer.imports.import_files`, as
``geomap gazetteer import`` would: GeoNames' data is CC BY 4.0 and its attribution
travels with it (:data:`gazetteer.imports.geonames.GEONAMES_LICENCE`).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer._errors import DownloadError, ImportFileError, ServerUnreachableError
from gazetteer.build import default_cache_dir
from gazetteer.files import exclusive, replace_durably, sha256_of
from gazetteer.imports.geonames import GEONAMES_LICENCE
from gazetteer.imports.importer import ImportOptions, ImportReport, Progress, sniff
from gazetteer.imports.textfiles import open_lines

__all__ = [
    "DEFAULT_MIRROR",
    "SHARED_FILES",
    "DownloadReport",
    "Fetched",
    "InstalledFile",
    "RemoteFile",
    "download_dir",
    "download_geonames",
    "files_for",
    "install_geonames",
    "installed_files",
]

logger = logging.getLogger(__name__)

#: GeoNames' dump server.
DEFAULT_MIRROR = "https://download.geonames.org/export/dump/"
#: Files every country needs, downloaded once: (name on the server, what it is).
SHARED_FILES: tuple[tuple[str, str], ...] = (
    ("admin1CodesASCII.txt", "admin1_codes"),
    ("admin2Codes.txt", "admin2_codes"),
    ("countryInfo.txt", "country_info"),
)

_COUNTRY = re.compile(r"[A-Z]{2}")
# Failures of a connection made: the server was there, the transfer broke.
_CUT = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)
_CHUNK = 1 << 16
_MANIFEST = "manifest.json"
_USER_AGENT = "geomap-gazetteer-download/1 (Python urllib)"
# The fields of a row of each kind of file (a range: countryInfo.txt may grow columns).
_FIELDS = {
    "geonames": (19, 19),
    "alternate_names": (8, 10),
    "admin1_codes": (4, 4),
    "admin2_codes": (4, 4),
    "country_info": (17, 99),
}
# Kinds whose import stores every well-formed row: their counts must add up.
_COUNTED = frozenset({"geonames", "admin1_codes", "admin2_codes"})
_WHAT = {
    "geonames": "a GeoNames country extract",
    "alternate_names": "GeoNames alternate names",
    "admin1_codes": "GeoNames' admin1 codes",
    "admin2_codes": "GeoNames' admin2 codes",
    "country_info": "GeoNames' country information",
}


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """A file on the server: its path there, its name here, what it is, its country."""

    path: str  # "alternatenames/AD.zip"
    kind: str  # what gazetteer.imports.sniff must find it to be
    country: str = ""  # "" for a file shared by all countries

    @property
    def name(self) -> str:
        """The file's name in the download folder."""
        return self.path.replace("/", "-")


@dataclass(frozen=True, slots=True)
class Fetched:
    """What happened to one file: downloaded, resumed, or unchanged on the server."""

    file: RemoteFile
    path: Path
    status: str  # "downloaded", "resumed" or "unchanged"
    size: int
    rows: int
    server_date: str  # the server's Last-Modified, "" if it gave none


@dataclass(frozen=True, slots=True)
class DownloadReport:
    """A download and the import of what it brought."""

    fetched: tuple[Fetched, ...]
    imports: tuple[ImportReport, ...]
    mismatches: tuple[str, ...] = ()  # files whose imported rows do not add up


@dataclass(frozen=True, slots=True)
class InstalledFile:
    """A downloaded file, as ``--list`` shows it."""

    name: str
    country: str
    size: int
    rows: int
    server_date: str
    downloaded_at: str
    imported_at: str  # "" when it is not (or no longer) imported
    licence: str


def download_dir(cache_dir: Path | None = None) -> Path:
    """Where downloaded GeoNames files are kept."""
    return (cache_dir or default_cache_dir()) / "downloads" / "geonames"


def files_for(countries: Iterable[str]) -> list[RemoteFile]:
    """The files of these countries (ISO 3166-1 alpha-2), the shared ones last.

    >>> [f.path for f in files_for(["ad"])][:2]
    ['AD.zip', 'alternatenames/AD.zip']
    """
    files = []
    for raw in dict.fromkeys(c.strip().upper() for c in countries):
        if not _COUNTRY.fullmatch(raw):
            msg = f"a country is given by its two-letter ISO 3166-1 code such as IQ, got {raw!r}"
            raise ValueError(msg)
        files += [
            RemoteFile(f"{raw}.zip", "geonames", raw),
            RemoteFile(f"alternatenames/{raw}.zip", "alternate_names", raw),
        ]
    if not files:
        msg = "give at least one country code, such as IQ"
        raise ValueError(msg)
    return files + [RemoteFile(name, kind) for name, kind in SHARED_FILES]


def _mirror(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = f"a mirror is an http or https URL such as {DEFAULT_MIRROR}, got {url!r}"
        raise ValueError(msg)
    return url if url.endswith("/") else url + "/"


# --------------------------------------------------------------------------- HTTP


@dataclass(frozen=True, slots=True)
class _Head:
    etag: str
    last_modified: str
    size: int | None

    @property
    def validator(self) -> str:
        """What If-Range sends: the ETag, else the date (only a strong one is any use)."""
        return self.etag if self.etag and not self.etag.startswith("W/") else self.last_modified


def _unreachable(url: str, reason: object) -> ServerUnreachableError:
    host = urllib.parse.urlsplit(url).netloc
    msg = (
        f"cannot reach {host} ({reason}): you seem to be offline, or the server is down; "
        "nothing was downloaded and the installed data stays in use (try again when "
        "online, or give --mirror URL)"
    )
    return ServerUnreachableError(msg)


def _http_error(e: urllib.error.HTTPError, url: str, file: RemoteFile) -> DownloadError:
    if e.code == 404:
        hint = ""
        if file.country:
            hint = (
                f"; is {file.country!r} a country GeoNames has? Countries are given by "
                "their ISO 3166-1 alpha-2 codes, such as IQ or SY"
            )
        return DownloadError(f"no file at {url} (HTTP 404){hint}")
    return DownloadError(f"{url} answered HTTP {e.code} {e.reason}; try again later")


class _Client:
    """Requests to one server, with a timeout; every failure becomes one clear error."""

    def __init__(self, mirror: str, timeout: float) -> None:
        self.mirror = mirror
        self.timeout = timeout
        # a mirror or proxy URL is used as given, with the proxies of the environment
        self._opener = urllib.request.build_opener()

    def url(self, file: RemoteFile) -> str:
        return self.mirror + file.path

    @contextlib.contextmanager
    def open(
        self, file: RemoteFile, method: str = "GET", headers: dict[str, str] | None = None
    ) -> Iterator[http.client.HTTPResponse]:
        url = self.url(file)
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": _USER_AGENT, **(headers or {})}
        )
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            e.close()
            raise _http_error(e, url, file) from e
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                raise TimeoutError(str(e.reason)) from e
            if isinstance(e.reason, _CUT):  # connected, then cut: a download resumes
                raise ConnectionResetError(str(e.reason)) from e
            raise _unreachable(url, e.reason) from e  # refused, no route, no such host
        except (http.client.HTTPException, *_CUT) as e:
            raise ConnectionResetError(f"the server broke off ({e!r})") from e
        with response:
            yield response

    def head(self, file: RemoteFile) -> _Head | None:
        """What the server says of a file, or None if it does not answer HEAD requests."""
        try:
            with self.open(file, "HEAD") as r:
                length = r.headers.get("Content-Length")
                return _Head(
                    r.headers.get("ETag", ""),
                    r.headers.get("Last-Modified", ""),
                    int(length) if length and length.isdigit() else None,
                )
        except DownloadError as e:
            if isinstance(e.__cause__, urllib.error.HTTPError) and e.__cause__.code in (405, 501):
                return None
            raise
        except TimeoutError as e:
            msg = f"{self.url(file)} did not answer within {self.timeout:g} s; try again later"
            raise DownloadError(msg) from e
        except ConnectionResetError as e:
            msg = f"{self.url(file)}: the server broke off the connection ({e}); try again later"
            raise DownloadError(msg) from e


class _Dropped(Exception):
    """The connection ended before the whole file came."""


# --------------------------------------------------------------------------- files


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    replace_durably(tmp, path)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _same(entry: dict[str, Any], head: _Head | None, local: Path) -> bool:
    """Whether the server's file is the one downloaded before (and still here)."""
    if head is None or not local.is_file() or local.stat().st_size != entry.get("size"):
        return False
    if head.size is not None and head.size != entry.get("size"):
        return False
    if head.etag and entry.get("etag"):
        return bool(head.etag == entry["etag"])
    return bool(head.last_modified) and head.last_modified == entry.get("last_modified")


def _count_rows(path: Path, kind: str) -> tuple[int, int]:
    """(rows, rows not in the layout of their kind) of a file (blank and # lines aside)."""
    low, high = _FIELDS[kind]
    rows = bad = 0
    with open_lines(path) as lines:
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            rows += 1
            if not low <= line.count("\t") + 1 <= high:
                bad += 1
    return rows, bad


def _verify(path: Path, file: RemoteFile, url: str) -> int:
    """Check a downloaded file; return its rows. Deletes it and raises when it is bad."""
    try:
        if file.path.endswith(".zip"):
            if not zipfile.is_zipfile(path):
                msg = "not a zip file"
                raise zipfile.BadZipFile(msg)
            with zipfile.ZipFile(path) as archive:
                broken = archive.testzip()  # reads every member, checking its CRC
            if broken is not None:
                msg = f"member {broken} is damaged"
                raise zipfile.BadZipFile(msg)
        kind = sniff(path)
        if kind != file.kind:
            msg = f"its rows are those of {kind.replace('_', ' ')}, not of {_WHAT[file.kind]}"
            raise ImportFileError(msg)
        rows, bad = _count_rows(path, kind)
        if rows == 0 or bad * 2 > rows:
            msg = f"{bad:,} of its {rows:,} rows are not in the layout of {_WHAT[kind]}"
            raise ImportFileError(msg)
    except (zipfile.BadZipFile, zlib.error, EOFError, ImportFileError, OSError) as e:
        path.unlink(missing_ok=True)
        what = "zip" if file.path.endswith(".zip") else "file"
        msg = (
            f"{url} did not give a complete, valid {what} ({e}); it was deleted: run the "
            "command again, or use another --mirror"
        )
        raise DownloadError(msg) from e
    return rows


# --------------------------------------------------------------------------- downloading


@dataclass
class _Download:
    """One file's transfer into ``part``, resumed where an earlier one stopped."""

    client: _Client
    file: RemoteFile
    part: Path
    head: _Head | None
    progress: Progress | None
    retries: int
    resumed: bool = False  # some bytes came from an earlier transfer

    def run(self) -> None:
        meta = self.part.with_name(self.part.name + ".json")
        validator = self.head.validator if self.head else ""
        if self.part.exists() and (not validator or _read_json(meta).get("validator") != validator):
            self.part.unlink()  # from another version of the file: start over
        _write_json(meta, {"validator": validator})
        resumed_at = self.part.stat().st_size if self.part.exists() else 0
        total = self.head.size if self.head else None
        label = f"{self.file.path} ({total / 1e6:.1f} MB)" if total else self.file.path
        with contextlib.ExitStack() as stack:
            advance = (
                stack.enter_context(self.progress(label, total or 0)) if self.progress else None
            )
            if advance is not None and resumed_at:
                advance(resumed_at)
            for attempt in range(self.retries + 1):
                try:
                    self._get(validator, advance)
                    break
                except (_Dropped, ConnectionError, TimeoutError) as e:
                    have = self.part.stat().st_size if self.part.exists() else 0
                    logger.info("%s: %s after %s bytes (try %d)", self.file.path, e, have, attempt)
                    if attempt == self.retries:
                        of = f" of {total:,}" if total else ""
                        why = "timed out" if isinstance(e, TimeoutError) else f"broke off ({e})"
                        msg = (
                            f"the download of {self.client.url(self.file)} {why} after "
                            f"{have:,}{of} bytes; run the command again to resume it"
                        )
                        raise DownloadError(msg) from e
        meta.unlink(missing_ok=True)

    def _get(self, validator: str, advance: Callable[[int], None] | None) -> None:
        have = self.part.stat().st_size if self.part.exists() else 0
        total = self.head.size if self.head else None
        if total is not None and have == total:
            return  # all there from an earlier run
        headers = {}
        if have and validator:
            headers = {"Range": f"bytes={have}-", "If-Range": validator}
        with self.client.open(self.file, headers=headers) as r:
            if r.status == 206:
                start = re.match(r"bytes (\d+)-", r.headers.get("Content-Range", ""))
                if start is None or int(start.group(1)) != have:
                    msg = f"asked for bytes from {have}, got {r.headers.get('Content-Range')!r}"
                    raise _Dropped(msg)
                self.resumed = True
            elif have:  # the whole file again: the server ignored the range
                if advance is not None:
                    advance(-have)
                have = 0
            length = r.headers.get("Content-Length")
            expected = have + int(length) if length and length.isdigit() else total
            with self.part.open("ab" if have else "wb") as out:
                while chunk := r.read1(_CHUNK):  # what has come: the bar moves on slow links
                    out.write(chunk)
                    have += len(chunk)
                    if advance is not None:
                        advance(len(chunk))
        if expected is not None and have < expected:
            msg = "the server closed the connection early"
            raise _Dropped(msg)


def download_geonames(
    countries: Sequence[str],
    *,
    mirror: str = DEFAULT_MIRROR,
    cache_dir: Path | None = None,
    refresh: bool = False,
    timeout: float = 60.0,
    retries: int = 3,
    progress: Progress | None = None,
) -> list[Fetched]:
    """Download (or find unchanged) the GeoNames files of these countries.

    Parameters
    ----------
    countries
        ISO 3166-1 alpha-2 codes ("IQ", "sy").
    mirror
        The dump server, or a mirror or proxy of it.
    cache_dir
        The cache directory (default: the gazetteer's); files go to its
        ``downloads/geonames``.
    refresh
        Download every file again, changed or not.
    timeout
        Seconds to wait for the server at any moment of a request.
    retries
        How many times a dropped download is resumed at once, before giving up.
    progress
        Makes a progress bar per file (see :data:`gazetteer.imports.Progress`).

    Returns
    -------
    list of Fetched
        One per file: its path, whether it was downloaded, and its rows.

    Raises
    ------
    ServerUnreachableError
        When the server cannot be reached.
    DownloadError
        When a file is missing (404), the server fails or times out, the connection
        drops more than ``retries`` times, or a file fails the checks.
    ValueError
        For a country code that is not two letters, or a mirror that is not an http URL.
    """
    files = files_for(countries)
    client = _Client(_mirror(mirror), timeout)
    folder = download_dir(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    busy = f"another download into {folder} is running; wait for it to finish"
    with exclusive(folder / "download.lock", busy):
        manifest = _read_json(folder / _MANIFEST)
        entries: dict[str, Any] = manifest.setdefault("files", {})
        heads = [client.head(f) for f in files]  # every file's state, before any transfer
        fetched = []
        for file, head in zip(files, heads, strict=True):
            local = folder / file.name
            entry = entries.get(file.name, {})
            if not refresh and _same(entry, head, local):
                fetched.append(
                    Fetched(file, local, "unchanged", entry["size"], entry.get("rows", 0),
                            entry.get("last_modified", ""))
                )  # fmt: skip
                continue
            part = local.with_name(local.name + ".part")
            if refresh:
                part.unlink(missing_ok=True)
            transfer = _Download(client, file, part, head, progress, retries)
            transfer.run()
            rows = _verify(part, file, client.url(file))
            replace_durably(part, local)
            entries[file.name] = {
                "url": client.url(file),
                "country": file.country,
                "etag": head.etag if head else "",
                "last_modified": head.last_modified if head else "",
                "size": local.stat().st_size,
                "sha256": sha256_of(local),
                "rows": rows,
                "downloaded_at": _now(),
            }
            _write_json(folder / _MANIFEST, manifest)
            status = "resumed" if transfer.resumed else "downloaded"
            fetched.append(
                Fetched(file, local, status, local.stat().st_size, rows,
                        head.last_modified if head else "")
            )  # fmt: skip
    return fetched


def _mismatches(fetched: Sequence[Fetched], reports: Sequence[ImportReport]) -> list[str]:
    """Files whose imported and left-out rows do not add up to the rows they hold."""
    by_path = {str(f.path): f for f in fetched}
    found = []
    for r in reports:
        f = by_path.get(r.path)
        if f is None or r.skipped or r.kind not in _COUNTED:
            continue
        if r.rows + r.n_problems != f.rows:
            found.append(
                f"{f.file.name}: {f.rows:,} rows in the file, but {r.rows:,} imported and "
                f"{r.n_problems:,} left out"
            )
    return found


def install_geonames(
    countries: Sequence[str],
    *,
    gazetteer: Any = None,
    mirror: str = DEFAULT_MIRROR,
    refresh: bool = False,
    timeout: float = 60.0,
    retries: int = 3,
    progress: Progress | None = None,
) -> DownloadReport:
    """Download the GeoNames files of these countries and import them.

    ``gazetteer`` is the :class:`gazetteer.Gazetteer` to import into (default: the
    installed one, built first if needed); its cache directory keeps the downloads. The
    other parameters are :func:`download_geonames`'s. Files that did not change are
    not imported again (``refresh`` imports them again too).
    """
    from gazetteer.lookup import Gazetteer

    own = gazetteer is None
    gaz = Gazetteer.open() if own else gazetteer
    try:
        fetched = download_geonames(
            countries, mirror=mirror, cache_dir=gaz.path.parent, refresh=refresh,
            timeout=timeout, retries=retries, progress=progress,
        )  # fmt: skip
        reports = gaz.import_files(
            [f.path for f in fetched], options=ImportOptions(force=refresh), progress=progress
        )
    finally:
        if own:
            gaz.close()
    mismatches = _mismatches(fetched, reports)
    for line in mismatches:
        logger.warning("%s", line)
    return DownloadReport(tuple(fetched), tuple(reports), tuple(mismatches))


def installed_files(cache_dir: Path | None = None) -> list[InstalledFile]:
    """The downloaded GeoNames files, with their dates, whether imported, and licence.

    Reads the download folder's manifest and the imports database (never the network,
    and without building the index).
    """
    import sqlite3

    cache_dir = cache_dir or default_cache_dir()
    entries = _read_json(download_dir(cache_dir) / _MANIFEST).get("files", {})
    imported: dict[str, str] = {}
    imports = cache_dir / "imports.sqlite"
    if imports.exists():
        con = sqlite3.connect(f"{imports.resolve().as_uri()}?mode=ro", uri=True)
        with contextlib.suppress(sqlite3.DatabaseError):
            imported = dict(con.execute("SELECT sha256, imported_at FROM sources"))
        con.close()
    out = []
    for name, e in sorted(entries.items(), key=lambda kv: (not kv[1].get("country"), kv[0])):
        if not (download_dir(cache_dir) / name).is_file():
            continue
        out.append(
            InstalledFile(
                name, e.get("country", ""), int(e.get("size", 0)), int(e.get("rows", 0)),
                e.get("last_modified", ""), e.get("downloaded_at", ""),
                imported.get(e.get("sha256", ""), ""), GEONAMES_LICENCE,
            )
        )  # fmt: skip
    return out
