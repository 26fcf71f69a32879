"""Synthetic ledgers for the benchmarks: many holders, many events, all valid under the
Quintus terms (no dilutive issuance, transfers only between existing stockholders)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

SERIES = {
    "series_a": "1.00",
    "series_b": "1.43",
    "series_c": "1.91",
    "series_d": "2.75",
    "series_e": "4.15",
    "series_f": "8.25",
}


def synthetic_ledger(n_events: int, n_holders: int, seed: int = 7) -> dict[str, Any]:
    """A charter-ledger/1 document of about `n_events` events over `n_holders` holders.

    Dates run from 1996-01-01, a few events a day; issuances are of common at $10.00 (above
    every conversion price, so never dilutive) or of preferred at its original issue price, the series sold in rounds in order of price;
    grants are warrants for common at $10.00; transfers go to holders who already hold shares
    (the existing-stockholder exemption of Bylaws Art. VIII §1(f)(2)).
    """
    rng = random.Random(seed)
    holders = [f"h{i:05d}" for i in range(n_holders)]
    stakeholders = [{"id": h, "name": f"Holder {h}"} for h in holders]
    events: list[dict[str, Any]] = []
    day = dt.date(1996, 1, 1)
    held: dict[str, dict[str, int]] = {}
    grants: dict[str, int] = {}
    issued = dict.fromkeys(["common", *SERIES], 0)
    caps = {
        "common": 20_000_000,
        "series_a": 9_100_000,
        "series_b": 800_000,
        "series_c": 3_000_000,
        "series_d": 1_455_000,
        "series_e": 3_000_000,
        "series_f": 1_500_000,
    }

    def emit(e: dict[str, Any]) -> None:
        nonlocal day
        if len(events) % 30 == 29:
            day += dt.timedelta(days=1)
        events.append({"date": day.isoformat(), **e})

    # every holder first receives common, so that all later transfers are exempt
    for h in holders:
        emit({"type": "issue", "holder": h, "class": "common", "shares": 100, "price": "10.00"})
        held[h] = {"common": 100}
        issued["common"] += 100
    g = 0
    while len(events) < n_events:
        r = rng.random()
        h = rng.choice(holders)
        if r < 0.35:
            # the series are sold in rounds, in order of price, so that no issuance is below a
            # series' Conversion Price after its Purchase Date (Art. IV.B.3(d)): never dilutive
            cls = list(SERIES)[min(len(SERIES) - 1, len(events) * len(SERIES) // n_events)]
            n = rng.randint(1, 50)
            if issued[cls] + n > caps[cls]:
                continue
            emit({"type": "issue", "holder": h, "class": cls, "shares": n, "price": SERIES[cls]})
            held[h][cls] = held[h].get(cls, 0) + n
            issued[cls] += n
        elif r < 0.55:
            n = rng.randint(1, 100)
            if issued["common"] + n > caps["common"]:
                continue
            emit({"type": "issue", "holder": h, "class": "common", "shares": n, "price": "10.00"})
            held[h]["common"] += n
            issued["common"] += n
        elif r < 0.75:
            to = rng.choice(holders)
            cls = rng.choice(list(held[h]))
            n = rng.randint(1, max(1, held[h][cls] // 4))
            if to == h or held[h][cls] < n:
                continue
            emit(
                {
                    "type": "transfer",
                    "from": h,
                    "to": to,
                    "class": cls,
                    "shares": n,
                    "exemption": "existing-stockholder",
                }
            )
            held[h][cls] -= n
            held[to][cls] = held[to].get(cls, 0) + n
        elif r < 0.9:
            g += 1
            gid = f"w{g:06d}"
            emit(
                {
                    "type": "grant",
                    "id": gid,
                    "kind": "warrant",
                    "holder": h,
                    "class": "common",
                    "shares": 100,
                    "exercise_price": "10.00",
                }
            )
            grants[gid] = 100
        elif grants:
            gid = rng.choice(list(grants))
            left = grants[gid]
            n = rng.randint(1, left)
            if issued["common"] + n > caps["common"]:
                continue
            emit({"type": "exercise", "grant": gid, "shares": n})
            grants[gid] -= n
            issued["common"] += n
            if grants[gid] == 0:
                del grants[gid]
    return {
        "format": "charter-ledger/1",
        "company": {"name": "Synthetic Corporation", "terms": "quintus"},
        "stakeholders": stakeholders,
        "events": events,
    }
