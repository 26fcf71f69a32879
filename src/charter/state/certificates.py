"""The certificate register (Bylaws Art. VI §1-4, 7), built during replay.

Every holder is entitled to a certificate for the shares it owns (§1). The register follows
the holdings: after each event, a holder whose shares of a class no longer match its
outstanding certificates surrenders certificates (those the event names, else the oldest
first), and the company cancels them and issues a new certificate for what the holder now
has beyond the rest, the remainder of a partial transfer included (§4). A certificate
alleged lost, stolen or destroyed is replaced on affidavit, with an indemnity bond when the
board requires one (§3). The registered holder is the one the company recognises (§7).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import msgspec

from charter.lazy import DecodedWhenRead
from charter.ledger.events import CertificateReplace, Convert, Issue, Repurchase, Transfer
from charter.state import office_terms as offices
from charter.state.codec import UNPACKING, Packed
from charter.state.rejection import Rejected

if TYPE_CHECKING:
    from charter.state.model import State


class PartlyPaid(msgspec.Struct):
    """The consideration to be paid for partly paid shares, and what is paid (§1)."""

    total: Fraction
    paid: Fraction


class StockCertificate(msgspec.Struct):
    """One certificate of the register."""

    number: str
    holder: str
    class_id: str
    shares: int
    issued: dt.date
    event: str  # the event that issued it: its id, or its type and index
    origin: str  # issue, transfer, remainder, exercise, convert, replacement, ...
    signers: list[tuple[str, str]] = msgspec.field(default_factory=list)  # (stakeholder, office)
    partly_paid: PartlyPaid | None = None
    cancelled: dt.date | None = None
    cancelled_by: str | None = None
    replaces: str | None = None
    replaced_by: str | None = None
    lost_affidavit: str | None = None
    bond: Fraction | None = None

    @property
    def outstanding(self) -> bool:
        return self.cancelled is None


class Receipt(NamedTuple):
    """A holder received shares on a date, by an event of a type (for the stand-off, §6)."""

    date: dt.date
    how: str


_FIELDS = StockCertificate.__struct_fields__
_DATES = ("issued", "cancelled")  # kept in a snapshot as day numbers


class CertificateTable(DecodedWhenRead[str, StockCertificate]):
    """The certificates of the register by number, in the order issued.

    A table restored from a snapshot keeps its certificates as columns and makes one an
    object when it is first read: a replay after a snapshot reads the few certificates its
    events touch, not the whole register (about one certificate per event)."""

    def __init__(self, columns: dict[str, list[Any]] | None = None) -> None:
        self._columns = columns or {}
        numbers = self._columns.get("number", [])
        # a certificate, or its row in the columns
        self._items: dict[str, StockCertificate | int] = dict(
            zip(numbers, range(len(numbers)), strict=True)
        )

    def stored(self, item: Any) -> bool:
        return isinstance(item, int)

    def decode(self, number: str, item: Any) -> StockCertificate:
        values = {name: column[item] for name, column in self._columns.items()}
        for name in _DATES:
            if values[name] is not None:
                values[name] = dt.date.fromordinal(values[name])
        values["signers"] = list(values["signers"])
        return StockCertificate(**values)

    def columns(self) -> dict[str, list[Any]]:
        """The certificates as a list per field (encoded far faster than an object each):
        dates as day numbers, and the signers as one tuple shared by every certificate with
        the same signers. Rows restored and never read are taken as they are."""
        items = list(self._items.values())
        certs = [c for c in items if not isinstance(c, int)]
        columns: dict[str, list[Any]] = {name: [] for name in _FIELDS}
        if certs:
            rows = map(operator.attrgetter(*_FIELDS), certs)
            columns = dict(zip(_FIELDS, map(list, zip(*rows, strict=True)), strict=True))
        for name in _DATES:
            columns[name] = [None if d is None else d.toordinal() for d in columns[name]]
        columns["signers"] = _shared(columns["signers"])
        if len(certs) < len(items):  # in the order issued: row i, or the next object's
            restored = len(self._columns["number"])
            at = iter(range(restored, restored + len(certs)))
            index = [c if isinstance(c, int) else next(at) for c in items]
            for name in _FIELDS:
                both = self._columns[name] + columns[name]
                columns[name] = [both[i] for i in index]
        return columns


K = TypeVar("K")
V = TypeVar("V")


class Grouped(DecodedWhenRead[K, list[V]]):
    """Lists by key (each holder's receipts, each holding's certificate numbers), kept in a
    snapshot as flat columns: the keys, each list's length, then a column per value of an
    item. A restored list is made when first read: a replay after a snapshot reads the lists
    of the few holders its events touch, not those of every holder."""

    def __init__(
        self,
        make: Callable[..., V],
        values: Callable[[V], tuple[Any, ...]],
        packed: tuple[list[K], list[int], list[list[Any]]] | None = None,
    ) -> None:
        self._make, self._values = make, values
        keys, counts, self._columns = packed or ([], [], [])
        ends = itertools.accumulate(counts)
        # a key's list, or the rows of the columns that hold it
        self._items: dict[K, list[V] | range] = {
            key: range(end - count, end) for key, count, end in zip(keys, counts, ends, strict=True)
        }

    def stored(self, item: Any) -> bool:
        return isinstance(item, range)

    def decode(self, key: K, item: Any) -> list[V]:
        return [self._make(*(c[i] for c in self._columns)) for i in item]

    def packed(self, width: int) -> tuple[list[K], list[int], list[list[Any]]]:
        """The keys, each list's length, and `width` columns of the items' values, in that
        order. Rows restored and never read are taken as they are."""
        counts: list[int] = []
        rows: list[tuple[Any, ...]] = []
        for item in self._items.values():
            counts.append(len(item))
            if isinstance(item, range):
                rows += zip(*(c[item.start : item.stop] for c in self._columns), strict=True)
            else:
                rows += map(self._values, item)
        columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
        return list(self._items), counts, columns


def _receipt(day: int, how: str) -> Receipt:
    return Receipt(dt.date.fromordinal(day), how)


def _receipt_values(r: Receipt) -> tuple[int, str]:
    return r.date.toordinal(), r.how


def _receipts(
    packed: tuple[list[str], list[int], list[list[Any]]] | None = None,
) -> Grouped[str, Receipt]:
    return Grouped(_receipt, _receipt_values, packed)


def _numbers(
    packed: tuple[list[tuple[str, str]], list[int], list[list[Any]]] | None = None,
) -> Grouped[tuple[str, str], str]:
    return Grouped(str, lambda number: (number,), packed)


def _shared(lists: list[list[tuple[str, str]]]) -> list[tuple[tuple[str, str], ...]]:
    """Each list as a tuple, the same tuple for equal lists that follow one another."""
    out: list[tuple[tuple[str, str], ...]] = []
    last: list[tuple[str, str]] | None = None
    for x in lists:
        if x != last:
            last, t = x, tuple(x)
        out.append(t)
    return out


class Follow(NamedTuple):
    """What the register follows after an event (`record`): the event, how the register
    names it, the certificates it surrenders, and each holding it changed, with the shares the
    holder now has of the class."""

    event: Any
    ref: str
    named: list[str]
    holdings: list[tuple[str, str, int]]


# The parts of the register a restored one keeps packed until one of them is first read
_PACKED = ("certificates", "receipts", "next_number", "by_holding", "shares_by_holding")


# A dataclass, not a Struct: restored, it keeps its packed parts in its __dict__ until read.
@dataclass
class CertificateRegister:
    """The register. Restored from a cached state, it keeps its certificates packed, and
    what the holdings changed since (each event's `Follow`, with the signers then known)
    to follow when they are first read: a replay after a cached state, or an append, whose
    events only move shares between holders never decodes the register (Bylaws Art. VI
    §4: the register follows the holdings, event by event, in the same order)."""

    certificates: CertificateTable = field(default_factory=CertificateTable)
    receipts: Grouped[str, Receipt] = field(default_factory=_receipts)
    surrendering: list[str] = field(default_factory=list)  # named by the event being applied
    # (a factory, not a plain default, so that a restored register unpacks it when first read)
    next_number: int = field(default_factory=lambda: 1)
    # outstanding certificate numbers by (holder, class), in the order issued
    by_holding: Grouped[tuple[str, str], str] = field(default_factory=_numbers)
    signers: list[tuple[str, str]] | None = None  # found once per replay
    # shares represented by those outstanding certificates, by (holder, class)
    shares_by_holding: dict[tuple[str, str], int] = field(default_factory=dict)

    if not TYPE_CHECKING:  # (hidden from the type checker, which would accept any name)

        def __getattr__(self, name: str) -> Any:
            """A part of a restored register, unpacked when first read, once, the register
            following what is pending before any part is seen."""
            if name not in _PACKED:
                raise AttributeError(name)
            with UNPACKING:
                if name not in self.__dict__:
                    if "_packed" not in self.__dict__:
                        raise AttributeError(name)
                    self._unpack()
            return self.__dict__[name]

    @property
    def packed(self) -> bool:
        """Whether the register is restored and none of its certificates read yet."""
        return "_packed" in self.__dict__

    def __getstate__(self) -> dict[str, Any]:
        """The register for a cached state: its parts packed on their own (as they were
        read, if they were never read and nothing is pending), the certificates, the receipts
        and the holdings' certificate numbers as columns (encoding an object each dominated
        the cached states), each distinct list of signers once."""
        packed = self.__dict__.get("_packed")
        if packed is None or self.__dict__["_pending"]:
            packed = Packed(self._columns())
        return {"surrendering": self.surrendering, "signers": self.signers, "packed": packed}

    def _columns(self) -> dict[str, Any]:
        columns = self.certificates.columns()
        distinct: dict[tuple[tuple[str, str], ...], int] = {}
        index = [distinct.setdefault(s, len(distinct)) for s in columns.pop("signers")]
        holdings, counts, numbers = self.by_holding.packed(1)
        return {
            "certificates": columns,
            "certificate_signers": [list(distinct), index],
            "receipts": list(self.receipts.packed(2)),
            "next_number": self.next_number,
            # by (holder, class): as columns, one tuple each being slow to decode
            "by_holding": [[k[0] for k in holdings], [k[1] for k in holdings], counts, numbers],
            "shares_by_holding": [
                [k[0] for k in self.shares_by_holding],
                [k[1] for k in self.shares_by_holding],
                list(self.shares_by_holding.values()),
            ],
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(
            surrendering=state["surrendering"],
            signers=state["signers"],
            _packed=state["packed"],
            _pending=[],
        )

    def _unpack(self) -> None:
        """Unpack the parts of a restored register into a register of their own, which
        follows what is pending; then publish them here."""
        packed = self.__dict__["_packed"].value
        table, index = packed["certificate_signers"]
        columns = packed["certificates"]
        columns["signers"] = [table[i] for i in index]
        holders, classes, counts, numbers = packed["by_holding"]
        by_holding = _numbers((list(zip(holders, classes, strict=True)), counts, numbers))
        holders, classes, shares = packed["shares_by_holding"]
        shares_by_holding = dict(zip(zip(holders, classes, strict=True), shares, strict=True))
        holders, counts, receipts = packed["receipts"]
        parts = CertificateRegister(
            certificates=CertificateTable(columns),
            receipts=_receipts((holders, counts, receipts)),
            next_number=packed["next_number"],
            by_holding=by_holding,
            shares_by_holding=shares_by_holding,
        )
        for follow, found in self.__dict__["_pending"]:
            parts.follow(follow, functools.partial(list, found))
        self.__dict__.update({name: parts.__dict__[name] for name in _PACKED})
        del self.__dict__["_packed"], self.__dict__["_pending"]

    def later(self, follow: Follow, found: list[tuple[str, str]]) -> None:
        """Follow the event when the packed parts are first read, the certificates it issues
        signed by `found` (the signers known at the event)."""
        self.__dict__["_pending"].append((follow, found))

    def follow(self, f: Follow, signers_of: Callable[[], list[tuple[str, str]]]) -> None:
        """Bring the register into line with the holdings the event changed: surrendered
        certificates (named by the event, else the holder's oldest) are cancelled; a new
        certificate, signed by `signers_of()`, goes to each holder for the shares it now has
        beyond those still outstanding (Bylaws Art. VI §4)."""
        e, named = f.event, f.named
        for holder, class_id, held in f.holdings:
            key = (holder, class_id)
            on_register = self.shares_by_holding.get(key, 0)
            if held == on_register:
                continue
            numbers = self.by_holding.get(key, [])
            if held > on_register and not (named and any(n in named for n in numbers)):
                self._issue(holder, class_id, held - on_register, f, e.type, signers_of)
                self.receipts.setdefault(holder, []).append(Receipt(e.date, e.type))
                continue
            leaving = max(on_register - held, 0)
            cancelled = 0
            if named:
                current = self.of(holder, class_id)
                for cert in sorted(current, key=lambda c: (c.number not in named, c.issued)):
                    if cancelled >= leaving and cert.number not in named:
                        break
                    self.cancel(cert, e.date, f.ref)
                    cancelled += cert.shares
            else:  # the oldest first: a holding's numbers are in the order issued
                while cancelled < leaving:
                    cert = self.certificates[numbers[0]]
                    self.cancel(cert, e.date, f.ref)
                    cancelled += cert.shares
            remainder = held - (on_register - cancelled)
            if remainder > 0:
                self._issue(holder, class_id, remainder, f, "remainder", signers_of)

    def _issue(
        self,
        holder: str,
        class_id: str,
        shares: int,
        f: Follow,
        origin: str,
        signers_of: Callable[[], list[tuple[str, str]]],
    ) -> None:
        e = f.event
        self.add(
            StockCertificate(
                number=self.new_number(e.certificate if isinstance(e, Issue) else None),
                holder=holder,
                class_id=class_id,
                shares=shares,
                issued=e.date,
                event=f.ref,
                origin=origin,
                signers=signers_of(),
                partly_paid=_partly_paid(e, shares),
            )
        )

    def add(self, cert: StockCertificate) -> None:
        key = (cert.holder, cert.class_id)
        self.certificates[cert.number] = cert
        self.by_holding.setdefault(key, []).append(cert.number)
        self.shares_by_holding[key] = self.shares_by_holding.get(key, 0) + cert.shares

    def cancel(self, cert: StockCertificate, on: dt.date, by: str) -> None:
        key = (cert.holder, cert.class_id)
        cert.cancelled, cert.cancelled_by = on, by
        self.by_holding[key].remove(cert.number)  # the first, unless others are surrendered
        self.shares_by_holding[key] -= cert.shares

    def outstanding(self, holder: str | None = None) -> list[StockCertificate]:
        return [
            c
            for c in self.certificates.values()
            if c.outstanding and (holder is None or c.holder == holder)
        ]

    def of(self, holder: str, class_id: str) -> list[StockCertificate]:
        return [self.certificates[n] for n in self.by_holding.get((holder, class_id), [])]

    def new_number(self, wanted: str | None = None) -> str:
        if wanted is not None:
            return wanted
        while str(self.next_number) in self.certificates:
            self.next_number += 1
        number = str(self.next_number)
        self.next_number += 1
        return number


def require_certificate(state: State, number: str, fld: str) -> StockCertificate:
    cert = state.stock_certificates.certificates.get(number)
    if cert is None:
        raise Rejected(f"certificate {number} is not on the register", fld)
    return cert


def require_outstanding(state: State, number: str, fld: str, citation: str) -> StockCertificate:
    cert = require_certificate(state, number, fld)
    if cert.cancelled is not None:
        how = "replaced as lost" if cert.lost_affidavit else "cancelled"
        raise Rejected(
            f"certificate {number} was already {how} on {cert.cancelled.isoformat()}"
            + (f" (by {cert.cancelled_by})" if cert.cancelled_by else "")
            + "; it cannot be surrendered again",
            fld,
            citation,
        )
    return cert


def check_surrender(state: State, e: Transfer | Repurchase | Convert) -> None:
    """Certificates named as surrendered must be outstanding, the holder's, of the class,
    and represent at least the shares that leave the holder (§4)."""
    if e.certificates is None:
        return
    holder = e.from_ if isinstance(e, Transfer) else e.holder
    citation = state.terms.bylaws.certificates.transfer_citation
    total = 0
    for number in e.certificates:
        cert = require_outstanding(state, number, "certificates", citation)
        if (cert.holder, cert.class_id) != (holder, e.class_):
            raise Rejected(
                f"certificate {number} represents {cert.class_id} of {cert.holder}, not "
                f"{e.class_} of {holder}",
                "certificates",
                citation,
            )
        total += cert.shares
    if total < e.shares:
        raise Rejected(
            f"the certificates surrendered represent {total:,} shares, fewer than the "
            f"{e.shares:,} that leave {holder}",
            "certificates",
            citation,
        )


def apply_surrender(state: State, e: Transfer | Repurchase | Convert) -> None:
    state.stock_certificates.surrendering = list(e.certificates or [])


def check_replace(state: State, e: CertificateReplace) -> None:
    """A lost, stolen or destroyed certificate is replaced on affidavit; a bond when the
    board requires it (Bylaws Art. VI §3)."""
    citation = state.terms.bylaws.certificates.lost_certificate_citation
    require_outstanding(state, e.certificate, "certificate", citation)
    if not e.affidavit.strip():
        raise Rejected(
            "a lost certificate is replaced only on the affidavit of the person claiming it "
            "lost, stolen or destroyed; none is recorded",
            "affidavit",
            citation,
        )
    if e.bond_required and e.bond is None:
        raise Rejected(
            "the board required an indemnity bond as a condition of the new certificate; no "
            "bond is recorded",
            "bond",
            citation,
        )
    if e.new_certificate is not None and e.new_certificate in state.stock_certificates.certificates:
        raise Rejected(f"certificate number {e.new_certificate} is already used", "new_certificate")


def apply_replace(state: State, e: CertificateReplace) -> None:
    reg = state.stock_certificates
    old = reg.certificates[e.certificate]
    reg.cancel(old, e.date, _event_ref(e, state))
    old.lost_affidavit = e.affidavit
    old.bond = None if e.bond is None else Fraction(e.bond)
    new = StockCertificate(
        number=reg.new_number(e.new_certificate),
        holder=old.holder,
        class_id=old.class_id,
        shares=old.shares,
        issued=e.date,
        event=_event_ref(e, state),
        origin="replacement",
        signers=signers(state, e.date),
        partly_paid=old.partly_paid,
        replaces=old.number,
    )
    old.replaced_by = new.number
    reg.add(new)


def check_issue_number(state: State, e: Issue) -> None:
    if e.certificate is not None and e.certificate in state.stock_certificates.certificates:
        raise Rejected(f"certificate number {e.certificate} is already used", "certificate")


def _event_ref(e: Any, state: State) -> str:
    return str(e.id) if e.id is not None else f"{e.type} #{state.events_applied + 1}"


def signers(state: State, on: dt.date) -> list[tuple[str, str]]:
    """The two officers who sign a certificate issued on a date: for each group of offices
    the bylaws name (the chairman, vice-chairman, president or a vice-president; the
    treasurer, an assistant treasurer, the secretary or an assistant secretary), the first
    office of the group someone holds, by the office events (Bylaws Art. V), or else by the
    undated relation `title:<office>` of a stakeholder with no office event (Art. VI §1). A
    group nobody holds an office of is left out (`rules/certificates.py` warns of it). Found
    once until an office event changes who holds office."""
    reg = state.stock_certificates
    if reg.signers is not None:
        return list(reg.signers)
    found: list[tuple[str, str]] = []
    for group in state.terms.bylaws.certificates.signers:
        for office in group:
            who = next(iter(offices.holders_of(state, office, on)), None) or next(
                (
                    s.id
                    for s in state.stakeholders.values()
                    if f"title:{office}" in s.relations and not offices.has_terms(state, s.id)
                ),
                None,
            )
            if who is not None:
                found.append((who, office))
                break
    reg.signers = found
    return list(found)


def _partly_paid(e: Any, shares: int) -> PartlyPaid | None:
    if not isinstance(e, Issue) or e.amount_paid is None:
        return None
    total = shares * Fraction(e.price) + Fraction(e.non_cash_value or 0)
    paid = Fraction(e.amount_paid)
    return PartlyPaid(total, paid) if paid < total else None


def record(state: State, e: Any) -> None:
    """After an event is applied: the register follows the holdings it changed (Bylaws Art.
    VI §4; `CertificateRegister.follow`), at once, or when a restored register is first read
    if the signers of new certificates are known now."""
    if not state.touched:
        # the event changed no holding (a grant, an assertion, ...): a restored register is
        # not read (an event that surrenders certificates moves a positive number of shares)
        return
    reg = state.stock_certificates
    held = [(h, c, state.held(h, c)) for h, c in sorted(state.touched)]
    f = Follow(e, _event_ref(e, state), reg.surrendering, held)
    reg.surrendering = []
    state.touched.clear()
    if reg.packed and reg.signers is not None:
        reg.later(f, reg.signers)
    else:
        reg.follow(f, lambda: signers(state, e.date))
