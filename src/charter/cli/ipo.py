"""`charter ipo --price P --gross G [--funds-available L]`: simulate a public offering."""

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
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import add_total, show
from charter.explain import parse_readings
from charter.numbers import per_share
from charter.views import figures
from charter.views.inputs import offering_amount

if TYPE_CHECKING:
    from charter.rules import ipo as ipo_rules
else:
    ipo_rules = deferred("charter.rules.ipo")


def ipo(
    price: Annotated[str, typer.Option("--price", help="Offering price per share.")],
    gross: Annotated[str, typer.Option("--gross", help="Aggregate offering price.")],
    funds_available: Annotated[
        str | None,
        typer.Option("--funds-available", help="Funds legally available for Cash Amounts."),
    ] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
) -> None:
    """What a firm-commitment offering would do (nothing is recorded)."""
    p, g = offering_amount(price, "--price"), offering_amount(gross, "--gross")
    f = (
        None
        if funds_available is None
        else offering_amount(funds_available, "--funds-available", True)
    )
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of), settings)
    r = ipo_rules.simulate_ipo(state, p, g, f)
    if json_out:
        print_json(ipo_rules.ipo_json(r))
        return
    if not r.qualified:
        console.print("Not a qualified offering: " + "; ".join(r.reasons) + ".")
        return
    t = Table("series", "common per share", "price protection", "cash per share", title="Classes")
    for c in r.conversions.classes.values():
        t.add_row(
            figures.class_name(state, c.class_id),
            per_share(c.common_per_share),
            "yes" if c.ratchet_applied else "",
            per_share(c.cash_per_share),
        )
    show(t)
    h = Table("holder", "series", "preferred", "common", "cash due", title="Holders")
    for x in r.conversions.holders:
        due = r.due_cents.get((x.holder, x.class_id), Fraction(0))
        h.add_row(
            figures.holder_name(state, x.holder),
            figures.class_name(state, x.class_id),
            f"{x.preferred:,}",
            f"{x.common:,}",
            figures.amount(due),
        )
    add_total(
        h,
        "total",
        "",
        f"{sum(x.preferred for x in r.conversions.holders):,}",
        f"{sum(x.common for x in r.conversions.holders):,}",
        figures.amount(r.cash_due),
    )
    show(h)
    console.print(
        f"Cash Amounts due ${figures.amount(r.cash_due)}, paid at conversion "
        f"${figures.amount(r.paid_at_conversion)}, owed ${figures.amount(r.owed)}."
    )
    for line in r.trace.lines():
        console.print(line)
