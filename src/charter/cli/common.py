"""What every command shares: the options, opening the company, printing, and errors."""

from __future__ import annotations

import datetime as dt
import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from charter.errors import CharterError, Problem
from charter.numbers import NumberError, parse_decimal
from charter.service import Session, open_session

console = Console()
err_console = Console(stderr=True)

LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger", help="A charter-ledger/1 file, loaded into a throw-away in-memory database."
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite path (default $CHARTER_DB or ./charter.db)."),
]
CompanyOpt = Annotated[
    str | None, typer.Option("--company", help="The company's id in a database holding several.")
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: the last event's date).")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Machine-readable output (spec/cli-contract.md).")
]


def parse_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise CharterError(
            [Problem(f"{value!r} is not a date in the form YYYY-MM-DD", field=option)]
        ) from e


def session(ledger: Path | None, db: str | None, company: str | None) -> Session:
    return open_session(ledger, db, company)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def report_errors(e: CharterError) -> None:
    for p in e.problems:
        err_console.print(p.sentence(), markup=False, highlight=False, soft_wrap=True)


ReadingOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reading",
        help="NAME=CHOICE: a reading of the text other than the default (docs/interpretations.md).",
    ),
]


def parse_amount(value: str, option: str) -> Fraction:
    """A non-negative amount of money written as a decimal, at most to the cent."""
    try:
        amount = parse_decimal(value.replace(",", "").replace("_", ""), option)
    except NumberError as e:
        raise CharterError(
            [Problem(f"{value!r} is not a decimal amount such as 1250000.00", field=option)]
        ) from e
    if amount < 0:
        raise CharterError([Problem(f"{value} is negative; an amount cannot be", field=option)])
    if (amount * 100).denominator != 1:
        raise CharterError(
            [Problem(f"{value} has fractions of a cent; give it to the cent", field=option)]
        )
    return amount
