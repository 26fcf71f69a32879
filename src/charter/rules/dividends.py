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
from dataclasses import dataclass
from fractions import Fraction

from charter.errors import CharterError, Problem
from charter.explain import Trace, interpretation
from charter.numbers import allocate_cents_over, money, per_share
from charter.state.antidilution import anniversary
from charter.state.model import State

IF_GREATER = interpretation(
    id="dividend-if-greater-basis",
    question=(
        'When more than the preferred rates is declared, is "an amount equal to that paid on '
        'any other outstanding shares" measured per preferred share or per share of common '
        "it converts into?"
    ),
    citation="Art. IV.B.1(a)",
    quote=(
        "at the per share rate of $0.20, $0.286, $0.382, $0.55, $0.83 and $1.65 per annum, "
        "respectively, ... or, if greater (as determined on a per annum basis), an amount equal "
        "to that paid on any other outstanding shares of this corporation"
    ),
    readings={
        "as-converted": (
            "each preferred share receives at least what is paid on the common shares it "
            "converts into"
        ),
        "per-share": "each preferred share receives at least what is paid on one common share",
    },
    default="as-converted",
    argument=(
        "The clause keeps the preferred from receiving less than the common by holding "
        "preferred rather than common; what a preferred holder gives up by not converting is "
        "the dividend on the common it would convert into, and the certificate measures every "
        "other sharing between preferred and common that way (1(b), 2(b)). While the "
        "conversion ratio is 1, as it is at the original conversion prices, both readings give "
        "the same figures."
    ),
)


DIVIDEND_YEAR = interpretation(
    id="dividend-year",
    question='Which "year" do the non-cumulative preferred rates run over: the calendar year, '
    "or the twelve months ending on the declaration?",
    citation="Art. IV.B.1(a)",
    quote="at the per share rate of ... per annum ... If any dividends are declared or paid in "
    "any year on the Series A Preferred Stock ... in an amount less than ... all such ... "
    "Preferred Stock dividends during such year shall be declared or paid, as nearly as "
    "possible, ratably",
    readings={
        "calendar": "the calendar year of the declaration: what was declared earlier in that "
        "calendar year counts against the rates",
        "twelve-months": "the twelve months ending on the declaration: what was declared in "
        "the year before it counts against the rates",
    },
    default="calendar",
    argument="'Any year' and 'such year' name a year without a starting point, and the "
    "certificate defines no dividend period; the calendar year is the ordinary meaning and the "
    "one a board can plan against. The trailing twelve months are offered because 'per annum' "
    "suggests a rate over any span of a year, which keeps two declarations days apart across "
    "a new year from each taking the full rate.",
)


@dataclass
class DividendResult:
    amount: Fraction
    kind: str
    as_of: dt.date | None
    classes: dict[str, Fraction]  # total per class
    shares: dict[str, int]
    holders: dict[str, dict[str, int]]  # cents
    trace: Trace


def year_began(on: dt.date, choice: str) -> dt.date:
    """The first day of the dividend year in which `on` falls (the reading dividend-year)."""
    if choice == "calendar":
        return dt.date(on.year, 1, 1)
    return anniversary(on, -1) + dt.timedelta(days=1)


def _declared_this_year(state: State, since: dt.date) -> dict[str, Fraction]:
    """Per share of each class: what was already declared in this year (non-cumulative:
    earlier years count for nothing)."""
    out: dict[str, Fraction] = {}
    for d in state.dividends:
        if d.kind == "cash" and since <= d.date:
            for c, v in d.per_share.items():
                out[c] = out.get(c, Fraction(0)) + v
    return out


def _cash(
    state: State, amount: Fraction, settings: Mapping[str, str], trace: Trace
) -> dict[str, Fraction]:
    cert = state.certificate
    rules = cert.dividends
    on = state.as_of or dt.date.today()
    since = year_began(on, trace.read(DIVIDEND_YEAR, settings))
    already = _declared_this_year(state, since)
    preferred = [
        c for c in cert.preferred if c.dividend is not None and state.outstanding.get(c.id, 0)
    ]
    full: dict[str, Fraction] = {}
    for c in preferred:
        assert c.dividend is not None
        rate = max(c.dividend.rate_per_annum - already.get(c.id, Fraction(0)), Fraction(0))
        full[c.id] = rate * state.outstanding[c.id]
    total_full = sum(full.values(), Fraction(0))
    out: dict[str, Fraction] = {}
    cite = (
        rules.citation
        if rules
        else (preferred[0].dividend.citation if preferred and preferred[0].dividend else None)
    )
    trace.step(
        f"Preferred dividends first, at their rates per annum less what was already declared "
        f"since {since.isoformat()} (non-cumulative)",
        cite,
        full_preferential=money(total_full),
    )
    if amount <= total_full:
        ratio = amount / total_full if total_full else Fraction(0)
        for c_id, f in full.items():
            out[c_id] = f * ratio
        if ratio != 1:
            trace.step(
                "Less than the full preferential amounts is declared: shared ratably in "
                "proportion to them",
                cite,
                ratio=per_share(ratio),
            )
        return out
    basis = trace.read(IF_GREATER, settings)
    common = cert.common
    n_common = state.outstanding.get(common.id, 0)
    # each preferred class receives max(rate, d x k) per share, common d per share
    floors = []
    for c in preferred:
        k = state.conversion_ratio(c.id) if basis == "as-converted" else Fraction(1)
        floors.append((c.id, state.outstanding[c.id], full[c.id] / state.outstanding[c.id], k))
    d = _common_rate(amount, n_common, floors)
    for c_id, n, rate, k in floors:
        out[c_id] = n * max(rate, d * k)
    if n_common:
        out[common.id] = n_common * d
    trace.step(
        "The rest is paid on the common; each preferred share receives the greater of its rate "
        "and what is paid on the common it is measured against",
        rules.common_citation if rules else None,
        common_per_share=per_share(d),
    )
    return out


def _common_rate(
    amount: Fraction, n_common: int, floors: list[tuple[str, int, Fraction, Fraction]]
) -> Fraction:
    """The common rate d with n_common x d + sum n x max(rate, d x k) = amount (increasing,
    piecewise linear in d)."""
    points = sorted({Fraction(0)} | {rate / k for _, _, rate, k in floors if k})
    for i, lo in enumerate(points):
        hi = points[i + 1] if i + 1 < len(points) else None
        fixed = sum((n * rate for _, n, rate, k in floors if not k or rate / k > lo), Fraction(0))
        slope = n_common + sum((n * k for _, n, rate, k in floors if k and rate / k <= lo), 0)
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
    return DividendResult(amount, kind, state.as_of, classes, shares, holders, trace)


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


def dividend_json(r: DividendResult) -> dict[str, object]:
    return {
        "amount": money(r.amount),
        "kind": r.kind,
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "classes": {
            c: {"amount": money(v), "per_share": per_share(v / r.shares[c])}
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
        "citations": r.trace.citations,
        "trace": r.trace.lines(),
    }
