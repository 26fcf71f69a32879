"""Stockholder meetings recorded in the ledger (Bylaws Art. II §2, §7-§10).

A `meeting_result` event records the ballots of a meeting held on its date. Replay decides it
with the rule `charter tally` applies (rules/tally.py: `tally`), one piece of code for the rule:
quorum, then each item. Ballots the rule refuses (a holder without votes on the item, two
ballots, an item a special meeting's notice did not state, cumulative votes) refuse the event.
A meeting without a quorum is recorded as such: it met and could decide nothing. The rules
layer sits below the state, so the rule is imported when a meeting is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from charter.errors import CharterError
from charter.ledger.events import MeetingResult
from charter.state.model import MeetingRecord, State
from charter.state.record_dates import record_date_refusal
from charter.state.rejection import Rejected

if TYPE_CHECKING:
    from charter.rules.tally import TallyResult


def check_meeting_result(state: State, e: MeetingResult) -> None:
    """The record date is within the bylaws' window before the meeting (Bylaws Art. VI §5),
    and not before an event already in the ledger (the holders of record on it are then no
    longer the ledger's); the ballots pass the tally's checks."""
    cite = state.terms.bylaws.stockholder_meetings.vote_standard_citation
    if e.record_date is not None:
        refusal = record_date_refusal(state.terms.bylaws, e.record_date, meeting=e.date)
        if refusal is not None:
            raise Rejected(refusal[0], "record_date", refusal[1])
        if state.as_of is not None and state.as_of > e.record_date:
            raise Rejected(
                f"the record date is {e.record_date.isoformat()}, but the ledger already "
                f"records events to {state.as_of.isoformat()}; the holders of record on that "
                "date cannot be checked against it",
                "record_date",
                cite,
            )
    decide(state, e)


def decide(state: State, e: MeetingResult) -> TallyResult:
    """The rule of `charter tally`, over the ledger as it stands."""
    from charter.rules.tally import TallyInput, tally

    data = TallyInput(
        date=e.date,
        kind=e.kind,
        noticed=e.noticed,
        items=e.items,
        ballots=e.ballots,
        notice_date=e.notice_date,
        waivers=e.waivers,
    )
    try:
        return tally(state, data, "", state.readings)
    except CharterError as err:
        first = err.problems[0]
        raise Rejected(
            "; ".join(p.message.rstrip(".") for p in err.problems),
            first.field,
            first.citation,
        ) from err


def apply_meeting_result(state: State, e: MeetingResult) -> None:
    from charter.rules.tally import tally_json

    outcome = tally_json(decide(state, e))
    state.meeting_results.append(MeetingRecord(e.id, e.date, e.kind, e.record_date, outcome))
