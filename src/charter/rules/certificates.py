"""What each stock certificate must say: its legends while they apply (Bylaws Art. VI §1, §6,
Art. VIII §1(j)), and the register as a table (`charter certificates`)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import msgspec

from charter.explain import Trace
from charter.numbers import money
from charter.state import rofr
from charter.state.certificates import StockCertificate
from charter.state.model import State


class Legend(msgspec.Struct, frozen=True):
    id: str
    text: str
    citation: str
    placement: str  # "face", "face or back", "endorsed"


def last_outstanding_day(state: State, cert: StockCertificate) -> dt.date:
    """The date its legends are read on: the register's date, or the day before it was
    cancelled."""
    on = state.as_of or cert.issued
    if cert.cancelled is not None:
        on = min(on, cert.cancelled - dt.timedelta(days=1))
    return max(on, cert.issued)


def legends(state: State, cert: StockCertificate, trace: Trace | None = None) -> list[Legend]:
    """The legends a certificate must bear on the date it is read:

    - the right of first refusal legend, so long as the right remains in effect
      (Bylaws Art. VIII §1(j), (i));
    - the market stand-off legend, on all certificates (Bylaws Art. VI §6);
    - the statement that the company will furnish the rights of each class, when it may issue
      more than one class or series (Bylaws Art. VI §1; DGCL §202);
    - for partly paid shares, the consideration to be paid and the amount paid (Art. VI §1).
    """
    tr = trace if trace is not None else Trace()
    on = last_outstanding_day(state, cert)
    bylaws = state.terms.bylaws
    out: list[Legend] = []
    r = bylaws.right_of_first_refusal
    if r is not None and rofr.in_force(state, on):
        out.append(Legend("right-of-first-refusal", r.legend, r.legend_citation, "face"))
        tr.step(f"the right of first refusal is in effect on {on.isoformat()}", r.legend_citation)
    elif r is not None:
        tr.step(f"the right of first refusal has ended by {on.isoformat()}", r.ends_citation)
    s = bylaws.market_standoff
    if s is not None:
        out.append(Legend("market-standoff", s.legend, s.citation, "endorsed"))
        tr.step("all certificates bear the market stand-off legend", s.citation)
    c = bylaws.certificates
    cert_in_force = state.certificate
    several = len(cert_in_force.classes) > 1 or cert_in_force.undesignated_preferred > 0
    if several and c.class_rights_statement:
        out.append(
            Legend(
                "class-rights",
                c.class_rights_statement,
                c.class_rights_statement_citation,
                "face or back",
            )
        )
        tr.step(
            f"{cert_in_force.title} authorizes more than one class or series",
            c.class_rights_statement_citation,
        )
    if cert.partly_paid is not None:
        pp = cert.partly_paid
        out.append(
            Legend(
                "partly-paid",
                f"PARTLY PAID SHARES. TOTAL CONSIDERATION TO BE PAID: {dollars(pp.total)}. "
                f"AMOUNT PAID THEREON: {dollars(pp.paid)}.",
                c.partly_paid_citation,
                "face or back",
            )
        )
        tr.step("the shares are partly paid", c.partly_paid_citation)
    return out


def dollars(x: Fraction) -> str:
    """Money as printed on a certificate: "$10,000.00"."""
    whole, _, cents = money(x).partition(".")
    return f"${int(whole):,}.{cents}"


def signature_warnings(state: State, cert: StockCertificate) -> list[str]:
    """A sentence when the certificate lacks a signature of Bylaws Art. VI §1: two officers,
    one of each group of offices ("the chairman or vice-chairman ..., or the president or a
    vice-president and the treasurer or an assistant treasurer, or the secretary or an
    assistant secretary")."""
    c = state.terms.bylaws.certificates
    signed = {office for _, office in cert.signers}
    missing = [group for group in c.signers if not signed & set(group)]
    if not missing:
        return []
    groups = "; ".join(" or ".join(group) for group in missing)
    officers = state.terms.bylaws.officers
    appointed = f", {officers.citation}" if officers is not None else ""
    return [
        f"certificate {cert.number} bears {len(cert.signers)} of the {len(c.signers)} officers' "
        f"signatures {c.citation} requires, one from each group of offices: no officer of "
        f"{groups} was in office on {cert.issued.isoformat()} (record the board's choice of "
        f"officers as office_begins events{appointed})"
    ]


def certificate_json(state: State, cert: StockCertificate) -> dict[str, Any]:
    cls = state.stock_class(cert.class_id)
    return {
        "number": cert.number,
        "holder": cert.holder,
        "class": cert.class_id,
        "class_name": cls.name if cls is not None else cert.class_id,
        "shares": cert.shares,
        "issued": cert.issued.isoformat(),
        "event": cert.event,
        "origin": cert.origin,
        "signers": [{"holder": who, "office": office} for who, office in cert.signers],
        "warnings": signature_warnings(state, cert),
        "status": status(cert),
        "cancelled": cert.cancelled.isoformat() if cert.cancelled else None,
        "cancelled_by": cert.cancelled_by,
        "replaces": cert.replaces,
        "replaced_by": cert.replaced_by,
        "partly_paid": None
        if cert.partly_paid is None
        else {"total": money(cert.partly_paid.total), "paid": money(cert.partly_paid.paid)},
        "legends": [
            {"id": lg.id, "citation": lg.citation, "placement": lg.placement, "text": lg.text}
            for lg in legends(state, cert)
        ],
    }


def status(cert: StockCertificate) -> str:
    if cert.cancelled is None:
        return "outstanding"
    return "replaced" if cert.replaced_by is not None else "cancelled"


def register(
    state: State, holder: str | None = None, include_cancelled: bool = False
) -> list[StockCertificate]:
    """The certificates on the register as of the state's date, in the order issued."""
    return [
        c
        for c in state.stock_certificates.certificates.values()
        if (include_cancelled or c.outstanding) and (holder is None or c.holder == holder)
    ]


def register_json(
    state: State, holder: str | None = None, include_cancelled: bool = False
) -> dict[str, Any]:
    return {
        "as_of": state.as_of.isoformat() if state.as_of else None,
        "certificates": [
            certificate_json(state, c) for c in register(state, holder, include_cancelled)
        ],
    }
