"""SAFEs and convertible notes outstanding: their section of the cap table, and what each
gives at a liquidity event before it converts, by its terms.

At a liquidity event (the exit of the waterfall) an instrument gives its **cash-out amount**
(a SAFE's purchase amount; a note's principal and the interest accrued to the exit, in cents
rounded half up), or its **conversion**: the common its amount buys at the liquidity price,
its valuation cap over the company capitalization (a post-money cap's with the converting
instruments' own shares, exactly as at a round: `state.convertibles.solve`), which then takes
its part of the exit as common; or the **greater of** the two, the holder's choice. What an
instrument gives is its `at_liquidity`, or where it is silent the reading
`convertible-at-liquidity`. Cash-out amounts are paid before the stock's distribution (Art.
IV.B.2), ratably when the exit does not cover them; the waterfall of the stock then runs on
the rest, with the converted instruments' common.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from fractions import Fraction

import msgspec

from charter.explain import interpretation
from charter.numbers import decimal_str, money, per_share, round_half_up
from charter.state import convertibles as instruments
from charter.state.model import ConvertibleState, State

AT_LIQUIDITY = interpretation(
    id="convertible-at-liquidity",
    question="What does a SAFE or a note whose terms are silent on it give at a liquidity "
    "event (a sale or liquidation) before it converts?",
    citation="the instrument's liquidity-event clause; Art. IV.B.2 for the stock",
    quote="If there is a Liquidity Event before the termination of this Safe, this Safe will "
    "automatically be entitled ... to receive a portion of Proceeds ... equal to the greater "
    "of (i) the Purchase Amount (the 'Cash-Out Amount') or (ii) the amount payable on the "
    "number of shares of Common Stock equal to the Purchase Amount divided by the Liquidity "
    "Price (the 'Conversion Amount')",
    readings={
        "standard-forms": "a SAFE the greater of its purchase amount and its conversion at the "
        "cap (the standard SAFE; a SAFE without a cap its purchase amount); a note its "
        "principal and accrued interest, repaid as a debt",
        "cash-out": "every silent instrument its purchase amount or principal and interest",
        "greater-of": "every silent instrument with a cap the greater of its cash-out amount "
        "and its conversion at the cap",
    },
    default="standard-forms",
    argument="A SAFE that says nothing was almost always written on the standard form, "
    "whose liquidity clause gives the greater of the two; a note is a debt, and a debt not "
    "converted is repaid with its interest before anything is distributed to the stock. "
    "The other readings are offered for instruments drafted otherwise. The cash-out amounts "
    "are paid before the stock in every reading (the standard SAFE ranks them on par with "
    "the preferred's preferences, which this engine does not model: an exit too small for "
    "both pays the SAFEs first).",
)


def treatments(
    state: State, c: ConvertibleState, on: dt.date, settings: Mapping[str, str] | None
) -> tuple[str, ...]:
    """What the instrument may give: ("cash-out",), ("conversion",) or both, the holder
    choosing the greater. Without a cap of its own or one it may take under its MFN clause
    there is nothing to convert by: its cash-out amount."""
    say = c.at_liquidity
    if say is None:
        reading = AT_LIQUIDITY.choose(settings)
        if reading == "cash-out" or (reading == "standard-forms" and c.kind == "note"):
            say = "cash-out"
        else:
            say = "greater-of"
    if not any(t.valuation_cap is not None for t in instruments.candidate_terms(state, c, on)):
        return ("cash-out",)
    return {"cash-out": ("cash-out",), "conversion": ("conversion",)}.get(
        say, ("cash-out", "conversion")
    )


def cash_out(c: ConvertibleState, on: dt.date, settings: Mapping[str, str] | None) -> Fraction:
    """The purchase amount, or the principal and the interest accrued to `on`, to the cent
    (half up)."""
    return Fraction(round_half_up(instruments.conversion_amount(c, on, settings) * 100), 100)


def liquidity_shares(
    state: State, ids: list[str], on: dt.date, settings: Mapping[str, str] | None
) -> dict[str, int]:
    """The common each instrument in `ids` converts into at the liquidity price (cap /
    capitalization), all converting together."""
    if not ids:
        return {}
    convs = instruments.convert_at(state, ids, None, on, settings)
    return {c.id: instruments.whole_shares(c.shares, settings) for c in convs}


def converted_state(state: State, shares: Mapping[str, int]) -> State:
    """A copy of the state where each converting instrument's holder holds its common, and no
    instrument is outstanding (the stock's waterfall runs on it)."""
    st = copy.copy(state)
    st.holdings = {h: dict(by) for h, by in state.holdings.items()}
    st.outstanding = dict(state.outstanding)
    st.touched = set()
    st.convertibles = {}
    common = state.certificate.common.id
    for cid, n in shares.items():
        if n:
            st.add_shares(state.convertibles[cid].holder, common, n)
    st.touched = set()
    return st


# --- the cap table's section ------------------------------------------------------------------


class ConvertibleLine(msgspec.Struct, frozen=True):
    """One instrument as the cap table shows it: its terms, its amount now, and what it
    became if it converted."""

    state: ConvertibleState
    amount_now: Fraction  # the purchase amount, or principal and interest to the date


def lines(state: State) -> list[ConvertibleLine]:
    on = state.as_of or dt.date.today()
    return [
        ConvertibleLine(c, instruments.conversion_amount(c, c.converted or on, state.readings))
        for c in state.convertibles.values()
    ]


def line_json(line: ConvertibleLine) -> dict[str, object]:
    """The shape of one instrument in `charter captable --json` (`convertibles`)."""
    c = line.state

    def opt(x: Fraction | None) -> str | None:
        return None if x is None else money(x)

    return {
        "kind": c.kind,
        "holder": c.holder,
        "date": c.date.isoformat(),
        "amount": money(c.amount),
        "amount_now": money(line.amount_now),
        "basis": c.basis,
        "valuation_cap": opt(c.valuation_cap),
        "discount": decimal_str(c.discount),
        "mfn": c.mfn,
        "interest_rate": None if c.kind == "safe" else decimal_str(c.interest_rate),
        "interest": None if c.kind == "safe" else c.interest,
        "maturity": None if c.maturity is None else c.maturity.isoformat(),
        "at_liquidity": c.at_liquidity,
        "status": "outstanding" if c.converted is None else "converted",
        "converted": None
        if c.converted is None
        else {
            "date": c.converted.isoformat(),
            "event": c.event,
            "class": c.class_id,
            "shares": c.shares,
            "conversion_price": None
            if c.conversion_price is None
            else per_share(c.conversion_price),
            "terms_of": c.terms_of,
        },
    }
