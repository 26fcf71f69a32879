"""Commands over the ledger itself: init, load, export, history, verify."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

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
    parse_date,
    print_json,
    session,
)
from charter.errors import CharterError, Problem
from charter.ledger.events import event_to_dict
from charter.ledger.fileformat import Entry, with_lines
from charter.service import database_url, load_ledger, open_store

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
    store = open_store(db, create=True)
    url = database_url(db)
    if example and not store.companies():
        s = load_ledger(store, EXAMPLE)
        console.print(f"Created {url} with {s.company.name} from {EXAMPLE.name}.")
    else:
        console.print(f"Database {url} is ready ({len(store.companies())} companies).")


def load(
    file: Annotated[Path, typer.Argument(help="A charter-ledger/1 file (YAML or JSON).")],
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Load a ledger file as a new company: every event is checked; nothing is written if any
    is wrong."""
    store = open_store(db, create=True)
    s = load_ledger(store, file, company)
    n = store.last_sequence(s.company)
    console.print(f"Loaded {s.company.name} ({s.company.slug}): {n} events.")


def record(
    file: Annotated[
        Path,
        typer.Argument(
            help="YAML or JSON: events as in a ledger file's `events:` list, and optionally "
            "`stakeholders:` (new ones; an existing one changed only with `edit: true`)."
        ),
    ],
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Append events (and stakeholders) to a company's ledger: each is checked against the
    whole ledger before it; all are written, as one batch, or none."""
    data = read_data(file, "FILE")
    holders: Any = []
    if isinstance(data, dict) and ("events" in data or "stakeholders" in data):
        unknown = sorted(set(data) - {"events", "stakeholders"})
        if unknown:
            raise CharterError(
                [
                    Problem(
                        f"unknown keys {unknown}; expected events and stakeholders", file=str(file)
                    )
                ]
            )
        events = data.get("events") or []
        holders = data.get("stakeholders") or []
    else:
        events = data
    if isinstance(events, dict):
        events = [events]
    if (
        not isinstance(events, list)
        or not isinstance(holders, list)
        or not (events or holders)
        or not all(isinstance(e, dict) for e in events)
    ):
        raise CharterError(
            [
                Problem(
                    "must hold an event, a list of events, or events: [...] (with "
                    "stakeholders: [...])",
                    file=str(file),
                )
            ]
        )
    s = session(None, db, company)
    source = str(file)
    first = s.store.last_sequence(s.company) + 1
    try:
        written = s.append(events, source=source, raw_stakeholders=holders)
    except CharterError as e:
        # name each event by its position in the file (it has no sequence number yet)
        located = [
            replace(p, index=p.index - first)
            if p.index is not None and p.index >= first and p.file == source
            else p
            for p in e.problems
        ]
        text = file.read_text(encoding="utf-8")
        raise CharterError(with_lines(located, text, source)) from None
    added = f" and {len(holders)} stakeholder{'s' if len(holders) != 1 else ''}" if holders else ""
    span = f" (sequence {written[0]}–{written[-1]})" if written else ""
    console.print(
        f"Recorded {len(written)} event{'s' if len(written) != 1 else ''}{added} for "
        f"{s.company.name}{span}.",
        markup=False,
        highlight=False,
    )


def export(
    file: Annotated[
        Path | None, typer.Argument(help="Where to write the ledger ('-' for stdout).")
    ] = None,
    ocf: Annotated[
        Path | None,
        typer.Option(
            "--ocf", help="Write an Open Cap Format package instead: a folder, or PATH.ocf.zip."
        ),
    ] = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    """Export a company's ledger as a charter-ledger/1 file (loss-free), or as an Open Cap
    Format package with the terms beside it (--ocf)."""
    if ocf is not None:
        from charter.interop.ocf_write import write_package  # only this command needs it

        written = write_package(session(ledger, db, company), ocf)
        console.print(f"Wrote {ocf} ({written} files).")
        return
    if file is None:
        raise CharterError([Problem("give FILE, or --ocf PATH", field="FILE")])
    text = session(ledger, db, company).export()
    if str(file) == "-":
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as e:
        raise CharterError([Problem(f"cannot write: {e.strerror}", file=str(file))]) from e
    console.print(f"Wrote {file}.")


def history_json(entries: list[Entry]) -> list[dict[str, Any]]:
    """The shape of `charter history --json`: each event as written, with its sequence."""
    return [{"sequence": e.index, **event_to_dict(e.event)} for e in entries]


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
        print_json(history_json(entries))
        return
    table = Table("#", "date", "type", "id", "details", title="Ledger history")
    for e in entries:
        d = event_to_dict(e.event)
        details = ", ".join(
            f"{k}={v}" for k, v in d.items() if k not in ("date", "type", "id", "note")
        )
        table.add_row(str(e.index), d["date"], d["type"], d.get("id") or "", details)
    console.print(table)


def verify(db: DbOpt = None, company: CompanyOpt = None) -> None:
    """Recompute the hash chain of the stored events and report the first broken link."""
    s = session(None, db, company)
    result = s.store.verify(s.company)
    if result.first_broken is not None:
        raise CharterError(
            [
                Problem(
                    f"the hash chain is broken at event {result.first_broken}: {result.reason}",
                    file=database_url(db),
                )
            ]
        )
    console.print(f"The hash chain of {result.events} events is intact.")
