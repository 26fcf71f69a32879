"""The right of first refusal as a process on the ledger (Bylaws Art. VIII §1).

While the right is in force, a stockholder transfers shares only (h):
- under an exemption of §1(f), the fact that makes it exempt recorded on the ledger; or
- after a written notice (a): the company has the option, for the days the terms give after
  receipt, to buy all, not less than all, of the noticed shares on the noticed terms (b); it
  may assign that right in whole or in part (c); if it (and its assignees) elect, settlement
  is in cash within the days the terms give after the Secretary received the notice (d); if
  not, the holder may transfer to the named transferee, on the noticed terms, within the
  window after the option expires (e); or
- when the board, or the holders of a majority of the voting power excluding the shares to
  be transferred, waive the bylaw for the transfer (g).
A transfer that skips a step is void (h): replay refuses it with a sentence naming the step.
The right ends on the terms' date or at the first registered public offering (i).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

import msgspec

from charter.explain import interpretation
from charter.ledger.events import (
    Issue,
    Repurchase,
    RofrAssign,
    RofrExercise,
    RofrNotice,
    RofrWaive,
    Transfer,
)
from charter.numbers import decimal_str, parse_ratio
from charter.state import antidilution, board, office_terms, registration
from charter.state.holdings import require_class, require_held, require_holder
from charter.state.model import State
from charter.state.rejection import Rejected
from charter.state.voting import holding_votes
from charter.terms.model import RightOfFirstRefusal

COMPANY = "company"

Phase = Literal["open", "assigned", "exercised", "waived", "expired", "lapsed", "completed"]

OFFERING_DATE = interpretation(
    id="rofr-ends-on-offering",
    question="On which date of the first registered public offering does the right of first "
    "refusal end?",
    citation="Bylaws Art. VIII §1(i)(2)",
    quote="Upon the date securities of the corporation are first offered to the public "
    "pursuant to a registration statement filed with, and declared effective by, the United "
    "States Securities and Exchange Commission",
    readings={
        "effective": "the effective date of the registration statement (the offering opens)",
        "closing": "the closing date of the offering (the securities are first sold)",
    },
    default="effective",
    argument="The clause speaks of the date securities are first offered under an effective "
    "registration statement; they are offered to the public once the statement is declared "
    "effective, before the closing at which they are sold.",
)

SETTLEMENT_FROM = interpretation(
    id="rofr-settlement-from",
    question="From when do the days for settling an election of the right of first refusal "
    "run: from the Secretary's receipt of the holder's notice, or from the election?",
    citation="Bylaws Art. VIII §1(b), (d)",
    quote="For thirty (30) days following receipt of such notice, the corporation shall have "
    "the option to purchase ... settlement thereof shall be made in cash within thirty (30) "
    "days after the Secretary of the corporation receives said transferring stockholder's "
    "notice",
    readings={
        "receipt": "from the Secretary's receipt of the notice, as the words say: both periods "
        "end on the same day, so an election on the option's last day must settle that day",
        "election": "from the election that completes the option: the purchasers then have "
        "the full period to pay",
    },
    default="receipt",
    argument="Paragraph (d) names its starting point, the Secretary's receipt of the "
    "transferring stockholder's notice, in words distinct from the election it follows; the "
    "bylaw gives the company a month in all to decide and pay. 'election' is the commercial "
    "reading for counsel who treat the coincidence of the two periods as a drafting slip.",
)


class Notice(msgspec.Struct):
    """A holder's written notice of a proposed transfer, and what became of it."""

    id: str
    holder: str
    class_id: str
    shares: int
    price: Fraction  # per share, as noticed
    option_price: Fraction  # what the company pays per share: price, fair value, cash value
    transferee: str
    received: dt.date
    option_expires: dt.date  # the last day of the company's option (b)
    settlement_due: dt.date  # the last day for settlement after an election (d)
    transfer_window_ends: dt.date  # the last day of the holder's window (e)
    terms: str | None = None
    fair_market_value: Fraction | None = None  # the board's, per share (b)
    cash_value: Fraction | None = None  # of property consideration, per share (d)
    assigned: dict[str, int] = msgspec.field(default_factory=dict)  # assignee -> shares (c)
    elected: dict[str, int] = msgspec.field(default_factory=dict)  # purchaser -> shares (b)
    elected_on: dt.date | None = None  # the election that completed the option (b)
    settled: dict[str, int] = msgspec.field(default_factory=dict)  # purchaser -> shares paid (d)
    waived_by: str | None = None
    waived_on: dt.date | None = None
    transferred: int = 0  # to the transferee (e), after expiry or waiver

    @property
    def company_allotment(self) -> int:
        return self.shares - sum(self.assigned.values())

    def allotment(self, purchaser: str) -> int:
        if purchaser == COMPANY:
            return self.company_allotment
        return self.assigned.get(purchaser, 0)

    @property
    def fully_elected(self) -> bool:
        return sum(self.elected.values()) == self.shares

    @property
    def completed(self) -> bool:
        return sum(self.settled.values()) == self.shares or self.transferred == self.shares

    def phase(self, on: dt.date, right_ends: dt.date | None = None) -> Phase:
        """Where the process stands on a date (spec/cli-contract.md `rofr status`): once the
        right has ended (§1(i)), a notice not completed, waived or fully elected has lapsed
        (the holder needs no notice any more, and the company can no longer elect)."""
        if self.completed:
            return "completed"
        if self.waived_by is not None:
            return "waived"
        if self.fully_elected:
            return "exercised"
        if right_ends is not None and on >= right_ends:
            return "lapsed"
        if on <= self.option_expires:
            return "assigned" if self.assigned else "open"
        if on <= self.transfer_window_ends:
            return "expired"
        return "lapsed"


def terms_of(state: State) -> RightOfFirstRefusal | None:
    return state.terms.bylaws.right_of_first_refusal


def offering_date(state: State) -> dt.date | None:
    """The date of the first registered public offering, when the ledger records one: the
    registration statement's effective date (a `registration_effective` event, or the `ipo`
    event's `effective_date`; a withdrawn registration lapses), or the closing under the
    reading rofr-ends-on-offering=closing (the replay's --reading choices)."""
    if OFFERING_DATE.choose(state.readings) == "effective":
        return registration.first_effective(state)
    return state.ipo.closing_date if state.ipo is not None else None


def right_ends(state: State) -> dt.date | None:
    """The first day the right no longer applies: the terms' date or the offering date,
    whichever comes first (Bylaws Art. VIII §1(i))."""
    t = terms_of(state)
    if t is None:
        return None
    dates = [d for d in (t.ends_on, offering_date(state)) if d is not None]
    if not t.ends_on_public_offering:
        dates = [d for d in (t.ends_on,) if d is not None]
    return min(dates) if dates else None


def in_force(state: State, on: dt.date) -> bool:
    """Whether the right of first refusal applies to a transfer on a date (§1(i))."""
    if terms_of(state) is None:
        return False
    ends = right_ends(state)
    return ends is None or on < ends


def waiver_votes(state: State, n: Notice, consents: list[str]) -> tuple[int, int]:
    """(votes consenting, votes eligible): the voting power of the company excluding the
    votes represented by the shares to be transferred (§1(g))."""

    def votes_of(holder: str) -> int:
        by = dict(state.holdings.get(holder, {}))
        if holder == n.holder:
            by[n.class_id] = by.get(n.class_id, 0) - n.shares
        return holding_votes(state, by)

    eligible = sum(votes_of(h) for h in state.holdings)
    return sum(votes_of(h) for h in dict.fromkeys(consents)), eligible


def votes_needed(eligible: int, fraction: Fraction, strictly_more: bool) -> int:
    """The least whole number of votes that meets the threshold."""
    least = fraction * eligible
    whole = least.numerator // least.denominator
    return whole + 1 if strictly_more or whole < least else whole


def require_notice(state: State, notice_id: str, fld: str = "notice") -> Notice:
    n = state.rofr_notices.get(notice_id)
    if n is None:
        raise Rejected(f"right-of-first-refusal notice {notice_id!r} does not exist", fld)
    return n


def _terms(state: State) -> RightOfFirstRefusal:
    t = terms_of(state)
    if t is None:
        raise Rejected("the bylaws in force give no right of first refusal", "type")
    return t


def _require_in_force(state: State, on: dt.date, what: str) -> RightOfFirstRefusal:
    t = _terms(state)
    if not in_force(state, on):
        ends = right_ends(state)
        assert ends is not None
        raise Rejected(
            f"the right of first refusal ended on {ends.isoformat()}; {what}",
            "date",
            t.ends_citation,
        )
    return t


# --- notice (a), (b) -------------------------------------------------------------------------


def option_price(
    price: Fraction, fair_value: Fraction | None, cash_value: Fraction | None
) -> Fraction:
    """What the company pays per share (§1(b), (d)): the noticed price, or the cash value of
    consideration in property; but where "the proposed transferee is not paying the full
    price for the shares" (a gift, a property settlement, a price below the board's good-faith
    fair market value) the price "shall be deemed to be" that fair market value. A transferee
    paying at least the board's value pays the full price, and the noticed price stands."""
    paid = cash_value if cash_value is not None else price
    if fair_value is not None and paid < fair_value:
        return fair_value
    return paid


def last_price(state: State, class_id: str) -> tuple[Fraction, str] | None:
    """The last price per share recorded for a class (an issue, a priced transfer or a
    repurchase), with the event that recorded it: what a noticed price is compared with."""
    return state.class_prices.get(class_id)


def note_price(state: State, e: Issue | Transfer | Repurchase) -> None:
    """Keep the last price per share recorded for the class (`last_price`)."""
    if e.price is not None and e.price > 0:
        state.class_prices[e.class_] = (Fraction(e.price), antidilution.label(e, state))


def nominal_price(state: State, n: Notice) -> str | None:
    """A sentence when the noticed price may not be the full price: below the last price
    recorded for the class, with no fair market value of the board to say otherwise (§1(b))."""
    last = state.class_prices.get(n.class_id) if n.fair_market_value is None else None
    if last is None or n.price >= last[0] or n.cash_value is not None:
        return None
    return (
        f"the noticed price {decimal_str(n.price)} is below the last price recorded for "
        f"{n.class_id} ({decimal_str(last[0])}, {last[1]}): if the transferee is not paying the "
        "full price, the price is the board's good-faith fair market value, and none is "
        "recorded (fair_market_value on the notice or the election)"
    )


def check_notice(state: State, e: RofrNotice) -> None:
    t = _require_in_force(state, e.date, "no notice is needed")
    require_holder(state, e.holder, "holder")
    require_holder(state, e.transferee, "transferee")
    require_class(state, e.class_)
    require_held(state, e.holder, e.class_, e.shares, "offer")
    if e.id in state.rofr_notices:
        raise Rejected(f"notice id {e.id!r} is already used", "id")
    if e.holder == e.transferee:
        raise Rejected("a notice must name a transferee other than the holder", "transferee")
    if e.price == 0 and e.fair_market_value is None:
        raise Rejected(
            "a transfer for no price (a gift) needs the board's good-faith fair market value "
            "as the option price; fair_market_value is missing",
            "fair_market_value",
            t.option_citation,
        )


def apply_notice(state: State, e: RofrNotice) -> None:
    t = _terms(state)
    received = e.received or e.date
    expires = received + dt.timedelta(days=t.option_days)
    fair = None if e.fair_market_value is None else Fraction(e.fair_market_value)
    cash = None if e.cash_value is None else Fraction(e.cash_value)
    state.rofr_notices[e.id] = Notice(
        id=e.id,
        holder=e.holder,
        class_id=e.class_,
        shares=e.shares,
        price=Fraction(e.price),
        option_price=option_price(Fraction(e.price), fair, cash),
        fair_market_value=fair,
        cash_value=cash,
        transferee=e.transferee,
        received=received,
        option_expires=expires,
        settlement_due=settlement_due(state, t, received, None),
        transfer_window_ends=expires + dt.timedelta(days=t.transfer_window_days),
        terms=e.terms,
    )


def settlement_due(
    state: State, t: RightOfFirstRefusal, received: dt.date, elected_on: dt.date | None
) -> dt.date:
    """The last day for settlement in cash (§1(d)): the days the terms give after the
    Secretary received the notice; under the reading rofr-settlement-from=election, after the
    election that completed the option (until then, after the option's last day)."""
    if SETTLEMENT_FROM.choose(state.readings) == "receipt":
        return received + dt.timedelta(days=t.settlement_days)
    start = elected_on or received + dt.timedelta(days=t.option_days)
    return start + dt.timedelta(days=t.settlement_days)


def _require_option_open(state: State, n: Notice, on: dt.date, what: str) -> None:
    t = _terms(state)
    if n.completed:
        raise Rejected(f"notice {n.id} is completed; {what}", "notice")
    if n.waived_by is not None:
        raise Rejected(
            f"the right was waived for notice {n.id} on {_iso(n.waived_on)}; {what}",
            "notice",
            t.waiver_citation,
        )
    if on > n.option_expires:
        raise Rejected(
            f"the company's option on notice {n.id} (received {n.received.isoformat()}) ran "
            f"through {n.option_expires.isoformat()}; {what}",
            "date",
            t.option_citation,
        )


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else "?"


# --- assignment (c) --------------------------------------------------------------------------


def check_assign(state: State, e: RofrAssign) -> None:
    t = _require_in_force(state, e.date, "the company's right can no longer be assigned")
    n = require_notice(state, e.notice)
    require_holder(state, e.assignee, "assignee")
    _require_option_open(state, n, e.date, "it can no longer be assigned")
    if e.assignee == n.holder:
        raise Rejected(
            f"{e.assignee} is the transferring holder; the right cannot be assigned to it",
            "assignee",
            t.assignable_citation,
        )
    shares = e.shares if e.shares is not None else n.company_allotment
    if shares > n.company_allotment - n.elected.get(COMPANY, 0) or shares == 0:
        raise Rejected(
            f"the company holds the right to {n.company_allotment - n.elected.get(COMPANY, 0):,} "
            f"of the {n.shares:,} noticed shares; it cannot assign {shares:,}",
            "shares",
            t.assignable_citation,
        )


def apply_assign(state: State, e: RofrAssign) -> None:
    n = state.rofr_notices[e.notice]
    shares = e.shares if e.shares is not None else n.company_allotment
    n.assigned[e.assignee] = n.assigned.get(e.assignee, 0) + shares


# --- exercise (b) ----------------------------------------------------------------------------


def check_exercise(state: State, e: RofrExercise) -> None:
    t = _require_in_force(state, e.date, "the company and its assignees can no longer elect")
    n = require_notice(state, e.notice)
    _require_option_open(state, n, e.date, "it can no longer be exercised")
    if e.fair_market_value is not None and n.fair_market_value is not None:
        raise Rejected(
            f"notice {n.id} already carries the board's fair market value "
            f"{decimal_str(n.fair_market_value)}",
            "fair_market_value",
            t.option_citation,
        )
    purchaser = e.purchaser or COMPANY
    if purchaser != COMPANY and purchaser not in n.assigned:
        raise Rejected(
            f"{purchaser} is not an assignee of the company's right on notice {n.id}",
            "purchaser",
            t.assignable_citation,
        )
    left = n.allotment(purchaser) - n.elected.get(purchaser, 0)
    shares = e.shares if e.shares is not None else left
    if shares != left or left == 0:
        raise Rejected(
            f"{_who(purchaser)} holds the option on {left:,} of the {n.shares:,} noticed "
            f"shares and must elect all of them, not {shares:,}: the option is for all, not "
            "less than all, of the noticed shares",
            "shares",
            t.option_citation,
        )


def _who(purchaser: str) -> str:
    return "the company" if purchaser == COMPANY else purchaser


def apply_exercise(state: State, e: RofrExercise) -> None:
    n = state.rofr_notices[e.notice]
    purchaser = e.purchaser or COMPANY
    if e.fair_market_value is not None:
        n.fair_market_value = Fraction(e.fair_market_value)
        n.option_price = option_price(n.price, n.fair_market_value, n.cash_value)
    n.elected[purchaser] = n.allotment(purchaser)
    if n.fully_elected:
        n.elected_on = e.date
        n.settlement_due = settlement_due(state, _terms(state), n.received, e.date)


# --- waiver (g) ------------------------------------------------------------------------------


def check_waive(state: State, e: RofrWaive) -> None:
    t = _require_in_force(state, e.date, "there is nothing to waive")
    n = require_notice(state, e.notice)
    if n.completed or n.waived_by is not None:
        raise Rejected(f"notice {n.id} is already {n.phase(e.date)}", "notice")
    if n.fully_elected:
        raise Rejected(
            f"the company and its assignees have elected to buy the shares of notice {n.id}; "
            "the right can no longer be waived",
            "notice",
            t.waiver_citation,
        )
    if e.by == "board":
        _check_board_waiver(state, e, n, t)
        return
    if e.board_approval is not None:
        raise Rejected(
            "a waiver by the stockholders is their written consent (consents), not a board "
            "resolution; board_approval belongs to a waiver by the board",
            "board_approval",
            t.waiver_citation,
        )
    for h in e.consents:
        require_holder(state, h, "consents")
    got, eligible = waiver_votes(state, n, e.consents)
    need = votes_needed(eligible, t.waiver.fraction, t.waiver.strictly_more)
    if got < need:
        raise Rejected(
            f"the consents carry {got:,} votes of the {eligible:,} eligible (the voting power "
            f"excluding the {n.shares:,} shares to be transferred); a waiver needs {need:,}",
            "consents",
            t.waiver_citation,
        )


def waiver_resolution(notice_id: str) -> str:
    """What a board resolution waiving the bylaw for a notice's transfer approves."""
    return f"rofr-waiver:{notice_id}"


def _check_board_waiver(state: State, e: RofrWaive, n: Notice, t: RightOfFirstRefusal) -> None:
    """A waiver "by the corporation, upon duly authorized action of its Board of Directors"
    (§1(g)): the board's resolution is recorded (a `board_approval` approving
    `rofr-waiver:<notice>`), on or before the waiver, and named in board_approval."""
    wanted = waiver_resolution(n.id)
    if e.consents:
        raise Rejected(
            "consents are the stockholders' written consent; a waiver by the board names the "
            "board's resolution in board_approval",
            "consents",
            t.waiver_citation,
        )
    if e.board_approval is None:
        raise Rejected(
            f"a waiver by the board needs its duly authorized action: record the board's "
            f"resolution (a board_approval event approving {wanted}) and name it in "
            "board_approval",
            "board_approval",
            t.waiver_citation,
        )
    act = board.recorded_approval(state, e.board_approval, f"the waiver of notice {n.id}")
    if wanted not in act.approves:
        raise Rejected(
            f"board approval {act.id} approves {', '.join(act.approves)}, not {wanted}",
            "board_approval",
            t.waiver_citation,
        )


def apply_waive(state: State, e: RofrWaive) -> None:
    n = state.rofr_notices[e.notice]
    n.waived_by, n.waived_on = e.by, e.date


# --- transfers and settlements (d), (e), (f), (h) ---------------------------------------------


def check_transfer(state: State, e: Transfer) -> None:
    """A transfer while the right is in force must be exempt, settle an election, or follow
    an expired or waived notice; otherwise it is void (§1(h))."""
    if not in_force(state, e.date):
        return
    t = _terms(state)
    if e.rofr is not None:
        n = require_notice(state, e.rofr, "rofr")
        _require_same_shares(n, e.from_, e.class_, t)
        if e.to in n.elected:
            _check_settlement(state, n, e.to, e.shares, e.price, e.date, t)
        else:
            _check_transfer_to_transferee(n, e, t)
        return
    if e.exemption is not None:
        check_exemption(state, e, t)
        return
    raise Rejected(
        f"the transfer of {e.shares:,} {e.class_} by {e.from_} skips the written notice to the "
        "company: no right-of-first-refusal notice is named (rofr) and no exemption of §1(f) "
        "(exemption); the transfer is void",
        "rofr",
        f"{t.citation}(a); {t.void_citation}",
    )


def _require_same_shares(n: Notice, holder: str, class_id: str, t: RightOfFirstRefusal) -> None:
    if (n.holder, n.class_id) != (holder, class_id):
        raise Rejected(
            f"notice {n.id} is for {n.class_id} of {n.holder}, not {class_id} of {holder}",
            "rofr",
            t.void_citation,
        )


def _check_transfer_to_transferee(n: Notice, e: Transfer, t: RightOfFirstRefusal) -> None:
    if n.completed:
        raise Rejected(f"the shares of notice {n.id} were already transferred", "rofr")
    if e.to != n.transferee:
        raise Rejected(
            f"notice {n.id} names {n.transferee} as the proposed transferee, not {e.to}; the "
            "holder may transfer only as specified in its notice",
            "to",
            t.transfer_window_citation,
        )
    if e.price is None or Fraction(e.price) != n.price:
        given = "no price" if e.price is None else f"the price {e.price}, which differs from"
        raise Rejected(
            f"the transfer states {given} the noticed {decimal_str(n.price)} per share of "
            f"notice {n.id}; the holder may transfer only as specified in its notice",
            "price",
            t.transfer_window_citation,
        )
    if e.shares != n.shares:
        raise Rejected(
            f"notice {n.id} specifies {n.shares:,} shares, not {e.shares:,}; the holder may "
            "transfer only as specified in its notice (a transfer of fewer shares needs a "
            "notice of its own)",
            "shares",
            t.transfer_window_citation,
        )
    if n.waived_by is not None:
        return
    if n.fully_elected:
        raise Rejected(
            f"the company and its assignees elected to buy the shares of notice {n.id}; they "
            f"cannot go to {e.to}",
            "rofr",
            t.option_citation,
        )
    if e.date <= n.option_expires:
        raise Rejected(
            f"the transfer skips the company's option: notice {n.id} was received "
            f"{n.received.isoformat()} and the option runs through "
            f"{n.option_expires.isoformat()}, neither waived nor expired; the transfer is void",
            "date",
            f"{t.option_citation}; {t.void_citation}",
        )
    if e.date > n.transfer_window_ends:
        raise Rejected(
            f"the holder's window under notice {n.id} ended on "
            f"{n.transfer_window_ends.isoformat()} ({t.transfer_window_days} days after the "
            f"option expired on {n.option_expires.isoformat()}); a new notice is needed",
            "date",
            f"{t.transfer_window_citation}; {t.void_citation}",
        )


def _check_settlement(
    state: State,
    n: Notice,
    purchaser: str,
    shares: int,
    price: Any,
    on: dt.date,
    t: RightOfFirstRefusal,
) -> None:
    """Settlement of an election: in cash, at the option price, within the days after the
    Secretary received the notice, for the purchaser's elected shares (§1(b), (d))."""
    if not n.fully_elected:
        raise Rejected(
            f"the option on notice {n.id} is for all, not less than all, of its "
            f"{n.shares:,} shares; only {sum(n.elected.values()):,} were elected",
            "rofr",
            t.option_citation,
        )
    left = n.elected[purchaser] - n.settled.get(purchaser, 0)
    if shares > left:
        raise Rejected(
            f"{_who(purchaser)} elected {n.elected[purchaser]:,} shares of notice {n.id}, "
            f"{n.settled.get(purchaser, 0):,} already settled; {shares:,} more exceed it",
            "shares",
            t.settlement_citation,
        )
    if price is None or Fraction(price) != n.option_price:
        raise Rejected(
            f"settlement is at the notice's price of {decimal_str(n.option_price)} per share, "
            f"not {'an unstated price' if price is None else price}",
            "price",
            t.settlement_citation,
        )
    nominal = nominal_price(state, n)
    if nominal is not None:
        raise Rejected(
            f"notice {n.id} cannot be settled at its noticed price: {nominal}",
            "price",
            t.option_citation,
        )
    if on > n.settlement_due:
        raise Rejected(
            f"settlement of notice {n.id} was due by {n.settlement_due.isoformat()} "
            f"({t.settlement_days} days after {_settlement_start(state, n)})",
            "date",
            t.settlement_citation,
        )


def _settlement_start(state: State, n: Notice) -> str:
    if SETTLEMENT_FROM.choose(state.readings) == "receipt" or n.elected_on is None:
        return f"the Secretary received the notice on {n.received.isoformat()}"
    return f"the election that completed the option on {n.elected_on.isoformat()}"


def apply_transfer(state: State, e: Transfer) -> None:
    if e.rofr is None or e.rofr not in state.rofr_notices:
        return
    n = state.rofr_notices[e.rofr]
    if e.to in n.elected:
        n.settled[e.to] = n.settled.get(e.to, 0) + e.shares
    else:
        n.transferred += e.shares


def check_repurchase(state: State, e: Repurchase) -> None:
    """The company's own purchase under its election settles the notice (§1(d))."""
    if e.rofr is None:
        return
    t = _terms(state)
    n = require_notice(state, e.rofr, "rofr")
    _require_same_shares(n, e.holder, e.class_, t)
    if COMPANY not in n.elected:
        raise Rejected(
            f"the company has not elected to buy under notice {n.id}", "rofr", t.option_citation
        )
    _check_settlement(state, n, COMPANY, e.shares, e.price, e.date, t)


def apply_repurchase(state: State, e: Repurchase) -> None:
    if e.rofr is not None:
        n = state.rofr_notices[e.rofr]
        n.settled[COMPANY] = n.settled.get(COMPANY, 0) + e.shares


# --- exemptions (f) ----------------------------------------------------------------------------


def check_exemption(state: State, e: Transfer, t: RightOfFirstRefusal) -> None:
    """Each exemption of §1(f) holds only on a fact recorded on the ledger:

    - family (1): the recipient is `family-of:<holder>` (a member of the transferring
      stockholder's immediate family, or a custodian or trustee for the account of the holder
      or its immediate family); the exemption runs from the stockholder to its family, never
      back (a grandchild's transfer to a grandparent, a trust's to its settlor);
    - existing-stockholder (2): the recipient holds shares at the time of the transfer;
    - officer-or-director (3): the recipient holds an office or a directorship on the
      transfer's date (`office_begins`, `office_ends`), or, with no office event, is
      recorded `officer` or `director` (the reading rofr-undated-office);
    - corporate-reorganization (4): the recipient is `successor-of:<holder>` (the entity that
      takes the holder's shares in its merger, consolidation, reclassification,
      reorganization or sale of all or substantially all of its stock or assets);
    - partnership-distribution (5): the recipient is `partner-of:<holder>`;
    - pro-rata-distribution (6): the recipient is `stockholder-of:<holder>`, and the transfer
      records the whole distribution (`distribution`: each recipient, its shares and its part
      of the distributor's stock), which is pro rata.
    """
    name = e.exemption
    assert name is not None
    citation = t.exemptions.get(name)
    if citation is None:
        raise Rejected(
            f"{name!r} is not an exemption of the right of first refusal; the exemptions are "
            f"{', '.join(t.exemptions)}",
            "exemption",
            t.citation + "(f)",
        )
    frm, to = state.stakeholders[e.from_], state.stakeholders[e.to]
    fact = EXEMPTION_FACTS.get(name)
    if fact is None:
        raise Rejected(f"charter cannot check the exemption {name!r}", "exemption", citation)
    ok, missing = fact(state, e, frm.relations, to.relations)
    if not ok:
        raise Rejected(
            f"the transfer to {e.to} is not exempt as {name}: {missing}; without the exemption "
            "it needs the right-of-first-refusal process",
            "exemption",
            citation,
        )


# (state, the transfer, from's relations, to's relations) -> (holds, what is missing)
Fact = Callable[[State, Transfer, list[str], list[str]], tuple[bool, str]]


def _family(s: State, e: Transfer, fr: list[str], tr: list[str]) -> tuple[bool, str]:
    frm, to = e.from_, e.to
    if f"family-of:{frm}" in tr:
        return True, ""
    if f"family-of:{to}" in fr:
        return False, (
            f"{frm} is recorded as family-of:{to}, but the exemption runs only from a "
            f"stockholder to its own immediate family (relation family-of:{frm} on {to})"
        )
    return False, f"{to} is not recorded as family-of:{frm}"


def _stockholder(s: State, e: Transfer, fr: list[str], tr: list[str]) -> tuple[bool, str]:
    return bool(s.holdings.get(e.to)), f"{e.to} holds no shares at the time of the transfer"


UNDATED_OFFICE = interpretation(
    id="rofr-undated-office",
    question="When the ledger gives a stakeholder the undated relation `officer` or "
    "`director` and records no office event for it, is it an officer or director 'at the "
    "time of' every transfer?",
    citation="Bylaws Art. VIII §1(f)(3)",
    quote="A stockholder's transfer of any or all of such stockholder's shares to a person "
    "who, at the time of such transfer, is an officer or Director of the corporation.",
    readings={
        "throughout": "yes: an undated relation holds at every date; a ledger that records "
        "office events for the stakeholder is measured by their dates instead",
        "dated-only": "no: only an office held on the transfer's date by the office events "
        "(office_begins, office_ends) makes the transfer exempt",
    },
    default="throughout",
    argument="The ledger format's relations are undated, and a ledger written to it states "
    "who is an officer or director as a standing fact; refusing every such transfer would "
    "declare void transfers the format cannot date. Where the dates are known they are "
    "recorded as office events and decide; 'dated-only' is for counsel who want every "
    "exemption proved at the transfer's date.",
)


def _officer(s: State, e: Transfer, fr: list[str], tr: list[str]) -> tuple[bool, str]:
    to, on = e.to, e.date
    if office_terms.has_terms(s, to):
        held = office_terms.offices_held(s, to, on)
        return bool(held), (
            f"{to} holds no office and no directorship on {on.isoformat()} (its terms of "
            "office on the ledger: "
            + "; ".join(
                f"{t.office} from {t.began.isoformat()}"
                + (f" to {t.ended.isoformat()}" if t.ended else "")
                for t in s.offices
                if t.holder == to
            )
            + ")"
        )
    if UNDATED_OFFICE.choose(s.readings) == "dated-only":
        return False, (
            f"no office event records {to} as an officer or director on {on.isoformat()} "
            f"(reading {UNDATED_OFFICE.id}=dated-only)"
        )
    ok = "officer" in tr or "director" in tr
    return ok, f"{to} is recorded as neither an officer nor a director"


def _relation(kind: str) -> Fact:
    def holds(s: State, e: Transfer, fr: list[str], tr: list[str]) -> tuple[bool, str]:
        return f"{kind}:{e.from_}" in tr, f"{e.to} is not recorded as {kind}:{e.from_}"

    return holds


def _pro_rata(s: State, e: Transfer, fr: list[str], tr: list[str]) -> tuple[bool, str]:
    """(6) "A corporate stockholder's transfer ... to its stockholders on a pro rata basis":
    the distribution's recipients are the distributor's stockholders (`stockholder-of:`),
    their parts of its stock make up the whole, and each receives its part of the shares
    distributed, to the whole share (the remainder of a part is less than one share)."""
    ok, missing = _relation("stockholder-of")(s, e, fr, tr)
    if not ok:
        return ok, missing
    if not e.distribution:
        return False, (
            f"the distribution is not recorded: name each of {e.from_}'s stockholders that "
            "receives shares, its shares and its part of the distributor's stock "
            "(distribution), so that it can be seen to be pro rata"
        )
    parts = {d.holder: parse_ratio(d.holding) for d in e.distribution}
    got = {d.holder: d.shares for d in e.distribution}
    total = sum(got.values())
    if e.to not in got or got[e.to] != e.shares:
        return (
            False,
            f"the distribution recorded gives {e.to} {got.get(e.to, 0):,} shares, not {e.shares:,}",
        )
    strangers = [
        h
        for h in got
        if h not in s.stakeholders or f"stockholder-of:{e.from_}" not in s.stakeholders[h].relations
    ]
    if strangers:
        return False, f"{', '.join(strangers)} is not recorded as stockholder-of:{e.from_}"
    whole = sum(parts.values(), Fraction(0))
    if whole != 1:
        return False, (
            f"the parts of {e.from_}'s stock recorded add up to {_ratio(whole)}, "
            "not the whole (1:1): every stockholder must share in a pro rata distribution"
        )
    off = [h for h in got if abs(got[h] - total * parts[h]) >= 1]
    if off:
        h = off[0]
        return False, (
            f"{h} receives {got[h]:,} of the {total:,} shares distributed, not its pro rata "
            f"share ({total:,} x {_ratio(parts[h])}, to within one share)"
        )
    return True, ""


def _ratio(x: Fraction) -> str:
    return f"{x.numerator}:{x.denominator}"


EXEMPTION_FACTS: dict[str, Fact] = {
    "family": _family,
    "existing-stockholder": _stockholder,
    "officer-or-director": _officer,
    "corporate-reorganization": _relation("successor-of"),
    "partnership-distribution": _relation("partner-of"),
    "pro-rata-distribution": _pro_rata,
}
