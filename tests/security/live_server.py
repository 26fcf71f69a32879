"""A real server for the attacks: `charter serve` in its own process over a fresh SQLite
file or a fresh PostgreSQL schema, with the web tests' companies and accounts
(tests/web_support.py).

One worker: uvicorn's supervisor of several workers kills a worker that does not answer its
health check within seconds, and on a machine loaded by other work a worker still starting
(the schema check, the imports) was killed and restarted again and again. One worker still
serves requests concurrently (its thread pool); what several processes share is the
database, which tests/test_web_throttle.py checks with two application instances."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from charter.ledger.store import Store
from tests.web_support import World, hidden, populate

PG_URL = os.environ.get("CHARTER_TEST_DATABASE_URL")
CHARTER = str(Path(sys.executable).parent / "charter")


@dataclass
class Live:
    base: str
    world: World
    store: Store

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers=headers, timeout=60)

    def sign_in(self, c: httpx.Client, login: str, password: str, **headers: str) -> httpx.Response:
        form = c.get("/login")
        return c.post(
            "/login",
            data={"login": login, "password": password, "csrf": hidden(form.text, "csrf")},
            headers=headers,
            follow_redirects=False,
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[Store]:
    """A fresh store: a SQLite file, or a schema of its own on the PostgreSQL server."""
    if kind == "sqlite":
        tmp.mkdir(parents=True, exist_ok=True)
        store = Store(str(tmp / "charter.db"))
        yield store
        store.engine.dispose()
        return
    if PG_URL is None:
        pytest.skip("CHARTER_TEST_DATABASE_URL is not set")
    schema = f"s_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    store = Store(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def serving(kind: str, tmp: Path, **env: str) -> Iterator[Live]:
    """`charter serve` over a populated database; `env` adds settings (for instance
    CHARTER_TRUSTED_PROXIES)."""
    with database(kind, tmp) as store:
        store.create_schema()
        world = populate(store)
        port = _free_port()
        proc = subprocess.Popen(
            [CHARTER, "serve", "--db", store.url, "--port", str(port), "--workers", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300  # a loaded machine starts workers slowly
            while True:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else "died"
                assert time.monotonic() < deadline, "the server did not start in 300 s"
                try:
                    httpx.get(f"{base}/login", timeout=5)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield Live(base, world, store)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Live]:
    """A server with the default settings (no trusted proxy), on each database."""
    with serving(request.param, tmp_path) as server:
        yield server
