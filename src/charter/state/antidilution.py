"""Conversion price adjustments for dilutive issuances, splits and combinations
(Art. IV.B.3(d)), applied during replay.

Every issuance, and every grant of options, warrants or convertible securities (deemed issued
at grant for their maximum shares at the minimum consideration, 3(d)(i)(E)(1)-(2)), is a point
on an anti-dilution timeline. A point that is "Additional Stock" for a series (after its
Purchase Date, not excepted by 3(d)(ii)) at a consideration per share below the series'
Conversion Price adjusts it by the broad-based weighted average of 3(d)(i)(A):

    CP2 = CP1 x (A + B) / (A + C)

Adjustments under one cent are carried forward ((B)). When an option expires, the prices are
recomputed as if only the shares actually issued had been deemed issued ((E)(4)-(5)). The
recomputation restarts from the snapshot kept at the first point the option affects and walks
only the points that can adjust a price (and the splits) after it, never the whole history.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import functools
import heapq
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import msgspec

from charter.explain import Interpretation, interpretation
from charter.ledger.events import (
    Acceleration,
    AdoptPlan,
    ConvertConvertible,
    Dividend,
    Event,
    Exercise,
    Expire,
    Grant,
    GrantAmend,
    Issue,
    IssueConvertible,
    Recapitalization,
    Split,
    Vest,
    Vesting,
)
from charter.numbers import nearest_whole_share, parse_ratio, round_half_up_ratio
from charter.state import board, convertibles, vesting
from charter.state.adjusted_terms import issue_price, issue_price_at
from charter.state.codec import UNPACKING, Packed, Rows
from charter.state.model import GrantState, PriceChange, State
from charter.state.record_dates import note_record
from charter.state.rejection import Rejected
from charter.terms.model import AntiDilution, Exclusion

OPTIONS_IN_A = interpretation(
    id="antidilution-options-in-a",
    question="Does 'Common Stock outstanding' in A count the shares deemed issued under (E) for "
    "options, warrants and convertible securities still outstanding?",
    citation="Art. IV.B.3(d)(i)(A), (E)",
    quote="the number of shares of Common Stock outstanding immediately prior to such issuance "
    "(including the number of shares of Common Stock issuable upon conversion of outstanding "
    "Preferred Stock) ... (E) ... the following provisions shall apply for all purposes of this "
    "subsection 3(d)(i) ... (1) The aggregate maximum number of shares of Common Stock "
    "deliverable upon exercise ... shall be deemed to have been issued at the time such options "
    "or rights were issued",
    readings={
        "deemed-issued": "A counts the shares (E) deems issued for every outstanding option, "
        "warrant and convertible security, as if they were outstanding",
        "issued-only": "A counts only common actually issued and common issuable on conversion "
        "of outstanding preferred; options count once exercised",
    },
    default="deemed-issued",
    argument="(E) applies 'for all purposes of this subsection 3(d)(i)' and says the shares "
    "'shall be deemed to have been issued'; a share deemed issued and not since cancelled is "
    "outstanding for the formula. The parenthetical on preferred shows the drafters meant a "
    "fully diluted A, which is what 'broad-based' weighted average means in practice.",
)

EXCEPTED_OPTIONS_IN_A = interpretation(
    id="antidilution-excepted-options-in-a",
    question="Do the shares deemed issued under (E) for options that are themselves excepted from "
    "Additional Stock (for instance employee plan options, (ii)(B)) count in A?",
    citation="Art. IV.B.3(d)(i)(A), (E); Art. IV.B.3(d)(ii)(B)",
    quote="(E) ... shall apply for all purposes of this subsection 3(d)(i) and subsection "
    '3(d)(ii) ... "Additional Stock" shall mean any shares of Common Stock issued (or deemed '
    "to have been issued pursuant to subsection 3(d)(i)(E)) ... other than (B) shares of Common "
    "Stock issuable or issued to employees, consultants or directors",
    readings={
        "count": "they count in A like any other deemed-issued shares; the exception only keeps "
        "them from triggering an adjustment",
        "omit": "they are left out of A until exercised",
    },
    default="count",
    argument="The exceptions of (ii) define what triggers an adjustment ('Additional Stock'); "
    "they do not say the excepted shares are not outstanding. (E) deems them issued for all "
    "purposes of 3(d)(i), which includes A. Counting them gives the larger A and so the smaller "
    "adjustment, the usual broad-based result; the other reading is offered for counsel who "
    "read 'outstanding' literally.",
)

ON_OR_ABOUT = interpretation(
    id="named-security-on-or-about",
    question="How far from the named date may a warrant be dated and still be the warrant "
    "issued 'on or about' that date?",
    citation="Art. IV.B.3(d)(ii)(K)",
    quote="warrants to purchase 300,000 shares of Common Stock issued on or about August 19, "
    "1999 and the Common Stock issuable upon exercise thereof",
    readings={
        "tolerance": "within the tolerance the terms give (date_tolerance_days) either side "
        "of the date",
        "exact": "only on the named date itself",
    },
    default="tolerance",
    argument="'On or about' is used precisely because the closing date was not certain when the "
    "certificate was signed; a week either side covers an ordinary slip of a closing while "
    "staying far from any other financing. The count (300,000 common) is checked in any case.",
)

CARRY_FORWARD = interpretation(
    id="carry-forward-cumulative",
    question="Is an adjustment under one cent made once the amounts carried forward with it "
    "reach one cent, or only when a later adjustment reaches one cent by itself?",
    citation="Art. IV.B.3(d)(i)(B)",
    quote="No adjustment of the Conversion Price ... shall be made in an amount less than one "
    "cent per share, provided that any adjustments which are not required to be made by reason "
    "of this sentence shall be carried forward and shall be either taken into account in any "
    "subsequent adjustment made prior to 3 years from the date of the event giving rise to the "
    "adjustment being carried forward, or shall be made at the end of 3 years",
    readings={
        "cumulative": "the carried amounts are added to each later computed adjustment; the "
        "total is made as soon as it reaches one cent",
        "separate": "carried amounts join only a later adjustment that reaches one cent on its "
        "own; otherwise each waits for its three years",
    },
    default="cumulative",
    argument="The purpose of the one-cent floor is to avoid trivial changes, not to lose "
    "adjustments: once the accumulated amount is a cent or more it is no longer an adjustment "
    "'in an amount less than one cent'. The 'separate' reading is offered because the words "
    "'subsequent adjustment made' can be read as one that is made on its own footing.",
)

DIRECT_EMPLOYEE_ISSUANCE = interpretation(
    id="employee-direct-issuance",
    question="Are shares issued to employees, consultants or directors directly (outside any "
    "plan) excepted without a plan approved in the windows of (ii)(B)?",
    citation="Art. IV.B.3(d)(ii)(B)",
    quote="shares of Common Stock issuable or issued to employees, consultants or directors of "
    "this corporation directly or pursuant to stock option plans or restricted stock plans "
    "approved by the Board of Directors of this corporation prior to the Series E Purchase "
    "Date and ...",
    readings={
        "excepted": "yes: 'approved ...' qualifies only the plans",
        "needs-approved-plan": "no: a direct issuance is excepted only under a plan approved "
        "in one of the windows",
    },
    default="excepted",
    argument="Grammatically 'approved by the Board ...' follows and qualifies 'stock option plans "
    "or restricted stock plans'; 'directly' stands on its own as the alternative to issuance "
    "under a plan.",
)

PRECISION = interpretation(
    id="adjusted-price-precision",
    question="To what precision is an adjusted Conversion Price computed?",
    citation="Art. IV.B.3(d)(i)(A)",
    quote="be adjusted to a price determined by multiplying such Conversion Price by a fraction",
    readings={
        "exact": "the exact fraction, however long (rounded only for display)",
        "micro": "rounded half up to the nearest millionth of a dollar at each adjustment",
    },
    default="exact",
    argument="The certificate prescribes no rounding of the price, and the one-cent rule of (B) "
    "already keeps trivial changes out; the exact fraction is the literal reading. 'micro' is "
    "how conversion prices are stated in practice (and in charter's output); choose it for "
    "long histories with many adjustments, where the exact fraction grows without bound.",
)

OPTION_CHANGE = interpretation(
    id="option-change-recompute",
    question="When the shares deliverable or the consideration payable under an option, warrant "
    "or convertible security change, are the Conversion Prices recomputed as if the changed "
    "terms had applied since it was issued, or is the change a new deemed issuance on its date?",
    citation="Art. IV.B.3(d)(i)(E)(3), (5)",
    quote="(3) In the event of any change in the number of shares of Common Stock deliverable or "
    "in the consideration payable to this corporation upon exercise of such options or rights "
    "... the Conversion Prices ..., to the extent in any way affected by or computed using such "
    "options, rights or securities, shall be recomputed to reflect such change ... (5) The "
    "number of shares of Common Stock deemed issued and the consideration deemed paid therefor "
    "pursuant to subsections 3(d)(i)(E)(1) and 3(d)(i)(E)(2) shall be appropriately adjusted "
    "to reflect any change, termination or expiration of the type described in either "
    "subsection 3(d)(i)(E)(3) or 3(d)(i)(E)(4).",
    readings={
        "from-issue": "the prices are recomputed from the security's issue, as if the changed "
        "terms had applied since then; a price may rise as well as fall",
        "at-change": "the outstanding part on its old terms is recomputed away as on an expiry "
        "((E)(4)), and deemed issued anew on the changed terms on the date of the change",
    },
    default="from-issue",
    argument="(5) adjusts 'the number of shares ... deemed issued and the consideration deemed "
    "paid therefor pursuant to (E)(1) and (E)(2)', that is the issuance deemed made when the "
    "security was issued, and (3) has the prices 'recomputed', the word (4) uses for an expiry, "
    "which undoes the deemed issuance from the start. Nothing in the text dates a new issuance "
    "at the change. 'at-change' is how later forms of the clause treat a security whose issue "
    "adjusted nothing; it is offered for counsel who read this certificate in their light.",
)


UNEXERCISABLE = interpretation(
    id="antidilution-unexercisable-options",
    question="Options and warrants not yet exercisable (unvested): when, if ever, are the shares "
    "of their unexercisable part deemed issued under (E)(1)?",
    citation="Art. IV.B.3(d)(i)(E)(1)",
    quote="The aggregate maximum number of shares of Common Stock deliverable upon exercise (to "
    "the extent then exercisable) of such options to purchase or rights to subscribe for "
    "Common Stock shall be deemed to have been issued at the time such options or rights were "
    "issued",
    readings={
        "as-exercisable": "the shares exercisable at the grant are deemed issued at the grant; "
        "each later part is deemed issued on the day it becomes exercisable (a deemed issuance "
        "on each vesting date, at the exercise price)",
        "never": "only the shares exercisable at the grant are deemed issued under (E)(1); the "
        "rest never are, and the Common later issued on their exercise is an actual issue of "
        "Common at the exercise price",
    },
    default="as-exercisable",
    argument="The parenthesis limits what is deemed issued at the grant to the part then "
    "exercisable; it does not take the rest out of (E). (E) counts a right to acquire Common "
    "as the Common it will deliver, at the price it will deliver it, once the holder may take "
    "it: an option that vests becomes on that day exactly the option (E)(1) describes, so it "
    "is deemed issued then, and (E)(3) ('no further adjustment ... upon the subsequent "
    "issue') then covers its exercise as for any other option. 'never' is the most literal "
    "reading (the clause deems issuances only 'at the time such options ... were issued'); "
    "under it the dilution is still counted, later, when the Common is actually issued on "
    "exercise, but a vested option that is never exercised never counts, which the clause's "
    "purpose (to count options before they are exercised) argues against.",
)

PREFERRED_ISSUANCE = interpretation(
    id="antidilution-preferred-issuance",
    question="Is an issue of preferred stock (deemed, as a convertible security, to issue its "
    "Common under (E)(2)) Additional Stock, or does exception (C), 'securities issuable upon "
    "the conversion of' the preferred, exclude the Common so deemed issued?",
    citation="Art. IV.B.3(d)(ii)(C); Art. IV.B.3(d)(i)(E)(2)",
    quote="'Additional Stock' shall mean any shares of Common Stock issued (or deemed to have "
    "been issued pursuant to subsection 3(d)(i)(E)) ... other than ... (C) securities issuable "
    "upon the conversion of the Series A Preferred Stock, ... or Series F Preferred Stock; ... "
    "(I) warrants issued August 16, 1996 to purchase 192,262 shares of Series B Preferred "
    "Stock and the Preferred Stock issuable upon exercise thereof",
    readings={
        "additional": "the Common deemed issued with new preferred is Additional Stock (unless "
        "another exception applies): a closing of preferred below a series' Conversion Price "
        "adjusts it; (C) keeps out the Common issued when preferred converts",
        "excluded": "the Common deemed issued with new preferred is 'issuable upon the "
        "conversion of' the preferred and so excluded by (C): an issue of preferred never "
        "adjusts a Conversion Price",
    },
    default="additional",
    argument="(C) keeps the conversion of preferred, which issues Common for no new "
    "consideration, from reading as a dilutive issue at a price of nothing. Read to exclude "
    "the Common deemed issued with new preferred, it would take every later round of "
    "preferred (the ordinary dilutive financing a weighted-average protection exists for) "
    "outside 3(d), leaving it only issues of Common and of options; (E)(2) deems those shares "
    "issued 'for all purposes of ... subsection 3(d)(ii)', which defines Additional Stock, so "
    "that they can be. And (I) excepts by name 192,262 Series B of the 1996 warrants 'and the "
    "Preferred Stock issuable upon exercise thereof': a needless exception if issued preferred "
    "were never Additional Stock. 'excluded' is offered as the literal reading of (C)'s words.",
)


CONVERTIBLE_INSTRUMENTS = interpretation(
    id="antidilution-convertible-instruments",
    question="A SAFE or a convertible note is a right to acquire shares whose number is fixed "
    "only at its conversion (by the round's price and the capitalization then): when, and for "
    "how many shares of Common, is it deemed issued under (E)(2)?",
    citation="Art. IV.B.3(d)(i)(E)(2)-(3)",
    quote="(2) The aggregate maximum number of shares of Common Stock deliverable upon "
    "conversion of or in exchange (to the extent then convertible or exchangeable) for any "
    "such convertible or exchangeable securities ... shall be deemed to have been issued at "
    "the time such securities were issued ... for a consideration equal to the consideration, "
    "if any, received by the corporation for any such securities ... (excluding any cash "
    "received on account of accrued interest or accrued dividends)",
    readings={
        "at-conversion": "nothing is deemed issued when the instrument is issued; at its "
        "conversion the shares it converts into are deemed issued (as preferred, through "
        "their Common, (E)(2)) for its purchase amount or principal, accrued interest "
        "excluded",
        "at-issue": "at issue, the Common its valuation cap implies against the company "
        "capitalization that day is deemed issued for its purchase amount or principal (an "
        "instrument without a cap: nothing until conversion); at conversion no further "
        "adjustment for those shares ((E)(3)), the shares beyond them deemed issued then "
        "for no further consideration, and A thereafter counts the shares actually issued",
    },
    default="at-conversion",
    argument="(E)(2) deems issued the 'maximum number' deliverable 'to the extent then "
    "convertible'. At issue a SAFE or a note is convertible into nothing: it converts only "
    "at a priced round not yet held, into a number that the round's price and "
    "capitalization fix, and whose maximum the instrument does not bound (a discount-only "
    "SAFE's grows as the price falls). The first day a maximum is known and the instrument "
    "is convertible is the conversion, so the issuance is deemed made then, for the "
    "consideration received for the instrument, the interest excluded as (E)(2) says. "
    "'at-issue' is offered for counsel who read the cap as the maximum: it makes the cap "
    "price a point on the timeline at the instrument's date.",
)


# --- the book ----------------------------------------------------------------------------------


ZERO, ONE = Fraction(0), Fraction(1)


class Prices(msgspec.Struct):
    """Conversion prices and the adjustments carried forward, per series.

    Items are carried only by `carry` (a split divides their amounts, not their dates), which
    keeps `earliest` at or before the date of every item carried (None when nothing is), so
    that time passing finds nothing due in O(1)."""

    cp: dict[str, Fraction]
    carried: dict[str, list[tuple[dt.date, Fraction, str]]]  # (event date, amount, event)
    totals: dict[str, Fraction] = msgspec.field(default_factory=dict)  # sum of each series' carried
    earliest: dt.date | None = None  # no carried item is dated before it

    def copy(self) -> Prices:
        return Prices(
            dict(self.cp),
            {k: list(v) for k, v in self.carried.items()},
            dict(self.totals),
            self.earliest,
        )

    def carried_total(self, series: str) -> Fraction:
        return self.totals.get(series, ZERO)

    def carry(self, series: str, item: tuple[dt.date, Fraction, str], total: Fraction) -> None:
        """Items arrive in date order, so the first of each list is the first due; `total` is
        the carried total with the item (computed once by the caller: exact sums are long)."""
        self.carried[series].append(item)
        self.totals[series] = total
        if self.earliest is None or item[0] < self.earliest:
            self.earliest = item[0]

    def clear_carried(self, series: str) -> None:
        self.carried[series].clear()
        self.totals[series] = ZERO


class Point(msgspec.Struct):
    """A place on the timeline where a price may change: a possibly dilutive issuance (actual
    or deemed) or a split of the common."""

    seq: int
    date: dt.date
    event: str
    units: Fraction  # common deemed issued, in units of common before every later split
    factor: Fraction  # product of the common splits before the point
    price: Fraction = Fraction(0)  # consideration per common share deemed issued
    series: tuple[str, ...] = ()  # series for which this may be dilutive Additional Stock
    split: Fraction | None = None  # a split of the common by this ratio
    recapitalization: bool = False  # the split is the Common's part of a recapitalization (3(f))
    base_units: Fraction = Fraction(0)  # common counted in A before it, in the same units
    preferred: tuple[tuple[str, int, Fraction], ...] = ()  # (class, outstanding, issue price)
    snapshot: Prices | None = None  # the prices just before it
    # the preferred's part of A at the prices it was last computed with (a recomputation
    # after an expiry often meets the same prices again)
    a_preferred: tuple[tuple[Fraction, ...], Fraction] | None = None


class GrantDeemed(msgspec.Struct):
    """What (E) deemed issued for one grant."""

    seq: int
    class_id: str
    units_per_share: Fraction  # common deemed issued per share granted, in base units
    class_factor: Fraction  # the class's split factor when granted
    in_a: bool
    point: Point | None
    origin: Origin | None = None  # Additional Stock that made no point
    additional: bool = True  # Additional Stock: each part deemed issued is a point
    deemed: int = 0  # shares of the grant deemed issued so far ((E)(1): as exercisable)
    lapsed: int = 0  # of those, shares that lapsed unexercised
    parts: list[Part] = msgspec.field(default_factory=list)  # each part deemed issued, in order


class Part(msgspec.Struct):
    """A part of a grant deemed issued at once: at the grant, or on a vesting date (the
    reading antidilution-unexercisable-options); a lapse takes the last parts first."""

    seq: int
    units: Fraction  # base units still deemed issued
    point: Point | None


class Origin(msgspec.Struct, frozen=True):
    """Where a grant that is Additional Stock but could adjust no price when issued stands on
    the timeline: what its point would need if a change of its terms ((E)(3)) makes it one.
    The preferred outstanding and their splits are kept as counts (cheap to take at every
    grant); A's preferred part is computed from them only then."""

    base_units: Fraction
    factor: Fraction
    outstanding: tuple[int | None, ...]  # of each series of the book
    splits: tuple[Fraction | None, ...]


# A dataclass, not a Struct: restored, it keeps its grants packed in its __dict__ until read.
@dataclass
class AntiDilutionBook:
    prices: Prices
    points: list[Point] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    base_units: Fraction = Fraction(0)
    factor: Fraction = Fraction(1)
    seq: int = 0
    grants: MutableMapping[str, GrantDeemed] = field(default_factory=dict)  # Rows when restored
    named_claimed: dict[str, int] = field(default_factory=dict)  # exclusion -> shares claimed
    # (seq, units, when): A made smaller by `units` for everything after `seq` by a
    # recomputation ((E)(3)-(4)) made when the book's seq was `when`; an `Origin` taken
    # between `seq` and `when` is corrected by it when it becomes a point
    a_changes: list[tuple[int, Fraction, int]] = field(default_factory=list)
    plans_excepted: dict[str, str] = field(default_factory=dict)  # plan -> why (or "")
    relied: dict[str, str] = field(default_factory=dict)  # readings relied on
    # (date, grant): grants whose unexercisable part is deemed issued as it becomes
    # exercisable, at their next vesting date
    vesting_due: list[tuple[dt.date, str]] = field(default_factory=list)
    # the same for grants excepted from Additional Stock that count in A: they make no point,
    # so what vested of them is added to A only when a point needs it (`catch_up_a`)
    a_due: list[tuple[dt.date, str]] = field(default_factory=list)
    # each series' initial price in units of the common now, and the highest of them, for
    # the certificate and split factor named (kept until either changes)
    ceilings: tuple[tuple[tuple[str, Fraction], ...], Fraction | None] = ((), None)
    ceilings_for: tuple[str, Fraction, tuple[str, ...]] | None = None
    # SAFEs and notes deemed issued at issue (the reading antidilution-convertible-instruments
    # =at-issue): the Common so deemed, in base units, counted in A until they convert
    convertibles: dict[str, Fraction] = field(default_factory=dict)

    if not TYPE_CHECKING:  # (hidden from the type checker, which would accept any name)

        def __getattr__(self, name: str) -> Any:
            """The grants of a restored book, unpacked when first read, once (a replay of
            events that deem no grant issued, a transfer's, never decodes them), each with
            its point and its parts' points among `points` as they were restored."""
            if name != "grants":
                raise AttributeError(name)
            with UNPACKING:
                if "grants" not in self.__dict__:
                    if "_packed" not in self.__dict__:
                        raise AttributeError(name)
                    packed, grant_points, points = self.__dict__["_packed"]
                    grants = packed.value
                    for k, (own, parts) in grant_points.items():
                        g = grants[k]
                        if own >= 0:
                            g.point = points[own]
                        for part, i in zip(g.parts, parts, strict=True):
                            if i >= 0:
                                part.point = points[i]
                    self.__dict__["grants"] = grants
                    del self.__dict__["_packed"]
            return self.__dict__["grants"]

    def __getstate__(self) -> dict[str, Any]:
        """The book for a cached state (state/cached.py), its grants packed on their own. A
        grant's point, and the point of each part of it deemed issued, is also one of
        `points` (changed through either): it is kept once, by its place among them, and
        shared again when the grants are unpacked."""
        place = {id(p): i for i, p in enumerate(self.points)}

        def where(point: Point | None) -> int:
            return -1 if point is None else place.get(id(point), -1)

        grants = Rows.of(self.grants)  # each decoded when first read; unread ones as read
        grant_points: dict[str, tuple[int, list[int]]] = {}
        for k, g in grants.read():
            own, parts = where(g.point), [where(p.point) for p in g.parts]
            if own < 0 and all(i < 0 for i in parts):
                continue
            kept = copy.copy(g)
            kept.point = None if own >= 0 else g.point
            kept.parts = [
                Part(p.seq, p.units, None) if i >= 0 else p
                for p, i in zip(g.parts, parts, strict=True)
            ]
            grants[k] = kept
            grant_points[k] = (own, parts)
        return {**self.__dict__, "grants": Packed(grants), "grant_points": grant_points}

    def __setstate__(self, state: dict[str, Any]) -> None:
        grant_points = state.pop("grant_points")
        grants = state.pop("grants")
        self.__dict__.update(state, _packed=(grants, grant_points, list(state["points"])))


def terms_of(state: State) -> AntiDilution | None:
    return state.certificate.antidilution


def book(state: State) -> AntiDilutionBook:
    """The anti-dilution book of the state, opened with the initial prices of the terms."""
    if state.antidilution_book is None:
        cp = {
            c.id: state.conversion_prices.get(c.id, c.conversion_price)
            for c in state.certificate.preferred
            if c.conversion is not None and c.conversion.antidilution and c.conversion_price
        }
        state.antidilution_book = AntiDilutionBook(Prices(cp, {k: [] for k in cp}))
    return state.antidilution_book


def reading(state: State, item: Interpretation) -> str:
    """The choice for a reading the replay depends on, noted as relied upon."""
    choice = item.choose(state.readings)
    if state.antidilution_book is not None:
        state.antidilution_book.relied[item.id] = choice
    return choice


def label(e: Event, state: State) -> str:
    """The event's id, or its place in the ledger."""
    return e.id or f"event {state.events_applied}"


def anniversary(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February falls to 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@functools.lru_cache(maxsize=1024)  # asked for every event's date
def last_due(until: dt.date, years: int) -> dt.date:
    """The last day whose anniversary `years` later falls on or before `until`: anniversary(d)
    <= until exactly when d <= last_due(until) (the 28th of February for a 29th that has no
    day `years` earlier)."""
    try:
        return until.replace(year=until.year - years)
    except ValueError:
        return dt.date(until.year - years, 2, 28)


# --- the arithmetic: a pure function of the prices and a point ------------------------------


def settle_due(
    ad: AntiDilution, prices: Prices, until: dt.date, record: list[tuple[str, PriceChange]] | None
) -> None:
    """Make every carried-forward adjustment whose three years have ended by `until`
    (Art. IV.B.3(d)(i)(B))."""
    last = last_due(until, ad.carry_forward_years)
    if prices.earliest is None or prices.earliest > last:
        return  # nothing carried is due yet
    cite = ad.min_adjustment_citation or ad.citation
    earliest: dt.date | None = None
    cp, totals = prices.cp, prices.totals
    for series, items in prices.carried.items():
        while items and items[0][0] <= last:
            it = items.pop(0)
            totals[series] -= it[1]
            old = cp[series]
            cp[series] = old - it[1]
            if record is not None:
                record.append(
                    (
                        series,
                        PriceChange(
                            date=anniversary(it[0], ad.carry_forward_years),
                            event=it[2],
                            kind="carried-forward-made",
                            old=old,
                            new=cp[series],
                            citation=cite,
                            carried_forward=totals[series],
                        ),
                    )
                )
        if items and (earliest is None or items[0][0] < earliest):
            earliest = items[0][0]
    prices.earliest = earliest


def common_outstanding_a(p: Point, prices: Prices) -> Fraction:
    """A: common outstanding immediately before, including common issuable on conversion of
    outstanding preferred at the prices then in effect (Art. IV.B.3(d)(i)(A))."""
    cps = tuple([prices.cp[class_id] for class_id, _, _ in p.preferred])
    if p.a_preferred is None or p.a_preferred[0] != cps:
        # the sum of shares x issue price / price, on the integers with one reduction
        num, den = 0, 1
        for (_, shares, oip), cp in zip(p.preferred, cps, strict=True):
            (on, od), (qn, qd) = oip.as_integer_ratio(), cp.as_integer_ratio()
            n, d = shares * on * qd, od * qn
            num, den = num * d + n * den, den * d
        p.a_preferred = (cps, Fraction(num, den))
    common = p.base_units if p.factor == 1 else p.base_units * p.factor
    return common + p.a_preferred[1]


def weighted_average(
    cp1: Fraction, a: Fraction, price: Fraction, c: Fraction, micro: bool
) -> Fraction | None:
    """The adjustment CP1 - CP2, where CP2 = CP1 x (A + B) / (A + C) and B = price x C / CP1
    (Art. IV.B.3(d)(i)(A)); CP2 rounded half up to the millionth under the reading
    adjusted-price-precision=micro. None when the price is not below CP1 (no adjustment).

    CP2 is computed as (CP1 x A + price x C) / (A + C), the same number, and the adjustment
    as (CP1 - price) x C / (A + C) (CP1 less that CP2), on the integer numerators and
    denominators with one reduction: with exact prices these run to thousands of digits and
    each Fraction operation would reduce by a gcd."""
    qn, qd = cp1.as_integer_ratio()
    pn, pd = price.as_integer_ratio()
    if pn * qd >= qn * pd:
        return None
    an, ad = a.as_integer_ratio()
    cn, cd = c.as_integer_ratio()
    den = qd * pd * (an * cd + cn * ad)
    if micro:
        num = qn * an * pd * cd + pn * cn * qd * ad
        cp2 = round_half_up_ratio(num * 1_000_000, den)  # in millionths
        return Fraction(qn * 1_000_000 - cp2 * qd, qd * 1_000_000)
    return Fraction(cn * ad * (qn * pd - pn * qd), den)


def below(x: Fraction, y: Fraction) -> bool:
    """x < y, compared on the integers (a Fraction comparison goes through the numeric
    tower, and this runs for every series at every point)."""
    (xn, xd), (yn, yd) = x.as_integer_ratio(), y.as_integer_ratio()
    return xn * yd < yn * xd


def evaluate(
    ad: AntiDilution,
    prices: Prices,
    p: Point,
    cumulative: bool,
    record: list[tuple[str, PriceChange]] | None,
    micro: bool = False,
) -> None:
    """Apply one point to the prices: a split ((iii)-(iv)) or a possibly dilutive issuance
    ((i)(A)-(B))."""
    if p.split is not None:
        kind = "split" if p.split > 1 else "combination"
        cite = (ad.splits_citation if p.split > 1 else ad.combinations_citation) or ad.citation
        if p.recapitalization:
            kind, cite = "recapitalization", ad.recapitalization_citation or ad.citation
        for series, old in list(prices.cp.items()):
            prices.cp[series] = old / p.split
            prices.carried[series] = [(d, a / p.split, ev) for d, a, ev in prices.carried[series]]
            prices.totals[series] = prices.carried_total(series) / p.split
            if record is not None:
                record.append(
                    (
                        series,
                        PriceChange(
                            p.date,
                            p.event,
                            kind,
                            old,
                            prices.cp[series],
                            cite,
                            carried_forward=prices.carried_total(series),
                        ),
                    )
                )
        return
    c = p.units if p.factor == 1 else p.units * p.factor
    if c.numerator <= 0:
        return
    a = common_outstanding_a(p, prices)  # before any series of the point is adjusted
    for series in p.series:
        cp1 = prices.cp[series]
        delta = weighted_average(cp1, a, p.price, c, micro)
        if delta is None:
            continue
        carried = prices.totals.get(series)
        total = delta if carried is None else delta + carried
        made = not below(total if cumulative else delta, ad.min_adjustment)
        if made:
            prices.cp[series] = cp1 - total
            prices.clear_carried(series)
            kind, cite = "adjustment", ad.citation
        else:
            prices.carry(series, (p.date, delta, p.event), total)
            kind, cite = "carried-forward", ad.min_adjustment_citation or ad.citation
        if record is not None:
            b = p.price * c / cp1
            record.append(
                (
                    series,
                    PriceChange(
                        p.date,
                        p.event,
                        kind,
                        cp1,
                        prices.cp[series],
                        cite,
                        a=a,
                        b=b,
                        c=c,
                        carried_forward=prices.carried_total(series),
                    ),
                )
            )


# --- live bookkeeping during replay --------------------------------------------------------


def _record(state: State, changes: list[tuple[str, PriceChange]]) -> None:
    bk = book(state)
    for series, change in changes:
        state.price_history.setdefault(series, []).append(change)
    for series in {s for s, _ in changes}:
        state.conversion_prices[series] = bk.prices.cp[series]


def tick(state: State, day: dt.date) -> None:
    """Time passes to `day`: the parts of grants that became exercisable by then are deemed
    issued on their dates ((E)(1), `antidilution-unexercisable-options`), and carried-forward
    adjustments whose three years are over are made."""
    ad = terms_of(state)
    if ad is None or state.antidilution_book is None:
        return
    bk = state.antidilution_book
    changes: list[tuple[str, PriceChange]] = []
    while bk.vesting_due and bk.vesting_due[0][0] <= day:
        when, gid = heapq.heappop(bk.vesting_due)
        settle_due(ad, bk.prices, when, changes)
        if changes:
            _record(state, changes)
            changes = []
        g = state.grants.get(gid)
        if g is None:
            continue
        deem_exercisable(state, gid, when)
        after = vesting.next_vesting(g, when)
        if after is not None:
            heapq.heappush(bk.vesting_due, (after, gid))
    settle_due(ad, bk.prices, day, changes)
    if changes:
        _record(state, changes)


def _deemed_as_exercisable(state: State, gd: GrantDeemed, g: GrantState) -> bool:
    """An excepted grant on a schedule whose vested part A counts lazily (`catch_up_a`)."""
    return (
        not gd.additional
        and g.schedule is not None
        and reading(state, UNEXERCISABLE) == "as-exercisable"
    )


def catch_up_a(state: State, day: dt.date) -> None:
    """Bring A up to `day` for the excepted grants that vested by then (each grant in one
    step, however many installments it passed): their parts are deemed issued on `day`,
    before any later point, which is all A needs of them."""
    bk = state.antidilution_book
    if bk is None:
        return
    while bk.a_due and bk.a_due[0][0] <= day:
        _, gid = heapq.heappop(bk.a_due)
        g = state.grants.get(gid)
        if g is None:
            continue
        deem_exercisable(state, gid, day)
        after = vesting.next_vesting(g, day)
        if after is not None:
            heapq.heappush(bk.a_due, (after, gid))


def deem_exercisable(state: State, grant: str, day: dt.date) -> None:
    """The shares of a grant that have become exercisable (vested) by `day` and were not yet
    deemed issued are deemed issued on `day`, at the exercise price ((E)(1))."""
    bk = state.antidilution_book
    gd = None if bk is None else bk.grants.get(grant)
    g = state.grants.get(grant)
    if bk is None or gd is None or g is None:
        return
    delta = vesting.vested(g, day) - gd.deemed
    if delta <= 0:
        return
    units = _units(state, gd, delta)
    consideration = g.exercise_price * delta if gd.additional else ZERO
    point = _issuance(
        state, f"{grant} vesting", day, units * bk.factor, consideration, gd.additional
    )
    gd.deemed += delta
    gd.parts.append(Part(bk.seq, units, point))
    if gd.in_a:
        bk.base_units += units


def apply_vesting_event(state: State, e: Vest | Acceleration) -> None:
    """Shares vested by a `vest` or an `acceleration` become exercisable: deemed issued now
    (as-exercisable)."""
    if terms_of(state) is None or state.antidilution_book is None:
        return
    if e.grant in state.antidilution_book.grants and reading(state, UNEXERCISABLE) == (
        "as-exercisable"
    ):
        deem_exercisable(state, e.grant, e.date)


def _preferred_snapshot(
    state: State, bk: AntiDilutionBook
) -> tuple[tuple[str, int, Fraction], ...]:
    out = []
    for class_id in bk.prices.cp:
        n = state.outstanding.get(class_id, 0)
        c = state.stock_class(class_id)
        oip = None if c is None else issue_price(state, c)
        if n and oip is not None:
            out.append((class_id, n, oip))
    return tuple(out)


def _ceilings(
    state: State, bk: AntiDilutionBook, factor: Fraction
) -> tuple[tuple[tuple[str, Fraction], ...], Fraction | None]:
    """Each series' initial price in units of the common after the splits `factor` (the
    highest price the series could have), and the highest of them; computed again only when
    the certificate or the splits change."""
    key = (state.certificate.id, factor, tuple(bk.prices.cp))
    if bk.ceilings_for != key:
        out = []
        for series in bk.prices.cp:
            c = state.stock_class(series)
            if c is not None and c.conversion_price is not None:
                out.append((series, c.conversion_price / factor))
        bk.ceilings = (tuple(out), max((x for _, x in out), default=None))
        bk.ceilings_for = key
    return bk.ceilings


def _candidate_series(
    state: State,
    bk: AntiDilutionBook,
    day: dt.date,
    price: Fraction,
    factor: Fraction | None = None,
) -> tuple[str, ...]:
    """Series for which an issuance at `price` on `day` may be dilutive: after the series'
    Purchase Date and below the highest price the series could have (its initial price, over
    the splits of the common before then: `factor`, by default all so far)."""
    ceilings, highest = _ceilings(state, bk, bk.factor if factor is None else factor)
    if highest is None or not below(price, highest):
        return ()
    out = []
    for series, ceiling in ceilings:
        pd = state.purchase_dates.get(series)
        if pd is not None and pd < day and below(price, ceiling):
            out.append(series)
    return tuple(out)


def _add_point(state: State, p: Point) -> None:
    ad = terms_of(state)
    assert ad is not None
    bk = book(state)
    p.base_units = bk.base_units
    p.preferred = _preferred_snapshot(state, bk)
    p.snapshot = bk.prices.copy()
    bk.points.append(p)
    bk.seqs.append(p.seq)
    changes: list[tuple[str, PriceChange]] = []
    evaluate(
        ad,
        bk.prices,
        p,
        reading(state, CARRY_FORWARD) == "cumulative",
        changes,
        reading(state, PRECISION) == "micro",
    )
    _record(state, changes)


def _next_seq(bk: AntiDilutionBook) -> int:
    bk.seq += 1
    return bk.seq


def _issuance(
    state: State,
    e_label: str,
    day: dt.date,
    common: Fraction,
    consideration: Fraction,
    additional: bool,
) -> Point | None:
    """Record an issuance (actual or deemed) of `common` shares for `consideration` in all;
    a point of the timeline when it may be dilutive."""
    bk = book(state)
    if not additional or common.numerator <= 0:
        _next_seq(bk)
        return None
    price = consideration / common
    series = _candidate_series(state, bk, day, price)
    if series:
        catch_up_a(state, day)  # A counts what vested of the excepted grants by now
    seq = _next_seq(bk)
    if not series:
        return None
    p = Point(seq, day, e_label, _in_base(bk, common), bk.factor, price=price, series=series)
    _add_point(state, p)
    return p


def recompute_from(
    state: State,
    seq: int,
    reduce_after: Fraction,
    e_label: str,
    day: dt.date,
    subclause: str = "(4)",
) -> None:
    """Recompute the prices from the first point at or after `seq`, with `reduce_after` fewer
    base units in A for every point after `seq` (Art. IV.B.3(d)(i)(E)(3)-(5)); the changes
    cite the `subclause` of (E) that called for it: (4) an expiry, (3) a change of terms."""
    ad = terms_of(state)
    assert ad is not None
    bk = book(state)
    if reduce_after:
        bk.a_changes.append((seq, reduce_after, bk.seq))
    idx = bisect.bisect_left(bk.seqs, seq)
    if idx == len(bk.points):
        return
    cumulative = reading(state, CARRY_FORWARD) == "cumulative"
    micro = reading(state, PRECISION) == "micro"
    first = bk.points[idx].snapshot
    assert first is not None
    prices = first.copy()
    reduce = reduce_after != 0
    for p in bk.points[idx:]:
        if reduce and p.seq > seq:
            p.base_units -= reduce_after
        settle_due(ad, prices, p.date, None)
        p.snapshot = prices.copy()
        evaluate(ad, prices, p, cumulative, None, micro)
    settle_due(ad, prices, day, None)
    old = bk.prices
    bk.prices = prices
    cite = ad.options_citation or ad.citation
    changes = [
        (
            s,
            PriceChange(
                day,
                e_label,
                "recomputed",
                old.cp[s],
                prices.cp[s],
                cite + subclause,
                carried_forward=prices.carried_total(s),
            ),
        )
        for s in prices.cp
        if prices.cp[s] != old.cp[s] or prices.carried_total(s) != old.carried_total(s)
    ]
    if changes:
        _record(state, changes)


# --- exceptions to "Additional Stock" ((ii)(A)-(K)) -----------------------------------------


def find_exclusion(state: State, name: str) -> Exclusion:
    ad = terms_of(state)
    assert ad is not None
    for x in ad.exclusions:
        if x.name == name:
            return x
    names = ", ".join(x.name for x in ad.exclusions)
    raise Rejected(
        f"{name!r} is not an exception to Additional Stock under the terms in force "
        f"(the exceptions are: {names})",
        "exclusion",
        ad.citation,
    )


_EMPLOYEES = frozenset(("employee", "consultant", "director"))


def _is_employee(state: State, holder: str) -> bool:
    s = state.stakeholders.get(holder)
    return s is not None and not _EMPLOYEES.isdisjoint(s.relations)


def check_exclusion(state: State, e: Issue | Grant) -> None:
    """An `issue` or `grant` naming an exception must fall within it (Art. IV.B.3(d)(ii))."""
    if e.exclusion is None or terms_of(state) is None:
        return
    x = find_exclusion(state, e.exclusion)
    if x.kind in ("split-or-dividend", "conversion"):
        kind = "split or dividend" if x.kind == "split-or-dividend" else "convert"
        raise Rejected(
            f"{_claim(e, x)} such securities are recorded by the {kind} event itself, "
            f"not by an {e.type}",
            "exclusion",
            x.citation,
        )
    if x.kind == "rights-to-excluded" and not isinstance(e, Grant):
        raise Rejected(
            f"{_claim(e, x)} it covers rights, options and warrants only",
            "exclusion",
            x.citation,
        )
    if x.kind in ("board-approved", "rights-to-excluded"):
        _check_board_approved(state, e, x)
    if x.kind == "employee-plan":
        _check_employee_plan(state, e, x)
    if x.kind == "named-security":
        _check_named(state, e, x)


def _what(e: Issue | Grant) -> str:
    return f"{e.type} {e.id or ''}".strip()


def _claim_of(what: str, x: Exclusion) -> str:
    """The start of a refusal: the event claims the exception, but ... (made only when
    refusing: the checks run for every excepted issuance and grant)."""
    return f"{what} claims exception {x.name} ({x.citation}), but"


def _claim(e: Issue | Grant, x: Exclusion) -> str:
    return _claim_of(_what(e), x)


def _check_board_approved(state: State, e: Issue | Grant, x: Exclusion) -> None:
    """(D)-(F) except securities only "if such issuance is approved by the Board of Directors"
    ((D): "in each such instance, approved by the Board"); (G) excepts rights to acquire
    securities excluded under (D)-(F), so its grant names the board's approval of one of those.
    The claim names a `board_approval` recorded on or before it that approves that exception."""
    ad = terms_of(state)
    assert ad is not None
    approvable = (
        [x.name]
        if x.kind == "board-approved"
        else [y.name for y in ad.exclusions if y.kind == "board-approved"]
    )
    wanted = " or ".join(approvable)
    if e.board_approval is None:
        raise Rejected(
            f"{_claim(e, x)} it names no approval of the board: record the board's resolution (a "
            f"board_approval event approving {wanted}) and name it in board_approval",
            "board_approval",
            x.citation,
        )
    act = board.recorded_approval(state, e.board_approval, _what(e))
    if not set(act.approves) & set(approvable):
        raise Rejected(
            f"{_claim(e, x)} board approval {act.id} approves {', '.join(act.approves)}, not {wanted}",
            "board_approval",
            x.citation,
        )


def _check_employee_plan(state: State, e: Issue | Grant, x: Exclusion) -> None:
    if state.stock_class(e.class_) is not state.certificate.common:
        raise Rejected(
            f"{_claim(e, x)} it covers common stock only, not {e.class_}",
            "exclusion",
            x.citation,
        )
    if not _is_employee(state, e.holder):
        raise Rejected(
            f"{_claim(e, x)} {e.holder} is not an employee, consultant or director of the company",
            "holder",
            x.citation,
        )
    plan = e.plan if isinstance(e, Grant) else None
    if plan is None:
        if reading(state, DIRECT_EMPLOYEE_ISSUANCE) == "needs-approved-plan":
            raise Rejected(
                f"{_claim(e, x)} it names no plan, and under the reading "
                "employee-direct-issuance=needs-approved-plan only grants under an approved "
                "plan are excepted",
                "plan",
                x.citation,
            )
        return
    why = book(state).plans_excepted.get(plan)
    if why:
        raise Rejected(f"{_claim(e, x)} plan {plan} {why}", "plan", x.citation)


def _check_named(state: State, e: Issue | Grant, x: Exclusion) -> None:
    if not isinstance(e, Grant) or (x.instrument is not None and e.kind != x.instrument):
        raise Rejected(
            f"{_claim(e, x)} that exception names {x.instrument}s only",
            "exclusion",
            x.citation,
        )
    if x.of_class is not None and e.class_ != x.of_class:
        raise Rejected(
            f"{_claim(e, x)} the named {x.instrument}s are for {x.of_class}, not {e.class_}",
            "class",
            x.citation,
        )
    if x.date is not None:
        tolerance = x.date_tolerance_days if reading(state, ON_OR_ABOUT) == "tolerance" else 0
        if abs((e.date - x.date).days) > tolerance:
            within = f" (within {tolerance} days)" if tolerance else ""
            raise Rejected(
                f"{_claim(e, x)} it is dated {e.date.isoformat()}, "
                f"not {x.date.isoformat()}{within}",
                "date",
                x.citation,
            )
    _require_named_room(state, x, _what(e), e.shares)


def _require_named_room(state: State, x: Exclusion, what: str, more: int) -> None:
    """A named security is excepted for its count ((ii)(H)-(K)) and no more."""
    if x.shares is not None:
        claimed = book(state).named_claimed.get(x.name, 0)
        if claimed + more > x.shares:
            raise Rejected(
                f"{_claim_of(what, x)} that exception covers {x.shares:,} shares in all and "
                f"{claimed + more:,} would be claimed",
                "shares",
                x.citation,
            )


def apply_adopt_plan(state: State, e: AdoptPlan) -> None:
    """Whether grants under the plan are excepted by (ii)(B): adopted before the Purchase Date
    of one series, or after another's with the approval of a group of holders."""
    ad = terms_of(state)
    if ad is None:
        return
    windows = [w for x in ad.exclusions if x.kind == "employee-plan" for w in x.plan_windows]
    if not windows:
        return
    reasons = []
    for w in windows:
        if w.approved_before_purchase_of is not None:
            pd = state.purchase_dates.get(w.approved_before_purchase_of)
            if pd is None or e.date < pd:
                book(state).plans_excepted[e.id] = ""
                return
            reasons.append(
                f"was adopted on or after the {w.approved_before_purchase_of} Purchase Date ({pd.isoformat()})"
            )
        if w.approved_after_purchase_of is not None:
            pd = state.purchase_dates.get(w.approved_after_purchase_of)
            if pd is None or e.date <= pd:
                reasons.append(
                    f"was not adopted after the {w.approved_after_purchase_of} Purchase Date"
                )
                continue
            if w.requires is not None:
                group = w.requires.group
                total = sum(state.outstanding.get(c, 0) for c in group)
                consents = {h for a in e.approvals for h in a.consents}
                yes = sum(state.held(h, c) for h in consents for c in group)
                need = w.requires.fraction * total
                if not (yes > need if w.requires.strictly_more else yes >= need):
                    reasons.append(
                        f"lacks the approval of {'more than' if w.requires.strictly_more else 'at least'} "
                        f"{w.requires.fraction} of {', '.join(group)} ({yes:,} of {total:,} shares consented)"
                    )
                    continue
            book(state).plans_excepted[e.id] = ""
            return
    book(state).plans_excepted[e.id] = "; ".join(reasons)


# --- event handlers ---------------------------------------------------------------------------


def check_issue(state: State, e: Issue) -> None:
    board.check_reference(state, e)
    check_exclusion(state, e)


def apply_issue(state: State, e: Issue) -> None:
    """An issuance of common, or of preferred (a convertible security deemed to issue its
    common, (E)(2)), for cash before expenses plus non-cash at the board's value ((C)-(D))."""
    if terms_of(state) is None:
        return
    consideration = Fraction(e.price) * e.shares
    if e.non_cash_value:
        consideration += Fraction(e.non_cash_value)
    _class_issuance(
        state, label(e, state), e.date, e.class_, e.shares, consideration, e.exclusion is None
    )


def _class_issuance(
    state: State,
    e_label: str,
    day: dt.date,
    class_id: str,
    shares: int,
    consideration: Fraction,
    not_excepted: bool,
) -> None:
    """`shares` of a class issued for `consideration` in all: common counts in A from now;
    preferred is a convertible security deemed to issue its Common ((E)(2)) and counts in A as
    preferred once outstanding."""
    bk = book(state)
    c = state.stock_class(class_id)
    assert c is not None
    is_common = c.kind == "common"
    common = Fraction(shares) if is_common else state.conversion_ratio(class_id) * shares
    additional = not_excepted and (is_common or not _conversion_excludes(state))
    _issuance(state, e_label, day, common, consideration, additional)
    if is_common:
        bk.base_units += _in_base(bk, common)


# --- SAFEs and convertible notes ((E)(2)) ----------------------------------------------------


def apply_issue_convertible(state: State, e: IssueConvertible) -> None:
    """At issue, under the reading antidilution-convertible-instruments=at-issue, the Common
    the valuation cap implies against the capitalization that day (amount / (cap /
    capitalization)) is deemed issued for the purchase amount or principal ((E)(2)); by
    default nothing is deemed issued until the instrument converts."""
    if terms_of(state) is None or e.valuation_cap is None:
        return
    if reading(state, CONVERTIBLE_INSTRUMENTS) != "at-issue":
        return
    capitalization = convertibles.company_capitalization(state)
    if not capitalization:
        return
    common = Fraction(e.amount) * capitalization / Fraction(e.valuation_cap)
    bk = book(state)
    _issuance(state, label(e, state), e.date, common, Fraction(e.amount), True)
    units = _in_base(bk, common)
    bk.convertibles[e.id] = units
    bk.base_units += units


def apply_convert_convertible(state: State, e: ConvertConvertible) -> None:
    """Each instrument's shares of the round's class (fixed by `convertibles`, not yet
    delivered) deemed issued at its conversion for the consideration received for it, accrued
    interest excluded ((E)(2); the reading
    antidilution-convertible-instruments). What was deemed issued at issue makes no further
    adjustment ((E)(3)): only the Common beyond it is deemed issued now, for nothing more."""
    if terms_of(state) is None:
        return
    bk = book(state)
    e_label = label(e, state)
    ratio = state.conversion_ratio(e.class_)
    for cid in e.convertibles:
        c, deemed = state.convertibles[cid], bk.convertibles.pop(cid, None)
        n = c.shares
        if deemed is None:
            _class_issuance(state, e_label, e.date, e.class_, n, c.amount, True)
            continue
        beyond = ratio * n - deemed * bk.factor
        if beyond > 0:
            _issuance(state, e_label, e.date, beyond, ZERO, True)
        bk.base_units -= deemed  # from now counted as what it converted into
        cls = state.stock_class(e.class_)
        if cls is not None and cls.kind == "common":
            bk.base_units += _in_base(bk, Fraction(n))


def _conversion_excludes(state: State) -> bool:
    """Whether the Common deemed issued with new preferred is excluded as "securities issuable
    upon the conversion of" the preferred (the reading antidilution-preferred-issuance)."""
    ad = terms_of(state)
    if ad is None or not any(x.kind == "conversion" for x in ad.exclusions):
        return False
    return reading(state, PREFERRED_ISSUANCE) == "excluded"


def check_grant(state: State, e: Grant) -> None:
    board.check_reference(state, e)
    check_exclusion(state, e)


def exercisable_at_grant(e: Grant) -> int:
    """Shares of a grant exercisable on its date: all of it, unless it vests on a schedule
    without early exercise."""
    if not isinstance(e.vesting, Vesting) or e.vesting.early_exercise:
        return e.shares
    return vesting.by_time(vesting.schedule_of(e.vesting, e.date), e.shares, e.date)


def apply_grant(state: State, e: Grant) -> None:
    """Options, warrants and rights: their maximum common deliverable "(to the extent then
    exercisable)" deemed issued at grant for the minimum total consideration ((E)(1)-(2)); the
    rest as it becomes exercisable, under the reading antidilution-unexercisable-options."""
    if terms_of(state) is None:
        return
    bk = book(state)
    ratio = state.conversion_ratio(e.class_)
    now = exercisable_at_grant(e)
    common = Fraction(now) if ratio == 1 else ratio * now
    additional = e.exclusion is None
    price = Fraction(e.exercise_price)
    point = _issuance(state, e.id, e.date, common, price * now if additional else ZERO, additional)
    in_a = reading(state, OPTIONS_IN_A) == "deemed-issued" and (
        additional or reading(state, EXCEPTED_OPTIONS_IN_A) == "count"
    )
    units = _in_base(bk, common)
    bk.grants[e.id] = GrantDeemed(
        seq=bk.seq,
        class_id=e.class_,
        units_per_share=_in_base(bk, ratio),
        class_factor=state.split_factors.get(e.class_, ONE),
        in_a=in_a,
        point=point,
        origin=_origin(state, bk) if point is None and additional else None,
        additional=additional,
        deemed=now,
        parts=[Part(bk.seq, units, point)],
    )
    if in_a:
        bk.base_units += units
    if e.exclusion is not None:
        bk.named_claimed[e.exclusion] = bk.named_claimed.get(e.exclusion, 0) + e.shares
    if now < e.shares and reading(state, UNEXERCISABLE) == "as-exercisable":
        assert isinstance(e.vesting, Vesting)
        first = vesting.next_installment(vesting.schedule_of(e.vesting, e.date), e.date)
        if first is not None:
            heapq.heappush(bk.vesting_due if additional else bk.a_due, (first, e.id))


def _in_base(bk: AntiDilutionBook, common: Fraction) -> Fraction:
    """Shares of common now in units of common before every later split (the book's base)."""
    return common if bk.factor == 1 else common / bk.factor


def _units(state: State, gd: GrantDeemed, shares: int) -> Fraction:
    """Base units of `shares` of a grant as it stands now (after splits of its class)."""
    now = state.split_factors.get(gd.class_id, ONE)
    return gd.units_per_share * shares * gd.class_factor / now


def apply_exercise(state: State, e: Exercise) -> None:
    """No further adjustment on exercise of what was deemed issued ((E)(3)); A counts the
    shares once. Shares exercised that were never deemed issued (the reading
    antidilution-unexercisable-options=never) are an actual issue at the exercise price."""
    if terms_of(state) is None or state.antidilution_book is None:
        return
    bk = state.antidilution_book
    gd = bk.grants.get(e.grant)
    g = state.grants.get(e.grant)
    if gd is None or g is None:
        return
    if _deemed_as_exercisable(state, gd, g):
        deem_exercisable(state, e.grant, e.date)
    fresh = max(g.exercised + e.shares - gd.deemed, 0) - max(g.exercised - gd.deemed, 0)
    deemed = e.shares - fresh
    c = state.stock_class(gd.class_id)
    is_common = c is not None and c.kind == "common"
    if is_common and not gd.in_a:
        bk.base_units += _units(state, gd, deemed)
    if not is_common and gd.in_a:  # the preferred issued now counts in A as preferred
        bk.base_units -= _units(state, gd, deemed)
    if fresh:
        units = _units(state, gd, fresh)
        consideration = g.exercise_price * fresh if gd.additional else ZERO
        _issuance(state, label(e, state), e.date, units * bk.factor, consideration, gd.additional)
        if is_common:
            bk.base_units += units


def apply_expire(state: State, e: Expire) -> None:
    """On expiry the prices are recomputed as if only the shares actually issued had been
    deemed issued ((E)(4)-(5))."""
    g = state.grants.get(e.grant)
    if g is not None:
        lapse(
            state,
            e.grant,
            e.shares if e.shares is not None else g.outstanding,
            label(e, state),
            e.date,
        )


def lapse(state: State, grant: str, shares: int, e_label: str, day: dt.date) -> None:
    """`shares` of a grant lapse (an `expire`, or options lapsing when service ends): the
    prices are recomputed as if only the shares actually issued had been deemed issued
    ((E)(4)-(5)). The unvested lapse first, and only shares deemed issued change anything;
    their parts are undone from the last."""
    if terms_of(state) is None or state.antidilution_book is None or not shares:
        return
    bk = state.antidilution_book
    gd = bk.grants.get(grant)
    g = state.grants.get(grant)
    if gd is None or g is None:
        return
    if _deemed_as_exercisable(state, gd, g):
        deem_exercisable(state, grant, day)
    deemed_out = max(gd.deemed - g.exercised - gd.lapsed, 0)
    lapsing = max(shares - (g.outstanding - deemed_out), 0)
    if not lapsing:
        return
    gd.lapsed += lapsing
    left = _units(state, gd, lapsing)
    for part in reversed(gd.parts):
        if not left:
            break
        take = min(part.units, left)
        if not take:
            continue
        part.units -= take
        left -= take
        if part.point is not None:
            part.point.units -= take
        reduce_after = take if gd.in_a else ZERO
        bk.base_units -= reduce_after
        if part.point is not None or gd.in_a:
            recompute_from(state, part.seq, reduce_after, e_label, day)


# --- changes of terms ((E)(3), (5)) ---------------------------------------------------------


def _origin(state: State, bk: AntiDilutionBook) -> Origin:
    catch_up_a(state, state.as_of or dt.date.min)
    return Origin(
        bk.base_units,
        bk.factor,
        tuple(map(state.outstanding.get, bk.prices.cp)),
        tuple(map(state.split_factors.get, bk.prices.cp)),
    )


def check_amend(state: State, e: GrantAmend) -> None:
    """A named security excepted by its count ((ii)(H)-(K)) cannot grow beyond that count. A
    grant deemed issued in parts as it vested is not recomputed by (E)(3) here: refused."""
    gd = None if state.antidilution_book is None else state.antidilution_book.grants.get(e.grant)
    ad = terms_of(state)
    if gd is not None and ad is not None and len(gd.parts) > 1:
        raise Rejected(
            f"grant {e.grant} was deemed issued in {len(gd.parts)} parts as it vested (reading "
            "antidilution-unexercisable-options); charter does not recompute a change of its "
            "terms part by part",
            "grant",
            (ad.options_citation or ad.citation) + "(3)",
        )
    g = state.grants.get(e.grant)
    if g is None or g.exclusion is None or e.shares is None or terms_of(state) is None:
        return
    x = find_exclusion(state, g.exclusion)
    more = e.shares - g.granted
    if x.kind == "named-security" and more > 0:
        _require_named_room(state, x, f"grant {g.id}", more)


def apply_amend(state: State, e: GrantAmend) -> None:
    """A change in the number of shares deliverable or the consideration payable under an
    option, warrant or convertible security: "the Conversion Prices ..., to the extent in any
    way affected by or computed using such options, rights or securities, shall be recomputed
    to reflect such change" ((E)(3)), and "the number of shares of Common Stock deemed issued
    and the consideration deemed paid therefor pursuant to subsections 3(d)(i)(E)(1) and
    3(d)(i)(E)(2) shall be appropriately adjusted to reflect any change" ((E)(5)).

    By default (reading option-change-recompute=from-issue) the grant's point on the timeline
    takes the changed terms, as if they had applied since it was issued: the shares deemed
    issued become those exercised and those now outstanding, the consideration that paid on
    exercise plus the outstanding shares at the new price; the prices are recomputed from that
    point (`recompute_from`, not the whole history). The recomputation may raise a price:
    3(d)(i)(B) forbids a rise "except to the limited extent provided for in subsections
    3(d)(i)(E)(3) and 3(d)(i)(E)(4)", and (E)(3) sets no further limit (no "no readjustment
    above ..." proviso); a price recomputed from the issue can never exceed the one the
    history would have given without the grant, since a grant at or above a price adjusts
    nothing."""
    if terms_of(state) is None or state.antidilution_book is None:
        return
    bk = state.antidilution_book
    gd, g = bk.grants.get(e.grant), state.grants.get(e.grant)
    if gd is None or g is None:
        return
    old_q = g.exercise_price
    new_q = old_q if e.exercise_price is None else Fraction(e.exercise_price)
    old_out = g.outstanding
    new_out = old_out if e.shares is None else e.shares - g.exercised - g.expired
    if g.exclusion is not None and e.shares is not None:
        bk.named_claimed[g.exclusion] = bk.named_claimed.get(g.exclusion, 0) + e.shares - g.granted
    if reading(state, OPTION_CHANGE) == "from-issue":
        _change_from_issue(
            state, gd, g, (old_out, old_q), (new_out, new_q), label(e, state), e.date
        )
    else:
        _change_as_new_issuance(state, gd, g, old_out, (new_out, new_q), label(e, state), e.date)


def _change_from_issue(
    state: State,
    gd: GrantDeemed,
    g: GrantState,
    old: tuple[int, Fraction],
    new: tuple[int, Fraction],
    e_label: str,
    day: dt.date,
) -> None:
    bk = book(state)
    p = gd.point if gd.point is not None else _place_at_issue(state, gd, g)
    delta = _units(state, gd, new[0] - old[0])
    if p is not None:
        consideration = p.units * p.factor * p.price - old[0] * old[1] + new[0] * new[1]
        p.units += delta
        p.price = consideration / (p.units * p.factor) if p.units else Fraction(0)
        p.series = _candidate_series(state, bk, p.date, p.price, p.factor)
    reduce_after = -delta if gd.in_a else Fraction(0)
    bk.base_units -= reduce_after
    if p is not None or reduce_after:
        recompute_from(state, gd.seq, reduce_after, e_label, day, "(3)")


def _place_at_issue(state: State, gd: GrantDeemed, g: GrantState) -> Point | None:
    """The point a grant without one would have had when issued, from its `Origin`: the
    shares exercised or outstanding at the price of the grant, with A and the prices as they
    stood just before it."""
    if gd.origin is None:
        return None
    bk = book(state)
    o = gd.origin
    shares = g.granted - g.expired
    units = _units(state, gd, shares)
    p = Point(
        gd.seq,
        g.date,
        g.id,
        units,
        o.factor,
        price=shares * g.exercise_price / (units * o.factor) if units else Fraction(0),
        base_units=o.base_units
        - sum((u for q, u, when in bk.a_changes if q < gd.seq <= when), Fraction(0)),
        preferred=_preferred_then(state, bk, o),
    )
    idx = bisect.bisect_left(bk.seqs, gd.seq)
    p.snapshot = _prices_before(state, idx, g.date)
    bk.points.insert(idx, p)
    bk.seqs.insert(idx, gd.seq)
    gd.point = p
    return p


def _preferred_then(
    state: State, bk: AntiDilutionBook, o: Origin
) -> tuple[tuple[str, int, Fraction], ...]:
    """The preferred part of A as `_preferred_snapshot` would have taken it at the origin."""
    out = []
    for class_id, n, split in zip(bk.prices.cp, o.outstanding, o.splits, strict=True):
        c = state.stock_class(class_id)
        oip = None if c is None else issue_price_at(c, split)
        if n and oip is not None:
            out.append((class_id, n, oip))
    return tuple(out)


def _prices_before(state: State, idx: int, day: dt.date) -> Prices:
    """The prices just before a point placed at `idx` of the timeline on `day`: the previous
    point applied to its own prices, and what fell due by `day`; before any point, the
    prices the book opened with (nothing can have changed them)."""
    ad = terms_of(state)
    assert ad is not None
    bk = book(state)
    if idx == 0:
        first = bk.points[0].snapshot if bk.points else bk.prices
        assert first is not None
        return first.copy()
    prev = bk.points[idx - 1]
    assert prev.snapshot is not None
    prices = prev.snapshot.copy()
    cumulative = reading(state, CARRY_FORWARD) == "cumulative"
    evaluate(ad, prices, prev, cumulative, None, reading(state, PRECISION) == "micro")
    settle_due(ad, prices, day, None)
    return prices


def _change_as_new_issuance(
    state: State,
    gd: GrantDeemed,
    g: GrantState,
    old_out: int,
    new: tuple[int, Fraction],
    e_label: str,
    day: dt.date,
) -> None:
    """Reading option-change-recompute=at-change: the outstanding part on its old terms is
    recomputed away as on an expiry ((E)(4)), then deemed issued anew on the changed terms on
    the date of the change ((E)(1)-(2))."""
    bk = book(state)
    old_units = _units(state, gd, old_out)
    if gd.point is not None:
        gd.point.units -= old_units
    reduce_after = old_units if gd.in_a else Fraction(0)
    bk.base_units -= reduce_after
    if gd.point is not None or reduce_after:
        recompute_from(state, gd.seq, reduce_after, e_label, day, "(3)")
    new_units = _units(state, gd, new[0])
    gd.point = _issuance(
        state, e_label, day, new_units * bk.factor, new[0] * new[1], g.exclusion is None
    )
    gd.seq = bk.seq
    if gd.in_a:
        bk.base_units += new_units


def apply_split(state: State, e: Split) -> None:
    """A split or combination of the common moves every Conversion Price in proportion
    ((iii)-(iv)); of a series, its per-share amounts are as adjusted."""
    ratio = parse_ratio(e.ratio)
    state.split_factors[e.class_] = state.split_factors.get(e.class_, ONE) * ratio
    if state.antidilution_book is not None:
        for gd in state.antidilution_book.grants.values():
            if gd.class_id == e.class_ and gd.deemed:
                gd.deemed = nearest_whole_share(gd.deemed * ratio)
                gd.lapsed = nearest_whole_share(gd.lapsed * ratio)
    c = state.stock_class(e.class_)
    if terms_of(state) is None or c is None or c.kind != "common":
        return
    _common_split(state, e.record_date or e.date, label(e, state), ratio)


def _common_split(
    state: State, day: dt.date, e_label: str, ratio: Fraction, recapitalization: bool = False
) -> None:
    bk = book(state)
    p = Point(_next_seq(bk), day, e_label, Fraction(0), bk.factor, split=ratio)
    p.recapitalization = recapitalization
    bk.factor *= ratio
    _add_point(state, p)


def apply_recapitalization(state: State, e: Recapitalization, common_ratio: Fraction) -> None:
    """The Common's part of a recapitalization (3(f)): "appropriate adjustment shall be made
    ... (including adjustment of the Conversion Price then in effect and the number of shares
    purchasable upon conversion ...)" -- each Conversion Price moves as for a split of the
    Common by the number of Common each share becomes; the per-share prices "as adjusted for
    ... recapitalization" (the Series E Price, the $11.00) with it."""
    common = state.certificate.common.id
    state.split_factors[common] = state.split_factors.get(common, Fraction(1)) * common_ratio
    if terms_of(state) is not None and common_ratio != 1:
        _common_split(state, e.record_date or e.date, label(e, state), common_ratio, True)


def apply_dividend(state: State, e: Dividend) -> None:
    """A dividend of common on the common is a subdivision for the Conversion Prices
    ((iii)); a non-cash dividend's record date needs notice to the preferred (4)."""
    record_date = e.record_date or e.date
    if e.kind != "cash":
        note_record(
            state,
            e.date,
            label(e, state),
            e.kind,
            record_date,
            {k: Fraction(v) for k, v in e.per_share.items()},
        )
    common = state.certificate.common.id
    if e.kind == "stock" and common in e.per_share and terms_of(state) is not None:
        _common_split(state, record_date, label(e, state), 1 + Fraction(e.per_share[common]))


def apply_common_change(state: State, common_shares: int) -> None:
    """Common issued on conversion, or repurchased: A changes, nothing is adjusted
    ((ii)(C))."""
    if terms_of(state) is None:
        return
    bk = book(state)
    bk.base_units += _in_base(bk, Fraction(common_shares))
