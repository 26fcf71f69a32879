"""`charter cash-owed`: the Series A-D Cash Amounts paid and still owed, per holder, and the
funds applied to them (Art. IV.B.3(c))."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from charter.cli.tables import add_total, show
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import cash_amounts as cash_amounts_rules
else:
    cash_amounts_rules = deferred("charter.rules.cash_amounts")


def cash_owed(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Cash Amounts due on conversion: paid, still owed, and the funds applied."""
    state = session(ledger, db, company).state(parse_date(as_of))
    data = cash_amounts_rules.cash_amounts_json(cash_amounts_rules.cash_amounts(state))
    if json_out:
        print_json(data)
        return
    holders: dict[str, dict[str, dict[str, str]]] = data["holders"]
    if not holders:
        console.print("No Cash Amounts have fallen due.")
        return
    t = Table("holder", "series", "due", "paid", "owed")
    for holder, by in holders.items():
        for class_id, x in by.items():
            t.add_row(
                figures.holder_name(state, holder),
                figures.class_name(state, class_id),
                *(figures.amount(x[k]) for k in ("due", "paid", "owed")),
            )
    cash: dict[str, str] = data["cash"]
    add_total(t, "total", "", *(figures.amount(cash[k]) for k in ("due", "paid", "owed")))
    show(t)
    h = Table("date", "event", "kind", "funds available", "applied", "payable by")
    for r in data["history"]:
        h.add_row(
            r["date"],
            r["event"],
            r["kind"],
            figures.amount(r["funds_available"]) if r["funds_available"] else "enough",
            figures.amount(r["applied"]),
            r.get("payable_by") or "",
        )
    show(h)
    for c in data["citations"]:
        console.print(c)
