"""Each grant as of a date, the equity plans' pools, and a holder's vesting over time
(spec/ledger-format.md, "Equity plans"): what `charter grants`, `charter plans` and a
stockholder's own page show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from charter.numbers import per_share
from charter.state import vesting
from charter.state.model import GrantState, State


def _schedule_json(g: GrantState) -> dict[str, Any] | str | None:
    s = g.schedule
    if s is None:
        return g.vesting_note
    return {
        "start": s.start.isoformat(),
        "months": s.months,
        "cliff_months": s.cliff_months,
        "every_months": s.every_months,
        "single_trigger": str(s.single_trigger),
        "double_trigger": str(s.double_trigger),
        "early_exercise": s.early_exercise,
        "performance": s.performance,
    }


def last_exercise_day(g: GrantState) -> dt.date | None:
    """The last day the grant may be exercised: its expiry, or the end of the post-termination
    period when service has ended."""
    days = [d for d in (g.expires, g.exercisable_until) if d is not None]
    return min(days) if days else None


def grant_json(g: GrantState, day: dt.date) -> dict[str, Any]:
    """One grant on `day`: vested, exercisable, exercised, lapsed, outstanding, when it
    expires and when it next vests."""
    nxt = vesting.next_vesting(g, day)
    last = last_exercise_day(g)
    return {
        "holder": g.holder,
        "kind": g.kind,
        "class": g.class_id,
        "plan": g.plan,
        "granted": g.granted,
        "exercise_price": per_share(g.exercise_price),
        "vested": vesting.vested(g, day) - vesting.lapsed_vested(g),
        "unvested": vesting.unvested_unexercised(g, day) + vesting.restricted(g, day),
        "exercisable": vesting.exercisable(g, day),
        "exercised": g.exercised,
        "restricted": vesting.restricted(g, day),
        "repurchased": g.repurchased,
        "lapsed": g.expired,
        "outstanding": g.outstanding,
        "expires": last.isoformat() if last else None,
        "next_vesting": nxt.isoformat() if nxt else None,
        "service_ended": g.service_ended.isoformat() if g.service_ended else None,
        "vesting": _schedule_json(g),
    }


def free_text_warnings(state: State, holder: str | None = None) -> list[str]:
    """A grant whose `vesting` is free text is read as exercisable in full: say so."""
    return [
        f"grant {g.id}: its vesting ({g.vesting_note!r}) is free text, a note only; it is "
        "treated as exercisable in full (spec/ledger-format.md, Equity plans)"
        for g in state.grants.values()
        if g.vesting_note is not None and (holder is None or g.holder == holder)
    ]


def grants_json(state: State, holder: str | None = None) -> dict[str, Any]:
    """`charter grants --json`: every grant (or one holder's) as of the state's date."""
    day = state.as_of or dt.date.min
    return {
        "as_of": state.as_of.isoformat() if state.as_of else None,
        "grants": {
            g.id: grant_json(g, day)
            for g in state.grants.values()
            if holder is None or g.holder == holder
        },
        "warnings": free_text_warnings(state, holder),
    }


def plans_json(state: State) -> dict[str, Any]:
    """`charter plans --json`: each plan's reserve and what became of it."""
    out: dict[str, Any] = {}
    for p in state.plans.values():
        grants = [g for g in state.grants.values() if g.plan == p.id]
        out[p.id] = {
            "adopted": p.date.isoformat(),
            "reserved": p.shares,
            "granted": p.granted,
            "outstanding": sum(g.outstanding for g in grants),
            "exercised": sum(g.exercised for g in grants),
            "lapsed": sum(g.expired for g in grants),
            "repurchased": sum(g.repurchased for g in grants),
            "returned": p.returned,
            "return_to_pool": p.return_to_pool,
            "available": p.available,
            "post_termination_days": p.post_termination_days,
        }
    return {"as_of": state.as_of.isoformat() if state.as_of else None, "plans": out}


def vesting_chart(state: State, holder: str, until: dt.date) -> dict[str, list[tuple[str, int]]]:
    """Each of a holder's grants on a schedule: (date, vested from that date), to `until`."""
    return {
        g.id: [(d.isoformat(), n) for d, n in vesting.chart(g, until)]
        for g in state.grants.values()
        if g.holder == holder and g.schedule is not None
    }
