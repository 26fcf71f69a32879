"""The layers of DESIGN.md, read from the source's import statements (ast): no surface imports
another; what both surfaces show lives below them (charter.views); the state never imports
the rules; the rules never touch the database."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

SRC = ROOT / "src" / "charter"
SURFACES = ("charter.cli", "charter.web")


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = SRC.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports() -> set[tuple[str, str]]:
    """(importer, imported) for every import statement in src/charter, at any depth (inside
    functions and under TYPE_CHECKING too), and every module named to `deferred(...)`."""
    found: set[tuple[str, str]] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        me = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update((me, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]
                modules = [n for n in names if is_module(n)]  # `from charter.rules import tally`
                found.update((me, n) for n in modules)
                if len(modules) < len(names):
                    found.add((me, node.module))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "deferred"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add((me, str(node.args[0].value)))
    return {(a, b) for a, b in found if b.startswith("charter")}


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_import_reader_sees_imports_inside_functions_and_deferred_ones() -> None:
    """The reader below finds an import made inside a function (the service's use of the
    migrations) and a module named to `deferred` (the CLI's service): otherwise the tests
    would pass over what they are meant to catch."""
    found = imports()
    assert ("charter.ledger.store", "charter.ledger.migrate") in found
    assert ("charter.cli.common", "charter.service") in found


def test_no_surface_imports_another() -> None:
    """DESIGN.md: the CLI and the web each build on the core and on charter.views, never on
    each other (the web once took its JSON builders and input parsing from cli/)."""
    crossing = {
        (a, b)
        for a, b in imports()
        for mine in SURFACES
        for other in SURFACES
        if mine != other and within(a, mine) and within(b, other)
    }
    assert crossing == set()


def test_nothing_below_the_surfaces_imports_them() -> None:
    """The core and charter.views import neither the CLI nor the web."""
    upward = {
        (a, b)
        for a, b in imports()
        if not any(within(a, s) for s in SURFACES) and any(within(b, s) for s in SURFACES)
    }
    assert upward == set()


def test_views_are_below_both_surfaces_and_above_the_rules() -> None:
    """charter.views (what both surfaces show) is imported by the surfaces only; it may read
    the rules and the state, but not the service or the store."""
    found = imports()
    users = {a for a, b in found if within(b, "charter.views") and not within(a, "charter.views")}
    assert all(any(within(a, s) for s in SURFACES) for a in users), users
    below = {
        b
        for a, b in found
        if within(a, "charter.views")
        and (within(b, "charter.service") or within(b, "charter.ledger.store"))
    }
    assert below == set()


def test_state_never_imports_the_rules() -> None:
    """DESIGN.md: the state never imports the rules, nor the replay above both (which asks
    the rules to decide a recorded meeting or written consent, and the state records it)."""
    found = {
        (a, b)
        for a, b in imports()
        if within(a, "charter.state")
        and (within(b, "charter.rules") or within(b, "charter.replay"))
    }
    assert found == set()


def test_rules_never_import_the_replay() -> None:
    """charter.replay stands on the state and the rules: no rule imports it."""
    found = {(a, b) for a, b in imports() if within(a, "charter.rules") and b == "charter.replay"}
    assert found == set()


def test_rules_never_import_the_store() -> None:
    """A rule never reads the database: no rule imports ledger.store, the service or a
    surface."""
    found = {
        (a, b)
        for a, b in imports()
        if within(a, "charter.rules")
        and any(within(b, m) for m in ("charter.ledger.store", "charter.service", *SURFACES))
    }
    assert found == set()
