"""SAFEs and convertible notes on the ledger: issued for cash (`issue_convertible`), converted
together at the next priced round (`convert_convertible`) into shares of the class the round
sells, by each instrument's terms.

The terms are the market's standard forms' (the post-money and pre-money SAFE, a convertible
note), stated on the event rather than in the certificate:

- the **conversion amount**: a SAFE's purchase amount; a note's principal with the interest
  accrued to the conversion date (simple, or compounded at each period's end, simple for the
  part of a period since; the reading `note-day-count`);
- the **conversion price**: the lower of the price the valuation cap implies (the cap divided
  by the company capitalization of the instrument's basis) and the round's price less the
  discount; an instrument with neither converts at the round's price;
- the **company capitalization**: the capital stock outstanding as converted, the options,
  warrants and rights outstanding, and the shares left to grant under the plans (with a
  top-up recorded before the conversion); a **post-money** cap's also counts the shares every
  converting instrument converts into (so the holders of post-money SAFEs at their caps own
  exactly amount / cap of it), a **pre-money** cap's does not;
- **MFN**: a holder whose instrument has a most-favoured-nation clause takes the terms of an
  instrument issued after its own, before its conversion, when they give it more shares.

Every figure is exact (Fraction); the whole shares are rounded once, per instrument, by the
reading `convertible-share-rounding`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

import msgspec

from charter.explain import interpretation
from charter.ledger.events import ConvertConvertible, IssueConvertible
from charter.state.holdings import require_authorized, require_class, require_holder
from charter.state.model import ConvertibleState, State
from charter.state.rejection import Rejected

SHARE_ROUNDING = interpretation(
    id="convertible-share-rounding",
    question="When a SAFE's or a note's conversion amount divided by its conversion price is "
    "not a whole number, how many shares are issued?",
    citation="the instrument's conversion clause (the standard SAFE's 'number of shares ... "
    "equal to the Purchase Amount divided by the Conversion Price')",
    quote="the Investor will receive the number of shares of Standard Preferred Stock equal "
    "to the Purchase Amount divided by the Conversion Price",
    readings={
        "down": "the whole shares in the quotient; the fraction is not issued",
        "nearest": "the nearest whole share, a half rounded up (the certificate's rule for its "
        "own conversions, Art. IV.B.3(h))",
    },
    default="down",
    argument="The instrument gives the number 'equal to' the quotient: a fraction of a share "
    "cannot be issued, and rounding up would issue a share the holder did not pay for. The "
    "certificate's nearest-share rule of 3(h) governs the conversion of its preferred, not of "
    "an instrument outside it; 'nearest' is offered where a company applies it to both.",
)

DAY_COUNT = interpretation(
    id="note-day-count",
    question="How is a convertible note's interest for part of a year counted?",
    citation="the note's interest clause",
    quote="interest shall accrue on the outstanding principal at the rate of ... per annum",
    readings={
        "actual/365": "the days elapsed over 365",
        "30/360": "months of 30 days over a year of 360 (the bond market's convention)",
    },
    default="actual/365",
    argument="'Per annum' on the days that actually elapse is the plain reading of a note "
    "that states no convention; 30/360 is offered for notes drafted on it.",
)

MONTHS = {"annual": 12, "semiannual": 6, "quarterly": 3, "monthly": 1}


# --- the instrument --------------------------------------------------------------------------


def check_issue_convertible(state: State, e: IssueConvertible) -> None:
    require_holder(state, e.holder, "holder")


def apply_issue_convertible(state: State, e: IssueConvertible) -> None:
    state.convertibles[e.id] = ConvertibleState(
        id=e.id,
        kind=e.kind,
        holder=e.holder,
        amount=Fraction(e.amount),
        date=e.date,
        basis=e.basis or ("post-money" if e.kind == "safe" else "pre-money"),
        valuation_cap=None if e.valuation_cap is None else Fraction(e.valuation_cap),
        discount=Fraction(e.discount) if e.discount is not None else Fraction(0),
        mfn=e.mfn,
        interest_rate=Fraction(e.interest_rate) if e.interest_rate is not None else Fraction(0),
        interest=e.interest,
        compounding=e.compounding,
        maturity=e.maturity,
        at_liquidity=e.at_liquidity,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last of the month where it has fewer days)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def year_fraction(start: dt.date, end: dt.date, settings: Mapping[str, str] | None) -> Fraction:
    """The part of a year from `start` to `end` (the reading note-day-count)."""
    if DAY_COUNT.choose(settings) == "30/360":
        days = (
            360 * (end.year - start.year)
            + 30 * (end.month - start.month)
            + min(end.day, 30)
            - min(start.day, 30)
        )
        return Fraction(days, 360)
    return Fraction((end - start).days, 365)


def conversion_amount(
    c: ConvertibleState, on: dt.date, settings: Mapping[str, str] | None = None
) -> Fraction:
    """A SAFE's purchase amount; a note's principal and the interest accrued to `on`: simple,
    P x (1 + r x t); or compounded at the end of each whole period since the note's date,
    P x (1 + r x m/12)^k, and simple on that balance for the days since the last period's end."""
    if c.kind == "safe" or not c.interest_rate or on <= c.date:
        return c.amount
    r = c.interest_rate
    if c.interest == "simple":
        return c.amount * (1 + r * year_fraction(c.date, on, settings))
    step = MONTHS[c.compounding]
    k = 0
    while add_months(c.date, step * (k + 1)) <= on:
        k += 1
    balance = c.amount * (1 + r * Fraction(step, 12)) ** k
    last = add_months(c.date, step * k)
    return balance * (1 + r * year_fraction(last, on, settings))


def company_capitalization(state: State) -> Fraction:
    """The capital stock outstanding as converted into common (each holder's aggregate of a
    series rounded, Art. IV.B.3(h)), the options, warrants and rights outstanding as
    converted, and the shares left to grant under the plans."""
    # (conversion.py reaches the anti-dilution book, which reads this module)
    from charter.state.conversion import common_on_conversion

    ratios = {c.id: state.conversion_ratio(c.id) for c in state.certificate.classes}
    total = 0
    for by in state.holdings.values():
        for class_id, n in by.items():
            total += common_on_conversion(n, ratios.get(class_id, Fraction(1)), state.readings)
    for g in state.grants.values():
        if g.outstanding > 0:
            ratio = ratios.get(g.class_id, Fraction(1))
            total += common_on_conversion(g.outstanding, ratio, state.readings)
    total += sum(max(p.available, 0) for p in state.plans.values())
    return Fraction(total)


# --- the terms at conversion -----------------------------------------------------------------


class Terms(msgspec.Struct, frozen=True):
    """What sets an instrument's conversion price: its cap, its basis, its discount; `source`
    the instrument whose terms they are (another one's under an MFN clause)."""

    valuation_cap: Fraction | None
    basis: str
    discount: Fraction
    source: str


class Conversion(msgspec.Struct, frozen=True):
    """One instrument's conversion at a round: its amount, the terms applied, its price and
    the exact number of shares (rounded once, by `whole_shares`)."""

    id: str
    holder: str
    amount: Fraction
    terms: Terms
    cap_price: Fraction | None
    discount_price: Fraction | None  # None at a liquidity event
    price: Fraction
    shares: Fraction

    @property
    def at_cap(self) -> bool:
        if self.cap_price is None:
            return False
        return self.discount_price is None or self.cap_price < self.discount_price


def own_terms(c: ConvertibleState) -> Terms:
    return Terms(c.valuation_cap, c.basis, c.discount, c.id)


def candidate_terms(state: State, c: ConvertibleState, on: dt.date) -> list[Terms]:
    """Its own terms, and under an MFN clause those of every instrument issued after it and
    on or before `on` (the standard MFN SAFE: the holder may take a Subsequent Convertible
    Security's terms in whole, never some of each)."""
    out = [own_terms(c)]
    if c.mfn:
        later = False
        for other in state.convertibles.values():
            if other.id == c.id:
                later = True
            elif later and other.date <= on:
                out.append(own_terms(other))
    return out


def solve(
    items: list[tuple[str, str, Fraction, Terms]], base: Fraction, price: Fraction | None
) -> list[Conversion]:
    """Every instrument's conversion at a round priced at `price`, together (`price` None: at
    a liquidity event, where only the caps count: every item has one).

    Each gets amount / min(cap price, price x (1 - discount)) shares. A pre-money cap price
    is cap / base (the capitalization without the converting instruments). A post-money cap
    price is cap / C, where C = base + the shares of every converting instrument, itself
    included. An instrument at its cap gets amount x C / cap, one at its discount amount /
    (price x (1 - d)); with R the post-money instruments at their caps, F the shares of the
    rest (fixed once R is known) and G the sum of amount / cap over R:

        C = base + F + G x C,   so   C = (base + F) / (1 - G)

    An instrument is at its cap when cap / C < price x (1 - d), i.e. when C is above its
    threshold cap / (price x (1 - d)). Its shares, max(amount x C / cap, amount / (price x
    (1 - d))), grow with C at slope amount / cap at most, and G < 1, so there is one C: the
    instruments taken in the order of their thresholds, the first set R whose C lies at or
    above the thresholds of R and below the next gives it.
    """
    discount_price = {
        i: None if price is None else price * (1 - t.discount) for i, _, _, t in items
    }
    fixed: dict[str, Fraction] = {}  # shares not depending on C
    post: list[tuple[Fraction, str, Fraction, Fraction]] = []  # (threshold, id, amount, cap)
    for i, _, a, t in items:
        dp = discount_price[i]
        if t.valuation_cap is not None and t.basis == "post-money":
            post.append(
                (Fraction(0) if dp is None else t.valuation_cap / dp, i, a, t.valuation_cap)
            )
        elif t.valuation_cap is not None and base and (dp is None or t.valuation_cap / base < dp):
            fixed[i] = a * base / t.valuation_cap
        elif dp is not None:
            fixed[i] = a / dp
        else:
            raise ValueError(f"{i} has no valuation cap to convert by")
    post.sort()
    cap_total = Fraction(0)
    for m in range(0 if price is not None else len(post), len(post) + 1):
        at_cap = post[:m]
        g = sum((a / cap for _, _, a, cap in at_cap), Fraction(0))
        if g >= 1:
            raise ValueError(
                "the post-money SAFEs at their caps would own all of the company "
                f"({', '.join(i for _, i, _, _ in at_cap)})"
            )
        rest = sum(fixed.values(), Fraction(0))
        for _, i, a, _ in post[m:]:  # at their discounts: a round's price is known
            dp = discount_price[i]
            assert dp is not None
            rest += a / dp
        cap_total = (base + rest) / (1 - g)
        above = all(cap_total > th for th, _, _, _ in at_cap)
        below = m == len(post) or cap_total <= post[m][0]
        if above and below:
            break
    out = []
    for i, holder, a, t in items:
        dp = discount_price[i]
        cp: Fraction | None = None
        if t.valuation_cap is not None:
            cp = t.valuation_cap / (cap_total if t.basis == "post-money" else base)
        p = min(x for x in (cp, dp) if x is not None)
        out.append(Conversion(i, holder, a, t, cp, dp, p, a / p))
    return out


def convert_at(
    state: State,
    ids: Iterable[str],
    price: Fraction | None,
    on: dt.date,
    settings: Mapping[str, str] | None = None,
) -> list[Conversion]:
    """The instruments `ids` converting together at a round priced at `price` on `on`, each
    holder with an MFN clause taking the terms that give it the most shares (its own first
    when equal), the others' choices held as they are, until no holder would change."""
    settings = settings if settings is not None else state.readings
    base = company_capitalization(state)
    convs = [state.convertibles[i] for i in ids]
    options = {c.id: candidate_terms(state, c, on) for c in convs}
    if price is None:  # a liquidity event: only a cap converts
        options = {k: [t for t in v if t.valuation_cap is not None] for k, v in options.items()}
    chosen = {c.id: options[c.id][0] for c in convs}
    amounts = {c.id: conversion_amount(c, on, settings) for c in convs}
    for _ in range(1 + sum(len(v) for v in options.values())):
        result = solve([(c.id, c.holder, amounts[c.id], chosen[c.id]) for c in convs], base, price)
        changed = False
        for c in convs:
            if len(options[c.id]) == 1:
                continue
            best, most = chosen[c.id], Fraction(-1)
            for t in options[c.id]:
                trial = dict(chosen) | {c.id: t}
                got = solve(
                    [(x.id, x.holder, amounts[x.id], trial[x.id]) for x in convs], base, price
                )
                n = next(r.shares for r in got if r.id == c.id)
                if n > most:
                    best, most = t, n
            if best != chosen[c.id]:
                chosen[c.id], changed = best, True
        if not changed:
            return result
    return solve([(c.id, c.holder, amounts[c.id], chosen[c.id]) for c in convs], base, price)


def whole_shares(shares: Fraction, settings: Mapping[str, str] | None) -> int:
    """The shares issued for an exact quotient (the reading convertible-share-rounding)."""
    if SHARE_ROUNDING.choose(settings) == "nearest":
        return int(shares + Fraction(1, 2)) if shares.denominator != 1 else int(shares)
    return int(shares)


# --- the conversion at a round -----------------------------------------------------------------


def check_convert_convertible(state: State, e: ConvertConvertible) -> None:
    require_class(state, e.class_)
    if e.price <= 0:
        raise Rejected("the round's price per share must be more than zero", "price")
    seen: set[str] = set()
    for i, cid in enumerate(e.convertibles):
        c = state.convertibles.get(cid)
        where = f"convertibles.{i}"
        if c is None:
            raise Rejected(f"no convertible instrument {cid!r} was issued", where)
        if cid in seen:
            raise Rejected(f"{cid!r} is named twice", where)
        seen.add(cid)
        if c.converted is not None:
            raise Rejected(f"{cid!r} already converted on {c.converted.isoformat()}", where)
    try:
        convs = convert_at(state, e.convertibles, Fraction(e.price), e.date)
    except ValueError as err:
        raise Rejected(str(err), "convertibles") from err
    total = sum(whole_shares(c.shares, state.readings) for c in convs)
    require_authorized(state, e.class_, total)


def apply_convert_convertible(state: State, e: ConvertConvertible) -> None:
    """Fix each instrument's conversion on the state as it stands before the round's shares
    exist (the anti-dilution book reads it next, then `deliver_shares` issues them)."""
    label = e.id or f"event {state.events_applied + 1}"
    for conv in convert_at(state, e.convertibles, Fraction(e.price), e.date):
        c = state.convertibles[conv.id]
        n = whole_shares(conv.shares, state.readings)
        c.converted, c.event, c.class_id, c.shares = e.date, label, e.class_, n
        c.conversion_price, c.conversion_amount = conv.price, conv.amount
        c.terms_of = None if conv.terms.source == c.id else conv.terms.source


def deliver_shares(state: State, e: ConvertConvertible) -> None:
    """The shares of the round's class go to each instrument's holder."""
    for cid in e.convertibles:
        c = state.convertibles[cid]
        if c.shares:
            state.add_shares(c.holder, e.class_, c.shares)
    state.purchase_dates.setdefault(e.class_, e.date)


def outstanding(state: State) -> list[ConvertibleState]:
    """The instruments not yet converted."""
    return [c for c in state.convertibles.values() if c.converted is None]


def implied_price(
    state: State,
    ids: list[str],
    on: dt.date,
    pre_money: Fraction,
    shares_before: Fraction,
    settings: Mapping[str, str] | None = None,
) -> Fraction:
    """The price P a pre-money valuation V implies when the instruments `ids` convert in the
    round: P x (shares_before + S(P)) = V, where S(P) is the shares they convert into at P.

    With R the instruments at their caps (and each MFN holder's terms) as `convert_at`
    finds them at P, S is linear in 1/P: a pre-money instrument at its cap has a x base /
    cap shares (their sum F), one at its discount a / (P (1 - d)) (K the sum of a / (1 - d)),
    and the post-money ones at their caps G x C, with C = (base + F + K/P) / (1 - G). Since
    shares_before + S = shares_before - base + C,

        P = (V - K / (1 - G)) / (shares_before - base + (base + F) / (1 - G))

    exactly; R is found again at that P until it no longer changes (the caps a lower price
    brings into play are then all counted)."""
    base = company_capitalization(state)
    price = pre_money / shares_before
    if not ids:
        return price
    for _ in range(2 + 2 * len(ids)):
        convs = convert_at(state, ids, price, on, settings)
        f = g = k = Fraction(0)
        for c in convs:
            cap = c.terms.valuation_cap
            if c.at_cap and cap is not None and c.terms.basis == "post-money":
                g += c.amount / cap
            elif c.at_cap and cap is not None:
                f += c.amount * base / cap
            else:
                k += c.amount / (1 - c.terms.discount)
        found = (pre_money - k / (1 - g)) / (shares_before - base + (base + f) / (1 - g))
        if found <= 0:
            raise ValueError(
                "the instruments converting take the whole pre-money valuation: no price "
                "per share is left for the round"
            )
        if found == price:
            return price
        price = found
    raise ValueError("no price per share satisfies the pre-money with the instruments converting")
