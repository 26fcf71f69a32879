"""Vesting: how many shares of a grant (or of restricted stock) are vested, and exercisable,
on a date (spec/ledger-format.md, "Equity plans").

A schedule of `months` from `start` vests nothing before `cliff_months`; at the cliff every
installment due so far vests at once; then an installment every `every_months`. Installments
are whole shares, cumulative and rounded down, and the last takes the rest:

    vested after m whole months = floor(shares x k / months), where k is the last installment
    month (a multiple of every_months, or `months` itself) at or before m, and m >= the cliff

A month from `start` is the same day of the month, or the month's last day when it has none
(2000-01-31 plus one month is 2000-02-29). Shares vested by a `vest` event (performance) or an
`acceleration` are added to the schedule's; acceleration takes the last installments first,
so the schedule ends sooner and its dates stay. Vesting stops when the holder's service ends.
"""

from __future__ import annotations

import calendar
import datetime as dt
from fractions import Fraction

from charter.ledger.events import Vesting
from charter.state.model import GrantState, RestrictedStock, Schedule


def schedule_of(block: Vesting, day: dt.date) -> Schedule:
    """The schedule of a ledger `vesting` block on an event of `day` (its default start)."""
    return Schedule(
        start=block.start or day,
        months=block.months,
        cliff_months=block.cliff_months,
        every_months=block.every_months,
        single_trigger=Fraction(block.single_trigger),
        double_trigger=Fraction(block.double_trigger),
        early_exercise=block.early_exercise,
        performance=block.performance,
    )


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or that month's last day when it has none."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def whole_months(start: dt.date, day: dt.date) -> int:
    """Whole months from `start` to `day` (0 before `start`)."""
    if day <= start:
        return 0
    n = (day.year - start.year) * 12 + day.month - start.month
    return n if add_months(start, n) <= day else n - 1


def by_months(s: Schedule, shares: int, elapsed: int) -> int:
    """Shares of `shares` vested by the schedule after `elapsed` whole months."""
    if s.performance or elapsed < s.cliff_months or elapsed <= 0:
        return 0
    if elapsed >= s.months:
        return shares
    k = elapsed - elapsed % s.every_months
    return shares * k // s.months


def by_time(s: Schedule, shares: int, day: dt.date) -> int:
    """Shares vested by the calendar on `day`."""
    return by_months(s, shares, whole_months(s.start, day))


def first_installment_month(s: Schedule) -> int:
    """The month of the first installment: the cliff, when installments are due by then;
    otherwise the first period."""
    first = s.cliff_months if s.cliff_months >= s.every_months else s.every_months
    return min(first, s.months)


def next_installment(s: Schedule, day: dt.date) -> dt.date | None:
    """The first date after `day` on which shares vest by the calendar."""
    if s.performance:
        return None
    m = whole_months(s.start, day) if day >= s.start else -1
    first = first_installment_month(s)
    n = first if m < first else min((m // s.every_months + 1) * s.every_months, s.months)
    return add_months(s.start, n) if n > m else None


def installment_dates(s: Schedule) -> list[dt.date]:
    """The dates on which shares vest by the calendar: the first installment (at the cliff,
    or after the first period), each later multiple of the period, and the end."""
    if s.performance:
        return []
    first = first_installment_month(s)
    later = range((first // s.every_months + 1) * s.every_months, s.months, s.every_months)
    return [add_months(s.start, m) for m in sorted({first, *later, s.months})]


def _extra(extra: list[tuple[dt.date, int]], day: dt.date) -> int:
    return sum(n for d, n in extra if d <= day)


def vested(g: GrantState, day: dt.date) -> int:
    """Shares of the grant vested on `day` and not lapsed or repurchased: all of it without a
    schedule; otherwise the schedule's, plus those vested by events, until service ends."""
    cap = g.granted - g.lapsed_unvested - g.repurchased
    if g.schedule is None:
        return max(cap, 0)
    when = day if g.service_ended is None else min(day, g.service_ended)
    return max(min(cap, by_time(g.schedule, g.granted, when) + _extra(g.extra_vested, when)), 0)


def exercised_held(g: GrantState) -> int:
    """Exercised shares not repurchased."""
    return g.exercised - g.repurchased


def restricted(g: GrantState, day: dt.date) -> int:
    """Exercised shares not yet vested (early exercise): restricted, still vesting."""
    return max(exercised_held(g) - vested(g, day), 0)


def lapsed_vested(g: GrantState) -> int:
    return g.expired - g.lapsed_unvested


def vested_unexercised(g: GrantState, day: dt.date) -> int:
    """Vested options not exercised and not lapsed."""
    v = vested(g, day)
    return max(v - min(v, exercised_held(g)) - lapsed_vested(g), 0)


def unvested_unexercised(g: GrantState, day: dt.date) -> int:
    """Options not vested, not exercised, not lapsed."""
    return g.outstanding - vested_unexercised(g, day)


def exercisable(g: GrantState, day: dt.date) -> int:
    """Shares that may be exercised on `day`: the vested options, or every outstanding one
    where the grant allows early exercise (until service ends)."""
    if g.expires is not None and day > g.expires:
        return 0
    if g.exercisable_until is not None and day > g.exercisable_until:
        return 0
    early = g.schedule is not None and g.schedule.early_exercise and g.service_ended is None
    return g.outstanding if early else vested_unexercised(g, day)


def next_vesting(g: GrantState, day: dt.date) -> dt.date | None:
    """The next date after `day` on which shares of the grant vest by the calendar."""
    if g.schedule is None or g.service_ended is not None:
        return None
    if vested(g, day) >= g.granted - g.lapsed_unvested - g.repurchased:
        return None
    return next_installment(g.schedule, day)


def stock_vested(r: RestrictedStock, day: dt.date) -> int:
    """Restricted shares vested on `day` (vesting stops when service ends)."""
    when = day if r.service_ended is None else min(day, r.service_ended)
    cap = r.shares - r.repurchased
    return max(min(cap, by_time(r.schedule, r.shares, when) + _extra(r.extra_vested, when)), 0)


def chart(g: GrantState, until: dt.date) -> list[tuple[dt.date, int]]:
    """Vested shares over time: (date, vested from that date), from the grant to `until`."""
    days = {g.date, *(d for d, _ in g.extra_vested)}
    if g.schedule is not None:
        days.update(installment_dates(g.schedule))
    if g.service_ended is not None:
        days.add(g.service_ended)
    points: list[tuple[dt.date, int]] = []
    for d in sorted(x for x in days if x <= until):
        v = vested(g, d)
        if not points or points[-1][1] != v:
            points.append((d, v))
    return points
