"""The IPO simulator, the conversion-price history and the notices of record date over HTTP:
the same JSON as `charter ipo`, `charter conversion-prices` and `charter notices`; a
stockholder sees its own holder rows and notices, whatever ids it tries."""

from __future__ import annotations

from fractions import Fraction

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.numbers import per_share
from charter.rules.conversion_prices import conversion_prices, conversion_prices_json
from charter.rules.ipo import ipo_json, simulate_ipo
from charter.server.accounts import Accounts
from charter.service import Session
from charter.state.model import State
from tests.web_support import OTHER, PASSWORD, QUINTUS, TEST_HASHER, World, populate

API = f"/api/companies/{QUINTUS}"
# A down round after the example's last event: 2,000,000 common at $0.50, below every
# series' conversion price; and a property dividend whose record date needs notice.
DOWN_ROUND = {"date": "1999-11-15", "type": "issue", "id": "down-round", "holder": "redwood-iii",
              "class": "common", "shares": 2_000_000, "price": "0.50"}  # fmt: skip
PROPERTY_DIVIDEND = {"date": "1999-11-20", "type": "dividend", "id": "div-prop",
                     "kind": "property", "per_share": {"common": "0.01"},
                     "record_date": "1999-12-20"}  # fmt: skip


@pytest.fixture
def world(store: Store) -> World:
    """The web tests' world, and a stockholder who holds preferred: Hollis (120,000 Series A
    in the example)."""
    w = populate(store)
    accounts = Accounts(store, TEST_HASHER)
    user = accounts.create_user("hollis", "G. Hollis", PASSWORD)
    accounts.grant_role(user, store.company(QUINTUS), "stockholder", "g.hollis")
    w.tokens["hollis"] = accounts.create_token(user)
    return w


def _state(store: Store) -> State:
    return Session(store, store.company(QUINTUS)).state()


def test_art_iv_b_3b_i_api_ipo_is_the_cli_json(
    client: TestClient, world: World, store: Store
) -> None:
    """`GET .../ipo` is `charter ipo --json`. $12.00 a share, $40,000,000 gross: not less
    than the $40,000,000 of Art. IV.B.3(b)(i), so qualified. Hollis's 120,000 Series A
    convert at 1.00/1.00 into 120,000 common with a Cash Amount of 120,000 x $0.925 =
    $111,000.00 (Art. IV.B.3(a)(i)). With $1,000.00 legally available the holders' paid
    amounts add up to 1,000.00 to the cent and the rest is owed (Art. IV.B.3(c))."""
    r = client.get(
        f"{API}/ipo",
        params={"price": "12", "gross": "40000000", "funds_available": "1000"},
        headers=world.auth("counsel"),
    )
    assert r.status_code == 200
    data = r.json()
    expected = simulate_ipo(_state(store), Fraction(12), Fraction(40_000_000), Fraction(1000))
    assert data == ipo_json(expected)
    assert data["qualified"] is True
    hollis = data["holders"]["g.hollis"]["series_a"]
    assert (hollis["preferred"], hollis["common"], hollis["cash"]) == (
        120_000,
        120_000,
        "111000.00",
    )
    paid = sum(
        int(v["cash_paid"].replace(".", "")) for h in data["holders"].values() for v in h.values()
    )
    assert paid == 100_000  # cents
    assert data["cash"]["paid_at_conversion"] == "1000.00"
    due = Fraction(data["cash"]["due"])
    assert Fraction(data["cash"]["owed"]) == due - 1000


def test_art_iv_b_3b_i_one_cent_short_is_not_qualified(client: TestClient, world: World) -> None:
    """$39,999,999.99 gross is less than the $40,000,000 aggregate offering price of Art.
    IV.B.3(b)(i): not qualified, nothing converts, the reason says so."""
    r = client.get(
        f"{API}/ipo", params={"price": "12", "gross": "39999999.99"}, headers=world.auth("admin")
    )
    data = r.json()
    assert data["qualified"] is False and data["holders"] == {} and data["classes"] == {}
    assert data["reasons"] == ["its aggregate offering price is less than 40000000.00"]


@pytest.mark.parametrize(("login", "me"), [("hollis", "g.hollis"), ("ashworth", None)])
def test_stockholder_ipo_shows_only_own_holder_rows(
    client: TestClient, world: World, login: str, me: str | None
) -> None:
    """A stockholder's IPO simulation: the company's classes and totals, its own holder rows
    (Hollis: his Series A; Ashworth, who holds no preferred: none), no other holder's id in
    the answer or on the page."""
    everyone = client.get(f"{API}/captable", headers=world.auth("admin")).json()
    others = [h for h in everyone["holders"] if h != me]
    query = {"price": "12", "gross": "40000000"}
    r = client.get(f"{API}/ipo", params=query, headers=world.auth(login))
    assert r.status_code == 200
    assert list(r.json()["holders"]) == ([me] if me else [])
    assert r.json()["classes"]  # the company's conversion is open to every member
    assert not [o for o in others if f'"{o}"' in r.text]
    page = client.get(f"/c/{QUINTUS}/ipo", params=query, headers=world.auth(login)).text
    assert ('data-holder="g.hollis"' in page) == (me == "g.hollis")
    assert 'data-holder="redwood-iii"' not in page
    counsel = client.get(f"/c/{QUINTUS}/ipo", params=query, headers=world.auth("counsel")).text
    assert 'data-holder="redwood-iii"' in counsel and 'data-holder="g.hollis"' in counsel


def test_art_iv_b_3d_i_a_conversion_prices_api_is_the_cli_json(
    client: TestClient, world: World, store: Store
) -> None:
    """After the down round, `GET .../conversion-prices` is `charter conversion-prices --json`
    for every member (company-level), and a kept answer is not served once the ledger has
    grown. Series A (price 1.00): B = 2,000,000 x 0.50 / 1.00 =
    1,000,000, C = 2,000,000, new price = 1.00 x (A + B) / (A + C) with the A reported.
    Series D (price 2.75): B = 1,000,000 / 2.75 = 363,636.363636..."""
    before = client.get(f"{API}/conversion-prices", headers=world.auth("ashworth")).json()
    assert before["series_a"]["history"] == []  # answered, and kept, before the down round
    r = client.post(f"{API}/events", json={"events": [DOWN_ROUND]}, headers=world.auth("admin"))
    assert r.status_code == 201
    data = client.get(f"{API}/conversion-prices", headers=world.auth("ashworth")).json()
    assert data == conversion_prices_json(conversion_prices(_state(store)))
    [a] = data["series_a"]["history"]
    assert (a["event"], a["date"], a["from"], a["citation"]) == (
        "down-round", "1999-11-15", "1.000000", "Art. IV.B.3(d)(i)(A)"
    )  # fmt: skip
    assert (a["b"], a["c"]) == ("1000000.000000", "2000000.000000")
    big_a = Fraction(a["a"])
    assert a["to"] == per_share((big_a + 1_000_000) / (big_a + 2_000_000))
    assert data["series_a"]["conversion_price"] == a["to"]
    [d] = data["series_d"]["history"]
    assert d["b"] == "363636.363636"
    page = client.get(f"/c/{QUINTUS}/conversion-prices", headers=world.auth("ashworth")).text
    assert 'data-history="series_a"' in page and "down-round" in page


def test_adjusted_price_precision_reading_is_selectable(client: TestClient, world: World) -> None:
    """`reading=adjusted-price-precision=micro` replays under that reading; an unknown
    reading is a 422 naming it."""
    client.post(f"{API}/events", json={"events": [DOWN_ROUND]}, headers=world.auth("admin"))
    r = client.get(
        f"{API}/conversion-prices",
        params={"reading": "adjusted-price-precision=micro"},
        headers=world.auth("admin"),
    )
    assert r.status_code == 200
    page = client.get(
        f"/c/{QUINTUS}/conversion-prices",
        params={"reading": "adjusted-price-precision=micro"},
        headers=world.auth("admin"),
    ).text
    assert '<option value="adjusted-price-precision=micro" selected' in page
    r = client.get(f"{API}/conversion-prices?reading=nope=x", headers=world.auth("admin"))
    assert r.status_code == 422 and "there is no reading named 'nope'" in r.json()["detail"]


def test_art_iv_b_4_notices_to_the_preferred_only_own_for_a_stockholder(
    client: TestClient, world: World
) -> None:
    """A property dividend declared 1999-11-20 with record date 1999-12-20: notice to every
    holder of preferred at least 20 days before, by 1999-11-30 (Art. IV.B.4). Counsel sees
    all twelve holders of preferred in the example; Hollis sees the notice addressed to him
    alone; Ashworth, who holds no preferred, sees none."""
    r = client.post(
        f"{API}/events", json={"events": [PROPERTY_DIVIDEND]}, headers=world.auth("admin")
    )
    assert r.status_code == 201
    [n] = client.get(f"{API}/notices", headers=world.auth("counsel")).json()["notices"]
    assert (n["record_date"], n["mail_by"], n["on_time_possible"]) == (
        "1999-12-20", "1999-11-30", True
    )  # fmt: skip
    assert len(n["to"]) == 12 and "g.hollis" in n["to"]
    [mine] = client.get(f"{API}/notices", headers=world.auth("hollis")).json()["notices"]
    assert mine["to"] == ["g.hollis"]
    assert client.get(f"{API}/notices", headers=world.auth("ashworth")).json() == {"notices": []}
    page = client.get(f"/c/{QUINTUS}/conversion-prices", headers=world.auth("hollis")).text
    assert 'data-event="div-prop"' in page and "Redwood" not in page


def test_art_iv_b_3c_cash_owed_api_and_page_only_own_for_a_stockholder(
    client: TestClient, world: World
) -> None:
    """Series A-D convert on the election of Redwood (5,200,000 of A-D) and Sandhill
    (4,700,000): 9,900,000 of the 13,950,000 outstanding, a majority (Art. IV.B.3(a)). Cash
    Amounts due (3(a)(i)-(iv)): A 8,850,000 x 0.925 = 8,186,250; B 800,000 x 1.325 =
    1,060,000; C 2,900,000 x 1.765 = 5,118,500; D 1,400,000 x 2.544 = 3,561,600; in all
    17,926,350.00. With 8,963,175.00 legally available (half), each holder is paid half and
    owed half (3(c)): Hollis's 120,000 Series A are due 111,000.00, paid and owed 55,500.00.
    Counsel sees the totals and every holder; Hollis only his own row; Ashworth (no A-D)
    none."""
    election = {"date": "1999-11-01", "type": "convert_election", "id": "a-d",
                "classes": ["series_a", "series_b", "series_c", "series_d"],
                "consents": ["redwood-iii", "sandhill-ii"], "funds_available": "8963175.00"}  # fmt: skip
    r = client.post(f"{API}/events", json={"events": [election]}, headers=world.auth("admin"))
    assert r.status_code == 201, r.text
    everything = client.get(f"{API}/cash-owed", headers=world.auth("counsel")).json()
    assert everything["cash"] == {"due": "17926350.00", "paid": "8963175.00", "owed": "8963175.00"}
    assert everything["holders"]["g.hollis"] == {
        "series_a": {"due": "111000.00", "paid": "55500.00", "owed": "55500.00"}
    }
    assert "redwood-iii" in everything["holders"]
    mine = client.get(f"{API}/cash-owed", headers=world.auth("hollis")).json()
    assert list(mine["holders"]) == ["g.hollis"]
    assert all(set(h["holders"]) <= {"g.hollis"} for h in mine["history"])
    assert client.get(f"{API}/cash-owed", headers=world.auth("ashworth")).json()["holders"] == {}
    page = client.get(f"/c/{QUINTUS}/conversion-prices", headers=world.auth("hollis")).text
    assert 'data-holder="g.hollis" data-class="series_a"' in page
    assert 'data-holder="redwood-iii"' not in page


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("price=0&gross=40000000", "price: '0' must be more than zero"),
        ("price=12&gross=abc", "gross: gross 'abc' is not a decimal number"),
        ("price=12&gross=40000000&funds_available=-1", "'-1' must be zero or more"),
        ("price=12&gross=40000000&as_of=1999-13-01", "as_of"),
        ("price=12&gross=40000000&reading=nope=x", "there is no reading named 'nope'"),
    ],
)
def test_bad_ipo_queries_are_a_422_with_a_sentence(
    client: TestClient, world: World, query: str, sentence: str
) -> None:
    r = client.get(f"{API}/ipo?{query}", headers=world.auth("admin"))
    assert r.status_code == 422
    assert sentence in r.json()["detail"]


def test_other_company_ipo_and_prices_not_found(client: TestClient, world: World) -> None:
    """Another company's simulator, prices and notices: 404, as for one that does not exist,
    through the API and the pages."""
    for path in ("ipo?price=12&gross=40000000", "conversion-prices", "notices", "cash-owed"):
        r = client.get(f"/api/companies/{OTHER}/{path}", headers=world.auth("hollis"))
        assert r.status_code == 404, path
    for path in ("ipo", "conversion-prices"):
        r = client.get(f"/c/{OTHER}/{path}", headers=world.auth("hollis"))
        assert r.status_code == 404, path


# A 1:2 combination of Series E (every holding even), then the Series A-D elect to convert
# (redwood-iii and sandhill-ii hold 9,900,000 of their 13,950,000 shares) with $1,000,000
# legally available for Cash Amounts of 8,850,000 x 0.925 + 800,000 x 1.325 + 2,900,000 x
# 1.765 + 1,400,000 x 2.544 = 17,158,350: the rest is owed (Art. IV.B.3(c)).
COMBINE_E = {"date": "1999-11-15", "type": "split", "id": "combine-e", "class": "series_e",
             "ratio": "1:2"}  # fmt: skip
ELECT = {"date": "1999-11-20", "type": "convert_election", "id": "elect",
         "classes": ["series_a", "series_b", "series_c", "series_d"],
         "consents": ["redwood-iii", "sandhill-ii"], "funds_available": "1000000"}  # fmt: skip


def test_art_iv_b_2a_3c_waterfall_page_shows_adjusted_terms_and_owed_cash(
    client: TestClient, world: World
) -> None:
    """The waterfall page and JSON show the Series E preference as adjusted ($4.15 x 2 =
    $8.30 after the 1:2 combination) and the Cash Amounts owed since the election as a
    claim (owed-cash-amount-priority); a stockholder sees its own row of what is owed."""
    r = client.post(
        f"{API}/events", json={"events": [COMBINE_E, ELECT]}, headers=world.auth("admin")
    )
    assert r.status_code == 201, r.text
    page = client.get(
        f"/c/{QUINTUS}/waterfall", params={"exit": "60000000"}, headers=world.auth("counsel")
    ).text
    assert (
        "liquidation preference $4.15, as adjusted for the 1:2 combination of 1999-11-15: $8.30"
        in page
    )
    assert 'id="wf-owed"' in page and 'data-holder="redwood-iii"' in page
    mine = client.get(
        f"{API}/waterfall", params={"exit": "60000000"}, headers=world.auth("hollis")
    ).json()
    assert list(mine["cash_owed"]["holders"]) == ["g.hollis"]
    assert mine["cash_owed"]["rank"] == "before-all-preferences"
    ipo = client.get(
        f"/c/{QUINTUS}/ipo",
        params={"price": "12", "gross": "40000000"},
        headers=world.auth("counsel"),
    ).text
    assert "Terms as adjusted" in ipo and "$10.375, as adjusted for the 1:2 combination" in ipo
