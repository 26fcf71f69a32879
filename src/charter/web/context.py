"""Who is asking, and what they may reach: the server's shared parts, the principal (a
browser session or an API token) and a company opened through a membership."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Hashable
from typing import Any, Literal

import msgspec
from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from charter.ledger.store import Store
from charter.rules.captable import captable, captable_json
from charter.server.accounts import Accounts, Membership, User
from charter.server.throttle import LoginThrottle
from charter.service import Session
from charter.state.model import State
from charter.web.cache import StateCache
from charter.web.problems import HTTPProblem

SESSION_COOKIE = "charter_session"


class Web(msgspec.Struct):
    """What every request shares (app.state.web)."""

    store: Store
    accounts: Accounts
    throttle: LoginThrottle
    cache: StateCache
    templates: Jinja2Templates


def web_of(request: Request) -> Web:
    w: Web = request.app.state.web
    return w


class Principal(msgspec.Struct, frozen=True):
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


class PasswordToChoose(Exception):
    """A browser session of a user whose password was made for it (generated, or set by an
    administrator): it is sent to choose its own before anything else."""


def _bearer(request: Request) -> str | None:
    """The API token of the Authorization header; None without the header. A header that
    carries no bearer token is refused."""
    auth = request.headers.get("authorization")
    if not auth:
        return None
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise bad_token()
    return token.strip()


def bad_token() -> HTTPProblem:
    return HTTPProblem(
        401,
        "the Authorization header does not carry a valid API token (Bearer ct_...)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def principal_of(request: Request) -> Principal | None:
    w = web_of(request)
    token = _bearer(request)
    if token is not None:
        user = w.accounts.user_for_token(token)
        if user is None:
            raise bad_token()
        return Principal(user, "token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = w.accounts.session(cookie)
        if found is not None:
            return Principal(found.user, "cookie", found.csrf)
    return None


class Access(msgspec.Struct, frozen=True):
    """A principal in one company, with its membership."""

    web: Web
    principal: Principal
    session: Session
    member: Membership
    last_sequence: int  # read with the credential: it names the cached results
    head_read: Any  # read with the credential too: the ledger's head, for Store.head to verify

    @property
    def slug(self) -> str:
        return self.session.company.slug

    def verified(self) -> None:
        """Refuse (ChainBroken: 409, the sentence, no figures) a company whose chain or
        checkpoints do not verify, before anything is served, computed now or kept from
        before: its signed head, and the links of its chain (all of them the first time
        this server process reads the company, then those appended since). The head is the
        one read with the credential, in the same statement."""
        self.session.checked(self.head_read)

    def state(self, as_of: dt.date | None, readings: tuple[tuple[str, str], ...] = ()) -> State:
        """The state as of a date, replayed under `readings` (sorted NAME, CHOICE pairs)."""
        self.verified()
        return self.web.cache.state(self.session, as_of, self.last_sequence, readings)

    def cached(self, what: Hashable, compute: Callable[[], Any]) -> Any:
        """`compute()` (a JSON document the core built) once per ledger version and `what`."""
        self.verified()
        return self.web.cache.result(self.session, self.last_sequence, what, compute)

    def _json_key(self, what: Hashable) -> Hashable:
        viewer = None if self.member.reads_all else ("holder", self.member.stakeholder)
        return ("json", what, viewer)

    def json_response(self, what: Hashable, build: Callable[[], Any]) -> Response:
        """The JSON document `build()` (what the core computed, as this member may see it)
        as a response. Its encoded bytes are kept per ledger version, question and viewer,
        so a question asked again is answered without computing or encoding anything."""
        body: bytes = self.cached(self._json_key(what), lambda: json_bytes(build()))
        return Response(body, media_type="application/json")

    async def answer(self, what: Hashable, build: Callable[[], Any]) -> Response:
        """`json_response` for an `async def` endpoint: bytes already encoded are sent from
        the event loop; anything to compute (a replay can take a while) runs in the thread
        pool, as a plain `def` endpoint would."""
        self.verified()
        body = self.web.cache.known(self.session, self.last_sequence, self._json_key(what))
        if isinstance(body, bytes):
            return Response(body, media_type="application/json")
        return await run_in_threadpool(self.json_response, what, build)


def json_bytes(doc: Any) -> bytes:
    """`doc` encoded exactly as FastAPI's JSONResponse encodes it."""
    return json.dumps(
        doc, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def admitted(request: Request, company: str) -> Access | None:
    """The request's credential (an API token, else the session cookie) admitted to
    `company`, checked in one query: None without a credential or with an expired session;
    a 401 for an API token that is not valid; the same 404 for a company the user does not
    belong to as for one that does not exist (another company's existence is not
    disclosed)."""
    w = web_of(request)
    token = _bearer(request)
    if token is not None:
        found = w.accounts.admission(token, "token", company)
        if found is None:
            raise bad_token()
        via: Literal["cookie", "token"] = "token"
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = w.accounts.admission(cookie, "cookie", company) if cookie else None
        if found is None:
            return None
        if found.user.must_choose_password:
            raise PasswordToChoose
        via = "cookie"
    if found.company is None:
        raise not_open(company)
    stored, member, last, head = found.company
    principal = Principal(found.user, via, found.csrf)
    return Access(w, principal, Session(w.store, stored), member, last, head)


def not_open(slug: str) -> HTTPProblem:
    """The same 404 whether the company exists or not."""
    return HTTPProblem(404, f"no company {slug!r} is open to this account", field="company")


# The credential check runs on the event loop, not in the thread pool (a dependency declared
# `async def`): it is one SELECT by primary keys, in autocommit, and PostgreSQL's MVCC reads
# wait for no lock, so it blocks the loop for a round trip on the local network; a hop to a
# worker thread and back costs more than that, and under load the threads' fight for the GIL
# doubled the server's CPU per request (measured with bench/bench_web.py).
async def api_access(request: Request, company: str) -> Access:
    access = admitted(request, company)
    if access is None:
        raise HTTPProblem(
            401,
            "sign in, or send an API token in the Authorization header (Bearer ct_...)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return access


async def page_access(request: Request, company: str) -> Access:
    access = admitted(request, company)
    if access is None:
        raise LoginRequired
    return access


def captable_data(access: Access, as_of: dt.date | None) -> dict[str, Any]:
    """`charter captable --json` as of a date, computed once per ledger version."""
    data: dict[str, Any] = access.cached(
        ("captable", as_of), lambda: captable_json(captable(access.state(as_of)))
    )
    return data
