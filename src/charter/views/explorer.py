"""The waterfall explorer's data: the exact payout curve (rules/curve.py) written so that a
browser can evaluate `charter waterfall` at any exit value of its range without asking the
server again.

Between two breakpoints the choices do not change, so every class's amount and every
holder's exact amount per class (holder_amounts: shares times the class's amount per share,
less exercise prices) is affine in the exit value; at a breakpoint it is the waterfall there.
So the curve is sent as pieces, each an interval with the value of every figure at its two
ends, as exact fractions ("numerator/denominator"). The browser interpolates exactly (BigInt
fractions), then rounds as the rule does: each holder's amount per class to whole cents by
largest remainder over all of them, adding up to the exit value (numbers.allocate_cents_over),
money to two decimals and per-share figures to six, halves up (numbers.to_decimal_str).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from charter.rules.curve import Curve
from charter.rules.waterfall import Profile, Split, holder_amounts


def exact(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def piece(
    curve: Curve, lo: Fraction, hi: Fraction, profile: Profile, low: Split, high: Split
) -> dict[str, Any]:
    """One interval (or, with lo == hi, one breakpoint) and every figure at its two ends."""
    co = curve.company
    classes = {}
    for seat in co.seats:
        n = co.shares(seat, profile)
        if n:
            classes[seat.id] = {
                "shares": n,
                "route": "as_converted" if profile.converts(seat) else "preference",
                "at": [exact(low.total(seat.id)), exact(high.total(seat.id))],
            }
    a, da = holder_amounts(co, profile, low)
    b, db = holder_amounts(co, profile, high)
    return {
        "lo": exact(lo),
        "hi": exact(hi),
        "converted": {s.id: profile.converts(s) for s in co.seats if not s.is_common},
        "exercised": sorted(g for i in profile.exercised for g, _, _ in co.buckets[i].grants),
        "classes": classes,
        "holders": [
            [holder, class_id, exact(Fraction(n, da)), exact(Fraction(b[holder, class_id], db))]
            for (holder, class_id), n in sorted(a.items())
        ],
    }


def explorer_json(curve: Curve) -> dict[str, Any]:
    """Every piece of the curve: the breakpoints (exact points) and the open intervals."""
    points = [piece(curve, x, x, p, s, s) for x, (p, s) in sorted(curve.points.items())]
    spans = [piece(curve, s.lo, s.hi, s.profile, s.low, s.high) for s in curve.segments]
    return {"from": exact(curve.start), "to": exact(curve.end), "points": points, "spans": spans}
