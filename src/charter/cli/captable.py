"""`charter captable`."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

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
from charter.interop.tables import captable_sheets, class_clauses, class_names
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import captable as captable_rules
    from charter.state.model import State
else:
    captable_rules = deferred("charter.rules.captable")


def ownership_table(ct: captable_rules.CapTable, names: dict[str, str]) -> Table:
    """Each holder's stock as converted and fully diluted, with percentages; a totals row; the
    plans' unallocated pool as its own line."""
    t = Table(title="Ownership", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0, 0, 1))
    t.add_column("holder")
    for head in ("as converted", "% out", "fully diluted", "% FD"):
        t.add_column(head, justify="right", no_wrap=True)
    for h, tot in ct.holder_totals.items():
        t.add_row(
            f"{names.get(h, h)} ({h})",
            f"{tot.as_converted:,}",
            captable_rules.percent(tot.outstanding_pct),
            f"{tot.fully_diluted:,}",
            captable_rules.percent(tot.fully_diluted_pct),
        )
    for plan, n in ct.unallocated_pool.items():
        share = Fraction(n, ct.fully_diluted_with_pool or 1)
        t.add_row(f"unallocated pool ({plan})", "", "", f"{n:,}", captable_rules.percent(share))
    t.add_section()
    t.add_row(
        "total",
        f"{ct.as_converted:,}",
        captable_rules.percent(Fraction(1)) if ct.as_converted else "",
        f"{ct.fully_diluted_with_pool:,}",
        captable_rules.percent(Fraction(1)) if ct.fully_diluted_with_pool else "",
    )
    return t


def convertibles_table(state: State, ct: captable_rules.CapTable) -> Table:
    """SAFEs and notes, their own section: the amount now (a note's with its interest), the
    terms, and what each converted into."""
    t = Table(
        "instrument",
        "kind",
        "holder",
        "amount now",
        "cap",
        "discount",
        "status",
        title="Convertible instruments (not shares until they convert)",
    )
    for line in ct.convertibles:
        c = line.state
        cap = "" if c.valuation_cap is None else f"{figures.amount(c.valuation_cap)} {c.basis}"
        status = "outstanding"
        if c.converted is not None and c.class_id is not None:
            status = (
                f"{c.shares:,} {figures.class_name(state, c.class_id)} on {c.converted.isoformat()}"
            )
        t.add_row(
            c.id,
            c.kind + (" (MFN)" if c.mfn else ""),
            figures.holder_name(state, c.holder),
            figures.amount(line.amount_now),
            cap,
            f"{figures.percent(c.discount, 1)}" if c.discount else "",
            status,
        )
    return t


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
    ct = captable_rules.captable(state)
    if json_out:
        print_json(captable_rules.captable_json(ct))
        return
    names = {h.id: h.name for h in s.stakeholders()}
    if xlsx or csv:
        clauses = class_clauses(state.certificate, "class")
        sheets = captable_sheets(
            captable_rules.captable_json(ct), names, class_names(state.certificate), clauses
        )
        write_out(sheets, xlsx, csv)
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
    blank = ct.undesignated_preferred
    if blank is not None:
        classes.add_row(
            "Preferred, undesignated",
            f"{blank['authorized']:,}",
            "0",
            "0",
            "0",
            str(blank["citation"]),
        )
    show(classes)
    ids = [c.id for c in ct.classes if c.outstanding]
    holders = Table("holder", *(figures.class_name(state, c) for c in ids), title="Holders")
    for h, by in ct.holders.items():
        holders.add_row(
            figures.holder_name(state, h), *(f"{by.get(c, 0):,}" if by.get(c) else "" for c in ids)
        )
    show(holders)
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
                figures.holder_name(state, g.holder),
                figures.class_name(state, g.class_id),
                f"{g.outstanding:,}",
                figures.price(g.exercise_price),
            )
        show(grants)
    if ct.convertibles:
        show(convertibles_table(state, ct))
    show(ownership_table(ct, names))
    console.print(f"Fully diluted: {ct.fully_diluted:,} shares of common.")
    if ct.unallocated_pool:
        console.print(
            f"With the {sum(ct.unallocated_pool.values()):,} shares the plans may still grant: "
            f"{ct.fully_diluted_with_pool:,}."
        )
    for w in ct.warnings:
        console.print(f"Warning: {w}", style="yellow")
    for p in ct.pending_conversions:
        console.print(
            f"Conversion of {', '.join(p.classes)} elected on {p.date.isoformat()} ({p.event}) "
            "waits on the closing of the public offering.",
        )
