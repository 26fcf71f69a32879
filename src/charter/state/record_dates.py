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

from charter.ledger.events import TakeRecord
from charter.state.model import RecordNotice, State
from charter.state.rejection import Rejected


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
    if e.record_date < e.date:
        raise Rejected(
            f"the record date {e.record_date.isoformat()} precedes the resolution fixing it "
            f"({e.date.isoformat()})",
            "record_date",
            "DGCL §213(a)",
        )


def apply_take_record(state: State, e: TakeRecord) -> None:
    note_record(
        state, e.date, e.id or f"event {state.events_applied}", "right", e.record_date, {}, e.right
    )
