"""Small ledgers built in the tests, so that every figure can be worked by hand."""

from __future__ import annotations

from typing import Any

import yaml

from charter.ledger.fileformat import parse_ledger_text
from charter.state.model import State
from charter.state.replay import replay
from charter.terms.loader import resolve_terms
from tests.conftest import ROOT


def state_of(
    terms: str,
    holdings: dict[str, dict[str, int]],
    extra: list[dict[str, Any]] | None = None,
    terms_dir: str | None = None,
) -> State:
    """A company whose holders hold `holdings` (holder -> class -> shares), issued on
    2000-01-03 at the class's original issue price (common at $0.01), then `extra` events."""
    doc = parse_ledger_text(
        yaml.safe_dump(
            {
                "format": "charter-ledger/1",
                "company": {"name": "Test", "terms": terms},
                "stakeholders": [
                    {"id": h, "name": h}
                    for h in sorted(
                        set(holdings) | {e["holder"] for e in extra or [] if "holder" in e}
                    )
                ],
                "events": [
                    {
                        "date": "2000-01-03",
                        "type": "issue",
                        "holder": h,
                        "class": c,
                        "shares": n,
                        "price": "0.01",
                    }
                    for h, by in holdings.items()
                    for c, n in by.items()
                    if n
                ]
                + (extra or []),
            }
        )
    )
    t = resolve_terms(terms, ROOT / terms_dir if terms_dir else None)
    return replay(t, doc.stakeholders, doc.entries)


ONE_MILLION_EACH = {
    "c1": {"common": 1_000_000},
    "ha": {"series_a": 1_000_000},
    "hb": {"series_b": 1_000_000},
    "hc": {"series_c": 1_000_000},
    "hd": {"series_d": 1_000_000},
    "he": {"series_e": 1_000_000},
    "hf": {"series_f": 1_000_000},
}
"""Quintus with 1,000,000 shares of each class, each held by one holder."""
