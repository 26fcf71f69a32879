"""`charter terms show [CLAUSE]`: the terms in force, and where each clause lives in them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
import yaml

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
from charter.views.terms import terms_json

if TYPE_CHECKING:
    pass


class Spelled(yaml.SafeDumper):
    """YAML for a reader: a block repeated in full where it recurs, never an anchor
    (`&id001`) and a reference (`*id001`) to it."""

    def ignore_aliases(self, data: object) -> bool:
        return True


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
            yaml.dump(data, Dumper=Spelled, sort_keys=False, allow_unicode=True, width=100),
            markup=False,
            highlight=False,
        )
