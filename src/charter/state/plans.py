"""Equity plans in the ledger (spec/ledger-format.md, "Equity plans"): performance vesting
(`vest`), accelerated vesting (`acceleration`), the end of a holder's service
(`service_end`), changes to a plan's reserve (`plan_amend`), and the lapse, by the calendar,
of vested options whose post-termination period is over.

When service ends, the unvested options lapse at once; the vested stay exercisable for the
grant's post-termination period, or its plan's, and lapse after its last day (a grant with
neither keeps them until it expires); unvested restricted shares, from an issue of restricted
stock or an early exercise, become repurchasable at cost. Every lapse is an expiry for the
anti-dilution recomputation of Art. IV.B.3(d)(i)(E)(4), and goes back to the plan's reserve
when the plan says so (`return_to_pool`).
"""

from __future__ import annotations

import datetime as dt
import heapq
from fractions import Fraction

from charter.ledger.events import Acceleration, PlanAmend, Repurchase, ServiceEnd, Vest
from charter.state import antidilution, vesting
from charter.state.holdings import lapse_options, require_grant, require_holder
from charter.state.model import GrantState, State
from charter.state.rejection import Rejected

SPEC = "spec/ledger-format.md, Equity plans"


def unvested(g: GrantState, day: dt.date) -> int:
    """Shares of the grant not yet vested and not lapsed or repurchased (options and
    restricted shares from an early exercise)."""
    return g.granted - g.lapsed_unvested - g.repurchased - vesting.vested(g, day)


def _require_vesting(g: GrantState, day: dt.date, what: str) -> int:
    if g.schedule is None:
        raise Rejected(
            f"grant {g.id} has no vesting schedule (it is vested in full); nothing can {what}",
            "grant",
            SPEC,
        )
    if g.service_ended is not None:
        raise Rejected(
            f"the service of {g.holder} ended on {g.service_ended.isoformat()}; grant {g.id} "
            f"vests no more",
            "grant",
            SPEC,
        )
    return unvested(g, day)


# --- vest -----------------------------------------------------------------------------------


def check_vest(state: State, e: Vest) -> None:
    g = require_grant(state, e.grant)
    left = _require_vesting(g, e.date, "vest")
    if e.shares > left:
        raise Rejected(
            f"grant {g.id} has {left:,} unvested shares on {e.date.isoformat()}; {e.shares:,} "
            "cannot vest",
            "shares",
            SPEC,
        )


def apply_vest(state: State, e: Vest) -> None:
    state.grants[e.grant].extra_vested.append((e.date, e.shares))


# --- acceleration ---------------------------------------------------------------------------


def accelerated(g: GrantState, day: dt.date, shares: int | None, fraction: str | None) -> int:
    """Shares an acceleration vests: `shares`, or `fraction` of the unvested rounded down to
    a whole share, or (neither given) every unvested share."""
    left = unvested(g, day)
    if shares is not None:
        return shares
    if fraction is not None:
        return int(Fraction(fraction) * left)
    return left


def check_acceleration(state: State, e: Acceleration) -> None:
    g = require_grant(state, e.grant)
    left = _require_vesting(g, e.date, "be accelerated")
    if e.shares is not None and e.fraction is not None:
        raise Rejected(
            "an acceleration gives shares or a fraction of the unvested, not both", "fraction"
        )
    if e.shares is not None and e.shares > left:
        raise Rejected(
            f"grant {g.id} has {left:,} unvested shares on {e.date.isoformat()}; {e.shares:,} "
            "cannot be accelerated",
            "shares",
            SPEC,
        )


def apply_acceleration(state: State, e: Acceleration) -> None:
    g = state.grants[e.grant]
    n = accelerated(g, e.date, e.shares, e.fraction)
    if n:
        g.extra_vested.append((e.date, n))


# --- service_end ----------------------------------------------------------------------------


def check_service_end(state: State, e: ServiceEnd) -> None:
    require_holder(state, e.holder, "holder")
    grants = [g for g in state.grants.values() if g.holder == e.holder and _live(g, e.date)]
    stock = [r for r in state.restricted.values() if r.holder == e.holder]
    if not any(g.service_ended is None for g in grants) and not any(
        r.service_ended is None for r in stock
    ):
        raise Rejected(
            f"{e.holder} holds no outstanding option, warrant or restricted stock whose "
            "service has not already ended",
            "holder",
            SPEC,
        )


def _live(g: GrantState, day: dt.date) -> bool:
    """The grant has options outstanding or restricted shares still vesting."""
    return bool(g.outstanding or vesting.restricted(g, day))


def post_termination_end(state: State, g: GrantState, day: dt.date) -> dt.date | None:
    """The last day vested options may be exercised after service ends on `day`: the grant's
    own period, else its plan's; None (until the grant expires) for a grant with neither."""
    days = g.post_termination_days
    if days is None and g.plan is not None:
        days = state.plans[g.plan].post_termination_days
    if days is None:
        return None
    end = day + dt.timedelta(days=days)
    return end if g.expires is None else min(end, g.expires)


def apply_service_end(state: State, e: ServiceEnd) -> None:
    label = antidilution.label(e, state)
    for g in state.grants.values():
        if g.holder != e.holder or g.service_ended is not None or not _live(g, e.date):
            continue
        g.service_ended = e.date
        lapsing = vesting.unvested_unexercised(g, e.date)
        if lapsing:
            antidilution.lapse(state, g.id, lapsing, label, e.date)
            lapse_options(state, g, lapsing, e.date)
        g.exercisable_until = post_termination_end(state, g, e.date)
        if g.outstanding and g.exercisable_until is not None:
            heapq.heappush(state.lapses_due, (g.exercisable_until, g.id))
    for r in state.restricted.values():
        if r.holder == e.holder and r.service_ended is None:
            r.service_ended = e.date


def repurchasable(state: State, holder: str, class_id: str, day: dt.date) -> int:
    """Unvested restricted shares of a holder whose service has ended, which the company may
    buy back at cost."""
    n = 0
    for g in state.grants.values():
        if g.holder == holder and g.class_id == class_id and g.service_ended is not None:
            n += vesting.restricted(g, day)
    for r in state.restricted.values():
        if r.holder == holder and r.class_id == class_id and r.service_ended is not None:
            n += r.shares - r.repurchased - vesting.stock_vested(r, day)
    return n


def apply_repurchase(state: State, e: Repurchase) -> None:
    """A repurchase from a holder whose service has ended takes its unvested restricted
    shares first; those of a plan grant go back to the plan's reserve."""
    left = e.shares
    for g in state.grants.values():
        if left and g.holder == e.holder and g.class_id == e.class_ and g.service_ended:
            n = min(left, vesting.restricted(g, e.date))
            g.repurchased += n
            left -= n
            if n and g.plan is not None:
                state.plans[g.plan].returned += n
    for r in state.restricted.values():
        if left and r.holder == e.holder and r.class_id == e.class_ and r.service_ended:
            n = min(left, r.shares - r.repurchased - vesting.stock_vested(r, e.date))
            r.repurchased += n
            left -= n


# --- the calendar ---------------------------------------------------------------------------


def tick(state: State, day: dt.date) -> None:
    """Time passes to `day`: vested options whose post-termination period ended before it
    lapse."""
    due = state.lapses_due
    while due and due[0][0] < day:
        last, gid = heapq.heappop(due)
        g = state.grants[gid]
        if g.outstanding:
            after = last + dt.timedelta(days=1)
            antidilution.lapse(state, gid, g.outstanding, f"{gid} (post-termination)", after)
            lapse_options(state, g, g.outstanding, after)


# --- plan_amend -----------------------------------------------------------------------------


def check_plan_amend(state: State, e: PlanAmend) -> None:
    plan = state.plans.get(e.plan)
    if plan is None:
        raise Rejected(f"plan {e.plan!r} has not been adopted", "plan")
    if e.shares < 0 and -e.shares > plan.available:
        raise Rejected(
            f"plan {plan.id} has {plan.available:,} shares available for grant; "
            f"{-e.shares:,} cannot be removed from its reserve",
            "shares",
            SPEC,
        )


def apply_plan_amend(state: State, e: PlanAmend) -> None:
    plan = state.plans[e.plan]
    plan.shares += e.shares
    plan.approvals = [*plan.approvals, *(a.by for a in e.approvals)]
