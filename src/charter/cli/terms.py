"""`charter terms show [CLAUSE]`: the terms in force, and where each clause lives in them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    console,
    parse_date,
    print_json,
    session,
)
from charter.errors import CharterError, Problem
from charter.inputs import dump_yaml
from charter.state.model import State
from charter.terms.model import TermsSet

app = typer.Typer(help="The certificate and bylaws as data.", no_args_is_help=True)


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


@app.command("show")
def show(
    clause: Annotated[
        str | None, typer.Argument(help="A clause, e.g. 'Art. IV.B.2' or 'Bylaws Art. VIII'.")
    ] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The terms in force (or every block that cites CLAUSE)."""
    s = session(ledger, db, company)
    data = terms_json(s.terms, s.state(parse_date(as_of)), clause)
    if json_out:
        print_json(data)
    else:
        console.print(
            dump_yaml(data),
            markup=False,
            highlight=False,
        )
