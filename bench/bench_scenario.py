"""Scenario benchmark (issue 14): the whole `charter scenario` report against one replay of the
ledger it stands on (the baseline, measured in the same run).

Two companies: the Quintus example (examples/quintus.yaml) with the example Series G scenario
plus two SAFEs converting in the round at the price a $40,000,000 pre-money implies (the
circular solve), and a synthetic company of 10,000 holders (bench/synthetic.py) with the same
round. The report: the pro forma replay, both cap tables, the conversion prices, the
approvals, the headroom, and the waterfall today and pro forma at one exit. CPU time (more
stable than wall time under load), the best of a few repeats; the ratio is report / replay.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_ledger
from charter.ledger.fileformat import parse_ledger_text
from charter.numbers import per_share
from charter.replay import replay
from charter.terms.loader import load_builtin
from charter.views import scenario as scenario_view

REPEAT = 3
ROOT = Path(__file__).resolve().parent.parent

ROUND = """\
stakeholders:
  - {{id: granite-vc, name: "Granite Ventures I, L.P."}}
  - {{id: seed-fund, name: "Seed Fund"}}
terms:
  classes:
    - id: series_g
      name: Series G Preferred Stock
      kind: preferred
      authorized: 6000000
      par_value: "0.001"
      citation: Art. IV.B (scenario)
      original_issue_price: "1.00"
      liquidation: {{tier: 1, preference_per_share: "1.00", plus_dividends: none, citation: Art. IV.B.2(a)}}
      conversion: {{holder_option: true, citation: Art. IV.B.3(a)}}
      votes: {{per_common_share: 1, citation: Art. IV.B.5(c)}}
events:
  - {{id: safe-1, date: {d1}, type: issue_convertible, kind: safe, holder: seed-fund, amount: "1000000", valuation_cap: "30000000"}}
  - {{id: safe-2, date: {d1}, type: issue_convertible, kind: safe, holder: {holder}, amount: "500000", basis: pre-money, valuation_cap: "35000000", discount: "0.20"}}
  - {{id: top-up, date: {d2}, type: adopt_plan, shares: 1000000}}
  - {{id: round, date: {d3}, type: convert_convertible, convertibles: [safe-1, safe-2], class: series_g, price: pre-money}}
  - {{id: iss-g-1, date: {d3}, type: issue, holder: granite-vc, class: series_g, shares: 2000000, price: pre-money}}
consents: [{holder}]
pre_money: "40000000"
pool_top_up_in_pre_money: true
"""


def best(fn: Callable[[], Any]) -> float:
    """The least CPU time of REPEAT runs, in seconds."""
    times = []
    for _ in range(REPEAT):
        c = time.process_time()
        fn()
        times.append(time.process_time() - c)
    return min(times)


def measure(label: str, text: str) -> str:
    doc = parse_ledger_text(text, label)
    terms = load_builtin(doc.company.terms)
    last = doc.entries[-1].event.date
    today = replay(terms, doc.stakeholders, doc.entries)
    holder = next(h for h, by in sorted(today.holdings.items()) if by)
    days = [(last + dt.timedelta(days=n)).isoformat() for n in (1, 2, 3)]
    sc = scenario_view.parse_scenario(
        ROUND.format(d1=days[0], d2=days[1], d3=days[2], holder=holder), "bench"
    )
    exits = [Fraction(60_000_000)]

    def one_replay() -> None:
        replay(terms, doc.stakeholders, doc.entries)

    def report() -> None:
        scenario_view.run(today, doc.stakeholders, doc.entries, sc, exits, {})

    base, whole = best(one_replay), best(report)
    r = scenario_view.run(today, doc.stakeholders, doc.entries, sc, exits, {})
    price = "" if r.implied_price is None else per_share(r.implied_price)
    return (
        f"| {label} | {len(today.holdings):,} | {len(doc.entries):,} | {base * 1000:,.0f} | "
        f"{whole * 1000:,.0f} | {whole / base:.2f} | {price} |"
    )


def main() -> None:
    quintus = (ROOT / "examples" / "quintus.yaml").read_text(encoding="utf-8")
    synthetic = json.dumps(synthetic_ledger(20_000, 10_000))
    print(
        "| company | holders | events | one replay (ms CPU) | whole report (ms CPU) | ratio | implied price |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(measure("Quintus example", quintus), flush=True)
    print(measure("synthetic", synthetic), flush=True)


if __name__ == "__main__":
    main()
