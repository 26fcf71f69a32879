"""`charter import`: a company from an Open Cap Format package (or a spreadsheet ledger)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from charter.cli.approvals import read_data
from charter.cli.common import CompanyOpt, DbOpt, console, deferred
from charter.errors import CharterError, Problem

if TYPE_CHECKING:
    from charter import service
    from charter.interop import ocf_terms
    from charter.ledger import events as events_ledger
    from charter.ledger import fileformat as fileformat_ledger
    from charter.ledger.fileformat import LedgerDoc
    from charter.terms import loader as terms_loader
else:
    service = deferred("charter.service")
    ocf_terms = deferred("charter.interop.ocf_terms")
    events_ledger = deferred("charter.ledger.events")
    fileformat_ledger = deferred("charter.ledger.fileformat")
    terms_loader = deferred("charter.terms.loader")

LEDGER_FILE = "ledger.yaml"
TERMS_FILE = "terms.yaml"


def write_company(
    doc: LedgerDoc, terms_text: str | None, to: Path, db: str | None, company: str | None
) -> str:
    """The ledger (and terms) files into `to`, and the company into the database: all of it,
    or nothing. Returns the company's id."""
    for name in (LEDGER_FILE, TERMS_FILE):
        if (to / name).exists():
            raise CharterError(
                [Problem("already exists; give another folder with --to", file=str(to / name))]
            )
    if terms_text is not None:
        doc = fileformat_ledger.LedgerDoc(
            events_ledger.Company(name=doc.company.name, terms=TERMS_FILE),
            doc.stakeholders,
            doc.entries,
        )
    with tempfile.TemporaryDirectory(prefix="charter-import-") as tmp:
        staged = Path(tmp)
        (staged / LEDGER_FILE).write_text(fileformat_ledger.dump_ledger(doc), encoding="utf-8")
        if terms_text is not None:
            (staged / TERMS_FILE).write_text(terms_text, encoding="utf-8")
        store = service.open_store(db, create=True)
        session = service.load_ledger(store, staged / LEDGER_FILE, company)
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
    sheet: Annotated[
        Path | None,
        typer.Option("--sheet", help="A stock ledger in a spreadsheet (.xlsx or .csv)."),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map", help="YAML: our field -> the sheet's column (docs/sheet-mapping.md)."
        ),
    ] = None,
    terms: Annotated[
        str | None,
        typer.Option("--terms", help="With --sheet: a built-in terms set or a terms file."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="With --sheet: the company's name.")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --sheet: the guessed column mapping is right.")
    ] = False,
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Where to write the ledger and terms files (default ./COMPANY)."),
    ] = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Create a company from an Open Cap Format package (--ocf: its stakeholders, a terms
    file made from its stock classes, with what OCF cannot express as TODO, and its
    transactions as ledger events) or from a spreadsheet ledger (--sheet, under --terms).
    Every event is checked as `charter load` checks it; nothing is written if any is wrong."""
    if (ocf is None) == (sheet is None):
        raise CharterError([Problem("give --ocf PATH or --sheet FILE", field="--ocf")])
    if sheet is not None:
        import_sheet(sheet, map_file, terms, name, yes, to, db, company)
        return
    assert ocf is not None
    from charter.interop.ocf_import import import_package  # jsonschema, only when importing
    from charter.interop.ocf_package import read_package

    imported = import_package(read_package(ocf))
    target = to or Path(service.slugify(imported.doc.company.name))
    slug = write_company(imported.doc, imported.terms_text, target, db, company)
    say(
        f"Imported {imported.doc.company.name} ({slug}): {len(imported.doc.stakeholders)} "
        f"stakeholders, {len(imported.doc.entries)} events; wrote {target / LEDGER_FILE}"
        + (f" and {target / TERMS_FILE}." if imported.terms_text is not None else ".")
    )
    for note in imported.notes:
        say(f"  not carried: {note}")
    if imported.made_from_classes:
        say("The terms file needs what OCF cannot express (TODO in the file):")
        for gap in ocf_terms.GAPS:
            say(f"  - {gap.what}: {gap.clause}")


def say(text: str) -> None:
    console.print(text)


def import_sheet(
    path: Path,
    map_file: Path | None,
    terms_ref: str | None,
    name: str | None,
    yes: bool,
    to: Path | None,
    db: str | None,
    company: str | None,
) -> None:
    """`--sheet`: the mapping guessed (and printed to confirm) or given; then the ledger."""
    from charter.interop.sheet_import import guess_mapping, mapping_lines, read_rows, sheet_ledger

    if terms_ref is None:
        raise CharterError(
            [
                Problem(
                    "a spreadsheet carries no terms: give --terms (e.g. quintus)", field="--terms"
                )
            ]
        )
    terms_path = Path(terms_ref)
    ref = terms_ref if not terms_path.exists() else str(terms_path.resolve())
    terms = terms_loader.resolve_terms(ref)
    mapping = None
    if map_file is not None:
        data = read_data(map_file, "--map")
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise CharterError(
                [Problem("must map our fields to the sheet's column titles", file=str(map_file))]
            )
        mapping = {str(k): v for k, v in data.items()}
    _, header, _ = read_rows(path)
    shown = mapping if mapping is not None else guess_mapping(header)
    say(f"Columns of {path.name} ({'given' if mapping is not None else 'guessed'}):")
    for line in mapping_lines(shown, header):
        say(line)
    if mapping is None and not yes:
        raise CharterError(
            [
                Problem(
                    "check the guessed mapping above; run again with --yes, or give the mapping "
                    "with --map (docs/sheet-mapping.md); nothing was written",
                    file=str(path),
                )
            ]
        )
    result = sheet_ledger(path, terms, ref, name or path.stem, mapping)
    target = to or Path(service.slugify(result.doc.company.name))
    slug = write_company(result.doc, None, target, db, company)
    say(
        f"Imported {result.doc.company.name} ({slug}): {len(result.doc.entries)} events, "
        f"{len(result.new_holders)} stakeholders; wrote {target / LEDGER_FILE}."
    )
