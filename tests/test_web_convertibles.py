"""SAFEs and notes on the web: the cap table page's own section for them, each stockholder
seeing only its own (as with holdings and grants)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web_support import QUINTUS, World

SAFES = [
    {"date": "1999-11-01", "type": "issue_convertible", "id": "safe-a", "kind": "safe",
     "holder": "r.ashworth", "amount": "250000", "valuation_cap": "30000000", "mfn": True},
    {"date": "1999-11-02", "type": "issue_convertible", "id": "note-o", "kind": "note",
     "holder": "d.okafor", "amount": "100000", "interest_rate": "0.08"},
]  # fmt: skip


def test_the_cap_table_page_shows_safes_and_notes_to_each_as_it_may_see(
    client: TestClient, world: World
) -> None:
    """Recorded through the API, both instruments are on the page for counsel, with the
    SAFE's cap and MFN; r.ashworth sees its SAFE and not d.okafor's note; the page's JSON
    link gives the same section."""
    r = client.post(
        f"/api/companies/{QUINTUS}/events", json={"events": SAFES}, headers=world.auth("admin")
    )
    assert r.status_code in (200, 201), r.text
    page = client.get(f"/c/{QUINTUS}/captable", headers=world.auth("counsel"))
    assert page.status_code == 200
    assert 'data-convertible="safe-a"' in page.text and 'data-convertible="note-o"' in page.text
    assert "30,000,000.00 post-money" in page.text and "safe (MFN)" in page.text
    own = client.get(f"/c/{QUINTUS}/captable", headers=world.auth("ashworth"))
    assert 'data-convertible="safe-a"' in own.text and "note-o" not in own.text
    api = client.get(f"/api/companies/{QUINTUS}/captable", headers=world.auth("ashworth")).json()
    assert set(api["convertibles"]) == {"safe-a"}
