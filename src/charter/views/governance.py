"""Questions of governance put the same way by the CLI and the web: the approvals an action
needs, and the plan of a stockholder meeting over the state on its record date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from charter.errors import CharterError, Problem
from charter.rules import approvals as approvals_rules
from charter.rules import board as board_rules
from charter.rules import meetings as meetings_rules
from charter.rules.approvals import ApprovalsResult, Votes
from charter.rules.meetings import MeetingPlan
from charter.state import board as board_state
from charter.state.model import State
from charter.terms.model import Bylaws


def approvals_for(
    state: State,
    action: str,
    series: str | None,
    cast: Votes | None,
    directors: int | None,
    settings: dict[str, str],
) -> ApprovalsResult:
    """Every approval `action` needs, evaluated against `cast` when votes are given."""
    n, _ = board_rules.board_size(state, directors)
    result = approvals_rules.required_approvals(state, action, series, settings)
    return approvals_rules.evaluate(
        state, result, cast, board_state.directors_in_office(state), n, settings
    )


def plan_for(
    bylaws: Bylaws,
    state_at: Callable[[dt.date | None], State],
    kind: str,
    day: dt.date,
    purposes: list[str],
    record_date: dt.date | None,
    notice_date: dt.date | None,
    adjourn_to: dt.date | None,
    new_record_date: bool,
    directors: int | None,
    settings: dict[str, str],
) -> MeetingPlan:
    """The plan of a meeting on `day`, over the state on its record date (`state_at`)."""
    if kind not in ("annual", "special"):
        raise CharterError([Problem(f"{kind!r} is not annual or special", field="--kind")])
    rd, basis = meetings_rules.record_date_for(bylaws, kind, day, record_date, notice_date)
    state = state_at(rd)
    n, _ = board_rules.board_size(state, directors)
    return meetings_rules.meeting_plan(
        state,
        kind,
        day,
        rd,
        basis,
        n,
        purposes,
        notice_date,
        adjourn_to,
        new_record_date,
        settings,
    )
