"""Issue 17 §2 through the web application: a company whose ledger was tampered with is
refused on every read and write, with the first broken link (API: a 409 problem; pages:
the sentence and no figure), while the other companies of the database are served."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.web.app import create_app
from tests.security import tamper
from tests.web_support import OTHER, QUINTUS, World, sign_in

API = f"/api/companies/{QUINTUS}"
BROKEN = "the hash chain is broken at event 5: its contents do not match its hash"


@pytest.fixture
def tampered(world: World, store: Store) -> World:
    """Quintus's fifth event (Series A to redwood-iii) changed from 3,500,000 shares to
    3,600,000 in the database, before the server starts."""
    tamper.change_shares(store, store.company(QUINTUS), 5, 3_600_000)
    return world


@pytest.fixture
def client(tampered: World) -> Iterator[TestClient]:
    with TestClient(create_app(tampered.url)) as c:
        yield c


@pytest.mark.parametrize("path", ["captable", "history", "waterfall?exit=60000000", "rofr"])
def test_art_17_2_the_api_refuses_a_tampered_company_with_409(
    client: TestClient, tampered: World, path: str
) -> None:
    r = client.get(f"{API}/{path}", headers=tampered.auth("admin"))
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert BROKEN in r.json()["detail"]
    other = client.get(f"/api/companies/{OTHER}/captable", headers=tampered.auth("other-admin"))
    assert other.status_code == 200


def test_art_17_2_the_api_refuses_an_append_to_a_tampered_company(
    client: TestClient, tampered: World, store: Store
) -> None:
    before = len(tamper.rows(store, store.company(QUINTUS)))
    event = {"date": "2001-01-02", "type": "assert", "class": "series_b", "outstanding": 800000}
    r = client.post(f"{API}/events", json={"events": [event]}, headers=tampered.auth("admin"))
    assert r.status_code == 409
    assert BROKEN in r.json()["detail"]
    assert len(tamper.rows(store, store.company(QUINTUS))) == before


def test_art_17_2_verify_reports_the_first_broken_link(client: TestClient, tampered: World) -> None:
    r = client.get(f"{API}/verify", headers=tampered.auth("director"))
    assert r.status_code == 200
    assert r.json()["intact"] is False
    assert r.json()["first_broken"] == 5
    assert r.json()["problems"][0] == BROKEN


@pytest.mark.parametrize("page", ["", "captable", "history"])
def test_art_17_2_a_page_of_a_tampered_company_says_so_and_shows_no_figure(
    client: TestClient, page: str
) -> None:
    """The sentence, a 409, and neither the genuine Series A (8,850,000) nor the tampered
    one (8,950,000)."""
    assert sign_in(client, "admin") == 303
    r = client.get(f"/c/{QUINTUS}/{page}")
    assert r.status_code == 409
    assert BROKEN in r.text
    assert "8,850,000" not in r.text and "8,950,000" not in r.text
