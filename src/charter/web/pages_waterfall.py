"""The waterfall explorer: what each class and holder receives at an exit value, and the
payout curve with its breakpoints (Art. IV.B.2). The JSON is `charter waterfall --json` and
`charter curve --json`, built by the same rule functions; a stockholder sees its own row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.errors import CharterError, Problem
from charter.explain import Interpretation, all_interpretations, parse_readings
from charter.numbers import money
from charter.rules.curve import build, curve_json
from charter.rules.deemed_liquidation import LIQUIDATION, exit_event
from charter.rules.waterfall import company as read_company
from charter.rules.waterfall import waterfall, waterfall_json
from charter.views.explorer import explorer_json
from charter.views.inputs import parse_amount, parse_date, voting_power_fraction
from charter.web.api import READ_ERRORS, AsOf, CompanyAccess
from charter.web.context import Access
from charter.web.forms import page_form
from charter.web.pages import PageAccess, as_of_date, class_names_of
from charter.web.security import script_json
from charter.web.visibility import Mine, curve_for, waterfall_for

DEFAULT_EXIT = "60000000.00"
DEFAULT_TO = "200000000.00"

Reading = Annotated[
    list[str] | None,
    Query(description="NAME=CHOICE: a reading of the text (docs/interpretations.md)"),
]


ExitKind = Annotated[
    str,
    Query(
        description="liquidation, or a transaction the certificate deems one "
        "(Art. IV.B.2(c)), e.g. merger, sale_of_assets, change_of_control",
        max_length=40,
    ),
]
Counterparty = Annotated[
    str | None,
    Query(description="For a merger: the other party, e.g. parent", max_length=40),
]
VotingPowerDisposed = Annotated[
    str | None,
    Query(description="For a change of control: the fraction disposed of", max_length=40),
]


def readings_key(settings: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(settings.items()))


def chosen_readings(reading: list[str] | None) -> dict[str, str]:
    """The readings a page's form chose (`NAME=CHOICE`; a select left at the default sends
    `NAME=`, which chooses nothing)."""
    return parse_readings([r for r in reading or [] if not r.endswith("=")])


def reading_choices(
    items: Iterable[Interpretation], chosen: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The readings a page offers, each with its choices and the one in force."""
    return [
        {"id": i.id, "question": i.question, "citation": i.citation, "readings": i.readings,
         "default": i.default, "chosen": chosen.get(i.id, i.default)}
        for i in items
    ]  # fmt: skip


def mine(access: Access) -> Mine | None:
    """A stockholder's own ids (None for a role that reads everything)."""
    if access.member.reads_all:
        return None
    return Mine.of(access.state(None), access.member)


Exit = tuple[str, str | None, Fraction | None]  # kind, counterparty, voting power disposed
LIQUIDATION_EXIT: Exit = (LIQUIDATION, None, None)


def waterfall_data(
    access: Access,
    as_of: dt.date | None,
    exit_value: Fraction,
    settings: dict[str, str],
    exit_: Exit = LIQUIDATION_EXIT,
) -> dict[str, Any]:
    """`charter waterfall --json [--event ...]`, once per ledger version and question."""

    def compute() -> dict[str, Any]:
        state = access.state(as_of)
        event = exit_event(state, *exit_)
        return waterfall_json(waterfall(state, exit_value, settings, event=event))

    key = ("waterfall", as_of, exit_value, readings_key(settings), exit_)
    data: dict[str, Any] = access.cached(key, compute)
    return data


def curve_data(
    access: Access,
    as_of: dt.date | None,
    lo: Fraction,
    hi: Fraction,
    settings: dict[str, str],
    holders: bool,
    exit_: Exit = LIQUIDATION_EXIT,
) -> dict[str, Any]:
    """`charter curve --json`, once per ledger version and question."""
    if hi <= lo:
        raise CharterError([Problem(f"to {money(hi)} must be above from {money(lo)}", field="to")])

    def compute() -> dict[str, Any]:
        state = access.state(as_of)
        co = read_company(state, settings, None, exit_event(state, *exit_))
        return curve_json(build(co, lo, hi), holders=holders)

    data: dict[str, Any] = access.cached(
        ("curve", as_of, lo, hi, readings_key(settings), holders, exit_), compute
    )
    return data


def explorer_data(
    access: Access,
    as_of: dt.date | None,
    top: Fraction,
    settings: dict[str, str],
    exit_: Exit = LIQUIDATION_EXIT,
) -> str:
    """The exact curve from 0 to `top` as the page's script evaluates it (views/explorer.py),
    for the exit `exit_` (a deemed liquidation may accelerate grants), as the JSON text of a
    <script> block, once per ledger version and question."""

    def compute() -> str:
        state = access.state(as_of)
        co = read_company(state, settings, None, exit_event(state, *exit_))
        return script_json(explorer_json(build(co, Fraction(0), top)))

    key = ("explorer", as_of, top, readings_key(settings), exit_)
    text: str = access.cached(key, compute)
    return text


api = APIRouter(prefix="/api", tags=["api"])


@api.get(
    "/companies/{company}/waterfall",
    responses={200: {"model": dict[str, Any]}, **READ_ERRORS},
)
async def waterfall_api(
    access: CompanyAccess,
    exit: Annotated[
        str, Query(description="Net proceeds available to stockholders", max_length=40)
    ],
    as_of: AsOf = None,
    reading: Reading = None,
    event: ExitKind = LIQUIDATION,
    counterparty: Counterparty = None,
    voting_power_disposed: VotingPowerDisposed = None,
) -> Response:
    """`charter waterfall --exit AMOUNT [--event KIND ...] --json`; a stockholder sees only
    its own holder row."""
    when, amount = parse_date(as_of, "as_of"), parse_amount(exit, "exit")
    settings = parse_readings(reading or [])
    exit_ = (event, counterparty, voting_power_fraction(voting_power_disposed))
    return await access.answer(
        ("waterfall", when, amount, readings_key(settings), exit_),
        lambda: waterfall_for(
            waterfall_data(access, when, amount, settings, exit_), access.member, mine(access)
        ),
    )


@api.get(
    "/companies/{company}/curve",
    responses={200: {"model": dict[str, Any]}, **READ_ERRORS},
)
async def curve_api(
    access: CompanyAccess,
    from_: Annotated[str, Query(alias="from", description="Lowest exit value", max_length=40)],
    to: Annotated[str, Query(description="Highest exit value", max_length=40)],
    as_of: AsOf = None,
    reading: Reading = None,
    holders: Annotated[bool, Query(description="Include each holder's payouts")] = True,
    event: ExitKind = LIQUIDATION,
    counterparty: Counterparty = None,
    voting_power_disposed: VotingPowerDisposed = None,
) -> Response:
    """`charter curve --from A --to B --json`: payouts per class (and holder) against the
    exit value, with the exact breakpoints; a stockholder sees only its own line."""
    when, lo, hi = parse_date(as_of, "as_of"), parse_amount(from_, "from"), parse_amount(to, "to")
    settings = parse_readings(reading or [])
    exit_ = (event, counterparty, voting_power_fraction(voting_power_disposed))
    return await access.answer(
        ("curve", when, lo, hi, readings_key(settings), holders, exit_),
        lambda: curve_for(
            curve_data(access, when, lo, hi, settings, holders, exit_),
            access.member,
            mine(access),
        ),
    )


router = APIRouter(include_in_schema=False)


def exit_kinds(access: Access) -> list[tuple[str, str]]:
    """The exits the certificate in force makes a liquidation (Art. IV.B.2(c)): a
    liquidation itself, then each kind of deemed liquidation, with its description."""
    rules = access.state(None).certificate.liquidation
    deemed = rules.deemed_liquidation if rules else None
    return [(LIQUIDATION, "a liquidation, dissolution or winding up")] + [
        (k.id, k.description) for k in (deemed.kinds if deemed else [])
    ]


@router.get("/c/{company}/waterfall")
def waterfall_page(
    request: Request,
    access: PageAccess,
    exit: Annotated[str | None, Query(max_length=40)] = None,
    to: Annotated[str | None, Query(max_length=40)] = None,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    reading: Annotated[list[str] | None, Query()] = None,
    event: Annotated[str, Query(max_length=40)] = LIQUIDATION,
    counterparty: Annotated[str, Query(max_length=40)] = "",
    voting_power_disposed: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """An exit value to type or slide, and the exit (a liquidation or a deemed one); payouts
    per class and holder; the payout curve. An exit value left empty is a mistake, said
    beside it (the default applies only to a page opened without one)."""
    form = page_form(
        request,
        "waterfall.html",
        access,
        "waterfall",
        {
            "exit": DEFAULT_EXIT if exit is None else exit,
            "to": DEFAULT_TO if to is None else to,
            "as_of": as_of or "",
            "event": event,
            "counterparty": counterparty,
            "voting_power_disposed": voting_power_disposed,
            "reading": [r for r in reading or [] if not r.endswith("=")],
        },
        exit_kinds=exit_kinds(access),
        choices=[],
    )
    when = as_of_date(as_of)
    settings = parse_readings(form.values["reading"])
    amount = parse_amount(form.values["exit"], "exit")
    top = parse_amount(form.values["to"], "to")
    if amount > top:
        top = amount
    exit_: Exit = (
        event,
        counterparty or None,
        voting_power_fraction(voting_power_disposed or None),
    )
    data = waterfall_for(
        waterfall_data(access, when, amount, settings, exit_), access.member, mine(access)
    )
    names = {s.id: s.name for s in access.session.stakeholders()}
    used = data["readings"]
    choices = reading_choices((i for i in all_interpretations() if i.id in used), used)
    exit_query = {k: v for k, v in zip(("event", "counterparty", "voting_power_disposed"),
                  (event, counterparty, voting_power_disposed), strict=True)
                  if v and v != LIQUIDATION}  # fmt: skip
    config = {
        "company": access.slug,
        "exit": money(amount),
        "as_of": as_of or "",
        "readings": [f"{k}={v}" for k, v in settings.items()],
        "exit_event": exit_query,
        "from": "0.00",
        "to": money(top),
        "me": access.member.stakeholder if not access.member.reads_all else None,
        "names": {h: names.get(h, h) for h in data["holders"]},
        "class_names": class_names_of(access),
    }
    return form.render(
        data=data,
        names=names,
        choices=choices,
        exit=money(amount),
        to=money(top),
        config_json=script_json(config),
        api_query=urlencode({"exit": money(amount), **exit_query}),
        # a stockholder's page asks the server: the exact rounding of its own cents needs
        # every holder's amount, which it may not see
        explorer_json=explorer_data(access, when, top, settings, exit_)
        if access.member.reads_all
        else "null",
    )
