"""A stock certificate as a printable PDF: the face (number, holder, shares, class, the two
signing officers, the legends the rules say it must bear on its face) and the back (legends
endorsed on it, and the form of assignment for a transfer, Bylaws Art. VI §4).

Layout only: every statement printed comes from the register and rules.certificates.
"""

from __future__ import annotations

import math
from pathlib import Path

import msgspec
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph

from charter.markup import markup_text
from charter.rules.certificates import Legend

INK = HexColor("#1f3a5f")
GUILLOCHE = HexColor("#7d9cc0")
PAPER = HexColor("#fbf8ef")

_ONES = [
    "ZERO",
    "ONE",
    "TWO",
    "THREE",
    "FOUR",
    "FIVE",
    "SIX",
    "SEVEN",
    "EIGHT",
    "NINE",
    "TEN",
    "ELEVEN",
    "TWELVE",
    "THIRTEEN",
    "FOURTEEN",
    "FIFTEEN",
    "SIXTEEN",
    "SEVENTEEN",
    "EIGHTEEN",
    "NINETEEN",
]
_TENS = ["_", "_", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]


def in_words(n: int) -> str:
    """A share count in words, as certificates write it ("ONE MILLION TWO HUNDRED ...")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " HUNDRED" + (" " + in_words(rest) if rest else "")
    for size, name in ((10**9, "BILLION"), (10**6, "MILLION"), (1000, "THOUSAND")):
        if n >= size:
            rest = n % size
            return in_words(n // size) + " " + name + (" " + in_words(rest) if rest else "")
    raise AssertionError("unreachable")


class CertificateFace(msgspec.Struct, frozen=True):
    """What the printed certificate says, gathered by the command from the register, its
    texts as they may be shown (charter.printable)."""

    company: str
    jurisdiction: str | None
    number: str
    holder_name: str
    shares: int
    class_name: str
    par_value: str
    issued: str
    signers: list[tuple[str, str]]  # (name, office)
    legends: list[Legend]
    partly_paid: bool
    status: str  # outstanding, cancelled, replaced
    replaces: str | None


def _loops(c: Canvas, w: float, h: float) -> None:
    """A band of interlaced loops along each edge, like an engraved guilloché: the bottom
    row and the left column drawn once each, as forms that every page places on both
    edges (a few hundred loops written as a PDF path apiece cost a command a tenth of its
    time, issue 15)."""
    step = 0.12 * inch
    c.beginForm("loops-row")
    c.setStrokeColor(GUILLOCHE)
    c.setLineWidth(0.4)
    x = 0.5 * inch
    while x < w - 0.5 * inch:
        c.circle(x, 0.52 * inch, 0.06 * inch)
        x += step
    c.endForm()
    c.beginForm("loops-column")
    c.setStrokeColor(GUILLOCHE)
    c.setLineWidth(0.4)
    y = 0.5 * inch
    while y < h - 0.5 * inch:
        c.circle(0.52 * inch, y, 0.06 * inch)
        y += step
    c.endForm()


def _border(c: Canvas, w: float, h: float) -> None:
    c.setFillColor(PAPER)
    c.rect(0, 0, w, h, stroke=0, fill=1)
    c.setStrokeColor(INK)
    c.setLineWidth(3)
    c.rect(0.35 * inch, 0.35 * inch, w - 0.7 * inch, h - 0.7 * inch)
    c.setLineWidth(0.8)
    c.rect(0.45 * inch, 0.45 * inch, w - 0.9 * inch, h - 0.9 * inch)
    for form, dx, dy in (
        ("loops-row", 0.0, 0.0),
        ("loops-row", 0.0, h - 1.04 * inch),
        ("loops-column", 0.0, 0.0),
        ("loops-column", w - 1.04 * inch, 0.0),
    ):
        c.saveState()
        c.translate(dx, dy)
        c.doForm(form)
        c.restoreState()
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.rect(0.62 * inch, 0.62 * inch, w - 1.24 * inch, h - 1.24 * inch)


def _box(c: Canvas, x: float, y: float, label: str, value: str) -> None:
    c.setStrokeColor(INK)
    c.setLineWidth(1.5)
    c.roundRect(x, y, 1.9 * inch, 0.75 * inch, 8)
    c.setFillColor(INK)
    c.setFont("Helvetica", 7)
    c.drawCentredString(x + 0.95 * inch, y + 0.55 * inch, label)
    c.setFont("Times-Bold", 16)
    c.drawCentredString(x + 0.95 * inch, y + 0.2 * inch, value)


def _seal(c: Canvas, x: float, y: float, company: str, jurisdiction: str | None) -> None:
    c.setStrokeColor(INK)
    c.setLineWidth(1)
    c.circle(x, y, 0.62 * inch)
    c.circle(x, y, 0.48 * inch)
    c.setFillColor(INK)
    c.setFont("Times-Bold", 7)
    c.drawCentredString(x, y + 0.05 * inch, "CORPORATE")
    c.drawCentredString(x, y - 0.08 * inch, "SEAL")
    _arc_text(c, x, y, 0.53 * inch, company.upper(), top=True)
    _arc_text(c, x, y, 0.53 * inch, (jurisdiction or "").upper(), top=False)


def _arc_text(c: Canvas, x: float, y: float, r: float, text: str, top: bool) -> None:
    """Letters set around the seal's ring, reading left to right on top and at the bottom."""
    size = 6.0
    c.setFont("Times-Bold", size)
    per_letter = 0.155  # radians per letter at this size and radius
    span = per_letter * (len(text) - 1)
    for i, ch in enumerate(text):
        if top:
            angle = math.pi / 2 + span / 2 - i * per_letter
            rotate = math.degrees(angle) - 90
            dx, dy = (r - size / 3) * math.cos(angle), (r - size / 3) * math.sin(angle)
        else:
            angle = -math.pi / 2 - span / 2 + i * per_letter
            rotate = math.degrees(angle) + 90
            dx, dy = (r + size / 3) * math.cos(angle), (r + size / 3) * math.sin(angle)
        c.saveState()
        c.translate(x + dx, y + dy)
        c.rotate(rotate)
        c.drawCentredString(0, 0, ch)
        c.restoreState()


def _stamp(c: Canvas, w: float, h: float, text: str) -> None:
    c.saveState()
    c.setFillColor(Color(0.7, 0.1, 0.1, alpha=0.35))
    c.setFont("Helvetica-Bold", 90)
    c.translate(w / 2, h / 2)
    c.rotate(20)
    c.drawCentredString(0, -30, text)
    c.restoreState()


def _legend_paragraphs(legends: list[Legend], size: float) -> list[Flowable]:
    style = ParagraphStyle(
        "legend", fontName="Times-Roman", fontSize=size, leading=size * 1.2, textColor=INK
    )
    cite = ParagraphStyle(
        "cite", parent=style, fontName="Times-Italic", fontSize=size - 1, spaceAfter=size * 0.6
    )
    out: list[Flowable] = []
    for lg in legends:
        out.append(Paragraph(markup_text(lg.text), style))
        out.append(Paragraph(f"({markup_text(lg.citation)})", cite))
    return out


def _one(item: Flowable) -> list[Flowable]:
    return [item]


def render(face: CertificateFace, path: Path) -> None:
    """Write the certificate, face and back, to `path`."""
    w, h = landscape(letter)
    c = Canvas(str(path), pagesize=(w, h))
    c.setTitle(f"{face.company} stock certificate No. {face.number}")
    _loops(c, w, h)
    _border(c, w, h)
    _box(c, 0.9 * inch, h - 1.75 * inch, "NUMBER", f"No. {face.number}")
    _box(c, w - 2.8 * inch, h - 1.75 * inch, "SHARES", f"{face.shares:,}")
    c.setFillColor(INK)
    title = face.company.upper()
    size = min(30.0, 30.0 * (w - 6.0 * inch) / stringWidth(title, "Times-Bold", 30))
    c.setFont("Times-Bold", size)
    c.drawCentredString(w / 2, h - 1.35 * inch, title)
    if face.jurisdiction:
        c.setFont("Times-Roman", 9)
        c.drawCentredString(
            w / 2,
            h - 1.65 * inch,
            f"INCORPORATED UNDER THE LAWS OF THE STATE OF {face.jurisdiction.upper()}",
        )
    c.setFont("Times-Bold", 13)
    c.drawCentredString(w / 2, h - 2.05 * inch, face.class_name.upper())
    paid = "partly paid" if face.partly_paid else "fully paid and non-assessable"
    body = ParagraphStyle(
        "body", fontName="Times-Roman", fontSize=12, leading=17, textColor=INK, alignment=4
    )
    text = (
        f"THIS CERTIFIES THAT <b>{markup_text(face.holder_name)}</b> is the registered holder "
        f"of <b>{in_words(face.shares)} ({face.shares:,})</b> {paid} shares of the "
        f"{markup_text(face.class_name)}, par value ${markup_text(str(face.par_value))} per "
        f"share, of {markup_text(face.company)}, "
        "transferable only on the books of the Corporation by the holder in person or by "
        "duly authorized attorney upon surrender of this Certificate properly endorsed. "
        "This Certificate and the shares it represents are subject to the Certificate of "
        "Incorporation and the Bylaws of the Corporation, as amended from time to time."
    )
    if face.replaces:
        text += f" Issued in place of Certificate No. {face.replaces}, alleged lost, stolen or destroyed."
    Frame(1.0 * inch, h - 3.75 * inch, w - 2.0 * inch, 1.55 * inch, showBoundary=0).addFromList(
        _one(Paragraph(text, body)), c
    )
    on_face = [
        lg for lg in face.legends if lg.placement != "face or back" or lg.id == "partly-paid"
    ]
    if on_face:
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        top, height = h - 3.8 * inch, 1.6 * inch
        c.rect(1.0 * inch, top - height, w - 2.0 * inch, height)
        Frame(
            1.08 * inch,
            top - height + 0.02 * inch,
            w - 2.16 * inch,
            height - 0.04 * inch,
            showBoundary=0,
        ).addFromList(_legend_paragraphs(on_face, 8.5), c)
    c.setFont("Times-Italic", 10.5)
    c.setFillColor(INK)
    c.drawString(
        1.0 * inch,
        2.05 * inch,
        "IN WITNESS WHEREOF, the Corporation has caused this Certificate to be signed by its "
        "duly authorized officers.",
    )
    c.setFont("Times-Roman", 10.5)
    c.drawString(1.0 * inch, 1.75 * inch, f"Dated: {face.issued}")
    slots = [*face.signers, ("", ""), ("", "")][:2]
    for i, (name, office) in enumerate(slots):
        x = 1.0 * inch if i == 0 else w - 3.9 * inch
        c.setLineWidth(0.7)
        c.line(x, 1.05 * inch, x + 2.9 * inch, 1.05 * inch)
        c.setFont("Times-Italic", 15)
        c.drawString(x + 0.15 * inch, 1.13 * inch, name)
        c.setFont("Times-Roman", 8.5)
        label = office.replace("-", " ").upper() if office else "AUTHORIZED OFFICER"
        c.drawString(x, 0.88 * inch, label)
    _seal(c, w / 2, 1.35 * inch, face.company, face.jurisdiction)
    if face.status != "outstanding":
        _stamp(c, w, h, face.status.upper())
    c.showPage()

    # the back: the legends endorsed on it, then the form of assignment
    _border(c, w, h)
    c.setFillColor(INK)
    c.setFont("Times-Bold", 13)
    c.drawCentredString(w / 2, h - 1.1 * inch, "LEGENDS")
    back = [lg for lg in face.legends if lg not in on_face]
    form = ParagraphStyle("form", fontName="Times-Roman", fontSize=10.5, leading=22, textColor=INK)
    heading = ParagraphStyle(
        "heading", parent=form, fontName="Times-Bold", fontSize=12, alignment=1, spaceBefore=18
    )
    assignment = (
        "For value received, ____________________________ hereby sells, assigns and transfers "
        "unto ____________________________ ______________ shares represented by the within "
        "Certificate, and does hereby irrevocably constitute and appoint "
        "____________________________ attorney to transfer the said shares on the books of "
        "the within named Corporation with full power of substitution in the premises."
        "<br/>Dated: ______________ &nbsp;&nbsp;&nbsp; Signature: ____________________________"
    )
    flow = [*_legend_paragraphs(back, 10), Paragraph("ASSIGNMENT", heading)]
    flow.append(Paragraph(assignment, form))
    Frame(1.0 * inch, 0.8 * inch, w - 2.0 * inch, h - 2.0 * inch, showBoundary=0).addFromList(
        flow, c
    )
    if face.status != "outstanding":
        _stamp(c, w, h, face.status.upper())
    c.showPage()
    c.save()
