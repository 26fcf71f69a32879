"""The state of the company after replaying its ledger up to a date."""

from __future__ import annotations

import copyreg
import datetime as dt
import gc
import hashlib
import io
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from charter.ledger.events import Stakeholder
from charter.state.adjusted_terms import Adjustment, issue_price
from charter.state.certificates import CertificateRegister
from charter.terms.model import Certificate, StockClass, TermsSet

if TYPE_CHECKING:
    from charter.state.antidilution import AntiDilutionBook
    from charter.state.dividends import DeclaredDividend
    from charter.state.rofr import Notice


@dataclass
class GrantState:
    """An option, warrant or right, and what is left of it."""

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

    @property
    def outstanding(self) -> int:
        return self.granted - self.exercised - self.expired


@dataclass
class PlanState:
    """An equity incentive plan and the shares it reserves."""

    id: str
    shares: int
    date: dt.date
    approvals: list[str] = field(default_factory=list)
    granted: int = 0


@dataclass(frozen=True)
class PriceChange:
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


@dataclass(frozen=True)
class CashRecord:
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


@dataclass(frozen=True)
class BoardAct:
    """A resolution of the board recorded in the ledger (a `board_approval` event)."""

    id: str
    date: dt.date
    approves: tuple[str, ...]
    by: str  # "meeting" or "written_consent"


@dataclass(frozen=True)
class ConsentRecord:
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


@dataclass(frozen=True)
class MeetingRecord:
    """A stockholder meeting's outcome recorded in the ledger (a `meeting_result` event):
    `outcome` is the tally as `charter tally --json` gives it (Bylaws Art. II §8-§10)."""

    event: str | None  # its id, if it has one
    date: dt.date
    kind: str
    record_date: dt.date | None
    outcome: dict[str, Any]


@dataclass(frozen=True)
class PendingConversion:
    """A conversion elected on condition of the closing of the public offering: deemed to
    occur immediately after the closing, and not before (Art. IV.B.3(c))."""

    date: dt.date
    event: str
    classes: tuple[str, ...]


@dataclass(frozen=True)
class IpoRecord:
    """The company's initial public offering as recorded by an `ipo` event."""

    date: dt.date
    event: str
    price: Fraction
    gross_proceeds: Fraction
    qualified: bool
    closing_date: dt.date
    effective_date: dt.date
    standoff_requested: bool = True  # by the company or an underwriter (Bylaws Art. VI §6)


@dataclass(frozen=True)
class RecordNotice:
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


@dataclass
class TermsChange:
    date: dt.date
    certificate: str
    event_index: int


@dataclass(frozen=True)
class BoardSizeRecord:
    """The number of directors constituting the whole board, as last fixed on the ledger."""

    directors: int
    date: dt.date
    by: str
    event: str | None  # its id, if it has one


@dataclass
class State:
    """Everything the rules need, as of `as_of` (the date of the last event applied)."""

    terms: TermsSet
    certificate: Certificate
    stakeholders: dict[str, Stakeholder]
    as_of: dt.date | None = None
    holdings: dict[str, dict[str, int]] = field(default_factory=dict)
    outstanding: dict[str, int] = field(default_factory=dict)
    grants: dict[str, GrantState] = field(default_factory=dict)
    plans: dict[str, PlanState] = field(default_factory=dict)
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
    antidilution_book: AntiDilutionBook | None = None
    ipo: IpoRecord | None = None  # the recorded IPO (ends the ROFR, starts the stand-off)
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

    if not TYPE_CHECKING:  # (hidden from the type checker, which would accept any name)

        def __getattr__(self, name: str) -> Any:
            """A field of a restored snapshot, unpickled (or, for the stakeholders, loaded)
            when it is first read (`restore`)."""
            packed = self.__dict__.get("_packed")
            if packed is None or name not in packed:
                raise AttributeError(name)
            if callable(packed[name]):
                value = packed[name]()
            else:
                with collector_paused():
                    value = pickle.loads(packed[name])
            self.__dict__[name] = value
            return value

    def stock_class(self, class_id: str) -> StockClass | None:
        return self.certificate.stock_class(class_id)

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


def _state_code_version() -> str:
    """A digest of the state layer's code: a snapshot made by other code is never reused."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


STATE_VERSION = _state_code_version()


# Fields kept as bytes by a restored state until first read: the containers (a query reads
# few of them; a cap table never reads the certificate register). The fields with a plain
# default are restored at once (their default would hide them from __getattr__).
_LAZY = frozenset(f.name for f in fields(State) if f.default_factory is not MISSING)
_NOT_KEPT = ("terms", "stakeholders", "certificate")  # the company's rows hold them


def snapshot(state: State) -> bytes:
    """The state as bytes, without its terms, stakeholders and certificate object (the
    certificate by its id).

    Each field is pickled on its own, so no mutable object may be shared by two fields; a
    field not read since the state was restored keeps the bytes it was restored from."""
    packed = {k: v for k, v in state.__dict__.get("_packed", {}).items() if isinstance(v, bytes)}
    with collector_paused():
        for f in fields(State):
            if f.name in state.__dict__ and f.name not in _NOT_KEPT:
                packed[f.name] = _dumps(state.__dict__[f.name])
    return pickle.dumps(
        {"certificate": state.certificate.id, "fields": packed}, protocol=pickle.HIGHEST_PROTOCOL
    )


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, Fraction: _reduce_fraction}
    pickler.dump(value)
    return out.getvalue()


@contextmanager
def collector_paused() -> Iterator[None]:
    """For work that makes many lasting objects and no cyclic garbage (a replay, a snapshot
    taken or restored): the cyclic garbage collector, which would otherwise walk every
    object of the process again each time enough new ones were made, waits until it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _reduce_fraction(x: Fraction) -> tuple[Any, tuple[int, int]]:
    """Fractions as their two integers (the default pickles them as decimal text, whose
    parsing dominated the restore of a state with long exact prices)."""
    return _fraction, (x.numerator, x.denominator)


def _fraction(numerator: int, denominator: int) -> Fraction:
    """A Fraction from the integers of one that was already in lowest terms."""
    x = object.__new__(Fraction)
    x._numerator = numerator  # type: ignore[attr-defined]
    x._denominator = denominator  # type: ignore[attr-defined]
    return x


def restore(
    blob: bytes,
    terms: TermsSet,
    stakeholders: dict[str, Stakeholder] | Callable[[], dict[str, Stakeholder]],
) -> State:
    """A state from `snapshot`, under the given terms and with the given stakeholders (or
    what loads them when they are first read: a cap table never reads them). Snapshots are
    the store's own cache, written by this code (STATE_VERSION) and never taken from
    outside."""
    data = pickle.loads(blob)
    cert = terms.certificate(data["certificate"])
    if cert is None:
        raise ValueError(
            f"snapshot names certificate {data['certificate']!r}, unknown to the terms"
        )
    packed: dict[str, bytes] = data["fields"]
    state = State.__new__(State)
    with collector_paused():
        eager = {name: pickle.loads(raw) for name, raw in packed.items() if name not in _LAZY}
    lazy: dict[str, bytes | Callable[[], Any]] = {
        name: raw for name, raw in packed.items() if name in _LAZY
    }
    if callable(stakeholders):
        lazy["stakeholders"] = stakeholders
    else:
        eager["stakeholders"] = stakeholders
    state.__dict__.update(eager, terms=terms, certificate=cert, _packed=lazy)
    return state
