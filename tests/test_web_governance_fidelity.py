"""The governance findings through the web: a written consent to amend the bylaws measured
against all the votes outstanding (Bylaws Art. II §11), and the quorum of votes cast at a
meeting (Art. II §8), in the API's JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from charter.ledger.store import Store
from tests.web_support import QUINTUS, World

API = f"/api/companies/{QUINTUS}"
DAY = "1999-11-01"  # the day after the example's last event (1999-10-31)


def test_bylaws_art_ii_11_bylaw_consent_of_a_quarter_is_refused_through_the_api(
    client: TestClient, world: World, store: Store
) -> None:
    """redwood-iii alone: 58,600,000 of the example's 226,977,500 votes (`charter votes`);
    all present and voted, more than half is 113,488,751: 422 with the figures, nothing
    written (the old rule found 29,300,001 needed of the 58,600,000 that signed)."""
    before = store.last_sequence(store.company(QUINTUS))
    consent = {"date": DAY, "type": "stockholder_consent", "action": "amend_bylaws",
               "consents": {"redwood-iii": DAY}}  # fmt: skip
    r = client.post(
        f"{API}/votes-and-consents", json={"events": [consent]}, headers=world.auth("counsel")
    )
    assert r.status_code == 422
    assert "58,600,000 of the 226,977,500 votes" in r.json()["detail"]
    assert "113,488,751 are needed" in r.json()["detail"]
    assert store.last_sequence(store.company(QUINTUS)) == before


def test_bylaws_art_ii_8_approvals_api_reports_the_quorum(client: TestClient, world: World) -> None:
    """redwood-iii for at a meeting: 58,600,000 present; a quorum is half of 226,977,500,
    113,488,750 (at least half, `quorum-at-half`): not met, so the stockholders' vote fails
    though every vote present was for it."""
    data = client.get(
        f"{API}/approvals",
        params={"action": "amend_bylaws", "for": ["redwood-iii"]},
        headers=world.auth("counsel"),
    ).json()
    assert (
        data["quorum"] | {"needed": 113_488_750, "present": 58_600_000, "met": False}
        == (data["quorum"])
    )
    [vote] = [a for a in data["approvals"] if a["id"] == "stockholders-bylaws"]
    assert (vote["for"], vote["eligible"], vote["met"]) == (58_600_000, 58_600_000, False)
