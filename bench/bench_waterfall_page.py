"""Issue 15's benchmark of the waterfall explorer page: the server's time to answer
`GET /c/COMPANY/waterfall` for the example company (Quintus), signed in as an administrator,
in process (FastAPI's test client over the app `charter serve` runs, SQLite), against the
baseline of the same run: `GET /api/companies` (authentication and one query, no ledger).
Target: p99 ≤ 100 ms. Each request's wall clock and the process's CPU time over it are
reported (on a shared machine the wall clock includes waiting for a core). The first request after a change to the ledger builds the exact curve
the page carries (reported apart); the ones after it are served from the cache of answers.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.server.accounts import Accounts
from charter.service import load_ledger
from charter.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
PASSWORD = "correct horse battery staple"


def times(client: TestClient, path: str, n: int) -> tuple[list[float], list[float]]:
    """Each request's wall clock and this process's CPU time over it (the server runs in
    process: on a shared machine the CPU time is the server's work, the wall clock also
    the waiting for a core), in ms, sorted."""
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(path)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return sorted(wall), sorted(cpu)


def p(q: float, xs: list[float]) -> float:
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "charter.db")
        store = Store(db)
        store.create_schema()
        company = load_ledger(store, ROOT / "examples" / "quintus.yaml").company
        accounts = Accounts(store)
        accounts.ensure_schema()
        accounts.grant_role(
            accounts.create_user("admin", "Admin", PASSWORD), company, "administrator"
        )
        store.engine.dispose()
        with TestClient(create_app(db)) as client:
            form = client.get("/login").text
            csrf = form.split('name="csrf" value="')[1].split('"')[0]
            client.post("/login", data={"login": "admin", "password": PASSWORD, "csrf": csrf})
            page = f"/c/{company.slug}/waterfall"
            t = time.perf_counter()
            client.get(page)
            first = (time.perf_counter() - t) * 1000
            base = times(client, "/api/companies", REQUESTS)
            wf = times(client, page, REQUESTS)
        print(
            f"{REQUESTS} requests each, in process; first page (builds the curve): {first:.0f} ms;"
            f" load average {os.getloadavg()[0]:.1f}"
        )
        print("| request | p50 | p99 | p99 ÷ baseline p99 | CPU p50 | CPU p99 | ÷ baseline |")
        print("|---|---|---|---|---|---|---|")
        for name, (xs, cs) in (("baseline /api/companies", base), ("waterfall page", wf)):
            print(
                f"| {name} | {statistics.median(xs):.1f} ms | {p(0.99, xs):.1f} ms "
                f"| {p(0.99, xs) / p(0.99, base[0]):.2f}× | {statistics.median(cs):.1f} ms "
                f"| {p(0.99, cs):.1f} ms | {p(0.99, cs) / p(0.99, base[1]):.2f}× |"
            )


if __name__ == "__main__":
    main()
