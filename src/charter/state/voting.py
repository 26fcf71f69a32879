"""Voting power of shares: one vote per share of common, and per preferred share the votes of
the common it converts into (Art. IV.B.5(c), IV.C.4). One piece of code for the rule, used by
the meetings and consents of the rules layer and by the §1(g) waivers of the right of first
refusal in the state layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from charter.state.conversion import common_on_conversion
from charter.state.model import State


def class_votes(
    held: int, ratio: Fraction, per_common_share: int, readings: Mapping[str, str] | None = None
) -> int:
    """A holder's votes in one class: the common its aggregate holding of `held` shares
    converts into at `ratio`, rounded to the nearest whole share, times the class's votes per
    common share (Art. IV.B.5(c)); one per share of common (Art. IV.C.4)."""
    return common_on_conversion(held, ratio, readings) * per_common_share


def holding_votes(state: State, holdings: Mapping[str, int]) -> int:
    """The votes of one holder's shares, given as class -> shares: the sum over the classes
    that vote of `class_votes` (Art. IV.B.5(c), IV.C.4)."""
    total = 0
    for class_id, n in holdings.items():
        c = state.stock_class(class_id)
        if c is None or c.votes is None or n <= 0:
            continue
        total += class_votes(
            n, state.conversion_ratio(class_id), c.votes.per_common_share, state.readings
        )
    return total
