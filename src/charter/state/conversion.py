"""Conversion of preferred into common (Art. IV.B.3(a)-(c), (h)) and the initial public
offering that converts it all and changes the certificate in force.

- `convert`: a holder converts shares of a series convertible at the holder's option.
- `convert_election`: a group converts together on the election of its majority (3(a)), or a
  series converts on the written consent of its holders (3(b)(ii)(B), (iii)(B)).
- `ipo`: a qualified offering (3(b)) converts every series that converts automatically, with
  the IPO price protection of the series that have it; the certificate for after the offering
  takes effect; the offering date is recorded for the right of first refusal and the market
  stand-off (Bylaws Art. VIII §1(i)(2), Art. VI §6).

Cash Amounts due on conversion are owed per holder; when funds legally available are short,
what is available is paid ratably and the rest stays owed (3(c)).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

import msgspec
from msgspec.structs import replace

from charter.explain import interpretation
from charter.ledger.events import (
    CashAmountPayment,
    Convert,
    ConvertElection,
    Ipo,
    OfferingWithdrawn,
    Repurchase,
)
from charter.numbers import in_cents, money, nearest_whole_share, ratable_cents, to_cents
from charter.state import antidilution, registration
from charter.state.adjusted_terms import CashTerms, adjusted_terms, protected_common_per_share
from charter.state.dividends import declared_unpaid
from charter.state.holdings import require_authorized, require_class, require_held, require_holder
from charter.state.model import CashRecord, IpoRecord, PendingConversion, State, TermsChange
from charter.state.rejection import Rejected
from charter.terms.model import ConversionGroup, StockClass

ROUNDING_AGGREGATE = interpretation(
    id="conversion-rounding-aggregate",
    question="When a holder converts shares of several series at once, is the common rounded "
    "on each series' aggregate or once on the holder's whole conversion?",
    citation="Art. IV.B.3(h)",
    quote="Such rounding shall be based on the total number of shares of Series A Preferred "
    "Stock, Series B Preferred Stock, ... or Series F Preferred Stock such holder is converting "
    "into Common Stock and the number of shares of Common Stock issuable upon such aggregate "
    "conversion.",
    readings={
        "per-series": "the holder's shares of each series are one aggregate, rounded on their own",
        "whole-conversion": "everything the holder converts at once is one aggregate, rounded "
        "once (the rounding difference is shown on the holder's last series)",
    },
    default="per-series",
    argument="The clause lists the series disjunctively ('... or Series F Preferred Stock'): "
    "the total is of the shares of a series the holder is converting, each series having its "
    "own conversion rate. Rounding once on the whole is offered because 'such aggregate "
    "conversion' can be read as the holder's whole conversion; it differs by at most one share "
    "per series converted.",
)


EXACT_HALF = interpretation(
    id="conversion-exact-half",
    question="Which way does an exact half share round, when the common a holder's aggregate "
    "converts into is rounded 'to the nearest whole share'?",
    citation="Art. IV.B.3(h)",
    quote="No fractional shares shall be issued upon conversion of the Series A Preferred "
    "Stock, ... and the number of shares of Common Stock to be issued shall be rounded to the "
    "nearest whole share.",
    readings={
        "up": "an exact half rounds up to the next whole share",
        "down": "an exact half rounds down: no share is issued that the conversion did not "
        "earn in full",
    },
    default="up",
    argument="'Nearest' leaves the tie open, and the ordinary arithmetic convention, which the "
    "drafters of the period used when they said nothing more, rounds a half upward; the "
    "clause exists to give the converting holder whole shares for its fraction rather than "
    "to take the fraction away, and the same words govern the votes of Art. IV.B.5(c), which "
    "'down' would cut below the common the holder is entitled to on a half. The reading "
    "governs every figure rounded under the clause: the shares issued on conversion, the "
    "cap table's as-converted figures, the votes and the waterfall's conversions.",
)

CASH_CENTS = interpretation(
    id="cash-amount-cents",
    question="How are the Cash Amounts due on a conversion put into whole cents?",
    citation="Art. IV.B.3(c)",
    quote="in addition, this corporation shall pay to the holder ... the Cash Amount ... "
    "payable by check or wire transfer within ten calendar days following such conversion",
    readings={
        "largest-remainder": "each holder's exact amount per series (shares x the Cash Amount "
        "per share) in cents by largest remainder, the amounts adding up to their total "
        "rounded to the nearest cent",
        "each-rounded": "each holder's amount per series rounded to the nearest cent on its "
        "own (a half cent up); the total is the sum of the rounded amounts",
    },
    default="largest-remainder",
    argument="A check or wire pays whole cents, and the certificate does not say how each "
    "holder's fraction of a cent goes. Largest remainder pays, in all, the total the "
    "conversion owes to the cent and no holder more than a cent from its exact amount; "
    "rounding each amount alone is the simpler rule counsel may prefer, at the cost of a total "
    "that can differ from the exact one by a cent per holder. Payments of what is still owed "
    "are ratable by largest remainder under either reading.",
)


class Converted(msgspec.Struct, frozen=True):
    """One holder's conversion of its shares of one series (rounded on the aggregate, 3(h))."""

    holder: str
    class_id: str
    preferred: int
    common: int
    cash_due: Fraction
    extras: tuple[tuple[str, int], ...] = ()  # other classes with the Common (3(f))


class ClassConversion(msgspec.Struct, frozen=True):
    """How each share of a series converts: common per share, whether the IPO price
    protection applied, cash per share."""

    class_id: str
    common_per_share: Fraction
    ratchet_applied: bool
    cash_per_share: Fraction
    citation: str


class Conversions(msgspec.Struct):
    classes: dict[str, ClassConversion] = msgspec.field(default_factory=dict)
    holders: list[Converted] = msgspec.field(default_factory=list)

    @property
    def cash_due(self) -> Fraction:
        return sum((c.cash_due for c in self.holders), Fraction(0))


RECAPITALIZATION = interpretation(
    id="recapitalization-adjustment",
    question="What 'appropriate adjustment' does a recapitalization of the Common make to the "
    "conversion of the preferred, and what becomes of a fraction of the other securities a "
    "holder would receive on conversion?",
    citation="Art. IV.B.3(f)",
    quote="provision shall be made so that the holders of the Series A Preferred Stock, ... "
    "shall thereafter be entitled to receive upon conversion ... the number of shares of stock "
    "or other securities or property of the Company or otherwise, to which a holder of Common "
    "Stock deliverable upon conversion would have been entitled on such recapitalization. In "
    "any such case, appropriate adjustment shall be made",
    readings={
        "as-split-nearest": "the Conversion Prices move as a split of the Common by its own "
        "ratio would move them; each share of Common delivered on a later conversion comes "
        "with the other classes' shares a share of Common received, rounded to the nearest "
        "whole share on the holder's aggregate, as 3(h) rounds the Common",
        "as-split-down": "the Conversion Prices move as for a split; the other classes' shares "
        "are delivered in whole shares only, a fraction dropped (3(h) rounds the Common, and "
        "says nothing of the other securities)",
    },
    default="as-split-nearest",
    argument="The holder is to receive what the Common 'deliverable upon conversion would have "
    "been entitled' to: the Common's part is a subdivision or combination, which 3(d)(iii)-(iv) "
    "already adjust by moving the Conversion Price, and the rest comes with each share. The "
    "clause asks for an adjustment 'as nearly equivalent as may be practicable', and rounding "
    "the other securities as the Common is rounded is the nearest equivalent; dropping "
    "fractions is for counsel who read 3(h) as the only rounding the certificate allows.",
)


def extras_on_conversion(state: State, shares: int, ratio: Fraction) -> tuple[tuple[str, int], ...]:
    """The shares of other classes that come with the Common on conversion after a
    recapitalization of the Common ("the number of shares of stock or other securities ... to
    which a holder of Common Stock deliverable upon conversion would have been entitled on
    such recapitalization", 3(f)), rounded on the holder's aggregate as 3(h) rounds the
    Common, or down (the reading recapitalization-adjustment)."""
    down = RECAPITALIZATION.choose(state.readings) == "as-split-down"
    out = []
    for k, per_common in state.conversion_extras.items():
        exact = shares * ratio * per_common
        whole = math.floor(exact) if down else nearest_whole_share(exact, half_up(state.readings))
        out.append((k, whole))
    return tuple(out)


def half_up(readings: Mapping[str, str] | None) -> bool:
    """Whether an exact half share rounds up (the reading conversion-exact-half)."""
    return EXACT_HALF.choose(readings) == "up"


def common_on_conversion(
    shares: int, ratio: Fraction, readings: Mapping[str, str] | None = None
) -> int:
    """The common a holder's aggregate of `shares` of one series converts into at `ratio`
    (common per share), rounded to the nearest whole share: no fractional shares are issued
    (Art. IV.B.3(h); an exact half by the reading conversion-exact-half among `readings`)."""
    return shares if ratio == 1 else nearest_whole_share(shares * ratio, half_up(readings))


def cash_per_share(
    state: State, c: StockClass, settings: Mapping[str, str] | None = None
) -> Fraction:
    """The Cash Amount of a share: the fixed amount (as adjusted, or not, for splits of the
    series: the reading cash-amount-splits) plus declared but unpaid dividends, where the
    terms say so (Art. IV.B.3(a))."""
    cash = adjusted_terms(state, settings).of(c.id).cash
    if cash is None:
        return Fraction(0)
    amount = cash.per_share.value
    if cash.plus_declared_unpaid_dividends:
        amount += declared_unpaid(state).get(c.id, Fraction(0))
    return amount


def convert_classes(
    state: State, classes: dict[str, ClassConversion], holders: list[str] | None = None
) -> Conversions:
    """Every holder's (or the named holders') shares of the given series, converted, rounded
    per series or on the holder's whole conversion (the reading conversion-rounding-aggregate,
    Art. IV.B.3(h))."""
    out = Conversions(classes)
    whole = ROUNDING_AGGREGATE.choose(state.readings) == "whole-conversion"
    for holder, by in sorted(state.holdings.items()):
        if holders is not None and holder not in holders:
            continue
        mine = [
            Converted(
                holder,
                class_id,
                by[class_id],
                common_on_conversion(by[class_id], cc.common_per_share, state.readings),
                by[class_id] * cc.cash_per_share,
                extras_on_conversion(state, by[class_id], cc.common_per_share),
            )
            for class_id, cc in classes.items()
            if by.get(class_id, 0)
        ]
        if whole and len(mine) > 1:
            exact = sum(
                (x.preferred * classes[x.class_id].common_per_share for x in mine), Fraction(0)
            )
            last = mine[-1]
            difference = nearest_whole_share(exact, half_up(state.readings)) - sum(
                x.common for x in mine
            )
            mine[-1] = replace(last, common=last.common + difference)
        out.holders.extend(mine)
    return out


def at_conversion_price(state: State, c: StockClass) -> ClassConversion:
    """Original issue price / Conversion Price in effect, plus the Cash Amount (3(a))."""
    assert c.conversion is not None
    return ClassConversion(
        c.id, state.conversion_ratio(c.id), False, cash_per_share(state, c), c.conversion.citation
    )


def cash_terms(state: State, class_ids: Iterable[str]) -> CashTerms | None:
    """The Cash Amount terms, among those of the series converted, that leave the least time
    for payment ("payable by check or wire transfer within ten calendar days following such
    conversion", Art. IV.B.3(c))."""
    view = adjusted_terms(state)
    found = [
        cash
        for c in state.certificate.preferred
        if c.id in class_ids and (cash := view.of(c.id).cash) is not None
    ]
    return min(found, key=lambda ca: ca.payable_within_days, default=None)


def pay_cash(
    state: State, conv: Conversions, funds: Fraction | None, day: dt.date, event: str
) -> Fraction:
    """Pay the Cash Amounts from the funds legally available: in full, or ratably, the rest
    owed per holder (Art. IV.B.3(c)). Amounts are in cents (`cash_in_cents`). Returns the
    part paid."""
    due, paid = cash_in_cents(conv, funds, state.readings)
    if not due:
        return Fraction(0)
    for (holder, class_id), amount in due.items():
        _book(state, holder, class_id, paid[holder, class_id], amount - paid[holder, class_id])
    ca = cash_terms(state, conv.classes)
    state.cash_history.append(
        CashRecord(
            day,
            event,
            "conversion",
            sum(due.values(), Fraction(0)),
            funds,
            sum(paid.values(), Fraction(0)),
            tuple((h, c, v) for (h, c), v in paid.items() if v),
            day + dt.timedelta(days=ca.payable_within_days) if ca else None,
        )
    )
    return sum(paid.values(), Fraction(0))


def cash_in_cents(
    conv: Conversions, funds: Fraction | None, readings: Mapping[str, str] | None = None
) -> tuple[dict[tuple[str, str], Fraction], dict[tuple[str, str], Fraction]]:
    """Each holder's Cash Amount per series in cents (the exact amounts, shares x Cash Amount
    per share, by largest remainder to their total rounded to the cent, or each rounded on its
    own: the reading cash-amount-cents among `readings`), and what the funds legally available
    pay of them: all, or ratably in cents (Art. IV.B.3(c))."""
    exact = {(x.holder, x.class_id): x.cash_due for x in conv.holders if x.cash_due}
    if CASH_CENTS.choose(readings) == "each-rounded":
        due = {k: to_cents(v) for k, v in exact.items()}
    else:
        due = in_cents(exact)
    return due, ratable_cents(due, funds)


def _book(state: State, holder: str, class_id: str, paid: Fraction, owed: Fraction) -> None:
    """`paid` to a holder for its Cash Amounts of a series; what it is owed changes by
    `owed` (a conversion adds to it what was not paid, a later payment takes away what it
    paid)."""
    if paid:
        paid_by = state.cash_paid.setdefault(holder, {})
        paid_by[class_id] = paid_by.get(class_id, Fraction(0)) + paid
    if owed:
        owed_by = state.cash_owed.setdefault(holder, {})
        left = owed_by.get(class_id, Fraction(0)) + owed
        if left:
            owed_by[class_id] = left
        else:
            del owed_by[class_id]
            if not owed_by:
                del state.cash_owed[holder]


def cash_owed_total(state: State) -> Fraction:
    return sum((v for by in state.cash_owed.values() for v in by.values()), Fraction(0))


def shortfall_citation(state: State) -> str | None:
    """The clause on Cash Amounts that funds could not pay at conversion, from the terms in
    force or, once they are replaced (after the offering), from the certificate that made
    them due."""
    for cert in (state.certificate, *state.terms.certificates):
        if cert.conversion is not None and cert.conversion.cash_shortfall_citation:
            return cert.conversion.cash_shortfall_citation
    return None


def apply_conversions(state: State, conv: Conversions) -> None:
    for x in conv.holders:
        c = state.stock_class(x.class_id)
        assert c is not None and c.conversion is not None
        state.add_shares(x.holder, x.class_id, -x.preferred)
        state.add_shares(x.holder, c.conversion.into, x.common)
        antidilution.apply_common_change(state, x.common)
        for k, n in x.extras:
            if n:
                state.add_shares(x.holder, k, n)


def _require_room(state: State, conv: Conversions) -> None:
    into: dict[str, int] = {}
    for x in conv.holders:
        c = state.stock_class(x.class_id)
        assert c is not None and c.conversion is not None
        into[c.conversion.into] = into.get(c.conversion.into, 0) + x.common
        for k, n in x.extras:
            into[k] = into.get(k, 0) + n
    for class_id, n in into.items():
        require_authorized(state, class_id, n)


# --- optional conversion (3(a)) ------------------------------------------------------------


def check_convert(state: State, e: Convert) -> None:
    require_holder(state, e.holder, "holder")
    require_class(state, e.class_)
    c = state.stock_class(e.class_)
    assert c is not None
    if c.conversion is None:
        raise Rejected(f"{c.name} is not convertible", "class", c.citation)
    if not c.conversion.holder_option:
        group = c.conversion.election_group or "its group"
        raise Rejected(
            f"{c.name} converts only on the election of {group} (a convert_election event), "
            "not at a single holder's option",
            "class",
            c.conversion.citation,
        )
    require_held(state, e.holder, e.class_, e.shares, "convert")
    _require_room(state, _holder_conversion(state, c, e))


def _holder_conversion(state: State, c: StockClass, e: Convert) -> Conversions:
    cc = at_conversion_price(state, c)
    common = common_on_conversion(e.shares, cc.common_per_share, state.readings)
    extras = extras_on_conversion(state, e.shares, cc.common_per_share)
    return Conversions(
        {c.id: cc},
        [Converted(e.holder, c.id, e.shares, common, e.shares * cc.cash_per_share, extras)],
    )


def apply_convert(state: State, e: Convert) -> None:
    c = state.stock_class(e.class_)
    assert c is not None
    conv = _holder_conversion(state, c, e)
    apply_conversions(state, conv)
    pay_cash(state, conv, None, e.date, antidilution.label(e, state))


# --- elections and consents (3(a), 3(b)(ii)(B), 3(b)(iii)(B)) -------------------------------


def _group_for(state: State, classes: list[str]) -> ConversionGroup | None:
    rules = state.certificate.conversion
    for g in rules.groups if rules else []:
        if set(g.classes) == set(classes):
            return g
    return None


def check_convert_election(state: State, e: ConvertElection) -> None:
    """The consents must reach the group's (or the series') threshold of the outstanding
    shares, counted as one class."""
    if not e.classes:
        raise Rejected("an election or consent names the series that convert", "classes")
    for class_id in e.classes:
        require_class(state, class_id, "classes")
    for h in e.consents:
        require_holder(state, h, "consents")
    group = _group_for(state, e.classes)
    if group is not None:
        fraction, strictly, cite = (
            group.election.fraction,
            group.election.strictly_more,
            group.election.citation,
        )
    else:
        c = state.stock_class(e.classes[0]) if len(e.classes) == 1 else None
        cc = c.conversion.consent_conversion if c and c.conversion else None
        if cc is None:
            raise Rejected(
                f"no clause lets {', '.join(e.classes)} convert together on an election or "
                "consent of holders",
                "classes",
                state.certificate.conversion.citation if state.certificate.conversion else None,
            )
        fraction, strictly, cite = cc.threshold, cc.strictly_more, cc.citation
    total = sum(state.outstanding.get(c, 0) for c in e.classes)
    yes = sum(state.held(h, c) for h in set(e.consents) for c in e.classes)
    need = fraction * total
    if total == 0:
        raise Rejected(f"no shares of {', '.join(e.classes)} are outstanding", "classes", cite)
    if not (yes > need if strictly else yes >= need):
        how = "more than" if strictly else "at least"
        needed = math.floor(need) + 1 if strictly else math.ceil(need)
        raise Rejected(
            f"the consents cover {yes:,} of the {total:,} outstanding shares of "
            f"{', '.join(e.classes)} voting as one class; {how} {fraction} of them "
            f"({needed:,} shares) is needed",
            "consents",
            cite,
        )
    if e.conditioned_on_closing and e.funds_available is not None:
        raise Rejected(
            "the funds legally available are those at the time of the conversion, which for "
            "a conversion conditioned on the closing is the closing: give funds_available on "
            "the ipo event",
            "funds_available",
            closing_citation(state),
        )
    if not e.conditioned_on_closing:
        _require_room(state, _election(state, e))


def _election(state: State, e: ConvertElection) -> Conversions:
    classes = {}
    for class_id in e.classes:
        c = state.stock_class(class_id)
        assert c is not None
        classes[class_id] = at_conversion_price(state, c)
    return convert_classes(state, classes)


def apply_convert_election(state: State, e: ConvertElection) -> None:
    """Deemed made at the close of business on the date of the election, or, when
    conditioned on the closing of a public offering, at that closing (3(c))."""
    if e.conditioned_on_closing:
        state.pending_conversions.append(
            PendingConversion(e.date, antidilution.label(e, state), tuple(e.classes))
        )
        return
    conv = _election(state, e)
    apply_conversions(state, conv)
    funds = None if e.funds_available is None else Fraction(e.funds_available)
    pay_cash(state, conv, funds, e.date, antidilution.label(e, state))


# --- the IPO (3(b)) -----------------------------------------------------------------------


def qualified_offering(
    state: State, price: Fraction, gross: Fraction, firm_commitment: bool, form: str
) -> tuple[bool, list[str]]:
    """Whether an offering is the one that converts the preferred automatically (3(b)(i)):
    firm commitment, on the registration form named, at least the aggregate price."""
    rules = state.certificate.conversion
    q = rules.qualified_offering if rules else None
    if q is None:
        return False, ["the terms in force have no qualified offering"]
    reasons = []
    if q.firm_commitment and not firm_commitment:
        reasons.append("it is not a firm commitment underwriting")
    if form not in q.registration_forms:
        reasons.append(f"it is registered on Form {form}, not {' or '.join(q.registration_forms)}")
    if gross < q.min_aggregate_offering_price:
        reasons.append(
            f"its aggregate offering price is less than {money(q.min_aggregate_offering_price)}"
        )
    return not reasons, reasons


def offering_class(state: State, c: StockClass, price: Fraction) -> ClassConversion:
    """Common per share on the offering: at the Conversion Price, or, for a series with IPO
    price protection and an offering price below its protection price (as adjusted), the
    greater of the protected common per share and original issue price / Conversion Price."""
    base = at_conversion_price(state, c)
    assert c.conversion is not None
    cite = c.conversion.automatic_citation or c.conversion.citation
    view = adjusted_terms(state)
    protected = protected_common_per_share(view, state, c.id, price)
    if protected is not None and protected > base.common_per_share:
        protection = view.of(c.id).protection_price
        assert protection is not None and protection.citation is not None
        return ClassConversion(c.id, protected, True, base.cash_per_share, protection.citation)
    return ClassConversion(c.id, base.common_per_share, False, base.cash_per_share, cite)


def offering_classes(state: State, price: Fraction) -> dict[str, ClassConversion]:
    """How each series that converts automatically on a qualified offering at `price` per
    share converts."""
    return {
        c.id: offering_class(state, c, price)
        for c in state.certificate.preferred
        if c.conversion is not None and c.conversion.automatic_on_qualified_offering
    }


def offering_conversions(state: State, price: Fraction) -> Conversions:
    """What every holder of a series that converts automatically receives on a qualified
    offering at `price` per share."""
    return convert_classes(state, offering_classes(state, price))


def closing_conversions(state: State, price: Fraction, qualified: bool) -> Conversions:
    """What converts at the closing of the offering: every conversion elected on condition of
    the closing, "deemed to have occurred ... immediately subsequent to the closing" at the
    Conversion Price (3(c)); and, on a qualified offering, every series that converts
    automatically, on the terms of 3(b)."""
    classes = {
        class_id: at_conversion_price(state, c)
        for pending in state.pending_conversions
        for class_id in pending.classes
        if (c := state.stock_class(class_id)) is not None
    }
    if qualified:
        classes.update(offering_classes(state, price))
    return convert_classes(state, classes)


def check_ipo(state: State, e: Ipo) -> None:
    if state.ipo is not None:
        raise Rejected(
            f"the company's initial public offering was already recorded on "
            f"{state.ipo.date.isoformat()}",
            "type",
        )
    if not e.price:
        raise Rejected("the offering price must be more than zero", "price")
    if e.closing_date is not None and e.closing_date != e.date:
        raise Rejected(
            "record the ipo event on the date of its closing (the conversion takes effect at "
            "the closing); closing_date must equal the event's date",
            "closing_date",
            closing_citation(state),
        )
    if e.effective_date is not None and e.effective_date > e.date:
        raise Rejected(
            "the registration cannot become effective after the closing", "effective_date"
        )
    ok, _ = qualified_offering(
        state, Fraction(e.price), Fraction(e.gross_proceeds), e.firm_commitment, e.registration_form
    )
    conv = closing_conversions(state, Fraction(e.price), ok)
    if not ok:
        _require_room(state, conv)
        return
    after = state.terms.on_qualified_offering
    cert = state.terms.certificate(after) if after else None
    if cert is None:
        _require_room(state, conv)
        return
    common_after = state.outstanding.get(state.certificate.common.id, 0) + sum(
        x.common for x in conv.holders
    )
    if common_after > cert.common.authorized:
        raise Rejected(
            f"after conversion {common_after:,} shares of common would be outstanding, beyond "
            f"the {cert.common.authorized:,} that {cert.title} authorizes",
            "price",
            cert.common.citation,
        )
    for class_id, n in state.outstanding.items():
        if n and class_id not in conv.classes and cert.stock_class(class_id) is None:
            raise Rejected(
                f"{n:,} shares of {class_id} would remain outstanding, but {cert.title} has "
                "no such class",
                "type",
            )


def apply_ipo(state: State, e: Ipo) -> None:
    """Record the offering; on a qualified one, convert all automatic series and any
    conversion conditioned on the closing, and put the post-offering certificate in force."""
    price, gross = Fraction(e.price), Fraction(e.gross_proceeds)
    ok, _ = qualified_offering(state, price, gross, e.firm_commitment, e.registration_form)
    funds = None if e.funds_available is None else Fraction(e.funds_available)
    conv = closing_conversions(state, price, ok)
    state.pending_conversions.clear()
    apply_conversions(state, conv)
    pay_cash(state, conv, funds, e.date, antidilution.label(e, state))
    state.ipo = IpoRecord(
        date=e.date,
        event=antidilution.label(e, state),
        price=price,
        gross_proceeds=gross,
        qualified=ok,
        closing_date=e.closing_date or e.date,
        effective_date=registration.first_effective(state) or e.date,
        standoff_requested=e.standoff_requested,
    )
    after = state.terms.on_qualified_offering
    cert = state.terms.certificate(after) if ok and after else None
    if cert is not None:
        state.certificate = cert
        state.terms_history.append(TermsChange(e.date, cert.id, state.events_applied))


def closing_citation(state: State) -> str | None:
    """The clause that lets a conversion be conditioned on the closing of the offering."""
    rules = state.certificate.conversion
    offering = rules.qualified_offering if rules else None
    return offering.conditioned_on_closing_citation if offering else None


def check_offering_withdrawn(state: State, e: OfferingWithdrawn) -> None:
    if not state.pending_conversions and registration.awaiting_closing(state) is None:
        raise Rejected(
            "no conversion is waiting on the closing of a public offering and no registration "
            "statement is in effect without a closing, so there is nothing for the withdrawal "
            "of the offering to cancel",
            "type",
            closing_citation(state),
        )


def apply_offering_withdrawn(state: State, e: OfferingWithdrawn) -> None:
    """The offering will not close: a conversion conditioned on its closing "shall not be
    deemed to have occurred until immediately subsequent to the closing" (3(c)), so it never
    occurs; the shares stay preferred."""
    state.pending_conversions.clear()


def apply_repurchase(state: State, e: Repurchase) -> None:
    """Common bought back leaves A (Art. IV.B.3(d)(i)(A))."""
    if state.stock_class(e.class_) is state.certificate.common:
        antidilution.apply_common_change(state, -e.shares)


# --- Cash Amounts paid later (3(c)) -------------------------------------------------------


def check_cash_amount_payment(state: State, e: CashAmountPayment) -> None:
    """Funds can be applied only to Cash Amounts still owed, and are money: more than
    nothing, in whole cents."""
    cite = shortfall_citation(state)
    owed = cash_owed_total(state)
    if not owed:
        raise Rejected(
            "no Cash Amounts are owed: every Cash Amount due on a conversion has been paid, so "
            "there is nothing to apply these funds to",
            "type",
            cite,
        )
    funds = Fraction(e.funds_available)
    if not funds:
        raise Rejected("funds_available must be more than zero", "funds_available", cite)
    if (funds * 100).denominator != 1:
        raise Rejected(
            f"funds_available {e.funds_available} is not a whole number of cents",
            "funds_available",
            cite,
        )


def apply_cash_amount_payment(state: State, e: CashAmountPayment) -> None:
    """Art. IV.B.3(c): "when additional funds of this corporation become legally available for
    payment of the remaining portion of such total Cash Amounts, such funds shall be applied
    ratably to the payment of such remaining Cash Amounts until it is paid in full".

    Each holder is paid, for each series, its amount owed x funds / total owed, in cents by
    largest remainder (`ratable_cents`). Funds beyond the total owed pay everything and the
    rest is not applied: the clause applies the funds "until it is paid in full", and the same
    `funds_available` on an `ipo` or `convert_election` pays no more than is due."""
    funds = Fraction(e.funds_available)
    owed = {(h, c): v for h, by in state.cash_owed.items() for c, v in by.items()}
    paid = ratable_cents(owed, funds)
    for (holder, class_id), amount in sorted(paid.items()):
        _book(state, holder, class_id, amount, -amount)
    state.cash_history.append(
        CashRecord(
            e.date,
            antidilution.label(e, state),
            "payment",
            Fraction(0),
            funds,
            sum(paid.values(), Fraction(0)),
            tuple((h, c, v) for (h, c), v in sorted(paid.items()) if v),
        )
    )
