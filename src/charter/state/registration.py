"""Registration statements declared effective under the Securities Act.

The effective date, not the closing, is what two clauses measure from: the right of first
refusal ends "upon the date securities ... are first offered to the public pursuant to a
registration statement ... declared effective" (Bylaws Art. VIII §1(i)(2)), and the market
stand-off runs "during the 180-day period following the effective date of a registration
statement" (Art. VI §6). A `registration_effective` event records the date when it comes;
an `ipo` event's `effective_date` records it at the closing when nothing was recorded in
between. A registration withdrawn before its offering closed (`offering_withdrawn`) lapses:
from the withdrawal the right is in force again and the stand-off no longer runs from it.
"""

from __future__ import annotations

import datetime as dt

from charter.ledger.events import Ipo, OfferingWithdrawn, RegistrationEffective
from charter.state import antidilution
from charter.state.model import Registration, State
from charter.state.rejection import Rejected


def in_effect(state: State) -> list[Registration]:
    """The registrations declared effective and not withdrawn, in the order recorded."""
    return [r for r in state.registrations if r.withdrawn is None]


def awaiting_closing(state: State) -> Registration | None:
    """The registration of the company's first public offering, effective, not withdrawn,
    and not yet closed (no `ipo` event)."""
    if state.ipo is not None:
        return None
    live = in_effect(state)
    return live[0] if live else None


def first_effective(state: State) -> dt.date | None:
    """The effective date of the first registration statement in effect (§1(i)(2))."""
    live = in_effect(state)
    return live[0].effective if live else None


def check_registration_effective(state: State, e: RegistrationEffective) -> None:
    pending = awaiting_closing(state)
    if pending is not None:
        raise Rejected(
            f"a registration statement declared effective on {pending.effective.isoformat()} "
            "is in effect and its offering has neither closed (ipo) nor been withdrawn "
            "(offering_withdrawn)",
            "type",
        )


def apply_registration_effective(state: State, e: RegistrationEffective) -> None:
    state.registrations.append(
        Registration(e.date, antidilution.label(e, state), e.standoff_requested)
    )


def check_ipo(state: State, e: Ipo) -> None:
    """The offering's effective date agrees with the registration recorded; an effective
    date before events already replayed needs its own event, or those events were checked
    as if no registration were effective."""
    pending = awaiting_closing(state)
    if pending is not None:
        if e.effective_date is not None and e.effective_date != pending.effective:
            raise Rejected(
                f"the registration statement was recorded effective on "
                f"{pending.effective.isoformat()} ({pending.event}), not "
                f"{e.effective_date.isoformat()}",
                "effective_date",
            )
        return
    last = state.as_of
    if state.ipo is None and e.effective_date is not None and last and e.effective_date < last:
        raise Rejected(
            f"the registration statement became effective on "
            f"{e.effective_date.isoformat()}, before events already in the ledger (the "
            f"last on {last.isoformat()}), which were checked as if it were not: record a "
            "registration_effective event on its date instead",
            "effective_date",
            citations(state),
        )


def citations(state: State) -> str | None:
    """The clauses measured from a registration's effective date (§1(i)(2), Art. VI §6)."""
    bylaws = state.terms.bylaws
    cites = [
        c
        for c in (
            bylaws.right_of_first_refusal and bylaws.right_of_first_refusal.ends_citation,
            bylaws.market_standoff and bylaws.market_standoff.citation,
        )
        if c
    ]
    return "; ".join(cites) or None


def apply_ipo(state: State, e: Ipo) -> None:
    """The closing of the first offering: its registration is the one recorded, or the one
    the `ipo` event states (effective on `effective_date`, default the closing)."""
    if state.ipo is None and awaiting_closing(state) is None:
        state.registrations.append(
            Registration(
                e.effective_date or e.date, antidilution.label(e, state), e.standoff_requested
            )
        )


def apply_offering_withdrawn(state: State, e: OfferingWithdrawn) -> None:
    """The registration of an offering withdrawn before its closing lapses."""
    pending = awaiting_closing(state)
    if pending is not None:
        pending.withdrawn = e.date
