"""Server-rendered pages: sign-in, the company overview, the cap table, the ledger history,
the terms in force and the documents. Each feature's page is its own router (registry.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from fractions import Fraction
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter.errors import CharterError, Problem
from charter.inputs import load_text
from charter.rules.captable import captable
from charter.server.accounts import MAX_TOKEN_DAYS, TOKEN_DAYS, User
from charter.server.throttle import Refused
from charter.terms.clauses import document_text, outline, segments
from charter.views.charts import bar_chart
from charter.views.history import history_filtered, history_json
from charter.views.inputs import parse_date
from charter.views.terms import matches, terms_json, terms_outline
from charter.web.context import (
    SESSION_COOKIE,
    Access,
    LoginRequired,
    PasswordToChoose,
    Principal,
    admitted,
    captable_data,
    page_access,
    principal_of,
    web_of,
)
from charter.web.documents import documents
from charter.web.forms import PageForm, declared, page_form
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


def class_names_of(access: Access | None) -> dict[str, str]:
    """Each class's name in the company's certificates, by id: how a page names a class."""
    if access is None:
        return {}
    return {c.id: c.name for cert in access.session.terms.certificates for c in cert.classes}


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
            "class_names": class_names_of(access),
            **context,
        },
        status_code=status,
    )


def error_page(request: Request, status: int, problems: list[Problem]) -> HTMLResponse:
    """A refusal, in the browser: in the page's own form when the page declared one (each
    sentence beside its field, forms.py), else on an error page that keeps the company's
    navigation when the request was admitted to it."""
    form = declared(request)
    if form is not None and 400 <= status < 500:
        return form.refused(status, problems)
    access = None
    company = request.path_params.get("company")
    if company is not None and status not in (401, 404):
        try:
            access = admitted(request, company)
        except (HTTPProblem, CharterError):
            access = None
    return render(
        request,
        "error.html",
        status,
        access=access,
        active=_active(request),
        sentences=[p.sentence() for p in problems],
        status_code=status,
    )


def _active(request: Request) -> str | None:
    """The navigation key of a company page's path (`/c/{company}/{key}...`)."""
    parts = request.url.path.split("/")
    return parts[3] if len(parts) > 3 and parts[1] == "c" else None


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
    if user.must_choose_password:
        return _signed_in_response(request, user, "/account/password?next=" + quote(next, safe="/"))
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


def _signed_in(request: Request, choosing: bool = False) -> Principal:
    """The browser session's principal; a user whose password was made for it is sent to
    choose its own first (unless `choosing` it now)."""
    p = principal_of(request)
    if p is None or p.via != "cookie":
        raise LoginRequired
    if p.user.must_choose_password and not choosing:
        raise PasswordToChoose
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


def password_page(
    request: Request,
    p: Principal,
    next: str = "/",
    status: int = 200,
    problems: list[Problem] | None = None,
) -> Response:
    """The form to choose one's password: with the current one (the one made for the user,
    at a first sign-in), the new one twice; each mistake beside its field (forms.py)."""
    form = PageForm(request, "password.html", None, "", {"next": _safe_next(next)}, {})
    return form.render(status, user=p.user, csrf=p.csrf, problems=problems or [])


@account_router.get("/account/password")
def password_form(request: Request, next: Annotated[str, Query(max_length=2000)] = "/") -> Response:
    return password_page(request, _signed_in(request, choosing=True), next)


@account_router.post("/account/password")
def change_password(
    request: Request,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
    again: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """A member's own new password, proved by the current one (throttled as a sign-in of its
    login); every session and API token of the account ends, and this browser is signed in
    again."""
    p = _signed_in(request, choosing=True)
    p.check_csrf(csrf)
    w = web_of(request)
    try:
        ticket = w.throttle.admit(p.user.login, client_address(request))
    except Refused as e:
        wait = Problem(f"too many failed sign-ins; try again in {e.wait} seconds", field="current")
        response = password_page(request, p, next, 429, [wait])
        response.headers["Retry-After"] = str(e.wait)
        return response
    try:
        user = w.accounts.change_password(p.user, current, new, again)
    except CharterError as e:
        w.throttle.settle(ticket, all(x.field != "current" for x in e.problems))
        return password_page(request, p, next, 422, e.problems)
    w.throttle.settle(ticket, True)
    return _signed_in_response(request, user, _safe_next(next))


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
    """Classes with authorized, issued and reserved shares; the documents in force and, as
    their table of contents, the clauses their terms cite by article."""
    form = page_form(request, "overview.html", access, "", {"as_of": as_of or ""})
    state = access.state(as_of_date(as_of))
    ct = captable(state)
    terms = access.session.terms
    return form.render(
        ct=ct,
        certificate=state.certificate,
        bylaws=terms.bylaws,
        outline=terms_outline(state.certificate, terms.bylaws),
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
    form = page_form(
        request,
        "captable.html",
        access,
        "captable",
        {"as_of": as_of or "", "sort": sort, "per": per, "desc": desc},
    )
    data = captable_for(captable_data(access, as_of_date(as_of)), access.member)
    names = {s.id: s.name for s in access.session.stakeholders()}
    class_names = class_names_of(access)
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
            "name": class_names.get(c, c),
            "authorized": v["authorized"],
            "outstanding": v["outstanding"],
            "reserved": v["reserved"],
        }
        for c, v in data["classes"].items()
    }
    return form.render(
        data=data,
        class_ids=class_ids,
        rows=rows[(page - 1) * per : page * per],
        per=per,
        holders_total=len(rows),
        page=page,
        pages=pages,
        chart_json=script_json(chart),
        names=names,
        ownership=ownership_charts(data, class_names, names),
    )


TOP_HOLDERS = 12


def ownership_charts(
    data: dict[str, Any], class_names: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    """Ownership by class and by holder, as a share of the outstanding stock (as converted)
    and of the fully diluted count: the percentages of the cap table's own columns
    (captable_json's class_totals and holder_totals), the largest holders first."""
    series = ("Outstanding", "Fully diluted")
    classes = data.get("class_totals", {})
    by_class = [
        (class_names.get(c, c), (t["outstanding_pct"], t["fully_diluted_pct"]))
        for c, t in classes.items()
        if t["fully_diluted"]
    ]
    holders = sorted(
        data.get("holder_totals", {}).items(),
        key=lambda kv: (-Fraction(kv[1]["fully_diluted_pct"]), names.get(kv[0], kv[0])),
    )
    shown = holders[:TOP_HOLDERS]
    by_holder = [
        (names.get(h, h), (t["outstanding_pct"], t["fully_diluted_pct"])) for h, t in shown
    ]
    return {
        "by_class": bar_chart("own-class", "Ownership by class", series, by_class),
        "by_holder": bar_chart("own-holder", "Ownership by holder", series, by_holder),
        "shown": len(shown),
        "others": len(holders) - len(shown),
    }


history_router = APIRouter(include_in_schema=False)


def _history(
    request: Request,
    access: Access,
    as_of: str | None,
    filters: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The history page: the events through `as_of` that name the holder and the class and
    are of the type of `filters` (each optional; an unknown one is a mistake beside its
    field), with what a POST recorded or refused (`extra`)."""
    filters = filters or {}
    state = access.state(None)
    every = history_json(access.session.entries(None))
    types = sorted({e["type"] for e in every})
    form = page_form(
        request,
        "history.html",
        access,
        "history",
        {"as_of": as_of or "", "holder": "", "class": "", "type": "", **filters},
        holders=(
            {s.id: s.name for s in access.session.stakeholders()} if access.member.reads_all else {}
        ),
        classes=[c.id for c in state.certificate.classes],
        types=types,
        rows=[],
        checkpoint=None,
    )
    wanted = {k: v for k, v in filters.items() if v}
    problems = [
        Problem(f"{v!r} is not {what}", field=k)
        for k, v, known, what in (
            ("holder", wanted.get("holder"), form.context["holders"], "a holder you may see"),
            ("class", wanted.get("class"), form.context["classes"], "a class of stock"),
            ("type", wanted.get("type"), types, "a type of event in this ledger"),
        )
        if v is not None and v not in known
    ]
    if problems:
        raise CharterError(problems)
    until = as_of_date(as_of)
    events = every if until is None else history_json(access.session.entries(until))
    own = (
        set()
        if access.member.reads_all
        else {g.id for g in state.grants.values() if g.holder == access.member.stakeholder}
    )
    visible = history_filtered(
        history_for(events, access.member, own),
        wanted.get("holder"),
        wanted.get("class"),
        wanted.get("type"),
    )
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
    return form.render(
        extra.pop("status", 200), rows=rows, checkpoint=checkpoint, filtered=bool(wanted), **extra
    )


@history_router.get("/c/{company}/history")
def history_page(
    request: Request,
    access: PageAccess,
    as_of: AsOf = None,
    holder: Annotated[str, Query(max_length=200)] = "",
    class_: Annotated[str, Query(alias="class", max_length=200)] = "",
    type: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The ledger's events in order, each with its place in the hash chain; filtered by a
    holder, a class and a type of event (GET parameters, kept in the form)."""
    return _history(request, access, as_of, {"holder": holder, "class": class_, "type": type})


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
    """The terms in force by document, article and clause: each cited clause's words beside
    the figures of the terms that cite it (or only the clauses matching `clause`)."""
    form = page_form(
        request, "terms.html", access, "terms", {"as_of": as_of or "", "clause": clause or ""}
    )
    state = access.state(as_of_date(as_of))
    terms = access.session.terms
    if clause:
        terms_json(terms, state, clause)  # a clause no term cites is refused in its words
    docs = terms_outline(state.certificate, terms.bylaws)
    if clause:
        for d in docs:
            for art in d["articles"]:
                art["clauses"] = [e for e in art["clauses"] if matches(e["citation"], clause)]
            d["articles"] = [a for a in d["articles"] if a["clauses"]]
        docs = [d for d in docs if d["articles"]]
    return form.render(outline=docs, documents=documents(terms))


@terms_router.get("/c/{company}/documents/{name}")
def document_page(request: Request, access: PageAccess, name: str) -> Response:
    """The text of one of the company's documents, when it is on this machine, cut at its
    clauses so that `#c-IV-B-3-d` opens clause IV.B.3(d)."""
    docs = documents(access.session.terms)
    if name not in docs:
        raise HTTPProblem(404, f"{access.slug} has no document {name!r}", field="name")
    text = document_text(name)
    return render(
        request,
        "document.html",
        access=access,
        active="terms",
        title=docs[name],
        name=name,
        parts=segments(outline(text)) if text is not None else None,
    )
