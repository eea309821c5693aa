"""``geomap`` with the mini gazetteer, for the hostile suite's child processes.

``python -m tests.hostile.geomap_mini ARGS`` runs ``geomap ARGS`` with the index of
``$GEOMAP_CACHE_DIR`` built from the mini gazetteer (``tests.hostile.mini``). Fault hooks,
set by environment variables, make the faults real in this process:

- ``GEOMAP_TEST_KILL_AT=N``: the process sends itself SIGKILL just before its N-th
  ``os.replace`` (counting from 1), as a kill from outside would land;
- ``GEOMAP_TEST_RENAMES=FILE``: every ``os.replace`` appends "source -> target" to FILE
  before it happens (the tests count the renames of a run from it);
- ``GEOMAP_TEST_FILE_SIZE=BYTES``: no file may grow beyond BYTES (RLIMIT_FSIZE, with
  SIGXFSZ ignored so that the write fails with EFBIG), as on a disk that is full.

``python -m tests.hostile.geomap_mini --kill-each N TEMPLATE ARGS`` runs ``geomap ARGS``
N times, killed at its first, second ... N-th rename: each run is a process forked from
this one once geomap is imported (so a run costs its work, not Python's start-up), into a
copy of the folder TEMPLATE made at the path ARGS give with ``{k}`` for the run's number.
It prints one line per run, "k status" (the negative signal number when killed).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
from pathlib import Path
from typing import Any

__all__: list[str] = []


def _hook_renames() -> None:
    kill_at = int(os.environ.get("GEOMAP_TEST_KILL_AT", "0"))
    log = os.environ.get("GEOMAP_TEST_RENAMES")
    if not kill_at and not log:
        return
    real_replace = os.replace
    count = 0

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal count
        count += 1
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{src} -> {dst}\n")
        if count == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst, *args, **kwargs)

    os.replace = replace


def _limit_file_size() -> None:
    size = os.environ.get("GEOMAP_TEST_FILE_SIZE")
    if size:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(size), int(size)))


def _kill_each(count: int, template: Path, args: list[str]) -> None:
    import shutil

    import folium  # noqa: F401 (imported once, before the forks)
    import geopandas  # noqa: F401
    import pyogrio  # noqa: F401

    from geomap.cli import cli
    from geomap.geoparser.recognize import common_words, given_names
    from geomap.incidents.dates import DatePhrase, resolve_date_phrase

    # Word lists and dateparser's language data are read at first use: once, here.
    common_words()
    given_names()
    resolve_date_phrase(DatePhrase(0, 13, "March 3, 2024", "absolute"), published=None)

    for k in range(1, count + 1):
        argv = [a.replace("{k}", str(k)) for a in args]
        out = Path(argv[argv.index("-o") + 1])
        shutil.copytree(template, out)
        pid = os.fork()
        if pid == 0:  # the child: a geomap run killed at its k-th rename
            os.dup2(2, 1)  # its output to stderr: stdout carries the statuses
            os.environ["GEOMAP_TEST_KILL_AT"] = str(k)
            _hook_renames()
            code = 0
            try:
                cli.main(args=argv, prog_name="geomap")
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(k, code, flush=True)


def main() -> None:
    from tests.hostile.mini import use_mini_gazetteer

    use_mini_gazetteer(Path(os.environ["GEOMAP_CACHE_DIR"]))
    if sys.argv[1:2] == ["--kill-each"]:
        _kill_each(int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    _hook_renames()
    _limit_file_size()
    from geomap.cli import cli

    cli.main(args=sys.argv[1:], prog_name="geomap")


if __name__ == "__main__":
    main()
