"""Small ledgers built in the tests for transfers and certificates (Bylaws Art. VI, VIII)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import Entry, parse_event
from charter.replay import initial_state, replay
from charter.state.model import State
from charter.terms.loader import load_builtin

PEOPLE: list[dict[str, Any]] = [
    {"id": "seller", "name": "Sam Seller"},
    {"id": "buyer", "name": "Bea Buyer"},  # an outsider: no relation, no shares
    {"id": "other", "name": "Otto Other"},  # another stockholder
    {"id": "fund", "name": "Fund I, L.P."},
    {"id": "assignee", "name": "Ann Assignee"},
    {"id": "spouse", "name": "Sue Seller", "relations": ["family-of:seller"]},
    {"id": "cousin", "name": "Carl Cousin", "relations": ["family-of:other"]},
    {"id": "dir", "name": "Dee Director", "relations": ["director"]},
    {"id": "emp", "name": "Ed Employee", "relations": ["employee"]},
    {"id": "newco", "name": "Newco, Inc.", "relations": ["successor-of:seller"]},
    {"id": "otherco", "name": "Otherco, Inc.", "relations": ["successor-of:other"]},
    {"id": "lp", "name": "Lee Partner", "relations": ["partner-of:fund"]},
    {"id": "lp-other", "name": "Lou Partner", "relations": ["partner-of:other"]},
    {"id": "sh", "name": "Shay Holder", "relations": ["stockholder-of:seller"]},
    {"id": "sh2", "name": "Shea Holder", "relations": ["stockholder-of:seller"]},
    {"id": "trust", "name": "Seller Family Trust", "relations": ["family-of:seller"]},
    {"id": "vp", "name": "Val President"},  # an officer only as the office events say
]

# Before the bylaws' adoption (2 September 1999): seller 1,000 common, other 400 common and
# 600 common more later, fund 100 Series A (10 votes per common share, 1:1 conversion). The
# later 600 are issued at $1.00, the Series A conversion price, so they are not dilutive
# (Art. IV.B.3(d)(i)(A)) and the Series A ratio stays 1:1.
BASE: list[dict[str, Any]] = [
    {"date": "1999-08-01", "type": "issue", "holder": "seller", "class": "common",
     "shares": 1000, "price": "0.50"},
    {"date": "1999-08-01", "type": "issue", "holder": "other", "class": "common",
     "shares": 400, "price": "0.50"},
    {"date": "1999-08-01", "type": "issue", "holder": "fund", "class": "series_a",
     "shares": 100, "price": "1.00"},
    {"date": "1999-08-02", "type": "issue", "holder": "other", "class": "common",
     "shares": 600, "price": "1.00"},
]  # fmt: skip


def entries(raw: list[dict[str, Any]]) -> list[Entry]:
    out = []
    for i, r in enumerate(raw):
        entry, problems = parse_event(r, i)
        assert not problems, problems
        assert entry is not None
        out.append(entry)
    return out


def run(
    events: list[dict[str, Any]],
    base: bool = True,
    until: str | None = None,
    readings: dict[str, str] | None = None,
) -> State:
    """Replay BASE (unless base=False) then `events` under the Quintus terms (and the
    replay's --reading choices)."""
    raw = (BASE if base else []) + events
    terms = load_builtin("quintus")
    start = initial_state(terms, [Stakeholder(**p) for p in PEOPLE], readings)
    return replay(
        terms,
        [],
        entries(raw),
        until=dt.date.fromisoformat(until) if until else None,
        state=start,
    )


def notice(
    date: str, shares: int = 1000, price: str = "2.00", nid: str = "n1", **more: Any
) -> dict[str, Any]:
    """Seller's notice to sell its common to buyer, recorded (and received, unless `received`
    says otherwise) on `date`."""
    return {
        "date": date,
        "type": "rofr_notice",
        "id": nid,
        "holder": "seller",
        "class": "common",
        "shares": shares,
        "price": price,
        "transferee": "buyer",
        **more,
    }


def transfer(date: str, to: str = "buyer", shares: int = 1000, **more: Any) -> dict[str, Any]:
    return {
        "date": date,
        "type": "transfer",
        "from": "seller",
        "to": to,
        "class": "common",
        "shares": shares,
        **more,
    }


def ipo(date: str, requested: bool = True) -> dict[str, Any]:
    """An offering whose registration statement is effective, and which closes, on `date`."""
    return {
        "date": date,
        "type": "ipo",
        "price": "10.00",
        "gross_proceeds": "50000000.00",
        "effective_date": date,
        "closing_date": date,
        "standoff_requested": requested,
    }
