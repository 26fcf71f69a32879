"""`charter value`: the option-pricing method on a payout curve of 100 breakpoints over a grid
of 1,000 (volatility, term) pairs, against NumPy's evaluation of the same Black–Scholes call
formula on the same grid and strikes (ratio, target within 2x); and the backsolve on the
Quintus example.

The curve of 100 breakpoints is an exact one (`rules.curve.build`): the Northwind example with
98 option grants at strikes $0.10 apart; the Quintus curve (15 breakpoints) is timed too.
CPU time (time.process_time), best of 5 repeats, in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.special import ndtr

from charter.rules import valuation as v
from charter.rules.waterfall import Bucket, Company, company
from charter.service import open_session

ROOT = Path(__file__).resolve().parent.parent
GRID = 1000
BREAKPOINTS = 100
S, RATE = 60e6, 0.04


def hundred_breakpoints() -> Company:
    """Northwind (examples/venture.yaml, 9 breakpoints of its own) with its options replaced
    by grants of 10,000 common at $0.10, $0.20, ... (each strike one more breakpoint): a
    curve of 100 exact breakpoints once built."""
    co = company(open_session(ROOT / "examples" / "venture.yaml").state())
    grants = [
        Bucket(i, co.common_id, Fraction(i + 1, 10), 10_000, ((f"g{i}", "founder-1", 10_000),))
        for i in range(BREAKPOINTS - 2)
    ]
    made = Company(
        co.as_of, co.seats, co.holdings, grants, co.groups, co.cash_rank, co.trace_readings,
        co.common_id,
    )  # fmt: skip
    return made


def formula(strikes: np.ndarray, term: np.ndarray, vol: np.ndarray) -> np.ndarray:
    """The baseline: C(K) = S N(d1) - K e^(-rT) N(d2) on the grid, nothing else."""
    t, sig = term[:, None], vol[:, None]
    d1 = (np.log(S / strikes) + (RATE + 0.5 * sig**2) * t) / (sig * np.sqrt(t))
    return S * ndtr(d1) - strikes * np.exp(-RATE * t) * ndtr(d1 - sig * np.sqrt(t))  # type: ignore[no-any-return]


def cpu(f: Callable[[], object], loops: int = 20) -> float:
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(loops):
            f()
        best = min(best, (time.process_time() - t0) / loops)
    return best


def main() -> None:
    rng = np.random.default_rng(7)
    vol, term = rng.uniform(0.2, 1.2, GRID), rng.uniform(0.5, 6.0, GRID)
    made = hundred_breakpoints()
    t0 = time.process_time()
    p = v.payoffs(made)
    hundred = time.process_time() - t0
    base = cpu(lambda: formula(p.starts[1:], term, vol))
    ours = cpu(lambda: v.opm(p, S, term, vol, RATE))
    st = open_session(ROOT / "examples" / "quintus.yaml").state()
    co = company(st)
    t0 = time.process_time()
    q = v.payoffs(co)
    build = time.process_time() - t0
    quintus = cpu(lambda: v.opm(q, S, term, vol, RATE))
    price = v.issue_price(st, "series_f")
    solve = cpu(lambda: v.backsolve(q, "series_f", price, 3.0, 0.6, RATE, 1e12), loops=5)
    print(f"{GRID:,} (volatility, term) pairs; CPU time, best of 5\n")
    print("| what | ms | ratio |")
    print("|---|---:|---:|")
    print(
        f"| NumPy Black–Scholes calls, {BREAKPOINTS} strikes (baseline) | {base * 1e3:.2f} | 1.00 |"
    )
    print(
        f"| OPM, {len(p.breakpoints)} breakpoints x {len(p.rows)} rows (calls, digitals, spreads) "
        f"| {ours * 1e3:.2f} | {ours / base:.2f} |"
    )
    print(
        f"| OPM, Quintus curve ({len(q.breakpoints)} breakpoints, {len(q.rows)} rows) "
        f"| {quintus * 1e3:.2f} | {quintus / base:.2f} |"
    )
    print(
        f"| the exact curve of {len(p.breakpoints)} breakpoints (once, `payoffs`) | {hundred * 1e3:.0f} | |"
    )
    print(f"| Quintus: the exact curve to the horizon (once, `payoffs`) | {build * 1e3:.0f} | |")
    print(f"| Quintus: backsolve Series F (Brent, on that curve) | {solve * 1e3:.2f} | |")
