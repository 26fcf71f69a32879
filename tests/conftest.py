"""Shared fixtures: the Quintus terms and example ledger, and a store per database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.ledger.fileformat import LedgerDoc, read_ledger
from charter.ledger.keys import KEY_FILE_ENV
from charter.ledger.store import Store
from charter.terms.loader import load_builtin
from charter.terms.model import TermsSet
from charter.web.app import create_app
from tests.web_support import World, populate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quintus.yaml"
PG_URL = os.environ.get("CHARTER_TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def server_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One server key file for the session's databases (ledger/keys.py), never the user's
    own: every store, server and `charter` subprocess of the tests signs with it."""
    path = tmp_path_factory.mktemp("key") / "server.key"
    before = os.environ.get(KEY_FILE_ENV)
    os.environ[KEY_FILE_ENV] = str(path)
    yield path
    if before is None:
        del os.environ[KEY_FILE_ENV]
    else:
        os.environ[KEY_FILE_ENV] = before


@pytest.fixture(scope="session")
def quintus() -> TermsSet:
    return load_builtin("quintus")


@pytest.fixture(scope="session")
def example_doc() -> LedgerDoc:
    return read_ledger(EXAMPLE)


def _pg_store() -> Iterator[Store]:
    """A fresh schema on the PostgreSQL server, dropped afterwards."""
    import sqlalchemy as sa

    assert PG_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    store = Store(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    store.create_schema()
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same store tests over every database (eventsourcing's pattern, STYLE.md)."""
    if request.param == "sqlite":
        s = Store(str(tmp_path / "charter.db"))
        s.create_schema()
        yield s
        s.engine.dispose()
    else:
        if PG_URL is None:
            pytest.skip("CHARTER_TEST_DATABASE_URL is not set")
        yield from _pg_store()


@pytest.fixture
def world(store: Store) -> World:
    """The web tests' companies, accounts and tokens in the store (tests/web_support.py)."""
    return populate(store)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    """The web application over the world's database, as a browser or script reaches it."""
    with TestClient(create_app(world.url)) as c:
        yield c
