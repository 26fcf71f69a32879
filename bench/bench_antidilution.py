"""Anti-dilution at scale: 10,000 issuances and 50,000 grants, a tenth of the grants expiring.

Times computing every conversion price with its history by replaying the ledger, where each
expiry recomputes from the first point the grant affects (the snapshot kept there) rather than
replaying the whole history. The baseline, measured in the same run, is that naive replay: for
each expiry, the whole history up to it replayed again. The naive baseline is quadratic, so it
is measured on a prefix of the history and the ratio reported per expiry.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import Entry, parse_event
from charter.replay import initial_state, replay
from charter.terms.loader import load_builtin

ISSUES, GRANTS, EXPIRING = 10_000, 50_000, 5_000


def history(seed: int = 7) -> tuple[list[Stakeholder], list[Entry]]:
    """A synthetic company under the built-in terms: six preferred rounds, then common
    issuances (mostly to employees under the plan, 0.3% dilutive) and grants (mostly employee
    options; 0.3% warrants below the Conversion Prices), a tenth of the grants expiring."""
    rnd = random.Random(seed)
    people = [Stakeholder(id=f"e{i}", name=f"e{i}", relations=["employee"]) for i in range(50)]
    people += [Stakeholder(id=f"v{i}", name=f"v{i}") for i in range(10)]
    raw: list[dict[str, Any]] = []
    day = dt.date(1990, 1, 1)
    rounds = [("series_a", "1.00"), ("series_b", "1.43"), ("series_c", "1.91"),
              ("series_d", "2.75"), ("series_e", "4.15"), ("series_f", "8.25")]  # fmt: skip
    raw.append({"date": day, "type": "adopt_plan", "id": "plan", "shares": 40_000_000})
    for cls, price in rounds:
        day += dt.timedelta(days=30)
        raw.append({"date": day, "type": "issue", "holder": "v0", "class": cls,
                    "shares": 900_000, "price": price})  # fmt: skip
    grants: list[str] = []
    actions = ["issue"] * ISSUES + ["grant"] * GRANTS
    rnd.shuffle(actions)
    expire_at = sorted(rnd.sample(range(2_000, len(actions) + EXPIRING), EXPIRING))
    made = 0
    for step, kind in enumerate(actions, 1):
        if step % 10 == 0:
            day += dt.timedelta(days=1)
        if kind == "issue":
            dilutive = rnd.random() < 0.003
            raw.append({"date": day, "type": "issue", "holder": "v1" if dilutive else "e1",
                        "class": "common", "shares": rnd.randint(100, 5_000),
                        "price": "0.50" if dilutive else "0.10",
                        **({} if dilutive else {"exclusion": "employee-plan"})})  # fmt: skip
        else:
            made += 1
            gid = f"g{made}"
            grants.append(gid)
            warrant = rnd.random() < 0.003
            raw.append({"date": day, "type": "grant", "id": gid,
                        "kind": "warrant" if warrant else "option",
                        "holder": "v2" if warrant else f"e{rnd.randrange(50)}", "class": "common",
                        "shares": rnd.randint(100, 500),
                        "exercise_price": "0.90" if warrant else "0.20",
                        **({} if warrant else {"plan": "plan", "exclusion": "employee-plan"})})  # fmt: skip
        while expire_at and expire_at[0] <= step and grants:
            expire_at.pop(0)
            gid = grants.pop(rnd.randrange(max(0, len(grants) - 3_000), len(grants)))
            raw.append({"date": day, "type": "expire", "grant": gid})
    entries = []
    for i, r in enumerate(raw):
        r["date"] = r["date"].isoformat()
        e, problems = parse_event(r, i)
        assert e is not None, problems
        entries.append(e)
    return people, entries


def start(terms: Any, people: list[Stakeholder]) -> Any:
    """The reading adjusted-price-precision=micro: the exact fractions of 200 successive
    adjustments run to thousands of digits (reported separately below)."""
    return initial_state(terms, people, {"adjusted-price-precision": "micro"})


def main() -> None:
    terms = load_builtin("quintus")
    people, entries = history()
    n_exp = sum(1 for e in entries if e.event.type == "expire")
    t0, cpu0 = time.perf_counter(), time.process_time()
    state = replay(terms, [], entries, state=start(terms, people))
    fast, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    changes = sum(len(h) for h in state.price_history.values())
    print(f"events: {len(entries):,} ({n_exp:,} expiries); price changes kept: {changes:,}")
    print(
        "every conversion price with its history (recompute from the affected point): "
        f"{fast:.2f} s (CPU {cpu:.2f} s: the machine may be shared)"
    )

    # the naive baseline on a prefix: at each expiry, replay the whole history so far again
    prefix = entries[: len(entries) // 20]
    t0 = time.perf_counter()
    replay(terms, [], prefix, state=start(terms, people))
    prefix_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive_runs = 0
    for i, e in enumerate(prefix):
        if e.event.type == "expire":
            replay(terms, [], prefix[: i + 1], state=start(terms, people))
            naive_runs += 1
    naive = time.perf_counter() - t0
    print(
        f"prefix of {len(prefix):,} events with {naive_runs} expiries: "
        f"recompute-from-point {prefix_fast:.3f} s, naive replay per expiry {naive:.2f} s, "
        f"ratio {naive / prefix_fast:.0f}x"
    )
    per_expiry = naive / max(naive_runs, 1)
    est = per_expiry * n_exp * 10  # whole history is ~20x the prefix; half on average
    print(
        f"naive on the whole history (extrapolated, quadratic): ~{est:,.0f} s; ratio ~{est / fast:,.0f}x"
    )
