"""What a public offering would do, without recording it (Art. IV.B.3(b)-(c), (h)): whether it
is a qualified offering, how each series converts (with the IPO price protection where the
terms give it), each holder's common and Cash Amounts, and what the funds legally available
pay now and leave owed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from charter.explain import Trace
from charter.numbers import allocate_cents, money, per_share, round_half_up
from charter.state.conversion import (
    ROUNDING_AGGREGATE,
    Conversions,
    offering_conversions,
    qualified_offering,
)
from charter.state.model import State


@dataclass
class IpoResult:
    qualified: bool
    reasons: list[str]
    conversions: Conversions
    cash_due: Fraction
    paid_at_conversion: Fraction
    trace: Trace = field(default_factory=Trace)
    payable_by: dt.date | None = None

    @property
    def owed(self) -> Fraction:
        return self.cash_due - self.paid_at_conversion


def simulate_ipo(
    state: State,
    price: Fraction,
    gross: Fraction,
    funds_available: Fraction | None = None,
    firm_commitment: bool = True,
    form: str = "S-1",
) -> IpoResult:
    """The offering at `price` per share and `gross` in all, as of the state's date."""
    trace = Trace()
    ok, reasons = qualified_offering(state, price, gross, firm_commitment, form)
    rules = state.certificate.conversion
    q = rules.qualified_offering if rules else None
    trace.step(
        "qualified offering" if ok else "not a qualified offering: " + "; ".join(reasons),
        q.citation if q else None,
        price=per_share(price),
        gross=money(gross),
    )
    if not ok:
        return IpoResult(False, reasons, Conversions(), Fraction(0), Fraction(0), trace)
    conv = offering_conversions(state, price)
    for cc in conv.classes.values():
        trace.step(
            f"{cc.class_id} converts at {per_share(cc.common_per_share)} common per share"
            + (" (IPO price protection)" if cc.ratchet_applied else ""),
            cc.citation,
        )
    if rules is not None:
        trace.cite(rules.rounding_citation)
        trace.read(ROUNDING_AGGREGATE, state.readings)
    due = conv.cash_due
    paid = due if funds_available is None or funds_available >= due else funds_available
    if due and rules is not None:
        trace.step(
            "Cash Amounts paid ratably from the funds legally available"
            if paid < due
            else "Cash Amounts paid in full",
            rules.cash_shortfall_citation,
            due=money(due),
            paid=money(paid),
        )
    return IpoResult(True, [], conv, due, paid, trace, cash_payable_by(state, conv, trace))


def cash_payable_by(state: State, conv: Conversions, trace: Trace) -> dt.date | None:
    """The Cash Amounts are "payable by check or wire transfer within ten calendar days
    following such conversion" (Art. IV.B.3(c)): the last day, counted from a closing on the
    state's date (the days are the terms' `payable_within_days`)."""
    if state.as_of is None or not conv.cash_due:
        return None
    days = [
        (c.conversion.cash_amount.payable_within_days, c.conversion.cash_amount)
        for c in state.certificate.preferred
        if c.id in conv.classes and c.conversion and c.conversion.cash_amount
    ]
    if not days:
        return None
    n, cash = min(days, key=lambda d: d[0])
    last = state.as_of + dt.timedelta(days=n)
    trace.step(
        f"Cash Amounts payable within {n} calendar days of the conversion",
        cash.payable_within_days_citation or cash.citation,
        payable_by=last.isoformat(),
    )
    return last


def ipo_json(r: IpoResult) -> dict[str, object]:
    """The shape of `charter ipo --json` (spec/cli-contract.md); cash to the cent by largest
    remainder so the holders' amounts add up to the totals."""
    conv = r.conversions
    keys = [(x.holder, x.class_id) for x in conv.holders]
    due = conv.cash_due
    total_cents = Fraction(round_half_up(due * 100), 100)
    due_cents = allocate_cents(
        {f"{h}\t{c}": x.cash_due for (h, c), x in zip(keys, conv.holders, strict=True)},
        total_cents,
    )
    share = r.paid_at_conversion / due if due else Fraction(0)
    paid_total = Fraction(round_half_up(r.paid_at_conversion * 100), 100)
    paid_cents = allocate_cents({k: v * share for k, v in due_cents.items()}, paid_total)
    holders: dict[str, dict[str, object]] = {}
    for x in conv.holders:
        k = f"{x.holder}\t{x.class_id}"
        holders.setdefault(x.holder, {})[x.class_id] = {
            "preferred": x.preferred,
            "common": x.common,
            "cash": money(due_cents[k]),
            "cash_paid": money(paid_cents[k]),
            "cash_owed": money(due_cents[k] - paid_cents[k]),
        }
    return {
        "qualified": r.qualified,
        "reasons": r.reasons,
        "classes": {
            c.class_id: {
                "common_per_share": per_share(c.common_per_share),
                "ratchet_applied": c.ratchet_applied,
                "cash_per_share": per_share(c.cash_per_share),
            }
            for c in conv.classes.values()
        },
        "holders": holders,
        "cash": {
            "due": money(total_cents),
            "paid_at_conversion": money(paid_total),
            "owed": money(total_cents - paid_total),
            "payable_by": r.payable_by.isoformat() if r.payable_by else None,
        },
        "interpretations": sorted(r.trace.interpretations),
        "citations": r.trace.citations,
    }
