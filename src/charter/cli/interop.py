"""`charter import`: a company from an Open Cap Format package (or a spreadsheet ledger)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from charter.cli.common import CompanyOpt, DbOpt, console
from charter.errors import CharterError, Problem
from charter.interop.ocf_import import Imported, import_package
from charter.interop.ocf_package import read_package
from charter.interop.ocf_terms import GAPS
from charter.ledger.events import Company
from charter.ledger.fileformat import LedgerDoc, dump_ledger
from charter.service import load_ledger, open_store, slugify

LEDGER_FILE = "ledger.yaml"
TERMS_FILE = "terms.yaml"


def write_company(imported: Imported, to: Path, db: str | None, company: str | None) -> str:
    """The ledger (and terms) files into `to`, and the company into the database: all of it,
    or nothing. Returns the company's id."""
    for name in (LEDGER_FILE, TERMS_FILE):
        if (to / name).exists():
            raise CharterError(
                [Problem("already exists; give another folder with --to", file=str(to / name))]
            )
    doc = imported.doc
    if imported.terms_text is not None:
        doc = LedgerDoc(
            Company(name=doc.company.name, terms=TERMS_FILE), doc.stakeholders, doc.entries
        )
    with tempfile.TemporaryDirectory(prefix="charter-import-") as tmp:
        staged = Path(tmp)
        (staged / LEDGER_FILE).write_text(dump_ledger(doc), encoding="utf-8")
        if imported.terms_text is not None:
            (staged / TERMS_FILE).write_text(imported.terms_text, encoding="utf-8")
        store = open_store(db, create=True)
        session = load_ledger(store, staged / LEDGER_FILE, company)
        to.mkdir(parents=True, exist_ok=True)
        for f in staged.iterdir():
            shutil.copyfile(f, to / f.name)
    return session.company.slug


def import_command(
    ocf: Annotated[
        Path | None,
        typer.Option(
            "--ocf", help="An OCF package: a folder holding Manifest.ocf.json, or a .ocf.zip."
        ),
    ] = None,
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Where to write the ledger and terms files (default ./COMPANY)."),
    ] = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Create a company from an Open Cap Format package: its stakeholders, a terms file made
    from its stock classes (to edit: what OCF cannot express is listed as TODO), and its
    transactions as ledger events, each checked as `charter load` checks them."""
    if ocf is None:
        raise CharterError([Problem("give --ocf PATH", field="--ocf")])
    imported = import_package(read_package(ocf))
    target = to or Path(slugify(imported.doc.company.name))
    slug = write_company(imported, target, db, company)
    console.print(
        f"Imported {imported.doc.company.name} ({slug}): {len(imported.doc.stakeholders)} "
        f"stakeholders, {len(imported.doc.entries)} events; wrote {target / LEDGER_FILE}"
        + (f" and {target / TERMS_FILE}." if imported.terms_text is not None else "."),
        markup=False,
        highlight=False,
    )
    for note in imported.notes:
        console.print(f"  not carried: {note}", markup=False, highlight=False)
    if imported.made_from_classes:
        console.print(
            "The terms file needs what OCF cannot express (TODO in the file):", markup=False
        )
        for gap in GAPS:
            console.print(f"  - {gap.what}: {gap.clause}", markup=False, highlight=False)
