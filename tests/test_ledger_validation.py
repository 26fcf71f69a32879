"""Bad input to the ledger (spec/ledger-format.md, "Validation"; DESIGN.md principle 5): each
mistake gets one sentence naming the file, line, event (index and id), the field and the rule;
the command exits non-zero and writes nothing."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.ledger.store import Store
from tests.cli_helpers import run_cli

BASE: dict[str, Any] = {
    "format": "charter-ledger/1",
    "company": {"name": "Quintus Corporation", "terms": "quintus"},
    "stakeholders": [
        {"id": "founder", "name": "A Founder"},
        {"id": "fund-1", "name": "Example Ventures I, L.P."},
    ],
    "events": [
        {
            "date": "1995-01-02",
            "type": "issue",
            "id": "iss-1",
            "holder": "founder",
            "class": "common",
            "shares": 1000,
            "price": "0.001",
        },
        {
            "date": "1995-02-01",
            "type": "issue",
            "id": "iss-2",
            "holder": "fund-1",
            "class": "series_a",
            "shares": 5000,
            "price": "1.00",
        },
        {
            "date": "1995-03-01",
            "type": "grant",
            "id": "opt-1",
            "kind": "option",
            "holder": "founder",
            "class": "common",
            "shares": 100,
            "exercise_price": "0.10",
        },
    ],
}


def write(tmp_path: Path, doc: Any, name: str = "ledger.yaml", raw: str | None = None) -> Path:
    path = tmp_path / name
    path.write_text(raw if raw is not None else yaml.safe_dump(doc, sort_keys=False))
    return path


def with_event(event: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    doc["events"].append(event)
    return doc


def load_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: Any, raw: str | None = None
) -> str:
    """Load into a fresh database; assert it failed cleanly and wrote nothing; return stderr."""
    path = write(tmp_path, doc, raw=raw)
    db = str(tmp_path / "c.db")
    code, _, err = run_cli(capsys, "load", str(path), "--db", db)
    assert code != 0
    assert "Traceback" not in err
    assert Store(db).companies() == []
    return err


def test_the_base_ledger_is_valid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    code, out, err = run_cli(capsys, "load", str(path), "--db", str(tmp_path / "c.db"))
    assert (code, err) == (0, "")
    assert "3 events" in out


def test_unknown_holder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = load_fails(
        capsys,
        tmp_path,
        with_event(
            {
                "date": "1995-04-01",
                "type": "issue",
                "id": "iss-9",
                "holder": "nobody",
                "class": "common",
                "shares": 1,
                "price": "0.10",
            }
        ),
    )
    assert "event 3 (iss-9): holder: 'nobody' is not a stakeholder of the ledger." in err
    assert "ledger.yaml:" in err


def test_unknown_class(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = load_fails(
        capsys,
        tmp_path,
        with_event(
            {
                "date": "1995-04-01",
                "type": "issue",
                "holder": "fund-1",
                "class": "series_z",
                "shares": 1,
                "price": "1.00",
            }
        ),
    )
    assert "event 3: class: class 'series_z' does not exist" in err


def test_unknown_grant(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = load_fails(
        capsys,
        tmp_path,
        with_event({"date": "1995-04-01", "type": "exercise", "grant": "opt-9", "shares": 1}),
    )
    assert "grant: grant 'opt-9' does not exist" in err


def test_art_iv_b_issue_beyond_the_series_authorized(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Series A consists of 9,100,000 shares (Art. IV.B); 5,000 are out, so 9,095,001 more
    would make 9,100,001."""
    err = load_fails(
        capsys,
        tmp_path,
        with_event(
            {
                "date": "1995-04-01",
                "type": "issue",
                "holder": "fund-1",
                "class": "series_a",
                "shares": 9_095_001,
                "price": "1.00",
            }
        ),
    )
    assert "would make 9,100,001 outstanding, beyond the 9,100,000 authorized (Art. IV.B)" in err


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            {
                "type": "transfer",
                "from": "fund-1",
                "to": "founder",
                "class": "series_a",
                "shares": 5001,
                "exemption": "existing-stockholder",
            },
            "fund-1 cannot transfer 5,001 shares of series_a: it holds 5,000",
        ),
        (
            {
                "type": "repurchase",
                "holder": "founder",
                "class": "common",
                "shares": 1001,
                "price": "0.01",
            },
            "founder cannot sell back 1,001 shares of common: it holds 1,000",
        ),
        (
            {"type": "exercise", "grant": "opt-1", "shares": 101},
            "grant opt-1 has 100 shares outstanding; 101 cannot be exercised",
        ),
    ],
)
def test_more_than_is_held(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, event: dict[str, Any], expected: str
) -> None:
    err = load_fails(capsys, tmp_path, with_event({"date": "1995-04-01", **event}))
    assert expected in err


def test_a_float_where_money_is_required(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = yaml.safe_dump(BASE, sort_keys=False).replace("price: '1.00'", "price: 1.43")
    err = load_fails(capsys, tmp_path, None, raw=raw)
    assert "event 1 (iss-2): price: 1.43 is a binary float" in err


@pytest.mark.parametrize("shares", [0, -5])
def test_a_zero_or_negative_share_count(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, shares: int
) -> None:
    err = load_fails(
        capsys,
        tmp_path,
        with_event(
            {
                "date": "1995-04-01",
                "type": "issue",
                "holder": "fund-1",
                "class": "common",
                "shares": shares,
                "price": "1.00",
            }
        ),
    )
    assert f"shares: a share count must be positive, not {shares}" in err


def test_events_out_of_date_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = load_fails(
        capsys,
        tmp_path,
        with_event(
            {
                "date": "1995-02-15",
                "type": "issue",
                "holder": "fund-1",
                "class": "common",
                "shares": 1,
                "price": "1.00",
            }
        ),
    )
    assert "is dated 1995-02-15, before the previous event (1995-03-01)" in err


def test_malformed_yaml_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = load_fails(
        capsys, tmp_path, None, raw="format: charter-ledger/1\nevents: [\n  {date: 1\n"
    )
    assert "is not valid YAML or JSON" in err
    assert "ledger.yaml:" in err


def test_malformed_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = load_fails(capsys, tmp_path, None, raw='{"format": "charter-ledger/1", "events": [}')
    assert "is not valid JSON" in err


def test_unknown_event_type_unknown_field_missing_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = copy.deepcopy(BASE)
    doc["events"] += [
        {"date": "1995-04-01", "type": "gift", "id": "g-1"},
        {
            "date": "1995-04-01",
            "type": "issue",
            "holder": "fund-1",
            "class": "common",
            "shares": 1,
            "price": "1.00",
            "colour": "blue",
        },
        {"date": "1995-04-01", "type": "issue", "holder": "fund-1", "class": "common", "shares": 1},
    ]
    err = load_fails(capsys, tmp_path, doc)
    assert "event 3 (g-1): type: has unknown type 'gift'" in err
    assert "event 4: colour: is not a field of a issue event" in err
    assert "event 5: price: is required for a issue event" in err


def test_five_mistakes_five_sentences_each_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    doc = copy.deepcopy(BASE)
    doc["events"] += [
        {
            "date": "1995-04-01",
            "type": "issue",
            "holder": "x1",
            "class": "common",
            "shares": 1,
            "price": "1.00",
        },
        {
            "date": "1995-04-02",
            "type": "issue",
            "holder": "x2",
            "class": "common",
            "shares": 1,
            "price": "1.00",
        },
        {"date": "1995-04-03", "type": "exercise", "grant": "nope", "shares": 1},
        {"date": "1995-04-04", "type": "assert", "class": "common", "outstanding": 999},
        {
            "date": "1995-04-05",
            "type": "issue",
            "holder": "founder",
            "class": "series_q",
            "shares": 1,
            "price": "1.00",
        },
    ]
    err = load_fails(capsys, tmp_path, doc)
    lines = err.strip().splitlines()
    assert len(lines) == 5
    text = write(tmp_path, doc).read_text().splitlines()
    for sentence in lines:
        _, line, _, fld, _ = sentence.split(":", 4)
        assert text[int(line) - 1].strip().lstrip("- ").startswith(f"{fld.strip()}:")
    assert "the ledger asserts 999 shares of common, but outstanding are 1,000" in err


def test_bad_as_of_and_before_the_first_event(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, BASE)
    code, _, err = run_cli(capsys, "captable", "--ledger", str(path), "--as-of", "1995-13-01")
    assert code == 1 and "'1995-13-01' is not a date in the form YYYY-MM-DD" in err
    code, _, err = run_cli(capsys, "captable", "--ledger", str(path), "--as-of", "1994-12-31")
    assert code == 1 and "is before the company's first event (1995-01-02)" in err
