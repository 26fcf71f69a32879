"""`--xlsx FILE` and `--csv FILE` on the commands whose output is a table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from charter.cli.common import console
from charter.interop.tables import Sheet

XlsxOpt = Annotated[
    Path | None,
    typer.Option("--xlsx", help="Write the tables as an Excel workbook (totals as formulas)."),
]
CsvOpt = Annotated[
    Path | None,
    typer.Option("--csv", help="Write the tables as CSV (FILE, then FILE-SHEET.csv for more)."),
]


def write_out(sheets: Sequence[Sheet], xlsx: Path | None, csv: Path | None) -> None:
    from charter.interop.workbook import write_tables  # openpyxl, only when writing

    for path in write_tables(sheets, xlsx, csv):
        console.print(f"Wrote {path}.")
