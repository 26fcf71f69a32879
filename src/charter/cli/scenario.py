"""`charter scenario FILE`: a financing modelled on a copy of the ledger, nothing recorded
unless --record (issue 14 §2; the file's shape in docs/scenario.md)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from charter.cli.common import (
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    ReadingOpt,
    console,
    deferred,
    parse_amount,
    print_json,
    session,
)
from charter.cli.tables_out import XlsxOpt, write_out
from charter.errors import CharterError, Problem
from charter.explain import parse_readings
from charter.numbers import money, per_share, to_decimal_str

if TYPE_CHECKING:
    from charter.views import scenario as scenario_view
else:
    scenario_view = deferred("charter.views.scenario")


def scenario(
    file: Annotated[Path, typer.Argument(help="The scenario: YAML or JSON (docs/scenario.md).")],
    exit_values: Annotated[
        list[str] | None,
        typer.Option(
            "--exit", help="An exit value for the waterfall before and after; repeatable."
        ),
    ] = None,
    record: Annotated[
        bool,
        typer.Option("--record", help="Append the scenario's events to the ledger (all or none)."),
    ] = False,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    xlsx: XlsxOpt = None,
    reading: ReadingOpt = None,
) -> None:
    """A financing before it happens: pro forma cap table, conversion prices, approvals,
    headroom, payouts."""
    settings = parse_readings(reading or [])
    exits = [parse_amount(x, "--exit") for x in exit_values or []]
    sc = scenario_view.read_scenario(file)
    if record:
        refuse_record(sc, ledger is not None)
    s = session(ledger, db, company)
    today = s.state(None, settings)
    report = scenario_view.run(today, s.stakeholders(), s.entries(), sc, exits, settings)
    if record:
        written = s.append(report.events, source=f"charter scenario {file.name}")
        console.print(f"Recorded {len(written)} events (sequence {written[0]}–{written[-1]}).")
        return
    if json_out:
        print_json(scenario_view.scenario_json(report))
        return
    if xlsx is not None:
        names = {h.id: h.name for h in [*s.stakeholders(), *sc.stakeholders]}
        data = scenario_view.scenario_json(report)
        write_out(scenario_view.scenario_sheets(data, names), xlsx, None)
        return
    show(report)


def refuse_record(sc: scenario_view.ScenarioFile, from_file: bool) -> None:
    """--record writes only what the ledger has a path for: events, into a database."""
    why = None
    if from_file:
        why = "--record needs a database; --ledger FILE is read only"
    elif sc.series:
        why = (
            "the ledger has no event adding a series to the certificate in force before an IPO "
            "(adopt_terms chooses among the company's stored certificates), so a scenario with "
            "terms: cannot be recorded"
        )
    elif sc.stakeholders:
        why = "the ledger has no event adding stakeholders, so a scenario with stakeholders: cannot be recorded"
    elif not sc.events:
        why = "the scenario has no events to record"
    if why:
        raise CharterError([Problem(why, file=sc.source, field="--record")])


def pct(part: int, whole: int) -> str:
    return scenario_view.percent(part, whole)[:-2] + "%"


def show(r: scenario_view.ScenarioReport) -> None:
    b, a = r.before, r.after
    t = Table("class", "outstanding", "%", "pro forma", "%", "fully dil.", "%", title="Cap table")
    before_classes = {c.id: c for c in b.captable.classes}
    for c in a.captable.classes:
        c0 = before_classes.get(c.id)
        t.add_row(
            c.id,
            f"{c0.outstanding:,}" if c0 else "",
            pct(c0.outstanding, b.outstanding) if c0 else "",
            f"{c.outstanding:,}",
            pct(c.outstanding, a.outstanding),
            f"{c.as_converted:,}",
            pct(c.as_converted, a.captable.fully_diluted),
        )
    t.add_row(
        "total",
        f"{b.outstanding:,}",
        "",
        f"{a.outstanding:,}",
        "",
        f"{a.captable.fully_diluted:,}",
        "",
    )
    console.print(t)
    h = Table("holder", "fully diluted", "%", "pro forma", "%", title="Holders (fully diluted)")
    before_holders = {x.holder: x for x in b.holders}
    for x in a.holders:
        x0 = before_holders.get(x.holder)
        h.add_row(
            x.holder,
            f"{x0.fully_diluted:,}" if x0 else "",
            pct(x0.fully_diluted, b.captable.fully_diluted) if x0 else "",
            f"{x.fully_diluted:,}",
            pct(x.fully_diluted, a.captable.fully_diluted),
        )
    console.print(h)
    if r.implied_price is not None:
        console.print(f"Price per share the pre-money implies: {per_share(r.implied_price)}")
    if r.converted:
        cv = Table("instrument", "holder", "shares", "price", title="SAFEs and notes converting")
        for inst in r.converted:
            price = inst.conversion_price
            cv.add_row(
                inst.id,
                inst.holder,
                f"{inst.shares:,} {inst.class_id}",
                "" if price is None else per_share(price),
            )
        console.print(cv)
    p = Table("series", "before", "after", title="Conversion prices")
    for line in r.prices:
        before = per_share(line.before) if line.before is not None else "new"
        p.add_row(line.series, before, per_share(line.after))
    console.print(p)
    for line in r.prices:
        for ch in line.changes:
            abc = ", ".join(
                f"{k} {to_decimal_str(v, 2)}"
                for k, v in (("A", ch.a), ("B", ch.b), ("C", ch.c))
                if v
            )
            console.print(
                f"{line.series}: {ch.kind} at {ch.event}, {per_share(ch.old)} to "
                f"{per_share(ch.new)}; {abc} ({ch.citation})",
            )
    for n in r.approvals:
        carried = {True: "carried", False: "NOT carried", None: "no stockholder vote"}[n.carried]
        console.print(f"{n.action}: {n.why} — {carried} by the consents")
        for ap in n.result.approvals:
            by = "board" if ap.body == "board" else ", ".join(ap.group)
            need = "" if ap.needed is None else f" needs {ap.needed:,}"
            got = "" if ap.for_ is None else f", consents {ap.for_:,}"
            console.print(f"  {ap.id} ({by}; {ap.citation}){need}{got}")
    for note in r.notes:
        console.print(note + ".")
    hr = Table(
        "class",
        "authorized",
        "outstanding",
        "reserved",
        "headroom",
        title="Authorized shares (pro forma)",
    )
    for room in r.headroom_after:
        hr.add_row(
            room.class_id,
            f"{room.authorized:,}",
            f"{room.outstanding:,}",
            f"{room.reserved:,}",
            f"{room.left:,}",
        )
    console.print(hr)
    for e in r.exits:
        w = Table("holder", "today", "pro forma", "change", title=f"Exit of {money(e.exit_value)}")
        for holder in sorted(set(e.before) | set(e.after)):
            v0, v1 = e.before.get(holder, Fraction(0)), e.after.get(holder, Fraction(0))
            w.add_row(holder, money(v0), money(v1), money(v1 - v0))
        console.print(w)
