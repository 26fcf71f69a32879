"""The web API under load: concurrent clients on loopback against a 1,000-holder company on
PostgreSQL (issue 7). Throughput and p50/p99 latency at 1, 10 and 50 clients, per endpoint,
each against a baseline measured in the same run: `GET /api/companies` (authentication and
one query, no ledger), so the ratio is what the endpoint's own work costs.

The server runs in its own process (`charter serve`, one worker; CHARTER_BENCH_WORKERS for
more), the load generator in another: Debian's `wrk` when installed (`apt-get install wrk`),
else an asyncio client over raw keep-alive HTTP/1.1 (bench/loadgen.py). Each level runs
CHARTER_BENCH_SECONDS (default 4) per endpoint.
Set CHARTER_BENCH_DATABASE_URL to choose the server (default: the local PostgreSQL `test`
database, in a schema made and dropped here; SQLite if PostgreSQL cannot be reached).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench import loadgen
from charter.ledger.store import Store
from charter.service import load_ledger
from charter.web.accounts import Accounts

HOLDERS = 1000
CLIENTS = (1, 10, 50)
SECONDS = float(os.environ.get("CHARTER_BENCH_SECONDS", "4"))  # per endpoint and level
SLUG = "bench-co"
PG_URL = os.environ.get(
    "CHARTER_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WORKERS = int(
    os.environ.get("CHARTER_BENCH_WORKERS", "1")
)  # server processes (2 did worse on 2 cores)
BASELINE = ("companies", "/api/companies")
ENDPOINTS = [
    ("captable", f"/api/companies/{SLUG}/captable"),
    ("waterfall", f"/api/companies/{SLUG}/waterfall?exit=60000000.00"),
]


def ledger_1000_holders() -> dict[str, object]:
    """Quintus's terms; 1,000 holders of common (5,000 each: 5,000,000 of the 40,000,000
    authorized), the first 400 of them also of Series A (20,000 each: 8,000,000 of the
    9,100,000 authorized)."""
    holders = [{"id": f"h{i:04d}", "name": f"Holder {i:04d}"} for i in range(HOLDERS)]
    events: list[dict[str, object]] = [
        {"date": "1995-01-02", "type": "issue", "holder": h["id"], "class": "common",
         "shares": 5000, "price": "0.01"}
        for h in holders
    ] + [
        {"date": "1996-06-03", "type": "issue", "holder": h["id"], "class": "series_a",
         "shares": 20000, "price": "1.00"}
        for h in holders[:400]
    ]  # fmt: skip
    return {
        "format": "charter-ledger/1",
        "company": {"name": "Bench Co", "terms": "quintus"},
        "stakeholders": holders,
        "events": events,
    }


@contextmanager
def database() -> Iterator[tuple[str, str]]:
    """(URL, kind): a fresh PostgreSQL schema, dropped afterwards; else a SQLite file."""
    try:
        admin = sa.create_engine(PG_URL)
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # no server: say so and measure on SQLite
        print(f"PostgreSQL not reachable ({type(e).__name__}); measuring on SQLite instead.")
        with tempfile.TemporaryDirectory() as d:
            yield str(Path(d) / "bench.db"), "SQLite"
        return
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}", "PostgreSQL"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare(url: str) -> str:
    """The company and an administrator's API token."""
    store = Store(url)
    accounts = Accounts(store)
    accounts.ensure_schema()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.json"
        path.write_text(json.dumps(ledger_1000_holders()))
        company = load_ledger(store, path, SLUG).company
    user = accounts.create_user("bench", "Bench", "bench-password")
    accounts.grant_role(user, company, "administrator")
    token = accounts.create_token(user)
    store.engine.dispose()
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str) -> Iterator[str]:
    port = free_port()
    charter = Path(sys.executable).parent / "charter"
    proc = subprocess.Popen(
        [str(charter), "serve", "--db", url, "--port", str(port), "--workers", str(WORKERS)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    with database() as (url, kind):
        t0 = time.perf_counter()
        token = prepare(url)
        print(f"{HOLDERS:,}-holder company on {kind}: set up in {time.perf_counter() - t0:.1f} s")
        print(f"server: charter serve --workers {WORKERS}; load generator: {loadgen.name()}")
        with server(url) as base:
            headers = {"Authorization": f"Bearer {token}"}
            for name, path in ENDPOINTS:
                t0 = time.perf_counter()
                httpx.get(base + path, headers=headers, timeout=60).raise_for_status()
                ms = 1000 * (time.perf_counter() - t0)
                print(f"{name}: first request (replays the ledger) {ms:.0f} ms")
            print(f"\neach row: {SECONDS:g} s of closed-loop requests on keep-alive connections\n")
            print("endpoint    clients  requests   req/s   p50 ms   p99 ms   p99 / baseline p99")
            for clients in CLIENTS:
                base_fig = loadgen.measure(base + BASELINE[1], token, clients, SECONDS)
                rows = [(BASELINE[0], base_fig)] + [
                    (name, loadgen.measure(base + path, token, clients, SECONDS))
                    for name, path in ENDPOINTS
                ]
                for name, fig in rows:
                    ratio = fig["p99"] / base_fig["p99"]
                    print(
                        f"{name:<11} {clients:>7} {fig['requests']:>9.0f} {fig['rps']:>7.0f} "
                        f"{fig['p50']:>8.1f} {fig['p99']:>8.1f}   {ratio:>6.2f}x"
                    )
        print("\nTarget (issue 7): p99 under 100 ms at 50 clients.")


if __name__ == "__main__":
    main()
