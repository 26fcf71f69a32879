"""Issue 5's benchmark: voting power and approvals on a company of 10,000 holders.

On the state as of the last date of a synthetic ledger (bench.synthetic), reports the time of
`votes` (Art. IV.B.5(c): every holder's votes per class, and the Voting Shift Period), of the
approvals of a few actions without and with ballots (half the holders for, a quarter
against), each in ms per call (median of 7), and its ratio to the cap table computed on the
same state in the same run (the baseline).
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

from bench.synthetic import synthetic_ledger
from charter.ledger.store import Store
from charter.rules.approvals import Votes, evaluate, required_approvals
from charter.rules.captable import captable
from charter.rules.votes import voting_power
from charter.service import load_ledger

N_EVENTS = int(os.environ.get("BENCH_EVENTS", 50_000))
N_HOLDERS = int(os.environ.get("BENCH_HOLDERS", 10_000))
ACTIONS = ["create_senior_or_parity_security", "merger", "convert_series_a_d"]
DIRECTORS = ["d1", "d2", "d3", "d4", "d5"]


def ms_per_call(fn: Callable[[], Any], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    doc = synthetic_ledger(N_EVENTS, N_HOLDERS)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "synthetic.json"
        path.write_text(json.dumps(doc))
        store = Store(str(Path(d) / "bench.db"))
        store.create_schema()
        state = load_ledger(store, path).state()
    holders = sorted(state.holdings)
    votes = Votes(holders[: len(holders) // 2], holders[len(holders) // 2 :][: len(holders) // 4])
    print(
        f"{len(doc['events']):,} events; {len(holders):,} holders as of {state.as_of}; "
        f"ballots: {len(votes.for_):,} for, {len(votes.against):,} against"
    )
    base = ms_per_call(lambda: captable(state))
    print(f"cap table (baseline): {base:.1f} ms")

    def approvals(action: str, cast: Votes | None) -> Callable[[], Any]:
        return lambda: evaluate(state, required_approvals(state, action), cast, DIRECTORS, 5)

    rows = [("votes", ms_per_call(lambda: voting_power(state)))]
    for action in ACTIONS:
        rows.append((f"approvals {action}", ms_per_call(approvals(action, None))))
        rows.append((f"approvals {action} --votes", ms_per_call(approvals(action, votes))))
    for label, ms in rows:
        print(f"{label}: {ms:.1f} ms; {ms / base:.2f}x the cap table")
