"""What a public offering would do, without recording it (Art. IV.B.3(b)-(c), (h)): whether it
is a qualified offering, how each series converts (with the IPO price protection where the
terms give it), each holder's common and Cash Amounts, and what the funds legally available
pay now and leave owed."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import msgspec

from charter.explain import Trace
from charter.numbers import money, per_share
from charter.state.adjusted_terms import adjusted_terms
from charter.state.conversion import (
    CASH_CENTS,
    EXACT_HALF,
    ROUNDING_AGGREGATE,
    Conversions,
    cash_in_cents,
    cash_terms,
    offering_conversions,
    qualified_offering,
)
from charter.state.model import State


class IpoResult(msgspec.Struct):
    qualified: bool
    reasons: list[str]
    conversions: Conversions
    cash_due: Fraction
    paid_at_conversion: Fraction
    trace: Trace = msgspec.field(default_factory=Trace)
    payable_by: dt.date | None = None
    # (holder, class) -> cents: due, and paid from the funds legally available
    due_cents: dict[tuple[str, str], Fraction] = msgspec.field(default_factory=dict)
    paid_cents: dict[tuple[str, str], Fraction] = msgspec.field(default_factory=dict)
    adjusted: list[dict[str, object]] = msgspec.field(default_factory=list)  # as_adjusted JSON

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
    view = adjusted_terms(state)
    view.explain(trace)
    view.relied_on(trace)
    conv = offering_conversions(state, price)
    for cc in conv.classes.values():
        trace.step(
            f"{state.class_name(cc.class_id)} converts at {per_share(cc.common_per_share)} "
            "common per share" + (" (IPO price protection)" if cc.ratchet_applied else ""),
            cc.citation,
        )
    if rules is not None:
        trace.cite(rules.rounding_citation)
        trace.read(ROUNDING_AGGREGATE, state.readings)
        trace.read(EXACT_HALF, state.readings)
    due_cents, paid_cents = cash_in_cents(conv, funds_available, state.readings)
    due = sum(due_cents.values(), Fraction(0))
    paid = sum(paid_cents.values(), Fraction(0))
    if due:
        trace.read(CASH_CENTS, state.readings)
    if due and rules is not None:
        trace.step(
            "Cash Amounts paid ratably from the funds legally available"
            if paid < due
            else "Cash Amounts paid in full",
            rules.cash_shortfall_citation,
            due=money(due),
            paid=money(paid),
        )
    payable_by = cash_payable_by(state, conv, trace)
    return IpoResult(
        True, [], conv, due, paid, trace, payable_by, due_cents, paid_cents, view.to_json()
    )


def cash_payable_by(state: State, conv: Conversions, trace: Trace) -> dt.date | None:
    """The Cash Amounts are "payable by check or wire transfer within ten calendar days
    following such conversion" (Art. IV.B.3(c)): the last day, counted from a closing on the
    state's date (the days are the terms' `payable_within_days`)."""
    if state.as_of is None or not conv.cash_due:
        return None
    cash = cash_terms(state, conv.classes)
    if cash is None:
        return None
    n = cash.payable_within_days
    last = state.as_of + dt.timedelta(days=n)
    trace.step(
        f"Cash Amounts payable within {n} calendar days of the conversion",
        cash.payable_within_days_citation or cash.citation,
        payable_by=last.isoformat(),
    )
    return last


def ipo_json(r: IpoResult) -> dict[str, object]:
    """The shape of `charter ipo --json` (spec/cli-contract.md); cash in cents as the ledger
    would record it (`cash_in_cents`), so the holders' amounts add up to the totals."""
    conv = r.conversions
    holders: dict[str, dict[str, object]] = {}
    for x in conv.holders:
        k = (x.holder, x.class_id)
        due, paid = r.due_cents.get(k, Fraction(0)), r.paid_cents.get(k, Fraction(0))
        holders.setdefault(x.holder, {})[x.class_id] = {
            "preferred": x.preferred,
            "common": x.common,
            "cash": money(due),
            "cash_paid": money(paid),
            "cash_owed": money(due - paid),
            "also": dict(x.extras),
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
            "due": money(r.cash_due),
            "paid_at_conversion": money(r.paid_at_conversion),
            "owed": money(r.owed),
            "payable_by": r.payable_by.isoformat() if r.payable_by else None,
        },
        "interpretations": sorted(r.trace.interpretations),
        "citations": r.trace.citations,
        **({"as_adjusted": r.adjusted} if r.adjusted else {}),
    }
