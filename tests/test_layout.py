"""The package layout keeps its rules (issue 10; /work/shared/DESIGN.md, arch notes).

Every module under ``src/osint_kit`` is parsed with :mod:`ast` (nothing is
imported) and its imports of other kit modules are checked:

(a) layers: an import points down or sideways, never up.  Bottom to top:
    core (errors, problems, text, datafiles) < schema < io < analysis <
    readers < views < report < practice < cli.  Allowed upward: an import
    under ``if TYPE_CHECKING:`` (annotations only) and
    ``from osint_kit import __version__``;
(b) no private name (``_x``) of one kit module is imported by, or read as an
    attribute in, another: a helper two modules need is public in the lower one;
(c) no cycle between modules (type-only imports aside);
(d) kit imports sit at the top of the module, not inside functions (third-party
    heavy libraries -- matplotlib, folium, pandera, pyproj, ... -- stay lazy
    inside functions, but importing a kit module costs no more than what it
    imports at its own top level).  Allowed lazy: the modules in
    :data:`LAZY_ALLOWED`, with the reason.

:data:`EXPECTED` lists the violations the tree still has while the
architecture branches are merged; the test fails when one of them is gone
(remove it from the list), so the list only ever shrinks to empty.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "osint_kit"

#: Layer of each top-level name under osint_kit (module or subpackage), bottom first.
LAYERS = {
    "errors": 0,
    "problems": 0,
    "text": 0,
    "datafiles": 0,
    "schema": 1,
    "io": 2,
    "analysis": 3,
    "readers": 4,
    "views": 5,
    "report": 6,
    "practice": 7,
    "cli": 8,
}

#: Modules whose kit imports may sit inside functions, and why.
LAZY_ALLOWED = {
    # `osint-kit --help` and usage errors (exit 64) answer without importing pandas and the
    # readers; the command that runs loads what it needs
    "osint_kit.cli": "a command line starts fast",
}

#: Violations still in the tree. Each entry must still be found (a stale entry fails
#: the test), so the list only shrinks.
EXPECTED: set[tuple[str, str, str]] = set()


# --------------------------------------------------------------------------- reading the tree


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported kit module, dotted
    names: tuple[str, ...]  # names taken from it (empty: `import x`)
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`
    top_level: bool  # at module level (also inside a top-level if/try)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_package(mod: str) -> bool:
    return MODULES.get(mod, Path()).name == "__init__.py"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_only: bool, top: bool) -> Iterator[tuple[ast.AST, bool, bool]]:
    for child in ast.iter_child_nodes(node):
        t, tl = type_only, top
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            tl = False
        if isinstance(node, ast.If) and _is_type_checking(node.test) and child in node.body:
            t = True
        yield child, t, tl
        yield from _walk(child, t, tl)


def _resolve(source: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = source.split(".")
    if not is_package(source):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(source: str) -> tuple[list[Import], list[tuple[str, str, int]]]:
    """Kit imports of a module, and the private attributes it reads from kit modules
    bound to a name (``relays._csr`` after ``from osint_kit.analysis import relays``)."""
    tree = ast.parse(MODULES[source].read_text(encoding="utf-8"))
    found: list[Import] = []
    bound: dict[str, str] = {}  # local name -> kit module
    for node, type_only, top in _walk(tree, False, True):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "osint_kit":
                    found.append(Import(source, a.name, (), node.lineno, type_only, top))
                    bound[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(source, node)
            if mod.split(".")[0] != "osint_kit":
                continue
            plain = []
            for a in node.names:
                sub = f"{mod}.{a.name}"
                if sub in MODULES:  # `from osint_kit.analysis import relays`: the module
                    found.append(Import(source, sub, (), node.lineno, type_only, top))
                    bound[a.asname or a.name] = sub
                else:
                    plain.append(a.name)
            if plain:
                found.append(Import(source, mod, tuple(plain), node.lineno, type_only, top))
    private = [
        (bound[n.value.id], n.attr, n.lineno)
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id in bound
        and n.attr.startswith("_")
        and not n.attr.startswith("__")
    ]
    return found, private


IMPORTS = {m: imports_of(m) for m in MODULES}


def layer(mod: str) -> int | None:
    parts = mod.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else None  # None: the package's front door


def violations() -> set[tuple[str, str, str]]:
    found = set()
    for source, (imports, private_attrs) in IMPORTS.items():
        for imp in imports:
            # (a) layers
            if source != "osint_kit" and not imp.type_only:
                if imp.target == "osint_kit":
                    if set(imp.names) - {"__version__"}:
                        found.add(("layer", source, imp.target))
                elif layer(imp.target) > layer(source):
                    found.add(("layer", source, imp.target))
            # (b) private names
            for name in imp.names:
                if name.startswith("_") and not name.startswith("__") and imp.target != source:
                    found.add(("private", source, f"{imp.target}.{name}"))
            # (d) kit imports inside functions
            if not imp.top_level and not imp.type_only and source not in LAZY_ALLOWED:
                found.add(("lazy", source, imp.target))
        for target, attr, _ in private_attrs:
            if target != source:
                found.add(("private", source, f"{target}.{attr}"))
    return found


def cycles() -> list[list[str]]:
    """Strongly connected components (more than one module) of the import graph."""
    graph = {
        m: sorted(
            {i.target for i in imps if not i.type_only and i.target in MODULES and i.target != m}
        )
        for m, (imps, _) in IMPORTS.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm (the graph has ~40 nodes)
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


# --------------------------------------------------------------------------- the rules


def test_every_module_has_a_layer():
    # a new top-level module or subpackage must be placed in LAYERS (and in the arch notes)
    tops = {m.split(".")[1] for m in MODULES if m != "osint_kit"}
    assert tops == set(LAYERS)


@pytest.mark.parametrize("kind", ["layer", "private", "lazy"])
def test_no_new_violation(kind):
    new = sorted(v for v in violations() - EXPECTED if v[0] == kind)
    assert new == [], "\n".join(f"{k}: {s} imports {t}" for k, s, t in new)


def test_expected_violations_are_still_there():
    # when a branch fixes one, delete its line from EXPECTED: the list only shrinks
    stale = sorted(EXPECTED - violations())
    assert stale == [], "fixed, remove from EXPECTED:\n" + "\n".join(map(str, stale))


def test_no_import_cycle():
    assert cycles() == []


# --------------------------------------------------------------------------- the checker itself


def _check(source: str, text: str, monkeypatch, tmp_path: Path) -> set[tuple[str, str, str]]:
    """Run the checks on one made-up module ``source`` with body ``text``."""
    path = tmp_path / "probe.py"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setitem(MODULES, source, path)
    monkeypatch.setitem(IMPORTS, source, imports_of(source))
    return {v for v in violations() if v[1] == source}


def test_checker_sees_each_kind(monkeypatch, tmp_path):
    # a view importing report (up), a private helper, a function-level kit import, and an
    # attribute read of a private helper: four findings; the allowed forms give none
    text = """
from typing import TYPE_CHECKING
from osint_kit import __version__
from osint_kit.report.export import save_figure
from osint_kit.analysis.places import _geod
from osint_kit.analysis import relays
if TYPE_CHECKING:
    from osint_kit.report.export import Manifest
def f():
    from osint_kit.errors import OsintKitError
    import matplotlib
    return relays._csr
"""
    assert _check("osint_kit.views.probe", text, monkeypatch, tmp_path) == {
        ("layer", "osint_kit.views.probe", "osint_kit.report.export"),
        ("private", "osint_kit.views.probe", "osint_kit.analysis.places._geod"),
        ("private", "osint_kit.views.probe", "osint_kit.analysis.relays._csr"),
        ("lazy", "osint_kit.views.probe", "osint_kit.errors"),
    }


def test_checker_resolves_relative_imports(monkeypatch, tmp_path):
    # `from ..report import export` in osint_kit.views.probe is osint_kit.report.export: up
    text = "from ..report import export\nfrom . import htmltext\n"
    assert _check("osint_kit.views.probe", text, monkeypatch, tmp_path) == {
        ("layer", "osint_kit.views.probe", "osint_kit.report.export")
    }


def test_checker_finds_a_cycle(monkeypatch, tmp_path):
    # two views importing each other (sideways, so no layer finding): one cycle
    for name, other in (("probe_a", "probe_b"), ("probe_b", "probe_a")):
        path = tmp_path / f"{name}.py"
        path.write_text(f"from osint_kit.views import {other}\n", encoding="utf-8")
        monkeypatch.setitem(MODULES, f"osint_kit.views.{name}", path)
    for name in ("probe_a", "probe_b"):
        monkeypatch.setitem(
            IMPORTS, f"osint_kit.views.{name}", imports_of(f"osint_kit.views.{name}")
        )
    assert cycles() == [["osint_kit.views.probe_a", "osint_kit.views.probe_b"]]
