"""The dividend calculator: how a dividend the board would declare is shared among the
classes and holders (Art. IV.B.1, IV.C.1), with the preferred's preference per annum and the
rates as adjusted. The JSON is `charter dividend --json`, built by the same rule function; a
stockholder sees its own holder row. Nothing is recorded (a `dividend` ledger event does)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.explain import all_interpretations, parse_readings
from charter.rules.dividends import dividend, dividend_json
from charter.views.inputs import parse_amount, parse_date
from charter.web.api import READ_ERRORS, AsOf, CompanyAccess
from charter.web.context import Access
from charter.web.forms import page_form
from charter.web.pages import PageAccess, as_of_date
from charter.web.pages_waterfall import Reading, chosen_readings, reading_choices, readings_key
from charter.web.visibility import dividend_for

DEFAULT_AMOUNT = "1000000.00"
KINDS = ("cash", "property", "stock")


def dividend_data(
    access: Access, as_of: Any, amount: str, kind: str, settings: dict[str, str]
) -> dict[str, Any]:
    """`charter dividend --amount A --kind K --json`, once per ledger version and question."""
    value = parse_amount(amount, "amount")
    data: dict[str, Any] = access.cached(
        ("dividend", as_of, value, kind, readings_key(settings)),
        lambda: dividend_json(dividend(access.state(as_of), value, kind, settings)),
    )
    return data


api = APIRouter(prefix="/api", tags=["api"])


@api.get("/companies/{company}/dividend", responses={200: {"model": dict[str, Any]}, **READ_ERRORS})
async def dividend_api(
    access: CompanyAccess,
    amount: Annotated[str, Query(description="The dividend declared, in all", max_length=40)],
    kind: Annotated[str, Query(description="cash, stock or property", max_length=20)] = "cash",
    as_of: AsOf = None,
    reading: Reading = None,
) -> Response:
    """`charter dividend --amount A --kind K --json`: the dividend shared (nothing is
    recorded); a stockholder sees only its own holder row."""
    when, settings = parse_date(as_of, "as_of"), parse_readings(reading or [])
    return await access.answer(
        ("dividend", when, amount, kind, readings_key(settings)),
        lambda: dividend_for(dividend_data(access, when, amount, kind, settings), access.member),
    )


router = APIRouter(include_in_schema=False)


@router.get("/c/{company}/dividend")
def dividend_page(
    request: Request,
    access: PageAccess,
    amount: Annotated[str, Query(max_length=40)] = DEFAULT_AMOUNT,
    kind: Annotated[str, Query(max_length=20)] = "cash",
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    reading: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """A dividend to try: each class's part, each holder's, the readings and the derivation."""
    form = page_form(
        request,
        "dividend.html",
        access,
        "dividend",
        {"amount": amount, "kind": kind, "as_of": as_of or "", "reading": reading or []},
        kinds=KINDS,
        choices=[],
    )
    settings = chosen_readings(reading)
    when = as_of_date(as_of)
    data = dividend_for(dividend_data(access, when, amount, kind, settings), access.member)
    used = data["readings"]
    choices = reading_choices((i for i in all_interpretations() if i.id in used), used)
    names = {s.id: s.name for s in access.session.stakeholders()}
    return form.render(data=data, names=names, choices=choices)
