"""An Open Cap Format package as a company: its stakeholders, a terms file made from its stock
classes (`ocf_terms`), and ledger events made from its stock plans and transactions, which
then replay under those terms like any ledger.

OCF tracks securities (each issuance is a security; a transfer consumes one and results in
others); the ledger tracks holders. A stock issuance that is the result of a transfer, a
conversion, an exercise, a reissuance or a consolidation is not a new issue: it only says
who holds the result. Vesting terms of a shape the ledger's schedule carries (`ocf_vesting`)
become the grant's or restricted stock's `vesting`, started by its vesting start transaction;
accelerations become `acceleration` events; terms of any other shape (or `vestings` arrays)
stay as the vesting's note, and the notes say so. Convertible issuances and conversions
become `issue_convertible` and `convert_convertible` (`ocf_convertibles`), the shares each
conversion issued checked against the replay's. Every problem is one sentence naming the
file, the object id and the field; a package with any problem yields nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import msgspec
import yaml

from charter.errors import CharterError, Problem
from charter.interop.ocf_convertibles import Inexpressible, issue_event, round_price
from charter.interop.ocf_package import MANIFEST, Package, object_problem, tag_of
from charter.interop.ocf_terms import (
    certificate_class,
    class_id_for,
    seniority_tiers,
    terms_from_classes,
    terms_text,
)
from charter.interop.ocf_vesting import TRIGGERS, OcfVestingError, from_ocf
from charter.ledger.events import Company, Stakeholder
from charter.ledger.fileformat import Entry, LedgerDoc, parse_event
from charter.numbers import decimal_str
from charter.replay import replay
from charter.state.model import State
from charter.terms.loader import builtin_names, load_builtin
from charter.terms.model import TermsSet

# OCF relationships that are relations of the ledger (spec/ledger-format.md)
RELATIONS = {
    "EMPLOYEE": "employee",
    "BOARD_MEMBER": "director",
    "OFFICER": "officer",
    "CONSULTANT": "consultant",
    "FOUNDER": "officer",
}

# ledger field -> the OCF field it came from, to name in a replay's refusal
OCF_FIELDS = {
    "holder": "stakeholder_id",
    "class": "stock_class_id",
    "shares": "quantity",
    "price": "share_price",
    "grant": "security_id",
    "from": "security_id",
    "to": "resulting_security_ids",
    "plan": "stock_plan_id",
    "exercise_price": "exercise_price",
    "ratio": "split_ratio",
    "terms": "new_shares_authorized",
}

# transactions that are bookkeeping of the securities only, or that the ledger has no use for
NO_EVENT = {
    "TX_STOCK_ACCEPTANCE",
    "TX_EQUITY_COMPENSATION_ACCEPTANCE",
    "TX_PLAN_SECURITY_ACCEPTANCE",
    "TX_WARRANT_ACCEPTANCE",
    "TX_CONVERTIBLE_ACCEPTANCE",
    "TX_STOCK_PLAN_RETURN_TO_POOL",
}

# transactions read after every issuance: a vesting start may be dated before its security
VESTING_TXS = ("TX_VESTING_START", "TX_VESTING_EVENT", "TX_VESTING_ACCELERATION")

GRANT_KINDS = {
    "OPTION": "option",
    "OPTION_ISO": "option",
    "OPTION_NSO": "option",
    "RSU": "right",
    "CSAR": "right",
    "SSAR": "right",
}


def ident(text: str) -> str:
    """A ledger id ([a-z0-9._-]+) for an OCF id."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")[:100] or "x"


def _num(value: Any) -> Fraction:
    return Fraction(str(value).lstrip("+"))


def _shares(value: Any) -> int | None:
    n = _num(value)
    return int(n) if n.denominator == 1 else None


def _money(value: Any) -> str:
    """An OCF Monetary's amount as the ledger's decimal string, written as it was."""
    amount = value.get("amount", "0") if isinstance(value, dict) else "0"
    return str(amount).lstrip("+")


class Origin(msgspec.Struct):
    """Where a ledger event came from: the file and the OCF object."""

    file: str
    object_id: str


class Security(msgspec.Struct):
    holder: str
    class_id: str


class Imported(msgspec.Struct):
    """A company made from a package: its ledger, its terms (the file's text, or a built-in
    set), what was not carried, and where each event came from."""

    doc: LedgerDoc
    terms: TermsSet
    terms_text: str | None  # None: a built-in terms set named in the ledger
    made_from_classes: bool  # the terms were made from the stock classes (with TODOs)
    notes: list[str]
    origins: list[Origin]


class _Pending(msgspec.Struct):
    key: tuple[Any, ...]
    event: dict[str, Any]
    origin: Origin


class _Importer(msgspec.Struct):
    package: Package
    problems: list[Problem] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)
    holders: dict[str, Stakeholder] = msgspec.field(default_factory=dict)  # OCF id -> stakeholder
    classes: dict[str, str] = msgspec.field(default_factory=dict)  # OCF id -> class id
    # by OCF id, in order
    class_objs: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    plans: dict[str, str] = msgspec.field(default_factory=dict)  # OCF id -> plan id
    plan_reserve: dict[str, int] = msgspec.field(default_factory=dict)
    plan_class: dict[str, str] = msgspec.field(default_factory=dict)
    issuances: dict[str, tuple[str, dict[str, Any]]] = msgspec.field(default_factory=dict)
    securities: dict[str, Security] = msgspec.field(default_factory=dict)
    grants: dict[str, str] = msgspec.field(default_factory=dict)  # security id -> grant id
    grant_events: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    # restricted stock
    issue_events: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    vesting_terms: dict[str, tuple[str, dict[str, Any]]] = msgspec.field(default_factory=dict)
    # security -> its terms
    schedules: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    derived: set[str] = msgspec.field(default_factory=set)  # securities that result from another
    pending: list[_Pending] = msgspec.field(default_factory=list)
    # -> (id, holder)
    convertibles: dict[str, tuple[str, str]] = msgspec.field(default_factory=dict)
    refused: set[str] = msgspec.field(default_factory=set)  # convertibles already named as problems
    rounds: dict[tuple[Any, ...], dict[str, Any]] = msgspec.field(default_factory=dict)
    # shares issued
    conversions: list[tuple[Origin, str, int]] = msgspec.field(default_factory=list)
    checks: list[tuple[Origin, dt.date, str, Fraction]] = msgspec.field(default_factory=list)
    authorized: list[tuple[dt.date, str, str | None, int]] = msgspec.field(default_factory=list)
    order: int = 0

    def fail(self, file: str, obj: dict[str, Any], fld: str, message: str) -> None:
        self.problems.append(object_problem(file, str(obj.get("id", "")), fld, message))

    # -- objects ---------------------------------------------------------------------------

    def read_stakeholders(self) -> None:
        taken: set[str] = set()
        for file, obj in self.package.items("OCF_STAKEHOLDERS_FILE"):
            tag = tag_of(obj)
            sid = ident(obj["id"])
            if sid in taken:
                self.fail(file, obj, "id", f"is used twice (as the ledger id {sid!r})")
                continue
            taken.add(sid)
            rels = obj.get("current_relationships") or (
                [obj["current_relationship"]] if obj.get("current_relationship") else []
            )
            relations = tag.get("relations") or sorted(
                {RELATIONS[r] for r in rels if r in RELATIONS}
            )
            address = tag.get("address") or _address(obj.get("addresses") or [])
            self.holders[obj["id"]] = Stakeholder(
                id=sid, name=obj["name"]["legal_name"], address=address, relations=relations
            )

    def read_classes(self) -> None:
        objs = [obj for _, obj in self.package.items("OCF_STOCK_CLASSES_FILE")]
        taken: set[str] = set()
        for obj in objs:
            kind = "common" if obj["class_type"] == "COMMON" else "preferred"
            self.classes[obj["id"]] = tag_of(obj).get("id") or class_id_for(
                obj["name"], kind, taken
            )
            taken.add(self.classes[obj["id"]])
            self.class_objs[obj["id"]] = obj
        commons = [o for o in objs if o["class_type"] == "COMMON"]
        if len(commons) != 1:
            self.problems.append(
                object_problem(
                    "StockClasses",
                    "",
                    "class_type",
                    f"the package has {len(commons)} COMMON stock classes; charter's terms "
                    "need exactly one (docs/terms-format.md)",
                )
            )

    def read_plans(self) -> None:
        for file, obj in self.package.items("OCF_STOCK_PLANS_FILE"):
            tag = tag_of(obj)
            pid = ident(obj["id"])
            self.plans[obj["id"]] = pid
            ids = obj.get("stock_class_ids") or (
                [obj["stock_class_id"]] if obj.get("stock_class_id") else []
            )
            for cid in ids:
                if cid not in self.classes:
                    self.fail(file, obj, "stock_class_ids", f"names {cid!r}, not a stock class")
            if ids and ids[0] in self.classes:
                self.plan_class[pid] = self.classes[ids[0]]
            shares = _shares(obj["initial_shares_reserved"])
            if shares is None or shares <= 0:
                self.fail(file, obj, "initial_shares_reserved", "must be a whole, positive number")
                continue
            self.plan_reserve[pid] = shares
            event: dict[str, Any] = {"type": "adopt_plan", "id": pid, "shares": shares}
            event.update(tag.get("extra", {}))
            date = obj.get("board_approval_date") or obj.get("stockholder_approval_date")
            if date is None:
                self.fail(file, obj, "board_approval_date", "is needed to date the plan's adoption")
                continue
            self.add(file, obj, date, event, tag, first=True)

    def read_vesting_terms(self) -> None:
        for file, obj in self.package.items("OCF_VESTING_TERMS_FILE"):
            if obj["id"] in self.vesting_terms:
                self.fail(file, obj, "id", "is used twice")
            self.vesting_terms[obj["id"]] = (file, obj)

    def vesting_of(self, file: str, obj: dict[str, Any]) -> dict[str, Any] | str | None:
        """The ledger `vesting` of an issuance with vesting terms (or `vestings`): the
        structured block when its terms have a shape the ledger carries (its start set by
        the vesting start transaction), else the terms as a note, said among the notes."""
        tid = obj.get("vesting_terms_id")
        if obj.get("vestings") or not tid:
            self.notes.append(
                f"{file}: object {obj['id']!r}: its `vestings` (dates and amounts) are not "
                "carried as a schedule: charter keeps them as the vesting's note"
            )
            return _vesting_text(obj)
        if tid not in self.vesting_terms:
            self.fail(file, obj, "vesting_terms_id", f"names {tid!r}, which no vesting terms has")
            return None
        tfile, terms = self.vesting_terms[tid]
        try:
            block = from_ocf(terms, early_exercise=bool(obj.get("early_exercisable")))
        except OcfVestingError as e:
            self.notes.append(
                f"{file}: object {obj['id']!r}: its vesting terms {tid!r} ({tfile}) are not "
                f"carried as a schedule ({e}): charter keeps them as the vesting's note"
            )
            return _vesting_text(obj)
        self.schedules[obj["security_id"]] = terms
        return block.model_dump(mode="json", exclude_defaults=True)

    # -- transactions ----------------------------------------------------------------------

    def add(
        self,
        file: str,
        obj: dict[str, Any],
        date: str,
        event: dict[str, Any],
        tag: dict[str, Any] | None = None,
        first: bool = False,
    ) -> dict[str, Any]:
        """A ledger event, ordered by date (then by our export's sequence, or file order; a
        plan's adoption and a change of the authorized shares first on their date)."""
        self.order += 1
        seq = (tag or {}).get("seq")
        key = (date, 0 if first and seq is None else 1, seq if seq is not None else self.order)
        full = {"date": date, **event}
        self.pending.append(_Pending(key, full, Origin(file, obj["id"])))
        return full

    def holder(self, file: str, obj: dict[str, Any]) -> str | None:
        sid = obj.get("stakeholder_id")
        if sid not in self.holders:
            self.fail(file, obj, "stakeholder_id", f"names {sid!r}, which no stakeholder has")
            return None
        return self.holders[sid].id

    def stock_class(self, file: str, obj: dict[str, Any]) -> str | None:
        cid = obj.get("stock_class_id")
        if cid not in self.classes:
            self.fail(file, obj, "stock_class_id", f"names {cid!r}, which no stock class has")
            return None
        return self.classes[cid]

    def security(self, file: str, obj: dict[str, Any], fld: str = "security_id") -> Security | None:
        sec = self.securities.get(obj.get(fld, ""))
        if sec is None:
            self.fail(file, obj, fld, f"names {obj.get(fld)!r}, which no earlier issuance made")
        return sec

    def grant(self, file: str, obj: dict[str, Any]) -> str | None:
        gid = self.grants.get(obj.get("security_id", ""))
        if gid is None:
            self.fail(
                file,
                obj,
                "security_id",
                f"names {obj.get('security_id')!r}, which no earlier option, warrant or "
                "award issuance made",
            )
        return gid

    def resulting(self, file: str, obj: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """The issuances a transaction results in (its balance excepted)."""
        out = []
        for rid in obj.get("resulting_security_ids") or []:
            if rid == obj.get("balance_security_id"):
                continue
            found = self.issuances.get(rid)
            if found is None:
                self.fail(
                    file, obj, "resulting_security_ids", f"names {rid!r}, which no issuance makes"
                )
                continue
            out.append(found)
        return out

    def index_issuances(self) -> None:
        for file, obj in self.package.items("OCF_TRANSACTIONS_FILE"):
            kind = obj["object_type"]
            if kind == "TX_STOCK_ISSUANCE":
                if obj["security_id"] in self.issuances:
                    self.fail(file, obj, "security_id", "is issued twice")
                self.issuances[obj["security_id"]] = (file, obj)
            for key in ("resulting_security_ids", "security_ids"):
                if kind == "TX_STOCK_CONSOLIDATION" and key == "security_ids":
                    continue
                self.derived.update(obj.get(key) or [])
            for key in ("balance_security_id", "resulting_security_id"):
                if obj.get(key):
                    self.derived.add(obj[key])

    def read_transactions(self) -> None:
        self.index_issuances()
        items = self.package.items("OCF_TRANSACTIONS_FILE")
        # OCF files need not be in date order; a security is used after it is issued
        by_date = sorted(items, key=lambda fo: str(fo[1].get("date", "")))
        firsts = [fo for fo in by_date if fo[1]["object_type"] not in VESTING_TXS]
        for file, obj in firsts + [fo for fo in by_date if fo[1]["object_type"] in VESTING_TXS]:
            handler = HANDLERS.get(obj["object_type"])
            if handler is not None:
                handler(self, file, obj)
            elif obj["object_type"] not in NO_EVENT:
                self.notes.append(
                    f"{file}: object {obj['id']!r} ({obj['object_type']}) is not carried: "
                    "charter's ledger has no such event"
                )

    def result_holder(self, obj: dict[str, Any], sec: Security) -> None:
        """The resulting and balance securities of a stock transaction: who holds them."""
        for rid in (obj.get("balance_security_id"),):
            if rid:
                self.securities[rid] = Security(sec.holder, sec.class_id)

    def stock_issuance(self, file: str, obj: dict[str, Any]) -> None:
        holder, cls = self.holder(file, obj), self.stock_class(file, obj)
        if holder is None or cls is None:
            return
        self.securities[obj["security_id"]] = Security(holder, cls)
        tag = tag_of(obj)
        if obj["security_id"] in self.derived or tag.get("position"):
            return  # the result of another transaction (or event), which made the ledger event
        event = {
            "type": "issue",
            "holder": holder,
            "class": cls,
            "shares": self.quantity(file, obj, "quantity"),
            "price": _money(obj["share_price"]),
        }
        if obj.get("vesting_terms_id") or obj.get("vestings"):
            block = self.vesting_of(file, obj)
            if isinstance(block, dict):
                event["vesting"] = block
            elif block is not None:
                event["note"] = f"OCF vesting: {block}"
        event.update(tag.get("extra", {}))
        self.issue_events[obj["security_id"]] = self.add(file, obj, obj["date"], event, tag)

    def quantity(self, file: str, obj: dict[str, Any], fld: str) -> int:
        n = _shares(obj.get(fld, "0"))
        if n is None or n <= 0:
            self.fail(file, obj, fld, f"is {obj.get(fld)!r}; the ledger counts whole shares")
            return 1
        return n

    def stock_transfer(self, file: str, obj: dict[str, Any]) -> None:
        sec = self.security(file, obj)
        if sec is None:
            return
        tag = tag_of(obj)
        results = self.resulting(file, obj)
        total = self.quantity(file, obj, "quantity")
        got = sum(_shares(r[1]["quantity"]) or 0 for r in results)
        if results and got != total:
            self.fail(
                file,
                obj,
                "quantity",
                f"is {total:,}, but the resulting issuances hold {got:,} shares",
            )
            return
        for _rfile, robj in results:
            to = self.holders.get(robj.get("stakeholder_id", ""))
            if to is None:
                continue  # named by the issuance's own check
            event: dict[str, Any] = {
                "type": "transfer",
                "from": sec.holder,
                "to": to.id,
                "class": sec.class_id,
                "shares": _shares(robj["quantity"]) or 0,
            }
            price = _num(robj["share_price"]["amount"])
            if price:
                event["price"] = decimal_str(price)
            event.update(tag.get("extra", {}))
            self.add(file, obj, obj["date"], event, tag)
        self.result_holder(obj, sec)

    def stock_conversion(self, file: str, obj: dict[str, Any]) -> None:
        sec = self.security(file, obj)
        if sec is None:
            return
        tag = tag_of(obj)
        event = {
            "type": "convert",
            "holder": sec.holder,
            "class": sec.class_id,
            "shares": self.quantity(file, obj, "quantity_converted"),
        }
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)
        self.result_holder(obj, sec)

    def stock_repurchase(self, file: str, obj: dict[str, Any]) -> None:
        sec = self.security(file, obj)
        if sec is None:
            return
        tag = tag_of(obj)
        price = obj.get("price")
        event: dict[str, Any] = {
            "type": "repurchase",
            "holder": sec.holder,
            "class": sec.class_id,
            "shares": self.quantity(file, obj, "quantity"),
            "price": _money(price),
        }
        if obj["object_type"] == "TX_STOCK_CANCELLATION":
            event["note"] = f"OCF stock cancellation: {obj.get('reason_text', '')}"[:500]
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)
        self.result_holder(obj, sec)

    def stock_reissuance(self, file: str, obj: dict[str, Any]) -> None:
        """A reissuance or consolidation: the same holder's shares under new security ids."""
        sources = obj.get("security_ids") or [obj.get("security_id")]
        secs = [self.securities.get(s or "") for s in sources]
        if any(s is None for s in secs):
            self.fail(file, obj, "security_id", f"names {sources!r}; not every one was issued")
            return
        first = secs[0]
        assert first is not None
        targets = obj.get("resulting_security_ids") or [obj.get("resulting_security_id")]
        for rid in targets:
            found = self.issuances.get(rid or "")
            if found is not None and found[1].get("stakeholder_id") not in self.holders:
                continue
            if found is not None and self.holders[found[1]["stakeholder_id"]].id != first.holder:
                self.fail(
                    file,
                    obj,
                    "resulting_security_ids",
                    f"gives {rid!r} to another holder; a reissuance keeps the holder",
                )
            self.securities[rid or ""] = Security(first.holder, first.class_id)

    def stock_retraction(self, file: str, obj: dict[str, Any]) -> None:
        """The issuance never happened: its event is withdrawn."""
        sid = obj.get("security_id", "")
        found = self.issuances.get(sid)
        before = len(self.pending)
        if found is not None:
            self.pending = [p for p in self.pending if p.origin.object_id != found[1]["id"]]
        if found is None or len(self.pending) == before:
            self.fail(file, obj, "security_id", f"names {sid!r}, which no issuance made")

    def split(self, file: str, obj: dict[str, Any]) -> None:
        cls = self.stock_class(file, obj)
        if cls is None:
            return
        ratio = obj["split_ratio"]
        new, old = _num(ratio["numerator"]), _num(ratio["denominator"])
        r = new / old
        tag = tag_of(obj)
        event = {"type": "split", "class": cls, "ratio": f"{r.numerator}:{r.denominator}"}
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)

    def conversion_ratio(self, file: str, obj: dict[str, Any]) -> None:
        """An adjusted conversion ratio: the terms compute conversion prices themselves; the
        package's figure is checked against theirs after the replay."""
        cls = self.stock_class(file, obj)
        mech = obj["new_ratio_conversion_mechanism"]
        price = mech.get("conversion_price")
        if cls is None or price is None:
            return
        self.checks.append(
            (
                Origin(file, obj["id"]),
                dt.date.fromisoformat(obj["date"]),
                cls,
                _num(price["amount"]),
            )
        )

    def authorized_shares(self, file: str, obj: dict[str, Any]) -> None:
        """A change of a class's (or the issuer's) authorized shares: a new certificate."""
        n = _shares(obj["new_shares_authorized"])
        if n is None:
            self.fail(file, obj, "new_shares_authorized", "must be a whole number")
            return
        cls = None
        if obj["object_type"] == "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT":
            cls = self.stock_class(file, obj)
            if cls is None:
                return
        self.authorized.append((dt.date.fromisoformat(obj["date"]), obj["id"], cls, n))
        self.order += 1
        self.pending.append(
            _Pending(
                (obj["date"], 0, self.order),
                {"date": obj["date"], "type": "adopt_terms", "terms": f"from-{ident(obj['id'])}"},
                Origin(file, obj["id"]),
            )
        )

    def plan_pool(self, file: str, obj: dict[str, Any]) -> None:
        pid = self.plans.get(obj.get("stock_plan_id", ""))
        if pid is None:
            self.fail(file, obj, "stock_plan_id", f"names {obj.get('stock_plan_id')!r}, not a plan")
            return
        n = _shares(obj["shares_reserved"])
        if n is None:
            self.fail(file, obj, "shares_reserved", "must be a whole number")
            return
        delta = n - self.plan_reserve.get(pid, 0)
        self.plan_reserve[pid] = n
        if delta:
            tag = tag_of(obj)
            event = {"type": "plan_amend", "plan": pid, "shares": delta}
            event.update(tag.get("extra", {}))
            self.add(file, obj, obj["date"], event, tag)

    def equity_issuance(self, file: str, obj: dict[str, Any]) -> None:
        holder = self.holder(file, obj)
        kind = (
            "warrant"
            if obj["object_type"] == "TX_WARRANT_ISSUANCE"
            else GRANT_KINDS.get(obj.get("compensation_type", ""), "right")
        )
        tag = tag_of(obj)
        plan = self.plans.get(obj.get("stock_plan_id", "")) if obj.get("stock_plan_id") else None
        if obj.get("stock_plan_id") and plan is None:
            self.fail(file, obj, "stock_plan_id", f"names {obj['stock_plan_id']!r}, not a plan")
            return
        cls = tag.get("class")
        if cls is None and obj.get("stock_class_id"):
            cls = self.stock_class(file, obj)
        elif cls is None and plan is not None:
            cls = self.plan_class.get(plan)
        if cls is None and kind == "warrant":
            cls = _warrant_class(obj, self.classes)
        if cls is None:
            cls = next(
                (
                    self.classes[i]
                    for i, o in self.class_objs.items()
                    if o["class_type"] == "COMMON"
                ),
                None,
            )
        if holder is None or cls is None:
            return
        gid = ident(obj["security_id"])
        if obj["security_id"] in self.grants:
            self.fail(file, obj, "security_id", "is issued twice")
            return
        self.grants[obj["security_id"]] = gid
        if "quantity" not in obj:
            self.fail(file, obj, "quantity", "is needed: the ledger grants a number of shares")
            return
        price = obj.get("exercise_price") or obj.get("base_price")
        event: dict[str, Any] = {
            "type": "grant",
            "id": gid,
            "kind": tag.get("kind", kind),
            "holder": holder,
            "class": cls,
            "shares": self.quantity(file, obj, "quantity"),
            "exercise_price": _money(price),
        }
        expires = obj.get("expiration_date") or obj.get("warrant_expiration_date")
        if expires:
            event["expires"] = expires
        if plan is not None:
            event["plan"] = plan
        if obj.get("vesting_terms_id") or obj.get("vestings"):
            vesting = self.vesting_of(file, obj)
            if vesting is not None:
                event["vesting"] = vesting
        event.update(tag.get("extra", {}))
        self.grant_events[obj["security_id"]] = self.add(file, obj, obj["date"], event, tag)

    def exercise(self, file: str, obj: dict[str, Any]) -> None:
        gid = self.grant(file, obj)
        if gid is None:
            return
        results = self.resulting(file, obj)
        if "quantity" in obj:
            shares = self.quantity(file, obj, "quantity")
        else:  # a warrant's exercise says its quantity in the issuances it results in
            shares = sum(_shares(r[1]["quantity"]) or 0 for r in results)
        tag = tag_of(obj)
        event = {"type": "exercise", "grant": gid, "shares": shares}
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)

    def cancellation(self, file: str, obj: dict[str, Any]) -> None:
        gid = self.grant(file, obj)
        if gid is None:
            return
        tag = tag_of(obj)
        event = {"type": "expire", "grant": gid, "shares": self.quantity(file, obj, "quantity")}
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)

    def grant_retraction(self, file: str, obj: dict[str, Any]) -> None:
        gid = self.grant(file, obj)
        if gid is not None:
            self.pending = [
                p for p in self.pending if p.event.get("id") != gid and p.event.get("grant") != gid
            ]

    def grant_transfer(self, file: str, obj: dict[str, Any]) -> None:
        self.fail(
            file,
            obj,
            "object_type",
            "transfers an option, award or warrant, which charter's ledger cannot record "
            "(only shares are transferred: spec/ledger-format.md)",
        )

    def vesting_start(self, file: str, obj: dict[str, Any]) -> None:
        """The day a security's schedule starts (the ledger's `vesting.start`; by default the
        day of the grant or issue)."""
        sid = obj.get("security_id", "")
        event = self.grant_events.get(sid) or self.issue_events.get(sid)
        if event is None:
            self.not_carried(file, obj)
            return
        vesting = event.get("vesting")
        if isinstance(vesting, dict):
            if obj["date"] != event["date"]:
                vesting["start"] = obj["date"]
        elif isinstance(vesting, str):
            event["vesting"] = f"{vesting}; start {obj['date']}"
        elif isinstance(event.get("note"), str):
            event["note"] = f"{event['note']}; start {obj['date']}"

    def vesting_event(self, file: str, obj: dict[str, Any]) -> None:
        """A condition of the security's terms met: an acceleration when it is one of the
        ledger's (its portion of the unvested), the start when it is the start; otherwise
        the ledger has no event for it."""
        terms = self.schedules.get(obj.get("security_id", ""))
        cid = obj.get("vesting_condition_id")
        conditions = {c.get("id"): c for c in (terms or {}).get("vesting_conditions", [])}
        condition = conditions.get(cid)
        if condition is None or obj.get("security_id") not in self.grants:
            self.not_carried(file, obj)
            return
        if (condition.get("trigger") or {}).get("type") == "VESTING_START_DATE":
            self.vesting_start(file, obj)
            return
        if cid not in TRIGGERS.values():
            self.not_carried(file, obj)
            return
        portion = condition["portion"]
        fraction = _num(portion["numerator"]) / _num(portion["denominator"])
        tag = tag_of(obj)
        event = {"type": "acceleration", "grant": self.grants[obj["security_id"]]}
        event["fraction"] = f"{fraction.numerator}/{fraction.denominator}"
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)

    def acceleration(self, file: str, obj: dict[str, Any]) -> None:
        """Shares vested ahead of the schedule: the ledger's `acceleration` (or, written by
        our export, its performance `vest`, or an acceleration of a fraction)."""
        gid = self.grants.get(obj.get("security_id", ""))
        if gid is None:
            self.not_carried(file, obj)
            return
        tag = tag_of(obj)
        event: dict[str, Any] = {"type": tag.get("kind", "acceleration"), "grant": gid}
        if "seq" not in tag:  # another tool's: the quantity is the shares
            event["shares"] = self.quantity(file, obj, "quantity")
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)

    def convertible_issuance(self, file: str, obj: dict[str, Any]) -> None:
        """A SAFE or a convertible note: the ledger's `issue_convertible` (ocf_convertibles)."""
        holder = self.holder(file, obj)
        if holder is None:
            return
        if obj["security_id"] in self.convertibles:
            self.fail(file, obj, "security_id", "is issued twice")
            return
        try:
            terms = issue_event(obj, None)
        except Inexpressible as e:
            self.fail(file, obj, e.field, str(e))
            self.refused.add(obj["security_id"])
            return
        cid = ident(obj["security_id"])
        self.convertibles[obj["security_id"]] = (cid, holder)
        tag = tag_of(obj)
        event = {"type": "issue_convertible", "id": cid, "holder": holder, **terms}
        event.update(tag.get("extra", {}))
        self.add(file, obj, obj["date"], event, tag)

    def convertible_conversion(self, file: str, obj: dict[str, Any]) -> None:
        """An instrument converted into the shares of the one stock issuance it results in.
        The conversions of one round (ours: of one event, by its tag; another tool's: of one
        date, class and price) are one `convert_convertible`, at the round's price; the
        shares the package issues are checked against those the replay gives."""
        found = self.convertibles.get(obj.get("security_id", ""))
        if obj.get("security_id") in self.refused:
            return
        if found is None:
            self.fail(
                file,
                obj,
                "security_id",
                f"names {obj.get('security_id')!r}, which no earlier convertible issuance made",
            )
            return
        cid, holder = found
        results = self.resulting(file, obj)
        if len(results) != 1 or obj.get("balance_security_id"):
            self.fail(
                file,
                obj,
                "resulting_security_ids",
                "must name one stock issuance of all the shares it converted into: charter "
                "converts an instrument whole, into shares of one class",
            )
            return
        rfile, robj = results[0]
        cls = self.stock_class(rfile, robj)
        to = self.holders.get(robj.get("stakeholder_id", ""))
        if cls is None or to is None:
            return  # named by the issuance's own check
        if to.id != holder:
            self.fail(
                file, obj, "resulting_security_ids", "gives the shares to another than its holder"
            )
            return
        tag = tag_of(obj)
        try:
            price = round_price(tag, self.class_objs.get(robj["stock_class_id"]))
        except Inexpressible as e:
            self.fail(file, obj, e.field, str(e))
            return
        key = ("seq", tag["seq"]) if "seq" in tag else (obj["date"], cls, price)
        event = self.rounds.get(key)
        if event is None:
            event = {"type": "convert_convertible", "convertibles": [cid], "class": cls}
            event["price"] = price
            event.update(tag.get("extra", {}))
            self.rounds[key] = self.add(file, obj, obj["date"], event, tag)
        else:
            event["convertibles"].append(cid)
        shares = self.quantity(rfile, robj, "quantity")
        self.conversions.append((Origin(file, obj["id"]), cid, shares))

    def convertible_retraction(self, file: str, obj: dict[str, Any]) -> None:
        """The instrument was never issued: its issue is withdrawn."""
        found = self.convertibles.get(obj.get("security_id", ""))
        if found is None:
            sid = obj.get("security_id")
            self.fail(
                file, obj, "security_id", f"names {sid!r}, which no convertible issuance made"
            )
            return
        self.pending = [
            p
            for p in self.pending
            if p.event["type"] != "issue_convertible" or p.event.get("id") != found[0]
        ]

    def convertible_unrecorded(self, file: str, obj: dict[str, Any]) -> None:
        """A transfer or cancellation of a SAFE or a note: the ledger has no such event, and
        leaving it out would keep the instrument outstanding."""
        verb = "transfers" if obj["object_type"] == "TX_CONVERTIBLE_TRANSFER" else "cancels"
        self.fail(
            file,
            obj,
            "object_type",
            f"{verb} a SAFE or a note, which charter's ledger cannot record (an instrument "
            "ends only by converting: docs/ledger-additions.md, convert_convertible)",
        )

    def not_carried(self, file: str, obj: dict[str, Any]) -> None:
        self.notes.append(
            f"{file}: object {obj['id']!r} ({obj['object_type']}): the vesting of "
            f"{obj.get('security_id')!r} on {obj.get('date')} is not carried: it is not an "
            "option, award or restricted stock with a schedule charter reads"
        )


HANDLERS = {
    "TX_STOCK_ISSUANCE": _Importer.stock_issuance,
    "TX_STOCK_TRANSFER": _Importer.stock_transfer,
    "TX_STOCK_CONVERSION": _Importer.stock_conversion,
    "TX_STOCK_REPURCHASE": _Importer.stock_repurchase,
    "TX_STOCK_CANCELLATION": _Importer.stock_repurchase,
    "TX_STOCK_REISSUANCE": _Importer.stock_reissuance,
    "TX_STOCK_CONSOLIDATION": _Importer.stock_reissuance,
    "TX_STOCK_RETRACTION": _Importer.stock_retraction,
    "TX_STOCK_CLASS_SPLIT": _Importer.split,
    "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT": _Importer.conversion_ratio,
    "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT": _Importer.authorized_shares,
    "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT": _Importer.authorized_shares,
    "TX_STOCK_PLAN_POOL_ADJUSTMENT": _Importer.plan_pool,
    "TX_EQUITY_COMPENSATION_ISSUANCE": _Importer.equity_issuance,
    "TX_PLAN_SECURITY_ISSUANCE": _Importer.equity_issuance,
    "TX_WARRANT_ISSUANCE": _Importer.equity_issuance,
    "TX_EQUITY_COMPENSATION_EXERCISE": _Importer.exercise,
    "TX_PLAN_SECURITY_EXERCISE": _Importer.exercise,
    "TX_EQUITY_COMPENSATION_RELEASE": _Importer.exercise,
    "TX_PLAN_SECURITY_RELEASE": _Importer.exercise,
    "TX_WARRANT_EXERCISE": _Importer.exercise,
    "TX_EQUITY_COMPENSATION_CANCELLATION": _Importer.cancellation,
    "TX_PLAN_SECURITY_CANCELLATION": _Importer.cancellation,
    "TX_WARRANT_CANCELLATION": _Importer.cancellation,
    "TX_EQUITY_COMPENSATION_RETRACTION": _Importer.grant_retraction,
    "TX_PLAN_SECURITY_RETRACTION": _Importer.grant_retraction,
    "TX_WARRANT_RETRACTION": _Importer.grant_retraction,
    "TX_EQUITY_COMPENSATION_TRANSFER": _Importer.grant_transfer,
    "TX_PLAN_SECURITY_TRANSFER": _Importer.grant_transfer,
    "TX_WARRANT_TRANSFER": _Importer.grant_transfer,
    "TX_VESTING_START": _Importer.vesting_start,
    "TX_VESTING_EVENT": _Importer.vesting_event,
    "TX_VESTING_ACCELERATION": _Importer.acceleration,
    "TX_CONVERTIBLE_ISSUANCE": _Importer.convertible_issuance,
    "TX_CONVERTIBLE_CONVERSION": _Importer.convertible_conversion,
    "TX_CONVERTIBLE_TRANSFER": _Importer.convertible_unrecorded,
    "TX_CONVERTIBLE_CANCELLATION": _Importer.convertible_unrecorded,
    "TX_CONVERTIBLE_RETRACTION": _Importer.convertible_retraction,
}


def _address(addresses: list[dict[str, Any]]) -> str | None:
    if not addresses:
        return None
    a = addresses[0]
    parts = [
        a.get("street_suite"),
        a.get("city"),
        a.get("country_subdivision"),
        a.get("postal_code"),
    ]
    text = ", ".join(str(p).replace("\n", ", ") for p in parts if p)
    return (text + f" {a.get('country', '')}").strip() or None


def _vesting_text(obj: dict[str, Any]) -> str:
    if obj.get("vesting_terms_id"):
        return f"OCF vesting terms {obj['vesting_terms_id']}"
    return "OCF vestings " + ", ".join(
        f"{v.get('date')}: {v.get('amount')}" for v in obj.get("vestings") or []
    )


def _warrant_class(obj: dict[str, Any], classes: dict[str, str]) -> str | None:
    for trigger in obj.get("exercise_triggers") or []:
        cid = (trigger.get("conversion_right") or {}).get("converts_to_stock_class_id")
        if cid in classes:
            return classes[cid]
    return None


def _certificates(
    imp: _Importer, objs: list[dict[str, Any]], issuer: dict[str, Any]
) -> list[tuple[str, dt.date | None, list[dict[str, Any]], int | None]]:
    """The certificate in force at first, and one after each change of authorized shares."""
    common = next((imp.classes[o["id"]] for o in objs if o["class_type"] == "COMMON"), "common")
    tiers = seniority_tiers(objs)
    blocks = [certificate_class(o, imp.classes[o["id"]], common, tiers) for o in objs]
    total = issuer.get("initial_shares_authorized")
    issuer_total = _shares(total) if total not in (None, "UNLIMITED", "NOT APPLICABLE") else None
    out: list[tuple[str, dt.date | None, list[dict[str, Any]], int | None]] = [
        ("from-ocf", None, blocks, issuer_total)
    ]
    for date, oid, cls, n in sorted(imp.authorized, key=lambda a: a[0]):
        blocks = [
            {**b, "authorized": n, "citation": f"OCF {oid} new_shares_authorized"}
            if b["id"] == cls
            else b
            for b in blocks
        ]
        if cls is None:
            issuer_total = n
        out.append((f"from-{ident(oid)}", date, blocks, issuer_total))
    return out


def _terms_from_package(
    imp: _Importer, package: Package
) -> tuple[TermsSet | None, str | None, str]:
    """The terms: those our export put beside the package (a file, or a built-in set's
    name), else made from the stock classes. Returns (terms, file text or None, ref)."""
    tag = tag_of(package.manifest)
    ref = tag.get("terms")
    if isinstance(ref, str) and ref in builtin_names() and not tag.get("terms_file"):
        return load_builtin(ref), None, ref
    if isinstance(tag.get("terms_file"), str) and package.reader is not None:
        text = package.reader.read(tag["terms_file"]).decode("utf-8")
        data = yaml.safe_load(text)
        return _validated(imp, data, tag["terms_file"]), text, "terms.yaml"
    issuer = package.manifest["issuer"]
    certs = _certificates(imp, list(imp.class_objs.values()), issuer)
    data = terms_from_classes(issuer["legal_name"], ident(issuer["legal_name"]), certs)
    if issuer.get("formation_date"):
        data["bylaws"]["adopted"] = dt.date.fromisoformat(issuer["formation_date"])
    return _validated(imp, data, "StockClasses"), terms_text(data, []), "terms.yaml"


def _validated(imp: _Importer, data: Any, source: str) -> TermsSet | None:
    from pydantic import ValidationError

    try:
        return TermsSet.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            imp.problems.append(
                Problem(
                    f"the terms made from it do not validate: {err['msg']}",
                    file=source,
                    field=".".join(str(p) for p in err["loc"]),
                )
            )
        return None


def import_package(package: Package) -> Imported:
    """The company a package describes, replayed under its terms; or every problem."""
    imp = _Importer(package, problems=list(package.problems))
    issuer = package.manifest["issuer"]
    imp.read_stakeholders()
    imp.read_classes()
    imp.read_plans()
    imp.read_vesting_terms()
    imp.read_transactions()
    terms, text, ref = _terms_from_package(imp, package)
    if imp.problems or terms is None:
        raise CharterError(imp.problems)
    entries, origins = _entries(imp, package)
    if imp.problems:
        raise CharterError(imp.problems)
    mtag = tag_of(package.manifest)
    company = Company(name=mtag.get("name") or issuer["legal_name"], terms=ref)
    doc = LedgerDoc(company, list(imp.holders.values()), entries)
    try:
        state = replay(terms, doc.stakeholders, entries)
    except CharterError as e:
        raise CharterError([_located(p, origins) for p in e.problems]) from None
    shares = _check_conversion_shares(state, imp.conversions)
    if shares:
        raise CharterError(shares)
    mismatches = _check_conversion_prices(state, imp.checks)
    if mismatches and mtag:
        raise CharterError(mismatches)  # our own export: the figures must agree
    notes = imp.notes + [p.sentence() for p in mismatches]
    if text is not None and mismatches:
        text += "".join(
            f"# TODO: {p.sentence()} Supply the anti-dilution clause (e.g. Art. IV.B.3(d)).\n"
            for p in mismatches
        )
    made = text is not None and not mtag.get("terms_file")
    return Imported(doc, terms, text, made, notes, origins)


def _entries(imp: _Importer, package: Package) -> tuple[list[Entry], list[Origin]]:
    """The ledger's entries in order, each checked as a ledger event; with its origin."""
    pending = list(imp.pending)
    for i, comment in enumerate(package.manifest.get("comments") or []):
        tag = tag_of({"comments": [comment]})
        if "event" in tag and "seq" in tag:  # a ledger event OCF has no transaction for
            event = dict(tag["event"])
            pending.append(
                _Pending(
                    (str(event.get("date")), 1, tag["seq"]),
                    event,
                    Origin(MANIFEST, f"comments[{i}]"),
                )
            )
    pending.sort(key=lambda p: p.key)
    entries: list[Entry] = []
    origins: list[Origin] = []
    for p in pending:
        entry, errs = parse_event(p.event, len(entries), None, p.origin.file)
        for err in errs:
            imp.problems.append(_located(err, [*origins, p.origin]))
        if entry is not None:
            entries.append(entry)
            origins.append(p.origin)
    return entries, origins


def _located(p: Problem, origins: list[Origin]) -> Problem:
    """A replay's problem, said of the OCF object the event came from."""
    if p.index is None or p.index >= len(origins):
        return p
    o = origins[p.index]
    fld = OCF_FIELDS.get((p.field or "").split(".")[0], p.field or "(the object)")
    return Problem(
        f"object {o.object_id!r}, field {fld}: {p.message}", file=o.file, citation=p.citation
    )


def _check_conversion_shares(
    state: State, conversions: Iterable[tuple[Origin, str, int]]
) -> list[Problem]:
    """The shares the package issued on each instrument's conversion against those its
    terms give (docs/ledger-additions.md, `convert_convertible`)."""
    out = []
    for origin, cid, shares in conversions:
        ours = state.convertibles[cid].shares
        if ours != shares:
            out.append(
                Problem(
                    f"object {origin.object_id!r}, field resulting_security_ids: the package "
                    f"issues {shares:,} shares on the conversion of {cid!r}, but its terms give "
                    f"{ours:,}",
                    file=origin.file,
                )
            )
    return out


def _check_conversion_prices(
    state: State, checks: Iterable[tuple[Origin, dt.date, str, Fraction]]
) -> list[Problem]:
    """Each conversion-ratio adjustment of the package against the price the terms give."""
    out = []
    for origin, date, cls, price in checks:
        ours = _price_on(state, cls, date)
        if ours is None or abs(ours - price) > Fraction(1, 10**10):
            out.append(
                Problem(
                    f"object {origin.object_id!r}, field new_ratio_conversion_mechanism: "
                    f"the conversion price of {cls} on {date.isoformat()} is {decimal_str(price)} "
                    f"in the package, but {decimal_str(ours) if ours is not None else 'none'} "
                    "under the terms",
                    file=origin.file,
                )
            )
    return out


def _price_on(state: State, cls: str, date: dt.date) -> Fraction | None:
    """The conversion price of a class in force at the end of `date`."""
    price = None
    cert_class = state.terms.certificates[0].stock_class(cls)
    if cert_class is not None:
        price = cert_class.conversion_price
    for change in state.price_history.get(cls, []):
        if change.date <= date:
            price = change.new
    return price
