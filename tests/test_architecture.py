"""The package's shape: stages import only earlier stages, and no import runs in a cycle.

Every ``import`` and ``from ... import`` in ``geomap/`` and ``gazetteer/`` is read with
``ast`` (those inside functions too: a lazy import is still a dependency; those under ``if
TYPE_CHECKING:`` are for annotations only and are left out), and each module is
given the layer of the stage it belongs to. A module may import its own layer and the layers
below it, never a later stage and never the package's face (``geomap/__init__.py``), which
only re-exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: geomap's layers, in pipeline order: a module prefix and its rank. The longest prefix wins.
LAYERS: dict[str, int] = {
    "geomap._errors": 0,
    "geomap._version": 0,
    "geomap._atomic": 0,
    "geomap._outputs": 0,  # the set of files a run writes, replaced together
    "geomap._formulas": 0,  # CSV cells a spreadsheet would run, neutralised
    "geomap.records": 0,
    "geomap.acled": 1,  # ACLED's codebook, both ways: tables read, rows written
    "geomap.readers": 1,
    "geomap.geoparser": 2,
    "geomap.incidents": 3,
    "geomap.frame": 4,
    "geomap.exporters": 5,
    "geomap.render": 5,
    "geomap.evaluate": 6,  # runs the pipeline on gold data
    "geomap.pipeline": 6,
    "geomap.cli": 7,
    "geomap.__main__": 7,
}
#: Subpackages of one layer that must not import each other (siblings, not a chain).
SIBLINGS = {("geomap.exporters", "geomap.render"), ("geomap.render", "geomap.exporters")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for package in ("geomap", "gazetteer")
        for p in sorted((ROOT / package).rglob("*.py"))
    }


def _resolve(importer: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module of ours and the modules of ours it imports."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for block in ast.walk(tree):  # type-only imports are not dependencies at run time
            if isinstance(block, ast.If) and ast.unparse(block.test).endswith("TYPE_CHECKING"):
                block.body = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, node, path.name == "__init__.py")
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.add(sub if sub in modules else base)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _layer(module: str) -> tuple[str, int] | None:
    best = max(
        (p for p in LAYERS if module == p or module.startswith(p + ".")), key=len, default=""
    )
    return (best, LAYERS[best]) if best else None


GRAPH = _imports(_modules())


def test_every_geomap_module_has_a_layer() -> None:
    faces = {"geomap"}
    missing = [m for m in GRAPH if m.startswith("geomap") and m not in faces and not _layer(m)]
    assert not missing, f"give these modules a layer in LAYERS: {missing}"


def test_no_import_runs_back_up() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        mine = _layer(module)
        for target in sorted(targets):
            if target == module.split(".")[0] and module != target:
                wrong.append(f"{module} imports the package face {target}")
            if module.startswith("gazetteer") and target.startswith("geomap"):
                wrong.append(f"{module} (the gazetteer) imports {target}")
            theirs = _layer(target)
            if mine is None or theirs is None:
                continue
            if theirs[1] > mine[1]:
                wrong.append(f"{module} (stage {mine[1]}) imports the later {target}")
            if (mine[0], theirs[0]) in SIBLINGS:
                wrong.append(f"{module} imports its sibling stage {target}")
    assert not wrong, "\n".join(wrong)


def test_render_never_opens_the_gazetteer() -> None:
    """The map receives the frame, the mentions, the division tallies and the credits."""
    wrong = [
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        if m.startswith("geomap.render")
        for t in targets
        if t.startswith("gazetteer") and t != "gazetteer.normalize"
    ]
    assert not wrong, "\n".join(wrong)


def _cycle() -> list[str]:
    """One import cycle among our modules, or an empty list (depth-first, iterative)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for start in sorted(GRAPH):
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(GRAPH[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(GRAPH[nxt])))
    return []


def test_no_import_cycle() -> None:
    cycle = _cycle()
    assert not cycle, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_the_cycle_finder_finds_cycles(
    monkeypatch: pytest.MonkeyPatch, graph: dict[str, set[str]], expected: bool
) -> None:
    monkeypatch.setattr(f"{__name__}.GRAPH", graph)
    assert bool(_cycle()) is expected


def test_the_layer_check_sees_a_backward_import() -> None:
    assert _layer("geomap.geoparser.resolve") == ("geomap.geoparser", 2)
    assert _layer("geomap.pipeline") == ("geomap.pipeline", 6)
    assert _layer("geomap.renderer") is None
