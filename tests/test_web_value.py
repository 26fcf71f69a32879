"""The value page (issue 14 §3 on the web): the same figures as `charter value --json` over the
same replayed ledger, the note that they are estimates, each mistake a sentence with 422,
officers only."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from tests.web_support import QUINTUS, World

PAGE = f"/c/{QUINTUS}/value"


def test_value_page_backsolves_series_f_to_its_issue_price(
    client: TestClient, world: World
) -> None:
    """The backsolve on the web: a Series F share is worth its $8.25 (tests/test_valuation.py
    checks the backsolve by valuing again); the page says the values are estimates."""
    r = client.get(
        PAGE,
        params={"backsolve": "series_f", "term": "3", "volatility": "0.60", "rate": "0.04"},
        headers=world.auth("counsel"),
    )
    assert r.status_code == 200, r.text
    assert 'id="value-backsolve"' in r.text and "8.25" in r.text
    assert "breakpoints exact; values estimated with floats" in r.text


def test_value_page_bad_input_is_a_sentence_with_422(client: TestClient, world: World) -> None:
    r = client.get(
        PAGE,
        params={"equity": "60000000", "term": "0", "volatility": "-1", "rate": "0.04"},
        headers=world.auth("counsel"),
    )
    assert r.status_code == 422
    page = html.unescape(r.text)
    # each sentence beside its field, in the page's words (no `--volatility`), values kept
    assert 'id="error-volatility" role="alert">The volatility must be above zero.<' in page
    assert 'id="error-term" role="alert">The term must be above zero (in years).<' in page
    form = page.split('id="value-form"')[1].split("</form>")[0]
    assert 'name="volatility" value="-1"' in form and "--" not in form


def test_value_page_is_for_officers(client: TestClient, world: World) -> None:
    r = client.get(PAGE, params={"equity": "60000000"}, headers=world.auth("ashworth"))
    assert r.status_code == 403
