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
from charter.explain import parse_readings
from charter.numbers import per_share
from charter.views import figures
from charter.views.inputs import voting_power_fraction

if TYPE_CHECKING:
    from charter.rules import deemed_liquidation as deemed_liquidation_rules
    from charter.rules import waterfall as waterfall_rules
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
        str,
        typer.Option(
            "--exit", help="Net proceeds available to stockholders, e.g. 60000000 or 60000000.00."
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
) -> None:
    """Distribute one exit value in a liquidation or deemed liquidation to every holder."""
    amount = parse_amount(exit_value, "--exit")
    settings = parse_readings(reading or [])
    disposed = voting_power_fraction(voting_power_disposed)
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    exit_ = deemed_liquidation_rules.exit_event(
        state, event or deemed_liquidation_rules.LIQUIDATION, counterparty, disposed
    )
    result = waterfall_rules.waterfall(state, amount, settings, event=exit_)
    if json_out:
        print_json(waterfall_rules.waterfall_json(result))
        return
    co, p = result.company, result.profile
    when = result.as_of.isoformat() if result.as_of else "no events"
    classes = Table(
        "class",
        "route",
        "shares",
        "amount",
        "per share",
        title=f"{s.company.name} — exit of ${figures.amount(amount)} as of {when}",
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
    console.print(f"The exit is {exit_.description}{deemed} ({exit_.citation}).", markup=False)
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
    if result.exercised:
        console.print(f"Exercised: {', '.join(result.exercised)}", highlight=False)
    if explain:  # the derivation ends with the readings it relied on
        console.print()
        for line in result.trace.lines():
            console.print(line, markup=False, highlight=False)
        return
    for k, v in result.trace.interpretations.items():
        console.print(f"Reading {k} = {v}", highlight=False)
