"""The documents a secretary files, made from the ledger and the terms, each citing the clauses
it rests on: the notice of a stockholders' meeting with its mailing deadline, the stockholder
list, a written consent of stockholders with signature blocks and the threshold it needs, the
notice to those who did not consent, a unanimous written consent of the board, the notice of
a record date to the preferred, and a certificate of adjustment of a Conversion Price.

Each builder returns a `Document` (text and tables, no layout); `render_pdf` lays it out with
reportlab, escaping every piece of text it puts into Paragraph markup (names and notes come
from the ledger and may hold markup)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import msgspec
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from charter.errors import CharterError, Problem
from charter.markup import markup_text
from charter.numbers import per_share
from charter.rules.meetings import ListLine, MeetingPlan
from charter.rules.notices import Notice
from charter.state.model import ConsentRecord, PriceChange


class Document(msgspec.Struct):
    title: str
    company: str
    citations: list[str]
    # paragraphs and tables
    blocks: list[str | list[list[str]]] = msgspec.field(default_factory=list)
    signatures: list[str] = msgspec.field(default_factory=list)  # a signature block per name

    def text(self) -> str:
        """Everything the document says, as plain text (for a reader without a PDF)."""
        lines = [self.company, self.title]
        for b in self.blocks:
            lines.extend(b if isinstance(b, str) else ["  ".join(row) for row in b])
        lines.extend(f"Signature: {s}" for s in self.signatures)
        lines.append("Clauses: " + "; ".join(self.citations))
        return "\n".join(lines)


def _n(x: Fraction) -> str:
    """A count of shares: whole with separators, or to six decimals where it is not whole."""
    return f"{int(x):,}" if x.denominator == 1 else f"{int(x):,}" + per_share(x - int(x))[1:]


def _day(d: dt.date) -> str:
    return d.strftime("%B %-d, %Y")


def meeting_notice(company: str, plan: MeetingPlan, place: str, time: str) -> Document:
    """Notice of an annual or special meeting (Bylaws Art. II §3, §6): when and where; for a
    special meeting its purposes; the record date; mailed no later than the window's last
    day and no earlier than its first."""
    kind = "Annual" if plan.kind == "annual" else "Special"
    doc = Document(f"Notice of {kind} Meeting of Stockholders", company, [plan.notice_citation])
    doc.blocks.append(
        f"NOTICE IS HEREBY GIVEN that the {kind.lower()} meeting of the stockholders of "
        f"{company} will be held on {_day(plan.date)} at {time}, at {place}."
    )
    if plan.purposes:
        doc.blocks.append("The meeting is called for the following purposes:")
        doc.blocks.extend(f"{i}. {p}" for i, p in enumerate(plan.purposes, 1))
    doc.blocks.append(
        f"Only stockholders of record at the close of business on {_day(plan.record_date)} are "
        "entitled to notice of and to vote at the meeting."
    )
    doc.blocks.append(
        f"Mailing deadline: this notice must be mailed no earlier than {_day(plan.notice.first)} "
        f"and no later than {_day(plan.notice.last)} ({plan.notice_citation})."
    )
    doc.blocks.append(
        f"The list of stockholders entitled to vote will be open to examination from "
        f"{_day(plan.list_ready_by)}."
    )
    doc.signatures.append("Secretary")
    doc.citations.extend(c for c in plan.trace.citations if c not in doc.citations)
    return doc


def stockholder_list(
    company: str, record_date: dt.date, lines: Sequence[ListLine], citation: str
) -> Document:
    """The list of stockholders entitled to vote, in alphabetical order, with the address of
    each and the shares of each class registered in each name (Bylaws Art. II §7)."""
    doc = Document("List of Stockholders Entitled to Vote", company, [citation])
    doc.blocks.append(f"Stockholders of record at the close of business on {_day(record_date)}.")
    classes = sorted({c for line in lines for c in line.shares})
    rows = [["Stockholder", "Address", *classes, "Votes"]]
    for line in lines:
        rows.append(
            [line.name, line.address or "(no address on record)",
             *(f"{line.shares.get(c, 0):,}" for c in classes), f"{line.votes:,}"]
        )  # fmt: skip
    doc.blocks.append(rows)
    return doc


def stockholder_consent(
    company: str,
    action: str,
    description: str,
    approvals: list[dict[str, Any]],
    signers: Sequence[tuple[str, str, int]],
    resolution: str,
    citation: str,
) -> Document:
    """A written consent of stockholders (Bylaws Art. II §11; DGCL §228): the resolution, the
    votes it needs, and a signature block for each holder who may sign (name, id, votes)."""
    doc = Document(
        "Action by Written Consent of the Stockholders", company, [citation, "DGCL §228"]
    )
    doc.blocks.append(
        f"The undersigned stockholders of {company}, acting by written consent without a "
        f"meeting pursuant to {citation} and Section 228 of the Delaware General Corporation "
        f"Law, adopt the following resolution ({action}: {description}):"
    )
    doc.blocks.append(f"RESOLVED, {resolution}")
    for a in approvals:
        if a.get("body") != "stockholders":
            continue
        needed = a.get("needed")
        eligible = a.get("eligible")
        group = ", ".join(a.get("group") or []) or "all stock"
        more = "more than" if a.get("more_than") else "at least"
        doc.blocks.append(
            f"Threshold ({a['citation']}): {more} {Fraction(a['threshold'])} of the "
            f"{a['measure'].replace('_', ' ')} of {group}"
            + (f": {needed:,} of {eligible:,}" if needed is not None and eligible else "")
            + "."
        )
        doc.citations.append(a["citation"])
    doc.blocks.append(
        "This consent takes effect when signed by holders having the votes needed; every "
        "signature must be dated, and within 60 days of the earliest (DGCL §228(c))."
    )
    doc.signatures.extend(
        f"{name} ({hid}), {votes:,} votes   Date: ________" for hid, name, votes in signers
    )
    return doc


def non_consent_notice(
    company: str, record: ConsentRecord, non_consenting: Sequence[str], citation: str
) -> Document:
    """Prompt notice of the action taken without a meeting to the stockholders who did not
    consent in writing (DGCL §228(e); Bylaws Art. II §11)."""
    doc = Document("Notice of Action Taken by Written Consent", company, [citation, "DGCL §228(e)"])
    doc.blocks.append(
        f"To the stockholders of {company} who did not consent in writing: on "
        f"{_day(record.date)} the corporate action {record.action!r} was taken without a "
        f"meeting by the written consent of the holders of the votes it needs "
        f"({len(record.consents)} consents; record date {_day(record.record_date)})."
    )
    doc.blocks.append("This notice is given to: " + ", ".join(non_consenting) + ".")
    doc.signatures.append("Secretary")
    return doc


def board_consent(
    company: str,
    date: dt.date,
    directors: Sequence[tuple[str, str]],
    resolutions: Sequence[str],
    citation: str,
) -> Document:
    """A unanimous written consent of the board (Bylaws Art. III §9): every director signs."""
    doc = Document("Unanimous Written Consent of the Board of Directors", company, [citation])
    doc.blocks.append(
        f"The undersigned, being all the directors of {company}, consent pursuant to {citation} "
        f"to the adoption of the following resolutions as of {_day(date)}:"
    )
    doc.blocks.extend(f"RESOLVED, {r}" for r in resolutions)
    doc.blocks.append("This consent is effective when signed by every director in office.")
    doc.signatures.extend(f"{name} ({sid}), Director" for sid, name in directors)
    return doc


def record_date_notice(company: str, n: Notice, names: dict[str, str]) -> Document:
    """The notice of a record date to the holders of preferred (Art. IV.B.4): the date, and
    the amount and character of the dividend or right."""
    doc = Document("Notice of Record Date", company, [n.citation])
    doc.blocks.append(
        f"Notice is hereby given under {n.citation} that {company} has fixed "
        f"{_day(n.record_date)} as the date on which the holders of record are determined "
        f"for {n.character}."
    )
    doc.blocks.append(
        f"Declared {_day(n.declared)}; this notice must be mailed by {_day(n.mail_by)}"
        + ("." if n.on_time_possible else ", which was already past when it was declared.")
    )
    doc.blocks.append(
        "To the holders of preferred stock: " + ", ".join(names.get(h, h) for h in n.to) + "."
    )
    doc.signatures.append("Secretary")
    return doc


def conversion_adjustment(
    company: str, series: str, series_name: str, change: PriceChange
) -> Document:
    """A certificate of adjustment of the Conversion Price of a series: the old and new price
    and, for a dilutive issuance, the computation with A, B and C."""
    doc = Document(
        f"Certificate of Adjustment of the Conversion Price of the {series_name}",
        company,
        [change.citation],
    )
    doc.blocks.append(
        f"The undersigned officer of {company} certifies that, upon {change.event} on "
        f"{_day(change.date)}, the Conversion Price of the {series_name} ({series}) was "
        f"adjusted under {change.citation} from ${per_share(change.old)} to "
        f"${per_share(change.new)}."
    )
    a, b, c = change.a, change.b, change.c
    if a is not None and b is not None and c is not None:
        computed = change.old * (a + b) / (a + c)
        doc.blocks.append(
            f"Computation: CP2 = CP1 x (A + B) / (A + C) = {per_share(change.old)} x "
            f"({_n(a)} + {_n(b)}) / ({_n(a)} + {_n(c)}) = {per_share(computed)}, where:"
        )
        doc.blocks.append(
            [["A", _n(a), "shares outstanding immediately before the issue"],
             ["B", _n(b), "shares the aggregate consideration would buy at CP1"],
             ["C", _n(c), "shares of Additional Stock issued"],
             ["old", per_share(change.old), "Conversion Price before"],
             ["new", per_share(change.new), "Conversion Price after"]]
        )  # fmt: skip
    doc.signatures.append("Chief Financial Officer")
    return doc


def render_pdf(doc: Document, path: Path) -> None:
    """The document as a letter-size PDF; every text escaped before it enters the markup."""
    styles = getSampleStyleSheet()
    wide = any(not isinstance(b, str) and len(b[0]) > 4 for b in doc.blocks)
    size = landscape(letter) if wide else letter
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=7, leading=8.5)
    story: list[Any] = [
        Paragraph(markup_text(doc.company), styles["Heading2"]),
        Paragraph(markup_text(doc.title), styles["Title"]),
    ]
    for block in doc.blocks:
        if isinstance(block, str):
            story.append(Paragraph(markup_text(block), styles["BodyText"]))
        else:
            cells = [[Paragraph(markup_text(c), cell) for c in row] for row in block]
            width = size[0] - 2 * inch
            n = len(block[0])
            text_cols = 2 if n > 4 else 1  # name and address, or a label: wider
            narrow = width * (0.55 if n > 4 else 0.5) / max(n - text_cols, 1)
            wide_col = (width - narrow * (n - text_cols)) / text_cols
            widths = [wide_col] * text_cols + [narrow] * (n - text_cols)
            if n <= 4:
                widths = [width * 0.12, width * 0.25, width * 0.63][:n]
            table = Table(cells, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "#888888")]))
            story.append(table)
        story.append(Spacer(1, 6))
    for s in doc.signatures:
        story += [Spacer(1, 18), Paragraph("_" * 40, styles["BodyText"])]
        story.append(Paragraph(markup_text(s), styles["BodyText"]))
    story += [
        Spacer(1, 12),
        Paragraph(markup_text("Clauses: " + "; ".join(doc.citations)), styles["Italic"]),
    ]
    try:
        SimpleDocTemplate(
            str(path), pagesize=size, title=doc.title, leftMargin=inch, rightMargin=inch
        ).build(story)
    except OSError as e:
        raise CharterError([Problem(f"cannot write: {e.strerror}", file=str(path))]) from e
