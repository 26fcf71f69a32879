"""How a declared dividend must be shared (Art. IV.B.1, IV.C.1).

Cash: the preferred rates per annum first, ratably in proportion to the full preferential
amounts when less is declared, non-cumulative (only what was already declared in the same
year counts against the rate); then common, each preferred share receiving at least what is
paid on the common ("or, if greater, an amount equal to that paid on any other outstanding
shares"). Property (securities of other persons, evidences of indebtedness, assets): shared
by all as converted (1(b), 3(e)). Stock (a dividend payable in common): outside the
preference of 1(a); paid on the common, the preferred being protected by the adjustment of
their conversion prices (3(d)(iii)).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from fractions import Fraction

import msgspec

from charter.errors import CharterError, Problem
from charter.explain import Trace
from charter.numbers import allocate_cents_over, money, per_share
from charter.state.adjusted_terms import adjusted_terms
from charter.state.dividends import (
    DIVIDEND_YEAR,
    IF_GREATER,
    OTHER_SHARES,
    Preference,
    preference,
)
from charter.state.model import State

RATE = "dividend rate"  # the figure of the adjusted view a dividend reads


class DividendResult(msgspec.Struct):
    amount: Fraction
    kind: str
    as_of: dt.date | None
    classes: dict[str, Fraction]  # total per class
    shares: dict[str, int]
    holders: dict[str, dict[str, int]]  # cents
    trace: Trace
    adjusted: list[dict[str, object]]  # the dividend rates an event adjusted (as_adjusted)


def _cash(
    state: State, amount: Fraction, settings: Mapping[str, str], trace: Trace
) -> dict[str, Fraction]:
    """The preferred first, to what the year still owes them at their rates (ratably in
    proportion to it when less is declared); then the Common, each preferred share being
    brought to what the Common is paid in the year, as measured (Art. IV.B.1(a))."""
    cert = state.certificate
    rules = cert.dividends
    pref = preference(state, settings)
    adjusted_terms(state, settings).explain(trace, RATE)
    for r in (IF_GREATER, DIVIDEND_YEAR, OTHER_SHARES):
        trace.read(r, {r.id: pref.readings[r.id]})
    cite = rules.citation if rules else next((x.citation for x in pref.entitlements), None)
    owed = {x.class_id: x.shares * x.still_due(pref.common_paid) for x in pref.entitlements}
    total_owed = sum(owed.values(), Fraction(0))
    trace.step(
        f"Preferred dividends first: what the year from {pref.since.isoformat()} still owes "
        "each series at its rate per annum (or, if greater, the Common's amount so far), less "
        "what was already declared in it (non-cumulative)",
        cite,
        full_preferential=money(total_owed),
    )
    out: dict[str, Fraction] = {}
    if amount <= total_owed:
        ratio = amount / total_owed if total_owed else Fraction(0)
        for c_id, f in owed.items():
            out[c_id] = f * ratio
        if ratio != 1:
            trace.step(
                "Less than the full preferential amounts is declared: shared ratably in "
                "proportion to them",
                cite,
                ratio=per_share(ratio),
            )
        return out
    common = cert.common
    n_common = state.outstanding.get(common.id, 0)
    d = _common_rate(amount, n_common, pref)
    other = pref.common_paid + d
    for x in pref.entitlements:
        out[x.class_id] = x.shares * x.still_due(other)
    if n_common:
        out[common.id] = n_common * d
    trace.step(
        "The rest is paid on the Common; over the year each preferred share receives its rate "
        "or, if greater, what the Common is paid in the year as measured (never the two added)",
        rules.common_citation if rules else None,
        common_per_share=per_share(d),
        common_in_year=per_share(other),
    )
    return out


def _common_rate(amount: Fraction, n_common: int, pref: Preference) -> Fraction:
    """The Common's rate d in this declaration with n_common x d + the preferred's
    sum of n x still_due(common_paid + d) = amount: increasing and piecewise linear in d,
    each series joining the slope where the year's Common amount times its measure passes
    both its rate and what it was already paid."""
    d0 = pref.common_paid
    starts = {
        x.class_id: max(max(x.rate, x.paid) / x.measure - d0, Fraction(0))
        for x in pref.entitlements
        if x.measure
    }
    points = sorted({Fraction(0), *starts.values()})
    for i, lo in enumerate(points):
        hi = points[i + 1] if i + 1 < len(points) else None
        on = [x for x in pref.entitlements if x.class_id in starts and starts[x.class_id] <= lo]
        fixed = sum(
            (x.shares * x.still_due(d0) for x in pref.entitlements if x not in on), Fraction(0)
        )
        fixed += sum((x.shares * (d0 * x.measure - x.paid) for x in on), Fraction(0))
        slope = n_common + sum((x.shares * x.measure for x in on), Fraction(0))
        if slope == 0:
            continue
        d = (amount - fixed) / slope
        if d >= lo and (hi is None or d <= hi):
            return d
    raise CharterError([Problem("no share can receive the dividend", field="--amount")])


def dividend(
    state: State, amount: Fraction, kind: str = "cash", settings: Mapping[str, str] | None = None
) -> DividendResult:
    """Share a dividend of `amount` declared by the board (Art. IV.B.1)."""
    settings = settings or {}
    if amount < 0 or (amount * 100).denominator != 1:
        raise CharterError(
            [Problem("the dividend must be a non-negative amount to the cent", field="--amount")]
        )
    cert = state.certificate
    trace = Trace()
    shares = {c.id: state.outstanding.get(c.id, 0) for c in cert.classes}
    if kind == "cash":
        classes = _cash(state, amount, settings, trace)
    elif kind == "property":
        rules = cert.dividends
        units = {c.id: shares[c.id] * state.conversion_ratio(c.id) for c in cert.classes}
        total = sum(units.values(), Fraction(0))
        classes = {c: amount * u / total for c, u in units.items() if u}
        trace.step(
            "A distribution other than cash or common is shared by all as though the preferred "
            "had converted",
            rules.non_cash_citation if rules else None,
            per_common_share=per_share(amount / total) if total else "0",
        )
    elif kind == "stock":
        common = cert.common
        classes = {common.id: amount} if shares[common.id] else {}
        trace.step(
            "A dividend payable in common is outside the preferred's priority and paid on the "
            "common; the preferred are protected by the adjustment of their conversion prices",
            cert.antidilution.splits_citation if cert.antidilution else None,
        )
    else:
        raise CharterError(
            [Problem(f"{kind!r} is not a kind of dividend (cash, stock, property)", field="--kind")]
        )
    if amount and not classes:
        raise CharterError([Problem("no share can receive the dividend", field="--amount")])
    cents = allocate_cents_over(*holder_parts(state, classes, shares), int(amount * 100))
    holders: dict[str, dict[str, int]] = {}
    for (holder, c), v in cents.items():
        holders.setdefault(holder, {})[c] = v
    view = adjusted_terms(state, settings)
    adjusted = view.to_json(RATE) if kind == "cash" else []
    return DividendResult(amount, kind, state.as_of, classes, shares, holders, trace, adjusted)


def holder_parts(
    state: State, classes: Mapping[str, Fraction], shares: Mapping[str, int]
) -> tuple[dict[tuple[str, str], int], int]:
    """Each holder's part of its class's amount, in proportion to its shares: numerators over
    one common denominator."""
    den = math.lcm(1, *(v.denominator * shares[c] for c, v in classes.items() if shares[c]))
    out: dict[tuple[str, str], int] = {}
    for holder, by in state.holdings.items():
        for c, n in by.items():
            if c in classes and shares[c]:
                v = classes[c]
                out[(holder, c)] = v.numerator * n * (den // (v.denominator * shares[c]))
    return out, den


def paid_in_class(r: DividendResult, class_id: str) -> int:
    """The cents the holders of a class are paid: each class's amount is exact, but its holders
    are paid whole cents, allocated over the whole dividend (Art. IV.B.1), so the classes' paid
    amounts add up to the dividend declared where their exact amounts, each rounded, may not."""
    return sum(by.get(class_id, 0) for by in r.holders.values())


def dividend_json(r: DividendResult) -> dict[str, object]:
    return {
        "amount": money(r.amount),
        "kind": r.kind,
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "classes": {
            c: {
                "amount": money(v),
                "per_share": per_share(v / r.shares[c]),
                "paid": money(Fraction(paid_in_class(r, c), 100)),
            }
            for c, v in r.classes.items()
            if r.shares[c]
        },
        "holders": {
            h: {
                "amount": money(Fraction(sum(by.values()), 100)),
                "by_class": {c: money(Fraction(v, 100)) for c, v in sorted(by.items())},
            }
            for h, by in sorted(r.holders.items())
        },
        "interpretations": sorted(r.trace.interpretations),
        "readings": dict(sorted(r.trace.interpretations.items())),
        "citations": r.trace.citations,
        "trace": r.trace.lines(),
        **({"as_adjusted": r.adjusted} if r.adjusted else {}),
    }
