"""`charter conversion-prices`: each series' conversion price with its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
from charter.cli.tables import show
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.explain import parse_readings
from charter.interop.tables import class_clauses, class_names, conversion_prices_sheets
from charter.numbers import per_share, to_decimal_str
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import conversion_prices as conversion_prices_rules
else:
    conversion_prices_rules = deferred("charter.rules.conversion_prices")


def conversion_prices(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """Conversion prices in force, every adjustment, and what is carried forward."""
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of), settings)
    r = conversion_prices_rules.conversion_prices(state)
    if json_out:
        print_json(conversion_prices_rules.conversion_prices_json(r))
        return
    if xlsx or csv:
        clauses = class_clauses(state.certificate, "conversion")
        write_out(
            conversion_prices_sheets(
                conversion_prices_rules.conversion_prices_json(r),
                class_names(state.certificate),
                clauses,
                state.as_of.isoformat() if state.as_of else None,
            ),
            xlsx,
            csv,
        )
        return
    t = Table("series", "issue price", "conversion price", "ratio", "carried forward")
    for x in r.series:
        t.add_row(
            figures.class_name(state, x.class_id),
            figures.price(x.issue_price),
            figures.price(x.conversion_price),
            per_share(x.ratio),
            figures.price(x.carried_forward),
        )
    show(t)
    for x in r.series:
        if not x.history:
            continue
        h = Table(
            "date",
            "event",
            "kind",
            "A",
            "B",
            "C",
            "from",
            "to",
            "clause",
            title=figures.class_name(state, x.class_id),
        )
        for c in x.history:
            h.add_row(
                c.date.isoformat(),
                c.event,
                c.kind,
                *(
                    "" if v is None else figures.grouped(to_decimal_str(v, 2))
                    for v in (c.a, c.b, c.c)
                ),
                figures.price(c.old),
                figures.price(c.new),
                c.citation,
            )
        show(h)
    for k, v in r.trace.interpretations.items():
        console.print(f"reading {k} = {v}")
