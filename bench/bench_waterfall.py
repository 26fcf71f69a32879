"""Waterfall and payout-curve benchmark (issue 3).

Synthetic Quintus cap tables of 1,000, 10,000 and 100,000 holders across common and all six
series (one holder in ten holds two series), plus 2,000 option grants over common at 50
strikes. Reports: one waterfall (ms); building the whole curve (ms, breakpoints);
evaluating the curve at 1,000,000 exit values with NumPy (ms); and the per-value cost of
calling the one-exit solver in a loop, as a ratio to the vectorised per-value cost. The
baseline measured in the same run is one plain pass over the cap table (summing every
holding), to which the waterfall time is also given as a ratio.
Targets: one waterfall at 10,000 holders within 50 ms; 1,000,000 exit values within 1 s
(issue 3); the curve's breakpoints at 10,000 holders within 10 times one waterfall (issue 15).
Times are this process's CPU time, best of a few runs.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable
from fractions import Fraction
from typing import TypeVar

import numpy as np

from charter.rules.curve import build
from charter.rules.waterfall import company, waterfall
from charter.state.model import GrantState, State
from charter.terms.loader import load_builtin

T = TypeVar("T")
CLASSES = ["common", "series_a", "series_b", "series_c", "series_d", "series_e", "series_f"]
TOTALS = {
    "common": 7_000_000,
    "series_a": 8_850_000,
    "series_b": 800_000,
    "series_c": 2_900_000,
    "series_d": 1_400_000,
    "series_e": 2_890_000,
    "series_f": 1_450_000,
}


def synthetic(holders: int, grants: int = 2_000, strikes: int = 50, seed: int = 7) -> State:
    rng = random.Random(seed)
    terms = load_builtin("quintus")
    st = State(
        terms=terms, certificate=terms.certificates[0], stakeholders={}, as_of=dt.date(1999, 10, 31)
    )
    for i in range(holders):
        first = rng.choice(CLASSES)
        mine = [first] + ([rng.choice(CLASSES)] if rng.random() < 0.1 else [])
        for c in mine:
            st.add_shares(f"h{i}", c, max(1, TOTALS[c] * 2 // holders + rng.randrange(-50, 50)))
    prices = [Fraction(rng.randrange(5, 1500), 100) for _ in range(strikes)]
    for g in range(grants):
        gid = f"opt-{g}"
        st.grants[gid] = GrantState(
            gid,
            "option",
            f"e{g}",
            "common",
            rng.randrange(500, 20_000),
            prices[g % strikes],
            dt.date(1999, 1, 1),
        )
    return st


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """The best CPU time of this process over `repeat` runs (steadier than the wall clock on
    a shared machine), and the result."""
    t = time.process_time()
    result = fn()
    best = time.process_time() - t
    for _ in range(repeat - 1):
        t = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t)
    return best, result


def measure(n: int) -> str:
    """One row of the table for a company of `n` holders."""
    exit_value = Fraction(150_000_000)
    st = synthetic(n)
    base, _ = timed(lambda: sum(v for by in st.holdings.values() for v in by.values()), 3)
    one, _ = timed(lambda: waterfall(st, exit_value), 3)
    co = company(st)
    build_s, curve = timed(lambda: build(co, Fraction(0), Fraction(400_000_000)))
    exits = np.random.default_rng(1).uniform(0, 400_000_000, 1_000_000)
    vec_s, _ = timed(lambda: curve.evaluate(exits), 3)
    loop_n = 20
    loop_s, _ = timed(
        lambda: [waterfall(st, Fraction(int(e * 100), 100), co=co) for e in exits[:loop_n]]
    )
    per_loop, per_vec = loop_s / loop_n, vec_s / len(exits)
    return (
        f"| {n:,} | {one * 1e3:,.1f} ms ({one / base:,.0f}× baseline) "
        f"| {build_s * 1e3:,.0f} ms ({len(curve.breakpoints)}) | {build_s / one:,.1f}× "
        f"| {vec_s * 1e3:,.0f} ms | {per_loop / per_vec:,.0f}× |"
    )


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} (CPU time of this process)", flush=True)
    print(
        "| holders | one waterfall | curve build (breakpoints) | build ÷ one waterfall "
        "| 1,000,000 exit values | solver in a loop ÷ vectorised |"
    )
    print("|---|---|---|---|---|---|", flush=True)
    for n in (1_000, 10_000, 100_000):
        print(measure(n), flush=True)


if __name__ == "__main__":
    main()
