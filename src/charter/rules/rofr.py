"""Where each right-of-first-refusal notice stands, with its deadlines (Bylaws Art. VIII §1):
`charter rofr status` (spec/cli-contract.md)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from charter.numbers import decimal_str
from charter.state import rofr
from charter.state.model import State


def price_str(x: Fraction) -> str:
    """A noticed price as written, with at least two decimals ("1.00", "0.925")."""
    text = decimal_str(x)
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def notice_json(state: State, n: rofr.Notice, on: dt.date) -> dict[str, Any]:
    """A notice as `rofr status --json` gives it; `warnings` are sentences about it (a price
    that may not be the full price, §1(b))."""
    nominal = rofr.nominal_price(state, n)
    return {
        "id": n.id,
        "holder": n.holder,
        "class": n.class_id,
        "shares": n.shares,
        "price": price_str(n.price),
        "received": n.received.isoformat(),
        "option_expires": n.option_expires.isoformat(),
        "settlement_due": n.settlement_due.isoformat(),
        "transfer_window_ends": n.transfer_window_ends.isoformat(),
        "state": n.phase(on, rofr.right_ends(state)),
        "transferee": n.transferee,
        "option_price": price_str(n.option_price),
        "assigned": dict(n.assigned),
        "elected": dict(n.elected),
        "settled": dict(n.settled),
        "transferred": n.transferred,
        "waived_by": n.waived_by,
        "fair_market_value": None
        if n.fair_market_value is None
        else price_str(n.fair_market_value),
        "warnings": [] if nominal is None else [nominal],
    }


def _citations(state: State) -> list[str]:
    terms = state.terms.bylaws.right_of_first_refusal
    return [] if terms is None else [terms.citation, terms.ends_citation]


def status_json(state: State) -> dict[str, Any]:
    """Every notice on the ledger as of the state's date, in the order received; and when
    the right ends (§1(i))."""
    on = state.as_of or dt.date.today()
    ends = rofr.right_ends(state)
    notices = sorted(state.rofr_notices.values(), key=lambda n: (n.received, n.id))
    return {
        "notices": [notice_json(state, n, on) for n in notices],
        "as_of": on.isoformat(),
        "in_force": rofr.in_force(state, on),
        "ends": ends.isoformat() if ends else None,
        "citations": _citations(state),
        "interpretations": readings_relied(state),
    }


def readings_relied(state: State) -> dict[str, str]:
    """The readings the status depends on (docs/interpretations.md): when the right ends, once
    an offering is recorded; from when settlement runs, once there is a notice."""
    relied = {}
    if rofr.offering_date(state) is not None:
        relied[rofr.OFFERING_DATE.id] = rofr.OFFERING_DATE.choose(state.readings)
    if state.rofr_notices:
        relied[rofr.SETTLEMENT_FROM.id] = rofr.SETTLEMENT_FROM.choose(state.readings)
    return relied
