"""Value per share on the web (issue 14 §3): the option-pricing method on the exact
breakpoints, with the backsolve, as `charter value --json` (built by `views.valuation` over
the same replayed state). An estimate in floats, and the page says so. It values every class
from the whole cap table: officers only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from charter.errors import CharterError
from charter.views import valuation as valuation_view
from charter.web.pages import PageAccess, render
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
    as one sentence (422). Nothing is computed until an equity value or a backsolve is
    asked for."""
    officers_only(access)
    data: dict[str, Any] | None = None
    errors: list[str] = []
    state = access.state(None)
    if equity.strip() or backsolve.strip():
        try:
            inputs = valuation_view.option_inputs(
                equity.strip() or None, term, volatility, rate, dlom or "0", backsolve or None
            )
            data = valuation_view.option_pricing(state, inputs)
        except CharterError as e:
            errors = [p.sentence().removeprefix("--") for p in e.problems]  # a field, not an option
    return render(
        request,
        "value.html",
        status=422 if errors else 200,
        access=access,
        active="value",
        data=data,
        errors=errors,
        classes=[c.id for c in state.certificate.classes if c.original_issue_price is not None],
        form={
            "equity": equity,
            "term": term,
            "volatility": volatility,
            "rate": rate,
            "dlom": dlom,
            "backsolve": backsolve,
        },
    )
