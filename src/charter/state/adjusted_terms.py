"""The terms in force "as adjusted" (DESIGN.md principle 7): the per-share figures of each
class after the ledger's splits, combinations, stock dividends and recapitalizations.

The certificate states its per-share figures once, at their original amounts: "an amount per
share equal to $4.15 ... for each share (as adjusted for any stock dividends, combinations or
splits with respect to such shares)" (Art. IV.B.2(a)); the caps of 2(b) "(as adjusted for any
stock splits, stock dividends, recapitalizations or the like)"; the dividend rates of 1(a);
the IPO protection prices of 3(b)(ii)-(iii) "(adjusted to reflect subsequent stock dividends,
stock splits or recapitalization)". A subdivision of a class into twice as many shares halves
each such figure per share of that class, so that each holder's claim is what it was.

`adjusted_terms(state)` is the one object that holds them for the state's date, each figure
with the events that adjusted it (`Figure.explain`: "$4.15, as adjusted for the 2:1 split of
1999-08-01: $2.075"). Rules read per-share figures only from it: the raw fields of the terms
are not read outside this module and the terms layer (tests/test_adjusted_terms.py guards it).

The Cash Amounts of 3(a) are not said to be "as adjusted"; whether they follow a split of
their series is the reading `cash-amount-splits`, read here once for the IPO, the recorded
conversions and the waterfall alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

import msgspec

from charter.explain import Trace, interpretation
from charter.ledger.events import Dividend, Recapitalization, Split
from charter.numbers import decimal_str, parse_ratio, per_share
from charter.terms.model import StockClass

if TYPE_CHECKING:
    from charter.state.model import State

CASH_AMOUNT_SPLITS = interpretation(
    id="cash-amount-splits",
    question=(
        "After a split or combination of Series A-D, is each share's Cash Amount the stated "
        "amount, or the stated amount as adjusted for the split like the Original Issue Price?"
    ),
    citation="Art. IV.B.3(a)",
    quote=(
        "a right to receive from this corporation a cash payment in an amount equal to $0.925 "
        "for each share of Series A Preferred Stock held\n"
        'an amount per share equal to $1.00 (the "Original Series A Issue Price") for each '
        "share (as adjusted for any stock dividends, combinations or splits with respect to "
        "such shares)"
    ),
    readings={
        "as-adjusted": (
            "the Cash Amount per share is divided by the series' splits, as the Original Issue "
            "Price beside it is: a 2:1 split of Series A makes it $0.4625 per share and each "
            "holder's Cash Amounts stay what they were"
        ),
        "as-written": (
            "the Cash Amount is $0.925 for each share held, whatever the splits: a 2:1 split "
            "of Series A doubles what the corporation owes on conversion"
        ),
    },
    default="as-adjusted",
    argument=(
        "The Cash Amount is the cash half of the same conversion whose share half is the "
        "Original Issue Price divided by the Conversion Price, and that price is 'as adjusted "
        "for any stock dividends, combinations or splits with respect to such shares'; the two "
        "were fixed together ($0.925 against $1.00). Reading the Cash Amount as written would "
        "let a mere subdivision, which changes no one's interest in the corporation, double "
        "the cash the corporation owes, a result 3(f) ('as nearly equivalent as may be "
        "practicable') and 3(g) (no impairment) show the drafters did not intend. The words "
        "'for each share ... held' name the unit of the payment, not a promise that a split "
        "multiplies it."
    ),
)

PROTECTION_SPLITS = interpretation(
    id="ipo-protection-splits",
    question=(
        "After a split of the Common (or of Series E or F), how does the Series E Price ($8.30) "
        "or the $11.00 enter the IPO price protection: the test against the offering price, "
        "and the common each share receives?"
    ),
    citation="Art. IV.B.3(b)(ii)-(iii)",
    quote=(
        "the public offering price is less than $8.30 per share (adjusted to reflect subsequent "
        'stock dividends, stock splits or recapitalization) (as so adjusted, the "Series E '
        'Price"), each share of Series E Preferred Stock shall automatically convert into such '
        "number of fully paid and nonassessable shares of Common Stock as is determined (X) by "
        "dividing the Series E Price by the price per share of the public offering"
    ),
    readings={
        "in-proportion": (
            "the price is compared with the offering price as adjusted for the splits of the "
            "Common; the common each share receives under (X) is kept in proportion to the "
            "splits of the Common and of the series (as 3(d)(iii) keeps the common issuable on "
            "conversion in proportion), so a share receives common worth the stated price per "
            "original share"
        ),
        "one-price": (
            "one Series E Price, the stated price adjusted for the splits of the Common, is "
            "both the test and the dividend of (X): after a 2:1 split of the Common a share "
            "receives as many shares of common as before, each worth half"
        ),
    },
    default="in-proportion",
    argument=(
        "The price is a price per share of Common, compared with 'the price per share of the "
        "public offering', so its adjustment for a split of the Common keeps the test where it "
        "was. Dividing the same adjusted price by the adjusted offering price would leave each "
        "share of the series the same number of shares of Common after the Common doubled, "
        "halving the protection the clause bought; 3(d)(iii) says for the conversion at the "
        "Conversion Price that the common issuable on conversion 'shall be increased in "
        "proportion', and 3(f) asks for results 'as nearly equivalent as may be practicable'. "
        "A split of the series itself divides each share's protection, as it divides each "
        "share's Original Issue Price."
    ),
)

_ONE = Fraction(1)


class Adjustment(msgspec.Struct, frozen=True):
    """One event that changed the number of shares of a class without consideration."""

    date: dt.date
    event: str  # the event's label
    kind: str  # "split", "combination", "stock dividend" or "recapitalization"
    ratio: Fraction  # new shares per old share
    factor: Fraction  # the product of the class's ratios up to and including this one

    def describe(self) -> str:
        """E.g. "the 2:1 split of 1999-08-01"."""
        n, d = self.ratio.numerator, self.ratio.denominator
        what = (
            f"stock dividend of {decimal_str(self.ratio - 1)} a share"
            if self.kind == "stock dividend"
            else f"{n}:{d} {self.kind}"
        )
        return f"the {what} of {self.date.isoformat()}"


class Figure(msgspec.Struct, frozen=True):
    """A per-share figure of the terms, as stated and as adjusted, with what adjusted it."""

    stated: Fraction
    adjustments: tuple[Adjustment, ...]
    citation: str | None

    @property
    def value(self) -> Fraction:
        return self.stated / self.factor

    @property
    def factor(self) -> Fraction:
        return self.adjustments[-1].factor if self.adjustments else _ONE

    def explain(self) -> str:
        """ "$4.15, as adjusted for the 2:1 split of 1999-08-01: $2.075" (or "$4.15")."""
        stated = dollars(self.stated)
        if not self.adjustments or self.factor == 1:
            return stated
        events = " and ".join(a.describe() for a in self.adjustments)
        return f"{stated}, as adjusted for {events}: {dollars(self.value)}"


def dollars(x: Fraction) -> str:
    """A per-share figure as the certificate writes one: "$4.15", "$2.075", "$0.4625" (exact
    when it terminates, at least to the cent; else to six decimals)."""
    text = decimal_str(x)
    whole, _, cents = text.partition(".")
    return f"${whole}.{cents.ljust(2, '0')}"


class CashTerms(msgspec.Struct, frozen=True):
    """A class's Cash Amount (Art. IV.B.3(a)) and how it is paid (3(c))."""

    per_share: Figure
    plus_declared_unpaid_dividends: bool
    payable_within_days: int
    payable_within_days_citation: str | None
    citation: str


class AdjustedClass(msgspec.Struct, frozen=True):
    """The per-share figures of one class, as adjusted (None where the terms have none)."""

    id: str
    adjustments: tuple[Adjustment, ...]  # of the class's own shares
    issue_price: Figure | None  # the Original Issue Price
    preference: Figure | None  # the liquidation preference per share (2(a))
    cap: Figure | None  # the participation cap per share (2(b))
    dividend_rate: Figure | None  # the preferred dividend per annum (1(a))
    cash: CashTerms | None  # the Cash Amount (3(a))
    protection_price: Figure | None  # the IPO protection price, per share of Common (3(b))


class AdjustedTerms(msgspec.Struct, frozen=True):
    """The certificate's per-share figures as adjusted on the state's date."""

    certificate: str
    classes: Mapping[str, AdjustedClass]
    cash_reading: str  # the choice of cash-amount-splits
    protection_reading: str  # the choice of ipo-protection-splits

    def of(self, class_id: str) -> AdjustedClass:
        return self.classes[class_id]

    def figures(self) -> list[tuple[str, str, Figure]]:
        """Every figure that an event adjusted: (class, what, figure)."""
        out = []
        for c in self.classes.values():
            for what, f in (
                ("Original Issue Price", c.issue_price),
                ("liquidation preference", c.preference),
                ("participation cap", c.cap),
                ("dividend rate", c.dividend_rate),
                ("Cash Amount", c.cash.per_share if c.cash else None),
                ("IPO protection price", c.protection_price),
            ):
                if f is not None and f.factor != 1:
                    out.append((c.id, what, f))
        return out

    def relied_on(self, trace: Trace) -> None:
        """Record in a trace the readings these figures depended on: each only when an event
        adjusted a figure it governs."""
        if any(c.cash and c.adjustments for c in self.classes.values()):
            trace.read(CASH_AMOUNT_SPLITS, {CASH_AMOUNT_SPLITS.id: self.cash_reading})
        if any(
            c.protection_price and c.protection_price.factor != 1 for c in self.classes.values()
        ):
            trace.read(PROTECTION_SPLITS, {PROTECTION_SPLITS.id: self.protection_reading})

    def explain(self, trace: Trace, only: str | None = None) -> None:
        """One step per figure that an event adjusted (`only`: figures of that name)."""
        for class_id, what, f in self.figures():
            if only is None or what == only:
                trace.step(f"{class_id}: {what} {f.explain()}", f.citation)

    def to_json(self, only: str | None = None) -> list[dict[str, object]]:
        """The figures an event adjusted, for the JSON of the results that read them
        (`as_adjusted`: added to the shapes of spec/cli-contract.md)."""
        return [
            {
                "class": class_id,
                "figure": what,
                "stated": per_share(f.stated),
                "as_adjusted": per_share(f.value),
                "adjusted_by": [
                    {
                        "date": a.date.isoformat(),
                        "event": a.event,
                        "kind": a.kind,
                        "ratio": f"{a.ratio.numerator}:{a.ratio.denominator}",
                    }
                    for a in f.adjustments
                ],
                "text": f.explain(),
                "citation": f.citation,
            }
            for class_id, what, f in self.figures()
            if only is None or what == only
        ]


def adjustments_of(state: State, class_id: str) -> tuple[Adjustment, ...]:
    return state.adjustments.get(class_id, ())


def factor_of(state: State, class_id: str) -> Fraction:
    """The product of the ratios of a class's splits, combinations and stock dividends."""
    found = state.adjustments.get(class_id)
    return found[-1].factor if found else _ONE


def issue_price(state: State, c: StockClass) -> Fraction | None:
    """The Original Issue Price of a class as adjusted (the conversion ratio's numerator,
    Art. IV.B.3(a)); read on every conversion ratio, so computed without the whole view."""
    stated = c.original_issue_price
    return None if stated is None else stated / factor_of(state, c.id)


def issue_price_at(c: StockClass, factor: Fraction | None) -> Fraction | None:
    """The Original Issue Price as it stood when the class's splits came to `factor` (for
    the anti-dilution timeline, which places events at earlier dates)."""
    stated = c.original_issue_price
    return None if stated is None else stated / (factor or _ONE)


def _figure(
    stated: Fraction | None, adj: tuple[Adjustment, ...], cite: str | None
) -> Figure | None:
    return None if stated is None else Figure(stated, adj, cite)


def _adjusted_class(state: State, c: StockClass, cash_reading: str) -> AdjustedClass:
    adj = adjustments_of(state, c.id)
    liq = c.liquidation
    part = liq.participation if liq else None
    conv = c.conversion
    ca = conv.cash_amount if conv else None
    protection = conv.ipo_price_protection if conv else None
    cash = None
    if ca is not None:
        cash = CashTerms(
            Figure(ca.per_share, adj if cash_reading == "as-adjusted" else (), ca.citation),
            ca.plus_declared_unpaid_dividends,
            ca.payable_within_days,
            ca.payable_within_days_citation,
            ca.citation,
        )
    common = state.certificate.common.id
    return AdjustedClass(
        id=c.id,
        adjustments=adj,
        issue_price=_figure(c.original_issue_price, adj, c.original_issue_price_citation),
        preference=_figure(
            liq.preference_per_share if liq else None, adj, liq.citation if liq else None
        ),
        cap=_figure(part.cap_per_share if part else None, adj, part.citation if part else None),
        dividend_rate=_figure(
            c.dividend.rate_per_annum if c.dividend else None,
            adj,
            c.dividend.citation if c.dividend else None,
        ),
        cash=cash,
        protection_price=_figure(
            protection.price if protection else None,
            adjustments_of(state, common),
            protection.citation if protection else None,
        ),
    )


def adjusted_terms(state: State, settings: Mapping[str, str] | None = None) -> AdjustedTerms:
    """The terms in force on the state's date, as adjusted by the ledger's events; the
    readings are `settings`' choices, else the replay's, else the defaults."""
    chosen = {**state.readings, **(settings or {})}
    cash_reading = CASH_AMOUNT_SPLITS.choose(chosen)
    key = (
        tuple(sorted((k, len(v)) for k, v in state.adjustments.items())),
        cash_reading,
        PROTECTION_SPLITS.choose(chosen),
    )
    kept = state.__dict__.get("_adjusted_terms")
    # the certificate by identity: a designated series (Post-IPO Art. IV) keeps its id
    if kept is not None and kept[0] is state.certificate and kept[1] == key:
        found: AdjustedTerms = kept[2]
        return found
    found = AdjustedTerms(
        state.certificate.id,
        {c.id: _adjusted_class(state, c, cash_reading) for c in state.certificate.classes},
        cash_reading,
        key[2],
    )
    state.__dict__["_adjusted_terms"] = (state.certificate, key, found)
    return found


def protected_common_per_share(
    terms: AdjustedTerms, state: State, class_id: str, offering_price: Fraction
) -> Fraction | None:
    """The common a share receives under the IPO price protection (X) of Art.
    IV.B.3(b)(ii)-(iii), or None when the offering price is not below the protection price
    (each as adjusted; the reading ipo-protection-splits)."""
    price = terms.of(class_id).protection_price
    if price is None or offering_price >= price.value:
        return None
    if terms.protection_reading == "one-price":
        return price.value / offering_price
    return price.stated / (factor_of(state, class_id) * offering_price)


# --- the events that adjust (appliers of the replay) -----------------------------------------


def _note(state: State, class_id: str, day: dt.date, event: str, kind: str, r: Fraction) -> None:
    before = state.adjustments.get(class_id, ())
    factor = (before[-1].factor if before else _ONE) * r
    state.adjustments[class_id] = (*before, Adjustment(day, event, kind, r, factor))


def apply_split(state: State, e: Split) -> None:
    """A subdivision (ratio above 1) or combination (below 1) of a class."""
    from charter.state.antidilution import label

    r = parse_ratio(e.ratio)
    _note(state, e.class_, e.date, label(e, state), "split" if r > 1 else "combination", r)


def apply_recapitalization(state: State, e: Recapitalization) -> None:
    """A recapitalization of the Common (3(f)): the Common's own part is a change of its
    number of shares."""
    from charter.state.antidilution import label

    common = state.certificate.common.id
    r = parse_ratio(e.into[common])
    if r != 1:
        _note(state, common, e.date, label(e, state), "recapitalization", r)


def apply_dividend(state: State, e: Dividend) -> None:
    """A dividend payable in Common on the Common is a subdivision of it (3(d)(iii))."""
    from charter.state.antidilution import label

    common = state.certificate.common.id
    x = Fraction(e.per_share.get(common, 0)) if e.kind == "stock" else Fraction(0)
    if x:
        _note(state, common, e.date, label(e, state), "stock dividend", 1 + x)
