"""Small ledgers built in the tests, so that every figure can be worked by hand."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import yaml

from charter.ledger.fileformat import parse_ledger_text
from charter.numbers import decimal_str
from charter.replay import replay
from charter.state.model import State
from charter.terms.loader import resolve_terms
from tests.conftest import ROOT


def state_of(
    terms: str,
    holdings: dict[str, dict[str, int]],
    extra: list[dict[str, Any]] | None = None,
    terms_dir: str | None = None,
) -> State:
    """A company whose holders hold `holdings` (holder -> class -> shares), issued on
    2000-01-03 at the class's original issue price (common at $0.01), cheapest class first so
    that no issuance is below a conversion price in force (Art. IV.B.3(d)(i)(A)): every
    conversion ratio stays 1. Then the `extra` events."""
    t = resolve_terms(terms, ROOT / terms_dir if terms_dir else None)
    cert = t.certificates[0]

    def price(class_id: str) -> Fraction:
        c = cert.stock_class(class_id)
        return c.original_issue_price if c and c.original_issue_price else Fraction(1, 100)

    issues = sorted(
        ((price(c), h, c, n) for h, by in holdings.items() for c, n in by.items() if n),
        key=lambda x: x[0],
    )
    # holders of grants are employees: a grant naming the employee exception is then
    # excepted from "Additional Stock" (Art. IV.B.3(d)(ii)(B))
    grantees = {e["holder"] for e in extra or [] if e.get("type") == "grant"}
    doc = parse_ledger_text(
        yaml.safe_dump(
            {
                "format": "charter-ledger/1",
                "company": {"name": "Test", "terms": terms},
                "stakeholders": [
                    {"id": h, "name": h, "relations": ["employee"] if h in grantees else []}
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
                        "price": decimal_str(p),
                    }
                    for p, h, c, n in issues
                ]
                + (extra or []),
            }
        )
    )
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
