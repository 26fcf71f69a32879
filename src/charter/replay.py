"""Replay: apply a ledger's events, in order, under the terms in force on each date.

Above the state and the rules: most events change the state by the state's own code, but a
recorded meeting and a written consent are decided by the rule a surface applies to them
(`charter tally`, `charter consent`), and the state records what the rule returns.

One explicit pipeline (STYLE.md, Beancount's loader): for each event, its checks run first
and may refuse it with a sentence and a clause; then its appliers change the state and cannot
fail. A refused event changes nothing; replay goes on so that every mistake is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from charter.errors import CharterError, Problem
from charter.lazy import deferred
from charter.ledger.events import MeetingResult, Stakeholder, StockholderConsent
from charter.ledger.fileformat import Entry
from charter.state import (
    adjusted_terms,
    antidilution,
    board,
    certificates,
    conversion,
    convertibles,
    designations,
    dividends,
    grant_amendments,
    holdings,
    meeting_results,
    offices,
    plans,
    recapitalization,
    record_dates,
    registration,
    rofr,
    standoff,
    stockholder_consents,
)
from charter.state.model import State, collector_paused
from charter.state.rejection import Rejected
from charter.terms.model import TermsSet

if TYPE_CHECKING:
    from charter.rules import consents, tally
else:  # imported at a ledger's first recorded meeting or consent: these rules import most others
    consents = deferred("charter.rules.consents")
    tally = deferred("charter.rules.tally")

Handler = Callable[[State, Any], None]


def decide_meeting(state: State, e: MeetingResult) -> None:
    """The tally's checks of the ballots (Bylaws Art. II §7-§10)."""
    tally.meeting_decision(state, e)


def record_meeting(state: State, e: MeetingResult) -> None:
    meeting_results.record(state, e, tally.tally_json(tally.meeting_decision(state, e)))


def decide_consent(state: State, e: StockholderConsent) -> None:
    """The written consents carry every approval the action needs (Bylaws Art. II §11)."""
    consents.consent_decision(state, e)


def record_consent(state: State, e: StockholderConsent) -> None:
    outcome = consents.consent_decision(state, e)
    approvals = tuple((a.id, a.for_ or 0, a.needed or 0) for a in outcome.result.approvals)
    stockholder_consents.record(state, e, outcome.record_date, approvals, outcome.citation)


# event type -> (checks, appliers). Checks raise Rejected; appliers never fail.
HANDLERS: dict[str, tuple[list[Handler], list[Handler]]] = {
    "issue": (
        [holdings.check_issue, antidilution.check_issue, certificates.check_issue_number],
        [antidilution.apply_issue, holdings.apply_issue, rofr.note_price],
    ),
    "grant": (
        [holdings.check_grant, antidilution.check_grant],
        [antidilution.apply_grant, holdings.apply_grant],
    ),
    "exercise": ([holdings.check_exercise], [antidilution.apply_exercise, holdings.apply_exercise]),
    "expire": ([holdings.check_expire], [antidilution.apply_expire, holdings.apply_expire]),
    "grant_amend": (
        [grant_amendments.check_amend, antidilution.check_amend],
        [antidilution.apply_amend, grant_amendments.apply_amend],
    ),
    "transfer": (
        [
            holdings.check_transfer,
            rofr.check_transfer,
            standoff.check_transfer,
            certificates.check_surrender,
        ],
        [
            holdings.apply_transfer,
            rofr.apply_transfer,
            rofr.note_price,
            certificates.apply_surrender,
        ],
    ),
    "repurchase": (
        [holdings.check_repurchase, rofr.check_repurchase, certificates.check_surrender],
        [
            plans.apply_repurchase,
            holdings.apply_repurchase,
            rofr.apply_repurchase,
            rofr.note_price,
            conversion.apply_repurchase,
            certificates.apply_surrender,
        ],
    ),
    "convert": (
        [conversion.check_convert, certificates.check_surrender],
        [conversion.apply_convert, certificates.apply_surrender],
    ),
    "convert_election": ([conversion.check_convert_election], [conversion.apply_convert_election]),
    "ipo": (
        [conversion.check_ipo, registration.check_ipo],
        [registration.apply_ipo, conversion.apply_ipo],
    ),
    "registration_effective": (
        [registration.check_registration_effective],
        [registration.apply_registration_effective],
    ),
    "offering_withdrawn": (
        [conversion.check_offering_withdrawn],
        [conversion.apply_offering_withdrawn, registration.apply_offering_withdrawn],
    ),
    "cash_amount_payment": (
        [conversion.check_cash_amount_payment],
        [conversion.apply_cash_amount_payment],
    ),
    "issue_convertible": (
        [convertibles.check_issue_convertible],
        [convertibles.apply_issue_convertible, antidilution.apply_issue_convertible],
    ),
    "convert_convertible": (
        [convertibles.check_convert_convertible],
        [
            convertibles.apply_convert_convertible,
            antidilution.apply_convert_convertible,
            convertibles.deliver_shares,
        ],
    ),
    "split": (
        [holdings.check_split, record_dates.check_record_date],
        [holdings.apply_split, antidilution.apply_split, adjusted_terms.apply_split],
    ),
    "recapitalization": (
        [recapitalization.check_recapitalization, record_dates.check_record_date],
        [recapitalization.apply_recapitalization, adjusted_terms.apply_recapitalization],
    ),
    "dividend": (
        [dividends.check_dividend, record_dates.check_record_date],
        [dividends.apply_dividend, antidilution.apply_dividend, adjusted_terms.apply_dividend],
    ),
    "adopt_terms": ([holdings.check_adopt_terms], [holdings.apply_adopt_terms]),
    "adopt_plan": (
        [holdings.check_adopt_plan],
        [holdings.apply_adopt_plan, antidilution.apply_adopt_plan],
    ),
    "vest": ([plans.check_vest], [plans.apply_vest, antidilution.apply_vesting_event]),
    "acceleration": (
        [plans.check_acceleration],
        [plans.apply_acceleration, antidilution.apply_vesting_event],
    ),
    "service_end": ([plans.check_service_end], [plans.apply_service_end]),
    "plan_amend": ([plans.check_plan_amend], [plans.apply_plan_amend]),
    "assert": ([holdings.check_assert], [holdings.apply_nothing]),
    "rofr_notice": ([rofr.check_notice], [rofr.apply_notice]),
    "rofr_assign": ([rofr.check_assign], [rofr.apply_assign]),
    "rofr_exercise": ([rofr.check_exercise], [rofr.apply_exercise]),
    "rofr_waive": ([rofr.check_waive], [rofr.apply_waive]),
    "designate_series": (
        [designations.check_designate_series],
        [designations.apply_designate_series],
    ),
    "office_begins": ([offices.check_office_begins], [offices.apply_office_begins]),
    "office_ends": ([offices.check_office_ends], [offices.apply_office_ends]),
    "certificate_replace": ([certificates.check_replace], [certificates.apply_replace]),
    "board_approval": ([board.check_board_approval], [board.apply_board_approval]),
    "board_size": ([board.check_board_size], [board.apply_board_size]),
    "take_record": ([record_dates.check_take_record], [record_dates.apply_take_record]),
    "stockholder_consent": (
        [stockholder_consents.check_signatures, decide_consent],
        [record_consent],
    ),
    "meeting_result": (
        [meeting_results.check_record_date, decide_meeting],
        [record_meeting],
    ),
}

# Time passing to a date (before each event, and to the end of a replay `until` a date):
# obligations that fall due by the calendar alone, e.g. carried-forward adjustments and the
# lapse of vested options after the post-termination period.
CLOCK: list[Callable[[State, dt.date], None]] = [plans.tick, antidilution.tick]


def initial_state(
    terms: TermsSet,
    stakeholders: Iterable[Stakeholder],
    readings: Mapping[str, str] | None = None,
) -> State:
    """The company before its first event: the first certificate in force; `readings` are
    the --reading choices the replay itself depends on."""
    return State(
        terms=terms,
        certificate=terms.certificates[0],
        stakeholders={s.id: s for s in stakeholders},
        readings=dict(readings or {}),
    )


def apply_entry(state: State, entry: Entry) -> None:
    """Apply one event or raise Rejected; a refused event leaves the state as it was."""
    e = entry.event
    if state.as_of is not None and e.date < state.as_of:
        raise Rejected(
            f"is dated {e.date.isoformat()}, before the previous event "
            f"({state.as_of.isoformat()}); events must be in date order",
            "date",
        )
    if e.id is not None and e.id in state.event_ids:
        raise Rejected(f"event id {e.id!r} is already used", "id")
    handlers = HANDLERS.get(e.type)
    if handlers is None:
        raise Rejected(f"{e.type} events are not supported by this version of charter", "type")
    checks, appliers = handlers
    for tick in CLOCK:
        tick(state, e.date)
    for check in checks:
        check(state, e)
    for apply in appliers:
        apply(state, e)
    certificates.record(state, e)  # the register follows the holdings (Bylaws Art. VI §4)
    state.as_of = e.date
    if e.id is not None:
        state.event_ids.add(e.id)
    state.events_applied += 1


def replay(
    terms: TermsSet,
    stakeholders: Iterable[Stakeholder],
    entries: Iterable[Entry],
    until: dt.date | None = None,
    state: State | None = None,
) -> State:
    """The state after every event dated on or before `until` (all events when None).

    Raises CharterError with one problem per refused event.
    """
    st = state if state is not None else initial_state(terms, stakeholders)
    problems: list[Problem] = []
    with collector_paused():
        for entry in entries:
            if until is not None and entry.event.date > until:
                break
            try:
                apply_entry(st, entry)
            except Rejected as r:
                where = entry.where()
                problems.append(Problem(r.message, field=r.field, citation=r.citation, **where))
    if problems:
        raise CharterError(problems)
    if until is not None:
        advance_to(st, until)
    return st


def advance_to(state: State, until: dt.date) -> None:
    """Time passes to `until` after the last event: what falls due by the calendar alone."""
    if state.as_of is None or until > state.as_of:
        for tick in CLOCK:
            tick(state, until)
        state.as_of = until
