"""Principle 1 for citations: the clauses of the certificates and bylaws are named in the
terms data, not in code. Rule, state and command code may quote a clause only in docstrings,
comments, the declarations of interpretations (which carry their own citation) and help texts
(an example of a clause reference a user may type)."""

from __future__ import annotations

import ast
import re

import pytest

from tests.conftest import ROOT
from tests.test_terms import code_without_docstrings

CODE_DIRS = [ROOT / "src" / "charter" / d for d in ("state", "rules", "cli")]


class _DropDeclaredCitations(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        if isinstance(node.func, ast.Name) and node.func.id in ("interpretation", "Entry"):
            return ast.Constant(None)  # a declared reading; a command's summary (help text)
        node.keywords = [k for k in node.keywords if k.arg != "help"]
        return self.generic_visit(node)


@pytest.mark.parametrize("pattern", [r"\bArt\. [IVX]", r"Bylaws Art", r"Post-IPO Art"])
def test_no_clause_of_the_documents_written_in_code(pattern: str) -> None:
    hits = [
        f"{p.relative_to(ROOT)}: {line.strip()}"
        for d in CODE_DIRS
        for p in sorted(d.rglob("*.py"))
        for line in ast.unparse(
            _DropDeclaredCitations().visit(ast.parse(code_without_docstrings(p)))
        ).splitlines()
        if re.search(pattern, line)
    ]
    assert hits == []
