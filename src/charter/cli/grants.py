"""`charter grants` and `charter plans`: options, warrants and rights with their vesting, and
the equity plans' pools (spec/ledger-format.md, "Equity plans")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    console,
    deferred,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.errors import CharterError, Problem
from charter.interop.tables import class_names, grant_clauses, grants_sheets
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import grants as grants_rules
else:
    grants_rules = deferred("charter.rules.grants")

HolderOpt = Annotated[str | None, typer.Option("--holder", help="Only this holder's grants.")]


def grants(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    holder: HolderOpt = None,
    json_out: JsonOpt = False,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """Each grant: vested, exercisable, exercised, outstanding, when it expires and next vests."""
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    if holder is not None and holder not in state.stakeholders:
        raise CharterError(
            [Problem(f"{holder!r} is not a stakeholder of the ledger", field="--holder")]
        )
    data = grants_rules.grants_json(state, holder)
    if json_out:
        print_json(data)
        return
    if xlsx or csv:
        names = {h.id: h.name for h in s.stakeholders()}
        made_under = {g.id: g.exclusion for g in state.grants.values()}
        clauses = grant_clauses(state.certificate, made_under)
        write_out(grants_sheets(data, names, class_names(state.certificate), clauses), xlsx, csv)
        return
    t = Table(
        "grant",
        "holder",
        "vested",
        "exercisable",
        "exercised",
        "outstanding",
        "expires",
        "next vests",
        title=f"Grants as of {data['as_of']}",
        box=box.SIMPLE_HEAD,
    )
    for gid, g in data["grants"].items():
        t.add_row(
            gid,
            figures.holder_name(state, g["holder"]),
            f"{g['vested']:,}",
            f"{g['exercisable']:,}",
            f"{g['exercised']:,}",
            f"{g['outstanding']:,}",
            g["expires"] or "",
            g["next_vesting"] or "",
        )
    show(t)
    for w in data["warnings"]:
        console.print(f"Warning: {w}", style="yellow")


def plans(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Each equity plan's pool: reserved, granted, outstanding, exercised, lapsed, returned,
    available for grant."""
    s = session(ledger, db, company)
    data = grants_rules.plans_json(s.state(parse_date(as_of)))
    if json_out:
        print_json(data)
        return
    t = Table(title=f"Equity plans as of {data['as_of']}", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("shares", no_wrap=True)
    for pid in data["plans"]:
        t.add_column(pid, justify="right", no_wrap=True)
    for k in ("reserved", "granted", "outstanding", "exercised", "lapsed", "returned",
              "available"):  # fmt: skip
        t.add_row(k, *(f"{p[k]:,}" for p in data["plans"].values()))
    console.print(t)
