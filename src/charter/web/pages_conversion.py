"""The IPO simulator (Art. IV.B.3(b)-(c), (h)), the conversion-price history (Art. IV.B.3(d)),
the Cash Amounts paid and owed (Art. IV.B.3(c)) and the notices of record date (Art. IV.B.4).
The JSON is `charter ipo --json`, `charter conversion-prices --json`, `charter cash-owed
--json` and `charter notices --json`, built by the same rule functions over the same replayed
state; a stockholder sees its own holder rows and notices."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.explain import Interpretation, all_interpretations, parse_readings
from charter.rules.cash_amounts import cash_amounts, cash_amounts_json
from charter.rules.conversion_prices import conversion_prices, conversion_prices_json
from charter.rules.ipo import ipo_json, simulate_ipo
from charter.rules.notices import notices_json, record_date_notices
from charter.state import adjusted_terms, antidilution
from charter.views.charts import date_ticks, line_chart, step_lines, value_ticks
from charter.views.inputs import offering_amount, parse_date
from charter.views.ipo_position import post_ipo_position
from charter.web.api import READ_ERRORS, AsOf, CompanyAccess
from charter.web.context import Access
from charter.web.forms import page_form
from charter.web.pages import PageAccess, as_of_date
from charter.web.pages_waterfall import Reading, chosen_readings, reading_choices, readings_key
from charter.web.visibility import cash_owed_for, ipo_for, notices_for

DEFAULT_PRICE = "12.00"
DEFAULT_GROSS = "40000000.00"

Readings = tuple[tuple[str, str], ...]


def replay_readings() -> list[Interpretation]:
    """The readings the replay of conversion prices and conversions depends on (those declared
    by the anti-dilution rules and by the terms as adjusted), which these pages let the user
    choose."""
    declared = {
        v.id
        for module in (antidilution, adjusted_terms)
        for v in vars(module).values()
        if isinstance(v, Interpretation)
    }
    return [i for i in all_interpretations() if i.id in declared]


def ipo_data(
    access: Access,
    as_of: dt.date | None,
    readings: Readings,
    price: Fraction,
    gross: Fraction,
    funds: Fraction | None,
) -> dict[str, Any]:
    """`charter ipo --json`, once per ledger version and question."""
    data: dict[str, Any] = access.cached(
        ("ipo", as_of, readings, price, gross, funds),
        lambda: ipo_json(simulate_ipo(access.state(as_of, readings), price, gross, funds)),
    )
    return data


def conversion_prices_data(
    access: Access, as_of: dt.date | None, readings: Readings
) -> dict[str, Any]:
    """`charter conversion-prices --json`, once per ledger version and question."""
    data: dict[str, Any] = access.cached(
        ("conversion-prices", as_of, readings),
        lambda: conversion_prices_json(conversion_prices(access.state(as_of, readings))),
    )
    return data


def cash_owed_data(access: Access, as_of: dt.date | None) -> dict[str, Any]:
    """`charter cash-owed --json`, once per ledger version and date."""
    data: dict[str, Any] = access.cached(
        ("cash-owed", as_of), lambda: cash_amounts_json(cash_amounts(access.state(as_of)))
    )
    return data


def notices_data(access: Access, as_of: dt.date | None) -> dict[str, Any]:
    """`charter notices --json`, once per ledger version and date."""
    data: dict[str, Any] = access.cached(
        ("notices", as_of), lambda: notices_json(record_date_notices(access.state(as_of)))
    )
    return data


def _offering(
    price: str, gross: str, funds: str | None
) -> tuple[Fraction, Fraction, Fraction | None]:
    return (
        offering_amount(price, "price"),
        offering_amount(gross, "gross"),
        None if funds is None else offering_amount(funds, "funds_available", zero_ok=True),
    )


api = APIRouter(prefix="/api", tags=["api"])


@api.get("/companies/{company}/ipo", responses={200: {"model": dict[str, Any]}, **READ_ERRORS})
async def ipo_api(
    access: CompanyAccess,
    price: Annotated[str, Query(description="Offering price per share", max_length=40)],
    gross: Annotated[str, Query(description="Aggregate offering price", max_length=40)],
    funds_available: Annotated[
        str | None,
        Query(description="Funds legally available for Cash Amounts", max_length=40),
    ] = None,
    as_of: AsOf = None,
    reading: Reading = None,
) -> Response:
    """`charter ipo --price P --gross G [--funds-available L] --json`: what the offering would
    do (nothing is recorded); a stockholder sees only its own holder rows."""
    p, g, f = _offering(price, gross, funds_available)
    when, readings = parse_date(as_of, "as_of"), readings_key(parse_readings(reading or []))
    return await access.answer(
        ("ipo", when, readings, p, g, f),
        lambda: ipo_for(ipo_data(access, when, readings, p, g, f), access.member),
    )


@api.get(
    "/companies/{company}/conversion-prices",
    responses={200: {"model": dict[str, Any]}, **READ_ERRORS},
)
async def conversion_prices_api(
    access: CompanyAccess, as_of: AsOf = None, reading: Reading = None
) -> Response:
    """`charter conversion-prices --json`: each series' price in force, every adjustment and
    what is carried forward (the company's, open to every member)."""
    when, readings = parse_date(as_of, "as_of"), readings_key(parse_readings(reading or []))
    return await access.answer(
        ("conversion-prices", when, readings),
        lambda: conversion_prices_data(access, when, readings),
    )


@api.get(
    "/companies/{company}/cash-owed", responses={200: {"model": dict[str, Any]}, **READ_ERRORS}
)
def cash_owed_api(access: CompanyAccess, as_of: AsOf = None) -> Response:
    """`charter cash-owed --json`: the Cash Amounts due on conversion, paid and still owed,
    per holder, and the funds applied to them; a stockholder sees its own rows."""
    when = parse_date(as_of, "as_of")
    return access.json_response(
        ("cash-owed", when), lambda: cash_owed_for(cash_owed_data(access, when), access.member)
    )


@api.get("/companies/{company}/notices", responses={200: {"model": dict[str, Any]}, **READ_ERRORS})
async def notices_api(access: CompanyAccess, as_of: AsOf = None) -> Response:
    """`charter notices --json`: notices of record date owed to the preferred; a stockholder
    sees those owed to it."""
    when = parse_date(as_of, "as_of")
    return await access.answer(
        ("notices", when), lambda: notices_for(notices_data(access, when), access.member)
    )


ipo_router = APIRouter(include_in_schema=False)


@ipo_router.get("/c/{company}/ipo")
def ipo_page(
    request: Request,
    access: PageAccess,
    price: Annotated[str, Query(max_length=40)] = DEFAULT_PRICE,
    gross: Annotated[str, Query(max_length=40)] = DEFAULT_GROSS,
    funds_available: Annotated[str, Query(max_length=40)] = "",
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    reading: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """An offering to try: qualified or not and why, each series' conversion, each holder's
    common and Cash Amounts, what the funds legally available pay now and leave owed; a
    stockholder's own common and share of the common after the offering."""
    form = page_form(
        request,
        "ipo.html",
        access,
        "ipo",
        {"price": price, "gross": gross, "funds_available": funds_available,
         "as_of": as_of or "", "reading": reading or []},
        choices=reading_choices(replay_readings(), {}),
    )  # fmt: skip
    settings = chosen_readings(reading)
    p, g, f = _offering(price, gross, funds_available or None)
    when = as_of_date(as_of)
    every = ipo_data(access, when, readings_key(settings), p, g, f)
    data = ipo_for(every, access.member)
    names = {s.id: s.name for s in access.session.stakeholders()}
    position = None
    if access.member.stakeholder is not None:
        state = access.state(when, readings_key(settings))
        position = post_ipo_position(state, every, access.member.stakeholder, p, g)
    return form.render(
        data=data,
        names=names,
        choices=reading_choices(replay_readings(), settings),
        position=position,
        api_query=request.url.query,
    )


conversion_prices_router = APIRouter(include_in_schema=False)


@conversion_prices_router.get("/c/{company}/conversion-prices")
def conversion_prices_page(
    request: Request,
    access: PageAccess,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    reading: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Each series' original issue price, conversion price and ratio; every change with its
    date, event, A, B and C, old and new price, clause and what is carried forward; the Cash
    Amounts paid and owed; and the notices of record date owed to the preferred."""
    form = page_form(
        request,
        "conversion_prices.html",
        access,
        "conversion-prices",
        {"as_of": as_of or "", "reading": reading or []},
        choices=reading_choices(replay_readings(), {}),
    )
    settings = chosen_readings(reading)
    when = as_of_date(as_of)
    data = conversion_prices_data(access, when, readings_key(settings))
    notices = notices_for(notices_data(access, when), access.member)
    cash = cash_owed_for(cash_owed_data(access, when), access.member)
    names = {s.id: s.name for s in access.session.stakeholders()}
    state = access.state(when, readings_key(settings))
    return form.render(
        data=data,
        notices=notices["notices"],
        cash=cash,
        names=names,
        choices=reading_choices(replay_readings(), settings),
        as_of_shown=state.as_of,
        chart=price_chart(data, state.purchase_dates, state.as_of),
    )


def price_chart(
    data: dict[str, Any], purchase_dates: dict[str, dt.date], as_of: dt.date | None
) -> str | None:
    """Each series' conversion price over time, from its purchase date at the original issue
    price through every change to the price in force: the figures of the table below
    (`charter conversion-prices --json`). None before any series is issued."""
    starts = {
        s: (purchase_dates[s], v["original_issue_price"])
        for s, v in data.items()
        if s in purchase_dates
    }
    if not starts or as_of is None:
        return None
    changes = {
        s: [(dt.date.fromisoformat(h["date"]), h["to"]) for h in v["history"]]
        for s, v in data.items()
    }
    lines = step_lines(starts, changes, as_of)
    first = min(d for d, _ in starts.values())
    top = max(y for pts in lines.values() for _, y, _ in pts)
    return line_chart(
        "price-chart",
        "Conversion price of each series over time",
        ("Date", "Conversion price ($ per share)"),
        lines,
        date_ticks(first, max(as_of, first)),
        value_ticks(top),
    )
