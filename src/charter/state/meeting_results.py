"""Stockholder meetings recorded in the ledger (Bylaws Art. II §2, §7-§10).

A `meeting_result` event records the ballots of a meeting held on its date. The state checks
its record date and keeps what the meeting decided; the decision itself is the rule `charter
tally` applies (rules/tally.py: `meeting_decision`), one piece of code for the rule: quorum,
then each item. Replay (charter/replay.py, above both) asks the rule and records its answer.
A meeting without a quorum is recorded as such: it met and could decide nothing.
"""

from __future__ import annotations

from typing import Any

from charter.ledger.events import MeetingResult
from charter.state.model import MeetingRecord, State
from charter.state.record_dates import record_date_refusal
from charter.state.rejection import Rejected


def check_record_date(state: State, e: MeetingResult) -> None:
    """The record date is within the bylaws' window before the meeting (Bylaws Art. VI §5),
    and not before an event already in the ledger (the holders of record on it are then no
    longer the ledger's)."""
    if e.record_date is None:
        return
    refusal = record_date_refusal(state.terms.bylaws, e.record_date, meeting=e.date)
    if refusal is not None:
        raise Rejected(refusal[0], "record_date", refusal[1])
    if state.as_of is not None and state.as_of > e.record_date:
        raise Rejected(
            f"the record date is {e.record_date.isoformat()}, but the ledger already "
            f"records events to {state.as_of.isoformat()}; the holders of record on that "
            "date cannot be checked against it",
            "record_date",
            state.terms.bylaws.stockholder_meetings.vote_standard_citation,
        )


def record(state: State, e: MeetingResult, outcome: dict[str, Any]) -> None:
    """Keep the meeting with what the tally decided (`tally_json`)."""
    state.meeting_results.append(MeetingRecord(e.id, e.date, e.kind, e.record_date, outcome))
