"""A change in the terms of an option, warrant or right (`grant_amend`): a new exercise
price, a new number of shares, or both. What the grant is now; its effect on the Conversion
Prices is `antidilution.apply_amend` (Art. IV.B.3(d)(i)(E)(3))."""

from __future__ import annotations

from fractions import Fraction

from charter.ledger.events import GrantAmend
from charter.state.holdings import require_grant, require_pool_room
from charter.state.model import State
from charter.state.rejection import Rejected


def check_amend(state: State, e: GrantAmend) -> None:
    """The grant still has shares outstanding, has not expired, and the change changes
    something; it keeps more shares than were exercised or lapsed (ending a grant is an
    `expire`); its plan has room for any increase."""
    g = require_grant(state, e.grant)
    if e.exercise_price is None and e.shares is None:
        raise Rejected(
            "a grant_amend changes the exercise price, the number of shares, or both; this one "
            "gives neither",
            "grant",
        )
    if not g.outstanding:
        raise Rejected(
            f"grant {g.id} has no shares outstanding; its terms can no longer change", "grant"
        )
    if g.expires is not None and e.date > g.expires:
        raise Rejected(f"grant {g.id} expired on {g.expires.isoformat()}", "date")
    used = g.granted - g.outstanding
    if e.shares is not None and e.shares <= used:
        raise Rejected(
            f"grant {g.id} has had {used:,} shares exercised or lapsed; it must cover more "
            f"than that ({e.shares:,} given); to end it, record an expire event",
            "shares",
        )
    same_price = e.exercise_price is None or Fraction(e.exercise_price) == g.exercise_price
    if same_price and (e.shares is None or e.shares == g.granted):
        raise Rejected(f"the amendment leaves grant {g.id} as it was", "grant")
    more = 0 if e.shares is None else e.shares - g.granted
    if g.plan is not None and more > 0:
        require_pool_room(state.plans[g.plan], more)


def apply_amend(state: State, e: GrantAmend) -> None:
    g = state.grants[e.grant]
    if e.exercise_price is not None:
        g.exercise_price = Fraction(e.exercise_price)
    if e.shares is not None:
        if g.plan is not None:
            state.plans[g.plan].granted += e.shares - g.granted
        g.granted = e.shares
