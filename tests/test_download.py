"""``geomap gazetteer download`` against a GeoNames stub on the loopback address.

The stub (a thread running ``http.server``) serves GeoNames-format files this module
makes: a few real rows of Andorra (GeoNames ids, names and coordinates; the rows are
written here), the peak Roc Meler among them. It answers HEAD and ranged GET requests
with an ETag, and can serve a truncated zip, answer 404, stall, trickle a file out one
piece per event, or drop the connection half-way. The real server is never asked.
"""

from __future__ import annotations

import io
import json
import re
import socket
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gazetteer._errors import DownloadError, ServerUnreachableError
from gazetteer.imports.download import (
    Fetched,
    RemoteFile,
    _mismatches,
    download_dir,
    download_geonames,
    files_for,
    installed_files,
)
from gazetteer.imports.importer import ImportReport
from geomap.cli import cli

pytestmark = pytest.mark.usefixtures("installed_codes")  # see conftest.py

#: Andorra as GeoNames publishes it (19 tab-separated columns): the country, a parish,
#: its town, the capital and the peak of Roc Meler on the French border (2,811 m).
AD_ROWS = [
    "3041565\tPrincipality of Andorra\tPrincipality of Andorra\tAndorra,Andorre\t42.55\t"
    "1.58333\tA\tPCLI\tAD\t\t00\t\t\t\t77006\t\t1641\tEurope/Andorra\t2024-01-15",
    "3041203\tParròquia de Canillo\tParroquia de Canillo\tCanillo\t42.58333\t1.66667\tA\t"
    "ADM1\tAD\t\t02\t\t\t\t4826\t\t2075\tEurope/Andorra\t2024-01-15",
    "3041204\tCanillo\tCanillo\t\t42.5676\t1.59756\tP\tPPLA\tAD\t\t02\t\t\t\t3292\t\t"
    "1561\tEurope/Andorra\t2024-01-15",
    "3041563\tAndorra la Vella\tAndorra la Vella\tAndorra la Vieja,Andorre-la-Vieille\t"
    "42.50779\t1.52109\tP\tPPLC\tAD\t\t07\t\t\t\t20430\t\t1037\tEurope/Andorra\t2024-01-15",
    "2994701\tRoc Meler\tRoc Meler\tRoc Mele,Roc Meler,Roc Mélé\t42.58765\t1.7418\tT\tPK\t"
    "AD\tAD,FR\t02\t\t\t\t0\t2811\t2348\tEurope/Andorra\t2024-01-15",
]
ALTERNATES = [  # alternateNamesV2: 10 columns
    "9100001\t2994701\tfr\tRoc Mélé\t\t\t\t\t\t",
    "9100002\t3041563\tca\tAndorra la Vella\t1\t\t\t\t\t",
    "9100003\t3041565\tca\tPrincipat d'Andorra\t1\t\t\t\t\t",
]
ADMIN1 = "AD.02\tCanillo\tCanillo\t3041203\nAD.07\tAndorra la Vella\tAndorra la Vella\t3041566\n"
ADMIN2 = "US.IL.167\tSangamon County\tSangamon County\t4250544\n"
COUNTRY_INFO = (
    "# GeoNames country information\n"
    "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea(in sq km)\tPopulation\t"
    "Continent\ttld\tCurrencyCode\tCurrencyName\tPhone\tPostal Code Format\t"
    "Postal Code Regex\tLanguages\tgeonameid\tneighbours\tEquivalentFipsCode\n"
    "AD\tAND\t020\tAN\tAndorra\tAndorra la Vella\t468\t77006\tEU\t.ad\tEUR\tEuro\t376\t"
    "AD###\t^(?:AD)*(\\d{3})$\tca\t3041565\tES,FR\t\n"
    "IQ\tIRQ\t368\tIZ\tIraq\tBaghdad\t437072\t38872655\tAS\t.iq\tIQD\tDinar\t964\t#####\t"
    "^(\\d{5})$\tar-IQ,ku,hy\t99237\tSY,SA,IR,JO,TR,KW\t\n"
)


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def andorra_files(rows: list[str] = AD_ROWS) -> dict[str, bytes]:
    """The files of ``geomap gazetteer download AD``, as the dump server has them."""
    return {
        "AD.zip": _zip({"AD.txt": "\n".join(rows) + "\n", "readme.txt": "GeoNames dump\n"}),
        "alternatenames/AD.zip": _zip({"AD.txt": "\n".join(ALTERNATES) + "\n"}),
        "admin1CodesASCII.txt": ADMIN1.encode(),
        "admin2Codes.txt": ADMIN2.encode(),
        "countryInfo.txt": COUNTRY_INFO.encode(),
    }


@dataclass
class StubDumpServer:
    """GeoNames' dump server, as far as a download needs it, with ways to fail."""

    files: dict[str, bytes] = field(default_factory=andorra_files)
    port: int = 0
    versions: dict[str, int] = field(default_factory=dict)  # the ETag's number
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, Range
    drop_after: dict[str, int] = field(default_factory=dict)  # cut the next GET there
    stall: set[str] = field(default_factory=set)  # GETs wait for `release` before the body
    trickle: set[str] = field(default_factory=set)  # a first piece, the rest on `proceed`
    release: threading.Event = field(default_factory=threading.Event)
    proceed: threading.Event = field(default_factory=threading.Event)
    proceeded: list[bool] = field(default_factory=list)  # did `proceed` come, each time
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def etag(self, path: str) -> str:
        return f'"{path}-v{self.versions.get(path, 1)}"'

    def change(self, path: str, body: bytes) -> None:
        with self.lock:
            self.files[path] = body
            self.versions[path] = self.versions.get(path, 1) + 1

    def gets(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(p, r) for m, p, r in self.requests if m == "GET"]


def _handler(stub: StubDumpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def do_GET(self) -> None:
            self._answer(body=True)

        def _answer(self, *, body: bool) -> None:
            path = self.path.lstrip("/")
            wanted = self.headers.get("Range", "")
            with stub.lock:
                stub.requests.append((self.command, path, wanted))
                data = stub.files.get(path)
                drop = stub.drop_after.pop(path, None) if body else None
            if data is None:
                self.send_error(404, "Not Found")
                return
            etag, start = stub.etag(path), 0
            ranged = re.fullmatch(r"bytes=(\d+)-", wanted)
            if ranged and self.headers.get("If-Range") == etag:
                start = int(ranged.group(1))
            self.send_response(206 if start else 200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 15 Jan 2024 03:00:00 GMT")
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(len(data) - start))
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            if not body:
                return
            rest = data[start:]
            if path in stub.stall:
                self.wfile.flush()
                stub.release.wait(timeout=30)  # until the test lets go
                return
            if drop is not None:  # half the file, then the connection goes
                self.wfile.write(rest[:drop])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if path in stub.trickle:
                self.wfile.write(rest[:100])
                self.wfile.flush()
                stub.proceeded.append(stub.proceed.wait(timeout=30))
                rest = rest[100:]
            self.wfile.write(rest)

    return Handler


@pytest.fixture
def stub() -> Iterator[StubDumpServer]:
    server_stub = StubDumpServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server_stub))
    server.daemon_threads = True
    server_stub.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_stub
    finally:
        server_stub.release.set()
        server_stub.proceed.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def cache(small_sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache directory; the small index is built in it by the first command."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(cache))
    return cache


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="geomap")


def _download(stub: StubDumpServer, *args: str) -> Result:
    return _run("gazetteer", "download", *args, "--mirror", stub.url, "--silent")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- acceptance


def test_download_then_lookup_finds_the_peak(stub: StubDumpServer, cache: Path) -> None:
    result = _download(stub, "AD")
    assert result.exit_code == 0, result.output
    assert "AD.zip: downloaded, " in result.stdout and "5 rows, checked" in result.stdout
    assert "imported 5 rows as 'AD.zip' (geonames)" in result.stdout
    assert "licence: GeoNames (www.geonames.org), CC BY 4.0" in result.stdout
    lookup = _run("gazetteer", "lookup", "Roc Meler", "--json")
    assert lookup.exit_code == 0, lookup.output
    peak = json.loads(lookup.stdout)[0]
    assert (peak["id"], peak["name"], peak["feature"]) == (
        "geonames:2994701",
        "Roc Meler",
        "natural",
    )
    assert (peak["lat"], peak["lon"], peak["country"]) == (42.58765, 1.7418, "AD")
    # the alternate names file came too
    french = json.loads(_run("gazetteer", "lookup", "Roc Mélé", "--json").stdout)
    assert french[0]["id"] == "geonames:2994701"
    # downloads are kept in the cache, named as on the server
    names = sorted(p.name for p in download_dir(cache).iterdir())
    assert names == [
        "AD.zip",
        "admin1CodesASCII.txt",
        "admin2Codes.txt",
        "alternatenames-AD.zip",
        "countryInfo.txt",
        "download.lock",
        "manifest.json",
    ]
    info = _run("gazetteer", "info")
    assert "  AD.zip: geonames, 5 rows, " in info.stdout
    assert "GeoNames (www.geonames.org), CC BY 4.0" in info.stdout


def test_running_again_is_a_no_op(stub: StubDumpServer, cache: Path) -> None:
    assert _download(stub, "AD").exit_code == 0
    gets = len(stub.gets())
    again = _download(stub, "ad")
    assert again.exit_code == 0, again.output
    assert len(stub.gets()) == gets  # HEAD requests only
    assert "AD.zip: unchanged on the server, not downloaded again" in again.stdout
    assert "nothing to do, already imported as 'AD.zip'" in again.stdout


def test_a_changed_file_is_downloaded_and_imported_again(stub: StubDumpServer, cache: Path) -> None:
    assert _download(stub, "AD").exit_code == 0
    pic = (  # Andorra's highest peak, 2,942 m, under a made-up id
        "7100001\tPic de Coma Pedrosa\tPic de Coma Pedrosa\t\t42.5916\t1.44447\tT\tPK\tAD\t\t"
        "04\t\t\t\t0\t2942\t2860\tEurope/Andorra\t2024-01-16"
    )
    stub.change("AD.zip", andorra_files([*AD_ROWS, pic])["AD.zip"])
    result = _download(stub, "AD")
    assert result.exit_code == 0, result.output
    assert [p for p, _ in stub.gets()].count("AD.zip") == 2
    assert "admin1CodesASCII.txt: unchanged on the server" in result.stdout
    assert "imported 6 rows as 'AD.zip' (geonames)" in result.stdout
    found = json.loads(_run("gazetteer", "lookup", "Pic de Coma Pedrosa", "--json").stdout)
    assert found[0]["id"] == "geonames:7100001"


def test_refresh_downloads_and_imports_again(stub: StubDumpServer, cache: Path) -> None:
    assert _download(stub, "AD").exit_code == 0
    result = _download(stub, "AD", "--refresh")
    assert result.exit_code == 0, result.output
    assert [p for p, _ in stub.gets()].count("AD.zip") == 2
    assert "imported 5 rows as 'AD.zip' (geonames)" in result.stdout


def test_list_shows_what_is_installed(stub: StubDumpServer, cache: Path) -> None:
    empty = _run("gazetteer", "download", "--list")
    assert empty.exit_code == 0
    assert empty.stdout.startswith("no GeoNames files downloaded into ")
    assert _download(stub, "AD").exit_code == 0
    listed = _run("gazetteer", "download", "--list")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0] == f"GeoNames files in {download_dir(cache)}:"
    assert lines[1].startswith("  AD  AD.zip: 0.0 MB, 5 rows; server date Mon, 15 Jan 2024")
    assert "; downloaded 20" in lines[1] and "; imported 20" in lines[1]
    assert lines[1].endswith("; GeoNames (www.geonames.org), CC BY 4.0")
    assert lines[3].startswith("  --  admin1CodesASCII.txt: ")
    assert len(lines) == 6
    (record,) = [f for f in installed_files(cache) if f.name == "countryInfo.txt"]
    assert record.rows == 2 and record.imported_at


# --------------------------------------------------------------------------- failures


def test_an_unknown_country_is_a_404(stub: StubDumpServer, cache: Path) -> None:
    result = _download(stub, "ZZ")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no file at {stub.url}ZZ.zip (HTTP 404); is 'ZZ' a country GeoNames has? "
        "Countries are given by their ISO 3166-1 alpha-2 codes, such as IQ or SY\n"
    )
    assert not (cache / "imports.sqlite").exists()
    assert stub.gets() == []  # found out by the HEAD requests, before any download


def test_offline_is_one_line_and_exit_status_1(cache: Path) -> None:
    port = _closed_port()
    result = _run("gazetteer", "download", "AD", "--mirror", f"http://127.0.0.1:{port}/")
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith(f"Error: cannot reach 127.0.0.1:{port} (")
    assert line.endswith(
        "you seem to be offline, or the server is down; nothing was downloaded and the "
        "installed data stays in use (try again when online, or give --mirror URL)"
    )
    assert not (cache / "imports.sqlite").exists()


def test_a_truncated_zip_is_refused_and_deleted(stub: StubDumpServer, cache: Path) -> None:
    whole = stub.files["AD.zip"]
    stub.files["AD.zip"] = whole[: len(whole) - 40]  # served whole: its size is its length
    result = _download(stub, "AD")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {stub.url}AD.zip did not give a complete, valid zip")
    assert result.output.endswith(
        "it was deleted: run the command again, or use another --mirror\n"
    )
    folder = download_dir(cache)
    assert not (folder / "AD.zip").exists() and not (folder / "AD.zip.part").exists()
    assert not (cache / "imports.sqlite").exists()  # nothing imported


def test_a_page_that_is_not_the_file_is_refused(stub: StubDumpServer, cache: Path) -> None:
    stub.files["admin1CodesASCII.txt"] = b"<html><body>Please log in to the proxy</body></html>\n"
    result = _download(stub, "AD")
    assert result.exit_code == 1
    assert (
        f"Error: {stub.url}admin1CodesASCII.txt did not give a complete, valid file"
        in result.output
    )


def test_country_codes_are_checked(cache: Path) -> None:
    result = _run("gazetteer", "download", "Iraq")
    assert result.exit_code == 2
    assert (
        "'Iraq' is not a country code; give ISO 3166-1 alpha-2 codes such as IQ SY" in result.output
    )
    result = _run("gazetteer", "download")
    assert result.exit_code == 2
    assert "give country codes such as IQ SY, or --list" in result.output
    with pytest.raises(ValueError, match="a mirror is an http or https URL"):
        download_geonames(["AD"], mirror="ftp://example.org/", cache_dir=cache)


# --------------------------------------------------------------------------- resuming


def test_a_dropped_connection_is_resumed_at_once(stub: StubDumpServer, tmp_path: Path) -> None:
    size = len(stub.files["AD.zip"])
    stub.drop_after["AD.zip"] = size // 2
    fetched = download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path)
    ad = next(f for f in fetched if f.file.path == "AD.zip")
    assert ad.status == "resumed"
    assert ad.path.read_bytes() == stub.files["AD.zip"]
    assert [r for p, r in stub.gets() if p == "AD.zip"] == ["", f"bytes={size // 2}-"]


def test_a_dropped_download_resumes_on_the_next_run(stub: StubDumpServer, tmp_path: Path) -> None:
    size = len(stub.files["AD.zip"])
    stub.drop_after["AD.zip"] = size // 3
    with pytest.raises(
        DownloadError,
        match=rf"the download of {re.escape(stub.url)}AD.zip broke off \(the server closed the "
        rf"connection early\) after {size // 3:,} of {size:,} bytes; run the command again "
        "to resume it",
    ):
        download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path, retries=0)
    part = download_dir(tmp_path) / "AD.zip.part"
    assert part.stat().st_size == size // 3
    fetched = download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path, retries=0)
    assert fetched[0].status == "resumed"
    assert fetched[0].path.read_bytes() == stub.files["AD.zip"]
    assert [r for p, r in stub.gets() if p == "AD.zip"] == ["", f"bytes={size // 3}-"]
    assert not part.exists()


def test_a_file_changed_since_the_partial_download_starts_over(
    stub: StubDumpServer, tmp_path: Path
) -> None:
    stub.drop_after["AD.zip"] = 200
    with pytest.raises(DownloadError, match="run the command again to resume it"):
        download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path, retries=0)
    new = andorra_files([AD_ROWS[-1]])["AD.zip"]
    stub.change("AD.zip", new)
    fetched = download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path, retries=0)
    assert fetched[0].status == "downloaded" and fetched[0].rows == 1
    assert fetched[0].path.read_bytes() == new
    assert [r for p, r in stub.gets() if p == "AD.zip"] == ["", ""]


def test_a_slow_server_moves_the_progress_bar(stub: StubDumpServer, tmp_path: Path) -> None:
    stub.trickle.add("AD.zip")
    seen: list[int] = []

    @contextmanager
    def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
        def advance(n: int) -> None:
            if label.startswith("AD.zip"):
                seen.append(n)
                stub.proceed.set()  # the server sends the rest once the first piece showed

        yield advance

    fetched = download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path, progress=progress)
    assert stub.proceeded == [True]
    assert seen[0] == 100 and sum(seen) == len(stub.files["AD.zip"])
    assert fetched[0].path.read_bytes() == stub.files["AD.zip"]


def test_a_stalled_server_times_out(stub: StubDumpServer, tmp_path: Path) -> None:
    stub.stall.add("AD.zip")
    size = len(stub.files["AD.zip"])
    with pytest.raises(
        DownloadError,
        match=rf"AD.zip timed out after 0 of {size:,} bytes; run the command again to resume",
    ):
        download_geonames(["AD"], mirror=stub.url, cache_dir=tmp_path, timeout=0.2, retries=0)


def test_an_unreachable_mirror_raises_before_any_download(tmp_path: Path) -> None:
    mirror = f"http://127.0.0.1:{_closed_port()}/dump/"
    with pytest.raises(ServerUnreachableError, match="you seem to be offline"):
        download_geonames(["AD"], mirror=mirror, cache_dir=tmp_path)


# --------------------------------------------------------------------------- rows


def test_files_for_countries() -> None:
    paths = [f.path for f in files_for(["iq", "SY", "IQ"])]
    assert paths == [
        "IQ.zip",
        "alternatenames/IQ.zip",
        "SY.zip",
        "alternatenames/SY.zip",
        "admin1CodesASCII.txt",
        "admin2Codes.txt",
        "countryInfo.txt",
    ]
    with pytest.raises(ValueError, match="two-letter ISO 3166-1 code such as IQ, got 'IRQ'"):
        files_for(["IRQ"])


def test_imported_rows_are_checked_against_the_file(tmp_path: Path) -> None:
    file = RemoteFile("AD.zip", "geonames", "AD")
    fetched = [Fetched(file, tmp_path / "AD.zip", "downloaded", 10, 5, "")]
    path = str(tmp_path / "AD.zip")
    good = ImportReport("AD.zip", path, "geonames", rows=4, n_problems=1)
    assert _mismatches(fetched, [good]) == []
    short = ImportReport("AD.zip", path, "geonames", rows=3, n_problems=1)
    assert _mismatches(fetched, [short]) == [
        "AD.zip: 5 rows in the file, but 3 imported and 1 left out"
    ]
