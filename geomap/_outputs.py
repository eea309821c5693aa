"""A set of output files replaced as a whole: what ``geomap run`` writes to its folder.

A run writes every file (and its ``NAME.geomap.json`` manifest) into a staging folder
inside the output folder, ``.geomap-staging-XXXX``. Only when all of them are complete does
it move them into place, one rename each, after writing a journal (``.geomap-commit.json``)
that lists the moves. So:

- **A failure while writing** (a full disk, Ctrl-C, a crash) leaves the previous outputs
  untouched: nothing is renamed until everything is written, and the staging folder is
  removed.
- **A kill while renaming** leaves the journal. The next run (:meth:`OutputSet.prepare`)
  finishes the moves the journal lists before anything else, so the folder holds one
  run's files, never a mix of two. A file whose manifest disagrees with it after such a
  kill is recognised by its own hash (the journal records the hash of each file moved)
  and its manifest repaired, instead of being taken for a user's edit.
- **Leftovers** of a killed process (staging folders, ``.NAME.XXXXXXXX.part.EXT`` files
  from ``geomap._atomic``, ``.NAME.PID.geomap-tmp`` files of this module) are removed by
  the next run.
- **Ownership**: before any work, every file the run will replace must be one geomap
  wrote and nobody changed since (its manifest says so), unless ``force``; and the folder
  must be writable. Both are checked first, so that a run never does minutes of work to
  fail at the end.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer.files import fsync_folder, replace_durably
from geomap._atomic import MANIFEST_SUFFIX, check_overwrite, file_digest, manifest_path
from geomap._errors import OutputFolderError

__all__ = ["JOURNAL", "STAGING_PREFIX", "OutputSet", "check_output_folder", "recover"]

logger = logging.getLogger(__name__)

#: The journal of a commit in progress, in the output folder.
JOURNAL = ".geomap-commit.json"
#: Staging folders are made inside the output folder, so renames never cross a file system.
STAGING_PREFIX = ".geomap-staging-"
# The temporary names of geomap._atomic: ".NAME.1a2b3c4d.part.EXT", its manifest and
# SQLite's side files.
_PART = re.compile(r"\..+\.[0-9a-f]{8}\.part(?:\.[^.]+)?(?:\.manifest|-journal|-wal|-shm)?")
# The temporary names of this module's own small writes (the journal, a repaired manifest).
_TEMP = re.compile(r"\..+\.[0-9]+\.geomap-tmp")
# Files written beside an output under its stem: GDAL's CSV companions.
_COMPANIONS = {".csv": (".csvt", ".prj")}


def check_output_folder(folder: Path) -> None:
    """Raise unless ``folder`` can be written to, or created; nothing is left behind.

    Raises
    ------
    OutputFolderError
        Naming the folder (or the existing folder it would be made in) and why.
    """
    existing = folder
    while not existing.exists():
        if existing.is_symlink():
            msg = f"{existing} is a symbolic link to nowhere; choose another output folder (-o)"
            raise OutputFolderError(msg)
        existing = existing.parent
    if not existing.is_dir():
        msg = f"{existing} is a file, not a folder; choose another output folder (-o)"
        raise OutputFolderError(msg)
    try:
        fd, probe = tempfile.mkstemp(prefix=".geomap-probe-", dir=existing)
    except OSError as e:
        made = "" if existing == folder.resolve() or existing == folder else f" to make {folder}"
        msg = (
            f"cannot write to the output folder {existing}{made}: {e.strerror or e}; "
            "make it writable or choose another folder (-o)"
        )
        raise OutputFolderError(msg) from e
    os.close(fd)
    os.unlink(probe)


def _companions(name: str) -> list[str]:
    stem, suffix = os.path.splitext(name)
    return [stem + s for s in _COMPANIONS.get(suffix, ())]


def _moves(names: Sequence[str], present: set[str]) -> list[str]:
    """The renames of a commit, in order: for each file its companions, itself, its manifest."""
    moves = []
    for name in names:
        for entry in [*_companions(name), name, name + MANIFEST_SUFFIX]:
            if entry in present:
                moves.append(entry)
    return moves


def _write_json(path: Path, data: Any) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.geomap-tmp")
    temp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    replace_durably(temp, path)


@dataclass(frozen=True, slots=True)
class OutputSet:
    """The files a run writes to ``folder``, replaced together.

    Parameters
    ----------
    folder
        The output folder (created when the set is committed).
    names
        The file names, in the order they are moved into place (the last one, say
        ``summary.json``, tells that the set is complete).
    force
        Replace files geomap did not write, or that changed since.
    """

    folder: Path
    names: tuple[str, ...]
    force: bool = False

    def prepare(self) -> None:
        """Before any work: finish or clear an interrupted run, check the folder and owners.

        Raises
        ------
        OutputFolderError
            The folder cannot be written to.
        ExportOverwriteError
            A file to replace was not written by geomap, or was changed since (without
            ``force``).
        """
        check_output_folder(self.folder)
        if not self.folder.is_dir():
            return
        recover(self.folder)
        for name in self.names:
            path = self.folder / name
            check_overwrite(path, [self.folder / c for c in _companions(name)], force=self.force)

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A staging folder to write the files into; committed if the block succeeds.

        On any exception (KeyboardInterrupt included) the staging folder is removed and
        the outputs in place are untouched.
        """
        made = [p for p in (self.folder, *self.folder.parents) if not p.exists()]
        self.folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.folder))
        try:
            yield staging
            self._commit(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            for folder in made:  # the folders made for this run, if still empty
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        shutil.rmtree(staging, ignore_errors=True)

    def _commit(self, staging: Path) -> None:
        present = {p.name for p in staging.iterdir()}
        moves = _moves(self.names, present)
        manifests: dict[str, Any] = {}  # each file's manifest entries: its own hash and sizes
        for name in self.names:
            if name + MANIFEST_SUFFIX in present:
                manifest = json.loads((staging / (name + MANIFEST_SUFFIX)).read_text("utf-8"))
                manifests[name] = manifest.get("files", {})
        journal = {
            "generator": "geomap",
            "staging": staging.name,
            "moves": moves,
            "manifests": manifests,
        }
        _write_json(self.folder / JOURNAL, journal)
        for entry in moves:
            os.replace(staging / entry, self.folder / entry)
        fsync_folder(self.folder)
        (self.folder / JOURNAL).unlink()
        fsync_folder(self.folder)


def _repair_manifest(folder: Path, name: str, files: dict[str, Any]) -> None:
    """Rewrite the manifest of a file an interrupted commit moved, from the files' own hashes.

    Only when every file the manifest should list is on disk with the size and SHA-256 the
    journal recorded: a file changed since is a user's edit, which ``check_overwrite``
    refuses.
    """
    manifest = manifest_path(folder / name)
    for member, entry in files.items():
        path = folder / member
        if not isinstance(entry, dict) or not path.is_file():
            return
        if path.stat().st_size != entry.get("bytes") or file_digest(path) != entry.get("sha256"):
            return
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict) and data.get("generator") == "geomap" and data.get("files") == files:
        return
    _write_json(manifest, {"generator": "geomap", "file": name, "files": files, "repaired": True})
    logger.warning("repaired the manifest of %s from the file's own hash", folder / name)


def _finish_commit(folder: Path) -> None:
    """Finish the renames an interrupted commit's journal lists, and repair manifests."""
    journal = folder / JOURNAL
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except ValueError:  # written atomically, so never half; unreadable all the same
        journal.unlink()
        return
    staging = folder / str(data.get("staging", ""))
    if staging.name.startswith(STAGING_PREFIX) and staging.parent == folder:
        for entry in data.get("moves", []):
            if (staging / entry).is_file():
                os.replace(staging / entry, folder / entry)
    for name, files in data.get("manifests", {}).items():
        if isinstance(files, dict):
            _repair_manifest(folder, str(name), files)
    fsync_folder(folder)
    journal.unlink()
    logger.warning("finished the renames of an interrupted run in %s", folder)


def recover(folder: Path) -> None:
    """Finish a commit a killed run left half done, and remove what killed runs left behind."""
    _finish_commit(folder)
    removed = 0
    for child in folder.iterdir():
        if child.name.startswith(STAGING_PREFIX) and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
        elif (
            (_PART.fullmatch(child.name) or _TEMP.fullmatch(child.name))
            and child.is_file()
            and not child.is_symlink()
        ):
            child.unlink()
            removed += 1
    if removed:
        logger.info("removed %d leftovers of killed runs from %s", removed, folder)
