"""SAFEs in `charter scenario`: converting in a round whose price a pre-money valuation implies
(the circular solve, exact), `--xlsx`, `--record`, and the cap table's section; worked by
hand on the base company of tests/ledgers/builder.py (1,000,000 common, 1,000,000 Series A
at $1.00 converting one for one: fully diluted 2,000,000, no plan, no grants)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from charter.errors import CharterError
from charter.views import scenario as scenario_view
from tests.cli_helpers import run_cli
from tests.conftest import ROOT
from tests.ledgers.builder import BASE, entries, run, stakeholders

ROUND = """\
events:
  - {id: safe-1, date: 2000-06-01, type: issue_convertible, kind: safe, holder: angel, amount: "1000000", valuation_cap: "6000000"}
  - {id: safe-2, date: 2000-07-01, type: issue_convertible, kind: safe, holder: f2, amount: "600000", basis: pre-money, valuation_cap: "9000000", discount: "0.20"}
  - {id: top-up, date: 2001-01-01, type: adopt_plan, shares: 500000}
  - {id: round, date: 2001-01-02, type: convert_convertible, convertibles: [safe-1, safe-2], class: series_e, price: pre-money}
  - {id: new-money, date: 2001-01-02, type: issue, holder: f3, class: series_e, shares: 500000, price: pre-money}
pre_money: "10000000"
pool_top_up_in_pre_money: true
"""


def test_the_pre_money_price_is_solved_with_the_safes_converting() -> None:
    """Pre-money V = $10,000,000 over N0 = 2,000,000 fully diluted + the 500,000 top-up =
    2,500,000 shares and the SAFEs' shares S(P): P x (2,500,000 + S(P)) = 10,000,000.
    The SAFEs' capitalization: base = 2,000,000 + the pool's 500,000 = 2,500,000.

    safe-1: $1,000,000, post-money cap $6,000,000: at its cap G = 1/6 of C.
    safe-2: $600,000, pre-money cap $9,000,000 (cap price 9,000,000 / 2,500,000 = $3.60),
    discount 20%.

    Try both at their caps: F = 600,000 x 2,500,000 / 9,000,000 = 166,666.67, P = V /
    ((2,500,000 + F) x 6/5) = 10,000,000 / 3,200,000 = $3.125; but then safe-2's discount
    price 0.8 x 3.125 = $2.50 is below $3.60: it takes the discount. So safe-2 at its
    discount (K = 600,000 / 0.8 = 750,000) and safe-1 at its cap:

        P = (V - K x 6/5) / (2,500,000 x 6/5) = (10,000,000 - 900,000) / 3,000,000 = 91/30
          = $3.033333...

    Consistent: safe-2 at 0.8 x 91/30 = $2.4267 < $3.60, 600,000 / 2.4267 = 22,500,000/91 =
    247,252.75 shares; C = (2,500,000 + 22,500,000/91) x 6/5 = 300,000,000/91 =
    3,296,703.30, safe-1's cap price 6,000,000 / C = $1.82 < P, its shares C/6 =
    50,000,000/91 = 549,450.55. And P x (2,500,000 + S) = 91/30 x 300,000,000/91 =
    10,000,000 exactly.

    The events priced `pre-money` take $3.033333 (six places): the round at that price gives
    safe-2 600,000 / (0.8 x 3.033333) = 247,252.78 -> 247,252 and safe-1 549,450.56 ->
    549,450 (rounded down, as at the exact price); the new money 500,000 Series E."""
    today = run(BASE)
    sc = scenario_view.parse_scenario(ROUND, "round.yaml")
    r = scenario_view.run(today, stakeholders(), entries(BASE), sc, [], {})
    assert r.implied_price == Fraction(91, 30)
    data = scenario_view.scenario_json(r)
    assert data["implied_price"] == "3.033333"
    conv = data["convertibles"]
    assert conv["safe-1"]["shares"] == 549_450 and conv["safe-2"]["shares"] == 247_252  # type: ignore[index]
    assert conv["safe-2"]["conversion_price"] == "2.426666"  # type: ignore[index]  # 2.4266664
    assert [e["price"] for e in r.events[3:]] == ["3.033333", "3.033333"]
    after = data["captable"]["after"]["classes"]["series_e"]  # type: ignore[index]
    assert after["outstanding"] == 549_450 + 247_252 + 500_000


def test_a_pre_money_price_without_a_pre_money_is_one_sentence() -> None:
    with pytest.raises(CharterError) as e:
        scenario_view.parse_scenario(ROUND.replace('pre_money: "10000000"\n', ""), "round.yaml")
    [p] = e.value.problems
    assert p.sentence() == (
        'round.yaml: events.3.price: a price of "pre-money" needs the scenario\'s pre_money: '
        "to solve it."
    )


SAFES_ON_QUINTUS = """\
events:
  - {id: safe-x, date: 1999-11-01, type: issue_convertible, kind: safe, holder: s.chen, amount: "100000"}
  - {id: round-x, date: 1999-12-01, type: convert_convertible, convertibles: [safe-x], class: common, price: "2.00"}
"""


def test_xlsx_and_record_of_a_scenario_with_a_safe(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A SAFE of $100,000 with neither cap nor discount converts at the round's $2.00: 50,000
    common. `--xlsx` writes the report's sheets through interop/workbook.py, the SAFE on its
    own sheet; `--record` writes both events, and the cap table then shows the SAFE in its
    section, converted."""
    path = tmp_path / "s.yaml"
    path.write_text(SAFES_ON_QUINTUS, encoding="utf-8")
    out = tmp_path / "s.xlsx"
    example = str(ROOT / "examples" / "quintus.yaml")
    code, _, err = run_cli(capsys, "scenario", str(path), "--ledger", example, "--xlsx", str(out))
    assert code == 0, err
    wb = load_workbook(out)
    assert "Convertibles" in wb.sheetnames and "Holders" in wb.sheetnames
    rows = list(wb["Convertibles"].iter_rows(values_only=True))
    header = rows.index(
        ("instrument", "holder", "class", "shares", "conversion price", "conversion amount")
    )
    assert rows[header + 1][0] == "safe-x" and rows[header + 1][3] == 50_000
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--example", "--db", db)[0] == 0
    code, out_text, err = run_cli(capsys, "scenario", str(path), "--db", db, "--record")
    assert code == 0, err
    assert "Recorded 2 events" in out_text
    cap = json.loads(run_cli(capsys, "captable", "--db", db, "--json")[1])
    assert cap["classes"]["common"]["outstanding"] == 6_317_500 + 50_000
    safe = cap["convertibles"]["safe-x"]
    assert safe["status"] == "converted" and safe["converted"]["shares"] == 50_000
    assert safe["converted"]["conversion_price"] == "2.000000"
    code, text, _ = run_cli(capsys, "captable", "--db", db)
    assert code == 0 and "Convertible instruments" in text and "safe-x" in text
