"""A stockholder's own page: its holdings with its percentages, its grants with their vesting
charts (vested over time, today marked; SVG drawn on the server), what it would receive at a
chosen exit, and its certificates. An administrator, counsel or a director opens the same page
for any holder (`?holder=ID`); a stockholder sees only its own."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.numbers import money
from charter.rules.certificates import register_json
from charter.rules.grants import grants_json, vesting_chart
from charter.views.inputs import parse_amount
from charter.web.context import Access, captable_data
from charter.web.forms import page_form
from charter.web.pages import AsOf, PageAccess, as_of_date
from charter.web.pages_waterfall import DEFAULT_EXIT, waterfall_data
from charter.web.problems import HTTPProblem

router = APIRouter(include_in_schema=False)

CHART_W, CHART_H = 480, 120


def chart_svg(
    points: list[tuple[str, int]], granted: int, first: dt.date, last: dt.date, today: dt.date
) -> dict[str, Any]:
    """The figures of a step chart of vested shares over time, in the SVG's own units (numbers
    only: nothing from the ledger is written into the markup unescaped)."""
    span = max((last - first).days, 1)

    def x(d: dt.date) -> float:
        return round(CHART_W * min(max((d - first).days, 0), span) / span, 1)

    def y(n: int) -> float:
        return round(CHART_H - CHART_H * n / granted, 1) if granted else float(CHART_H)

    line = [(0.0, float(CHART_H))]
    for day, n in points:
        d = dt.date.fromisoformat(day)
        line.append((x(d), line[-1][1]))
        line.append((x(d), y(n)))
    line.append((float(CHART_W), line[-1][1]))
    return {
        "points": " ".join(f"{a},{b}" for a, b in line),
        "today": x(today),
        "w": CHART_W,
        "h": CHART_H,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }


def holder_of(access: Access, asked: str | None) -> str:
    """The holder whose page this is: a stockholder's own; any holder for the other roles."""
    if not access.member.reads_all:
        me = access.member.stakeholder
        if me is None or (asked is not None and asked != me):
            raise HTTPProblem(404, "no such holder page for this account", field="holder")
        return me
    if asked is None or asked not in access.state(None).stakeholders:
        raise HTTPProblem(404, "there is no such stakeholder", field="holder")
    return asked


@router.get("/c/{company}/holder")
def holder_page(
    request: Request,
    access: PageAccess,
    as_of: AsOf = None,
    holder: Annotated[str | None, Query(max_length=100)] = None,
    exit: Annotated[str, Query(max_length=40)] = DEFAULT_EXIT,
) -> Response:
    """A holder's holdings, grants with their vesting, certificates and what it receives at
    an exit value; for an officer without a holder, the choice of one."""
    choosing = holder is None and access.member.reads_all
    form = page_form(
        request,
        "holder.html",
        access,
        "holder",
        {"as_of": as_of or "", "holder": holder or "", "exit": exit},
        **({"choose": {h: s.name for h, s in access.state(None).stakeholders.items()}}
           if access.member.reads_all else {}),
    )  # fmt: skip
    day_asked = as_of_date(as_of)
    if choosing:
        return form.render()
    who = holder_of(access, holder)
    state = access.state(day_asked)
    today = state.as_of or dt.date.today()
    exit_value = parse_amount(exit, "exit")
    ct = captable_data(access, day_asked)
    grants = grants_json(state, who)
    charts = {}
    for gid, pts in vesting_chart(state, who, dt.date.max).items():
        g = state.grants[gid]
        assert g.schedule is not None
        end = max(dt.date.fromisoformat(pts[-1][0]) if pts else g.date, today)
        charts[gid] = chart_svg(pts, g.granted, g.date, end, today)
    wf = waterfall_data(access, day_asked, exit_value, {})
    mine = wf["holders"].get(who, {"amount": money(Fraction(0)), "by_class": {}})
    return form.render(
        holder=who,
        name=state.stakeholders[who].name,
        holdings=state.holdings.get(who, {}),
        totals=ct.get("holder_totals", {}).get(who),
        grants=grants,
        charts=charts,
        exit=money(exit_value),
        receives=mine,
        certificates=register_json(state, who),
    )
