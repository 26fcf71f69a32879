"""Small ledgers built in tests: stakeholders and events as the ledger file would hold them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import Entry, parse_event
from charter.replay import initial_state, replay
from charter.state.model import State
from charter.terms.loader import load_builtin

PEOPLE = {
    "founder": ["officer", "director", "employee"],
    "emp": ["employee"],
    "angel": [],
    "f1": [],
    "f2": [],
    "f3": [],
    "f4": [],
    "bank": [],
}


def stakeholders() -> list[Stakeholder]:
    return [Stakeholder(id=k, name=k, relations=v) for k, v in PEOPLE.items()]


def entries(raw: Iterable[Mapping[str, Any]]) -> list[Entry]:
    out = []
    for i, r in enumerate(raw):
        entry, problems = parse_event(dict(r), i)
        assert entry is not None, problems
        out.append(entry)
    return out


def run(
    raw: Iterable[Mapping[str, Any]],
    until: str | None = None,
    readings: Mapping[str, str] | None = None,
) -> State:
    import datetime as dt

    terms = load_builtin("quintus")
    start = initial_state(terms, stakeholders(), readings)
    day = None if until is None else dt.date.fromisoformat(until)
    return replay(terms, [], entries(raw), until=day, state=start)


def issue(date: str, holder: str, cls: str, shares: int, price: str, **kw: Any) -> dict[str, Any]:
    return {
        "date": date,
        "type": "issue",
        "holder": holder,
        "class": cls,
        "shares": shares,
        "price": price,
        **kw,
    }


def grant(
    date: str, gid: str, holder: str, shares: int, price: str, cls: str = "common", **kw: Any
) -> dict[str, Any]:
    return {
        "date": date,
        "type": "grant",
        "id": gid,
        "kind": kw.pop("kind", "warrant"),
        "holder": holder,
        "class": cls,
        "shares": shares,
        "exercise_price": price,
        **kw,
    }


# A company with 1,000,000 common and 1,000,000 Series A at $1.00 (Purchase Date 2000-02-01).
BASE = [
    issue("2000-01-01", "founder", "common", 1_000_000, "0.001"),
    issue("2000-02-01", "f1", "series_a", 1_000_000, "1.00"),
]
