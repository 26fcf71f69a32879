"""A scratch schema on the machine's PostgreSQL for a benchmark: made, then dropped."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

PG_URL = os.environ.get(
    "CHARTER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def scratch_schema(url: str = PG_URL) -> Iterator[str | None]:
    """The URL of a new schema on the server at `url`, dropped afterwards; None, said on
    stdout, when the server cannot be reached."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sa.exc.OperationalError as e:
        print(f"PostgreSQL: not reachable at {url} ({e.orig}); skipped")
        admin.dispose()
        yield None
        return
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
