"""Votes and board composition; the meeting planner and the approvals checklist (Art. IV.B.5,
IV.B.6; Bylaws Art. II, III). The JSON is that of `charter votes|board|approvals|meeting plan
--json`, built by the same functions as the commands. Officers only (registry.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from charter.explain import parse_readings
from charter.rules.approvals import Votes, action_ids, approvals_json
from charter.rules.board import board_composition, board_json, board_size
from charter.rules.consents import recorded_consents
from charter.rules.meetings import meeting_plan_json
from charter.rules.tally import recorded_meetings
from charter.rules.votes import votes_json, voting_power
from charter.state.model import State
from charter.views.governance import approvals_for, plan_for
from charter.views.inputs import parse_date
from charter.web.api import READ_ERRORS, AsOf, CompanyAccess
from charter.web.context import Access
from charter.web.forms import page_form
from charter.web.pages import PageAccess, as_of_date
from charter.web.pages_waterfall import Reading, readings_key
from charter.web.problems import HTTPProblem

Directors = Annotated[
    int | None,
    Query(ge=1, le=1000, description="The whole board as fixed (default: directors in office)"),
]
Ids = Annotated[list[str] | None, Query(max_length=200)]


def officers_only(access: Access) -> None:
    """Votes, meetings, approvals and the ROFR queue name every holder: officers only."""
    if not access.member.reads_all:
        raise HTTPProblem(
            403,
            f"a stockholder of {access.slug} sees its own position only; this is for "
            "administrators, counsel and directors",
        )


def votes_data(access: Access, as_of: dt.date | None, settings: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = access.cached(
        ("votes", as_of, readings_key(settings)),
        lambda: votes_json(voting_power(access.state(as_of), settings)),
    )
    return data


def board_data(
    access: Access, as_of: dt.date | None, directors: int | None, settings: dict[str, str]
) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        state = access.state(as_of)
        n, basis = board_size(state, directors)
        return board_json(board_composition(state, n, basis, settings))

    data: dict[str, Any] = access.cached(
        ("board", as_of, directors, readings_key(settings)), compute
    )
    return data


def approvals_data(
    access: Access,
    as_of: dt.date | None,
    action: str,
    series: str | None,
    cast: Votes | None,
    directors: int | None,
    settings: dict[str, str],
) -> dict[str, Any]:
    state = access.state(as_of)
    result = approvals_for(state, action, series, cast, directors, settings)
    return approvals_json(result) | {"recorded": recorded_consents(state, action, series)}


def plan_data(
    access: Access,
    kind: str,
    day: dt.date,
    purposes: list[str],
    record_date: dt.date | None,
    notice_date: dt.date | None,
    directors: int | None,
    settings: dict[str, str],
) -> dict[str, Any]:
    p = plan_for(
        access.session.terms.bylaws,
        access.state,
        kind,
        day,
        purposes,
        record_date,
        notice_date,
        None,
        False,
        directors,
        settings,
    )
    return meeting_plan_json(p)


api = APIRouter(prefix="/api", tags=["api"])
ERRORS = {**READ_ERRORS, 403: READ_ERRORS[401]}


@api.get("/companies/{company}/votes", responses={200: {"model": dict[str, Any]}, **ERRORS})
def votes_api(access: CompanyAccess, as_of: AsOf = None, reading: Reading = None) -> JSONResponse:
    """`charter votes --json`: votes per holder and class, the Voting Shift Period."""
    officers_only(access)
    settings = parse_readings(reading or [])
    return JSONResponse(votes_data(access, parse_date(as_of, "as_of"), settings))


@api.get("/companies/{company}/board", responses={200: {"model": dict[str, Any]}, **ERRORS})
def board_api(
    access: CompanyAccess, as_of: AsOf = None, directors: Directors = None, reading: Reading = None
) -> JSONResponse:
    """`charter board --json`: who elects how many directors."""
    officers_only(access)
    settings = parse_readings(reading or [])
    return JSONResponse(board_data(access, parse_date(as_of, "as_of"), directors, settings))


@api.get("/companies/{company}/approvals", responses={200: {"model": dict[str, Any]}, **ERRORS})
def approvals_api(
    access: CompanyAccess,
    action: Annotated[str, Query(max_length=100, description="The corporate action")],
    series: Annotated[str | None, Query(max_length=100)] = None,
    for_: Annotated[list[str] | None, Query(alias="for", description="Holder ids for")] = None,
    against: Ids = None,
    abstain: Ids = None,
    as_of: AsOf = None,
    directors: Directors = None,
    reading: Reading = None,
) -> JSONResponse:
    """`charter approvals --action ACTION --json`; with `for`/`against` (and `abstain`: present
    at the meeting, voting neither way), the quorum and whether each approval is met."""
    officers_only(access)
    voted = for_ or against or abstain
    cast = Votes(for_ or [], against or [], abstain or []) if voted else None
    data = approvals_data(
        access,
        parse_date(as_of, "as_of"),
        action,
        series,
        cast,
        directors,
        parse_readings(reading or []),
    )
    return JSONResponse(data)


@api.get("/companies/{company}/meeting-results", responses={200: {"model": list[Any]}, **ERRORS})
def meeting_results_api(access: CompanyAccess, as_of: AsOf = None) -> JSONResponse:
    """`charter meeting results --json`: the stockholder meetings the ledger records."""
    officers_only(access)
    return JSONResponse(recorded_meetings(access.state(parse_date(as_of, "as_of"))))


@api.get("/companies/{company}/meeting-plan", responses={200: {"model": dict[str, Any]}, **ERRORS})
def meeting_plan_api(
    access: CompanyAccess,
    kind: Annotated[str, Query(max_length=20, description="annual or special")],
    date: Annotated[str, Query(max_length=40, description="The meeting date")],
    purpose: Ids = None,
    record_date: Annotated[str | None, Query(max_length=40)] = None,
    notice_date: Annotated[str | None, Query(max_length=40)] = None,
    directors: Directors = None,
    reading: Reading = None,
) -> JSONResponse:
    """`charter meeting plan --json`: notice and record-date windows, list, quorum."""
    officers_only(access)
    day = parse_date(date, "date")
    assert day is not None
    data = plan_data(
        access,
        kind,
        day,
        purpose or [],
        parse_date(record_date, "record_date"),
        parse_date(notice_date, "notice_date"),
        directors,
        parse_readings(reading or []),
    )
    return JSONResponse(data)


def series_of(state: State) -> list[str]:
    """The classes other than common with shares outstanding: the series an action may
    concern."""
    return [c for c in state.outstanding if c != state.certificate.common.id]


votes_router = APIRouter(include_in_schema=False)


@votes_router.get("/c/{company}/votes")
def votes_page(
    request: Request,
    access: PageAccess,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    directors: Directors = None,
) -> Response:
    """Votes per holder and class, and who elects the board."""
    officers_only(access)
    form = page_form(request, "votes.html", access, "votes", {"as_of": as_of or ""})
    when = as_of_date(as_of)
    names = {s.id: s.name for s in access.session.stakeholders()}
    return form.render(
        votes=votes_data(access, when, {}),
        board=board_data(access, when, directors, {}),
        names=names,
    )


meetings_router = APIRouter(include_in_schema=False)


@meetings_router.get("/c/{company}/meetings")
def meetings_page(
    request: Request,
    access: PageAccess,
    kind: Annotated[str, Query(max_length=20)] = "annual",
    date: Annotated[str | None, Query(max_length=40)] = None,
    purpose: Annotated[str | None, Query(max_length=500)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    series: Annotated[str | None, Query(max_length=100)] = None,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The meeting planner (a kind and a date) and the approvals checklist (an action)."""
    officers_only(access)
    latest = access.state(None)
    form = page_form(
        request,
        "meetings.html",
        access,
        "meetings",
        {"kind": kind, "date": date or "", "purpose": purpose or "", "action": action or "",
         "series": series or "", "as_of": as_of or ""},
        actions=action_ids(latest),
        series_ids=series_of(latest),
    )  # fmt: skip
    when = as_of_date(as_of)
    state = access.state(when)
    day = parse_date(date or None, "date")
    plan = None
    if day is not None:
        plan = plan_data(access, kind, day, [purpose] if purpose else [], None, None, None, {})
    checklist = None
    if action:
        checklist = approvals_data(access, when, action, series or None, None, None, {})
    return form.render(
        plan=plan,
        checklist=checklist,
        actions=action_ids(state),
        series_ids=series_of(state),
    )
