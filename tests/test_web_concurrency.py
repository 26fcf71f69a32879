"""Optimistic concurrency on the event sequence, with real processes: several writers append
batches to one company's ledger at once; no batch is lost, duplicated or interleaved."""

from __future__ import annotations

import json
import multiprocessing
from typing import Any

from charter.ledger.store import ConcurrentAppend, Store
from charter.service import Session, load_ledger
from tests.web_support import EXAMPLE

WRITERS = 4
BATCHES = 6
BATCH = 3


def writer(url: str, slug: str, name: str, start: Any, out: Any) -> None:
    """Append BATCHES batches of BATCH issues, each event naming its writer and batch; retry
    a batch that lost the race. Puts how many races it lost on `out`."""
    store = Store(url)
    session = Session(store, store.company(slug))
    lost = 0
    start.wait()
    for b in range(BATCHES):
        batch = [
            {
                "id": f"{name}-{b}-{i}",
                "date": "1999-11-01",
                "type": "issue",
                "holder": "r.ashworth",
                "class": "common",
                "shares": 1,
                "price": "0.10",
            }
            for i in range(BATCH)
        ]
        while True:
            try:
                session.append(batch, source=name, attempts=1)
                break
            except ConcurrentAppend:
                lost += 1
    store.engine.dispose()
    out.put(lost)


def test_concurrent_writers_never_lose_duplicate_or_interleave_a_batch(store: Store) -> None:
    """4 processes x 6 batches x 3 events = 72 new events, each batch contiguous, each
    event once, and the hash chain intact."""
    company = load_ledger(store, EXAMPLE).company
    before = store.last_sequence(company)
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(store.url, company.slug, f"w{n}", start, out))
        for n in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    start.set()
    lost = [out.get(timeout=300) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    entries = store.entries(company)
    new = entries[before:]
    assert len(new) == WRITERS * BATCHES * BATCH
    ids = [e.event.id for e in new]
    assert len(set(ids)) == len(ids)
    for k in range(0, len(new), BATCH):  # each batch is whole and in order
        chunk = [str(i).rsplit("-", 1) for i in ids[k : k + BATCH]]
        assert len({prefix for prefix, _ in chunk}) == 1, ids[k : k + BATCH]
        assert [int(n) for _, n in chunk] == list(range(BATCH))
    assert [e.index for e in new] == list(range(before + 1, before + 1 + len(new)))
    assert store.verify(company).first_broken is None
    print(json.dumps({"races_lost": lost}))
