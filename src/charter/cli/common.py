"""What every command shares: the options (each declared once, here, with its help), opening
the company, printing, and errors.

A command module is imported to show its own `--help`, so it must be cheap to import: it
names the core modules it works with through `deferred`, which imports a module when the
command first uses it (the database layer only for a command that opens a database, NumPy
only for the curve)."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from charter.errors import CharterError
from charter.lazy import deferred as deferred
from charter.printable import shown
from charter.views.inputs import parse_amount as parse_amount
from charter.views.inputs import parse_date as parse_date

if TYPE_CHECKING:
    from charter import ledger_file, service
    from charter.ledger_file import LedgerFile
    from charter.service import Session
else:
    ledger_file = deferred("charter.ledger_file")
    service = deferred("charter.service")


class DataConsole(Console):
    """A console for data (names, ids, notes read from a ledger or a database): a control
    character in a text is shown as its escape (charter.printable), on every text printed
    and every cell of a table, so that no name orders the terminal about."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(shown(text), **kwargs)


# What is printed is data: no console markup (a name written `[link=...]` or `[bold]` prints
# as written, it styles nothing), no emoji codes (`:smile:` prints as written; rich's table of
# codes is not loaded), and no highlighting (rich's guess, by regular expressions run over
# every cell, at which parts of a text are numbers, dates or strings: a figure is not
# coloured by a guess at what it is).
console = DataConsole(emoji=False, markup=False, highlight=False)
err_console = DataConsole(stderr=True, emoji=False, markup=False, highlight=False)

LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        metavar="FILE",
        help="A charter-ledger/1 file, read and checked whole, without a database (nothing is stored).",
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL or SQLite path (default $CHARTER_DB or ./charter.db).",
    ),
]
CompanyOpt = Annotated[
    str | None,
    typer.Option("--company", metavar="ID", help="The company's id in a database holding several."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="YYYY-MM-DD (default: the last event's date)."),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Machine-readable output (spec/cli-contract.md).")
]


PYTHON_GC_THRESHOLDS = gc.get_threshold()
"""The cyclic collector's thresholds as Python sets them (`charter serve` runs with these)."""


@contextmanager
def one_command() -> Iterator[None]:
    """A command runs once and exits, and most of what it makes (modules, classes, pydantic's
    validators, the ledger read and the state replayed) lives until then: little of it is
    cyclic garbage. The cyclic collector, which would walk each object soon after it is made
    and the survivors again and again (5-8% of a tour command's CPU time, issue 15), waits
    for a million new objects rather than 700: it does not run in a command on a ledger file,
    and still does in one that works through a large database. At the end what the command
    made is frozen, so that neither the collector's passes at exit nor its thresholds put
    back (for a caller that goes on) walk it again."""
    gc.set_threshold(1_000_000)
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(*PYTHON_GC_THRESHOLDS)


def session(ledger: Path | None, db: str | None, company: str | None) -> Session | LedgerFile:
    """The company a command works on: `--ledger FILE` (read without a database), or one in
    the configured database."""
    if ledger is not None:
        return ledger_file.read_ledger_file(ledger)
    return service.open_session(None, db, company)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def report_errors(e: CharterError) -> None:
    for p in e.problems:
        err_console.print(p.sentence(), soft_wrap=True)


ReadingOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reading",
        metavar="NAME=CHOICE",
        help="A reading of the text other than its default (docs/interpretations.md); repeatable.",
    ),
]
