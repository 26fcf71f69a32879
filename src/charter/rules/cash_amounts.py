"""The Cash Amounts of Series A-D as the ledger stands (Art. IV.B.3(a), (c)): what each
holder was due on conversion, what it has been paid, what it is still owed, and the history of
conversions and of the funds applied later, ratably, "until it is paid in full"."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import msgspec

from charter.explain import Trace
from charter.numbers import money
from charter.state.conversion import shortfall_citation
from charter.state.model import CashRecord, State


class HolderCash(msgspec.Struct, frozen=True):
    holder: str
    class_id: str
    paid: Fraction
    owed: Fraction

    @property
    def due(self) -> Fraction:
        return self.paid + self.owed


class CashAmounts(msgspec.Struct):
    as_of: dt.date | None
    holders: list[HolderCash] = msgspec.field(default_factory=list)
    history: list[CashRecord] = msgspec.field(default_factory=list)
    trace: Trace = msgspec.field(default_factory=Trace)

    @property
    def owed(self) -> Fraction:
        return sum((h.owed for h in self.holders), Fraction(0))

    @property
    def paid(self) -> Fraction:
        return sum((h.paid for h in self.holders), Fraction(0))


def cash_amounts(state: State) -> CashAmounts:
    """Every holder's Cash Amounts, as of the state's date."""
    keys = sorted(
        {(h, c) for h, by in state.cash_paid.items() for c in by}
        | {(h, c) for h, by in state.cash_owed.items() for c in by}
    )
    out = CashAmounts(
        state.as_of,
        [
            HolderCash(
                h,
                c,
                state.cash_paid.get(h, {}).get(c, Fraction(0)),
                state.cash_owed.get(h, {}).get(c, Fraction(0)),
            )
            for h, c in keys
        ],
        list(state.cash_history),
    )
    if out.holders:
        out.trace.step(
            "Cash Amounts paid from the funds legally available, the rest owed and paid "
            "ratably as funds become available",
            shortfall_citation(state),
            paid=money(out.paid),
            owed=money(out.owed),
        )
    return out


def cash_amounts_json(r: CashAmounts) -> dict[str, Any]:
    """`charter cash-owed --json`: every amount is in cents as the ledger records it."""
    holders: dict[str, dict[str, dict[str, str]]] = {}
    for h in r.holders:
        holders.setdefault(h.holder, {})[h.class_id] = {
            "due": money(h.due),
            "paid": money(h.paid),
            "owed": money(h.owed),
        }
    return {
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "holders": holders,
        "cash": {"due": money(r.paid + r.owed), "paid": money(r.paid), "owed": money(r.owed)},
        "history": [_record_json(x) for x in r.history],
        "citations": r.trace.citations,
    }


def _record_json(x: CashRecord) -> dict[str, Any]:
    by_holder: dict[str, dict[str, str]] = {}
    for h, c, v in x.paid:
        by_holder.setdefault(h, {})[c] = money(v)
    out: dict[str, Any] = {
        "date": x.date.isoformat(),
        "event": x.event,
        "kind": x.kind,
        "funds_available": None if x.funds is None else money(x.funds),
        "applied": money(x.applied),
        "holders": by_holder,
    }
    if x.kind == "conversion":
        out["due"] = money(x.due)
        out["payable_by"] = x.payable_by.isoformat() if x.payable_by else None
    return out
