"""`charter certificates` (the register) and `charter certificate N [--pdf FILE]`
(Bylaws Art. VI §1-4, 7)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

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
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import certificates as certificates_rules
    from charter.views import certificate_pdf
    from charter.views import certificates as certificates_view
else:
    certificate_pdf = deferred("charter.views.certificate_pdf")
    certificates_view = deferred("charter.views.certificates")
    certificates_rules = deferred("charter.rules.certificates")

SHORT = {
    "right-of-first-refusal": "ROFR",
    "market-standoff": "stand-off",
    "class-rights": "rights",
    "partly-paid": "partly-paid",
}


def certificates(
    holder: Annotated[str | None, typer.Option("--holder", help="Only this holder's.")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include cancelled and replaced certificates.")
    ] = False,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The certificate register: number, holder, class, shares, date, signers, legends."""
    state = session(ledger, db, company).state(parse_date(as_of))
    if holder is not None and holder not in state.stakeholders:
        raise CharterError([Problem(f"{holder!r} is not a stakeholder", field="--holder")])
    if json_out:
        print_json(certificates_rules.register_json(state, holder, all_))
        return
    when = state.as_of.isoformat() if state.as_of else "no events"
    table = Table(
        "No.",
        "holder",
        "class",
        "shares",
        "issued",
        "by",
        "legends",
        "status",
        title=f"Certificate register as of {when} ({state.terms.bylaws.certificates.citation})",
    )
    for c in certificates_rules.register(state, holder, all_):
        table.add_row(
            c.number,
            figures.holder_name(state, c.holder),
            figures.class_name(state, c.class_id),
            f"{c.shares:,}",
            c.issued.isoformat(),
            f"{c.origin} {c.event}",
            " ".join(SHORT.get(lg.id, lg.id) for lg in certificates_rules.legends(state, c)),
            certificates_rules.status(c) + (f" {c.cancelled.isoformat()}" if c.cancelled else ""),
        )
    show(table)
    unsigned = [
        c
        for c in certificates_rules.register(state, holder, all_)
        if certificates_rules.signature_warnings(state, c)
    ]
    if unsigned:
        console.print(
            f"Warning: {len(unsigned)} of the certificates lack an officer's "
            f"signature ({state.terms.bylaws.certificates.citation}); the first: "
            + certificates_rules.signature_warnings(state, unsigned[0])[0],
            style="yellow",
        )


def certificate(
    number: Annotated[str, typer.Argument(help="The certificate's number.")],
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write it as a printable PDF to FILE.")
    ] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """One certificate, with the legends it must bear; `--pdf FILE` renders it."""
    state = session(ledger, db, company).state(parse_date(as_of))
    cert = state.stock_certificates.certificates.get(number)
    if cert is None:
        raise CharterError(
            [Problem(f"certificate {number} is not on the register", field="number")]
        )
    if pdf is not None:
        if not pdf.parent.is_dir():
            raise CharterError(
                [Problem(f"the folder {str(pdf.parent)!r} does not exist", field="--pdf")]
            )
        certificate_pdf.render(certificates_view.face(state, cert), pdf)
        console.print(f"Wrote certificate No. {number} to {pdf}.")
        return
    data = certificates_rules.certificate_json(state, cert)
    if json_out:
        print_json(data)
        return
    console.print(
        f"Certificate No. {cert.number}: {cert.shares:,} {data['class_name']} of {cert.holder}, "
        f"issued {data['issued']} ({cert.origin}, {cert.event}); {data['status']}"
        + (f" on {data['cancelled']}" if data["cancelled"] else "")
    )
    for lg in data["legends"]:
        console.print(f"- [{lg['citation']}] {lg['text']}")
    for w in data["warnings"]:
        console.print(f"Warning: {w}")
