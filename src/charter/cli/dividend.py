"""`charter dividend --amount X`: how a declared dividend must be shared (Art. IV.B.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    ReadingOpt,
    console,
    deferred,
    parse_amount,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.explain import parse_readings

if TYPE_CHECKING:
    from charter.rules import dividends as dividends_rules
else:
    dividends_rules = deferred("charter.rules.dividends")


def dividend(
    amount: Annotated[str, typer.Option("--amount", help="The whole amount declared.")],
    kind: Annotated[
        str, typer.Option("--kind", help="cash, stock (payable in common) or property.")
    ] = "cash",
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
) -> None:
    """Share a dividend the board declares among the classes and holders (does not record it:
    a `dividend` ledger event does)."""
    value = parse_amount(amount, "--amount")
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    data = dividends_rules.dividend_json(
        dividends_rules.dividend(s.state(parse_date(as_of)), value, kind, settings)
    )
    if json_out:
        print_json(data)
        return
    table = Table("class", "amount", "per share", title=f"{kind} dividend of {data['amount']}")
    classes: dict[str, dict[str, str]] = data["classes"]  # type: ignore[assignment]
    for c, line in classes.items():
        table.add_row(c, line["amount"], line["per_share"])
    show(table)
    holders: dict[str, dict[str, object]] = data["holders"]  # type: ignore[assignment]
    table = Table("holder", "amount")
    for h, hl in holders.items():
        table.add_row(h, str(hl["amount"]))
    show(table)
    for line in data["trace"]:  # type: ignore[attr-defined]
        console.print(line, markup=False, highlight=False)
