"""`charter waterfall --exit AMOUNT`: who receives what of one exit value (Art. IV.B.2)."""

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
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.explain import parse_readings
from charter.interop.tables import class_clauses, class_names, waterfall_sheets
from charter.numbers import money, per_share
from charter.views import figures
from charter.views.inputs import voting_power_fraction

if TYPE_CHECKING:
    from charter.rules import deemed_liquidation as deemed_liquidation_rules
    from charter.rules import waterfall as waterfall_rules
    from charter.rules.deemed_liquidation import ExitEvent
    from charter.rules.waterfall import Waterfall as WaterfallResult
    from charter.state.model import State
else:
    deemed_liquidation_rules = deferred("charter.rules.deemed_liquidation")
    waterfall_rules = deferred("charter.rules.waterfall")

ExplainOpt = Annotated[
    bool, typer.Option("--explain", help="Print the derivation step by step, with its clauses.")
]
EventOpt = Annotated[
    str | None,
    typer.Option(
        "--event",
        help="liquidation (the default), or a transaction deemed one (Art. IV.B.2(c)): merger, "
        "sale_of_assets, change_of_control.",
    ),
]
CounterpartyOpt = Annotated[
    str | None,
    typer.Option(
        "--counterparty",
        help="For a merger: wholly_owned_subsidiary or parent (then not deemed a liquidation).",
    ),
]
VotingPowerOpt = Annotated[
    str | None,
    typer.Option(
        "--voting-power-disposed",
        help="For a change of control: the fraction of the voting power disposed of (0.6).",
    ),
]


def waterfall(
    exit_value: Annotated[
        list[str],
        typer.Option(
            "--exit",
            help="Net proceeds available to stockholders, e.g. 60000000 or 60000000.00 "
            "(repeat for several: a workbook compares them).",
        ),
    ],
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    explain: ExplainOpt = False,
    reading: ReadingOpt = None,
    event: EventOpt = None,
    counterparty: CounterpartyOpt = None,
    voting_power_disposed: VotingPowerOpt = None,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """Distribute one exit value (or several) in a liquidation or deemed liquidation to every
    holder."""
    amounts = [parse_amount(v, "--exit") for v in exit_value]
    settings = parse_readings(reading or [])
    disposed = voting_power_fraction(voting_power_disposed)
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    exit_ = deemed_liquidation_rules.exit_event(
        state, event or deemed_liquidation_rules.LIQUIDATION, counterparty, disposed
    )
    results = [
        waterfall_rules.waterfall(state, amount, settings, event=exit_) for amount in amounts
    ]
    if json_out:
        shapes = [waterfall_rules.waterfall_json(r) for r in results]
        print_json(shapes[0] if len(shapes) == 1 else shapes)
        return
    names = {h.id: h.name for h in s.stakeholders()}
    if xlsx or csv:
        clauses = class_clauses(state.certificate, "liquidation")
        write_out(
            waterfall_sheets(
                [waterfall_rules.waterfall_json(r) for r in results],
                names,
                class_names(state.certificate),
                clauses,
            ),
            xlsx,
            csv,
        )
        return
    for amount, result in zip(amounts, results, strict=True):
        _print_waterfall(state, s.company.name, names, amount, result, exit_, explain)


def _print_waterfall(
    state: State,
    company: str,
    names: dict[str, str],
    amount: Fraction,
    result: WaterfallResult,
    exit_: ExitEvent,
    explain: bool,
) -> None:
    co, p = result.company, result.profile
    when = result.as_of.isoformat() if result.as_of else "no events"
    classes = Table(
        "class",
        "route",
        "shares",
        "amount",
        "per share",
        title=f"{company} — exit of ${figures.amount(amount)} as of {when}",
    )
    for seat in co.seats:
        n = co.shares(seat, p)
        if n:
            total = result.split.total(seat.id)
            route = (
                "common" if seat.is_common else "as converted" if p.converts(seat) else "preference"
            )
            classes.add_row(
                seat.name,
                route,
                f"{n:,}",
                figures.amount(total),
                per_share(total / n),
            )
    show(classes)
    deemed = ", deemed a liquidation" if exit_.deemed else ""
    console.print(f"The exit is {exit_.description}{deemed} ({exit_.citation}).")
    holders = Table(
        "holder", "amount", "% of exit", "by class", title="Holders (net of exercise prices)"
    )
    received = Fraction(0)
    for h in sorted(result.cents):
        by = result.cents[h]
        detail = "; ".join(
            f"{figures.class_name(state, c)} {figures.amount(Fraction(v, 100))}"
            for c, v in sorted(by.items())
        )
        got = Fraction(sum(by.values()), 100)
        received += got
        holders.add_row(
            figures.holder_name(state, h), figures.amount(got), figures.percent(got, amount), detail
        )
    add_total(holders, "total", figures.amount(received), figures.percent(received, amount), "")
    show(holders)
    if co.owed:
        owed = sum((co.owed_total(c) for c in co.owed), Fraction(0))
        console.print(
            f"Cash Amounts owed since an earlier conversion: {money(owed)}, of which this exit "
            f"pays {money(sum(result.split.owed.values(), Fraction(0)))} ({co.owed_citation}; "
            "in the holders' amounts).",
        )
    for f in co.adjusted:
        console.print(f"{f['class']}: {f['figure']} {f['text']}")
    if result.exercised:
        console.print(f"Exercised: {', '.join(result.exercised)}")
    if explain:  # the derivation ends with the readings it relied on
        console.print()
        for line in result.trace.lines():
            console.print(line)
        return
    for k, v in result.trace.interpretations.items():
        console.print(f"Reading {k} = {v}")
