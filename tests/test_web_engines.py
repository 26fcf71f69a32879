"""The engines over HTTP: waterfall and curve, votes and board, meetings and approvals, the
ROFR queue, certificates. Same JSON as the commands; a stockholder sees its own position
only, whatever ids it tries."""

from __future__ import annotations

from fractions import Fraction

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.rules.votes import votes_json, voting_power
from charter.rules.waterfall import waterfall, waterfall_json
from charter.service import Session
from tests.web_support import OTHER, QUINTUS, World

API = f"/api/companies/{QUINTUS}"


def test_art_iv_b_2_api_waterfall_is_the_cli_json(
    client: TestClient, world: World, store: Store
) -> None:
    """`GET .../waterfall?exit=` is `charter waterfall --json`: the rule's own document;
    the holders' amounts add up to the exit value to the cent (the contract): 60,000,000.00
    is 6,000,000,000 cents."""
    r = client.get(f"{API}/waterfall", params={"exit": "60000000"}, headers=world.auth("counsel"))
    assert r.status_code == 200
    data = r.json()
    state = Session(store, store.company(QUINTUS)).state()
    assert data == waterfall_json(waterfall(state, Fraction(60_000_000)))
    cents = sum(int(h["amount"].replace(".", "")) for h in data["holders"].values())
    assert cents == 6_000_000_000


def test_art_iv_b_2c_api_waterfall_names_the_deemed_liquidation(
    client: TestClient, world: World
) -> None:
    """`?event=sale_of_assets` is `charter waterfall --event sale_of_assets`: the same
    distribution as a liquidation (2(c) deems the sale one), with the kind and clause named; a
    merger with the company's parent is not deemed a liquidation: 422 with the sentence."""
    auth = world.auth("counsel")
    sale = client.get(f"{API}/waterfall?exit=60000000&event=sale_of_assets", headers=auth).json()
    plain = client.get(f"{API}/waterfall?exit=60000000", headers=auth).json()
    assert sale["event"] == {"kind": "sale_of_assets", "deemed": True, "citation": "Art. IV.B.2(c)"}
    assert sale["holders"] == plain["holders"]
    r = client.get(f"{API}/waterfall?exit=60000000&event=merger&counterparty=parent", headers=auth)
    assert r.status_code == 422
    assert "a merger with a parent is not deemed" in r.json()["detail"]


def test_art_iv_b_2_nothing_to_distribute_pays_nobody(client: TestClient, world: World) -> None:
    """An exit of 0.00: no preference is paid and nothing remains (Art. IV.B.2(a)-(c));
    every holder's amount is 0.00."""
    data = client.get(f"{API}/waterfall?exit=0", headers=world.auth("admin")).json()
    assert data["holders"] and {h["amount"] for h in data["holders"].values()} == {"0.00"}


@pytest.mark.parametrize("login", ["ashworth", "okafor"])
def test_stockholder_waterfall_and_curve_show_only_own_row(
    client: TestClient, world: World, login: str
) -> None:
    """A stockholder's waterfall and curve: its own holder row and line, no other holder's
    id anywhere in the answer (trace, exercised grants, breakpoints), at any exit value."""
    me = {"ashworth": "r.ashworth", "okafor": "d.okafor"}[login]
    everyone = client.get(f"{API}/captable", headers=world.auth("admin")).json()
    others = [h for h in everyone["holders"] if h != me] + [
        g for g, v in everyone["grants"].items() if v["holder"] != me
    ]
    for exit_value in ("0", "45000000", "60000000.00", "250000000"):
        r = client.get(f"{API}/waterfall", params={"exit": exit_value}, headers=world.auth(login))
        assert r.status_code == 200
        assert list(r.json()["holders"]) == [me]
        assert not [o for o in others if f'"{o}"' in r.text or f" {o}," in r.text]
    r = client.get(f"{API}/curve?from=0&to=100000000", headers=world.auth(login))
    assert r.status_code == 200
    assert list(r.json()["holders"]) == [me]
    assert not [o for o in others if o in r.text.replace(me, "")]


def test_stockholder_cannot_reach_officers_views_or_others_certificates(
    client: TestClient, world: World
) -> None:
    """Votes, board, approvals, meeting plans and the ROFR queue name every holder: 403 for
    a stockholder. Certificates: only its own; another's number is not found, as one that
    does not exist."""
    auth = world.auth("ashworth")
    for path in (
        "votes",
        "board",
        "rofr",
        "approvals?action=merger",
        "meeting-plan?kind=annual&date=2000-03-15",
    ):
        r = client.get(f"{API}/{path}", headers=auth)
        assert r.status_code == 403, path
        assert "administrators, counsel and directors" in r.json()["detail"]
    mine = client.get(f"{API}/certificates", headers=auth).json()["certificates"]
    assert mine and {c["holder"] for c in mine} == {"r.ashworth"}
    every = client.get(f"{API}/certificates?all=true", headers=world.auth("admin")).json()
    theirs = [c["number"] for c in every["certificates"] if c["holder"] != "r.ashworth"]
    assert theirs
    for number in [*theirs[:5], "99999"]:
        r = client.get(f"{API}/certificates/{number}/pdf", headers=auth)
        assert r.status_code == 404
        assert r.json()["detail"] == f"number: certificate {number} is not on the register."
    r = client.get(f"{API}/certificates/{mine[0]['number']}/pdf", headers=auth)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


@pytest.mark.parametrize("login", ["ashworth", "counsel"])
def test_stockholder_pages_hide_other_rows(client: TestClient, world: World, login: str) -> None:
    """The waterfall page: a stockholder's has its own row only; counsel's has Okafor's."""
    page = client.get(f"/c/{QUINTUS}/waterfall?exit=90000000", headers=world.auth(login)).text
    assert 'data-holder="r.ashworth"' in page
    assert ('data-holder="d.okafor"' in page) == (login == "counsel")
    certs = client.get(f"/c/{QUINTUS}/certificates", headers=world.auth(login)).text
    assert ('data-holder="d.okafor"' in certs) == (login == "counsel")


def test_other_company_engines_not_found(client: TestClient, world: World) -> None:
    for path in ("waterfall?exit=1", "curve?from=0&to=1", "votes", "rofr", "certificates"):
        r = client.get(f"/api/companies/{OTHER}/{path}", headers=world.auth("counsel"))
        assert r.status_code == 404, path


def test_art_iv_b_5_votes_api_is_the_cli_json(
    client: TestClient, world: World, store: Store
) -> None:
    """`GET .../votes` is `charter votes --json` (the rule's own document)."""
    data = client.get(f"{API}/votes", headers=world.auth("director")).json()
    assert data == votes_json(voting_power(Session(store, store.company(QUINTUS)).state()))


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("waterfall?exit=-5", "negative"),
        ("waterfall?exit=1.001", "fractions of a cent"),
        ("waterfall?exit=abc", "is not a decimal amount"),
        ("waterfall?exit=1&reading=nope=x", "there is no reading named 'nope'"),
        ("waterfall?exit=1&event=ipo", "'ipo' is not a liquidation or a transaction deemed"),
        ("waterfall?exit=1&event=change_of_control&voting_power_disposed=2", "between 0 and 1"),
        ("curve?from=10&to=5", "must be above from"),
        ("approvals?action=nope", "is not an action"),
        ("meeting-plan?kind=weekly&date=2000-01-01", "is not annual or special"),
    ],
)
def test_bad_engine_queries_are_a_422_with_a_sentence(
    client: TestClient, world: World, path: str, sentence: str
) -> None:
    r = client.get(f"{API}/{path}", headers=world.auth("admin"))
    assert r.status_code == 422
    assert sentence in r.json()["detail"]
