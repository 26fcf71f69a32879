"""Records taken of holders, of which the preferred must be told in advance (Art. IV.B.4).

"In the event of any taking by this corporation of a record of the holders of any class of
securities for the purpose of determining the holders thereof who are entitled to receive any
dividend (other than a cash dividend) or other distribution, any right to subscribe for,
purchase or otherwise acquire any shares of stock of any class or any other securities or
property, or to receive any other right", each applicable holder of preferred must be mailed
notice at least the terms' number of days before the record date. A non-cash `dividend`
records its record date here; a `take_record` event records one for a right.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from charter.ledger.events import Dividend, Recapitalization, Split, TakeRecord
from charter.state.model import RecordNotice, State
from charter.state.rejection import Rejected
from charter.terms.model import Bylaws

RESOLUTION_CITATION = "DGCL §213(a)"


def record_date_refusal(
    bylaws: Bylaws,
    record_date: dt.date,
    resolved: dt.date | None = None,
    meeting: dt.date | None = None,
    action: dt.date | None = None,
    action_name: str = "the action",
) -> tuple[str, str] | None:
    """Why a record date the board fixed breaks Bylaws Art. VI §5 (with its sentence and
    clause), or None: not before the resolution fixing it (DGCL §213(a)); for a meeting, not
    more than the bylaws' maximum nor less than their minimum days before it; for any other
    action, not after it nor more than the bylaws' days before it."""
    rules = bylaws.record_dates
    if resolved is not None and record_date < resolved:
        return (
            f"the record date {record_date.isoformat()} precedes the resolution fixing it "
            f"({resolved.isoformat()})",
            RESOLUTION_CITATION,
        )
    if meeting is not None:
        w = rules.meeting
        first = meeting - dt.timedelta(days=w.max_days)
        last = meeting - dt.timedelta(days=w.min_days)
        if not first <= record_date <= last:
            return (
                f"the record date {record_date.isoformat()} is not between {first.isoformat()} "
                f"and {last.isoformat()} (not more than {w.max_days} nor less than "
                f"{w.min_days} days before the meeting of {meeting.isoformat()})",
                w.citation,
            )
    if action is not None:
        days = (action - record_date).days
        if days < 0 or days > rules.other_action_max_days:
            return (
                f"the record date {record_date.isoformat()} is "
                + (f"after {action_name}" if days < 0 else f"{days} days before {action_name}")
                + f" ({action.isoformat()}); it may be at most {rules.other_action_max_days} "
                "days before it",
                rules.citation,
            )
    return None


def check_record_date(state: State, e: Split | Recapitalization | Dividend) -> None:
    """A record date given on a split, recapitalization or dividend is fixed by the board's
    resolution, the event (Bylaws Art. VI §5): not before it, and for a dividend not more than
    the bylaws' days before its payment."""
    if e.record_date is None:
        return
    paid = e.paid_date if isinstance(e, Dividend) else None
    refusal = record_date_refusal(
        state.terms.bylaws, e.record_date, resolved=e.date, action=paid, action_name="payment"
    )
    if refusal is not None:
        raise Rejected(refusal[0], "record_date", refusal[1])


def preferred_holders(state: State) -> tuple[str, ...]:
    """Who holds preferred stock now: the holders the notice must go to."""
    preferred = {c.id for c in state.certificate.preferred}
    return tuple(sorted(h for h, by in state.holdings.items() if preferred.intersection(by)))


def note_record(
    state: State,
    declared: dt.date,
    event: str,
    kind: str,
    record_date: dt.date,
    per_share: dict[str, Fraction],
    character: str = "",
) -> None:
    """Keep a record taken, with the preferred holders to be told of it (Art. IV.B.4)."""
    state.record_notices.append(
        RecordNotice(
            declared,
            event,
            kind,
            record_date,
            per_share,
            state.certificate.id,
            preferred_holders(state),
            character,
        )
    )


def check_take_record(state: State, e: TakeRecord) -> None:
    """A record date fixed by the board may not precede the resolution fixing it (DGCL
    §213(a))."""
    refusal = record_date_refusal(state.terms.bylaws, e.record_date, resolved=e.date)
    if refusal is not None:
        raise Rejected(refusal[0], "record_date", refusal[1])


def apply_take_record(state: State, e: TakeRecord) -> None:
    note_record(
        state, e.date, e.id or f"event {state.events_applied}", "right", e.record_date, {}, e.right
    )
