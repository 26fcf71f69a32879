"""The dividend calculator over HTTP (Art. IV.B.1): the same JSON as `charter dividend`; a
stockholder sees its own holder row; the rates as adjusted after a split of a series."""

from __future__ import annotations

from fractions import Fraction

from fastapi.testclient import TestClient

from tests.web_support import QUINTUS, World

API = f"/api/companies/{QUINTUS}"
# A 1:2 combination of Series E after the example's last event (every holding even).
COMBINE_E = {"date": "1999-11-15", "type": "split", "id": "combine-e", "class": "series_e",
             "ratio": "1:2"}  # fmt: skip


def test_art_iv_b_1a_dividend_page_and_api(client: TestClient, world: World) -> None:
    """$100,000 declared on the example: less than the full preferential amounts of the year
    (Series A 8,850,000 x 0.20 alone is 1,770,000), so the Common has nothing and every
    holder of Common only (r.ashworth) receives nothing. After the 1:2 combination of Series E
    its rate is $0.83 x 2 = $1.66 a share, shown as adjusted."""
    r = client.post(f"{API}/events", json={"events": [COMBINE_E]}, headers=world.auth("admin"))
    assert r.status_code == 201, r.text
    data = client.get(
        f"{API}/dividend", params={"amount": "100000"}, headers=world.auth("counsel")
    ).json()
    assert "common" not in data["classes"] or data["classes"]["common"]["amount"] == "0.00"
    assert data["readings"]["dividend-year"] == "calendar"
    [rate] = [f for f in data["as_adjusted"] if f["class"] == "series_e"]
    assert (rate["stated"], rate["as_adjusted"]) == ("0.830000", "1.660000")
    page = client.get(
        f"/c/{QUINTUS}/dividend", params={"amount": "100000"}, headers=world.auth("counsel")
    ).text
    assert "dividend rate $0.83, as adjusted for the 1:2 combination of 1999-11-15: $1.66" in page
    assert "<td>Series E Preferred Stock</td>" in page  # named as the certificate names it
    paid = sum(Fraction(v["paid"]) for v in data["classes"].values())
    assert paid == 100_000  # the classes' whole cents add up to the dividend declared
    own = client.get(
        f"{API}/dividend", params={"amount": "100000"}, headers=world.auth("ashworth")
    ).json()
    assert set(own["holders"]) <= {"r.ashworth"}
    bad = client.get(f"{API}/dividend", params={"amount": "-1"}, headers=world.auth("counsel"))
    assert bad.status_code == 422
