"""Who is asking, and what they may reach: the server's shared parts, the principal (a
browser session or an API token) and a company opened through a membership."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from charter.ledger.store import Store
from charter.rules.captable import captable, captable_json
from charter.service import Session
from charter.state.model import State
from charter.web.accounts import Accounts, LoginThrottle, Membership, User
from charter.web.cache import StateCache
from charter.web.problems import HTTPProblem

SESSION_COOKIE = "charter_session"


@dataclass
class Web:
    """What every request shares (app.state.web)."""

    store: Store
    accounts: Accounts
    throttle: LoginThrottle
    cache: StateCache
    templates: Jinja2Templates


def web_of(request: Request) -> Web:
    w: Web = request.app.state.web
    return w


@dataclass(frozen=True)
class Principal:
    user: User
    via: Literal["cookie", "token"]
    csrf: str | None = None  # a browser session's CSRF token

    def check_csrf(self, token: str | None) -> None:
        """A write made with a session cookie must carry the session's CSRF token (a form
        field, or the X-CSRF-Token header); a write with an API token needs none."""
        if self.via == "token":
            return
        if not token or self.csrf is None or not secrets.compare_digest(token, self.csrf):
            raise HTTPProblem(
                403, "the CSRF token is missing or wrong; reload the page and try again"
            )


class LoginRequired(Exception):
    """A page asked for without a session: the browser is sent to the login page."""


def principal_of(request: Request) -> Principal | None:
    w = web_of(request)
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, token = auth.partition(" ")
        user = w.accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise HTTPProblem(
                401,
                "the Authorization header does not carry a valid API token (Bearer ct_...)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Principal(user, "token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = w.accounts.session(cookie)
        if found is not None:
            return Principal(found.user, "cookie", found.csrf)
    return None


@dataclass(frozen=True)
class Access:
    """A principal in one company, with its membership."""

    web: Web
    principal: Principal
    session: Session
    member: Membership

    @property
    def slug(self) -> str:
        return self.session.company.slug

    @cached_property
    def last_sequence(self) -> int:
        """The ledger's last sequence, read once per request: it names the cached results."""
        return self.session.store.last_sequence(self.session.company)

    def state(self, as_of: dt.date | None, readings: tuple[tuple[str, str], ...] = ()) -> State:
        """The state as of a date, replayed under `readings` (sorted NAME, CHOICE pairs)."""
        return self.web.cache.state(self.session, as_of, self.last_sequence, readings)

    def cached(self, what: Hashable, compute: Callable[[], Any]) -> Any:
        """`compute()` (a JSON document the core built) once per ledger version and `what`."""
        return self.web.cache.result(self.session, self.last_sequence, what, compute)

    def json_response(self, what: Hashable, build: Callable[[], Any]) -> Response:
        """The JSON document `build()` (what the core computed, as this member may see it)
        as a response. Its encoded bytes are kept per ledger version, question and viewer,
        so a question asked again is answered without computing or encoding anything."""
        viewer = None if self.member.reads_all else ("holder", self.member.stakeholder)
        body: bytes = self.cached(("json", what, viewer), lambda: json_bytes(build()))
        return Response(body, media_type="application/json")


def json_bytes(doc: Any) -> bytes:
    """`doc` encoded exactly as FastAPI's JSONResponse encodes it."""
    return json.dumps(
        doc, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def open_company(w: Web, principal: Principal, slug: str) -> Access:
    """The company `slug` if the principal belongs to it; otherwise the same 404 whether it
    exists or not (another company's existence is not disclosed)."""
    found = w.accounts.membership_in(principal.user, slug)
    if found is not None:
        company, member = found
        return Access(w, principal, Session(w.store, company), member)
    raise not_open(slug)


def not_open(slug: str) -> HTTPProblem:
    """The same 404 whether the company exists or not."""
    return HTTPProblem(404, f"no company {slug!r} is open to this account", field="company")


def api_access(request: Request, company: str) -> Access:
    w = web_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():  # the scripts' way: one query
        found = w.accounts.token_in(token.strip(), company)
        if found is not None:
            user, membership = found
            if membership is None:
                raise not_open(company)
            stored, member = membership
            return Access(w, Principal(user, "token"), Session(w.store, stored), member)
    p = principal_of(request)
    if p is None:
        raise HTTPProblem(
            401,
            "sign in, or send an API token in the Authorization header (Bearer ct_...)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return open_company(web_of(request), p, company)


def page_access(request: Request, company: str) -> Access:
    p = principal_of(request)
    if p is None:
        raise LoginRequired
    return open_company(web_of(request), p, company)


def captable_data(access: Access, as_of: dt.date | None) -> dict[str, Any]:
    """`charter captable --json` as of a date, computed once per ledger version."""
    data: dict[str, Any] = access.cached(
        ("captable", as_of), lambda: captable_json(captable(access.state(as_of)))
    )
    return data
