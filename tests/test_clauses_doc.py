"""docs/clauses.md stays true: the code and tests its rows name exist, a row marked `done`
names a test, and each clause has one row."""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "clauses.md"
SRC = ROOT / "src" / "charter"

CODE_REF = re.compile(r"^([\w/]+\.py): (.+)$")
TEST_REF = re.compile(r"^(tests/[\w/]+\.py)::(\w+)(\[[^\]]+\])?$")


@dataclass(frozen=True)
class Row:
    line: int
    clause: str
    rule: str
    test: str
    status: str


def rows() -> list[Row]:
    """The clause rows of every table: six cells, the first a citation in backticks (the
    status legend has two cells)."""
    out = []
    for n, text in enumerate(DOC.read_text().splitlines(), 1):
        if not text.startswith("| `"):
            continue
        cells = [c.strip() for c in text.strip().strip("|").split(" | ")]
        if len(cells) == 6:
            out.append(Row(n, cells[0], cells[3], cells[4], cells[5]))
    return out


def spans(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def code_refs(row: Row) -> list[tuple[str, str]]:
    return [
        (m[1], name.strip())
        for s in spans(row.rule)
        if (m := CODE_REF.match(s))
        for name in m[2].split(",")
    ]


def named_tests(row: Row) -> list[tuple[str, str]]:
    return [(m[1], m[2]) for s in spans(row.test) if (m := TEST_REF.match(s))]


@cache
def top_level(path: Path) -> dict[str, set[str]]:
    """Names a module defines at top level (functions, classes, assignments), each class
    with the names defined in its body."""
    names: dict[str, set[str]] = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names[node.name] = set()
        elif isinstance(node, ast.ClassDef):
            names[node.name] = {
                n.name
                for n in node.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            } | {
                t.id
                for n in node.body
                if isinstance(n, ast.AnnAssign | ast.Assign)
                for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                if isinstance(t, ast.Name)
            }
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(t, ast.Name):
                    names[t.id] = set()
    return names


def test_the_table_has_rows_with_code_and_tests() -> None:
    """A guard for the parser: the table is found, and its columns hold references."""
    all_rows = rows()
    assert len(all_rows) > 200
    assert sum(len(code_refs(r)) for r in all_rows) > 100
    assert sum(len(named_tests(r)) for r in all_rows) > 100


def test_every_test_named_in_the_table_exists() -> None:
    missing = []
    for r in rows():
        for file, name in named_tests(r):
            path = ROOT / file
            if not path.is_file() or name not in top_level(path):
                missing.append(f"line {r.line} {r.clause}: {file}::{name}")
    assert missing == []


def test_every_module_and_name_in_the_rule_column_exists() -> None:
    missing = []
    for r in rows():
        for file, name in code_refs(r):
            path = SRC / file
            owner, _, member = name.partition(".")
            defined = top_level(path) if path.is_file() else {}
            if owner not in defined or (member and member not in defined[owner]):
                missing.append(f"line {r.line} {r.clause}: {file}: {name}")
    assert missing == []


def test_every_row_done_names_a_test() -> None:
    untested = [
        f"line {r.line} {r.clause}"
        for r in rows()
        if r.status.startswith("done") and not named_tests(r)
    ]
    assert untested == []


def test_every_backticked_reference_in_the_code_columns_is_well_formed() -> None:
    """A span in the rule or test column that looks like a reference but does not parse would
    escape the checks above."""
    bad = [
        f"line {r.line} {r.clause}: {s}"
        for r in rows()
        for cell, pattern in ((r.rule, CODE_REF), (r.test, TEST_REF))
        for s in spans(cell)
        if (".py" in s) and not pattern.match(s)
    ]
    assert bad == []


def test_each_clause_citation_has_one_row() -> None:
    counts = Counter(r.clause for r in rows())
    assert [c for c, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("status", ["planned", "(planned)"])
def test_no_row_is_still_planned(status: str) -> None:
    assert [r.clause for r in rows() if status in r.status or status in r.test] == []
