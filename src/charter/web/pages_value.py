"""Value per share on the web (issue 14 §3): the option-pricing method on the exact
breakpoints, with the backsolve, as `charter value --json` (built by `views.valuation` over
the same replayed state). An estimate in floats, and the page says so. It values every class
from the whole cap table: officers only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.views import valuation as valuation_view
from charter.web.forms import page_form
from charter.web.pages import PageAccess
from charter.web.pages_governance import officers_only

Field = Annotated[str, Query(max_length=40)]

router = APIRouter(include_in_schema=False)


@router.get("/c/{company}/value")
def value_page(
    request: Request,
    access: PageAccess,
    equity: Field = "",
    term: Field = "3",
    volatility: Field = "0.60",
    rate: Field = "0.04",
    dlom: Field = "0",
    backsolve: Field = "",
) -> Response:
    """The value of a share of each class and of the common after the discount; each mistake
    beside its field (422). Nothing is computed until an equity value or a backsolve is
    asked for."""
    officers_only(access)
    state = access.state(None)
    form = page_form(
        request,
        "value.html",
        access,
        "value",
        {
            "equity": equity,
            "term": term,
            "volatility": volatility,
            "rate": rate,
            "dlom": dlom,
            "backsolve": backsolve,
        },
        backsolvable=[c for c in state.certificate.classes if c.original_issue_price is not None],
    )
    data: dict[str, Any] | None = None
    if equity.strip() or backsolve.strip():
        inputs = valuation_view.option_inputs(
            equity.strip() or None, term, volatility, rate, dlom or "0", backsolve or None
        )
        data = valuation_view.option_pricing(state, inputs)
    return form.render(data=data)
