"""`charter document KIND --pdf FILE`: the documents a secretary files (interop/documents.py)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    LedgerOpt,
    ReadingOpt,
    console,
    deferred,
    parse_date,
    session,
)
from charter.errors import CharterError, Problem
from charter.explain import parse_readings

if TYPE_CHECKING:
    from charter.interop.documents import Document
    from charter.rules import approvals as approvals_rules
    from charter.rules import meetings as meetings_rules
    from charter.rules import notices as notices_rules
    from charter.rules import votes as votes_rules
    from charter.state import board as board_state
    from charter.views import governance as governance_view
else:
    approvals_rules = deferred("charter.rules.approvals")
    meetings_rules = deferred("charter.rules.meetings")
    notices_rules = deferred("charter.rules.notices")
    votes_rules = deferred("charter.rules.votes")
    board_state = deferred("charter.state.board")
    governance_view = deferred("charter.views.governance")

app = typer.Typer(help="Documents as PDF: notices, lists, consents, certificates of adjustment.")
PdfOpt = Annotated[Path, typer.Option("--pdf", help="Where to write the PDF.")]
DateOpt = Annotated[str, typer.Option("--date", help="YYYY-MM-DD")]


def _docs() -> ModuleType:
    """The documents module (reportlab), imported only by these commands."""
    from charter.interop import documents

    return documents


def _write(doc: Document, pdf: Path) -> None:
    from charter.interop.documents import render_pdf

    render_pdf(doc, pdf)
    console.print(f"Wrote {pdf} ({doc.title}).")


@app.command("meeting-notice")
def meeting_notice(
    kind: Annotated[str, typer.Option("--kind", help="annual or special")],
    date: DateOpt,
    pdf: PdfOpt,
    place: Annotated[str, typer.Option("--place")] = "the principal office of the corporation",
    time: Annotated[str, typer.Option("--time")] = "10:00 a.m.",
    purpose: Annotated[list[str] | None, typer.Option("--purpose")] = None,
    record_date: Annotated[str | None, typer.Option("--record-date")] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Notice of a stockholders' meeting with its mailing deadline (Bylaws Art. II §3, §6)."""
    day = parse_date(date, "--date")
    assert day is not None
    s = session(ledger, db, company)
    plan = governance_view.plan_for(
        s.terms.bylaws, s.state, kind, day, purpose or [],
        parse_date(record_date, "--record-date"), None, None, False, None, {},
    )  # fmt: skip
    _write(_docs().meeting_notice(s.company.name, plan, place, time), pdf)


@app.command("stockholder-list")
def stockholder_list(
    record_date: Annotated[str, typer.Option("--record-date")],
    pdf: PdfOpt,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """The alphabetical list of stockholders entitled to vote (Bylaws Art. II §7)."""
    rd = parse_date(record_date, "--record-date")
    assert rd is not None
    s = session(ledger, db, company)
    lines = meetings_rules.stockholder_list(s.state(rd))
    citation = s.terms.bylaws.stockholder_meetings.list_citation
    _write(_docs().stockholder_list(s.company.name, rd, lines, citation), pdf)


@app.command("stockholder-consent")
def stockholder_consent(
    action: Annotated[str, typer.Option("--action")],
    resolution: Annotated[str, typer.Option("--resolution", help="The text after RESOLVED,")],
    pdf: PdfOpt,
    series: Annotated[str | None, typer.Option("--series")] = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """A written consent of stockholders with the threshold it needs and a signature block
    for each holder with votes (Bylaws Art. II §11; DGCL §228)."""
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    data = approvals_rules.approvals_json(
        governance_view.approvals_for(state, action, series, None, None, {})
    )
    names = {h.id: h.name for h in s.stakeholders()}
    vp = votes_rules.voting_power(state)
    signers = [(h, names.get(h, h), v.votes) for h, v in sorted(vp.holders.items()) if v.votes]
    citation = s.terms.bylaws.stockholder_meetings.written_consent_citation
    _write(
        _docs().stockholder_consent(
            s.company.name, action, str(data["description"]), list(data["approvals"]),  # type: ignore[call-overload]
            signers, resolution, citation,
        ),
        pdf,
    )  # fmt: skip


@app.command("consent-notice")
def consent_notice(
    pdf: PdfOpt,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Notice of the last written consent recorded to the stockholders who did not consent
    (DGCL §228(e))."""
    s = session(ledger, db, company)
    state = s.state()
    if not state.stockholder_consents:
        raise CharterError([Problem("the ledger records no written consent of stockholders")])
    record = state.stockholder_consents[-1]
    entitled = votes_rules.voting_power(s.state(record.record_date)).holders
    names = {h.id: h.name for h in s.stakeholders()}
    others = [
        names.get(h, h) for h, v in sorted(entitled.items()) if v.votes and h not in record.consents
    ]
    citation = s.terms.bylaws.stockholder_meetings.written_consent_citation
    _write(_docs().non_consent_notice(s.company.name, record, others, citation), pdf)


@app.command("board-consent")
def board_consent(
    date: DateOpt,
    resolution: Annotated[list[str], typer.Option("--resolution")],
    pdf: PdfOpt,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """A unanimous written consent of the board, signed by every director (Bylaws Art. III §9)."""
    day = parse_date(date, "--date")
    assert day is not None
    s = session(ledger, db, company)
    names = {h.id: h.name for h in s.stakeholders()}
    directors = [(d, names.get(d, d)) for d in board_state.directors_in_office(s.state(day))]
    citation = s.terms.bylaws.board.unanimous_written_consent_citation
    _write(_docs().board_consent(s.company.name, day, directors, resolution, citation), pdf)


@app.command("record-date-notice")
def record_date_notice(
    pdf: PdfOpt,
    event: Annotated[str | None, typer.Option("--event", help="The record's event id.")] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """The notice of a record date to the holders of preferred (Art. IV.B.4): the last one,
    or that of `--event`."""
    s = session(ledger, db, company)
    notices = [
        n for n in notices_rules.record_date_notices(s.state()) if event is None or n.event == event
    ]
    if not notices:
        raise CharterError([Problem("no record date needing notice is recorded", field="--event")])
    names = {h.id: h.name for h in s.stakeholders()}
    _write(_docs().record_date_notice(s.company.name, notices[-1], names), pdf)


@app.command("conversion-adjustment")
def conversion_adjustment(
    series: Annotated[str, typer.Option("--series")],
    pdf: PdfOpt,
    event: Annotated[str | None, typer.Option("--event")] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    reading: ReadingOpt = None,
) -> None:
    """A certificate of adjustment of a series' Conversion Price with its A/B/C computation
    (Art. IV.B.3(d)): the last adjustment, or that of `--event`."""
    s = session(ledger, db, company)
    state = s.state(None, parse_readings(reading or []))
    history = [c for c in state.price_history.get(series, []) if event is None or c.event == event]
    cls = state.certificate.stock_class(series)
    if not history or cls is None:
        raise CharterError(
            [Problem(f"{series!r} has no adjustment of its Conversion Price", field="--series")]
        )
    _write(_docs().conversion_adjustment(s.company.name, series, cls.name, history[-1]), pdf)
