"""`charter terms show [CLAUSE]`: the terms in force, and where each clause lives in them."""

from __future__ import annotations

import textwrap
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
from charter.views.terms import matches, terms_json, terms_outline

app = typer.Typer(help="The certificate and bylaws as data.", no_args_is_help=True)


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
    """The terms in force by article and clause, each with its figures (or the clauses citing
    CLAUSE, with the words of the document)."""
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    data = terms_json(s.terms, state, clause)
    if json_out:
        print_json(data)
        return
    docs = terms_outline(state.certificate, s.terms.bylaws)
    console.print(
        "\n".join(outline_lines(docs, clause, console.width)),
        soft_wrap=True,
    )


def outline_lines(docs: list[dict[str, Any]], clause: str | None, width: int) -> list[str]:
    """The outline as text: each document, its articles, the clauses cited with the figures
    of the terms; with CLAUSE, only the clauses citing it, and their words."""
    lines: list[str] = []
    wrap = max(40, width - 2)
    for d in docs:
        cites = [
            (a, e)
            for a in d["articles"]
            for e in a["clauses"]
            if clause is None or matches(e["citation"], clause)
        ]
        if not cites:
            continue
        lines += ["", d["title"] + (f" ({d['document']})" if d["document"] else "")]
        for e in (e for _, e in cites):
            within = "" if e["exact"] or e["passage"] is None else f" (within {e['clause']})"
            lines.append(f"  {e['citation']}{within}")
            if clause is not None and e["passage"] is not None:
                for para in e["passage"].split("\n\n"):
                    lines += textwrap.wrap(para, wrap, initial_indent="    | ",
                                           subsequent_indent="    | ")  # fmt: skip
            for b in e["blocks"]:
                shown = "; ".join(f"{t} {f}" for t, f in b["figures"])
                text = f"{b['where']}: {shown}" if shown else b["where"]
                lines += textwrap.wrap(text, wrap, initial_indent="    ", subsequent_indent="      ",
                                       break_on_hyphens=False)  # fmt: skip
    return lines[1:]
