"""The JSON API: the CLI's queries and writes over HTTP, in the shapes of
spec/cli-contract.md, for the companies the caller belongs to."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from charter.errors import CharterError
from charter.server.accounts import MAX_TOKEN_DAYS, TOKEN_DAYS
from charter.views.history import history_json
from charter.views.inputs import parse_date
from charter.views.terms import terms_json
from charter.web.context import (
    Access,
    Principal,
    api_access,
    captable_data,
    principal_of,
    web_of,
)
from charter.web.problems import HTTPProblem
from charter.web.recording import event_types, require_may_record
from charter.web.visibility import captable_for, history_for

router = APIRouter(prefix="/api", tags=["api"])

CompanyAccess = Annotated[Access, Depends(api_access)]
AsOf = Annotated[
    str | None,
    Query(description="YYYY-MM-DD (default: the last event's date)", max_length=40),
]


class ProblemError(BaseModel):
    sentence: str
    message: str
    field: str | None = None
    event: int | None = None
    event_id: str | None = None
    citation: str | None = None


class ProblemOut(BaseModel):
    """RFC 9457 problem details; `detail` holds the same sentences as the CLI."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError]


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": ProblemOut, "content": {"application/problem+json": {}}} for c in codes}


class CompanyOut(BaseModel):
    slug: str
    name: str
    role: str
    stakeholder: str | None


class ClassOut(BaseModel):
    authorized: int
    outstanding: int
    as_converted: int
    reserved: int


class GrantOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    holder: str
    class_: str = Field(alias="class")
    outstanding: int
    exercise_price: str
    kind: str


class HolderTotalOut(BaseModel):
    as_converted: int
    fully_diluted: int
    outstanding_pct: str
    fully_diluted_pct: str


class TotalsOut(BaseModel):
    as_converted: int
    fully_diluted: int
    unallocated_pool: int
    unallocated_pool_by_plan: dict[str, int]
    unallocated_pool_pct: dict[str, str]
    fully_diluted_with_pool: int


class CapTableOut(BaseModel):
    """`charter captable --json`."""

    as_of: str | None
    classes: dict[str, ClassOut]
    holders: dict[str, dict[str, int]]
    grants: dict[str, GrantOut]
    fully_diluted: int
    certificate: str
    warnings: list[str]
    holder_totals: dict[str, HolderTotalOut] = {}
    totals: TotalsOut | None = None


class CheckpointOut(BaseModel):
    """A signed checkpoint of the chain, as a receipt (`charter verify --receipt FILE`)."""

    format: str
    company: str
    sequence: int
    head: str
    signed_at: str
    key_id: str
    signature: str


class VerifyOut(BaseModel):
    events: int
    intact: bool
    first_broken: int | None
    message: str
    checkpoints: int = 0
    latest_checkpoint: CheckpointOut | None = None
    cached_states: int = 0
    problems: list[str] = Field(default_factory=list)


class EventsIn(BaseModel):
    """A batch of events in the ledger file's format (spec/ledger-format.md), appended whole
    or not at all."""

    model_config = ConfigDict(extra="forbid")

    events: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class AppendedOut(BaseModel):
    appended: list[int]
    checkpoint: CheckpointOut | None = None  # the receipt of this append


READ_ERRORS = problem_responses(401, 404, 422)


@router.get("/companies", response_model=list[CompanyOut], responses=problem_responses(401))
async def companies(request: Request) -> list[CompanyOut]:
    """The companies this account belongs to, with its role in each."""
    p = principal_of(request)
    if p is None:
        raise HTTPProblem(401, "sign in, or send an API token (Bearer ct_...)")
    return [
        CompanyOut(slug=c.slug, name=c.name, role=m.role, stakeholder=m.stakeholder)
        for c, m in web_of(request).accounts.companies_of(p.user)
    ]


@router.get(
    "/companies/{company}/captable",
    responses={200: {"model": CapTableOut}, **READ_ERRORS},
)
async def captable_api(access: CompanyAccess, as_of: AsOf = None) -> Response:
    """`charter captable --json`; a stockholder sees only its own holder row and grants."""
    when = parse_date(as_of, "as_of")
    return await access.answer(
        ("captable", when), lambda: captable_for(captable_data(access, when), access.member)
    )


@router.get(
    "/companies/{company}/history",
    responses={200: {"model": list[dict[str, Any]]}, **READ_ERRORS},
)
def history_api(access: CompanyAccess, as_of: AsOf = None) -> JSONResponse:
    """`charter history --json`; a stockholder sees only the events naming it."""
    until = parse_date(as_of, "as_of")
    events = history_json(access.session.entries(until))
    own = (
        set()
        if access.member.reads_all
        else {
            g.id
            for g in access.state(None).grants.values()
            if g.holder == access.member.stakeholder
        }
    )
    return JSONResponse(history_for(events, access.member, own))


@router.get(
    "/companies/{company}/terms",
    responses={200: {"model": dict[str, Any]}, **READ_ERRORS},
)
def terms_api(
    access: CompanyAccess,
    as_of: AsOf = None,
    clause: Annotated[
        str | None, Query(description="e.g. 'Art. IV.B.2' or 'Bylaws Art. VIII'", max_length=200)
    ] = None,
) -> JSONResponse:
    """`charter terms show [CLAUSE] --json`: the terms in force, or the blocks citing CLAUSE."""
    state = access.state(parse_date(as_of, "as_of"))
    return JSONResponse(terms_json(access.session.terms, state, clause))


@router.get(
    "/companies/{company}/verify",
    response_model=VerifyOut,
    responses=problem_responses(401, 404),
)
def verify_api(access: CompanyAccess) -> VerifyOut:
    """`charter verify`: recompute the hash chain of the stored events, and check every
    signed checkpoint and cached state."""
    r = access.session.store.verify(access.session.company)
    return VerifyOut(
        events=r.events,
        intact=r.intact,
        first_broken=r.first_broken,
        message=r.summary(),
        checkpoints=r.checkpoints,
        latest_checkpoint=None if r.latest is None else CheckpointOut(**r.latest.receipt()),
        cached_states=r.cached_states,
        problems=r.problems,
    )


@router.post(
    "/companies/{company}/events",
    status_code=201,
    response_model=AppendedOut,
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
def append_api(
    access: CompanyAccess,
    batch: EventsIn,
    x_csrf_token: Annotated[str | None, Header(max_length=200)] = None,
) -> AppendedOut:
    """Append events: an administrator any, counsel and directors votes and consents only
    (the kinds `POST .../votes-and-consents` takes). Every event is checked against the
    ledger replayed under the terms in force; a batch with any problem writes nothing."""
    access.principal.check_csrf(x_csrf_token)
    require_may_record(access, event_types(batch.events))
    seqs = access.session.append(batch.events, source=f"api:{access.principal.user.login}")
    receipt = access.session.receipt
    return AppendedOut(
        appended=seqs, checkpoint=None if receipt is None else CheckpointOut(**receipt.receipt())
    )


# --- the caller's API tokens ---------------------------------------------------------------


class TokenOut(BaseModel):
    name: str
    created: str
    expires: str
    last_used: str | None


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    days: int = Field(default=TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS)


class NewTokenOut(TokenOut):
    token: str = Field(description="The token itself, shown this once")


def _utc(t: dt.datetime | None) -> str | None:
    return None if t is None else t.isoformat(timespec="seconds") + "Z"


def _signed_principal(request: Request) -> Principal:
    p = principal_of(request)
    if p is None:
        raise HTTPProblem(
            401,
            "sign in, or send an API token (Bearer ct_...)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return p


@router.get("/tokens", response_model=list[TokenOut], responses=problem_responses(401))
def tokens_api(request: Request) -> list[TokenOut]:
    """This account's API tokens: name, created, expiry, last use (never the tokens)."""
    p = _signed_principal(request)
    return [
        TokenOut(
            name=t.name, created=_utc(t.created) or "", expires=_utc(t.expires) or "",
            last_used=_utc(t.last_used),
        )
        for t in web_of(request).accounts.tokens(p.user)
    ]  # fmt: skip


@router.post(
    "/tokens",
    status_code=201,
    response_model=NewTokenOut,
    responses=problem_responses(401, 403, 422),
)
def create_token_api(
    request: Request,
    new: TokenIn,
    x_csrf_token: Annotated[str | None, Header(max_length=200)] = None,
) -> NewTokenOut:
    """A new API token for this account, lasting `days` days; the token is in the answer
    only."""
    p = _signed_principal(request)
    p.check_csrf(x_csrf_token)
    accounts = web_of(request).accounts
    secret = accounts.create_token(p.user, new.name, new.days)
    made = next(t for t in accounts.tokens(p.user) if t.name == new.name.strip())
    return NewTokenOut(
        name=made.name, created=_utc(made.created) or "", expires=_utc(made.expires) or "",
        last_used=None, token=secret,
    )  # fmt: skip


@router.delete("/tokens/{name}", status_code=204, responses=problem_responses(401, 403, 404))
def revoke_token_api(
    request: Request,
    name: Annotated[str, Path(max_length=200)],
    x_csrf_token: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Revoke one of this account's API tokens by name, at once."""
    p = _signed_principal(request)
    p.check_csrf(x_csrf_token)
    try:
        web_of(request).accounts.revoke_token(p.user, name)
    except CharterError as e:
        raise HTTPProblem(404, e.problems[0].message, field="name") from None
    return Response(status_code=204)
