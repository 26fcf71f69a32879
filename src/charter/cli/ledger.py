"""Commands over the ledger itself: init, load, export, history, verify."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    err_console,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.errors import CharterError, Problem
from charter.views import figures

if TYPE_CHECKING:
    from charter import service
    from charter.ledger import chain as chain_ledger
    from charter.ledger import events as events_ledger
    from charter.ledger import fileformat as fileformat_ledger
    from charter.ledger import keys as keys_ledger
    from charter.views import history as history_view
else:
    history_view = deferred("charter.views.history")
    events_ledger = deferred("charter.ledger.events")
    fileformat_ledger = deferred("charter.ledger.fileformat")
    chain_ledger = deferred("charter.ledger.chain")
    keys_ledger = deferred("charter.ledger.keys")
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
    """Create the database (or bring its schema up to date) and the server key that signs
    its checkpoints (a file beside it, or $CHARTER_KEY_FILE; mode 0600)."""
    store = service.open_store(db)
    created = not store.key_path.exists()
    store.create_schema()
    url = service.database_url(db)
    if created:
        console.print(f"Created the server key {store.key_path} (key {store.key.key_id}).")
    for c in store.companies():  # a database made before checkpoints: sign its heads
        signed = store.sign_head(c)
        if signed is not None:
            console.print(f"Signed the existing chain of {c.slug}: {signed.line()}.")
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
    head = store.checkpoint(s.company)
    n = head.sequence if head else 0
    console.print(f"Loaded {s.company.name} ({s.company.slug}): {n} events.")
    if head is not None:
        console.print(head.line() + ".")


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
    receipt: Annotated[
        Path | None,
        typer.Option(
            "--receipt",
            help="Write the append's signed checkpoint here (JSON), to check later with "
            "`charter verify --receipt FILE`.",
        ),
    ] = None,
) -> None:
    """Append events (and stakeholders) to a company's ledger: each is checked against the
    whole ledger before it; all are written, as one batch, or none. Prints the signed
    checkpoint of the new head (the receipt)."""
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
    s = service.open_company(db, company)
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
        raise CharterError(fileformat_ledger.with_lines(located, text, source)) from None
    added = f" and {len(holders)} stakeholder{'s' if len(holders) != 1 else ''}" if holders else ""
    span = f" (sequence {written[0]}–{written[-1]})" if written else ""
    console.print(
        f"Recorded {len(written)} event{'s' if len(written) != 1 else ''}{added} for "
        f"{s.company.name}{span}.",
    )
    if s.receipt is not None:
        console.print(s.receipt.line() + ".")
    if receipt is not None and s.receipt is not None:
        write_text(receipt, json.dumps(s.receipt.receipt(), indent=2) + "\n")
        console.print(f"Wrote the receipt to {receipt}.")


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
    """Export a company's ledger as a charter-ledger/1 file (loss-free), and show the latest
    signed checkpoint of its chain (on stderr when the ledger goes to stdout); or an Open Cap
    Format package with the terms beside it (--ocf)."""
    s = session(ledger, db, company)
    if ocf is not None:
        from charter.interop.ocf_write import write_package  # only this command needs it

        written = write_package(s, ocf)
        console.print(f"Wrote {ocf} ({written} files).")
        return
    if file is None:
        raise CharterError([Problem("give FILE, or --ocf PATH", field="FILE")])
    text = s.export()
    head = s.checkpoint() if isinstance(s, service.Session) else None
    line = "" if head is None else f"Latest {head.line()}."
    if str(file) == "-":
        typer.echo(text, nl=False)
        if line:
            err_console.print(line)
        return
    write_text(file, text)
    console.print(f"Wrote {file}.")
    if line:
        console.print(line)


def write_text(file: Path, text: str) -> None:
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as e:
        raise CharterError([Problem(f"cannot write: {e.strerror}", file=str(file))]) from e


def history(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The ledger's events in order."""
    until = parse_date(as_of)
    s = session(ledger, db, company)
    entries = s.entries(until)
    if json_out:
        print_json(history_view.history_json(entries))
        return
    state = s.state(until)
    named = {c.id: f"{c.name} ({c.id})" for c in state.certificate.classes}
    named.update({h: figures.holder_name(state, h) for h in state.stakeholders})
    table = Table("#", "date", "type", "id", "details", title="Ledger history")
    for e in entries:
        d = events_ledger.event_to_dict(e.event)
        details = "; ".join(
            f"{k.replace('_', ' ')} {spoken(v, named)}"
            for k, v in d.items()
            if k not in ("date", "type", "id", "note")
        )
        table.add_row(str(e.index), d["date"], d["type"], d.get("id") or "", details)
    show(table)


def spoken(value: object, named: Mapping[str, str]) -> str:
    """A field of an event as words: a share count grouped (`2,500,000`), a mapping as `key
    value` pairs, a list joined by commas, a class or a holder by name with the id the
    ledger wrote (`named`); never a Python literal."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(
            f"{named.get(k, k.replace('_', ' '))} {spoken(v, named)}" for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(spoken(v, named) for v in value)
    return named.get(str(value), str(value))


def verify(
    db: DbOpt = None,
    company: CompanyOpt = None,
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="Verify the signatures with this public key (`charter key show`) instead of "
            "the server key: an auditor needs no secret.",
        ),
    ] = None,
    receipt: Annotated[
        Path | None,
        typer.Option(
            "--receipt",
            help="A receipt kept from an append (`charter record --receipt`): check that the "
            "database still holds everything up to it.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Recompute the hash chain of the stored events; check every signed checkpoint and
    cached state, and a receipt if given. Reports every finding, the first broken link
    first; exits non-zero if any."""
    s = service.open_company(db, company)
    key = keys_ledger.ServerKey.load(public_key) if public_key is not None else s.store.key
    result = s.store.verify(s.company, key)
    if receipt is not None:
        kept = chain_ledger.Checkpoint.read_receipt(receipt)
        result.problems.extend(s.store.verify_receipt(s.company, kept, key))
    if json_out:
        print_json(
            {
                "events": result.events,
                "intact": result.intact,
                "first_broken": result.first_broken,
                "message": result.summary(),
                "checkpoints": result.checkpoints,
                "latest_checkpoint": None if result.latest is None else result.latest.receipt(),
                "cached_states": result.cached_states,
                "problems": result.problems,
            }
        )
        if not result.intact:
            raise typer.Exit(1)
        return
    if not result.intact:
        raise CharterError([Problem(p, file=service.database_url(db)) for p in result.problems])
    console.print(result.summary())
    if receipt is not None:
        console.print(
            f"The database holds everything up to the receipt ({kept.line()}).",
        )
