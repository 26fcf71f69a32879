"""Sheets (`tables.py`) as an Excel workbook (openpyxl) or CSV files.

Workbook: one sheet per table; a title, the as-of date and the readings above a frozen
header; real numbers with number formats (thousands separators; money to two decimals,
per-share figures to six); a totals row of SUM formulas. Text from the ledger (a holder's
name) is always written as text, never as a formula, each control character in it as its
escape (charter.printable: a workbook cannot hold them). CSV: a text cell beginning with `=`,
`+`, `-`, `@` (or a tab or carriage return) is quoted with a leading apostrophe, so that a
spreadsheet opening it does not run it (formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from charter.errors import CharterError, Problem
from charter.interop.tables import Column, Sheet
from charter.printable import shown

FORMATS = {
    "shares": "#,##0",
    "money": "#,##0.00",
    "price": "#,##0.000000",
    "date": "yyyy-mm-dd",
}
INJECTION = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


def safe_text(value: str) -> str:
    """A CSV's text cell, which a spreadsheet will not read as a formula, its control
    characters shown as their escapes (charter.printable)."""
    value = shown(value)
    return "'" + value if value.startswith(INJECTION) else value


def _cell_value(col: Column, value: Any) -> Any:
    if col.kind in ("shares",) and isinstance(value, int):
        return value
    if col.kind in ("money", "price") and isinstance(value, Decimal):
        return value
    if col.kind == "date" and isinstance(value, str):
        import datetime as dt

        return dt.date.fromisoformat(value)
    return shown(value) if isinstance(value, str) else value


def _write_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.name[:31])
    ws.cell(row=1, column=1, value=shown(sheet.title)).font = Font(bold=True, size=13)
    for i, note in enumerate(sheet.notes, start=2):
        cell = ws.cell(row=i, column=1, value=shown(note))
        cell.data_type = "s"
    header = len(sheet.notes) + 3
    for j, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header, column=j, value=shown(col.title))
        cell.data_type = "s"
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(48, len(col.title) + 4))
    first = header + 1
    for i, row in enumerate(sheet.rows, start=first):
        for j, (col, value) in enumerate(zip(sheet.columns, row, strict=True), start=1):
            cell = ws.cell(row=i, column=j, value=_cell_value(col, value))
            if isinstance(value, str) and col.kind != "date":
                cell.data_type = "s"  # a name beginning with '=' stays text
            elif col.kind in FORMATS:
                cell.number_format = FORMATS[col.kind]
    last = first + len(sheet.rows) - 1
    if sheet.has_totals and sheet.rows:
        total_row = last + 1
        ws.cell(row=total_row, column=1, value="Total").font = BOLD
        for j, col in enumerate(sheet.columns, start=1):
            if col.total:
                letter = get_column_letter(j)
                cell = ws.cell(
                    row=total_row, column=j, value=f"=SUM({letter}{first}:{letter}{last})"
                )
                cell.number_format = FORMATS[col.kind]
                cell.font = BOLD
    ws.freeze_panes = ws.cell(row=first, column=1)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for sheet in sheets:
        _write_sheet(wb, sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(sheet: Sheet) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for note in sheet.notes:
        w.writerow([safe_text(note)])
    w.writerow([safe_text(c.title) for c in sheet.columns])
    for row in sheet.rows:
        w.writerow([safe_text(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def write_tables(sheets: Sequence[Sheet], xlsx: Path | None, csv_path: Path | None) -> list[Path]:
    """The workbook and/or the CSV files (one per sheet: FILE, then FILE-SHEET.csv)."""
    written: list[Path] = []
    try:
        if xlsx is not None:
            xlsx.write_bytes(workbook_bytes(sheets))
            written.append(xlsx)
        if csv_path is not None:
            for i, sheet in enumerate(sheets):
                slug = sheet.name.lower().replace(" ", "-")
                path = csv_path if i == 0 else csv_path.with_name(f"{csv_path.stem}-{slug}.csv")
                path.write_text(csv_text(sheet), encoding="utf-8")
                written.append(path)
    except OSError as e:
        raise CharterError([Problem(f"cannot write: {e.strerror}", file=e.filename)]) from e
    return written
