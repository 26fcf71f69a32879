"""A stock certificate as it is printed (Bylaws Art. VI §1-4, 7): the face the CLI and the
web render to PDF."""

from __future__ import annotations

from charter.numbers import decimal_str
from charter.printable import shown
from charter.rules import certificates as certificates_rules
from charter.state.certificates import StockCertificate
from charter.state.model import State
from charter.views import certificate_pdf


def face(state: State, cert: StockCertificate) -> certificate_pdf.CertificateFace:
    cls = state.stock_class(cert.class_id)
    people = state.stakeholders
    signers = [(shown(people[who].name), shown(office)) for who, office in cert.signers]
    return certificate_pdf.CertificateFace(
        company=shown(state.terms.company),
        jurisdiction=None if state.terms.jurisdiction is None else shown(state.terms.jurisdiction),
        number=cert.number,
        holder_name=shown(people[cert.holder].name) if cert.holder in people else cert.holder,
        shares=cert.shares,
        class_name=shown(cls.name) if cls is not None else cert.class_id,
        par_value=decimal_str(cls.par_value) if cls is not None else "",
        issued=cert.issued.strftime("%B %-d, %Y"),
        signers=signers,
        legends=certificates_rules.legends(state, cert),
        partly_paid=cert.partly_paid is not None,
        status=certificates_rules.status(cert),
        replaces=cert.replaces,
    )
