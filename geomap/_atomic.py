"""Atomic output files, and how geomap recognises the files it wrote.

Every file is written under a temporary name in the target's folder (``.NAME.XXXX.part.EXT``,
keeping the extension GDAL's drivers go by), flushed to disk, and renamed over the
target only once complete: a crash or Ctrl-C leaves either the old file or the new one,
never half of one, and the temporary files are removed.

**Ownership.** Beside each file geomap writes a manifest, ``NAME.geomap.json``, giving the
generator, version, format, schema, row count and the size and SHA-256 of every file it
wrote (the file itself, plus the ``.csvt`` and ``.prj`` beside a CSV). A file is geomap's
to replace only if its manifest lists it with the same size and hash: a file geomap never
wrote, or one edited since (say, saved from QGIS), is refused unless ``force``. A sidecar works for
every format alike, including a zero-row GeoJSON Sequence or a CSV that ACLED tools must
read unchanged, where an in-file marker has no place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer.files import fsync_file, fsync_folder
from geomap._errors import ExportOverwriteError

__all__ = [
    "MANIFEST_SUFFIX",
    "AtomicOutput",
    "atomic_output",
    "check_overwrite",
    "file_digest",
    "manifest_path",
]

MANIFEST_SUFFIX = ".geomap.json"
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def manifest_path(path: Path) -> Path:
    """The manifest beside ``path``."""
    return path.with_name(path.name + MANIFEST_SUFFIX)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, as manifests record it."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("generator") == "geomap" else None


def check_overwrite(path: Path, companions: Sequence[Path] = (), *, force: bool = False) -> None:
    """Raise unless every existing target is a file geomap wrote and nobody changed since."""
    existing = [p for p in (path, *companions) if p.exists()]
    if force or not existing:
        return
    manifest = _read_manifest(path)
    files = manifest.get("files", {}) if manifest else {}
    for target in existing:
        entry = files.get(target.name) if isinstance(files, dict) else None
        if not isinstance(entry, dict):
            msg = (
                f"{str(target)!r} exists and geomap did not write it (no matching "
                f"{manifest_path(path).name}); pass --force (force=True) to overwrite it"
            )
            raise ExportOverwriteError(msg)
        if (
            not target.is_file()
            or target.stat().st_size != entry.get("bytes")
            or file_digest(target) != entry.get("sha256")
        ):
            msg = (
                f"{str(target)!r} was changed since geomap wrote it; "
                "pass --force (force=True) to overwrite it"
            )
            raise ExportOverwriteError(msg)


@dataclass
class AtomicOutput:
    """The temporary path to write to, and what to record in the manifest."""

    temp: Path
    target: Path
    companion_suffixes: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)
    sha256: str | None = None  # the temporary file's hash, when the writer computed it

    def companions(self, base: Path) -> list[Path]:
        return [base.with_suffix(s) for s in self.companion_suffixes]


def _commit(out: AtomicOutput) -> int:
    """Flush, rename the companions then the file, then write the manifest. The file's size."""
    pairs = [
        (temp, final)
        for temp, final in zip(out.companions(out.temp), out.companions(out.target), strict=True)
        if temp.exists()  # a CSV without geometry has no .prj
    ]
    pairs.append((out.temp, out.target))
    files: dict[str, dict[str, Any]] = {}
    for temp, final in pairs:
        fsync_file(temp)
        digest = out.sha256 if temp == out.temp and out.sha256 else file_digest(temp)
        files[final.name] = {"bytes": temp.stat().st_size, "sha256": digest}
    manifest = {"generator": "geomap", **out.info, "file": out.target.name, "files": files}
    manifest_temp = out.temp.with_name(out.temp.name + ".manifest")
    manifest_temp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for temp, final in pairs:
        os.replace(temp, final)
    os.replace(manifest_temp, manifest_path(out.target))
    fsync_folder(out.target.parent)
    return int(files[out.target.name]["bytes"])


@contextlib.contextmanager
def atomic_output(
    target: Path, extension: str, *, companion_suffixes: tuple[str, ...] = ()
) -> Iterator[AtomicOutput]:
    """Yield a temporary path beside ``target``; rename it over ``target`` if the block succeeds.

    On any exception, KeyboardInterrupt included, the temporary files are removed and the
    exception propagates; ``target`` is untouched.
    """
    token = secrets.token_hex(4)
    temp = target.with_name(f".{target.name}.{token}.part{extension}")
    out = AtomicOutput(temp, target, companion_suffixes)
    leftovers = [
        temp,
        temp.with_name(temp.name + ".manifest"),
        *out.companions(temp),
        *(temp.with_name(temp.name + s) for s in _SQLITE_SIDE_FILES),
    ]
    try:
        yield out
        out.info["bytes"] = _commit(out)
    finally:
        for p in leftovers:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
