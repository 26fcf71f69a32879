"""Dividends declared by the board (ledger `dividend` events) and what is declared but unpaid.

A declared dividend is owed from its declaration; it is paid on its `paid_date`. Until then
it is "declared but unpaid": it adds to the liquidation preferences of Art. IV.B.2(a) and to
the Cash Amounts of Art. IV.B.3(a) of the classes it was declared on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from charter.ledger.events import Dividend
from charter.state.model import State
from charter.state.rejection import Rejected


@dataclass(frozen=True)
class DeclaredDividend:
    """One dividend declared by the board: per share of each class, and when it was paid."""

    date: dt.date
    kind: str
    per_share: dict[str, Fraction]
    paid_date: dt.date | None


def check_dividend(state: State, e: Dividend) -> None:
    """Every class named must exist under the certificate in force; a payment cannot precede
    the declaration."""
    for class_id in e.per_share:
        if state.stock_class(class_id) is None:
            known = ", ".join(c.id for c in state.certificate.classes)
            raise Rejected(
                f"class {class_id!r} does not exist under the {state.certificate.title} "
                f"(classes: {known})",
                f"per_share.{class_id}",
            )
    if e.paid_date is not None and e.paid_date < e.date:
        raise Rejected(
            f"is paid on {e.paid_date.isoformat()}, before it was declared ({e.date.isoformat()})",
            "paid_date",
        )


def apply_dividend(state: State, e: Dividend) -> None:
    state.dividends.append(
        DeclaredDividend(
            date=e.date,
            kind=e.kind,
            per_share={c: Fraction(v) for c, v in e.per_share.items()},
            paid_date=e.paid_date,
        )
    )
    state.declared_unpaid = declared_unpaid(state, e.date)


def declared_unpaid(state: State, as_of: dt.date | None = None) -> dict[str, Fraction]:
    """Per share of each class: cash dividends declared on or before `as_of` (default: the
    state's date) and not paid by then (a `paid_date` on or before `as_of` means paid)."""
    when = as_of or state.as_of
    owed: dict[str, Fraction] = {}
    for d in state.dividends:
        if d.kind != "cash" or (when is not None and d.date > when):
            continue
        if d.paid_date is not None and (when is None or d.paid_date <= when):
            continue
        for class_id, amount in d.per_share.items():
            owed[class_id] = owed.get(class_id, Fraction(0)) + amount
    return owed
