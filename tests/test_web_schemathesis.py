"""Property-based requests generated from the application's own OpenAPI schema
(schemathesis), against every operation: whatever is sent, by an administrator, counsel or
a stockholder, the answer is never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.ledger.store import Store
from charter.web.app import create_app
from tests.web_support import QUINTUS, populate

EXAMPLES = 40


@pytest.mark.parametrize("login", ["admin", "counsel", "ashworth"])
def test_no_request_generated_from_the_openapi_schema_gets_a_5xx(store: Store, login: str) -> None:
    world = populate(store)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(world.url))
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 6
    checked: list[str] = []
    statuses: set[int] = set()
    for op in operations:

        @given(case=op.as_strategy(), ours=st.booleans())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any, ours: bool) -> None:
            if ours and case.path_parameters and "company" in case.path_parameters:
                case.path_parameters["company"] = QUINTUS  # reach past the 404 too
            response = case.call(headers=world.auth(login))
            statuses.add(response.status_code)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.text[:300]}"
            )

        no_server_error()
        checked.append(op.label)
    assert any("POST /api/companies/{company}/events" in c for c in checked)
    engines = ("waterfall", "curve", "votes", "board", "approvals", "meeting-plan", "rofr", "ipo")
    for engine in (*engines, "conversion-prices", "notices"):
        assert any(f"/api/companies/{{company}}/{engine}" in c for c in checked), engine
    assert any("/certificates/{number}/pdf" in c for c in checked)
    assert any("POST /api/companies/{company}/votes-and-consents" in c for c in checked)
    for method in ("GET", "POST"):
        assert any(f"{method} /api/companies/{{company}}/members" in c for c in checked)
    for method in ("PUT", "DELETE"):
        assert any(f"{method} /api/companies/{{company}}/members/{{login}}" in c for c in checked)
    assert {200, 404, 422} <= statuses, statuses  # the generated requests reached the handlers
