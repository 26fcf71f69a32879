"""A company as an Open Cap Format package that validates against the schemas.

The ledger's events become OCF objects: issues, transfers, conversions, repurchases and splits
become stock transactions over securities (each holding a security; a transfer consumes one
and results in the transferee's and the balance); grants become equity compensation or warrant
issuances, exercised and cancelled; plans become stock plans with pool adjustments. A
schedule becomes vesting terms (`ocf_vesting`, one object for all the grants that share it),
the grant's or restricted stock's `vesting_terms_id` and a vesting start transaction on its
start; accelerations and performance `vest` events become vesting accelerations of the shares
they vested. SAFEs and notes become convertible issuances, and their conversion, for each
instrument, a convertible conversion resulting in the stock issuance of the shares it became
(`ocf_convertibles`). The conversion-price history goes out as conversion-ratio adjustments. What
OCF cannot hold (a field it has no place for, an event it has no transaction for) goes into
the objects' `comments`, tagged `charter:` so our import reads it back; the terms travel
beside the package (`charter-terms.yaml`), or are named when built in. Nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from fractions import Fraction
from typing import Any

import msgspec
import yaml

from charter.interop.ocf_convertibles import conversion, convertible_issuance, untold
from charter.interop.ocf_package import MANIFEST, TAG, numeric, usd
from charter.interop.ocf_vesting import START, OcfVestingError, to_ocf
from charter.ledger.events import Stakeholder, Vesting, event_to_dict
from charter.ledger.fileformat import Entry, LedgerDoc
from charter.replay import replay
from charter.state.adjusted_terms import issue_price
from charter.state.model import State
from charter.terms.loader import builtin_names
from charter.terms.model import StockClass, TermsSet

OCF_VERSION = "1.2.1-alpha+main"
TERMS_FILE = "charter-terms.yaml"
RELATIONSHIPS = {
    "employee": "EMPLOYEE",
    "director": "BOARD_MEMBER",
    "officer": "OFFICER",
    "consultant": "CONSULTANT",
}

# the ledger fields each OCF transaction carries; the others go into its tag
COVERED = {
    "issue": {"date", "type", "holder", "class", "shares", "price", "vesting"},
    "transfer": {"date", "type", "from", "to", "class", "shares", "price"},
    "convert": {"date", "type", "holder", "class", "shares"},
    "repurchase": {"date", "type", "holder", "class", "shares", "price"},
    "split": {"date", "type", "class", "ratio"},
    "grant": {
        "date",
        "type",
        "id",
        "kind",
        "holder",
        "class",
        "shares",
        "exercise_price",
        "expires",
        "plan",
        "vesting",
    },
    "exercise": {"date", "type", "grant", "shares"},
    "expire": {"date", "type", "grant", "shares"},
    "adopt_plan": {"date", "type", "id", "shares"},
    "plan_amend": {"date", "type", "plan", "shares"},
    "acceleration": {"date", "type", "grant"},
    "vest": {"date", "type", "grant"},
    "issue_convertible": set(),  # what its issuance holds: ocf_convertibles.untold
    "convert_convertible": {"date", "type", "convertibles", "class"},
}


# events whose objects read the state before or after them (the others replay in chunks)
READS_STATE = frozenset(
    {"exercise", "expire", "convert", "split", "acceleration", "vest", "convert_convertible"}
)


def _tag(data: dict[str, Any]) -> list[str]:
    return [TAG + json.dumps(data, ensure_ascii=False, sort_keys=True)]


class _Exporter(msgspec.Struct):
    terms: TermsSet
    transactions: list[dict[str, Any]] = msgspec.field(default_factory=list)
    plans: list[dict[str, Any]] = msgspec.field(default_factory=list)
    vesting_terms: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)  # by schedule
    # manifest comments: events OCF has no tx for
    hidden: list[str] = msgspec.field(default_factory=list)
    lots: dict[tuple[str, str], list[list[Any]]] = msgspec.field(
        default_factory=lambda: defaultdict(list)
    )
    plan_reserve: dict[str, int] = msgspec.field(default_factory=dict)
    n: int = 0

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}-{self.n}"

    def tx(self, kind: str, date: str, tag: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
        obj: dict[str, Any] = {"object_type": kind, "id": self.next_id("tx"), "date": date}
        obj.update(fields)
        if tag is not None:
            obj["comments"] = _tag(tag)
        self.transactions.append(obj)
        return obj

    def issuance(
        self,
        date: str,
        holder: str,
        cls: str,
        shares: int,
        price: Fraction | str,
        tag: dict[str, Any] | None = None,
    ) -> str:
        """A stock issuance: a new security of `shares` held by `holder`."""
        sec = self.next_id("sec")
        self.tx(
            "TX_STOCK_ISSUANCE",
            date,
            tag,
            security_id=sec,
            custom_id=sec,
            stakeholder_id=holder,
            stock_class_id=cls,
            share_price=usd(price),
            quantity=numeric(shares),
            security_law_exemptions=[],
            stock_legend_ids=[],
        )
        self.lots[(holder, cls)].append([sec, shares])
        return sec

    def take(self, date: str, holder: str, cls: str, shares: int) -> tuple[str, str | None]:
        """One security of the holder's to act on (its lots consolidated first when there
        are several); returns it and the balance security left after `shares` are taken."""
        lots = self.lots[(holder, cls)]
        if len(lots) > 1:
            total = sum(q for _, q in lots)
            sec = self.next_id("sec")
            self.tx(
                "TX_STOCK_CONSOLIDATION",
                date,
                None,
                security_ids=[s for s, _ in lots],
                resulting_security_id=sec,
            )
            lots.clear()
            self.issuance(date, holder, cls, total, "0")
            lots[0][0] = sec
            self.transactions[-1]["security_id"] = sec
            self.transactions[-1]["custom_id"] = sec
        if not lots:  # a holding made by an event OCF has no transaction for (an election to
            # convert, an IPO): a security standing for it, which our import makes no event of
            return self.issuance(date, holder, cls, shares, "0", {"position": True}), None
        sec, held = lots.pop()
        rest = held - shares
        if rest > 0:
            balance = self.issuance(date, holder, cls, rest, "0")
            return sec, balance
        return sec, None

    def before(self, event: dict[str, Any], state: State) -> dict[str, Any]:
        """What an event's objects need of the state before it: the grant it exercises or
        cancels, or the Common its holder had before converting."""
        if event["type"] in ("exercise", "expire"):
            g = state.grants[event["grant"]]
            return {"grant": (g.id, g.kind, g.holder, g.class_id, g.exercise_price, g.outstanding)}
        if event["type"] in ("acceleration", "vest"):
            return {"extra": list(state.grants[event["grant"]].extra_vested)}
        if event["type"] == "convert":
            c = self.terms_class(event["class"], state).conversion
            into = c.into if c is not None else state.certificate.common.id
            return {"into": into, "had": state.holdings.get(event["holder"], {}).get(into, 0)}
        return {}

    def event(self, seq: int, event: dict[str, Any], before: dict[str, Any], after: State) -> None:
        kind = event["type"]
        covered = COVERED.get(kind)
        if covered is None:  # OCF has no transaction for it: into the manifest's comments
            self.hidden.append(TAG + json.dumps({"seq": seq, "event": event}, sort_keys=True))
            return
        tag: dict[str, Any] = {"seq": seq}
        extra = {k: v for k, v in event.items() if k not in covered}
        if extra:
            tag["extra"] = extra
        getattr(self, "on_" + kind)(event, tag, before, after)

    def on_issue(self, e: dict[str, Any], tag: dict[str, Any], *_: Any) -> None:
        sec = self.issuance(e["date"], e["holder"], e["class"], int(e["shares"]), e["price"], tag)
        self.schedule(self.transactions[-1], e, tag, sec)

    def schedule(
        self, obj: dict[str, Any], e: dict[str, Any], tag: dict[str, Any], sec: str
    ) -> None:
        """A grant's or restricted stock's `vesting` as OCF vesting terms (one object for each
        schedule), the issuance's `vesting_terms_id` and `early_exercisable`, and a vesting
        start transaction on its start; a schedule OCF cannot carry (or a note) stays in the
        issuance's tag."""
        block = e.get("vesting")
        if block is None:
            return
        terms = self.terms_for(block, obj["object_type"])
        if terms is None:
            tag.setdefault("extra", {})["vesting"] = block
            obj["comments"] = _tag(tag)
            return
        obj["vesting_terms_id"] = terms["id"]
        if block.get("early_exercise"):
            obj["early_exercisable"] = True
        self.tx(
            "TX_VESTING_START",
            block.get("start") or e["date"],
            None,
            security_id=sec,
            vesting_condition_id=START,
        )

    def terms_for(self, block: dict[str, Any] | str, object_type: str) -> dict[str, Any] | None:
        """The vesting terms of a schedule (made once for all the issuances that share it), or
        None when OCF cannot carry it: a note, a schedule of no such shape, or early exercise
        on an issuance that has no place for it."""
        if isinstance(block, str):
            return None
        v = Vesting.model_validate(block)
        if v.early_exercise and object_type != "TX_EQUITY_COMPENSATION_ISSUANCE":
            return None
        key = json.dumps(v.model_dump(mode="json", exclude={"start", "early_exercise"}))
        if key not in self.vesting_terms:
            try:
                self.vesting_terms[key] = to_ocf(v, f"vesting-terms-{len(self.vesting_terms) + 1}")
            except OcfVestingError:
                return None
        return self.vesting_terms[key]

    def on_acceleration(
        self, e: dict[str, Any], tag: dict[str, Any], before: dict[str, Any], after: State
    ) -> None:
        """Shares vested ahead of the schedule (an acceleration, or a performance `vest`):
        a vesting acceleration of the shares it vested; the event as written in the tag."""
        g = after.grants[e["grant"]]
        shares = sum(n for _, n in g.extra_vested[len(before["extra"]) :])
        if e["type"] == "vest":
            tag["kind"] = "vest"
        self.tx(
            "TX_VESTING_ACCELERATION",
            e["date"],
            tag,
            security_id=e["grant"],
            quantity=numeric(shares),
            reason_text=e.get("note")
            or ("performance vesting" if e["type"] == "vest" else "accelerated by the board"),
        )

    on_vest = on_acceleration

    def on_transfer(self, e: dict[str, Any], tag: dict[str, Any], *_: Any) -> None:
        shares = int(e["shares"])
        sec, balance = self.take(e["date"], e["from"], e["class"], shares)
        new = self.issuance(e["date"], e["to"], e["class"], shares, e.get("price", "0"))
        fields: dict[str, Any] = {
            "security_id": sec,
            "quantity": numeric(shares),
            "resulting_security_ids": [new],
        }
        if balance:
            fields["balance_security_id"] = balance
        self.tx("TX_STOCK_TRANSFER", e["date"], tag, **fields)

    def on_convert(
        self, e: dict[str, Any], tag: dict[str, Any], before: dict[str, Any], after: State
    ) -> None:
        shares = int(e["shares"])
        common = before["into"]
        got = after.holdings.get(e["holder"], {}).get(common, 0) - before["had"]
        sec, balance = self.take(e["date"], e["holder"], e["class"], shares)
        new = self.issuance(e["date"], e["holder"], common, max(got, 0), "0")
        fields: dict[str, Any] = {
            "security_id": sec,
            "quantity_converted": numeric(shares),
            "resulting_security_ids": [new],
        }
        if balance:
            fields["balance_security_id"] = balance
        self.tx("TX_STOCK_CONVERSION", e["date"], tag, **fields)

    def terms_class(self, class_id: str, state: State) -> StockClass:
        c = state.certificate.stock_class(class_id)
        assert c is not None  # the replay accepted the event
        return c

    def on_repurchase(self, e: dict[str, Any], tag: dict[str, Any], *_: Any) -> None:
        shares = int(e["shares"])
        sec, balance = self.take(e["date"], e["holder"], e["class"], shares)
        fields: dict[str, Any] = {
            "security_id": sec,
            "quantity": numeric(shares),
            "price": usd(e["price"]),
        }
        if balance:
            fields["balance_security_id"] = balance
        self.tx("TX_STOCK_REPURCHASE", e["date"], tag, **fields)

    def on_split(self, e: dict[str, Any], tag: dict[str, Any], _: Any, after: State) -> None:
        new, old = e["ratio"].split(":")
        self.tx(
            "TX_STOCK_CLASS_SPLIT",
            e["date"],
            tag,
            stock_class_id=e["class"],
            split_ratio={"numerator": new, "denominator": old},
        )
        ratio = Fraction(int(new), int(old))
        for (holder, cls), lots in self.lots.items():
            if cls != e["class"] or not lots:
                continue
            for lot in lots:
                lot[1] = int(lot[1] * ratio)
            lots[-1][1] += after.holdings.get(holder, {}).get(cls, 0) - sum(q for _, q in lots)

    def on_grant(self, e: dict[str, Any], tag: dict[str, Any], *_: Any) -> None:
        common: dict[str, Any] = {
            "security_id": e["id"],
            "custom_id": e["id"],
            "stakeholder_id": e["holder"],
            "security_law_exemptions": [],
            "quantity": numeric(int(e["shares"])),
            "exercise_price": usd(e["exercise_price"]),
        }
        if e["kind"] == "warrant":
            tag.setdefault("extra", {})["class"] = e["class"]
            if e.get("plan"):
                tag["extra"]["plan"] = e["plan"]
            if e.get("expires"):
                common["warrant_expiration_date"] = e["expires"]
            obj = self.tx(
                "TX_WARRANT_ISSUANCE",
                e["date"],
                tag,
                purchase_price=usd(0),
                exercise_triggers=[],
                **common,
            )
            self.schedule(obj, e, tag, e["id"])
            return
        if e.get("plan"):
            common["stock_plan_id"] = e["plan"]
        obj = self.tx(
            "TX_EQUITY_COMPENSATION_ISSUANCE",
            e["date"],
            tag,
            compensation_type="OPTION" if e["kind"] == "option" else "RSU",
            stock_class_id=e["class"],
            expiration_date=e.get("expires"),
            termination_exercise_windows=[],
            **common,
        )
        self.schedule(obj, e, tag, e["id"])

    def on_exercise(
        self, e: dict[str, Any], tag: dict[str, Any], before: dict[str, Any], _: State
    ) -> None:
        gid, kind, holder, cls, price, _left = before["grant"]
        shares = int(e["shares"])
        new = self.issuance(e["date"], holder, cls, shares, price)
        if kind == "warrant":
            self.tx(
                "TX_WARRANT_EXERCISE",
                e["date"],
                tag,
                security_id=gid,
                trigger_id="charter-exercise",
                resulting_security_ids=[new],
            )
        else:
            self.tx(
                "TX_EQUITY_COMPENSATION_EXERCISE",
                e["date"],
                tag,
                security_id=gid,
                quantity=numeric(shares),
                resulting_security_ids=[new],
            )

    def on_expire(
        self, e: dict[str, Any], tag: dict[str, Any], before: dict[str, Any], _: State
    ) -> None:
        gid, kind, _holder, _cls, _price, left = before["grant"]
        shares = int(e["shares"]) if e.get("shares") is not None else left
        self.tx(
            "TX_WARRANT_CANCELLATION"
            if kind == "warrant"
            else "TX_EQUITY_COMPENSATION_CANCELLATION",
            e["date"],
            tag,
            security_id=gid,
            quantity=numeric(shares),
            reason_text=e.get("note") or "lapsed or cancelled",
        )

    def on_adopt_plan(self, e: dict[str, Any], tag: dict[str, Any], *_: Any) -> None:
        self.plan_reserve[e["id"]] = int(e["shares"])
        plan = {
            "object_type": "STOCK_PLAN",
            "id": e["id"],
            "plan_name": e["id"],
            "board_approval_date": e["date"],
            "initial_shares_reserved": numeric(int(e["shares"])),
            "stock_class_ids": [self.terms.certificates[0].common.id],
            "comments": _tag(tag),
        }
        self.plans.append(plan)

    def on_plan_amend(self, e: dict[str, Any], tag: dict[str, Any], *_: Any) -> None:
        self.plan_reserve[e["plan"]] += int(e["shares"])
        self.tx(
            "TX_STOCK_PLAN_POOL_ADJUSTMENT",
            e["date"],
            tag,
            stock_plan_id=e["plan"],
            shares_reserved=numeric(self.plan_reserve[e["plan"]]),
        )

    def on_issue_convertible(
        self, e: dict[str, Any], tag: dict[str, Any], _: Any, after: State
    ) -> None:
        """A SAFE or a note: a convertible issuance with its conversion mechanism; what it
        cannot hold in the tag."""
        c = after.convertibles[e["id"]]
        tag.pop("extra", None)
        if untold(e, c):
            tag["extra"] = untold(e, c)
        self.tx(
            "TX_CONVERTIBLE_ISSUANCE", e["date"], tag, **convertible_issuance(c, after.readings)
        )

    def on_convert_convertible(
        self, e: dict[str, Any], tag: dict[str, Any], _: Any, after: State
    ) -> None:
        """Each instrument's conversion: the stock issuance of the shares it converted into
        (at its conversion price), and the convertible conversion resulting in it; the event
        (the round's price) in each conversion's tag, which our import joins again."""
        for cid in e["convertibles"]:
            c = after.convertibles[cid]
            sec = self.issuance(
                e["date"], c.holder, e["class"], c.shares, c.conversion_price or Fraction(0)
            )
            self.tx("TX_CONVERTIBLE_CONVERSION", e["date"], tag, **conversion(c, sec))

    def price_history(self, state: State) -> None:
        """Each series' conversion price as it changed: the last change of each date."""
        for class_id, changes in state.price_history.items():
            last: dict[dt.date, Fraction] = {}
            for change in changes:
                last[change.date] = change.new
            cls = state.stock_class(class_id)
            oip = (issue_price(state, cls) if cls is not None else None) or Fraction(1)
            for date, price in sorted(last.items()):
                self.tx(
                    "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT",
                    date.isoformat(),
                    {"derived": "conversion price (Art. IV.B.3(d)): checked, not replayed"},
                    stock_class_id=class_id,
                    new_ratio_conversion_mechanism={
                        "type": "RATIO_CONVERSION",
                        "conversion_price": usd(price),
                        "ratio": {"numerator": numeric(oip), "denominator": numeric(price)},
                        "rounding_type": "NORMAL",
                    },
                )


def stock_class(c: StockClass, tiers: int) -> dict[str, Any]:
    """An OCF StockClass from a class of the terms (the whole terms travel beside)."""
    out: dict[str, Any] = {
        "object_type": "STOCK_CLASS",
        "id": c.id,
        "name": c.name,
        "class_type": "COMMON" if c.kind == "common" else "PREFERRED",
        "default_id_prefix": "CS-" if c.kind == "common" else "PS-",
        "initial_shares_authorized": numeric(c.authorized),
        "votes_per_share": numeric(c.votes.per_common_share if c.votes else 0),
        "par_value": usd(c.par_value),
        "seniority": "1" if c.liquidation is None else numeric(tiers + 2 - c.liquidation.tier),
        "comments": _tag({"id": c.id}),
    }
    oip = c.original_issue_price
    if oip:
        out["price_per_share"] = usd(oip)
    if c.liquidation is not None and oip:
        out["liquidation_preference_multiple"] = numeric(c.liquidation.preference_per_share / oip)
        part = c.liquidation.participation
        if part is not None and part.cap_per_share is not None:
            out["participation_cap_multiple"] = numeric(part.cap_per_share / oip)
    price = c.conversion_price
    if c.conversion is not None and price and oip:
        out["conversion_rights"] = [
            {
                "type": "STOCK_CLASS_CONVERSION_RIGHT",
                "conversion_mechanism": {
                    "type": "RATIO_CONVERSION",
                    "conversion_price": usd(price),
                    "ratio": {"numerator": numeric(oip), "denominator": numeric(price)},
                    "rounding_type": "NORMAL",
                },
                "converts_to_stock_class_id": c.conversion.into,
            }
        ]
    return out


def stakeholder(s: Stakeholder) -> dict[str, Any]:
    out: dict[str, Any] = {
        "object_type": "STAKEHOLDER",
        "id": s.id,
        "name": {"legal_name": s.name},
        "stakeholder_type": "INDIVIDUAL",
        "current_relationships": sorted(
            {RELATIONSHIPS[r] for r in s.relations if r in RELATIONSHIPS}
        ),
    }
    tag = {k: v for k, v in (("address", s.address), ("relations", s.relations)) if v}
    if tag:
        out["comments"] = _tag(tag)
    return out


def export_package(doc: LedgerDoc, terms: TermsSet) -> dict[str, bytes]:
    """The package's files, by name: the manifest, the OCF files, and the terms beside."""
    ex = _Exporter(terms)
    state = replay(terms, doc.stakeholders, [])
    chunk: list[tuple[Entry, dict[str, Any]]] = []

    def flush() -> None:  # events that read nothing of the state replay together
        replay(terms, [], [e for e, _ in chunk], state=state)
        for e, event in chunk:
            ex.event(e.index, event, {}, state)
        chunk.clear()

    for entry in doc.entries:
        event = event_to_dict(entry.event)
        if event["type"] not in READS_STATE:
            chunk.append((entry, event))
            continue
        flush()
        before = ex.before(event, state)
        replay(terms, [], [entry], state=state)
        ex.event(entry.index, event, before, state)
    flush()
    ex.price_history(state)
    cert = terms.certificates[0]
    tiers = max((c.liquidation.tier for c in cert.classes if c.liquidation), default=0)
    first = doc.entries[0].event.date.isoformat() if doc.entries else dt.date.today().isoformat()
    files: dict[str, Any] = {
        "Stakeholders.ocf.json": {
            "file_type": "OCF_STAKEHOLDERS_FILE",
            "items": [stakeholder(s) for s in doc.stakeholders],
        },
        "StockClasses.ocf.json": {
            "file_type": "OCF_STOCK_CLASSES_FILE",
            "items": [stock_class(c, tiers) for c in cert.classes],
        },
        "StockPlans.ocf.json": {"file_type": "OCF_STOCK_PLANS_FILE", "items": ex.plans},
        "VestingTerms.ocf.json": {
            "file_type": "OCF_VESTING_TERMS_FILE",
            "items": list(ex.vesting_terms.values()),
        },
        "Transactions.ocf.json": {"file_type": "OCF_TRANSACTIONS_FILE", "items": ex.transactions},
    }
    out = {name: _dump(data) for name, data in files.items()}
    builtin = doc.company.terms in builtin_names() and doc.company.terms == terms.id
    mtag: dict[str, Any] = {"name": doc.company.name, "terms": doc.company.terms}
    if not builtin:
        mtag["terms_file"] = TERMS_FILE
        out[TERMS_FILE] = yaml.safe_dump(
            terms.model_dump(mode="json", exclude_defaults=True),
            sort_keys=False,
            allow_unicode=True,
            width=100,
        ).encode("utf-8")

    def listing(name: str) -> list[dict[str, str]]:
        return [{"filepath": f"./{name}", "md5": hashlib.md5(out[name]).hexdigest()}]

    manifest = {
        "ocf_version": OCF_VERSION,
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": "issuer",
            "legal_name": doc.company.name,
            "formation_date": first,
            "country_of_formation": "US",
        },
        "as_of": (state.as_of or dt.date.fromisoformat(first)).isoformat(),
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "stock_plans_files": listing("StockPlans.ocf.json"),
        "stock_legend_templates_files": [],
        "stock_classes_files": listing("StockClasses.ocf.json"),
        "vesting_terms_files": listing("VestingTerms.ocf.json"),
        "valuations_files": [],
        "transactions_files": listing("Transactions.ocf.json"),
        "stakeholders_files": listing("Stakeholders.ocf.json"),
        "comments": [TAG + json.dumps(mtag, sort_keys=True), *ex.hidden],
    }
    out[MANIFEST] = _dump(manifest)
    return out


def _dump(data: dict[str, Any]) -> bytes:
    """A file: its fields, then one item a line (readable, and the C encoder's speed)."""
    head = {k: v for k, v in data.items() if k != "items"}
    if "items" not in data:
        return (json.dumps(head, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    lines = [json.dumps(item, ensure_ascii=False) for item in data["items"]]
    text = (
        json.dumps(head, ensure_ascii=False)[:-1] + ', "items": [\n' + ",\n".join(lines) + "\n]}\n"
    )
    return text.encode("utf-8")
