"""`charter value --equity E --term T --volatility V --rate R [--dlom D] [--backsolve CLASS]
[--pwerm FILE]`: value per share by the option-pricing method on the exact breakpoints, the
backsolve, or PWERM over scenarios (an estimate in floats; nothing is recorded)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
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
from charter.errors import CharterError, Problem
from charter.explain import parse_readings
from charter.views import figures

if TYPE_CHECKING:
    from charter.state.model import State
    from charter.views import valuation as valuation_view
else:
    valuation_view = deferred("charter.views.valuation")


def value(
    equity: Annotated[
        str | None, typer.Option("--equity", help="Equity value today (the OPM's S).")
    ] = None,
    term: Annotated[str | None, typer.Option("--term", help="Years to the exit.")] = None,
    volatility: Annotated[
        str | None, typer.Option("--volatility", help="Annual volatility, e.g. 0.60.")
    ] = None,
    rate: Annotated[
        str | None, typer.Option("--rate", help="Risk-free rate, continuously compounded.")
    ] = None,
    dlom: Annotated[
        str, typer.Option("--dlom", help="Discount for lack of marketability on common.")
    ] = "0",
    backsolve: Annotated[
        str | None,
        typer.Option(
            "--backsolve", help="Solve the equity value at which CLASS is worth its issue price."
        ),
    ] = None,
    up_to: Annotated[
        str,
        typer.Option("--up-to", help="The highest equity value the backsolve tries."),
    ] = "1000000000000",  # views.valuation.DEFAULT_UP_TO
    pwerm: Annotated[
        Path | None, typer.Option("--pwerm", help="PWERM over the scenarios of FILE (YAML).")
    ] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
) -> None:
    """Value per share of each class by the option-pricing method on the exact breakpoints
    (with a backsolve), or by PWERM over scenarios; an estimate in floats."""
    settings = parse_readings(reading or [])
    if pwerm is not None:
        given = {
            "--equity": equity,
            "--term": term,
            "--volatility": volatility,
            "--backsolve": backsolve,
        }
        valuation_view.refuse(
            [o for o, x in given.items() if x is not None], "PWERM takes the scenarios' values"
        )
        text = _read(pwerm)
        state = session(ledger, db, company).state(parse_date(as_of), settings)
        data = valuation_view.pwerm(state, text, str(pwerm), rate, dlom, settings)
    else:
        inputs = valuation_view.option_inputs(
            equity, term, volatility, rate, dlom, backsolve, up_to
        )
        state = session(ledger, db, company).state(parse_date(as_of), settings)
        data = valuation_view.option_pricing(state, inputs, settings)
    if json_out:
        print_json(data)
    else:
        show_value(data, state)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        why = getattr(e, "strerror", None) or "not UTF-8 text"
        raise CharterError([Problem(f"cannot read the scenarios: {why}", file=str(path))]) from e


def show_value(data: dict[str, object], state: State) -> None:
    classes: dict[str, dict[str, str]] = data["classes"]  # type: ignore[assignment]
    m: dict[str, str] | None = data.get("inputs")  # type: ignore[assignment]
    title = (
        f"Value by the option-pricing method: equity ${figures.amount(m['equity'])}, "
        f"{m['term']} years, volatility {m['volatility']}, rate {m['rate']}"
        if m
        else "Value by PWERM over the scenarios"
    )
    t = Table("class", "shares", "value per share", "value", "grants, net", title=title)
    for c, row in classes.items():
        t.add_row(
            figures.class_name(state, c),
            f"{row['shares']:,}",
            row["per_share"],
            figures.amount(row["value"]),
            figures.amount(row["grants_net"]) if "grants_net" in row else "",
        )
    grants = [Fraction(row["grants_net"]) for row in classes.values() if "grants_net" in row]
    add_total(
        t,
        "total",
        "",
        "",
        figures.amount(sum((Fraction(row["value"]) for row in classes.values()), Fraction(0))),
        figures.amount(sum(grants, Fraction(0))) if grants else "",
    )
    show(t)
    console.print(
        f"In all ${figures.amount(str(data['total']))}, with the grants net of their exercise "
        "prices.",
    )
    points: list[str] = data.get("breakpoints", [])  # type: ignore[assignment]
    if points:
        console.print(
            f"On {len(points)} exact breakpoints, from ${figures.amount(Fraction(points[0]))} "
            f"to ${figures.amount(Fraction(points[-1]))} (charter curve).",
        )
    for sc in data.get("scenarios", []):  # type: ignore[attr-defined]
        console.print(
            f"{sc['name']} ({sc['kind']}, p = {sc['probability']}, {sc['date']}): {sc['what']}",
        )
    if "backsolve" in data:
        b: dict[str, str] = data["backsolve"]  # type: ignore[assignment]
        console.print(
            f"Backsolve: an equity value of ${figures.amount(b['equity'])} makes a share of "
            f"{figures.class_name(state, b['class'])} worth its issue price "
            f"${b['issue_price']}.",
        )
    console.print(
        f"Common per share {data['common_per_share']}; after a discount for lack of "
        f"marketability of {data['dlom']} (applied to the common's value per share only): "
        f"{data['common_per_share_after_dlom']}.",
    )
    console.print(f"({data['note']}.)")
