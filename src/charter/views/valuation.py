"""What `charter value` and the value page show, built once: the inputs read from what a person
typed (an option or a form field), checked before any work, then the option-pricing method
(with a backsolve) or PWERM, as the JSON of `rules.valuation.valuation_json`."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import msgspec

from charter.errors import CharterError, Problem
from charter.inputs import load_text
from charter.numbers import decimal_str
from charter.rules import valuation as v
from charter.rules.waterfall import company
from charter.state.model import State
from charter.views.inputs import parse_amount

DEFAULT_UP_TO = "1000000000000"  # the top of the backsolve's range of equity values


class Inputs(msgspec.Struct, frozen=True):
    """The option-pricing method's inputs as checked (`equity` None: solved by the
    backsolve of `backsolve`, up to `ceiling`)."""

    market: v.Market
    dlom: Fraction
    backsolve: str | None
    ceiling: float


def option_inputs(
    equity: str | None,
    term: str | None,
    volatility: str | None,
    rate: str | None,
    dlom: str = "0",
    backsolve: str | None = None,
    up_to: str = DEFAULT_UP_TO,
) -> Inputs:
    """Each input read and checked, every mistake one sentence naming its option: a
    volatility and a term above zero, a discount from 0 below 1, the equity value unless the
    backsolve finds it."""
    given = {"--term": term, "--volatility": volatility, "--rate": rate}
    if backsolve is None:
        given["--equity"] = equity
    elif equity is not None:
        refuse(["--equity"], "the backsolve finds the equity value")
    missing = [o for o, x in given.items() if x is None or not x.strip()]
    if missing:
        raise CharterError(
            [Problem("required for the option-pricing method", field=o) for o in missing]
        )
    market = v.market(
        parse_amount(equity, "--equity") if equity is not None else Fraction(1),  # or solved
        v.number(term or "", "--term"),
        v.number(volatility or "", "--volatility"),
        v.number(rate or "", "--rate"),
    )
    return Inputs(
        market,
        v.discount(v.number(dlom, "--dlom")),
        backsolve,
        float(parse_amount(up_to, "--up-to")),
    )


def refuse(options: list[str], why: str) -> None:
    """One sentence for each option given where it has no part."""
    if options:
        raise CharterError([Problem(f"{why}; leave it out", field=o) for o in options])


def option_pricing(
    state: State, inputs: Inputs, settings: Mapping[str, str] | None = None
) -> dict[str, object]:
    """The option-pricing method on the exact breakpoints (after the backsolve, if asked)."""
    co = company(state, settings)
    p = v.payoffs(co)
    m = inputs.market
    backsolved: dict[str, object] | None = None
    if inputs.backsolve is not None:
        price = v.issue_price(state, inputs.backsolve)
        found = v.backsolve(
            p, inputs.backsolve, price, m.term, m.volatility, m.rate, inputs.ceiling
        )
        m = v.Market(found, m.term, m.volatility, m.rate)
        backsolved = {
            "class": inputs.backsolve,
            "issue_price": decimal_str(price),
            "equity": f"{found:.2f}",
        }
    return v.valuation_json(v.value(co, p, m, inputs.dlom), backsolved)


def pwerm(
    state: State,
    text: str,
    source: str,
    rate: str | None,
    dlom: str = "0",
    settings: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """PWERM over the scenarios of a YAML or JSON text."""
    if rate is None or not rate.strip():
        raise CharterError([Problem("the risk-free rate is required", field="--rate")])
    r = v.risk_free(v.number(rate, "--rate"))
    discount = v.discount(v.number(dlom, "--dlom"))
    scenarios = v.read_scenarios(load_text(text, source), source, state.as_of)
    result, outcomes = v.pwerm(state, scenarios, r, discount, settings)
    return v.valuation_json(result, outcomes=outcomes)
