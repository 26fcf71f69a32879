"""Server-rendered pages: sign-in, the company overview, the cap table, the ledger history,
the terms in force and the documents. Each feature's page is its own router (registry.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter.errors import CharterError
from charter.inputs import dump_yaml, load_text
from charter.rules.captable import captable
from charter.server.accounts import MAX_TOKEN_DAYS, TOKEN_DAYS, User
from charter.server.throttle import Refused
from charter.views.history import history_json
from charter.views.inputs import parse_date
from charter.views.terms import cited_blocks, terms_json
from charter.web.context import (
    SESSION_COOKIE,
    Access,
    Principal,
    captable_data,
    page_access,
    principal_of,
    web_of,
)
from charter.web.documents import document_text, documents
from charter.web.problems import HTTPProblem
from charter.web.recording import event_types, require_may_record
from charter.web.security import client_address, is_https, script_json
from charter.web.visibility import captable_for, history_for

LOGIN_CSRF_COOKIE = "charter_login_csrf"
PER_PAGE = 25

PageAccess = Annotated[Access, Depends(page_access)]
AsOf = Annotated[str | None, Query(max_length=40)]


def as_of_date(value: str | None) -> dt.date | None:
    """The as-of date of a page's form (left empty: the last event's date)."""
    return parse_date(value or None, "as_of")


def render(
    request: Request,
    template: str,
    status: int = 200,
    access: Access | None = None,
    active: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page, with the navigation of the features the member's role may open."""
    from charter.web.registry import features

    nav = [] if access is None else [f for f in features() if access.member.role in f.roles]
    w = web_of(request)
    return w.templates.TemplateResponse(
        request,
        template,
        {
            "access": access,
            "nav": nav,
            "active": active,
            "csrf": access.principal.csrf if access else None,
            **context,
        },
        status_code=status,
    )


def error_page(request: Request, status: int, sentences: list[str]) -> HTMLResponse:
    return render(request, "error.html", status, sentences=sentences, status_code=status)


# --- signing in -----------------------------------------------------------------------

account_router = APIRouter(include_in_schema=False)


def login_page(
    request: Request, next: str = "/", status: int = 200, errors: tuple[str, ...] = ()
) -> Response:
    """The sign-in form, with a fresh double-submit CSRF token."""
    token = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", status, login_csrf=token, next=_safe_next(next), errors=errors
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request)
    )
    return response


@account_router.get("/login")
def login_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    return login_page(request, next)


def _safe_next(target: str) -> str:
    """Only a path of this site (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@account_router.post("/login")
def login(
    request: Request,
    login: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    w = web_of(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf or not secrets.compare_digest(csrf, expected):
        return login_page(
            request, next, 403, ("The sign-in form had expired; please sign in again.",)
        )
    try:
        ticket = w.throttle.admit(login, client_address(request))
    except Refused as e:
        response = login_page(
            request, next, 429, (f"Too many failed sign-ins; try again in {e.wait} seconds.",)
        )
        response.headers["Retry-After"] = str(e.wait)
        return response
    user = w.accounts.authenticate(login, password)
    w.throttle.settle(ticket, user is not None)
    if user is None:
        return login_page(request, next, 401, ("The login or the password is wrong.",))
    return _signed_in_response(request, user, _safe_next(next))


def _signed_in_response(request: Request, user: User, target: str) -> Response:
    """A new session for `user`, and the browser sent on to `target`."""
    token, _ = web_of(request).accounts.open_session(user)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=is_https(request)
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _signed_in(request: Request) -> Principal:
    p = principal_of(request)
    if p is None or p.via != "cookie":
        from charter.web.context import LoginRequired

        raise LoginRequired
    return p


@account_router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    p = _signed_in(request)
    p.check_csrf(csrf)
    web_of(request).accounts.close_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@account_router.get("/")
def home(request: Request) -> Response:
    p = _signed_in(request)
    w = web_of(request)
    mine = w.accounts.companies_of(p.user)
    if len(mine) == 1:
        return RedirectResponse(f"/c/{quote(mine[0][0].slug)}/", status_code=303)
    return render(request, "home.html", user=p.user, companies=mine, csrf=p.csrf)


def account_page(request: Request, p: Principal, status: int = 200, **outcome: Any) -> Response:
    w = web_of(request)
    return render(
        request,
        "account.html",
        status,
        user=p.user,
        csrf=p.csrf,
        tokens=w.accounts.tokens(p.user),
        max_days=MAX_TOKEN_DAYS,
        default_days=TOKEN_DAYS,
        **outcome,
    )


@account_router.get("/account")
def account(request: Request) -> Response:
    return account_page(request, _signed_in(request))


@account_router.post("/account/tokens")
def new_token(
    request: Request,
    label: Annotated[str, Form(max_length=200)] = "script",
    days: Annotated[int, Form(ge=1, le=MAX_TOKEN_DAYS)] = TOKEN_DAYS,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    p = _signed_in(request)
    p.check_csrf(csrf)
    try:
        token = web_of(request).accounts.create_token(p.user, label or "script", days)
    except CharterError as e:
        return account_page(request, p, 422, errors=[x.sentence() for x in e.problems])
    return account_page(request, p, token=token)


@account_router.post("/account/tokens/revoke")
def revoke_token(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    p = _signed_in(request)
    p.check_csrf(csrf)
    try:
        web_of(request).accounts.revoke_token(p.user, name)
    except CharterError as e:
        return account_page(request, p, 404, errors=[x.sentence() for x in e.problems])
    return account_page(request, p, done=f"The token {name} is revoked.")


def invite_page(
    request: Request, code: str = "", status: int = 200, errors: tuple[str, ...] = ()
) -> Response:
    """The form that accepts an invitation, with a fresh double-submit CSRF token."""
    token = secrets.token_urlsafe(32)
    response = render(request, "invite.html", status, login_csrf=token, code=code, errors=errors)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=is_https(request)
    )
    return response


@account_router.get("/invite")
def invite_form(request: Request, code: Annotated[str, Query(max_length=200)] = "") -> Response:
    return invite_page(request, code)


@account_router.post("/invite")
def accept_invitation(
    request: Request,
    code: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Accept an invitation: with the invited account's password, or choosing the password
    of a new account. Throttled as a sign-in of the invited login."""
    w = web_of(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf or not secrets.compare_digest(csrf, expected):
        return invite_page(request, code, 403, ("The form had expired; please try again.",))
    found = w.accounts.invitation(code)
    if found is None:
        return invite_page(
            request,
            "",
            404,
            ("This invitation code is unknown, used or lapsed; ask for a new one.",),
        )
    try:
        ticket = w.throttle.admit(found.login, client_address(request))
    except Refused as e:
        response = invite_page(
            request, code, 429, (f"Too many failed sign-ins; try again in {e.wait} seconds.",)
        )
        response.headers["Retry-After"] = str(e.wait)
        return response
    try:
        user = w.accounts.accept(code, password)
    except CharterError as e:
        w.throttle.settle(ticket, False)
        return invite_page(request, code, 422, tuple(x.sentence() for x in e.problems))
    w.throttle.settle(ticket, user is not None)
    if user is None:
        return invite_page(request, code, 401, ("The password is wrong.",))
    return _signed_in_response(request, user, f"/c/{quote(found.company)}/")


# --- the company ------------------------------------------------------------------------

overview_router = APIRouter(include_in_schema=False)


@overview_router.get("/c/{company}/")
def overview(request: Request, access: PageAccess, as_of: AsOf = None) -> Response:
    """Classes with authorized, issued and reserved shares; the documents in force and the
    clauses their terms cite."""
    state = access.state(as_of_date(as_of))
    ct = captable(state)
    terms = access.session.terms
    cert = state.certificate.model_dump(mode="json")
    bylaws = terms.bylaws.model_dump(mode="json")
    clauses = {
        "certificate": sorted({c for _, c, _ in cited_blocks(cert)}),
        "bylaws": sorted({c for _, c, _ in cited_blocks(bylaws)}),
    }
    return render(
        request,
        "overview.html",
        access=access,
        active="",
        ct=ct,
        certificate=state.certificate,
        bylaws=terms.bylaws,
        clauses=clauses,
        as_of=as_of or "",
    )


captable_router = APIRouter(include_in_schema=False)

SORTS = ("name", "id")


@captable_router.get("/c/{company}/captable")
def captable_page(
    request: Request,
    access: PageAccess,
    as_of: AsOf = None,
    sort: Annotated[str, Query(max_length=100)] = "name",
    desc: bool = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per: Annotated[int, Query(ge=5, le=500)] = PER_PAGE,
) -> Response:
    """The cap table as of a date: classes, holders (sortable, a page at a time), grants."""
    data = captable_for(captable_data(access, as_of_date(as_of)), access.member)
    names = {s.id: s.name for s in access.session.stakeholders()}
    class_ids = [c for c, v in data["classes"].items() if v["outstanding"]]
    if sort not in (*SORTS, *class_ids):
        raise HTTPProblem(
            422,
            f"cannot sort by {sort!r}: sort by name, id or a class ({', '.join(class_ids)})",
            field="sort",
        )
    rows = [
        {"id": h, "name": names.get(h, h), "shares": [by.get(c, 0) for c in class_ids]}
        for h, by in data["holders"].items()
        if any(by.values())
    ]
    if sort in SORTS:
        rows.sort(key=lambda r: (str(r[sort]).lower(), r["id"]), reverse=desc)
    else:
        i = class_ids.index(sort)
        rows.sort(key=lambda r: (r["shares"][i], r["name"].lower()), reverse=desc)
    pages = max(1, -(-len(rows) // per))
    page = min(page, pages)
    chart = {
        c: {
            "authorized": v["authorized"],
            "outstanding": v["outstanding"],
            "reserved": v["reserved"],
        }
        for c, v in data["classes"].items()
    }
    return render(
        request,
        "captable.html",
        access=access,
        active="captable",
        data=data,
        class_ids=class_ids,
        rows=rows[(page - 1) * per : page * per],
        per=per,
        holders_total=len(rows),
        page=page,
        pages=pages,
        sort=sort,
        desc=desc,
        as_of=as_of or "",
        chart_json=script_json(chart),
        names=names,
    )


history_router = APIRouter(include_in_schema=False)


def _history(request: Request, access: Access, as_of: str | None, **extra: Any) -> Response:
    until = as_of_date(as_of)
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
    visible = history_for(events, access.member, own)
    checkpoint = access.session.checkpoint()  # verified, as were the events read above
    rows = [
        {
            "sequence": e["sequence"],
            "date": e["date"],
            "type": e["type"],
            "id": e.get("id") or "",
            "note": e.get("note") or "",
            "details": {
                k: v for k, v in e.items() if k not in ("sequence", "date", "type", "id", "note")
            },
        }
        for e in visible
    ]
    return render(
        request,
        "history.html",
        status=extra.pop("status", 200),
        access=access,
        active="history",
        rows=rows,
        checkpoint=checkpoint,
        as_of=as_of or "",
        **extra,
    )


@history_router.get("/c/{company}/history")
def history_page(request: Request, access: PageAccess, as_of: AsOf = None) -> Response:
    """The ledger's events in order, each with its place in the hash chain."""
    return _history(request, access, as_of)


@history_router.post("/c/{company}/history")
def record_events(
    request: Request,
    access: PageAccess,
    events: Annotated[str, Form(max_length=500_000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record events typed as YAML or JSON (a list, in the ledger file's format)."""
    access.principal.check_csrf(csrf)
    require_may_record(access, [])  # a member who records nothing is refused before parsing
    try:
        raw = load_text(events, field="events")
    except CharterError as e:
        return _history(
            request,
            access,
            None,
            status=422,
            errors=[p.sentence() for p in e.problems],
            draft=events,
        )
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw) or not raw:
        return _history(
            request,
            access,
            None,
            status=422,
            errors=["Write a list of events, each a mapping with date and type."],
            draft=events,
        )
    require_may_record(access, event_types(raw))
    try:
        seqs = access.session.append(raw, source=f"web:{access.principal.user.login}")
    except CharterError as e:
        return _history(
            request,
            access,
            None,
            status=422,
            errors=[p.sentence() for p in e.problems],
            draft=events,
        )
    return _history(request, access, None, recorded=seqs)


terms_router = APIRouter(include_in_schema=False)


@terms_router.get("/c/{company}/terms")
def terms_page(
    request: Request,
    access: PageAccess,
    as_of: AsOf = None,
    clause: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The terms in force: every cited block, or those citing one clause."""
    state = access.state(as_of_date(as_of))
    terms = access.session.terms
    if clause:
        blocks = terms_json(terms, state, clause)["blocks"]
    else:
        blocks = [
            {"where": f"{root}.{p}", "citation": c, "terms": b}
            for root, doc in (
                ("certificate", state.certificate.model_dump(mode="json")),
                ("bylaws", terms.bylaws.model_dump(mode="json")),
            )
            for p, c, b in cited_blocks(doc)
        ]
    shown = [
        {
            **b,
            "yaml": dump_yaml(b["terms"], width=90),
        }
        for b in blocks
    ]
    return render(
        request,
        "terms.html",
        access=access,
        active="terms",
        blocks=shown,
        clause=clause or "",
        documents=documents(terms),
        as_of=as_of or "",
    )


@terms_router.get("/c/{company}/documents/{name}")
def document_page(request: Request, access: PageAccess, name: str) -> Response:
    """The text of one of the company's documents, when it is on this machine."""
    docs = documents(access.session.terms)
    if name not in docs:
        raise HTTPProblem(404, f"{access.slug} has no document {name!r}", field="name")
    return render(
        request,
        "document.html",
        access=access,
        active="terms",
        title=docs[name],
        name=name,
        text=document_text(name),
    )
