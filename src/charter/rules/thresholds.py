"""A threshold's line in whole votes, shares or directors: "at least" a fraction, or "more
than" it (a "majority" is more than half)."""

from __future__ import annotations

import math
from fractions import Fraction


def needed(eligible: int, fraction: Fraction, strictly_more: bool = False) -> int:
    """The least whole number of votes (shares, directors) out of `eligible` that meets the
    threshold: at least `fraction` of them, or more than `fraction` when `strictly_more`."""
    line = fraction * eligible
    if strictly_more:
        return math.floor(line) + 1
    return math.ceil(line)
