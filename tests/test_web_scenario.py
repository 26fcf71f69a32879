"""The scenario page (issue 14 §2 on the web): the same report as `charter scenario --json`
over the same replayed ledger; everything the scenario carries is escaped; each mistake a
sentence with 422; officers only; nothing recorded."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ROOT
from tests.web_support import QUINTUS, World

PAGE = f"/c/{QUINTUS}/scenario"
SERIES_G = (ROOT / "examples" / "scenario-series-g.yaml").read_text(encoding="utf-8")


def test_art_iv_b_3d_i_a_scenario_page_shows_series_f_adjusted_and_records_nothing(
    client: TestClient, world: World
) -> None:
    """The example's Series G at $6.00 adjusts Series F from 8.250000 to 8.089746 (worked by
    hand in tests/test_scenario.py); at a $60,000,000 exit Granite takes its 1x preference,
    12,000,000.00; the ledger's history is the same after the page as before."""
    history = client.get(f"/api/companies/{QUINTUS}/events", headers=world.auth("counsel"))
    r = client.get(
        PAGE, params={"scenario": SERIES_G, "exit": "60000000"}, headers=world.auth("counsel")
    )
    assert r.status_code == 200, r.text
    assert "8.089746" in r.text and 'data-class="series_g"' in r.text
    assert "12,000,000.00" in r.text
    assert "create_senior_or_parity_security" in r.text
    again = client.get(f"/api/companies/{QUINTUS}/events", headers=world.auth("counsel"))
    assert again.text == history.text


def test_scenario_page_escapes_what_the_scenario_carries(client: TestClient, world: World) -> None:
    """A stakeholder named with markup is shown as text, in the table and in the textarea;
    the page has no inline script."""
    hostile = SERIES_G.replace(
        'name: "Granite Ventures I, L.P."', 'name: "<script>alert(1)</script></textarea>"'
    )
    r = client.get(PAGE, params={"scenario": hostile}, headers=world.auth("counsel"))
    assert r.status_code == 200, r.text
    assert "<script>alert(1)" not in r.text and '</textarea>"' not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<script>" not in r.text.replace("<script src", "")


def test_scenario_page_bad_input_is_a_sentence_with_422(client: TestClient, world: World) -> None:
    r = client.get(PAGE, params={"scenario": "consents: [nobody]\n"}, headers=world.auth("counsel"))
    assert r.status_code == 422
    assert (
        "scenario: consents.0: &#39;nobody&#39; holds no stock today, so cannot consent." in r.text
    )
    r = client.get(PAGE, params={"scenario": "a: &x 1\nb: *x\n"}, headers=world.auth("counsel"))
    assert r.status_code == 422 and "anchors and aliases are not accepted" in r.text


def test_scenario_page_is_for_officers(client: TestClient, world: World) -> None:
    """It names every holder: a stockholder is refused (403)."""
    r = client.get(PAGE, params={"scenario": SERIES_G}, headers=world.auth("ashworth"))
    assert r.status_code == 403


def test_scenario_page_sends_the_payout_curves_today_and_pro_forma(
    client: TestClient, world: World
) -> None:
    """The side-by-side chart: the exact curves of `charter curve` from 0 to twice the exit
    asked for ($120,000,000), today's without Series G, the pro forma one with it, drawn by
    the waterfall page's chart code (charter.js `payoutChart`)."""
    import json
    import re

    r = client.get(
        PAGE, params={"scenario": SERIES_G, "exit": "60000000"}, headers=world.auth("counsel")
    )
    assert r.status_code == 200, r.text
    found = re.search(
        r'<script type="application/json" id="scenario-curves-data" data-exit="60000000.00">(.*?)</script>',
        r.text,
        re.S,
    )
    assert found is not None
    curves = json.loads(found.group(1))
    assert curves["before"]["to"] == curves["after"]["to"] == "120000000.00"
    assert (
        "series_g" in curves["after"]["classes"] and "series_g" not in curves["before"]["classes"]
    )
    assert 'id="scenario-chart-before"' in r.text and 'id="scenario-chart-after"' in r.text
