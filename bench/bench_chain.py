"""Issue 17's benchmark: what checking the chain and signing checkpoints costs.

On the example company (68 events) and on a synthetic one of 10,000 events, in SQLite and
PostgreSQL:

- appends per second, one event per append, with the checks and the signature (what
  `Session.append` does: the signed head verified, the links appended since checked, the
  batch replayed on the state the last append left, the events and a signed checkpoint
  written in one transaction) against the same append without them (the batch replayed
  and its events written in one transaction: the baseline); target: under 10% more time;
- a read's added latency: the checks a query makes before it answers (the signed head
  and the links appended since: `Session.checked`, as the server makes them on every
  request), in ms; target: under 5 ms. And the whole of a cap table's query as of the last
  date, for scale.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.postgres import scratch_schema
from bench.synthetic import synthetic_ledger
from charter.ledger.fileformat import parse_event
from charter.ledger.store import Store, events
from charter.replay import replay
from charter.rules.captable import captable
from charter.service import Session, load_ledger

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quintus.yaml"
APPENDS = int(os.environ.get("BENCH_APPENDS", 200))


def assertion(session: Session) -> dict[str, Any]:
    """An event every append accepts: an assertion of the common outstanding."""
    common = session.state().outstanding["common"]
    return {"date": "2030-01-02", "type": "assert", "class": "common", "outstanding": common}


def ms(fn: Callable[[], Any], repeat: int = 21) -> float:
    """Median milliseconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def checked_appends(session: Session, n: int) -> float:
    """Appends per second through `Session.append` (checks and signature)."""
    event = assertion(session)
    session.append([event])  # the first append of the process reads the newest cached state
    t = time.perf_counter()
    for _ in range(n):
        session.append([event])
    return n / (time.perf_counter() - t)


def bare_appends(session: Session, n: int) -> float:
    """Appends per second of the same work without the checks and the signature: the batch
    parsed and replayed on the state kept from the last append, and its events written in
    one transaction after the last stored one."""
    store, company = session.store, session.company
    event = assertion(session)
    state = session.state()
    terms = session.terms
    t = time.perf_counter()
    for _ in range(n):
        with store.engine.begin() as conn:
            last, prev = conn.execute(
                sa.select(events.c.sequence, events.c.hash)
                .where(events.c.company_id == company.id)
                .order_by(events.c.sequence.desc())
                .limit(1)
            ).one()
            entry, _ = parse_event(event, last + 1, None, "bench")
            assert entry is not None
            replay(terms, [], [entry], state=state)
            store._insert_events(conn, company.id, [entry], last, prev)
    return n / (time.perf_counter() - t)


def run(label: str, store: Store, ledgers: list[tuple[str, Path]]) -> None:
    for name, path in ledgers:
        checked = load_ledger(store, path, f"{name}-checked")
        bare = load_ledger(store, path, f"{name}-bare")
        n = APPENDS
        with_checks = checked_appends(checked, n)
        without = bare_appends(bare, n)
        print(
            f"{label}, {name}: {with_checks:,.0f} appends/s with the checks and the signature, "
            f"{without:,.0f} without; time ratio {without / with_checks:.2f} "
            "(target ≤ 1.10)"
        )
        reader = Session(Store(store.url), checked.company)  # another process's first read
        t = time.perf_counter()
        reader.checked()
        first = (time.perf_counter() - t) * 1000
        added = ms(reader.checked)
        query = ms(lambda r=reader: captable(r.state()), repeat=5)
        print(
            f"{label}, {name}: a read's added latency {added:.2f} ms (target < 5 ms; the "
            f"first read of a process checks the whole chain: {first:.0f} ms); a cap table "
            f"as of the last date {query:.0f} ms"
        )
        reader.store.engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        synthetic = Path(d) / "synthetic.json"
        synthetic.write_text(json.dumps(synthetic_ledger(10_000, 1_000)))
        ledgers = [("example", EXAMPLE), ("10,000 events", synthetic)]
        os.environ.setdefault("CHARTER_KEY_FILE", str(Path(d) / "bench.key"))
        sqlite = Store(str(Path(d) / "bench.db"))
        sqlite.create_schema()
        run("SQLite", sqlite, ledgers)
        with scratch_schema() as url:
            if url is not None:
                pg = Store(url)
                pg.create_schema()
                run("PostgreSQL", pg, ledgers)
                pg.engine.dispose()
