"""The terms in force, whole or the blocks that cite a clause (`charter terms show`, the web's
terms page and API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from charter.errors import CharterError, Problem

if TYPE_CHECKING:
    from charter.state.model import State
    from charter.terms.model import TermsSet


def cited_blocks(data: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """Every block of the terms with its citation: (path, citation, block)."""
    found: list[tuple[str, str, Any]] = []
    if isinstance(data, dict):
        cite = data.get("citation")
        if isinstance(cite, str):
            found.append((path, cite, data))
        for k, v in data.items():
            if isinstance(v, dict | list):
                found.extend(cited_blocks(v, f"{path}.{k}" if path else str(k)))
            elif k.endswith("_citation") and isinstance(v, str):
                found.append((f"{path}.{k}" if path else k, v, {k: v}))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            label = v.get("id") or v.get("name") if isinstance(v, dict) else None
            found.extend(cited_blocks(v, f"{path}[{label or i}]"))
    return found


def _norm(text: str) -> str:
    return text.lower().replace(" ", "")


def matches(citation: str, clause: str) -> bool:
    return any(_norm(part).startswith(_norm(clause)) for part in citation.split(";"))


def terms_json(terms: TermsSet, state: State, clause: str | None = None) -> dict[str, Any]:
    """The shape of `charter terms show [CLAUSE] --json`: the terms in force, or every block
    citing CLAUSE."""
    cert = state.certificate.model_dump(mode="json")
    bylaws = terms.bylaws.model_dump(mode="json")
    if clause is None:
        return {"certificate": cert, "bylaws": bylaws}
    blocks = [
        {"where": f"{root}.{p}", "citation": c, "terms": b}
        for root, doc in (("certificate", cert), ("bylaws", bylaws))
        for p, c, b in cited_blocks(doc)
        if matches(c, clause)
    ]
    if not blocks:
        raise CharterError([Problem(f"no term in force cites {clause!r}", field="CLAUSE")])
    return {"clause": clause, "blocks": blocks}
