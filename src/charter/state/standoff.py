"""The market stand-off (Bylaws Art. VI §6).

A stockholder who receives or purchases shares on or after the date the bylaws were adopted
may not transfer shares during the days the terms give following the effective date of the
company's registration statement, to the extent the company or an underwriter requests it;
the company may impose stop-transfer instructions until the period ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.explain import interpretation
from charter.ledger.events import Transfer
from charter.state.certificates import Receipt
from charter.state.model import State
from charter.state.rejection import Rejected

RECEIVES = interpretation(
    id="standoff-receives",
    question="Does a holder who, on or after the bylaws' adoption, receives shares only by "
    "converting preferred it already held (or by a split or stock dividend) become bound by "
    "the market stand-off?",
    citation="Bylaws Art. VI §6",
    quote="Each stockholder of the corporation who receives or purchases shares on or after "
    "the date these amended and restated bylaws are adopted by the Board of Directors shall "
    "not, during the 180-day period following the effective date of a registration statement",
    readings={
        "new-investment": "only shares received by issue, exercise or transfer bind the "
        "holder; a conversion, split or dividend re-denominates shares already held",
        "any": "any shares received on or after the date bind the holder, conversions "
        "(including those at the offering), splits and stock dividends included",
    },
    default="new-investment",
    argument="Under the other reading every preferred holder whose shares convert at the "
    "offering would be bound, and the date that limits the clause to later stockholders would "
    "mean nothing for them; converting shares one already holds is not receiving or "
    "purchasing shares in the ordinary sense.",
)

NEW_INVESTMENT = ("issue", "exercise", "transfer")


@dataclass(frozen=True)
class Window:
    """The stand-off period: its first and last day, and the effective date it follows."""

    effective: dt.date
    first: dt.date
    last: dt.date


def window(state: State) -> Window | None:
    """The period following the registration statement's effective date, when the company
    or the underwriter requested the stand-off."""
    t = state.terms.bylaws.market_standoff
    ipo = state.ipo
    if t is None or ipo is None or not ipo.standoff_requested:
        return None
    effective = ipo.effective_date
    return Window(
        effective, effective + dt.timedelta(days=1), effective + dt.timedelta(days=t.days)
    )


def binding_receipt(state: State, holder: str) -> Receipt | None:
    """The first receipt of shares on or after the bylaws' adoption that binds the holder
    (which receipts bind: the reading standoff-receives, among the replay's readings)."""
    t = state.terms.bylaws.market_standoff
    if t is None:
        return None
    counted = RECEIVES.choose(state.readings) == "any"
    for r in state.stock_certificates.receipts.get(holder, []):
        if r.date >= t.applies_to_acquired_on_or_after and (counted or r.how in NEW_INVESTMENT):
            return r
    return None


def check_transfer(state: State, e: Transfer) -> None:
    """No transfer during the stand-off period by a holder bound by it (§6)."""
    w = window(state)
    t = state.terms.bylaws.market_standoff
    if w is None or t is None or not w.first <= e.date <= w.last:
        return
    r = binding_receipt(state, e.from_)
    if r is None:
        return
    raise Rejected(
        f"{e.from_} received shares on {r.date.isoformat()} ({r.how}), on or after the bylaws' "
        f"adoption on {t.applies_to_acquired_on_or_after.isoformat()}, and may not transfer "
        f"during the {t.days} days following the registration statement's effective date "
        f"{w.effective.isoformat()} (through {w.last.isoformat()}); stop-transfer instructions "
        "apply",
        "date",
        t.citation,
    )
