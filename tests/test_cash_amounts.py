"""Art. IV.B.3(c): Cash Amounts that the funds legally available could not pay at conversion
stay owed and are paid ratably as funds become available (`cash_amount_payment`); `charter
cash-owed` lists them. Figures worked by hand from the text."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from charter.errors import CharterError
from charter.ledger.store import Store
from charter.rules.cash_amounts import cash_amounts, cash_amounts_json
from charter.service import load_ledger
from charter.state.model import State
from tests.ledgers.builder import PEOPLE, issue, run

# Series A: f1 500,000 and f2 300,000; Series B: f3 200,000. Cash Amounts on conversion
# (Art. IV.B.3(a)(i)-(ii)): f1 500,000 x 0.925 = 462,500; f2 300,000 x 0.925 = 277,500;
# f3 200,000 x 1.325 = 265,000; in all 1,005,000. The funds legally available at the election,
# 502,500, pay half of each; the other half is owed: 231,250, 138,750 and 132,500 (502,500).
CONVERTED = [
    issue("1999-01-01", "founder", "common", 1_000_000, "0.001"),
    issue("1999-02-01", "f1", "series_a", 500_000, "1.00"),
    issue("1999-02-01", "f2", "series_a", 300_000, "1.00"),
    issue("1999-03-01", "f3", "series_b", 200_000, "1.43"),
    {"date": "1999-06-01", "type": "convert_election", "id": "elect",
     "classes": ["series_a", "series_b", "series_c", "series_d"], "consents": ["f1", "f3"],
     "funds_available": "502500"},
]  # fmt: skip


def payment(funds: str, date: str = "1999-09-01", **kw: object) -> dict[str, object]:
    return {"date": date, "type": "cash_amount_payment", "funds_available": funds, **kw}


def owed(state: State) -> dict[str, Fraction]:
    return {f"{h}/{c}": v for h, by in state.cash_owed.items() for c, v in by.items()}


def test_art_iv_b_3c_later_funds_applied_ratably_in_cents() -> None:
    """$100,000.00 becomes available while 502,500 is owed: each is paid owed x 100,000 /
    502,500 --
    f1 231,250 x 100,000 / 502,500 = 46,019.900497... (floor 46,019.90, remainder .0497 cent)
    f2 138,750 x 100,000 / 502,500 = 27,611.940298... (floor 27,611.94, remainder .0299 cent)
    f3 132,500 x 100,000 / 502,500 = 26,368.159203... (floor 26,368.15, remainder .9204 cent)
    The floors make 99,999.99; the one cent left goes to the largest remainder, f3:
    26,368.16. Still owed: f1 185,230.10, f2 111,138.06, f3 106,131.84 (402,500.00)."""
    s = run([*CONVERTED, payment("100000.00", id="pay-1")])
    assert owed(s) == {
        "f1/series_a": Fraction("185230.10"),
        "f2/series_a": Fraction("111138.06"),
        "f3/series_b": Fraction("106131.84"),
    }
    assert s.cash_paid["f3"]["series_b"] == Fraction("132500") + Fraction("26368.16")
    last = s.cash_history[-1]
    assert (last.kind, last.event, last.applied) == ("payment", "pay-1", Fraction(100_000))
    assert dict(((h, c), v) for h, c, v in last.paid) == {
        ("f1", "series_a"): Fraction("46019.90"),
        ("f2", "series_a"): Fraction("27611.94"),
        ("f3", "series_b"): Fraction("26368.16"),
    }


def test_art_iv_b_3c_funds_beyond_what_is_owed_pay_all_and_the_rest_is_not_applied() -> None:
    """'applied ratably ... until it is paid in full': $600,000 against 502,500 owed pays
    all 502,500; the other 97,500 is not applied. Then nothing is owed, and a further payment
    is refused."""
    s = run([*CONVERTED, payment("600000")])
    assert s.cash_owed == {}
    assert s.cash_history[-1].applied == 502_500
    assert s.cash_paid["f1"]["series_a"] == 462_500
    with pytest.raises(CharterError, match="no Cash Amounts are owed"):
        run([*CONVERTED, payment("600000"), payment("1.00", date="1999-10-01")])


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([*CONVERTED[:4], payment("100")], "no Cash Amounts are owed"),
        ([*CONVERTED, payment("0")], "funds_available must be more than zero"),
        ([*CONVERTED, payment("100.005")], "not a whole number of cents"),
    ],
    ids=["nothing-owed", "zero", "fraction-of-a-cent"],
)
def test_art_iv_b_3c_payment_refused(events: list[dict[str, object]], message: str) -> None:
    with pytest.raises(CharterError, match=message) as e:
        run(events)
    [problem] = e.value.problems
    assert problem.citation == "Art. IV.B.3(c)"


def test_art_iv_b_3c_negative_funds_refused_by_the_ledger_format() -> None:
    from charter.ledger.fileformat import parse_event

    entry, problems = parse_event(payment("-5"), 0)
    assert entry is None and "negative" in problems[0].sentence()


def test_art_iv_b_3c_cash_owed_listing() -> None:
    """The listing after the $100,000 payment: due 1,005,000.00 = paid 602,500.00 (502,500
    at the election and 100,000 later) + owed 402,500.00; f1 due 462,500.00, paid
    231,250 + 46,019.90 = 277,269.90, owed 185,230.10. The election's Cash Amounts were
    payable within ten days: by 1999-06-11."""
    s = run([*CONVERTED, payment("100000.00", id="pay-1")])
    data = cash_amounts_json(cash_amounts(s))
    assert data["cash"] == {"due": "1005000.00", "paid": "602500.00", "owed": "402500.00"}
    assert data["holders"]["f1"]["series_a"] == {
        "due": "462500.00",
        "paid": "277269.90",
        "owed": "185230.10",
    }
    conv, pay = data["history"]
    assert (conv["kind"], conv["due"], conv["applied"], conv["payable_by"]) == (
        "conversion",
        "1005000.00",
        "502500.00",
        "1999-06-11",
    )
    assert pay["holders"]["f3"] == {"series_b": "26368.16"}
    assert data["citations"] == ["Art. IV.B.3(c)"]


def test_art_iv_b_3c_owed_survives_the_offering() -> None:
    """The liability is the company's and outlives the restated certificate: after the IPO
    (post-IPO certificate in force) later funds are still applied, citing 3(c)."""
    ipo = {"date": "1999-10-01", "type": "ipo", "price": "16.00", "gross_proceeds": "60000000"}
    s = run([*CONVERTED, ipo, payment("502500", date="1999-11-01")])
    assert s.certificate.id == "post-ipo" and s.cash_owed == {}


def _ledger(tmp_path: Path, events: list[dict[str, object]]) -> Path:
    path = tmp_path / "cash.yaml"
    doc = {
        "format": "charter-ledger/1",
        "company": {"name": "Cash Co", "terms": "quintus"},
        "stakeholders": [{"id": k, "name": k, "relations": v} for k, v in PEOPLE.items()],
        "events": events,
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_art_iv_b_3c_refused_payment_writes_nothing(store: Store, tmp_path: Path) -> None:
    s = load_ledger(store, _ledger(tmp_path, [*CONVERTED, payment("600000")]))
    before = store.last_sequence(s.company)
    with pytest.raises(CharterError, match="no Cash Amounts are owed"):
        s.append([payment("10.00", date="1999-12-01")])
    assert store.last_sequence(s.company) == before


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "charter"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, check=False)


def test_cli_cash_owed(tmp_path: Path) -> None:
    path = _ledger(tmp_path, [*CONVERTED, payment("100000.00", id="pay-1")])
    out = _cli("cash-owed", "--ledger", str(path), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["cash"]["owed"] == "402500.00"
    text = _cli("cash-owed", "--ledger", str(path))
    assert "185,230.10" in text.stdout  # as money reads (issue 16)
    bad = _cli("cash-owed", "--ledger", str(_ledger(tmp_path, [*CONVERTED, payment("0")])))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "funds_available must be more than zero" in bad.stderr
