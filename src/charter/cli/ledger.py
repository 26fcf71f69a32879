"""Commands over the ledger itself: init, load, export, history, verify."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from charter.cli.approvals import read_data
from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    console,
    deferred,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.errors import CharterError, Problem

if TYPE_CHECKING:
    from charter import service
    from charter.ledger import events as events_ledger
    from charter.views import history as history_view
else:
    history_view = deferred("charter.views.history")
    events_ledger = deferred("charter.ledger.events")
    service = deferred("charter.service")

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "quintus.yaml"


def init(
    db: DbOpt = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example", help="Load examples/quintus.yaml if the database holds no company."
        ),
    ] = False,
) -> None:
    """Create the database (or bring its schema up to date)."""
    store = service.open_store(db, create=True)
    url = service.database_url(db)
    if example and not store.companies():
        s = service.load_ledger(store, EXAMPLE)
        console.print(f"Created {url} with {s.company.name} from {EXAMPLE.name}.")
    else:
        n = len(store.companies())
        console.print(f"Database {url} is ready ({n} {'company' if n == 1 else 'companies'}).")


def load(
    file: Annotated[Path, typer.Argument(help="A charter-ledger/1 file (YAML or JSON).")],
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Load a ledger file as a new company: every event is checked; nothing is written if any
    is wrong."""
    store = service.open_store(db, create=True)
    s = service.load_ledger(store, file, company)
    n = store.last_sequence(s.company)
    console.print(f"Loaded {s.company.name} ({s.company.slug}): {n} events.")


def record(
    file: Annotated[
        Path, typer.Argument(help="YAML or JSON: events as in a ledger file's `events:` list.")
    ],
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Append events to a company's ledger: each is checked against the whole ledger before
    it; all are written, as one batch, or none."""
    data = read_data(file, "FILE")
    events = data.get("events") if isinstance(data, dict) and "events" in data else data
    if isinstance(events, dict):
        events = [events]
    if not isinstance(events, list) or not events or not all(isinstance(e, dict) for e in events):
        raise CharterError(
            [Problem("must hold an event, a list of events, or events: [...]", file=str(file))]
        )
    s = session(None, db, company)
    written = s.append(events, source=f"charter record {file.name}")
    console.print(
        f"Recorded {len(written)} event{'s' if len(written) != 1 else ''} for "
        f"{s.company.name} (sequence {written[0]}–{written[-1]})."
    )


def export(
    file: Annotated[Path, typer.Argument(help="Where to write the ledger ('-' for stdout).")],
    db: DbOpt = None,
    company: CompanyOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Export a company's ledger as a charter-ledger/1 file (loss-free)."""
    text = session(ledger, db, company).export()
    if str(file) == "-":
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as e:
        raise CharterError([Problem(f"cannot write: {e.strerror}", file=str(file))]) from e
    console.print(f"Wrote {file}.")


def history(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The ledger's events in order."""
    until = parse_date(as_of)
    entries = session(ledger, db, company).entries(until)
    if json_out:
        print_json(history_view.history_json(entries))
        return
    table = Table("#", "date", "type", "id", "details", title="Ledger history")
    for e in entries:
        d = events_ledger.event_to_dict(e.event)
        details = "; ".join(
            f"{k.replace('_', ' ')} {spoken(v)}"
            for k, v in d.items()
            if k not in ("date", "type", "id", "note")
        )
        table.add_row(str(e.index), d["date"], d["type"], d.get("id") or "", details)
    show(table)


def spoken(value: object) -> str:
    """A field of an event as words: a share count grouped (`2,500,000`), a mapping as `key
    value` pairs, a list joined by commas; never a Python literal."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {spoken(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(spoken(v) for v in value)
    return str(value)


def verify(db: DbOpt = None, company: CompanyOpt = None) -> None:
    """Recompute the hash chain of the stored events and report the first broken link."""
    s = service.open_company(db, company)
    result = s.store.verify(s.company)
    if result.first_broken is not None:
        raise CharterError(
            [
                Problem(
                    f"the hash chain is broken at event {result.first_broken}: {result.reason}",
                    file=service.database_url(db),
                )
            ]
        )
    console.print(f"The hash chain of {result.events} events is intact.")
