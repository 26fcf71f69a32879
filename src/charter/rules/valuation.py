"""Value per share, as a 409A-minded CFO estimates it: the option-pricing method (OPM) on the
exact breakpoints of the payout curve, the backsolve, a discount for lack of marketability,
and the probability-weighted expected return method (PWERM) over the user's scenarios.

Floats are allowed here and only here: a value per share is an estimate, not a legal figure.
The breakpoints and the payouts at each end of every segment come exact from the curve
(`rules.curve`, Art. IV.B.2, 3(a)); only the Black–Scholes arithmetic on them is in floats,
and every result says so (`NOTE`). Nothing here rounds, records or pays anything.

The OPM. Between two breakpoints every payout is affine in the exit value X, so a payout f
with value a just right of `lo`, b just left of `hi` and slope k = (b - a) / (hi - lo) is
worth, discounted under the risk-neutral lognormal law of X at the term,

    k (C(lo) - C(hi)) + a D(lo) - b D(hi)

where C(K) = S N(d1) - K e^(-rT) N(d2) is the Black–Scholes call on the equity value S (no
dividends) and D(K) = e^(-rT) N(d2) the digital that pays 1 when X > K (C(0) = S,
D(0) = e^(-rT); C = D = 0 at infinity, beyond the last breakpoint the last slope goes on).
Where the curve is continuous the D terms cancel and the sum is the textbook
Σ slope_i (C(b_i) - C(b_i+1)); where a choice flips with a jump they price the jump.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import ndtr

from charter.errors import CharterError, Problem, excerpt
from charter.numbers import NumberError, decimal_str, parse_decimal, per_share
from charter.rules.curve import Curve, build
from charter.rules.deemed_liquidation import LIQUIDATION, exit_event
from charter.rules.ipo import simulate_ipo
from charter.rules.waterfall import Company, Profile, Split, company, per_share_value, waterfall
from charter.state.adjusted_terms import adjusted_terms
from charter.state.model import State

NOTE = "breakpoints exact; values estimated with floats"
Floats = npt.NDArray[np.float64]
YEAR_DAYS = 365.25  # a scenario's date to years of discounting


# --- the inputs ----------------------------------------------------------------------------


class Market(msgspec.Struct, frozen=True):
    """The OPM's inputs: equity value S, term T in years, volatility σ, risk-free rate r
    (continuously compounded)."""

    equity: float
    term: float
    volatility: float
    rate: float


def number(value: str, option: str) -> Fraction:
    """A decimal written by a person (`0.60`, `3`), read exactly; one sentence if not."""
    text = value.strip()
    try:
        return parse_decimal("0" + text if text.startswith(".") else text, option)  # .60
    except NumberError as e:
        raise CharterError(
            [Problem(f"{excerpt(value)} is not a decimal number such as 0.60", field=option)]
        ) from e


def market(equity: Fraction, term: Fraction, volatility: Fraction, rate: Fraction) -> Market:
    """The inputs, checked: a volatility and a term above zero, an equity value above zero."""
    problems = []
    if volatility <= 0:
        problems.append(Problem("the volatility must be above zero", field="--volatility"))
    if term <= 0:
        problems.append(Problem("the term must be above zero (in years)", field="--term"))
    if equity <= 0:
        problems.append(Problem("the equity value must be above zero", field="--equity"))
    if problems:
        raise CharterError(problems)
    return Market(float(equity), float(term), float(volatility), risk_free(rate))


def risk_free(rate: Fraction) -> float:
    """The risk-free rate, continuously compounded: above -100%."""
    if rate <= -1:
        raise CharterError([Problem("the risk-free rate must be above -1", field="--rate")])
    return float(rate)


def discount(dlom: Fraction) -> Fraction:
    """A discount for lack of marketability: a fraction from 0 up to (not including) 1."""
    if not 0 <= dlom < 1:
        raise CharterError(
            [Problem("the discount must be at least 0 and below 1 (0.25 is 25%)", field="--dlom")]
        )
    return dlom


# --- the payouts as float segments ---------------------------------------------------------


def horizon(co: Company) -> Fraction:
    """An exit value past every breakpoint: beyond it every preference and Cash Amount is
    paid, every grant is in the money and the common level passes every cap and every
    preference per common share, so no choice flips and no slope changes. Twice the sum of
    the claims, the strikes and that level on every share as converted (all grants
    exercised), plus one dollar."""
    everything = frozenset(b.index for b in co.buckets)
    claims = sum(
        (s.shares * (s.preference + s.cash) for s in co.seats),
        sum((co.owed_total(c) for c in co.owed), Fraction(0)),
    )
    strikes = sum((b.strike * b.shares for b in co.buckets), Fraction(0))
    per_common = [b.strike for b in co.buckets]
    for s in co.seats:
        most = s.preference  # the most a share takes unconverted: its preference, or its cap
        if s.cap is not None:
            most = s.cap if s.cap_includes_preference else s.preference + s.cap
        per_common.append((most + s.cash) / (s.ratio or 1))
    shares = sum(co.shares(s, Profile(exercised=everything)) * (s.ratio or 1) for s in co.seats)
    return 2 * (claims + strikes + max(per_common, default=Fraction(0)) * shares) + 1


class Payoffs(msgspec.Struct, frozen=True):
    """The curve as what the OPM reads: the exact breakpoints, and for every row (a class's
    value per share, or its grants' value net of exercise prices) the payout just right of
    each segment's start and just left of its end, as floats. The last segment goes on to
    infinity."""

    breakpoints: list[Fraction]
    classes: list[str]
    shares: dict[str, int]  # outstanding per class
    rows: list[tuple[str, str]]  # (class, "per_share" | "grants")
    starts: Floats  # n segment starts, the first 0
    widths: Floats  # n widths, the last that of the curve's last finite segment
    left: Floats  # rows x n
    right: Floats  # rows x n


def grants_net(co: Company, profile: Profile, split: Split, class_id: str) -> Fraction:
    """What the grants over a class receive, net of the exercise prices they pay: the class's
    amount less its outstanding shares' and the strikes of the buckets exercised."""
    seat = co.seat(class_id)
    strikes = sum(
        (
            co.buckets[i].strike * co.buckets[i].shares
            for i in profile.exercised
            if co.buckets[i].class_id == class_id
        ),
        Fraction(0),
    )
    each = per_share_value(co, profile, split, seat)
    return split.total(class_id) - each * seat.shares - strikes


def _row_values(
    co: Company, profile: Profile, split: Split, rows: list[tuple[str, str]]
) -> list[float]:
    return [
        float(
            per_share_value(co, profile, split, co.seat(cls))
            if what == "per_share"
            else grants_net(co, profile, split, cls)
        )
        for cls, what in rows
    ]


def payoffs(co: Company, curve: Curve | None = None) -> Payoffs:
    """The payouts of the curve from 0 past its last breakpoint (`horizon`)."""
    curve = curve if curve is not None else build(co, Fraction(0), horizon(co))
    classes = curve.classes()
    with_grants = {b.class_id for b in co.buckets}
    rows = [(c, "per_share") for c in classes] + [
        (c, "grants") for c in classes if c in with_grants
    ]
    segs = curve.segments
    left = np.array([_row_values(co, s.profile, s.low, rows) for s in segs]).T
    right = np.array([_row_values(co, s.profile, s.high, rows) for s in segs]).T
    return Payoffs(
        breakpoints=curve.breakpoints,
        classes=classes,
        shares={s.id: s.shares for s in co.seats},
        rows=rows,
        starts=np.array([float(s.lo) for s in segs]),
        widths=np.array([float(s.hi - s.lo) for s in segs]),
        left=left.reshape(len(rows), len(segs)),
        right=right.reshape(len(rows), len(segs)),
    )


# --- Black–Scholes on the breakpoints ------------------------------------------------------


def calls(
    equity: float | Floats, strikes: Floats, term: Floats, volatility: Floats, rate: float
) -> tuple[Floats, Floats]:
    """C(K) and D(K) for every (term, volatility) pair (rows) and strike above zero
    (columns): C = S N(d1) - K e^(-rT) N(d2), D = e^(-rT) N(d2),
    d1 = (ln(S/K) + (r + σ²/2) T) / (σ √T), d2 = d1 - σ √T."""
    s = np.asarray(equity, dtype=np.float64).reshape(-1, 1)
    t = term.reshape(-1, 1)
    v = volatility.reshape(-1, 1) * np.sqrt(t)
    d1 = (np.log(s / strikes) + (rate + 0.5 * volatility.reshape(-1, 1) ** 2) * t) / v
    discounted = np.exp(-rate * t)
    n2 = ndtr(d1 - v)
    return s * ndtr(d1) - strikes * discounted * n2, discounted * n2


def opm(
    p: Payoffs, equity: float | Floats, term: Floats, volatility: Floats, rate: float
) -> Floats:
    """The value of every row for every (equity, term, volatility) triple at once
    (grid x rows): Σ over segments of k (C(lo) - C(hi)) + a D(lo) - b D(hi)."""
    c, d = calls(equity, p.starts[1:], term, volatility, rate)
    grid = c.shape[0]
    s = np.broadcast_to(np.asarray(equity, dtype=np.float64).reshape(-1, 1), (grid, 1))
    zero = np.zeros((grid, 1))
    c_all = np.hstack([s, c, zero])  # C at 0, at each breakpoint, at infinity
    d_all = np.hstack([np.exp(-rate * term.reshape(-1, 1)) * np.ones((grid, 1)), d, zero])
    slopes = (p.right - p.left) / p.widths
    return (
        (c_all[:, :-1] - c_all[:, 1:]) @ slopes.T
        + d_all[:, :-1] @ p.left.T
        - d_all[:, 1:] @ p.right.T
    )


class ClassValue(msgspec.Struct, frozen=True):
    class_id: str
    shares: int
    per_share: float
    grants: float | None  # the grants over the class, net of exercise prices

    @property
    def value(self) -> float:
        """The outstanding shares' value (the grants' is apart)."""
        return self.per_share * self.shares


class Valuation(msgspec.Struct, frozen=True):
    method: str  # "opm" or "pwerm"
    classes: list[ClassValue]
    common_id: str
    dlom: Fraction
    breakpoints: list[Fraction]
    market: Market | None = None

    @property
    def common(self) -> float:
        return next(c.per_share for c in self.classes if c.class_id == self.common_id)

    @property
    def common_after_dlom(self) -> float:
        """The common per share after the discount for lack of marketability (applied to
        the common's value per share only, last)."""
        return self.common * (1 - float(self.dlom))


def value(co: Company, p: Payoffs, m: Market, dlom: Fraction = Fraction(0)) -> Valuation:
    """The OPM at one set of inputs."""
    row = opm(p, m.equity, np.array([m.term]), np.array([m.volatility]), m.rate)[0]
    return Valuation(
        "opm",
        _classes(p, dict(zip(p.rows, row, strict=True))),
        co.common_id,
        dlom,
        p.breakpoints,
        m,
    )


def _classes(p: Payoffs, by_row: Mapping[tuple[str, str], float]) -> list[ClassValue]:
    return [
        ClassValue(
            c,
            p.shares.get(c, 0),
            float(by_row[(c, "per_share")]),
            None if (c, "grants") not in by_row else float(by_row[(c, "grants")]),
        )
        for c in p.classes
    ]


# --- the backsolve -------------------------------------------------------------------------


def issue_price(state: State, class_id: str) -> Fraction:
    """The class's Original Issue Price as adjusted on the state's date (the terms)."""
    if class_id not in {c.id for c in state.certificate.classes}:
        known = ", ".join(c.id for c in state.certificate.classes)
        raise CharterError(
            [
                Problem(
                    f"{excerpt(class_id)} is not a class of the company; the classes are {known}",
                    field="--backsolve",
                )
            ]
        )
    figure = adjusted_terms(state).of(class_id).issue_price
    if figure is None:
        raise CharterError(
            [
                Problem(
                    f"{class_id} has no Original Issue Price in the terms to solve for",
                    field="--backsolve",
                )
            ]
        )
    return figure.value


def backsolve(
    p: Payoffs,
    class_id: str,
    price: Fraction,
    term: float,
    volatility: float,
    rate: float,
    ceiling: float,
) -> float:
    """The equity value at which one share of `class_id` is worth `price` under the OPM,
    found by Brent's method between one dollar and `ceiling`; one sentence if no equity value
    in that range gives it."""
    if ceiling <= 1:
        raise CharterError(
            [Problem("the top of the backsolve's range must be above $1", field="--up-to")]
        )
    if (class_id, "per_share") not in p.rows:
        raise CharterError(
            [Problem(f"{class_id} has no shares outstanding to value", field="--backsolve")]
        )
    where = p.rows.index((class_id, "per_share"))
    t, v = np.array([term]), np.array([volatility])

    def gap(s: float) -> float:
        return float(opm(p, s, t, v, rate)[0, where]) - float(price)

    low, high = gap(1.0), gap(ceiling)
    if low > 0 or high < 0:
        most = high + float(price)
        raise CharterError(
            [
                Problem(
                    f"no equity value from $1 to ${ceiling:,.0f} makes a share of {class_id} worth "
                    f"its issue price ${float(price):,.4f} (at most ${most:,.4f} at the top of the "
                    "range)",
                    field="--backsolve",
                )
            ]
        )
    return float(brentq(gap, 1.0, ceiling, xtol=1e-6, rtol=1e-12, maxiter=200))


# --- PWERM ---------------------------------------------------------------------------------


class Scenario(msgspec.Struct, frozen=True):
    name: str
    kind: str
    probability: Fraction
    date: dt.date
    value: Fraction | None  # the exit value (sale, dissolution)
    price: Fraction | None  # the offering price per share (ipo)
    gross: Fraction | None  # the aggregate offering price (ipo)
    transaction: str  # the kind of deemed liquidation of a sale (a liquidation by default)


FIELDS = {
    "ipo": ("price", "gross"),  # the offering price per share and the aggregate price
    "sale": ("value",),
    "dissolution": ("value",),
}
KEYS = {"name", "kind", "probability", "date", "value", "price", "gross", "transaction"}


def read_scenarios(data: Any, source: str, today: dt.date | None) -> list[Scenario]:
    """The scenarios of a PWERM file (`scenarios:` a list, each a kind, a probability, a date
    and the exit value, or for an IPO the price per share and the gross): every mistake one
    sentence naming the scenario and the field; the probabilities must add up to exactly
    one."""
    items = data.get("scenarios") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise CharterError([Problem("expected `scenarios:` with a list of scenarios", file=source)])
    problems: list[Problem] = []
    out = [
        sc
        for i, raw in enumerate(items, 1)
        if (sc := _scenario(raw, f"scenario {i}", source, today, problems)) is not None
    ]
    if not problems:
        total = sum((s.probability for s in out), Fraction(0))
        if total != 1:
            problems.append(
                Problem(
                    f"the probabilities add up to {float(total):.6g}, not 1",
                    file=source,
                    field="scenarios",
                )
            )
    if problems:
        raise CharterError(problems)
    return out


def _scenario(
    raw: Any, where: str, source: str, today: dt.date | None, problems: list[Problem]
) -> Scenario | None:
    def problem(message: str, key: str | None = None) -> None:
        problems.append(Problem(message, file=source, field=f"{where}: {key}" if key else where))

    if not isinstance(raw, dict):
        problem("expected a mapping of " + ", ".join(sorted(KEYS)))
        return None
    for key in raw:
        if key not in KEYS:
            problem(f"unknown key {excerpt(key)}; expected {', '.join(sorted(KEYS))}")
    kind = raw.get("kind")
    if kind not in FIELDS:
        problem(f"{excerpt(kind)} is not one of {', '.join(FIELDS)}", "kind")
        return None
    got: dict[str, Any] = {}
    for key in ("probability", "date", *FIELDS[kind]):
        if key not in raw:
            problem("is missing", key)
            continue
        try:
            got[key] = _date(raw[key]) if key == "date" else parse_decimal(raw[key], key)
        except (NumberError, ValueError, TypeError) as e:
            problem(str(e), key)
    name, transaction = raw.get("name", where), raw.get("transaction", LIQUIDATION)
    for key, text in (("name", name), ("transaction", transaction)):
        if not isinstance(text, str) or len(text) > 100:
            problem(f"{excerpt(text)} is not a text of at most 100 characters", key)
    if "probability" in got and not 0 <= got["probability"] <= 1:
        problem("must be from 0 to 1", "probability")
    if "date" in got and today is not None and got["date"] < today:
        problem(f"{got['date']} is before the valuation date {today}", "date")
    for key in FIELDS[kind]:
        x = got.get(key)
        if x is None:
            continue
        if x < 0 or (key != "value" and x == 0):
            problem("must be more than zero" if key != "value" else "cannot be negative", key)
        elif key == "value" and (x * 100).denominator != 1:
            problem(f"{decimal_str(x)} has fractions of a cent; give it to the cent", key)
    if len(got) < 2 + len(FIELDS[kind]) or not isinstance(name, str):
        return None
    return Scenario(
        name=name,
        kind=kind,
        probability=got["probability"],
        date=got["date"],
        value=got.get("value"),
        price=got.get("price"),
        gross=got.get("gross"),
        transaction=str(transaction),
    )


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) <= 40:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{excerpt(value)} is not a date in the form YYYY-MM-DD")


class Outcome(msgspec.Struct, frozen=True):
    """One scenario: the value per share of each class at its date, before discounting."""

    scenario: Scenario
    years: float
    per_share: dict[str, Fraction]  # exact: the waterfall's or the offering's
    note: str
    grants: dict[str, Fraction]  # per class: its grants' amount net of exercise prices


def outcome(state: State, s: Scenario, co: Company, settings: Mapping[str, str]) -> Outcome:
    """What each share of each class receives in one scenario: a sale or a dissolution by
    the waterfall (Art. IV.B.2), an IPO by `charter ipo` (Art. IV.B.3(b): the qualified
    offering test and the price protection); cash Amounts due on conversion included."""
    years = ((s.date - state.as_of).days / YEAR_DAYS) if state.as_of else 0.0
    if s.kind == "ipo":
        assert s.price is not None and s.gross is not None
        r = simulate_ipo(state, s.price, s.gross)
        if not r.qualified:
            raise CharterError(
                [
                    Problem(
                        f"not a qualified offering ({'; '.join(r.reasons)}): the preferred would not "
                        "convert automatically; model it as a sale or change its price or gross",
                        field=f"scenario {s.name!r}",
                    )
                ]
            )
        per = {c.id: s.price for c in state.certificate.classes}
        for cc in r.conversions.classes.values():
            per[cc.class_id] = cc.common_per_share * s.price + cc.cash_per_share
        protected = [c.class_id for c in r.conversions.classes.values() if c.ratchet_applied]
        note = "qualified offering" + (
            f"; IPO price protection for {', '.join(protected)}" if protected else ""
        )
        grants: dict[str, Fraction] = {}
        for b in co.buckets:  # exercised (and converted) where in the money at the price
            gain = max(per.get(b.class_id, Fraction(0)) - b.strike, Fraction(0)) * b.shares
            grants[b.class_id] = grants.get(b.class_id, Fraction(0)) + gain
        return Outcome(s, years, per, note, grants)
    assert s.value is not None
    kind = LIQUIDATION if s.kind == "dissolution" else s.transaction
    event = exit_event(state, kind)
    here = company(state, settings, event=event) if event.deemed else co
    w = waterfall(state, s.value, settings, co=here, event=event)
    per = {seat.id: per_share_value(here, w.profile, w.split, seat) for seat in here.seats}
    grants = {
        c: grants_net(here, w.profile, w.split, c) for c in {b.class_id for b in here.buckets}
    }
    return Outcome(s, years, per, f"waterfall: {event.description}", grants)


def pwerm(
    state: State,
    scenarios: Sequence[Scenario],
    rate: float,
    dlom: Fraction,
    settings: Mapping[str, str] | None = None,
) -> tuple[Valuation, list[Outcome]]:
    """Σ probability x value per share x e^(-r t), t the years from the valuation date to
    the scenario's."""
    settings = settings or {}
    co = company(state, settings)
    outcomes = [outcome(state, s, co, settings) for s in scenarios]
    classes = []
    for seat in co.seats:
        if not seat.shares:
            continue
        v = sum(
            float(o.scenario.probability)
            * float(o.per_share.get(seat.id, 0))
            * math.exp(-rate * o.years)
            for o in outcomes
        )
        g = sum(
            float(o.scenario.probability) * float(o.grants[seat.id]) * math.exp(-rate * o.years)
            for o in outcomes
            if seat.id in o.grants
        )
        with_grants = any(b.class_id == seat.id for b in co.buckets)
        classes.append(ClassValue(seat.id, seat.shares, v, g if with_grants else None))
    return Valuation("pwerm", classes, co.common_id, dlom, []), outcomes


# --- the JSON of `charter value --json` ----------------------------------------------------


def _money(x: float) -> str:
    return f"{x:.2f}"


def _each(x: float) -> str:
    return f"{x:.4f}"


def valuation_json(
    v: Valuation,
    backsolved: Mapping[str, object] | None = None,
    outcomes: Sequence[Outcome] = (),
) -> dict[str, object]:
    """The shape of `charter value --json`: strings for every figure (floats rounded at the
    cent, or the ten-thousandth per share), the exact breakpoints as fractions."""
    out: dict[str, object] = {
        "method": v.method,
        "note": NOTE,
        "classes": {
            c.class_id: {
                "shares": c.shares,
                "per_share": _each(c.per_share),
                "value": _money(c.value),
                **({"grants_net": _money(c.grants)} if c.grants is not None else {}),
            }
            for c in v.classes
        },
        "total": _money(sum(c.value + (c.grants or 0.0) for c in v.classes)),
        "common_per_share": _each(v.common),
        "dlom": decimal_str(v.dlom),
        "common_per_share_after_dlom": _each(v.common_after_dlom),
        "dlom_applies_to": "the common's value per share only",
    }
    if v.market is not None:
        m = v.market
        out["inputs"] = {
            "equity": _money(m.equity),
            "term": f"{m.term:g}",
            "volatility": f"{m.volatility:g}",
            "rate": f"{m.rate:g}",
        }
        out["breakpoints"] = [
            str(b.numerator) if b.denominator == 1 else f"{b.numerator}/{b.denominator}"
            for b in v.breakpoints
        ]
    if backsolved:
        out["backsolve"] = dict(backsolved)
    if outcomes:
        out["scenarios"] = [
            {
                "name": o.scenario.name,
                "kind": o.scenario.kind,
                "probability": decimal_str(o.scenario.probability),
                "date": o.scenario.date.isoformat(),
                "years": round(o.years, 6),
                "what": o.note,
                "per_share": {k: per_share(x) for k, x in sorted(o.per_share.items())},
            }
            for o in outcomes
        ]
    return out
