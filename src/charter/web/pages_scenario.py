"""A financing before it happens, on the web (issue 14 §2): the scenario written in a
textarea, the same report as `charter scenario --json` (docs/scenario.md), built by the same
view over the same replayed state; nothing is recorded. The report names every holder:
officers only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.errors import CharterError
from charter.views import scenario as scenario_view
from charter.views.inputs import parse_amount
from charter.web.pages import PageAccess, render
from charter.web.pages_governance import officers_only
from charter.web.security import script_json

MAX_SCENARIO = 20_000  # characters of the textarea (the query string carries it)

router = APIRouter(include_in_schema=False)


@router.get("/c/{company}/scenario")
def scenario_page(
    request: Request,
    access: PageAccess,
    scenario: Annotated[str, Query(max_length=MAX_SCENARIO)] = "",
    exit_value: Annotated[str, Query(alias="exit", max_length=40)] = "",
) -> Response:
    """The scenario's pro forma cap table beside today's, conversion prices, approvals,
    headroom and payouts at the exit; each mistake as one sentence (422)."""
    officers_only(access)
    data: dict[str, Any] | None = None
    curves: str | None = None
    errors: list[str] = []
    if scenario.strip():
        try:
            exits = [parse_amount(exit_value, "exit")] if exit_value.strip() else []
            sc = scenario_view.parse_scenario(scenario, "scenario")
            s = access.session
            report = scenario_view.run(
                access.state(None), s.stakeholders(), s.entries(), sc, exits, {}
            )
            data = scenario_view.scenario_json(report)
            top = scenario_view.chart_top(report)
            if top:
                curves = script_json(scenario_view.payout_curves(report, top, {}))
        except CharterError as e:
            errors = [p.sentence() for p in e.problems]
    names = {s.id: s.name for s in access.session.stakeholders()}
    return render(
        request,
        "scenario.html",
        status=422 if errors else 200,
        access=access,
        active="scenario",
        data=data,
        errors=errors,
        names=names,
        scenario=scenario,
        exit_value=exit_value,
        curves_json=curves,
    )
