"""The application factory: `create_app(db)` serves one database's companies to their
members, pages and JSON API alike."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import charter
from charter.server.accounts import Accounts
from charter.server.settings import Settings
from charter.server.throttle import LoginThrottle
from charter.service import open_store
from charter.web import api, api_docs, pages, problems
from charter.web.cache import StateCache
from charter.web.context import LoginRequired, PasswordToChoose, Web
from charter.web.registry import features
from charter.web.security import SecurityHeaders, shown_in_page

HERE = Path(__file__).parent


def _thousands(n: int) -> str:
    return f"{n:,}"


def _grouped(figure: str) -> str:
    """A decimal string the core wrote ("1234567.89"), its whole part grouped by thousands
    for reading ("1,234,567.89"); the digits are not touched."""
    whole, dot, frac = figure.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.removeprefix("-")
    if not digits.isdigit():
        return figure
    return f"{sign}{int(digits):,}{dot}{frac}"


def create_app(
    db: str | None = None,
    throttle: LoginThrottle | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    """The app over database `db` (URL or SQLite path; default $CHARTER_DB or ./charter.db),
    its schema brought up to date; `settings` (default: from the environment, security.py)
    name the trusted proxies and whether the site is served over HTTPS."""
    store = open_store(db)
    store.key  # noqa: B018 - no server without the key that verifies its ledgers (a sentence)
    accounts = Accounts(store)
    accounts.ensure_schema()
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.finalize = shown_in_page
    templates.env.filters["thousands"] = _thousands
    templates.env.filters["grouped"] = _grouped
    templates.env.filters["q"] = lambda s: quote(str(s), safe="")
    app = FastAPI(
        title="charter",
        version=charter.__version__,
        description=(
            "A Delaware corporation's certificate and bylaws, executable over its stock "
            "ledger. JSON shapes follow spec/cli-contract.md. Authenticate with "
            "`Authorization: Bearer <token>` (create one on /account or with "
            "`charter users token`). Errors are problem details whose sentences are the "
            "CLI's."
        ),
        docs_url=None,  # api_docs serves /docs from the package, offline
        redoc_url=None,
    )
    app.state.web = Web(
        store, accounts, throttle or LoginThrottle(store.engine), StateCache(), templates
    )
    app.state.security = settings = settings or Settings.from_env()
    problems.install(app, pages.error_page)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(PasswordToChoose)
    async def _choose(request: Request, _: PasswordToChoose) -> Response:
        return RedirectResponse("/account/password", status_code=303)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    api_docs.install(app)
    app.include_router(api.router)
    app.include_router(pages.account_router)
    for f in features():
        if f.router is not None:
            app.include_router(f.router)
        if f.api is not None:
            app.include_router(f.api)
    app.add_middleware(problems.BodyLimit)
    app.add_middleware(SecurityHeaders, settings=settings)  # outermost: every response
    return app


def app_from_env() -> FastAPI:
    """The app over $CHARTER_DB: the factory each worker process of `charter serve
    --workers N` calls.

    What the process made to start (modules, classes, validators: about 176,000 objects) lives
    as long as it does, so it is moved out of the cyclic collector's reach (`gc.freeze`, after
    one collection so that no garbage is kept). Measured on two cores (2026-12-07): a full
    collection of a started worker took about 100 ms, during which every request it served
    waited; the collections that come now walk only what was made since (the cached states,
    the requests in flight)."""
    app = create_app(os.environ.get("CHARTER_DB"))
    gc.collect()
    gc.freeze()
    return app
