"""Replay cost of transfers under the right of first refusal and the certificate register.

Baseline: N exempt transfers (an existing stockholder, Bylaws Art. VIII §1(f)(2)); against it,
N transfers each through the full process (notice, 60-day window) and N with named surrendered
certificates. Ratios are per transfer, measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import Entry, parse_event
from charter.replay import replay
from charter.terms.loader import load_builtin

N = 2000


def _entries(raw: list[dict[str, Any]]) -> list[Entry]:
    out = []
    for i, r in enumerate(raw):
        entry, _ = parse_event(r, i)
        assert entry is not None
        out.append(entry)
    return out


def ledger(kind: str) -> tuple[list[Stakeholder], list[Entry]]:
    people = [Stakeholder(id=f"h{i}", name=f"Holder {i}") for i in range(N)]
    day = dt.date(1999, 10, 1)
    raw: list[dict[str, Any]] = [
        {"date": "1999-09-01", "type": "issue", "holder": f"h{i}", "class": "common",
         "shares": 1000, "price": "0.10"}
        for i in range(N)
    ]  # fmt: skip
    for i in range(N):
        to = f"h{(i + 1) % N}"
        move: dict[str, Any] = {"date": "", "type": "transfer", "from": f"h{i}", "to": to,
                                "class": "common", "shares": 10}  # fmt: skip
        if kind == "process":
            raw.append({"date": day.isoformat(), "type": "rofr_notice", "id": f"n{i}",
                        "holder": f"h{i}", "class": "common", "shares": 10, "price": "1.00",
                        "transferee": to})  # fmt: skip
            move |= {"date": (day + dt.timedelta(days=31)).isoformat(), "rofr": f"n{i}",
                     "price": "1.00"}  # fmt: skip
        else:
            move |= {"date": (day + dt.timedelta(days=31)).isoformat(),
                     "exemption": "existing-stockholder"}  # fmt: skip
            if kind == "surrender":
                move["certificates"] = [str(i + 1)]
        raw.append(move)
    raw.sort(key=lambda r: r["date"])
    return people, _entries(raw)


def timed(kind: str) -> float:
    terms = load_builtin("quintus")
    people, entries = ledger(kind)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        replay(terms, people, entries)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    base = timed("exempt")
    print(f"{N:,} holders, {N:,} transfers; best of 3 replays")
    print(f"  exempt transfers (baseline): {base * 1000:8.1f} ms  1.00x")
    for kind, label in (("process", "full ROFR process"), ("surrender", "named surrender")):
        t = timed(kind)
        print(f"  {label:27}: {t * 1000:8.1f} ms  {t / base:.2f}x")
