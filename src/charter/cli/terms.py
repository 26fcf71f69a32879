"""`charter terms show [CLAUSE]`: the terms in force, and where each clause lives in them."""

from __future__ import annotations

from typing import Annotated

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
from charter.inputs import dump_yaml
from charter.views.terms import terms_json

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
