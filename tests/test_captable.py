"""The cap table (Art. IV.A, IV.B.3(a), 3(h), 3(i)) and its JSON contract."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.ledger.fileformat import parse_ledger_text
from charter.replay import replay
from charter.rules.captable import captable, captable_json
from charter.service import validate_ledger
from charter.terms.loader import load_builtin
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLE


def small_ledger(extra: list[dict[str, Any]] | None = None) -> str:
    return yaml.safe_dump(
        {
            "format": "charter-ledger/1",
            "company": {"name": "Quintus Corporation", "terms": "quintus"},
            "stakeholders": [
                {"id": "founder", "name": "F"},
                {"id": "fund-1", "name": "Fund"},
                {"id": "emp-1", "name": "E"},
            ],
            "events": [
                {
                    "date": "1995-01-02",
                    "type": "issue",
                    "holder": "founder",
                    "class": "common",
                    "shares": 5_000_000,
                    "price": "0.001",
                },
                {
                    "date": "1995-02-01",
                    "type": "issue",
                    "holder": "fund-1",
                    "class": "series_a",
                    "shares": 9_100_000,
                    "price": "1.00",
                },
                {
                    "date": "1996-08-16",
                    "type": "grant",
                    "id": "w-b",
                    "kind": "warrant",
                    "holder": "fund-1",
                    "class": "series_b",
                    "shares": 192_262,
                    "exercise_price": "1.43",
                    "exclusion": "warrant-1996-08-16",
                },
                {
                    "date": "1997-01-01",
                    "type": "grant",
                    "id": "opt-1",
                    "kind": "option",
                    "holder": "emp-1",
                    "class": "common",
                    "shares": 40_000,
                    "exercise_price": "0.10",
                },
                {"date": "1997-06-01", "type": "exercise", "grant": "opt-1", "shares": 10_000},
                *(extra or []),
            ],
        },
        sort_keys=False,
    )


def table(text: str) -> dict[str, Any]:
    _, state, _ = validate_ledger(parse_ledger_text(text))
    return captable_json(captable(state))


def test_art_iv_a_outstanding_as_converted_fully_diluted() -> None:
    """Common: 5,000,000 issued + 10,000 exercised = 5,010,000. Series A 9,100,000 converts
    1:1 (Original Issue Price $1.00 / Conversion Price $1.00, Art. IV.B.3(a)). Grants left:
    30,000 common options and the 192,262 Series B warrant, which converts 1:1 too.
    Fully diluted: 5,010,000 + 9,100,000 + 30,000 + 192,262 = 14,332,262."""
    t = table(small_ledger())
    assert t["classes"]["common"]["outstanding"] == 5_010_000
    assert t["classes"]["series_a"] == {
        "authorized": 9_100_000,
        "outstanding": 9_100_000,
        "as_converted": 9_100_000,
        "reserved": 0,
    }
    assert t["holders"]["fund-1"]["series_a"] == 9_100_000
    assert t["holders"]["emp-1"]["common"] == 10_000
    assert t["grants"]["opt-1"]["outstanding"] == 30_000
    assert t["grants"]["opt-1"]["exercise_price"] == "0.100000"
    assert t["fully_diluted"] == 14_332_262


def test_art_iv_b_3i_reservation_warning() -> None:
    """Art. IV.B.3(i): authorized but unissued common must cover the conversion of all
    preferred (and, as the cap table reports it, the exercise of every grant): 9,100,000 +
    30,000 + 192,262 = 9,322,262 needed. With 25,000,000 more common issued, 40,000,000 −
    30,010,000 = 9,990,000 unissued: enough. With 25,700,000 more, 40,000,000 − 30,710,000 =
    9,290,000 < 9,322,262: a warning."""
    ok = table(
        small_ledger(
            [
                {
                    "date": "1998-01-01",
                    "type": "issue",
                    "holder": "founder",
                    "class": "common",
                    "shares": 25_000_000,
                    "price": "5.00",
                }
            ]
        )
    )
    assert ok["warnings"] == []
    short = table(
        small_ledger(
            [
                {
                    "date": "1998-01-01",
                    "type": "issue",
                    "holder": "founder",
                    "class": "common",
                    "shares": 25_700_000,
                    "price": "5.00",
                }
            ]
        )
    )
    assert len(short["warnings"]) == 1
    assert "(9,290,000) cannot cover" in short["warnings"][0]
    assert "(9,322,262)" in short["warnings"][0]
    assert "Art. IV.B.3(i)" in short["warnings"][0]


def test_as_of_a_date_before_later_events() -> None:
    """As of 1997-01-01 the option is granted but not yet exercised: common is 5,000,000."""
    doc = parse_ledger_text(small_ledger())
    early = replay(
        load_builtin("quintus"), doc.stakeholders, doc.entries, until=dt.date(1997, 1, 1)
    )
    t = captable_json(captable(early))
    assert t["as_of"] == "1997-01-01"
    assert t["classes"]["common"]["outstanding"] == 5_000_000
    assert t["grants"]["opt-1"]["outstanding"] == 40_000


def test_cli_captable_json_matches_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    """spec/cli-contract.md `charter captable --json`: as_of, classes (authorized,
    outstanding, as_converted), holders (holder -> class -> shares), grants (holder, class,
    outstanding, exercise_price with six decimals), fully_diluted. The example ledger asserts
    8,850,000 Series A outstanding on 1999-07-16 and 800,000 Series B on 1999-10-31."""
    code, out, err = run_cli(capsys, "captable", "--ledger", str(EXAMPLE), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["as_of"] == "1999-10-31"
    assert set(data) >= {"as_of", "classes", "holders", "grants", "fully_diluted"}
    for c in data["classes"].values():
        assert set(c) >= {"authorized", "outstanding", "as_converted"}
        assert all(isinstance(v, int) for v in c.values())
    assert data["classes"]["series_a"]["outstanding"] == 8_850_000
    assert data["classes"]["series_b"]["outstanding"] == 800_000
    for g in data["grants"].values():
        assert set(g) >= {"holder", "class", "outstanding", "exercise_price"}
        assert len(g["exercise_price"].split(".")[1]) == 6
    assert isinstance(data["fully_diluted"], int)


def test_cli_runs_on_the_database_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "load", str(EXAMPLE), "--db", db)[0] == 0
    code, out, _ = run_cli(capsys, "captable", "--db", db, "--json", "--as-of", "1999-07-16")
    assert code == 0
    assert json.loads(out)["classes"]["series_a"]["outstanding"] == 8_850_000
