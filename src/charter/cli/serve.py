"""`charter serve`: the web application and the JSON API over a database."""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Annotated

import typer

from charter.cli.common import PYTHON_GC_THRESHOLDS, DbOpt, deferred
from charter.errors import CharterError, Problem

if TYPE_CHECKING:
    from charter import service
else:
    service = deferred("charter.service")

# Two server processes by default (one on a single core). Measured with bench/bench_web.py
# on two cores and PostgreSQL: with a second worker the p99 latency at 50 clients was about
# a third of one worker's, at the same CPU time per request, since a lone process waiting
# on a database round trip, or descheduled, holds up every connection it serves. More
# brings little on the machines charter is meant for, and each worker keeps its own cache
# of replayed states, its own count of failed sign-ins and a pool of up to 50 database
# connections (PostgreSQL allows 100 by default).
DEFAULT_WORKERS = min(2, os.cpu_count() or 1)

# The event loop is the standard library's, not uvloop. Measured on two cores (2026-12-07,
# wrk with 50 keep-alive connections against one uvicorn process, an endpoint of 0.6 ms of
# CPU): both loops served about 1,100 requests a second, but under uvloop some connections
# waited behind the others for 0.6-0.8 s (p99 608-807 ms in every run) where asyncio's
# selector loop served them in turn (p99 44-92 ms). A server that is never saturated would
# not see the difference; one on a company's small machine is, at its busiest moments.
EVENT_LOOP = "asyncio"


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (default: two, one on a single core); each keeps its "
            "own cache, its own count of failed sign-ins and up to 50 database connections.",
        ),
    ] = DEFAULT_WORKERS,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="A reverse proxy (address or network) whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed; repeatable (default: $CHARTER_TRUSTED_PROXIES; "
            "none: forwarding headers are ignored).",
        ),
    ] = None,
    https: Annotated[
        bool,
        typer.Option(
            "--https",
            help="The site is reached over HTTPS (a TLS terminator in front): cookies are "
            "Secure (default: $CHARTER_HTTPS, or the scheme a trusted proxy forwards).",
        ),
    ] = False,
) -> None:
    """Serve the pages and the JSON API (SQLite by default; PostgreSQL with a --db URL)."""
    import uvicorn

    from charter.server.settings import Settings

    if trusted_proxy:
        os.environ["CHARTER_TRUSTED_PROXIES"] = ",".join(trusted_proxy)
    if https:
        os.environ["CHARTER_HTTPS"] = "1"
    try:
        Settings.from_env()
    except ValueError as e:
        raise CharterError([Problem(str(e), field="--trusted-proxy")]) from None
    url = service.database_url(db)
    service.open_store(url).key  # noqa: B018 - no server without the key (a sentence)
    typer.echo(
        f"charter is serving {url} at http://{host}:{port}/ "
        f"(API schema at http://{host}:{port}/openapi.json)"
    )
    os.environ["CHARTER_DB"] = url  # each server process makes the app over it
    # a server runs for days: the collector as Python sets it, not as for one command
    gc.set_threshold(*PYTHON_GC_THRESHOLDS)
    uvicorn.run(
        "charter.web.app:app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        loop=EVENT_LOOP,
        proxy_headers=False,  # the app reads them, from trusted proxies only (web/security.py)
    )
