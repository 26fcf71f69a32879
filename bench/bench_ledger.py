"""Issue 2's benchmark: a synthetic ledger of 100,000 events over 10,000 holders.

Reports the load rate (events/s) into SQLite and PostgreSQL against the storage limit — the
same rows inserted bare with the driver's `executemany` in the same run — and the time for
the cap table as of the last date and as of a middle date (median of 5).
Targets: load at least 1/3 of the bare-insert rate; a cap table in at most 0.5 s.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.synthetic import synthetic_ledger
from charter.ledger.events import event_to_json
from charter.ledger.fileformat import read_ledger
from charter.ledger.store import GENESIS, Store, link_hash
from charter.rules.captable import captable
from charter.service import Session, load_ledger

N_EVENTS = int(os.environ.get("BENCH_EVENTS", 100_000))
N_HOLDERS = int(os.environ.get("BENCH_HOLDERS", 10_000))
PG_URL = os.environ.get(
    "CHARTER_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _rows(path: Path) -> list[tuple[Any, ...]]:
    """The event rows exactly as the store writes them (payload and hash chain included)."""
    doc = read_ledger(path)
    rows = []
    prev = GENESIS
    for i, e in enumerate(doc.entries, 1):
        text = event_to_json(e.event)
        h = link_hash(prev, i, text)
        rows.append((1, i, e.event.date, e.event.type, e.event.id, 1, text, str(path), prev, h))
        prev = h
    return rows


def bare_insert(engine: sa.Engine, rows: list[tuple[Any, ...]]) -> float:
    """Seconds to insert the rows into a twin of the events table with plain executemany."""
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bare_events")
        conn.exec_driver_sql(
            "CREATE TABLE bare_events (company_id INTEGER, sequence INTEGER, date DATE, type VARCHAR(40),"
            " event_id VARCHAR(100), schema_version INTEGER, payload TEXT, source VARCHAR(500),"
            " prev_hash VARCHAR(64), hash VARCHAR(64), PRIMARY KEY (company_id, sequence))"
        )
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        sql = f"INSERT INTO bare_events VALUES ({', '.join([mark] * 10)})"
        t = time.perf_counter()
        cur.executemany(sql, rows)
        raw.commit()
        return time.perf_counter() - t
    finally:
        raw.close()


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float]:
    """Median seconds of `repeat` runs, wall clock and this process's CPU (the machine may be
    shared)."""
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpu)


def run(label: str, store: Store, path: Path, rows: list[tuple[Any, ...]]) -> None:
    bare = bare_insert(store.engine, rows)
    t, c = time.perf_counter(), time.process_time()
    session: Session = load_ledger(store, path)
    load, load_cpu = time.perf_counter() - t, time.process_time() - c
    n = len(rows)
    print(
        f"{label}: load {n / load:,.0f} events/s ({load:.2f} s, CPU {load_cpu:.2f} s); bare "
        f"executemany {n / bare:,.0f} rows/s ({bare:.2f} s); ratio {bare / load:.2f} "
        "(target ≥ 0.33)"
    )
    entries = session.entries()
    last = entries[-1].event.date
    middle = entries[len(entries) // 2].event.date
    del entries  # a query's process does not hold the whole ledger
    t_last, c_last = timed(lambda: captable(session.state()))
    t_mid, c_mid = timed(lambda: captable(session.state(middle)))
    print(
        f"{label}: cap table as of the last date ({last}) {t_last * 1000:.0f} ms "
        f"(CPU {c_last * 1000:.0f} ms); as of a middle date ({middle}) {t_mid * 1000:.0f} ms "
        f"(CPU {c_mid * 1000:.0f} ms) (target ≤ 500 ms)"
    )


def main() -> None:
    doc = synthetic_ledger(N_EVENTS, N_HOLDERS)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "synthetic.json"
        path.write_text(json.dumps(doc))
        rows = _rows(path)
        print(f"{len(rows):,} events over {N_HOLDERS:,} holders")
        sqlite = Store(str(Path(d) / "bench.db"))
        sqlite.create_schema()
        run("SQLite", sqlite, path, rows)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_URL)
        try:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        except sa.exc.OperationalError as e:
            print(f"PostgreSQL: not reachable at {PG_URL} ({e.orig}); skipped")
            return
        try:
            pg = Store(f"{PG_URL}?options=-csearch_path%3D{schema}")
            pg.create_schema()
            run("PostgreSQL", pg, path, rows)
            pg.engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()
