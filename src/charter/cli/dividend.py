"""`charter dividend --amount X`: how a declared dividend must be shared (Art. IV.B.1)."""

from __future__ import annotations

from fractions import Fraction
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
from charter.cli.tables import add_total, show
from charter.explain import parse_readings
from charter.views import figures

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
    state = s.state(parse_date(as_of))
    data = dividends_rules.dividend_json(dividends_rules.dividend(state, value, kind, settings))
    if json_out:
        print_json(data)
        return
    total = str(data["amount"])
    table = Table(
        "class",
        "paid",
        "per share",
        "% of total",
        title=f"A {kind} dividend of {figures.amount(total)}",
    )
    classes: dict[str, dict[str, str]] = data["classes"]  # type: ignore[assignment]
    for c, line in classes.items():
        table.add_row(
            figures.class_name(state, c),
            figures.amount(line["paid"]),
            line["per_share"],
            figures.percent(line["paid"], total),
        )
    paid = sum((Fraction(line["paid"]) for line in classes.values()), Fraction(0))
    add_total(table, "total", figures.amount(paid), "", figures.percent(paid, total))
    show(table)
    holders: dict[str, dict[str, object]] = data["holders"]  # type: ignore[assignment]
    table = Table("holder", "amount", "% of total")
    for h, hl in holders.items():
        table.add_row(
            figures.holder_name(state, h),
            figures.amount(str(hl["amount"])),
            figures.percent(str(hl["amount"]), total),
        )
    received = sum((Fraction(str(hl["amount"])) for hl in holders.values()), Fraction(0))
    add_total(table, "total", figures.amount(received), figures.percent(received, total))
    show(table)
    for line in data["trace"]:  # type: ignore[attr-defined]
        console.print(line)
