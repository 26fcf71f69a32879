"""Workbooks and CSV out (issue 13 §2): opened with openpyxl, their numbers are numbers with
formats, their headers frozen, and every totals formula adds up to charter's own figure."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from charter.interop.tables import Column, Sheet
from charter.interop.workbook import csv_text, workbook_bytes
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
VENTURE = str(ROOT / "examples" / "venture.yaml")
QUINTUS = str(ROOT / "examples" / "quintus.yaml")


def evaluate(ws: Worksheet, formula: str) -> Decimal:
    """A SUM formula of the workbook, computed from the cells it names."""
    m = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula)
    assert m, formula
    total = Decimal(0)
    for row in ws[f"{m.group(1)}{m.group(2)}:{m.group(3)}{m.group(4)}"]:
        for cell in row:
            if cell.value is not None:
                assert isinstance(cell.value, int | float | Decimal), cell.coordinate
                total += Decimal(str(cell.value))
    return total


def header_row(ws: Worksheet) -> int:
    return int(ws.freeze_panes[1:]) - 1


def totals(ws: Worksheet) -> dict[str, Decimal]:
    """Column title -> the value of its totals formula."""
    h = header_row(ws)
    titles = {c.column: c.value for c in ws[h]}
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "Total"
    return {
        titles[c.column]: evaluate(ws, c.value)
        for c in ws[last]
        if isinstance(c.value, str) and c.value.startswith("=")
    }


def test_captable_workbook_totals_equal_the_cap_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Northwind (examples/venture.yaml), by hand: common 4,000,000 + 2,000,000 = 6,000,000;
    Series A 4,000,000, B 2,000,000, C 2,000,000; options 600,000 + 300,000 + 100,000 =
    1,000,000; as converted 6,000,000 + 8,000,000 = 14,000,000, fully diluted 15,000,000."""
    out = tmp_path / "ct.xlsx"
    code, _, err = run_cli(capsys, "captable", "--ledger", VENTURE, "--xlsx", str(out))
    assert code == 0, err
    wb = load_workbook(out)
    assert wb.sheetnames == ["Classes", "Holders", "Grants"]
    holders = wb["Holders"]
    assert totals(holders) == {
        "Common Stock": 6_000_000, "Series A Preferred Stock": 4_000_000,
        "Series B Preferred Stock": 2_000_000, "Series C Preferred Stock": 2_000_000,
    }  # fmt: skip
    assert totals(wb["Classes"]) == {"As converted": 14_000_000}
    assert totals(wb["Grants"]) == {"Outstanding": 1_000_000}
    classes = wb["Classes"]
    h = header_row(classes)
    first = classes.cell(row=h + 1, column=3)
    assert isinstance(first.value, int) and first.number_format == "#,##0"
    assert classes.cell(row=2, column=1).value == "As of 2021-10-01"
    assert classes.cell(row=h + 1, column=6).value == "Art. IV.A"  # the clause column
    price = wb["Grants"].cell(row=header_row(wb["Grants"]) + 1, column=6)
    assert price.value == Decimal("0.5") or price.value == 0.5
    assert price.number_format == "#,##0.000000"


def test_waterfall_workbook_each_exit_totals_the_exit_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Art. IV.B.2: the holders' amounts (net of exercise prices) add up to the exit value,
    to the cent, for each exit given: 60,000,000.00 and 12,500,000.00 here."""
    out = tmp_path / "wf.xlsx"
    code, _, err = run_cli(
        capsys, "waterfall", "--ledger", QUINTUS, "--exit", "60000000", "--exit", "12500000",
        "--xlsx", str(out),
    )  # fmt: skip
    assert code == 0, err
    ws = load_workbook(out)["Holders"]
    assert totals(ws) == {
        "Exit 60000000.00": Decimal("60000000.00"),
        "Exit 12500000.00": Decimal("12500000.00"),
    }
    cell = ws.cell(row=header_row(ws) + 1, column=3)
    assert cell.number_format == "#,##0.00"
    notes = [ws.cell(row=r, column=1).value for r in range(2, header_row(ws))]
    assert any(str(n).startswith("Readings") for n in notes)


def test_votes_and_stockholder_list_workbooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Art. IV.B.5(c): the votes by holder total the company's votes (charter votes --json's
    `total`); the stockholder list (Bylaws Art. II §7) totals each class's shares."""
    code, out, _ = run_cli(capsys, "votes", "--ledger", VENTURE, "--json")
    import json

    expected = json.loads(out)
    path = tmp_path / "v.xlsx"
    code, _, err = run_cli(capsys, "votes", "--ledger", VENTURE, "--xlsx", str(path))
    assert code == 0, err
    # by hand: 6,000,000 common + 8,000,000 preferred at one vote per common share
    assert expected["total"] == 14_000_000
    assert totals(load_workbook(path)["Votes by holder"])["Votes"] == 14_000_000
    path = tmp_path / "s.xlsx"
    code, _, err = run_cli(
        capsys, "stockholder-list", "--ledger", VENTURE, "--record-date", "2021-10-01",
        "--xlsx", str(path),
    )  # fmt: skip
    assert code == 0, err
    assert totals(load_workbook(path)["Stockholders"])["Common Stock"] == 6_000_000


def test_conversion_prices_and_curve_workbooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Conversion prices: one row per series with its clause, the history beside. Curve: a
    holder's amount at a point is the number `charter curve --json` gives."""
    path = tmp_path / "cp.xlsx"
    code, _, err = run_cli(capsys, "conversion-prices", "--ledger", QUINTUS, "--xlsx", str(path))
    assert code == 0, err
    wb = load_workbook(path)
    assert wb.sheetnames == ["Conversion prices", "History"]
    path = tmp_path / "cv.xlsx"
    code, _, err = run_cli(
        capsys, "curve", "--ledger", VENTURE, "--from", "0", "--to", "40000000",
        "--xlsx", str(path),
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run_cli(
        capsys, "curve", "--ledger", VENTURE, "--from", "0", "--to", "40000000", "--json"
    )
    import json

    data = json.loads(out)
    ws = load_workbook(path)["Holders"]
    h = header_row(ws)
    names = [ws.cell(row=h, column=c).value for c in range(1, ws.max_column + 1)]
    # Ada Founder (founder-1) at the exit of 40,000,000.00, the last point of the curve
    last = data["holders"]["founder-1"][-1]
    row = next(
        r for r in range(h + 1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value == float(last["exit"])
        and ws.cell(row=r, column=2).value == last["side"]
    )  # fmt: skip
    cell = ws.cell(row=row, column=names.index("Ada Founder") + 1)
    assert Decimal(str(cell.value)) == Decimal(last["amount"])
    assert cell.number_format == "#,##0.00"


def test_csv_quotes_a_cell_that_would_be_a_formula() -> None:
    """A holder named `=HYPERLINK(...)` (or starting +, -, @) stays text in CSV (a leading
    apostrophe) and is written as a string cell, never a formula, in the workbook."""
    sheet = Sheet(
        "Holders",
        "Holders",
        [Column("Holder"), Column("Shares", "shares", total=True)],
        rows=[['=HYPERLINK("http://x")', 5], ["+1", 6], ["@SUM(A1)", 7], ["-2", 8], ["ok", 9]],
    )
    rows = list(csv.reader(csv_text(sheet).splitlines()))
    assert [r[0] for r in rows[1:]] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "'-2", "ok",
    ]  # fmt: skip
    import io

    ws = load_workbook(io.BytesIO(workbook_bytes([sheet])))["Holders"]
    h = header_row(ws)
    cell = ws.cell(row=h + 1, column=1)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert totals(ws) == {"Shares": 35}


def test_grants_workbook_totals_equal_the_grants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Northwind's options (examples/venture.yaml), by hand: opt-1 600,000 at $0.50, opt-2
    300,000 at $2.00, opt-3 100,000 at $8.00, none on a schedule (vested and exercisable in
    full), none exercised: granted, vested, exercisable and outstanding each total
    600,000 + 300,000 + 100,000 = 1,000,000; each totals formula equals the sum of
    `charter grants --json`'s figures."""
    import json

    code, out, err = run_cli(capsys, "grants", "--ledger", VENTURE, "--json")
    assert code == 0, err
    data = json.loads(out)
    path, flat = tmp_path / "g.xlsx", tmp_path / "g.csv"
    code, _, err = run_cli(
        capsys, "grants", "--ledger", VENTURE, "--xlsx", str(path), "--csv", str(flat)
    )
    assert code == 0, err
    ws = load_workbook(path)["Grants"]
    got = totals(ws)
    for title, key in (("Granted", "granted"), ("Vested", "vested"),
                       ("Exercisable", "exercisable"), ("Exercised", "exercised"),
                       ("Lapsed", "lapsed"), ("Outstanding", "outstanding")):  # fmt: skip
        assert got[title] == sum(g[key] for g in data["grants"].values()), title
    assert got["Granted"] == got["Outstanding"] == got["Vested"] == 1_000_000
    assert got["Exercised"] == 0
    h = header_row(ws)
    price = ws.cell(row=h + 2, column=8)
    assert Decimal(str(price.value)) == Decimal("2") and price.number_format.endswith("0.000000")
    rows = list(csv.reader(flat.read_text().splitlines()))
    assert rows[2][:2] == ["opt-1", "emp-1"]


SECTION_2 = [
    ["captable"],
    ["waterfall", "--exit", "60000000", "--exit", "100000000"],
    ["curve", "--from", "0", "--to", "100000000"],
    ["conversion-prices"],
    ["votes"],
    ["grants"],
    ["stockholder-list", "--record-date", "2021-10-01"],
]


@pytest.mark.parametrize("args", SECTION_2, ids=lambda a: a[0])
def test_every_table_of_section_2_writes_a_workbook_and_csv(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13 §2's commands each take --xlsx and --csv: the workbook opens, every sheet
    has its header frozen, an as-of (or record) date, numbers as numbers, and a totals row
    of SUM formulas over numeric cells; the CSV is written beside it."""
    path, flat = tmp_path / "t.xlsx", tmp_path / "t.csv"
    code, _, err = run_cli(
        capsys, *args, "--ledger", VENTURE, "--xlsx", str(path), "--csv", str(flat)
    )
    assert code == 0, err
    assert flat.exists()
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None, ws.title
        notes = [str(ws.cell(row=r, column=1).value) for r in range(2, header_row(ws))]
        assert any(n.startswith(("As of", "Record date")) for n in notes), ws.title
        if ws.cell(row=ws.max_row, column=1).value == "Total":
            assert totals(ws), ws.title
