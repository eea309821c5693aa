"""GeoJSON Sequence: GDAL's GeoJSON Features, one per line, written in parallel.

GDAL's GeoJSONSeq driver writes them, except that it cannot be told to leave JSON-looking
text alone (a quote reading ``[1, 2]`` would become an array): when some text field starts
with a bracket or brace and ends with one, the Features come from GDAL's GeoJSON driver
with ``AUTODETECT_JSON_STRINGS=NO`` instead, copied out of the FeatureCollection one per
line. The points are already WGS 84 longitude/latitude at the export's precision, so
GDAL's RFC 7946 mode (a reprojection per Feature, a third slower) is not needed.

GDAL's writer runs at about 60,000 Features a second on one core and holds the GIL, so
slices are written in parallel and joined in order, which gives the same file. The main
process writes the first slice; each other slice goes to a child (this file run as an
isolated script, ``python -I``, importing only pyarrow and pyogrio) through an Arrow IPC
file. The main process hashes its part while the children write, and the rest while
appending theirs. Every part lives in a temporary folder beside the output, removed at the
end, and a failed or interrupted child fails the whole write.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["PARALLEL_MIN_ROWS", "write_geojsonseq"]

#: Below this many rows one process is faster than starting others.
PARALLEL_MIN_ROWS = 100_000
_CHUNK = 16 * 1024 * 1024
_FEATURES = b'"features": [\n'
_FOOTER = b"\n]\n}\n"
_SEQ_OPTIONS = ("COORDINATE_PRECISION", "SIGNIFICANT_FIGURES", "ID_FIELD", "ID_TYPE")


def _write(table: pa.Table, path: Path, options: dict[str, Any], driver: str) -> None:
    from pyogrio.raw import write_arrow

    write_arrow(
        table,
        str(path),
        driver=driver,
        layer="incidents",
        geometry_name="geometry",
        geometry_type="Point",
        crs="EPSG:4326",
        **options,
    )


def json_like_text(table: pa.Table) -> bool:
    """Some text field starts with ``[`` or ``{`` and ends with ``]`` or ``}``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for column in table.columns:
        if not pa.types.is_string(column.type) or not len(column):
            continue
        opens = pc.or_(pc.starts_with(column, "["), pc.starts_with(column, "{"))
        closes = pc.or_(pc.ends_with(column, "]"), pc.ends_with(column, "}"))
        if pc.any(pc.and_(opens, closes)).as_py():
            return True
    return False


def _workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))  # fmt: skip


def _split(rows: int, workers: int) -> list[tuple[int, int]]:
    """(offset, length) per worker; the main process, which starts at once, takes 10% more."""
    if workers <= 1:
        return [(0, rows)]
    first = min(rows, round(rows * 1.1 / (workers + 0.1)))
    step = -(-(rows - first) // (workers - 1))
    return [(0, first)] + [(first + i * step, step) for i in range(workers - 1)]


def _features_to_lines(src: Path, dst: Path) -> int:
    """Rewrite a GDAL FeatureCollection as one Feature per line; the number of lines.

    GDAL writes a header ending in ``"features": [`` and a newline, one Feature per line
    separated by ``",\n"``, and the footer ``"\n]\n}\n"``. JSON strings cannot hold a raw
    newline, so every ``",\n"`` in the body separates two Features.
    """
    size = src.stat().st_size
    lines = 0
    with src.open("rb") as f, dst.open("wb") as out:
        head = f.read(4096)
        f.seek(max(0, size - len(_FOOTER)))
        if _FEATURES not in head or f.read() != _FOOTER:
            msg = f"{src.name}: GDAL's GeoJSON output does not have the expected layout"
            raise OSError(msg)
        start = head.index(_FEATURES) + len(_FEATURES)
        remaining = size - len(_FOOTER) - start
        f.seek(start)
        carry = b""
        while remaining > 0:
            data = carry + f.read(min(_CHUNK, remaining))
            remaining -= len(data) - len(carry)
            cut = len(data) if not remaining else data.rfind(b"\n") + 1
            body, carry = data[:cut].replace(b",\n", b"\n"), data[cut:]
            if not remaining:
                body += b"\n"
            lines += body.count(b"\n")
            out.write(body)
    src.unlink()
    return lines


def _write_lines(table: pa.Table, dst: Path, options: dict[str, Any], via: str) -> int:
    """Write the rows as lines: GDAL's GeoJSONSeq driver, or via a FeatureCollection."""
    if via == "GeoJSONSeq":
        seq = {k: v for k, v in options.items() if k in _SEQ_OPTIONS}
        _write(table, dst, {**seq, "RS": "NO"}, "GeoJSONSeq")
        return int(table.num_rows)
    collection = dst.with_suffix(".collection.json")
    _write(table, collection, options, "GeoJSON")
    return _features_to_lines(collection, dst)


def _append(src: Path, dst: BinaryIO, digest: Any) -> None:
    with src.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)


def write_geojsonseq(
    table: pa.Table, path: Path, options: dict[str, Any], *, workers: int | None = None
) -> str:
    """Write ``table`` as a GeoJSON Sequence at ``path``; the file's SHA-256.

    ``options`` are GDAL GeoJSON layer creation options. Tables of fewer than
    ``PARALLEL_MIN_ROWS`` rows are written by this process alone.
    """
    import pyarrow as pa

    n = _workers() if workers is None else workers
    parts = _split(table.num_rows, 1 if table.num_rows < PARALLEL_MIN_ROWS else n)
    via = "GeoJSON" if json_like_text(table) else "GeoJSONSeq"
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as folder:
        outputs = [Path(folder) / f"{i}.geojsonl" for i in range(len(parts))]
        procs: list[subprocess.Popen[bytes]] = []
        try:
            for (offset, length), out in zip(parts[1:], outputs[1:], strict=True):
                ipc = out.with_suffix(".arrow")
                part = table.slice(offset, length)
                with pa.OSFile(str(ipc), "wb") as sink, pa.ipc.new_file(sink, part.schema) as w:
                    w.write_table(part)
                cmd = [sys.executable, "-I", str(Path(__file__)), str(ipc), str(out)]
                procs.append(
                    subprocess.Popen(
                        [*cmd, json.dumps(options), via],
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                    )
                )
            lines = _write_lines(table.slice(*parts[0]), outputs[0], options, via)
            os.replace(outputs[0], path)
            with path.open("r+b") as dst:
                digest = hashlib.file_digest(dst, "sha256")  # while the others still write
                for proc, out in zip(procs, outputs[1:], strict=True):
                    said, err = proc.communicate()
                    if proc.returncode != 0:
                        msg = f"writing part of {path.name} failed: {err.decode(errors='replace')}"
                        raise OSError(msg)
                    lines += int(said)
                    _append(out, dst, digest)
                    out.unlink()
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
    if lines != table.num_rows:
        msg = f"{path.name}: wrote {lines} lines for {table.num_rows} Features"
        raise OSError(msg)
    return digest.hexdigest()


def _main(argv: list[str]) -> None:
    import pyarrow as pa

    ipc, out, options, via = argv
    with pa.memory_map(ipc) as source:
        table = pa.ipc.open_file(source).read_all()
    print(_write_lines(table, Path(out), json.loads(options), via))


if __name__ == "__main__":
    _main(sys.argv[1:])
