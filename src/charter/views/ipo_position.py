"""A holder's position after a simulated public offering: the common it holds then, and its
share of the common outstanding after the offering (the IPO page of a holder of common, who
has no preferred to convert, issue 16)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from charter.numbers import to_decimal_str
from charter.state.model import State


def shares_offered(price: Fraction, gross: Fraction) -> int:
    """The shares the offering sells: the gross proceeds divided by the price per share, in
    whole shares (an underwriter sells no fraction of a share)."""
    return math.floor(gross / price)


def post_ipo_position(
    state: State, ipo: dict[str, Any], holder: str, price: Fraction, gross: Fraction
) -> dict[str, Any]:
    """`holder`'s common after the offering, from `ipo` (`charter ipo --json`, every
    holder's rows): what it holds now, plus what its preferred becomes if the offering is
    qualified (every series converts on its closing, Art. IV.B.3(b)(i)); out of the common
    outstanding now, plus every conversion, plus the shares sold."""
    common = state.certificate.common.id
    converts = bool(ipo["qualified"])
    converted = {
        h: sum(int(v["common"]) for v in by.values()) if converts else 0
        for h, by in ipo["holders"].items()
    }
    held = state.held(holder, common)
    mine = held + converted.get(holder, 0)
    offered = shares_offered(price, gross)
    after = state.outstanding.get(common, 0) + sum(converted.values()) + offered
    return {
        "holder": holder,
        "common_held": held,
        "common_from_conversion": converted.get(holder, 0),
        "common_after": mine,
        "shares_offered": offered,
        "common_outstanding_after": after,
        "percent_after": to_decimal_str(Fraction(100 * mine, after), 4) if after else "0.0000",
    }
