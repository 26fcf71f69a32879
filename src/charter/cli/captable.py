"""`charter captable`."""

from __future__ import annotations

from rich.table import Table

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
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.interop.tables import captable_sheets, class_clauses
from charter.numbers import per_share
from charter.rules.captable import captable as build_captable
from charter.rules.captable import captable_json


def captable(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """The cap table as of a date: classes, holders, grants, fully diluted."""
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    ct = build_captable(state)
    if json_out:
        print_json(captable_json(ct))
        return
    if xlsx or csv:
        names = {h.id: h.name for h in s.stakeholders()}
        clauses = class_clauses(state.certificate, "class")
        write_out(captable_sheets(captable_json(ct), names, clauses), xlsx, csv)
        return
    when = ct.as_of.isoformat() if ct.as_of else "no events"
    classes = Table(
        "class",
        "authorized",
        "outstanding",
        "as converted",
        "reserved",
        "clause",
        title=f"{s.company.name} — capitalization as of {when}",
    )
    for c in ct.classes:
        classes.add_row(
            c.name,
            f"{c.authorized:,}",
            f"{c.outstanding:,}",
            f"{c.as_converted:,}",
            f"{c.reserved:,}",
            c.citation,
        )
    console.print(classes)
    ids = [c.id for c in ct.classes if c.outstanding]
    holders = Table("holder", *ids, title="Holders")
    names = {h.id: h.name for h in s.stakeholders()}
    for h, by in ct.holders.items():
        holders.add_row(
            f"{names.get(h, h)} ({h})", *(f"{by.get(c, 0):,}" if by.get(c) else "" for c in ids)
        )
    console.print(holders)
    if ct.grants:
        grants = Table(
            "grant",
            "kind",
            "holder",
            "class",
            "outstanding",
            "exercise price",
            title="Grants outstanding",
        )
        for g in ct.grants:
            grants.add_row(
                g.id,
                g.kind,
                g.holder,
                g.class_id,
                f"{g.outstanding:,}",
                per_share(g.exercise_price),
            )
        console.print(grants)
    console.print(f"Fully diluted: {ct.fully_diluted:,} shares of common.")
    for w in ct.warnings:
        console.print(f"[yellow]Warning:[/] {w}")
    for p in ct.pending_conversions:
        console.print(
            f"Conversion of {', '.join(p.classes)} elected on {p.date.isoformat()} ({p.event}) "
            "waits on the closing of the public offering.",
            markup=False,
        )
