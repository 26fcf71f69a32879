"""The right-of-first-refusal queue with its deadlines (Bylaws Art. VIII §1) and the
certificate register with printable certificates (Bylaws Art. VI). The JSON is that of
`charter rofr status --json` and `charter certificates --json`; the PDF is
`charter certificate N --pdf`'s. A stockholder sees its own certificates only."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from charter.rules.certificates import register_json
from charter.rules.rofr import status_json
from charter.views.certificate_pdf import render as render_pdf
from charter.views.certificates import face
from charter.views.inputs import parse_date
from charter.web.api import READ_ERRORS, AsOf, CompanyAccess
from charter.web.context import Access
from charter.web.forms import page_form
from charter.web.pages import PageAccess, as_of_date
from charter.web.pages_governance import ERRORS, officers_only
from charter.web.problems import HTTPProblem


def rofr_data(access: Access, as_of: dt.date | None) -> dict[str, Any]:
    data: dict[str, Any] = access.cached(("rofr", as_of), lambda: status_json(access.state(as_of)))
    return data


def register_data(access: Access, as_of: dt.date | None, include_cancelled: bool) -> dict[str, Any]:
    """The register as the member may see it: a stockholder's own certificates only."""
    holder = None if access.member.reads_all else access.member.stakeholder
    data: dict[str, Any] = access.cached(
        ("certificates", as_of, holder, include_cancelled),
        lambda: register_json(access.state(as_of), holder, include_cancelled),
    )
    return data


api = APIRouter(prefix="/api", tags=["api"])


@api.get("/companies/{company}/rofr", responses={200: {"model": dict[str, Any]}, **ERRORS})
def rofr_api(access: CompanyAccess, as_of: AsOf = None) -> JSONResponse:
    """`charter rofr status --json`: every notice, where it stands, its deadlines."""
    officers_only(access)
    return JSONResponse(rofr_data(access, parse_date(as_of, "as_of")))


@api.get(
    "/companies/{company}/certificates", responses={200: {"model": dict[str, Any]}, **READ_ERRORS}
)
def certificates_api(
    access: CompanyAccess,
    as_of: AsOf = None,
    all: Annotated[bool, Query(description="Include cancelled and replaced ones")] = False,
) -> JSONResponse:
    """`charter certificates --json`; a stockholder sees its own certificates only."""
    return JSONResponse(register_data(access, parse_date(as_of, "as_of"), all))


@api.get(
    "/companies/{company}/certificates/{number}/pdf",
    responses={200: {"content": {"application/pdf": {}}}, **READ_ERRORS},
    response_class=Response,
)
def certificate_pdf_api(access: CompanyAccess, number: str, as_of: AsOf = None) -> Response:
    """`charter certificate N --pdf`: the certificate, face and back, as a printable PDF.
    Another holder's certificate is not found, as one that does not exist."""
    state = access.state(parse_date(as_of, "as_of"))
    cert = state.stock_certificates.certificates.get(number)
    if cert is None or not (access.member.reads_all or cert.holder == access.member.stakeholder):
        raise HTTPProblem(404, f"certificate {number} is not on the register", field="number")

    def build() -> bytes:
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "certificate.pdf"
            render_pdf(face(state, cert), path)
            return path.read_bytes()

    pdf: bytes = access.cached(("certificate-pdf", state.as_of, number), build)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{number}.pdf"'},
    )


rofr_router = APIRouter(include_in_schema=False)


@rofr_router.get("/c/{company}/rofr")
def rofr_page(
    request: Request, access: PageAccess, as_of: Annotated[str | None, Query(max_length=40)] = None
) -> Response:
    """The notices received, the company's option and the holder's window, with deadlines."""
    officers_only(access)
    form = page_form(request, "rofr.html", access, "rofr", {"as_of": as_of or ""})
    data = rofr_data(access, as_of_date(as_of))
    names = {s.id: s.name for s in access.session.stakeholders()}
    return form.render(data=data, names=names)


certificates_router = APIRouter(include_in_schema=False)


@certificates_router.get("/c/{company}/certificates")
def certificates_page(
    request: Request,
    access: PageAccess,
    as_of: Annotated[str | None, Query(max_length=40)] = None,
    all: bool = False,
) -> Response:
    """The certificate register (a stockholder's own certificates), each downloadable."""
    form = page_form(
        request, "certificates.html", access, "certificates", {"as_of": as_of or "", "all": all}
    )
    data = register_data(access, as_of_date(as_of), all)
    names = {s.id: s.name for s in access.session.stakeholders()}
    return form.render(data=data, names=names)
