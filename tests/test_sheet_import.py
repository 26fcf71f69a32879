"""A stock ledger kept in a spreadsheet (issue 13 §2): the column mapping guessed and
printed, unknown holders made stakeholders, every mistake named by sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from charter.rules.captable import captable, captable_json
from charter.service import open_session
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "tests" / "data" / "sheets" / "northwind.csv"
TERMS = str(ROOT / "examples" / "venture-terms.yaml")


def test_sheet_import_guesses_the_columns_and_asks_to_confirm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --yes or --map the guessed mapping is printed and nothing is written."""
    code, out, err = run_cli(
        capsys, "import", "--sheet", str(SHEET), "--terms", TERMS, "--to", str(tmp_path / "x"),
        "--db", str(tmp_path / "c.db"),
    )  # fmt: skip
    assert code == 1
    assert "C 'Investor' -> holder" in out and "J 'Strike' -> exercise_price" in out
    assert "--yes" in err
    assert not (tmp_path / "x").exists() and not (tmp_path / "c.db").exists()


def test_sheet_import_cap_table_counted_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tests/data/sheets/northwind.csv, by hand: Ada 4,000,000 + 500,000 (from Ben) -
    100,000 (repurchased) = 4,400,000 common; Ben 2,000,000 - 500,000 = 1,500,000; Cleo
    exercises 150,000 of her 600,000 options: 150,000 common, 450,000 options left; common
    outstanding 4,400,000 + 1,500,000 + 150,000 = 6,050,000; Seedling 4,000,000 Series A.
    The holders, unknown to the terms, become stakeholders with their names."""
    code, _, err = run_cli(
        capsys, "import", "--sheet", str(SHEET), "--terms", TERMS, "--yes",
        "--to", str(tmp_path / "nw"), "--db", str(tmp_path / "c.db"), "--name", "Northwind",
    )  # fmt: skip
    assert code == 0, err
    s = open_session(None, str(tmp_path / "c.db"), "northwind")
    ct = captable_json(captable(s.state()))
    holders = ct["holders"]
    assert isinstance(holders, dict)
    assert holders["ada-founder"]["common"] == 4_400_000
    assert holders["ben-founder"]["common"] == 1_500_000
    assert holders["cleo-engineer"]["common"] == 150_000
    assert holders["seedling-ventures-i-l.p"]["series_a"] == 4_000_000
    grants = ct["grants"]
    assert isinstance(grants, dict) and grants["opt-1"]["outstanding"] == 450_000
    names = {h.id: h.name for h in s.stakeholders()}
    assert names["seedling-ventures-i-l.p"] == "Seedling Ventures I, L.P."


def test_sheet_import_errors_name_sheet_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An xlsx whose row 3 has an impossible date, row 4 an unknown class and row 5 a
    transfer of more than Ben holds (he holds 2,000,000): three sentences, each naming the
    sheet, the row and the column; nothing written."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Ledger"
    ws.append(["Date", "Type", "Holder", "To", "Class", "Shares", "Price"])
    ws.append(["2019-01-15", "issue", "Ben Founder", None, "common", 2_000_000, "0.0001"])
    ws.append(["2019-02-30", "issue", "Ada Founder", None, "common", 100, "0.0001"])
    ws.append(["2019-03-01", "issue", "Ada Founder", None, "Series Z", 100, "1.00"])
    ws.append(["2019-04-01", "transfer", "Ben Founder", "Ada Founder", "common", 3_000_000, None])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    code, _, err = run_cli(
        capsys, "import", "--sheet", str(path), "--terms", TERMS, "--yes",
        "--to", str(tmp_path / "out"), "--db", str(tmp_path / "c.db"),
    )  # fmt: skip
    assert code == 1
    text = " ".join(err.split())
    assert "ledger.xlsx sheet 'Ledger': row 3, column A (Date): '2019-02-30' is not a date" in text
    assert "ledger.xlsx sheet 'Ledger': row 4, column E (Class): 'Series Z' is not a class" in text
    assert "ledger.xlsx sheet 'Ledger': row 5, column F (Shares):" in text
    assert "2,000,000" in text
    assert not (tmp_path / "out").exists() and not (tmp_path / "c.db").exists()


def test_sheet_import_with_a_mapping_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--map names the columns (docs/sheet-mapping.md): `Owner` is the holder, `Qty` the
    shares; 1,000 + 250 = 1,250 common to the one owner."""
    path = tmp_path / "l.csv"
    path.write_text(
        "When,What,Owner,Kind,Qty,Cost\n"
        "2019-01-15,issue,=cmd|' /C calc'!A0,common,1000,0.01\n"
        "2019-01-16,issue,=cmd|' /C calc'!A0,common,250,0.01\n"
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "date: When\ntype: What\nholder: Owner\nclass: Kind\nshares: Qty\nprice: Cost\n"
    )
    code, out, err = run_cli(
        capsys, "import", "--sheet", str(path), "--map", str(mapping), "--terms", TERMS,
        "--to", str(tmp_path / "o"), "--db", str(tmp_path / "c.db"), "--name", "M",
    )  # fmt: skip
    assert code == 0, err
    assert "(given)" in out
    s = open_session(None, str(tmp_path / "c.db"), "m")
    (holder,) = s.stakeholders()
    assert holder.name == "=cmd|' /C calc'!A0"  # kept as text; every sheet out quotes it
    assert s.state().holdings[holder.id]["common"] == 1_250
