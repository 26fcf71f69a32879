"""The state of the company after replaying its ledger up to a date."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import msgspec

from charter.ledger.events import Stakeholder
from charter.state.adjusted_terms import Adjustment, issue_price
from charter.state.certificates import CertificateRegister
from charter.terms.model import Certificate, StockClass, TermsSet

if TYPE_CHECKING:
    from charter.state.antidilution import AntiDilutionBook
    from charter.state.dividends import DeclaredDividend
    from charter.state.rofr import Notice


class Schedule(msgspec.Struct, frozen=True):
    """A vesting schedule (the ledger's structured `vesting` block): `months` from `start`,
    nothing before `cliff_months`, an installment every `every_months` after it; the fractions
    of the unvested shares that vest on a change of control (`single_trigger`) and on service
    ending without cause within 12 months after one (`double_trigger`)."""

    start: dt.date
    months: int
    cliff_months: int = 0
    every_months: int = 1
    single_trigger: Fraction = Fraction(0)
    double_trigger: Fraction = Fraction(0)
    early_exercise: bool = False
    performance: bool = False


class GrantState(msgspec.Struct):
    """An option, warrant or right, and what is left of it.

    Its shares are vested or not (`schedule`; none: vested in full) and exercised or not:
    vested shares are counted against the exercised ones first, so exercised shares beyond
    the vested are restricted shares (early exercise) that keep vesting. Lapsed shares
    (`expired`) are the unvested unexercised first (`lapsed_unvested`, at service end or by an
    `expire`), then the vested; `repurchased` are restricted shares bought back at cost."""

    id: str
    kind: str
    holder: str
    class_id: str
    granted: int
    exercise_price: Fraction
    date: dt.date
    expires: dt.date | None = None
    plan: str | None = None
    exclusion: str | None = None
    exercised: int = 0
    expired: int = 0
    schedule: Schedule | None = None
    vesting_note: str | None = None  # a free-text `vesting`: a note, exercisable in full
    post_termination_days: int | None = None  # the grant's own period (else the plan's)
    # vest, acceleration
    extra_vested: list[tuple[dt.date, int]] = msgspec.field(default_factory=list)
    lapsed_unvested: int = 0
    repurchased: int = 0
    service_ended: dt.date | None = None
    exercisable_until: dt.date | None = None  # the post-termination period's last day

    @property
    def outstanding(self) -> int:
        return self.granted - self.exercised - self.expired


class RestrictedStock(msgspec.Struct):
    """Shares issued subject to vesting (an `issue` with a `vesting` block): unvested shares
    are repurchasable at `price` when the holder's service ends."""

    id: str
    holder: str
    class_id: str
    shares: int
    price: Fraction
    date: dt.date
    schedule: Schedule
    extra_vested: list[tuple[dt.date, int]] = msgspec.field(default_factory=list)
    service_ended: dt.date | None = None
    repurchased: int = 0


class PlanState(msgspec.Struct):
    """An equity incentive plan and the shares it reserves."""

    id: str
    shares: int  # reserved: adopted, plus or minus each plan_amend
    date: dt.date
    approvals: list[str] = msgspec.field(default_factory=list)
    granted: int = 0
    post_termination_days: int = 90
    return_to_pool: bool = True
    returned: int = 0  # lapsed and repurchased unvested shares back in the reserve

    @property
    def available(self) -> int:
        """Shares that may still be granted."""
        return self.shares - self.granted + (self.returned if self.return_to_pool else 0)


class PriceChange(msgspec.Struct, frozen=True):
    """One change of a series' conversion price (Art. IV.B.3(d)), kept for its history."""

    date: dt.date
    event: str
    kind: str  # dilutive-issuance, carried-forward, carry-forward-made, recomputed, split, ...
    old: Fraction
    new: Fraction
    citation: str
    a: Fraction | None = None
    b: Fraction | None = None
    c: Fraction | None = None
    carried_forward: Fraction = Fraction(0)


class CashRecord(msgspec.Struct, frozen=True):
    """Cash Amounts made due by a conversion, or funds that became legally available later
    and were applied ratably to those still owed (Art. IV.B.3(c))."""

    date: dt.date
    event: str
    kind: str  # "conversion" or "payment"
    due: Fraction  # made due by the conversion (nothing for a payment)
    funds: Fraction | None  # funds legally available (None: enough for everything due)
    applied: Fraction  # paid from those funds
    paid: tuple[tuple[str, str, Fraction], ...] = ()  # (holder, class, amount) of `applied`
    payable_by: dt.date | None = None  # the last day of payment after a conversion


class BoardAct(msgspec.Struct, frozen=True):
    """A resolution of the board recorded in the ledger (a `board_approval` event)."""

    id: str
    date: dt.date
    approves: tuple[str, ...]
    by: str  # "meeting" or "written_consent"


class ConsentRecord(msgspec.Struct, frozen=True):
    """A written consent of stockholders recorded in the ledger (a `stockholder_consent`
    event), with the approvals it carried (Bylaws Art. II §11)."""

    event: str | None  # its id, if it has one
    date: dt.date
    action: str
    series: str | None
    record_date: dt.date  # the first signature (DGCL §213(b))
    consents: tuple[str, ...]
    approvals: tuple[tuple[str, int, int], ...]  # (approval id, for, needed)
    citation: str


class MeetingRecord(msgspec.Struct, frozen=True):
    """A stockholder meeting's outcome recorded in the ledger (a `meeting_result` event):
    `outcome` is the tally as `charter tally --json` gives it (Bylaws Art. II §8-§10)."""

    event: str | None  # its id, if it has one
    date: dt.date
    kind: str
    record_date: dt.date | None
    outcome: dict[str, Any]


class PendingConversion(msgspec.Struct, frozen=True):
    """A conversion elected on condition of the closing of the public offering: deemed to
    occur immediately after the closing, and not before (Art. IV.B.3(c))."""

    date: dt.date
    event: str
    classes: tuple[str, ...]


class IpoRecord(msgspec.Struct, frozen=True):
    """The company's initial public offering as recorded by an `ipo` event."""

    date: dt.date
    event: str
    price: Fraction
    gross_proceeds: Fraction
    qualified: bool
    closing_date: dt.date
    effective_date: dt.date
    standoff_requested: bool = True  # by the company or an underwriter (Bylaws Art. VI §6)


class Registration(msgspec.Struct):
    """A registration statement declared effective (a `registration_effective` event, or the
    `effective_date` of an `ipo` event): it ends the right of first refusal and starts the
    market stand-off (Bylaws Art. VIII §1(i)(2), Art. VI §6) unless withdrawn before the
    offering closed."""

    effective: dt.date
    event: str
    standoff_requested: bool = True
    withdrawn: dt.date | None = None


class OfficeTerm(msgspec.Struct):
    """A term of office on the ledger: an officer chosen by the board (Bylaws Art. V) or a
    director, from `began` until the day before `ended` (None: still in office)."""

    holder: str
    office: str
    began: dt.date
    event: str
    ended: dt.date | None = None

    def held_on(self, on: dt.date) -> bool:
        return self.began <= on and (self.ended is None or on < self.ended)


class RecordNotice(msgspec.Struct, frozen=True):
    """A record taken for a non-cash dividend or distribution, of which the preferred holders
    must be told in advance (Art. IV.B.4)."""

    date: dt.date  # when the board declared it (the event's date)
    event: str
    kind: str
    record_date: dt.date
    per_share: dict[str, Fraction]
    certificate: str  # in force when the record was fixed
    preferred_holders: tuple[str, ...]  # who held preferred then
    character: str = ""  # the right's amount and character, for a record of a right


class TermsChange(msgspec.Struct):
    date: dt.date
    certificate: str
    event_index: int


class BoardSizeRecord(msgspec.Struct, frozen=True):
    """The number of directors constituting the whole board, as last fixed on the ledger."""

    directors: int
    date: dt.date
    by: str
    event: str | None  # its id, if it has one


class ConvertibleState(msgspec.Struct):
    """A SAFE or convertible note (an `issue_convertible` event) and, once converted, what it
    became (a `convert_convertible` event). `amount` is the purchase amount or principal;
    `discount` and `interest_rate` are fractions; `terms_of` names the later instrument whose
    terms it took under its most-favoured-nation clause."""

    id: str
    kind: str  # "safe" or "note"
    holder: str
    amount: Fraction
    date: dt.date
    basis: str  # "post-money" or "pre-money"
    valuation_cap: Fraction | None = None
    discount: Fraction = Fraction(0)
    mfn: bool = False
    interest_rate: Fraction = Fraction(0)
    interest: str = "simple"
    compounding: str = "annual"
    maturity: dt.date | None = None
    at_liquidity: str | None = None  # None: silent (the reading convertible-at-liquidity)
    converted: dt.date | None = None
    event: str = ""  # the conversion event
    class_id: str | None = None
    shares: int = 0
    conversion_price: Fraction | None = None
    conversion_amount: Fraction | None = None
    terms_of: str | None = None


# A dataclass, not a Struct like the records it holds: a state restored from a cached one keeps
# its parts in its __dict__, each decoded when first read (state/cached.py).
@dataclass
class State:
    """Everything the rules need, as of `as_of` (the date of the last event applied)."""

    terms: TermsSet
    certificate: Certificate
    stakeholders: MutableMapping[str, Stakeholder]
    as_of: dt.date | None = None
    # holder -> class -> shares (codec Rows when restored: a holder's row read when asked)
    holdings: MutableMapping[str, dict[str, int]] = field(default_factory=dict)
    outstanding: dict[str, int] = field(default_factory=dict)
    grants: dict[str, GrantState] = field(default_factory=dict)
    plans: dict[str, PlanState] = field(default_factory=dict)
    restricted: dict[str, RestrictedStock] = field(default_factory=dict)  # by issue id
    # (last day exercisable, grant id): vested options left after service ends lapse after
    # it, by the calendar alone
    lapses_due: list[tuple[dt.date, str]] = field(default_factory=list)
    purchase_dates: dict[str, dt.date] = field(default_factory=dict)
    conversion_prices: dict[str, Fraction] = field(default_factory=dict)
    declared_unpaid: dict[str, Fraction] = field(default_factory=dict)  # class -> per share
    terms_history: list[TermsChange] = field(default_factory=list)
    event_ids: set[str] = field(default_factory=set)
    events_applied: int = 0
    rofr_notices: dict[str, Notice] = field(default_factory=dict)  # Bylaws Art. VIII §1
    stock_certificates: CertificateRegister = field(default_factory=CertificateRegister)
    touched: set[tuple[str, str]] = field(default_factory=set)  # (holder, class) this event
    dividends: list[DeclaredDividend] = field(default_factory=list)  # ledger `dividend` events
    # conversion and anti-dilution (Art. IV.B.3)
    price_history: dict[str, list[PriceChange]] = field(default_factory=dict)
    split_factors: dict[str, Fraction] = field(default_factory=dict)  # class -> product of ratios
    # class -> its splits, combinations, stock dividends, recapitalizations (adjusted_terms.py)
    adjustments: dict[str, tuple[Adjustment, ...]] = field(default_factory=dict)
    cash_owed: dict[str, dict[str, Fraction]] = field(default_factory=dict)  # holder->class->$
    cash_paid: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    cash_history: list[CashRecord] = field(default_factory=list)  # Art. IV.B.3(c)
    # (a factory, not a plain default, so that a restored state decodes it when first read)
    antidilution_book: AntiDilutionBook | None = field(default_factory=lambda: None)
    ipo: IpoRecord | None = None  # the recorded IPO (converts the preferred, Art. IV.B.3(b))
    registrations: list[Registration] = field(default_factory=list)  # effective statements
    # class -> (last price per share recorded, the event): what a noticed price is compared
    # with (Bylaws Art. VIII §1(b))
    class_prices: dict[str, tuple[Fraction, str]] = field(default_factory=dict)
    offices: list[OfficeTerm] = field(default_factory=list)  # officers and directors, dated
    # series the board designated out of the undesignated preferred: (the certificate they
    # were designated under, the series' terms as written) (Post-IPO Art. IV)
    designated_series: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    record_notices: list[RecordNotice] = field(default_factory=list)
    readings: dict[str, str] = field(default_factory=dict)  # --reading choices for the replay
    pending_conversions: list[PendingConversion] = field(default_factory=list)  # until closing
    board_approvals: dict[str, BoardAct] = field(default_factory=dict)  # by event id
    # shares of other classes delivered on conversion with each share of Common, after a
    # recapitalization of the Common (Art. IV.B.3(f))
    conversion_extras: dict[str, Fraction] = field(default_factory=dict)
    board_size: BoardSizeRecord | None = None  # the whole board, as last fixed
    stockholder_consents: list[ConsentRecord] = field(default_factory=list)  # Bylaws Art. II §11
    meeting_results: list[MeetingRecord] = field(default_factory=list)  # Bylaws Art. II §8-§10
    convertibles: dict[str, ConvertibleState] = field(default_factory=dict)  # SAFEs and notes

    if not TYPE_CHECKING:  # (hidden from the type checker, which would accept any name)

        def __getattr__(self, name: str) -> Any:
            """A field of a restored state, decoded (or, for the stakeholders, loaded) when it
            is first read (state/cached.py: `restore`)."""
            lazy = self.__dict__.get("_lazy")
            if lazy is None or name not in lazy:
                raise AttributeError(name)
            with collector_paused():
                value = lazy[name]()
            self.__dict__[name] = value
            return value

    def stock_class(self, class_id: str) -> StockClass | None:
        return self.certificate.stock_class(class_id)

    def class_name(self, class_id: str) -> str:
        """A class or series as the certificate names it (its id if the terms do not)."""
        c = self.stock_class(class_id)
        return c.name if c is not None else class_id

    def held(self, holder: str, class_id: str) -> int:
        return self.holdings.get(holder, {}).get(class_id, 0)

    def add_shares(self, holder: str, class_id: str, shares: int) -> None:
        """Add (or, negative, remove) shares of a class to a holder, keeping class totals."""
        self.touched.add((holder, class_id))
        by_class = self.holdings.setdefault(holder, {})
        left = by_class.get(class_id, 0) + shares
        if left:
            by_class[class_id] = left
        else:
            by_class.pop(class_id, None)
            if not by_class:
                del self.holdings[holder]
        self.outstanding[class_id] = self.outstanding.get(class_id, 0) + shares

    def conversion_price(self, class_id: str) -> Fraction | None:
        """The conversion price in force for a class (its initial price until adjusted)."""
        if class_id in self.conversion_prices:
            return self.conversion_prices[class_id]
        c = self.stock_class(class_id)
        return None if c is None else c.conversion_price

    def conversion_ratio(self, class_id: str) -> Fraction:
        """Common shares per share of the class: original issue price / conversion price
        (Art. IV.B.3(a)); 1 for common."""
        c = self.stock_class(class_id)
        if c is None or c.kind == "common":
            return _ONE
        oip = issue_price(self, c)
        price = self.conversion_price(class_id)
        if oip is None or not price:
            return _ONE
        return oip / price


_ONE = Fraction(1)


@contextmanager
def collector_paused() -> Iterator[None]:
    """For work that makes many lasting objects and no cyclic garbage (a replay, a state
    cached or restored): the cyclic garbage collector, which would otherwise walk every
    object of the process again each time enough new ones were made, waits until it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
