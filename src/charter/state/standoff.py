"""The market stand-off (Bylaws Art. VI §6).

A stockholder who receives or purchases shares on or after the date the bylaws were adopted
may not transfer shares during the days the terms give following the effective date of the
company's registration statement, to the extent the company or an underwriter requests it;
the company may impose stop-transfer instructions until the period ends.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from charter.explain import interpretation
from charter.ledger.events import Transfer
from charter.state import registration
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
        "conversion": "shares received by issue, exercise or transfer, and Common received "
        "on the conversion of preferred (optional, elected, or at the offering), bind the "
        "holder; a split or stock dividend re-denominates shares already held and does not",
        "new-investment": "only shares received by issue, exercise or transfer bind the "
        "holder; a conversion, split or dividend re-denominates shares already held",
        "any": "any shares received on or after the date bind the holder, conversions "
        "(including those at the offering), splits and stock dividends included",
    },
    default="conversion",
    argument="The clause binds a stockholder who 'receives or purchases' shares: 'receives' "
    "reaches beyond purchases, and on a conversion the holder surrenders its preferred and "
    "receives Common newly issued after the adoption, the stock the stand-off restricts and "
    "the very stock an underwriter's lock-up is after. The date keeps its meaning: it frees "
    "the Common held before the adoption by holders who received nothing since (a bylaw "
    "restriction binds securities issued after its adoption, DGCL §202(b)). A split or stock "
    "dividend takes nothing from the holder and gives it nothing but a new count of the same "
    "interest, so it does not make a holder 'receive' shares in the ordinary sense "
    "('any' counts it; 'new-investment' is the earlier default, which left every preferred "
    "holder converting at the offering free).",
)

REGISTRATIONS = interpretation(
    id="standoff-registrations",
    question="Which registration statements start the market stand-off: only the first (the "
    "initial public offering's), or each one the company files?",
    citation="Bylaws Art. VI §6",
    quote="during the 180-day period following the effective date of a registration "
    "statement of the corporation filed under the Act, to the extent requested by the "
    "corporation or an underwriter",
    readings={
        "any": "each registration statement declared effective and not withdrawn, where the "
        "company or an underwriter requested the stand-off, starts its own 180 days",
        "first": "only the first registration statement (the initial public offering's)",
    },
    default="any",
    argument="The clause says 'a registration statement', and the same bylaws say 'first' "
    "where they mean it (the right of first refusal ends when securities are 'first offered "
    "to the public', Art. VIII §1(i)(2)); the request of the company or an underwriter, "
    "recorded on each registration, is what limits the reach. 'first' is the customary "
    "initial-offering lock-up, for counsel who read the clause as that bargain.",
)

RECEIPTS = {
    "new-investment": ("issue", "exercise", "transfer"),
    "conversion": ("issue", "exercise", "transfer", "convert", "convert_election", "ipo"),
}


class Window(msgspec.Struct, frozen=True):
    """The stand-off period: its first and last day, and the effective date it follows."""

    effective: dt.date
    first: dt.date
    last: dt.date


def windows(state: State) -> list[Window]:
    """The periods following the effective dates of the registration statements in effect,
    where the company or the underwriter requested the stand-off (which statements: the
    reading standoff-registrations)."""
    t = state.terms.bylaws.market_standoff
    if t is None:
        return []
    live = registration.in_effect(state)
    if REGISTRATIONS.choose(state.readings) == "first":
        live = live[:1]
    return [
        Window(r.effective, r.effective + dt.timedelta(days=1), r.effective + dt.timedelta(t.days))
        for r in live
        if r.standoff_requested
    ]


def binding_receipt(state: State, holder: str) -> Receipt | None:
    """The first receipt of shares on or after the bylaws' adoption that binds the holder
    (which receipts bind: the reading standoff-receives, among the replay's readings)."""
    t = state.terms.bylaws.market_standoff
    if t is None:
        return None
    counted = RECEIPTS.get(RECEIVES.choose(state.readings))
    for r in state.stock_certificates.receipts.get(holder, []):
        if r.date >= t.applies_to_acquired_on_or_after and (counted is None or r.how in counted):
            return r
    return None


def check_transfer(state: State, e: Transfer) -> None:
    """No transfer during the stand-off period by a holder bound by it (§6)."""
    t = state.terms.bylaws.market_standoff
    w = next((w for w in windows(state) if w.first <= e.date <= w.last), None)
    if w is None or t is None:
        return
    r = binding_receipt(state, e.from_)
    if r is None:
        return
    raise Rejected(
        f"{e.from_} received shares on {r.date.isoformat()} ({r.how}), on or after the bylaws' "
        f"adoption on {t.applies_to_acquired_on_or_after.isoformat()}, and may not transfer "
        f"during the {t.days} days following the registration statement's effective date "
        f"{w.effective.isoformat()} (through {w.last.isoformat()}); stop-transfer instructions "
        f"apply (readings {RECEIVES.id}={RECEIVES.choose(state.readings)}, "
        f"{REGISTRATIONS.id}={REGISTRATIONS.choose(state.readings)})",
        "date",
        t.citation,
    )
