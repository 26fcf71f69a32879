"""SAFEs and convertible notes in the Open Cap Format: exported as convertible issuances and
conversions with the stock issuances of the shares they became, read back exactly, and
counted by a plain OCF reader as `charter captable --json` counts them.

The small company (quintus terms): 1,000,000 common (founder) and 1,000,000 Series A (f1);
a post-money SAFE (angel, $400,000, cap $8,000,000) and a note (f2, $100,000 at 8% simple,
pre-money cap $4,000,000, discount 20%) convert together in a Series E round at $4.15; angel
then transfers 8,105 Series E to f1. Two instruments stay outstanding: a note compounding
quarterly with a post-money cap (a basis OCF's note mechanism has no field for), and an MFN
SAFE with a pre-money basis and a discount of 1/3 (beyond OCF's ten decimals): both tagged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from charter.errors import CharterError
from charter.interop.ocf_import import import_package
from charter.interop.ocf_package import read_package
from charter.replay import replay
from charter.rules.captable import captable, captable_json
from tests.cli_helpers import run_cli
from tests.test_ocf import FILE_SCHEMA, URL, exported, reimported, schema_registry

LEDGER = """format: charter-ledger/1
company: {name: Small Co, terms: quintus}
stakeholders:
  - {id: founder, name: Founder, relations: [officer, director, employee]}
  - {id: f1, name: Fund One}
  - {id: f2, name: Fund Two}
  - {id: angel, name: Angel}
events:
  - {date: 2000-01-01, type: issue, holder: founder, class: common, shares: 1000000, price: "0.001"}
  - {date: 2000-02-01, type: issue, holder: f1, class: series_a, shares: 1000000, price: "1.00"}
  - {date: 2000-06-01, type: issue_convertible, id: safe-1, kind: safe, holder: angel, amount: "400000", valuation_cap: "8000000"}
  - {date: 2000-07-01, type: issue_convertible, id: note-1, kind: note, holder: f2, amount: "100000", interest_rate: "0.08", valuation_cap: "4000000", discount: "0.20", maturity: 2002-07-01, at_liquidity: cash-out}
  - {date: 2001-07-01, id: round, type: convert_convertible, convertibles: [safe-1, note-1], class: series_e, price: "4.15"}
  - {date: 2001-08-01, type: transfer, from: angel, to: f1, class: series_e, shares: 8105, price: "4.15", exemption: existing-stockholder}
  - {date: 2001-09-01, type: issue_convertible, id: note-2, kind: note, holder: f2, amount: "50000", interest_rate: "0.06", interest: compound, compounding: quarterly, basis: post-money, valuation_cap: "12000000"}
  - {date: 2001-10-01, type: issue_convertible, id: safe-2, kind: safe, holder: angel, amount: "25000", basis: pre-money, discount: "1/3", mfn: true}
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(LEDGER)
    return path


def test_convertibles_export_validates_and_round_trips_on_every_event_date(
    ledger: Path, tmp_path: Path
) -> None:
    """Every exported file validates; export then import gives the same cap table (the
    Series E the conversion issued, the outstanding convertibles section) as of every date
    with an event."""
    original, files = exported(ledger)
    registry = schema_registry()
    for name, data in files.items():
        if name.endswith(".ocf.json"):
            doc = json.loads(data)
            schema = registry.contents(URL + FILE_SCHEMA[doc["file_type"]])
            errors = list(Draft7Validator(schema, registry=registry).iter_errors(doc))
            assert errors == [], (name, [e.message for e in errors[:3]])
    again = reimported(files, tmp_path)
    assert len(again.entries()) == len(original.entries())
    for d in sorted({e.event.date for e in original.entries()}):
        a, b = captable_json(captable(original.state(d))), captable_json(captable(again.state(d)))
        assert a == b, d
    assert again.state().convertibles == original.state().convertibles  # terms and figures
    last = captable_json(captable(again.state()))
    assert set(last["convertibles"]) == {"safe-1", "note-1", "note-2", "safe-2"}
    before = captable_json(captable(again.state(original.entries()[3].event.date)))
    assert set(before["convertibles"]) == {"safe-1", "note-1"}


def plain_reader(files: dict[str, bytes]) -> dict[str, int]:
    """Outstanding shares by stock class as a reader of plain OCF counts them: every stock
    issuance's quantity, less the quantity of each security a later transaction consumes
    (a transfer, conversion, repurchase or cancellation takes the whole security, its
    balance and results being new issuances; a consolidation takes each it joins)."""
    items = json.loads(files["Transactions.ocf.json"])["items"]
    issued = {t["security_id"]: t for t in items if t["object_type"] == "TX_STOCK_ISSUANCE"}
    out: dict[str, int] = defaultdict(int)
    for t in issued.values():
        out[t["stock_class_id"]] += int(t["quantity"])
    consuming = {
        "TX_STOCK_TRANSFER",
        "TX_STOCK_CONVERSION",
        "TX_STOCK_REPURCHASE",
        "TX_STOCK_CANCELLATION",
    }
    for t in items:
        gone = t.get("security_ids", []) if t["object_type"] == "TX_STOCK_CONSOLIDATION" else []
        if t["object_type"] in consuming:
            gone = [t["security_id"]]
        for sid in gone:
            out[issued[sid]["stock_class_id"]] -= int(issued[sid]["quantity"])
    return dict(out)


def test_a_plain_ocf_reader_counts_the_shares_a_conversion_issued(
    ledger: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Worked by hand. The capitalization at the round, without the instruments: 1,000,000
    common + 1,000,000 Series A as converted (one common each) = 2,000,000.

    The note: principal $100,000 at 8% simple for 2000-07-01 to 2001-07-01 (365 days / 365 =
    one year): $108,000. Pre-money cap price 4,000,000 / 2,000,000 = $2.00, below the
    discount price 4.15 x 0.80 = $3.32: 108,000 / 2.00 = 54,000 shares.

    The SAFE, post-money: at its cap it owns 400,000 / 8,000,000 = 5% of C = 2,000,000 +
    54,000 + 0.05 C, so C = 2,054,000 / 0.95 = 2,162,105.26; its cap price 8,000,000 / C =
    $3.7001, below $4.15, so at its cap: 0.05 C = 108,105.26 -> 108,105 shares (down).

    Series E outstanding: 54,000 + 108,105 = 162,105 (the transfer of 8,105 to f1 moves shares
    between holders only). A plain reader: issuances 1,000,000 common; 1,000,000 Series A;
    Series E 54,000 + 108,105 + 8,105 (f1's) + 100,000 (angel's balance) = 270,210, less the
    108,105 security the transfer consumed = 162,105."""
    _, files = exported(ledger)
    code, out, err = run_cli(capsys, "captable", "--json", "--ledger", str(ledger))
    assert code == 0, err
    classes = json.loads(out)["classes"]
    ours = {c: v["outstanding"] for c, v in classes.items() if v["outstanding"]}
    assert ours == {"common": 1_000_000, "series_a": 1_000_000, "series_e": 162_105}
    assert plain_reader(files) == ours
    held = json.loads(out)["holders"]
    assert (held["angel"]["series_e"], held["f2"]["series_e"]) == (100_000, 54_000)


def _package(tmp_path: Path, files: dict[str, bytes], change: Any) -> Path:
    """The package with its transactions changed by `change`, the convertibles' tags removed
    (another tool's; the transfer keeps its exemption, which OCF has no field for)."""
    folder = tmp_path / "other"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    path = folder / "Transactions.ocf.json"
    doc = json.loads(path.read_text())
    for item in doc["items"]:
        if item["object_type"].startswith("TX_CONVERTIBLE_"):
            item.pop("comments", None)
    change(doc["items"])
    path.write_text(json.dumps(doc))
    return folder


def test_a_transfer_or_cancellation_of_a_convertible_is_refused(
    ledger: Path, tmp_path: Path
) -> None:
    """The ledger records no transfer or cancellation of a SAFE or a note: refused, naming
    the object and its field, rather than left out (the instrument would stay outstanding)."""
    _, files = exported(ledger)

    def cancel(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "object_type": "TX_CONVERTIBLE_CANCELLATION",
                "id": "cancel-safe-2",
                "date": "2001-12-01",
                "security_id": "safe-2",
                "amount": {"amount": "25000", "currency": "USD"},
                "reason_text": "repaid",
            }
        )

    with pytest.raises(CharterError) as e:
        import_package(read_package(_package(tmp_path, files, cancel)))
    [p] = e.value.problems
    assert "object 'cancel-safe-2', field object_type" in p.message
    assert "cancels a SAFE or a note" in p.message


def test_convertibles_of_another_tool_import_from_plain_ocf_fields(
    ledger: Path, tmp_path: Path
) -> None:
    """Without our tags the convertibles are read from the OCF fields, the round's price from
    the Series E class's price_per_share ($4.15, its Original Issue Price): the same shares
    (54,000 and 108,105, as worked out above). A note's maturity, at_liquidity and basis,
    which OCF has no field for, are not in plain OCF (a SAFE's basis is: its
    conversion_timing); a retraction withdraws the instrument's issue."""
    _, files = exported(ledger)

    def retract(items: list[dict[str, Any]]) -> None:
        items.append(
            {
                "object_type": "TX_CONVERTIBLE_RETRACTION",
                "id": "retract-safe-2",
                "date": "2001-12-01",
                "security_id": "safe-2",
                "reason_text": "never funded",
            }
        )

    imported = import_package(read_package(_package(tmp_path, files, retract)))
    issued = {
        e.event.id: e.event for e in imported.doc.entries if e.event.type == "issue_convertible"
    }
    assert set(issued) == {"safe-1", "note-1", "note-2"}  # safe-2 retracted
    safe, note, note2 = issued["safe-1"], issued["note-1"], issued["note-2"]
    assert (safe.basis, safe.valuation_cap, safe.mfn) == ("post-money", 8_000_000, False)
    assert (note.interest_rate, note.discount, note.maturity) == ("0.08", "0.2", None)
    assert (note2.interest, note2.compounding, note2.basis) == ("compound", "quarterly", None)
    state = replay(imported.terms, imported.doc.stakeholders, imported.doc.entries)
    assert state.holdings["f2"]["series_e"] == 54_000
    assert state.holdings["angel"]["series_e"] == 100_000


def test_a_convertible_the_ledger_cannot_record_is_refused_naming_file_object_field(
    ledger: Path, tmp_path: Path
) -> None:
    """A convertible security (not a SAFE or a note), or shares issued on conversion that
    its terms do not give: one sentence naming the file, the object and the field."""
    _, files = exported(ledger)

    def security(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["object_type"] == "TX_CONVERTIBLE_ISSUANCE":
                item["convertible_type"] = "CONVERTIBLE_SECURITY"
                return

    with pytest.raises(CharterError) as e:
        import_package(read_package(_package(tmp_path, files, security)))
    [p] = e.value.problems
    assert p.file == "Transactions.ocf.json"
    assert "'tx-5', field convertible_type" in p.message
    assert "SAFEs and convertible notes only" in p.message

    def more(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["object_type"] == "TX_STOCK_ISSUANCE" and item["quantity"] == "54000":
                item["quantity"] = "60000"

    (tmp_path / "other").rename(tmp_path / "first")
    with pytest.raises(CharterError) as e:
        import_package(read_package(_package(tmp_path, files, more)))
    [p] = e.value.problems
    assert p.file == "Transactions.ocf.json"
    assert "field resulting_security_ids" in p.message and "60,000" in p.message
    assert "54,000" in p.message


def _note_1(change: Any) -> Any:
    def edit(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("security_id") == "note-1" and "convertible_type" in item:
                change(item)

    return edit


def _mechanism(item: dict[str, Any]) -> dict[str, Any]:
    mech: dict[str, Any] = item["conversion_triggers"][0]["conversion_right"][
        "conversion_mechanism"
    ]
    return mech


@pytest.mark.parametrize(
    ("change", "fld", "words"),
    [
        (
            lambda i: _mechanism(i).update(interest_payout="CASH"),
            "conversion_triggers.0.conversion_right.conversion_mechanism.interest_payout",
            "is 'CASH'",
        ),
        (
            lambda i: _mechanism(i).update(day_count_convention="30_360"),
            "conversion_triggers.0.conversion_right.conversion_mechanism.day_count_convention",
            "the reading note-day-count",
        ),
        (
            lambda i: _mechanism(i)["interest_rates"].append(
                {"rate": "0.1", "accrual_start_date": "2001-01-01"}
            ),
            "conversion_triggers.0.conversion_right.conversion_mechanism.interest_rates",
            "one rate of interest from its date",
        ),
        (
            lambda i: i["investment_amount"].update(currency="EUR"),
            "investment_amount",
            "counts USD",
        ),
    ],
)
def test_a_note_the_ledger_cannot_express_is_refused_in_one_sentence(
    ledger: Path, tmp_path: Path, change: Any, fld: str, words: str
) -> None:
    """Interest paid in cash, a day count other than the reading's, two rates, another
    currency: one sentence naming Transactions.ocf.json, the note's object and the field."""
    _, files = exported(ledger)
    with pytest.raises(CharterError) as e:
        import_package(read_package(_package(tmp_path, files, _note_1(change))))
    [p] = e.value.problems
    assert p.file == "Transactions.ocf.json"
    assert p.message.startswith(f"object 'tx-6', field {fld}: ")
    assert words in p.message
