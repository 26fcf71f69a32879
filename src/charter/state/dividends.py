"""Dividends declared by the board (ledger `dividend` events), what is declared but unpaid,
and the preferred's dividend preference per annum (Art. IV.B.1(a)).

A declared dividend is owed from its declaration; it is paid on its `paid_date`. Until then
it is "declared but unpaid": it adds to the liquidation preferences of Art. IV.B.2(a) and to
the Cash Amounts of Art. IV.B.3(a) of the classes it was declared on.

The preference: each preferred share is entitled in a year to its rate "or, if greater (as
determined on a per annum basis), an amount equal to that paid on any other outstanding
shares", "prior and in preference to" any dividend on the Common. Measured over the year
(`Entitlement.due`): a share is due the greater of its rate and what the year's dividends paid on
the other shares come to, never the rate plus that amount; a `dividend` event that pays the
Common while a preferred share has had less than that in the year is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction

import msgspec
from msgspec.structs import replace

from charter.explain import interpretation
from charter.ledger.events import Dividend
from charter.numbers import decimal_str
from charter.state.adjusted_terms import adjusted_terms, dollars
from charter.state.antidilution import anniversary
from charter.state.model import State
from charter.state.rejection import Rejected

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


OTHER_SHARES = interpretation(
    id="dividend-other-shares",
    question=(
        'Do "any other outstanding shares" whose dividend a preferred share must at least '
        "equal include the other series of preferred, or only the shares outside the six "
        "series (the Common)?"
    ),
    citation="Art. IV.B.1(a)",
    quote=(
        "at the per share rate of $0.20, $0.286, $0.382, $0.55, $0.83 and $1.65 per annum, "
        "respectively, ... or, if greater (as determined on a per annum basis), an amount equal "
        "to that paid on any other outstanding shares of this corporation\n"
        "all such Series A, Series B, Series C, Series D, Series E and Series F Preferred Stock "
        "dividends during such year shall be declared or paid, as applicable, ratably ... in "
        "proportion to the full preferential dividend amounts"
    ),
    readings={
        "common": (
            "the other shares are those outside the six series (the Common): the series are "
            "measured against each other only by their rates, ratably when short"
        ),
        "every-class": (
            "the other series count too: each preferred share is due at least what any other "
            "series is paid, measured as the if-greater basis measures (per share of common "
            "it converts into, by default)"
        ),
    },
    default="common",
    argument=(
        "The clause sets six different rates and then says how the six series share a "
        "shortfall, 'in proportion to the full preferential dividend amounts ... set forth "
        "above': it fixes the series' shares against each other by their rates. If each "
        "series were due at least what any other series is paid, the Series A would be "
        "due the Series F's $1.65 a share (per share, or as converted: each converts into one "
        "share of Common at the original prices), and the six rates would collapse into the "
        "highest, leaving the ratable sharing nothing to do. 'Other outstanding shares' "
        "therefore names the shares "
        "the preference is over, the Common and any class without a preference; "
        "'every-class' is offered because the words are general."
    ),
)


class DeclaredDividend(msgspec.Struct, frozen=True):
    """One dividend declared by the board: per share of each class, and when it was paid."""

    date: dt.date
    kind: str
    per_share: dict[str, Fraction]
    paid_date: dt.date | None


def check_dividend(state: State, e: Dividend) -> None:
    """Every class named must exist under the certificate in force; a payment cannot precede
    the declaration; a cash dividend on the Common needs every preferred share to have had
    its preference in the year (Art. IV.B.1(a), `check_preference`)."""
    for class_id in e.per_share:
        if state.stock_class(class_id) is None:
            known = ", ".join(c.id for c in state.certificate.classes)
            raise Rejected(
                f"class {class_id!r} does not exist under the {state.certificate.title} "
                f"(classes: {known})",
                f"per_share.{class_id}",
            )
    if e.paid_date is not None and e.paid_date < e.date:
        raise Rejected(
            f"is paid on {e.paid_date.isoformat()}, before it was declared ({e.date.isoformat()})",
            "paid_date",
        )
    if e.kind == "cash":
        check_preference(state, e)


def apply_dividend(state: State, e: Dividend) -> None:
    state.dividends.append(
        DeclaredDividend(
            date=e.date,
            kind=e.kind,
            per_share={c: Fraction(v) for c, v in e.per_share.items()},
            paid_date=e.paid_date,
        )
    )
    state.declared_unpaid = declared_unpaid(state, e.date)


def declared_unpaid(state: State, as_of: dt.date | None = None) -> dict[str, Fraction]:
    """Per share of each class: cash dividends declared on or before `as_of` (default: the
    state's date) and not paid by then (a `paid_date` on or before `as_of` means paid)."""
    when = as_of or state.as_of
    owed: dict[str, Fraction] = {}
    for d in state.dividends:
        if d.kind != "cash" or (when is not None and d.date > when):
            continue
        if d.paid_date is not None and (when is None or d.paid_date <= when):
            continue
        for class_id, amount in d.per_share.items():
            owed[class_id] = owed.get(class_id, Fraction(0)) + amount
    return owed


# --- the preference per annum (Art. IV.B.1(a)) ---------------------------------------------


def year_began(on: dt.date, choice: str) -> dt.date:
    """The first day of the dividend year in which `on` falls (the reading dividend-year)."""
    if choice == "calendar":
        return dt.date(on.year, 1, 1)
    return anniversary(on, -1) + dt.timedelta(days=1)


def paid_in_year(state: State, since: dt.date) -> dict[str, Fraction]:
    """Per share of each class: the cash dividends declared from `since` to the state's date
    (non-cumulative: earlier years count for nothing)."""
    out: dict[str, Fraction] = {}
    for d in state.dividends:
        if d.kind == "cash" and since <= d.date:
            for c, v in d.per_share.items():
                out[c] = out.get(c, Fraction(0)) + v
    return out


class Entitlement(msgspec.Struct, frozen=True):
    """One preferred series' preference in a year, per share: its rate (as adjusted), the
    measure of "that paid on any other outstanding shares" (common per share of the series,
    or 1), and what the year's dividends have already paid it."""

    class_id: str
    shares: int
    rate: Fraction
    measure: Fraction
    paid: Fraction
    citation: str

    def due(self, other: Fraction) -> Fraction:
        """Due in the year when the other shares are paid `other` per share: the rate "or,
        if greater (as determined on a per annum basis)", the other shares' amount; never the
        two added."""
        return max(self.rate, other * self.measure)

    def still_due(self, other: Fraction) -> Fraction:
        return max(self.due(other) - self.paid, Fraction(0))


class Preference(msgspec.Struct, frozen=True):
    """The preferred's dividend preference in the year of the state's date."""

    since: dt.date
    entitlements: tuple[Entitlement, ...]
    common_paid: Fraction  # per share of Common, this year
    readings: dict[str, str]


def preference(
    state: State, settings: Mapping[str, str] | None = None, on: dt.date | None = None
) -> Preference:
    """Each outstanding preferred series' entitlement in the year of `on` (default: the
    state's date; the readings dividend-year, dividend-if-greater-basis,
    dividend-other-shares)."""
    chosen = {**state.readings, **(settings or {})}
    readings = {r.id: r.choose(chosen) for r in (DIVIDEND_YEAR, IF_GREATER, OTHER_SHARES)}
    on = on or state.as_of or dt.date.today()
    since = year_began(on, readings[DIVIDEND_YEAR.id])
    paid = paid_in_year(state, since)
    view = adjusted_terms(state, settings)
    found = []
    for c in state.certificate.preferred:
        rate = view.of(c.id).dividend_rate
        n = state.outstanding.get(c.id, 0)
        if rate is None or not n or rate.citation is None:
            continue
        measure = (
            state.conversion_ratio(c.id)
            if readings[IF_GREATER.id] == "as-converted"
            else Fraction(1)
        )
        found.append(
            Entitlement(c.id, n, rate.value, measure, paid.get(c.id, Fraction(0)), rate.citation)
        )
    if readings[OTHER_SHARES.id] == "every-class":
        # each series is due at least what any other series is paid, in the same measure:
        # the highest rate per unit of measure sets every series' floor
        top = max((x.rate / x.measure for x in found if x.measure), default=Fraction(0))
        found = [replace(x, rate=max(x.rate, top * x.measure)) for x in found]
    common = state.certificate.common.id
    return Preference(since, tuple(found), paid.get(common, Fraction(0)), readings)


def check_preference(state: State, e: Dividend) -> None:
    """A cash dividend that pays the Common is declared "prior and in preference to" which
    each preferred share must have had, in the year, its rate or, if greater, what the
    Common is paid in the year (as measured by dividend-if-greater-basis): refused if not,
    with the clause."""
    common = state.certificate.common.id
    on_common = Fraction(e.per_share.get(common, 0))
    if not on_common:
        return
    pref = preference(state, on=e.date)
    other = pref.common_paid + on_common
    for x in pref.entitlements:
        got = x.paid + Fraction(e.per_share.get(x.class_id, 0))
        due = x.due(other)
        if got < due:
            raise Rejected(
                f"pays {dollars(on_common)} a share on the {common} while {x.class_id} has had "
                f"{dollars(got)} a share in the year from {pref.since.isoformat()}; before any "
                f"dividend on the {common} it is due its rate of {dollars(x.rate)} or, if "
                f"greater, what the {common} is paid in the year ({dollars(other)} a share, "
                f"x {decimal_str(x.measure)}): {dollars(due)} a share",
                f"per_share.{x.class_id}",
                x.citation,
            )
