"""The liquidation waterfall: who receives what of one exit value (Art. IV.B.2, IV.B.3(a)).

The order comes from the terms, not from this code: the liquidation preferences by `tier`
(1 most senior; equal tiers pari passu, ratably to the full preferential amounts when short,
Art. IV.B.2(a)), then participation as converted up to each class's cap and the remainder to
common (Art. IV.B.2(b)). The holders' choices are found, not asked: each class convertible at
its holders' option converts when converting pays it more; a group of series that converts on
its own election (Art. IV.B.3(a)) converts when the holders of the required part of its shares
would each gain by it; options and warrants are exercised when in the money, the exercise
price joining the proceeds. The choices returned are an equilibrium: no one of them would gain
by choosing otherwise, and a decision-maker who is indifferent does not convert.

Speed: everything is aggregated by class (a handful of numbers) and only the final amounts
are spread over the holders.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import cached_property

import msgspec
from msgspec.structs import replace

from charter.errors import CharterError, Problem
from charter.explain import Trace, interpretation
from charter.numbers import allocate_cents_over, money, per_share
from charter.rules import convertibles as convertibles_rules
from charter.rules.deemed_liquidation import ExitEvent, exit_event
from charter.rules.unvested_at_exit import GrantAtExit, grants_at_exit
from charter.state.adjusted_terms import adjusted_terms
from charter.state.conversion import cash_per_share, common_on_conversion, shortfall_citation
from charter.state.dividends import declared_unpaid
from charter.state.model import State
from charter.terms.model import StockClass

CASH_AMOUNT_PRIORITY = interpretation(
    id="cash-amount-priority",
    question=(
        "When a group of series elects to convert into common and a right to receive cash in a "
        "liquidation, where do the Cash Amounts rank against the liquidation preferences?"
    ),
    citation="Art. IV.B.3(a); Art. IV.B.2(a)",
    quote=(
        "convertible, at any time upon the election of the holders of at least a majority of the "
        "then-outstanding shares of Series A Preferred, Series B Preferred Stock, Series C "
        "Preferred Stock and Series D Preferred Stock, voting together as a single class, into "
        'shares of Common Stock and a right to receive cash ... (the "Series A Cash Amount")\n'
        "the holders of Series F Preferred Stock shall be entitled to receive, prior and in "
        "preference to any distribution of any of the assets of this corporation to the holders "
        "of the Series A Preferred Stock, Series B Preferred Stock, Series C Preferred Stock, "
        "Series D Preferred Stock, Series E Preferred Stock and Common Stock by reason of their "
        "ownership thereof"
    ),
    readings={
        "before-all-preferences": (
            "the Cash Amounts are a debt of the corporation to the former holders, paid before "
            "any liquidation preference (before the Series F preference)"
        ),
        "after-senior-preferences": (
            "the Cash Amounts rank after the preferences senior to the converting series' own "
            "(after the Series F preference) and before the preferences of their own tier "
            "(before the Series A-E preferences)"
        ),
        "beside-own-preferences": (
            "the Cash Amounts take the place of the converting series' own preferences: pari "
            "passu with the preferences of that tier (beside the Series E preference, ratably "
            "when short)"
        ),
    },
    default="beside-own-preferences",
    argument=(
        "The Cash Amount is paid on the conversion of Series A-D shares, that is by reason of "
        "the holders' ownership of those shares, and Art. IV.B.2(a) puts the Series F "
        "preference before any distribution to Series A-D holders by reason of their ownership: "
        "ranking the Cash Amounts before all preferences would let Series A-D jump the Series F "
        "preference by electing to convert. Ranking them after the Series F preference but "
        "before Series E would subordinate Series E to a claim it was never made junior to, "
        "since Art. IV.B.2(a) makes Series A-E pari passu. The reading that keeps every "
        "priority the certificate wrote is that each Cash Amount (a little less than the "
        "preference it replaces: $0.925 for $1.00) stands where the preference it replaces "
        "stood, shared ratably with the other preferences of that tier when funds are short."
    ),
)

OWED_CASH_PRIORITY = interpretation(
    id="owed-cash-amount-priority",
    question=(
        "Cash Amounts that an earlier conversion made due and that were not paid for want of "
        "legally available funds: where do they rank in a later liquidation?"
    ),
    citation="Art. IV.B.3(c); Art. IV.B.2(a)",
    quote=(
        "If the funds of this corporation legally available for payment of the total Cash "
        "Amounts upon conversion ... are insufficient at the time of such conversion ... "
        "thereafter, when additional funds of this corporation become legally available for "
        "payment of the remaining portion of such total Cash Amounts, such funds shall be "
        "applied ratably to the payment of such remaining Cash Amounts until it is paid in "
        "full.\n"
        "the holders of Series F Preferred Stock shall be entitled to receive, prior and in "
        "preference to any distribution of any of the assets of this corporation to the holders "
        "of the Series A Preferred Stock ... by reason of their ownership thereof"
    ),
    readings={
        "before-all-preferences": (
            "what is owed is a debt of the corporation to the former holders, due since the "
            "conversion: paid from the proceeds before any liquidation preference (ratably "
            "among them when short)"
        ),
        "as-cash-amount-priority": (
            "what is owed ranks where a Cash Amount of its series made due in the liquidation "
            "itself would rank (the reading cash-amount-priority); before all preferences when "
            "the certificate in force has no preference left"
        ),
        "after-all-preferences": (
            "what is owed is paid after every liquidation preference and before anything is "
            "shared as converted"
        ),
    },
    default="before-all-preferences",
    argument=(
        "The conversion has happened: the holders no longer hold the series, so a payment "
        "of what is owed is not a distribution to them 'by reason of their ownership' of it, "
        "which is all the Series F preference comes before. The Cash Amount became due at the "
        "conversion, 'payable ... within ten calendar days', and 3(c) only postpones its "
        "payment until funds are legally available; the proceeds of a liquidation are such "
        "funds, and a corporation pays what it owes before it distributes to its stockholders. "
        "The reasoning of cash-amount-priority (a conversion elected in the liquidation must "
        "not jump the Series F preference) does not reach an amount that fell due before the "
        "liquidation began; 'as-cash-amount-priority' is offered for those who treat the "
        "right as remaining a right of the series, and 'after-all-preferences' for those who "
        "treat it as equity subordinated to every preference. Under each, what was paid at "
        "the conversion or later is never paid again: the claim is what is still owed."
    ),
)

UNDECLARED_DIVIDENDS = interpretation(
    id="undeclared-unpaid-dividends",
    question=(
        'What do "undeclared but unpaid dividends" add to a liquidation preference when the '
        "dividends are non-cumulative?"
    ),
    citation="Art. IV.B.2(a); Art. IV.B.1(a)",
    quote=(
        "an amount per share equal to $8.25 ... plus any undeclared but unpaid dividends on "
        "such share\n"
        "The right to such dividends ... shall not be cumulative and no right shall accrue to "
        "holders of shares ... by reason of the fact that dividends on such shares are not "
        "declared in any prior year"
    ),
    readings={
        "declared-unpaid": (
            "the same as the Series A and B preferences: dividends declared by the board and "
            "not yet paid"
        ),
        "nothing": (
            "nothing: under non-cumulative dividends no undeclared dividend is ever owed, so "
            "the words add zero"
        ),
    },
    default="declared-unpaid",
    argument=(
        "Art. IV.B.1(a) says in terms that no right accrues by reason of dividends not being "
        "declared, so an undeclared dividend is never owed and cannot be measured: reading the "
        "words as an accrual at the dividend rate would contradict the dividend clause. Reading "
        "them as adding nothing would make them surplusage and would let a declared but unpaid "
        "dividend on Series C-F vanish in a liquidation although the same clause keeps it for "
        "Series A and B. The reading that gives the words effect without contradicting 1(a) is "
        "that they cover what is unpaid, declared or not, which under non-cumulative dividends "
        "is exactly what was declared and not paid."
    ),
)


# --- the company as the waterfall sees it ----------------------------------------------------


class Seat(msgspec.Struct, frozen=True):
    """One class of stock in the waterfall, with its terms read once (per share)."""

    id: str
    name: str
    is_common: bool
    shares: int  # outstanding (before any exercise)
    ratio: Fraction  # common per share on conversion (1 for common)
    tier: int | None  # liquidation tier; None: no preference
    preference: Fraction  # per share, with the dividends the text adds
    participates: bool
    cap: Fraction | None  # per share; None: uncapped
    cap_includes_preference: bool
    decision: str  # "holder" (each holder may convert), "group", or "none"
    group: str | None
    cash: Fraction  # Cash Amount per share due on conversion, with declared unpaid dividends
    liquidation_citation: str | None
    participation_citation: str | None
    conversion_citation: str | None


class Bucket(msgspec.Struct, frozen=True):
    """The outstanding grants over one class at one exercise price."""

    index: int
    class_id: str
    strike: Fraction
    shares: int
    grants: tuple[tuple[str, str, int], ...]  # (grant id, holder, shares)

    def gain(self, value: Fraction) -> Fraction:
        """What the grants gain by exercising when a share of their class is worth `value`,
        net of the exercise price."""
        return (value - self.strike) * self.shares


class Group(msgspec.Struct, frozen=True):
    """Series that convert together on the election of a part of their shares (3(a))."""

    id: str
    classes: tuple[str, ...]
    fraction: Fraction
    strictly_more: bool
    citation: str


class Profile(msgspec.Struct, frozen=True):
    """The choices: classes converted at their holders' option, groups that elected to
    convert, grant buckets exercised."""

    converted: frozenset[str] = frozenset()
    elected: frozenset[str] = frozenset()
    exercised: frozenset[int] = frozenset()

    def converts(self, seat: Seat) -> bool:
        return seat.id in self.converted or (seat.group is not None and seat.group in self.elected)


class Company(msgspec.Struct):
    """Everything about the company that does not depend on the exit value."""

    as_of: dt.date | None
    seats: list[Seat]
    holdings: dict[str, dict[str, int]]  # class -> holder -> shares
    buckets: list[Bucket]
    groups: list[Group]
    cash_rank: str  # the reading of cash-amount-priority
    trace_readings: dict[str, str]
    common_id: str
    state_readings: dict[str, str] = msgspec.field(default_factory=dict)  # the replay's, for 3(h)
    grants_at_exit: tuple[GrantAtExit, ...] = ()  # which shares of each grant take part, why
    # Cash Amounts owed from earlier conversions (3(c)): class -> holder -> amount
    owed: dict[str, dict[str, Fraction]] = msgspec.field(default_factory=dict)
    owed_rank: str = "before-all-preferences"  # the reading owed-cash-amount-priority
    owed_citation: str | None = None
    adjusted: list[dict[str, object]] = msgspec.field(default_factory=list)  # as_adjusted JSON
    _as_converted: dict[tuple[str, frozenset[int]], int] = msgspec.field(default_factory=dict)
    _shares: dict[tuple[str, frozenset[int]], int] = msgspec.field(default_factory=dict)
    _strikes: dict[frozenset[int], Fraction] = msgspec.field(default_factory=dict)
    _strike_num: list[int] = msgspec.field(default_factory=list)
    memo_respond: dict[tuple[frozenset[str], frozenset[str], Fraction], Profile] = msgspec.field(
        default_factory=dict
    )
    memo_split: dict[tuple[Profile, Fraction], Split] = msgspec.field(default_factory=dict)
    # the ranks of claims (`tiers`) by conversions and the grants exercised over ranked classes
    memo_tiers: dict[tuple[frozenset[str], frozenset[str], frozenset[int]], list[Tier]] = (
        msgspec.field(default_factory=dict)
    )
    _strike_den: int = 1
    ranked_grants: frozenset[int] = frozenset()  # the grants over a class with a rank

    def __post_init__(self) -> None:
        ranked = {s.id for s in self.seats if s.tier is not None}
        self.ranked_grants = frozenset(b.index for b in self.buckets if b.class_id in ranked)
        self._strike_den = math.lcm(1, *(b.strike.denominator for b in self.buckets))
        self._strike_num = [
            b.strike.numerator * (self._strike_den // b.strike.denominator) * b.shares
            for b in self.buckets
        ]

    _blocks: dict[
        tuple[str, frozenset[int]],
        tuple[dict[str, int], dict[tuple[tuple[str, int], ...], int]],
    ] = msgspec.field(default_factory=dict)

    def seat(self, class_id: str) -> Seat:
        return next(s for s in self.seats if s.id == class_id)

    def owed_key(self, class_id: str) -> tuple[int, int]:
        """The rank of what is owed on a series (the reading owed-cash-amount-priority)."""
        tier = next((s.tier for s in self.seats if s.id == class_id), None)
        if self.owed_rank == "after-all-preferences":
            return (max((s.tier for s in self.seats if s.tier is not None), default=0) + 1, -1)
        if self.owed_rank == "as-cash-amount-priority" and tier is not None:
            return _cash_key(self.cash_rank, tier)
        return (0, -1)

    def owed_total(self, class_id: str) -> Fraction:
        return sum(self.owed.get(class_id, {}).values(), Fraction(0))

    def shares(self, seat: Seat, profile: Profile) -> int:
        """Outstanding shares of the class, with the grants over it exercised."""
        key = (seat.id, profile.exercised)
        found = self._shares.get(key)
        if found is None:
            found = seat.shares + sum(
                self.buckets[i].shares
                for i in profile.exercised
                if self.buckets[i].class_id == seat.id
            )
            self._shares[key] = found
        return found

    def holder_shares(self, class_id: str, exercised: Iterable[int]) -> dict[str, int]:
        by = dict(self.holdings.get(class_id, {}))
        for i in exercised:
            b = self.buckets[i]
            if b.class_id == class_id:
                for _, holder, n in b.grants:
                    by[holder] = by.get(holder, 0) + n
        return by

    def as_converted(self, seat: Seat, profile: Profile) -> int:
        """Common the class converts into, rounded per holder and series (Art. IV.B.3(h))."""
        if seat.ratio == 1:
            return self.shares(seat, profile)
        mine = frozenset(i for i in profile.exercised if self.buckets[i].class_id == seat.id)
        key = (seat.id, mine)
        if key not in self._as_converted:
            self._as_converted[key] = sum(
                common_on_conversion(n, seat.ratio, self.state_readings)
                for n in self.holder_shares(seat.id, mine).values()
            )
        return self._as_converted[key]

    def strikes(self, profile: Profile) -> Fraction:
        """The exercise prices paid on the grants exercised."""
        found = self._strikes.get(profile.exercised)
        if found is None:
            den = self._strike_den
            found = Fraction(sum(self._strike_num[i] for i in profile.exercised), den)
            self._strikes[profile.exercised] = found
        return found

    def vote_blocks(
        self, group: Group, profile: Profile
    ) -> tuple[dict[str, int], dict[tuple[tuple[str, int], ...], int]]:
        """The group's shares as voting blocks: holders of one series only, summed by series;
        holders of several, counted by their holding (each holder votes all its shares)."""
        mine = frozenset(i for i in profile.exercised if self.buckets[i].class_id in group.classes)
        key = (group.id, mine)
        if key not in self._blocks:
            by_holder: dict[str, dict[str, int]] = {}
            for class_id in group.classes:
                held = (
                    self.holder_shares(class_id, mine) if mine else self.holdings.get(class_id, {})
                )
                for holder, n in held.items():
                    if holder in by_holder:
                        by_holder[holder][class_id] = n
                    else:
                        by_holder[holder] = {class_id: n}
            single: dict[str, int] = {}
            several: dict[tuple[tuple[str, int], ...], int] = {}
            for by in by_holder.values():
                if len(by) == 1:
                    ((c, n),) = by.items()
                    single[c] = single.get(c, 0) + n
                else:
                    k = tuple(sorted(by.items()))
                    several[k] = several.get(k, 0) + 1
            self._blocks[key] = (single, several)
        return self._blocks[key]


def _dividends_added(
    c: StockClass, owed: Mapping[str, Fraction], settings: Mapping[str, str], trace: Trace
) -> Fraction:
    """The dividends a liquidation preference adds (Art. IV.B.2(a))."""
    assert c.liquidation is not None
    if c.liquidation.plus_dividends == "none":
        return Fraction(0)
    if c.liquidation.plus_dividends == "undeclared_unpaid":
        reading = trace.read(UNDECLARED_DIVIDENDS, settings)
        if reading == "nothing":
            return Fraction(0)
    return owed.get(c.id, Fraction(0))


def company(
    state: State,
    settings: Mapping[str, str] | None = None,
    trace: Trace | None = None,
    event: ExitEvent | None = None,
) -> Company:
    """Read the terms in force and the holdings once, for any number of exit values (`event`:
    the exit, whose being a change of control accelerates single-trigger grants)."""
    settings = settings or {}
    trace = trace if trace is not None else Trace()
    cert = state.certificate
    unpaid = declared_unpaid(state)
    view = adjusted_terms(state, settings)
    view.explain(trace)
    view.relied_on(trace)
    seats: list[Seat] = []
    uses_cash = False
    for c in cert.classes:
        liq = c.liquidation
        conv = c.conversion
        part = liq.participation if liq else None
        figures = view.of(c.id)
        if conv is None:
            decision = "none"
        elif conv.holder_option:
            decision = "holder"
        elif conv.election_group:
            decision = "group"
        else:
            decision = "none"
        uses_cash = uses_cash or figures.cash is not None
        seats.append(
            Seat(
                id=c.id,
                name=c.name,
                is_common=c.kind == "common",
                shares=state.outstanding.get(c.id, 0),
                ratio=state.conversion_ratio(c.id),
                tier=liq.tier if liq else None,
                preference=(
                    figures.preference.value + _dividends_added(c, unpaid, settings, trace)
                    if liq and figures.preference
                    else Fraction(0)
                ),
                participates=c.kind == "common" or part is not None,
                cap=figures.cap.value if figures.cap else None,
                cap_includes_preference=part.cap_includes_preference if part else True,
                decision=decision,
                group=conv.election_group if conv else None,
                cash=cash_per_share(state, c, settings),
                liquidation_citation=liq.citation if liq else None,
                participation_citation=part.citation if part else None,
                conversion_citation=conv.citation if conv else None,
            )
        )
    holdings: dict[str, dict[str, int]] = {}
    for holder, by in state.holdings.items():
        for class_id, n in by.items():
            if n:
                holdings.setdefault(class_id, {})[holder] = n
    by_key: dict[tuple[str, Fraction], list[tuple[str, str, int]]] = {}
    at_exit = grants_at_exit(
        state, settings, trace, change_of_control=event is not None and event.deemed
    )
    for ge in at_exit:
        if ge.counted:
            price = state.grants[ge.grant].exercise_price
            by_key.setdefault((ge.class_id, price), []).append((ge.grant, ge.holder, ge.counted))
    buckets = [
        Bucket(i, cls, strike, sum(n for _, _, n in gs), tuple(sorted(gs)))
        for i, ((cls, strike), gs) in enumerate(sorted(by_key.items()))
    ]
    groups = []
    if cert.conversion is not None:
        for grp in cert.conversion.groups:
            groups.append(
                Group(
                    grp.id,
                    tuple(grp.classes),
                    grp.election.fraction,
                    grp.election.strictly_more,
                    grp.citation,
                )
            )
    cash_rank = (
        trace.read(CASH_AMOUNT_PRIORITY, settings) if uses_cash else "beside-own-preferences"
    )
    owed: dict[str, dict[str, Fraction]] = {}
    for holder, by_class in state.cash_owed.items():
        for class_id, amount in by_class.items():
            if amount:
                owed.setdefault(class_id, {})[holder] = amount
    owed_rank = trace.read(OWED_CASH_PRIORITY, settings) if owed else "before-all-preferences"
    return Company(
        as_of=state.as_of,
        seats=seats,
        holdings=holdings,
        buckets=buckets,
        groups=groups,
        cash_rank=cash_rank,
        trace_readings=dict(trace.interpretations),
        common_id=cert.common.id,
        state_readings=dict(state.readings),
        grants_at_exit=tuple(at_exit),
        owed=owed,
        owed_rank=owed_rank,
        owed_citation=shortfall_citation(state) if owed else None,
        adjusted=view.to_json(),
    )


# --- one profile of choices: the distribution of the proceeds ----------------------------


class Claim(msgspec.Struct, frozen=True):
    class_id: str
    kind: str  # "preference", "cash" (made due in this exit) or "owed" (due before it)
    amount: Fraction  # total


class Tier(msgspec.Struct, frozen=True, dict=True):
    key: tuple[int, int]
    claims: tuple[Claim, ...]

    @cached_property
    def total(self) -> Fraction:
        return sum((c.amount for c in self.claims), Fraction(0))


class Split(msgspec.Struct, frozen=True):
    """The proceeds divided among the classes under one profile of choices."""

    proceeds: Fraction
    preference: dict[str, Fraction]  # total paid per class under 2(a)
    cash: dict[str, Fraction]  # total Cash Amounts paid per class
    participation: dict[str, Fraction]  # total paid per class under 2(b) (or as common)
    level: Fraction  # paid per common share (as converted) to the uncapped participants
    shortfall: dict[tuple[int, int], Fraction]  # tier -> ratio paid, where short
    capped: tuple[str, ...]
    unallocated: Fraction
    # paid of what was owed, per class
    owed: dict[str, Fraction] = msgspec.field(default_factory=dict)

    def total(self, class_id: str) -> Fraction:
        return (
            self.preference.get(class_id, Fraction(0))
            + self.cash.get(class_id, Fraction(0))
            + self.participation.get(class_id, Fraction(0))
        )


def tiers(co: Company, profile: Profile) -> list[Tier]:
    """The claims ahead of common, by rank (Art. IV.B.2(a); cash-amount-priority). Only the
    conversions and the grants exercised over a class with a rank change them: the list is
    made once for those and shared (not to be changed)."""
    key = (profile.converted, profile.elected, profile.exercised & co.ranked_grants)
    found = co.memo_tiers.get(key)
    if found is None:
        found = co.memo_tiers[key] = _tiers(co, profile)
    return found


def _tiers(co: Company, profile: Profile) -> list[Tier]:
    found: dict[tuple[int, int], list[Claim]] = {}
    for s in co.seats:
        n = co.shares(s, profile)
        if not n or (s.tier is None and not (s.cash and profile.converts(s))):
            continue
        if profile.converts(s):
            if s.cash and s.tier is not None:
                key = _cash_key(co.cash_rank, s.tier)
                found.setdefault(key, []).append(Claim(s.id, "cash", s.cash * n))
        elif s.tier is not None and s.preference:
            found.setdefault((s.tier, 0), []).append(Claim(s.id, "preference", s.preference * n))
    for class_id in sorted(co.owed):
        found.setdefault(co.owed_key(class_id), []).append(
            Claim(class_id, "owed", co.owed_total(class_id))
        )
    return [Tier(k, tuple(v)) for k, v in sorted(found.items())]


def _cash_key(cash_rank: str, tier: int) -> tuple[int, int]:
    """The rank of a Cash Amount of a series of `tier` (the reading cash-amount-priority)."""
    return {
        "before-all-preferences": (0, 0),
        "after-senior-preferences": (tier, -1),
        "beside-own-preferences": (tier, 0),
    }[cash_rank]


class Participant(msgspec.Struct, frozen=True):
    class_id: str
    units: int  # common shares, as converted
    headroom: Fraction | None  # total the class may still receive; None: uncapped


def participants(co: Company, profile: Profile, paid: Mapping[str, Fraction]) -> list[Participant]:
    """Who shares what is left after the preferences, as converted (Art. IV.B.2(b))."""
    out = []
    for s in co.seats:
        n = co.shares(s, profile)
        if not n:
            continue
        units = co.as_converted(s, profile)
        if s.is_common or profile.converts(s):
            out.append(Participant(s.id, units, None))
        elif s.participates:
            if s.cap is None:
                out.append(Participant(s.id, units, None))
            else:
                got = paid.get(s.id, Fraction(0)) if s.cap_includes_preference else Fraction(0)
                out.append(Participant(s.id, units, max(s.cap * n - got, Fraction(0))))
    return out


def distribute(co: Company, profile: Profile, exit_value: Fraction) -> Split:
    """Divide the exit value (with the exercise prices of the grants exercised) among the
    classes under one profile of choices: preferences by tier, ratably within a tier when
    short (Art. IV.B.2(a)); then participation as converted up to the caps, and the rest to
    the uncapped participants (Art. IV.B.2(b))."""
    found = co.memo_split.get((profile, exit_value))
    if found is None:
        found = _distribute(co, profile, exit_value)
        if len(co.memo_split) > 4096:
            co.memo_split.clear()
        co.memo_split[(profile, exit_value)] = found
    return found


def _distribute(co: Company, profile: Profile, exit_value: Fraction) -> Split:
    proceeds = exit_value + co.strikes(profile)
    left = proceeds
    paid: dict[str, dict[str, Fraction]] = {"preference": {}, "cash": {}, "owed": {}}
    shortfall: dict[tuple[int, int], Fraction] = {}
    for t in tiers(co, profile):
        total = t.total
        if left >= total:  # paid in full
            for c in t.claims:
                add_to(paid[c.kind], c.class_id, c.amount)
            left -= total
            continue
        ratio = left / total
        shortfall[t.key] = ratio
        for c in t.claims:
            add_to(paid[c.kind], c.class_id, c.amount * ratio)
        left -= total * ratio
    pref = paid["preference"]
    level, part, capped, unallocated = fill(participants(co, profile, pref), left)
    return Split(
        proceeds, pref, paid["cash"], part, level, shortfall, capped, unallocated, paid["owed"]
    )


def add_to(amounts: dict[str, Fraction], key: str, amount: Fraction) -> None:
    """Add `amount` to what `amounts` holds under `key` (nothing when absent)."""
    amounts[key] = amounts[key] + amount if key in amounts else amount


def fill(
    people: list[Participant], left: Fraction
) -> tuple[Fraction, dict[str, Fraction], tuple[str, ...], Fraction]:
    """Water-filling: a common level per as-converted share, each capped class stopping at
    its cap, the uncapped taking the rest pro rata."""
    part: dict[str, Fraction] = {}
    if left <= 0 or not people:
        return Fraction(0), part, (), max(left, Fraction(0))
    capped_list = sorted(
        (p for p in people if p.headroom is not None and p.units),
        key=lambda p: (p.headroom or Fraction(0)) / p.units,
    )
    units = sum(p.units for p in people)
    spent = Fraction(0)
    level = Fraction(0)
    capped: list[str] = []
    for p in capped_list:
        assert p.headroom is not None
        stop = p.headroom / p.units
        cost = (stop - level) * units
        if spent + cost > left:
            break
        spent += cost
        level = stop
        units -= p.units
        capped.append(p.class_id)
    unallocated = Fraction(0)
    if units:
        level += (left - spent) / units
    else:
        unallocated = left - spent
    for p in people:
        if p.class_id in capped:
            assert p.headroom is not None
            part[p.class_id] = p.headroom
        else:
            part[p.class_id] = level * p.units
    return level, part, tuple(capped), unallocated


# --- the holders' choices ----------------------------------------------------------------


def per_share_value(co: Company, profile: Profile, split: Split, seat: Seat) -> Fraction:
    """What one share of the class receives under a profile (0 when none is outstanding)."""
    n = co.shares(seat, profile)
    return split.total(seat.id) / n if n else Fraction(0)


def _toggle(items: frozenset[str], item: str, on: bool) -> frozenset[str]:
    return items | {item} if on else items - {item}


def conversion_gain(co: Company, profile: Profile, seat: Seat, exit_value: Fraction) -> Fraction:
    """What the class's holders gain in all by converting rather than not (Art. IV.B.3(a))."""
    got_on, got_off = conversion_payoffs(co, profile, seat, exit_value)
    return got_on - got_off


def conversion_payoffs(
    co: Company, profile: Profile, seat: Seat, exit_value: Fraction
) -> tuple[Fraction, Fraction]:
    """What the class receives in all converting and not converting, the options and warrants
    answering each choice (they are exercised last, when the conversions are known)."""
    on = respond(
        co, replace(profile, converted=_toggle(profile.converted, seat.id, True)), exit_value
    )
    off = respond(
        co, replace(profile, converted=_toggle(profile.converted, seat.id, False)), exit_value
    )
    return distribute(co, on, exit_value).total(seat.id), distribute(co, off, exit_value).total(
        seat.id
    )


def respond(co: Company, profile: Profile, exit_value: Fraction) -> Profile:
    """The grants exercised in answer to the conversions of `profile`: each in the money
    exercises, until none would change (from none exercised, so that the answer depends on
    the conversions only)."""
    key = (profile.converted, profile.elected, exit_value)
    found = co.memo_respond.get(key)
    if found is not None:
        return found
    answer = Profile(profile.converted, profile.elected)
    grant_classes = sorted({b.class_id for b in co.buckets})
    for _ in range(len(co.buckets) + 2):
        before = answer
        for cls in grant_classes:
            answer = _best_exercise(co, answer, cls, exit_value)
        if answer == before:
            break
    if len(co.memo_respond) > 4096:
        co.memo_respond.clear()
    co.memo_respond[key] = answer
    return answer


def election_votes(
    co: Company, profile: Profile, group: Group, exit_value: Fraction
) -> tuple[int, int]:
    """Shares of the group whose holders gain by the group's conversion, and the group's
    outstanding shares: each holder votes all its shares of the group for the election when
    the conversion pays it more on those shares, against when it pays less or the same."""
    on = respond(co, replace(profile, elected=_toggle(profile.elected, group.id, True)), exit_value)
    off = respond(
        co, replace(profile, elected=_toggle(profile.elected, group.id, False)), exit_value
    )
    s_on, s_off = distribute(co, on, exit_value), distribute(co, off, exit_value)
    gain: dict[str, Fraction] = {}
    for class_id in group.classes:
        seat = co.seat(class_id)
        gain[class_id] = per_share_value(co, on, s_on, seat) - per_share_value(co, off, s_off, seat)
    return tally(co.vote_blocks(group, profile), gain)


def tally(
    blocks: tuple[dict[str, int], dict[tuple[tuple[str, int], ...], int]],
    gain: Mapping[str, Fraction],
) -> tuple[int, int]:
    """Shares voting for (their holders gain, strictly) and shares of the group."""
    single, several = blocks
    den = math.lcm(1, *(g.denominator for g in gain.values()))
    g = {c: v.numerator * (den // v.denominator) for c, v in gain.items()}
    yes = sum(n for c, n in single.items() if g[c] > 0)
    total = sum(single.values())
    for holding, count in several.items():
        shares = sum(n for _, n in holding) * count
        total += shares
        if sum(n * g[c] for c, n in holding) > 0:
            yes += shares
    return yes, total


def election_passes(yes: int, total: int, group: Group) -> bool:
    """At least (or more than) the group's fraction of its outstanding shares (3(a))."""
    if not total:
        return False
    share = Fraction(yes, total)
    return share > group.fraction if group.strictly_more else share >= group.fraction


def exercise_gain(co: Company, profile: Profile, bucket: Bucket, exit_value: Fraction) -> Fraction:
    """What the grants of a bucket gain by exercising, net of the exercise price, given that
    they are exercised in `profile`'s neighbour where they are."""
    on = replace(profile, exercised=profile.exercised | {bucket.index})
    seat = co.seat(bucket.class_id)
    return bucket.gain(per_share_value(co, on, distribute(co, on, exit_value), seat))


def _best_exercise(co: Company, profile: Profile, class_id: str, exit_value: Fraction) -> Profile:
    """The grants over a class exercised when in the money: the cheapest first, as many as
    gain by it (found by bisection: a grant in the money has every cheaper one in it too)."""
    mine = [b for b in co.buckets if b.class_id == class_id]
    others = frozenset(i for i in profile.exercised if co.buckets[i].class_id != class_id)

    def with_first(k: int) -> Profile:
        return replace(profile, exercised=others | {b.index for b in mine[:k]})

    lo, hi = 0, len(mine)  # the first lo buckets gain; bucket hi-1 and beyond may not
    while lo < hi:
        mid = (lo + hi) // 2
        if exercise_gain(co, with_first(mid), mine[mid], exit_value) > 0:
            lo = mid + 1
        else:
            hi = mid
    return with_first(lo)


def choices(co: Company, exit_value: Fraction, start: Profile | None = None) -> Profile:
    """The holders' choices at this exit value: each decision-maker in turn takes its best
    response to the others until none would change (an equilibrium). Options and warrants
    answer the conversions (an option holder can wait to see whether the preferred convert
    before exercising), and each converting decision-maker weighs that answer."""
    profile = start or Profile()
    for _ in range(4 * (len(co.seats) + len(co.groups)) + 8):
        before = profile
        profile = respond(co, profile, exit_value)
        for seat in co.seats:
            if seat.decision == "holder" and co.shares(seat, profile):
                want = conversion_gain(co, profile, seat, exit_value) > 0
                profile = replace(profile, converted=_toggle(profile.converted, seat.id, want))
        for group in co.groups:
            want = election_passes(*election_votes(co, profile, group, exit_value), group)
            profile = replace(profile, elected=_toggle(profile.elected, group.id, want))
        if profile == before:
            return profile
    raise CharterError(
        [Problem(f"the holders' choices at an exit of {money(exit_value)} do not settle")]
    )


def deviations(co: Company, profile: Profile, exit_value: Fraction) -> list[str]:
    """Decision-makers who would gain by choosing otherwise (empty for an equilibrium)."""
    found = []
    for seat in co.seats:
        if seat.decision != "holder" or not co.shares(seat, profile):
            continue
        if (conversion_gain(co, profile, seat, exit_value) > 0) != (seat.id in profile.converted):
            found.append(f"class {seat.id}")
    for group in co.groups:
        if election_passes(*election_votes(co, profile, group, exit_value), group) != (
            group.id in profile.elected
        ):
            found.append(f"group {group.id}")
    for b in co.buckets:
        without = replace(profile, exercised=profile.exercised - {b.index})
        if (exercise_gain(co, without, b, exit_value) > 0) != (b.index in profile.exercised):
            found.append(f"grants {', '.join(g for g, _, _ in b.grants)}")
    return found


# --- the result ----------------------------------------------------------------------------


class Waterfall(msgspec.Struct):
    """The distribution of one exit value to every class and holder."""

    exit_value: Fraction
    as_of: dt.date | None
    profile: Profile
    split: Split
    company: Company
    numerators: dict[tuple[str, str], int]  # (holder, class) -> exact amount x denominator
    denominator: int
    cents: dict[str, dict[str, int]]  # rounded once, adding up to the exit value
    exercised: list[str]
    trace: Trace
    event: ExitEvent  # the liquidation or deemed liquidation (Art. IV.B.2(c))
    convertibles: list[InstrumentAtExit] = msgspec.field(default_factory=list)  # SAFEs and notes

    @property
    def holders(self) -> dict[str, dict[str, Fraction]]:
        """Each holder's exact amount per class, net of exercise prices."""
        out: dict[str, dict[str, Fraction]] = {}
        for (holder, class_id), num in self.numerators.items():
            out.setdefault(holder, {})[class_id] = Fraction(num, self.denominator)
        return out


class InstrumentAtExit(msgspec.Struct, frozen=True):
    """A SAFE or note outstanding at the exit and what it gave (rules/convertibles.py)."""

    convertible: str
    holder: str
    treatment: str  # "cash-out" or "conversion"
    owed: Fraction  # the cash-out amount
    paid: Fraction  # of it, paid from the exit
    shares: int  # common it converted into


def holder_total(w: Waterfall, holder: str) -> Fraction:
    """A holder's exact amount from the exit, all classes and instruments together."""
    return Fraction(sum(n for (h, _), n in w.numerators.items() if h == holder), w.denominator)


def with_convertibles(
    state: State,
    exit_value: Fraction,
    settings: Mapping[str, str] | None,
    event: ExitEvent | None,
) -> Waterfall:
    """The exit with SAFEs and notes outstanding: each gives its cash-out amount or its
    conversion, whichever its terms give (the reading convertible-at-liquidity where they
    are silent); where it may give either, its holder takes the one that pays it more, the
    others' choices held, until no holder would change."""
    open_ = [c for c in state.convertibles.values() if c.converted is None]
    on = state.as_of or dt.date.today()
    options = {c.id: convertibles_rules.treatments(state, c, on, settings) for c in open_}
    choice = {cid: opts[0] for cid, opts in options.items()}
    result = _settle(state, exit_value, settings, event, choice)
    for _ in range(1 + sum(len(v) for v in options.values())):
        changed = False
        for c in open_:
            for t in options[c.id]:
                if t == choice[c.id]:
                    continue
                trial = _settle(state, exit_value, settings, event, choice | {c.id: t})
                if holder_total(trial, c.holder) > holder_total(result, c.holder):
                    choice, result, changed = choice | {c.id: t}, trial, True
        if not changed:
            break
    return result


def _settle(
    state: State,
    exit_value: Fraction,
    settings: Mapping[str, str] | None,
    event: ExitEvent | None,
    choice: Mapping[str, str],
) -> Waterfall:
    """The exit with each instrument treated as `choice` says: the cash-out amounts first
    (ratably, by largest remainder, when the exit is short of them), then the stock's
    waterfall on the rest with the converting instruments' common."""
    on = state.as_of or dt.date.today()
    converting = [cid for cid, t in choice.items() if t == "conversion"]
    shares = convertibles_rules.liquidity_shares(state, converting, on, settings)
    owed = {
        cid: convertibles_rules.cash_out(state.convertibles[cid], on, settings)
        for cid, t in choice.items()
        if t == "cash-out"
    }
    total = sum(owed.values(), Fraction(0))
    if total <= exit_value:
        paid = dict(owed)
    else:
        ratable = allocate_cents_over(
            {cid: int(exit_value * 100) * int(x * 100) for cid, x in owed.items()},
            int(total * 100) * 100,
            int(exit_value * 100),
        )
        paid = {cid: Fraction(c, 100) for cid, c in ratable.items()}
    stock = waterfall(
        convertibles_rules.converted_state(state, shares),
        exit_value - sum(paid.values(), Fraction(0)),
        settings,
        None,
        event,
    )
    den = math.lcm(stock.denominator, 100)
    numerators = {k: n * (den // stock.denominator) for k, n in stock.numerators.items()}
    cents = {h: dict(by) for h, by in stock.cents.items()}
    at_exit = []
    for c in state.convertibles.values():
        if c.id not in choice:
            continue
        got = paid.get(c.id, Fraction(0))
        if c.id in owed:
            numerators[(c.holder, c.id)] = int(got * den)
            cents.setdefault(c.holder, {})[c.id] = int(got * 100)
        at_exit.append(
            InstrumentAtExit(
                c.id, c.holder, choice[c.id], owed.get(c.id, Fraction(0)), got, shares.get(c.id, 0)
            )
        )
        stock.trace.step(
            f"{c.id} ({c.kind}, {c.holder}): "
            + (
                f"cash-out amount {money(owed[c.id])}, paid {money(got)} before the stock"
                if c.id in owed
                else f"converts into {shares[c.id]:,} common at its cap"
            ),
            "the instrument's liquidity-event clause",
        )
    stock.trace.read(convertibles_rules.AT_LIQUIDITY, settings)
    return replace(
        stock,
        exit_value=exit_value,
        numerators=numerators,
        denominator=den,
        cents=cents,
        convertibles=at_exit,
    )


def holder_amounts(
    co: Company, profile: Profile, split: Split
) -> tuple[dict[tuple[str, str], int], int]:
    """Each holder's amount per class, exact, as integer numerators over one denominator:
    unconverted shares receive their class's amount per share; converted shares receive the
    common they convert into (rounded per holder and series, Art. IV.B.3(h)) at the common
    level plus the Cash Amount paid per share; exercise prices are deducted."""
    lines: list[tuple[str, list[tuple[str, int]], Fraction, Fraction, Fraction]] = []
    for seat in co.seats:
        n = co.shares(seat, profile)
        if not n:
            continue
        by = co.holder_shares(seat.id, profile.exercised)
        if seat.is_common or not profile.converts(seat):
            lines.append(
                (seat.id, list(by.items()), split.total(seat.id) / n, Fraction(0), Fraction(0))
            )
        else:
            lines.append(
                (
                    seat.id,
                    list(by.items()),
                    split.cash.get(seat.id, Fraction(0)) / n,
                    split.level,
                    seat.ratio,
                )
            )
    strikes = [(co.buckets[i]) for i in sorted(profile.exercised)]
    owed = owed_paid(co, split)
    den = math.lcm(
        1,
        *(x.denominator for _, _, a, b, _ in lines for x in (a, b)),
        *(b.strike.denominator for b in strikes),
        *(v.denominator for v in owed.values()),
    )
    out: dict[tuple[str, str], int] = {}
    for class_id, items, each, level, ratio in lines:
        a = each.numerator * (den // each.denominator)
        if not level:
            for holder, s in items:
                out[(holder, class_id)] = s * a
        else:
            w = level.numerator * (den // level.denominator)
            for holder, s in items:
                common = common_on_conversion(s, ratio, co.state_readings)
                out[(holder, class_id)] = s * a + common * w
    for b in strikes:
        k = b.strike.numerator * (den // b.strike.denominator)
        for _, holder, s in b.grants:
            out[(holder, b.class_id)] -= s * k
    for key, v in owed.items():
        out[key] = out.get(key, 0) + v.numerator * (den // v.denominator)
    return out, den


def owed_paid(co: Company, split: Split) -> dict[tuple[str, str], Fraction]:
    """What each former holder is paid of the Cash Amounts it was owed (3(c)): all of it, or
    its part of what its rank could pay, ratably to what each is owed."""
    out: dict[tuple[str, str], Fraction] = {}
    for class_id, by_holder in co.owed.items():
        total = co.owed_total(class_id)
        ratio = split.owed.get(class_id, Fraction(0)) / total if total else Fraction(0)
        for holder, amount in by_holder.items():
            out[(holder, class_id)] = amount * ratio
    return out


def waterfall(
    state: State,
    exit_value: Fraction,
    settings: Mapping[str, str] | None = None,
    co: Company | None = None,
    event: ExitEvent | None = None,
) -> Waterfall:
    """Distribute `exit_value`, the net proceeds available to stockholders in a liquidation or
    deemed liquidation (Art. IV.B.2(a)-(c)), to every holder. `event` names the exit (see
    `deemed_liquidation.exit_event`; by default a liquidation itself)."""
    if exit_value < 0:
        raise CharterError([Problem("the exit value cannot be negative", field="--exit")])
    if (exit_value * 100).denominator != 1:
        raise CharterError(
            [Problem("the exit value must be a whole number of cents", field="--exit")]
        )
    if co is None and any(c.converted is None for c in state.convertibles.values()):
        return with_convertibles(state, exit_value, settings, event)
    trace = Trace()
    event = event if event is not None else exit_event(state)
    trace.step(
        f"The exit is {event.description}" + (", deemed a liquidation" if event.deemed else ""),
        event.citation,
        kind=event.kind,
    )
    if co is None:
        co = company(state, settings, trace, event)
    else:
        trace.interpretations.update(co.trace_readings)
    profile = choices(co, exit_value)
    split = distribute(co, profile, exit_value)
    if split.unallocated:
        raise CharterError(
            [Problem(f"no holder is entitled to {money(split.unallocated)} of the exit value")]
        )
    numerators, den = holder_amounts(co, profile, split)
    cents = allocate_cents_over(numerators, den, int(exit_value * 100))
    rounded: dict[str, dict[str, int]] = {}
    for (holder, class_id), c in cents.items():
        if holder in rounded:
            rounded[holder][class_id] = c
        else:
            rounded[holder] = {class_id: c}
    exercised = sorted(g for i in profile.exercised for g, _, _ in co.buckets[i].grants)
    result = Waterfall(
        exit_value,
        state.as_of,
        profile,
        split,
        co,
        numerators,
        den,
        rounded,
        exercised,
        trace,
        event,
    )
    explain(result, co)
    return result


def explain(result: Waterfall, co: Company) -> None:
    """The derivation, step by step, with the clause of each step."""
    t, p, split, e = result.trace, result.profile, result.split, result.exit_value
    strikes = co.strikes(p)
    t.step(
        "Proceeds to distribute: the exit value plus the exercise prices of the grants exercised",
        None,
        exit_value=money(e),
        exercise_prices=money(strikes),
        proceeds=money(split.proceeds),
    )
    for ge in co.grants_at_exit:
        if ge.counted != ge.outstanding or ge.accelerated:
            t.step(f"Grant {ge.grant} ({ge.holder}) at the exit: {ge.why}", None)
    if co.buckets:
        t.step(
            "Options and warrants exercised when in the money (the value of a share of their "
            "class exceeds the exercise price)",
            None,
            exercised=len(result.exercised),
            not_exercised=sum(len(b.grants) for b in co.buckets) - len(result.exercised),
        )
    for seat in co.seats:
        if seat.decision != "holder" or not co.shares(seat, p):
            continue
        got_on, got_off = conversion_payoffs(co, p, seat, e)
        verdict = "converts" if seat.id in p.converted else "does not convert"
        t.step(
            f"{seat.name} {verdict}: converting pays {money(got_on)}, not converting pays "
            f"{money(got_off)}" + ("" if got_on != got_off else " (indifferent: no conversion)"),
            seat.conversion_citation,
        )
    for group in co.groups:
        yes, total = election_votes(co, p, group, e)
        verdict = "elect" if group.id in p.elected else "do not elect"
        t.step(
            f"Holders of {', '.join(group.classes)} {verdict} to convert: holders of "
            f"{yes:,} of {total:,} shares gain by it",
            group.citation,
            needed=("more than " if group.strictly_more else "at least ") + str(group.fraction),
        )
    for tier in tiers(co, p):
        ratio = split.shortfall.get(tier.key, Fraction(1))
        for claim in tier.claims:
            if claim.kind == "owed":
                t.step(
                    f"{claim.class_id}: Cash Amounts owed since an earlier conversion, unpaid "
                    f"for want of funds legally available (rank {tier.key[0]}"
                    + (", before that rank" if tier.key[1] < 0 else "")
                    + ")",
                    co.owed_citation,
                    owed=money(claim.amount),
                    paid=money(claim.amount * ratio),
                )
                continue
            seat = co.seat(claim.class_id)
            n = co.shares(seat, p)
            paid = claim.amount * ratio
            what = "liquidation preference" if claim.kind == "preference" else "Cash Amount"
            cite = (
                seat.liquidation_citation
                if claim.kind == "preference"
                else (seat.conversion_citation)
            )
            t.step(
                f"{seat.name}: {what} (rank {tier.key[0]}"
                + (", before that rank" if tier.key[1] < 0 else "")
                + ")",
                cite,
                full=money(claim.amount),
                paid=money(paid),
                per_share=per_share(paid / n),
            )
        if ratio != 1:
            first = tier.claims[0]
            t.step(
                f"Rank {tier.key[0]} is short: each claim is paid ratably in proportion to its "
                "full amount",
                co.owed_citation
                if first.kind == "owed"
                else co.seat(first.class_id).liquidation_citation,
                ratio=per_share(ratio),
            )
    left = (
        split.proceeds
        - sum(split.preference.values(), Fraction(0))
        - sum(split.cash.values(), Fraction(0))
        - sum(split.owed.values(), Fraction(0))
    )
    if left > 0:
        t.step(
            "The rest is shared pro rata as converted among common, converted shares and the "
            "participating series",
            next((s.participation_citation for s in co.seats if s.participation_citation), None),
            remaining=money(left),
            per_common_share=per_share(split.level),
        )
        for class_id in split.capped:
            seat = co.seat(class_id)
            n = co.shares(seat, p)
            t.step(
                f"{seat.name} reaches its cap of {per_share(seat.cap or Fraction(0))} per share "
                "(including its preference); the rest goes to the others",
                seat.participation_citation,
                received=money(split.total(class_id)),
                per_share=per_share(split.total(class_id) / n),
            )
    for seat in co.seats:
        n = co.shares(seat, p)
        if n:
            t.step(
                f"{seat.name} receives in all",
                seat.liquidation_citation,
                amount=money(split.total(seat.id)),
                per_share=per_share(split.total(seat.id) / n),
            )


def waterfall_json(w: Waterfall) -> dict[str, object]:
    """The shape of `charter waterfall --json` (spec/cli-contract.md)."""
    co, p = w.company, w.profile
    classes = {}
    for seat in co.seats:
        n = co.shares(seat, p)
        if n:
            total = w.split.total(seat.id)
            classes[seat.id] = {
                "amount": money(total),
                "per_share": per_share(total / n),
                "shares": n,
                "route": "as_converted" if p.converts(seat) else "preference",
            }
    holders = {}
    for h in sorted(w.cents):
        by = w.cents[h]
        holders[h] = {
            "amount": money(Fraction(sum(by.values()), 100)),
            "by_class": {c: money(Fraction(v, 100)) for c, v in sorted(by.items())},
        }
    data: dict[str, object] = {
        "exit_value": money(w.exit_value),
        "as_of": w.as_of.isoformat() if w.as_of else None,
        "converted": {s.id: p.converts(s) for s in co.seats if not s.is_common},
        "exercised": w.exercised,
        "classes": classes,
        "holders": holders,
        "interpretations": sorted(w.trace.interpretations),
        "readings": dict(sorted(w.trace.interpretations.items())),
        "citations": w.trace.citations,
        "trace": w.trace.lines(),
    }
    e = w.event
    data["event"] = {"kind": e.kind, "deemed": e.deemed, "citation": e.citation}
    data["grants"] = {
        ge.grant: {
            "holder": ge.holder,
            "outstanding": ge.outstanding,
            "exercisable": ge.exercisable,
            "accelerated": ge.accelerated,
            "counted": ge.counted,
            "exercised": ge.grant in w.exercised,
            "why": ge.why,
        }
        for ge in co.grants_at_exit
    }
    if w.convertibles:
        data["convertibles"] = {
            x.convertible: {
                "holder": x.holder,
                "treatment": x.treatment,
                "cash_out": money(x.owed),
                "paid": money(x.paid),
                "shares": x.shares,
            }
            for x in w.convertibles
        }
    if co.owed:
        data["cash_owed"] = owed_json(w)
    if co.adjusted:
        data["as_adjusted"] = co.adjusted
    return data


def owed_json(w: Waterfall) -> dict[str, object]:
    """The Cash Amounts owed from earlier conversions and what this exit pays of them, per
    former holder and series (in the holders' amounts too)."""
    co = w.company
    paid = owed_paid(co, w.split)
    holders: dict[str, dict[str, dict[str, str]]] = {}
    for class_id, by_holder in sorted(co.owed.items()):
        for holder, amount in sorted(by_holder.items()):
            holders.setdefault(holder, {})[class_id] = {
                "owed": money(amount),
                "paid": money(paid[(holder, class_id)]),
            }
    return {
        "owed": money(sum((co.owed_total(c) for c in co.owed), Fraction(0))),
        "paid": money(sum(w.split.owed.values(), Fraction(0))),
        "rank": co.owed_rank,
        "citation": co.owed_citation,
        "holders": holders,
    }
