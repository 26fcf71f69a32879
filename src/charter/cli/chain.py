"""The chain's server key and cached states: `charter key show`, `charter cache rebuild`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from charter.cli.common import CompanyOpt, DbOpt, console, deferred

if TYPE_CHECKING:
    from charter import service
else:
    service = deferred("charter.service")

key_app = typer.Typer(help="The server key that signs the chain's checkpoints.")
cache_app = typer.Typer(help="The states cached from the events (derived data).")


@key_app.command("show")
def show(db: DbOpt = None) -> None:
    """Where the server key is, its id, and its public key (PEM): give the public key to an
    auditor, who checks a database with `charter verify --public-key FILE`."""
    store = service.open_store(db)
    key = store.key
    console.print(f"Server key {key.key_id} in {store.key_path}.")
    typer.echo(key.public_pem(), nl=False)


@cache_app.command("rebuild")
def rebuild(db: DbOpt = None, company: CompanyOpt = None) -> None:
    """Delete the company's cached states and cache them again from a replay of its checked
    events (a read never writes one)."""
    s = service.open_company(db, company)
    n = s.rebuild_cache()
    console.print(
        f"Cached {n} state{'s' if n != 1 else ''} of {s.company.slug}.",
    )
