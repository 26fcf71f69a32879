"""The JSON API: the CLI's shapes over HTTP, roles, isolation between holders and companies,
and bad input answered with a 4xx and one clear sentence, nothing written."""

from __future__ import annotations

from fractions import Fraction

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from charter.ledger.store import Store
from charter.rules.captable import captable, captable_json
from charter.server.accounts import Accounts, users
from charter.service import Session
from tests.web_support import OTHER, PASSWORD, QUINTUS, World

API = f"/api/companies/{QUINTUS}"
ISSUE = {
    "date": "1999-11-01",
    "type": "issue",
    "holder": "r.ashworth",
    "class": "common",
    "shares": 1000,
    "price": "0.10",
}


def last_sequence(store: Store, slug: str = QUINTUS) -> int:
    return store.last_sequence(store.company(slug))


def test_api_captable_is_the_cli_contract_shape(
    client: TestClient, world: World, store: Store
) -> None:
    """`GET .../captable` is `charter captable --json` (spec/cli-contract.md): the same
    document the rules give, not a second computation. By hand from examples/quintus.yaml:
    Ashworth holds 2,500,000 founder's common (iss-common-1) - 400,000 given to her trust
    (tr-1997-01) = 2,100,000 common; common outstanding is 6,000,000 founders' + 62,500 +
    80,000 + 20,000 + 150,000 exercises + 5,000 warrant (H) = 6,317,500."""
    r = client.get(f"{API}/captable", headers=world.auth("counsel"))
    assert r.status_code == 200
    data = r.json()
    s = Session(store, store.company(QUINTUS))
    assert data == captable_json(captable(s.state()))
    assert data["holders"]["r.ashworth"]["common"] == 2_100_000
    assert data["classes"]["common"]["outstanding"] == 6_317_500
    assert data["as_of"] == "1999-10-31"


def test_api_captable_as_of_a_date(client: TestClient, world: World) -> None:
    """As of 1996-12-31, before the gift to the trust on 1997-03-03, Ashworth still holds all
    2,500,000 founder's shares."""
    r = client.get(f"{API}/captable?as_of=1996-12-31", headers=world.auth("admin"))
    assert r.status_code == 200
    assert r.json()["holders"]["r.ashworth"]["common"] == 2_500_000


def test_stockholder_sees_only_own_holder_row(client: TestClient, world: World) -> None:
    """A stockholder's cap table has its own row and grants only (2,100,000 common for
    Ashworth, by hand as above); the class totals of the documents stay."""
    data = client.get(f"{API}/captable", headers=world.auth("ashworth")).json()
    assert list(data["holders"]) == ["r.ashworth"]
    assert data["holders"]["r.ashworth"]["common"] == 2_100_000
    assert all(g["holder"] == "r.ashworth" for g in data["grants"].values())
    assert data["classes"]["common"]["outstanding"] == 6_317_500
    other = client.get(f"{API}/captable", headers=world.auth("okafor")).json()
    assert list(other["holders"]) == ["d.okafor"]


def test_stockholder_history_names_only_itself(client: TestClient, world: World) -> None:
    """Ashworth's events in the example are three: her founder's issue (iss-common-1), the
    gift to her trust (tr-1997-01) and the closing check of her holding."""
    r = client.get(f"{API}/history", headers=world.auth("ashworth"))
    assert r.status_code == 200
    assert [e.get("id") for e in r.json()] == [
        "iss-common-1",
        "tr-1997-01",
        "assert-1999-10-31-ashworth",
    ]
    everything = client.get(f"{API}/history", headers=world.auth("director")).json()
    assert len(everything) > 3


@pytest.mark.parametrize("login", ["ashworth", "admin", "counsel"])
def test_another_company_is_not_found_whether_it_exists_or_not(
    client: TestClient, world: World, login: str
) -> None:
    """Another company's anything: the same 404 and sentence as a company that does not
    exist, for every endpoint."""
    for path in ("captable", "history", "terms", "verify"):
        theirs = client.get(f"/api/companies/{OTHER}/{path}", headers=world.auth(login))
        none = client.get(f"/api/companies/no-such-co/{path}", headers=world.auth(login))
        assert theirs.status_code == none.status_code == 404
        assert theirs.json()["detail"] == f"company: no company {OTHER!r} is open to this account."
    names = [c["slug"] for c in client.get("/api/companies", headers=world.auth(login)).json()]
    assert names == [QUINTUS]


@pytest.mark.parametrize("login", ["ashworth", "counsel", "director", "other-admin"])
def test_only_an_administrator_of_the_company_records_an_issue(
    client: TestClient, world: World, store: Store, login: str
) -> None:
    before = last_sequence(store)
    r = client.post(f"{API}/events", json={"events": [ISSUE]}, headers=world.auth(login))
    assert r.status_code in (403, 404)
    assert r.headers["content-type"] == "application/problem+json"
    assert last_sequence(store) == before


def test_administrator_appends_a_batch_whole(
    client: TestClient, world: World, store: Store
) -> None:
    before = last_sequence(store)
    second = {**ISSUE, "holder": "d.okafor"}
    r = client.post(f"{API}/events", json={"events": [ISSUE, second]}, headers=world.auth("admin"))
    assert r.status_code == 201
    assert r.json()["appended"] == [before + 1, before + 2]
    receipt = r.json()["checkpoint"]  # the append's receipt: the new head, signed
    assert (receipt["company"], receipt["sequence"]) == ("quintus-corporation", before + 2)
    assert last_sequence(store) == before + 2
    assert last_sequence(store, OTHER) == before  # the other company's ledger is untouched


def test_art_iv_b_a_batch_over_the_authorized_writes_nothing(
    client: TestClient, world: World, store: Store
) -> None:
    """Series A: 9,100,000 authorized (Art. IV.B), 8,850,000 outstanding in the example; a
    batch whose second event issues 10,000,000 more is refused whole with the CLI's
    sentence, the first (good) event not written either."""
    before = last_sequence(store)
    bad = {**ISSUE, "date": "1999-11-02", "class": "series_a", "shares": 10_000_000}
    r = client.post(f"{API}/events", json={"events": [ISSUE, bad]}, headers=world.auth("admin"))
    assert r.status_code == 422
    body = r.json()
    assert "beyond the 9,100,000 authorized (Art. IV.B)." in body["detail"]
    assert body["errors"][0]["citation"] == "Art. IV.B"
    assert last_sequence(store) == before


@pytest.mark.parametrize(
    ("body", "content_type", "status", "sentence"),
    [
        (b"{not json", "application/json", 422, "body: the request body is not valid JSON."),
        (b'{"events": "x"}', "application/json", 422, "events:"),
        (b'{"events": []}', "application/json", 422, "events:"),
        (b'{"events": [{"date": "1999-11-01"}]}', "application/json", 422, "type"),
        (b"x" * (1 << 21), "application/json", 413, "larger than 1,048,576 bytes"),
    ],
)
def test_bad_request_bodies_are_refused_with_a_sentence(
    client: TestClient,
    world: World,
    store: Store,
    body: bytes,
    content_type: str,
    status: int,
    sentence: str,
) -> None:
    before = last_sequence(store)
    r = client.post(
        f"{API}/events",
        content=body,
        headers={**world.auth("admin"), "content-type": content_type},
    )
    assert r.status_code == status
    assert sentence in r.json()["detail"]
    assert last_sequence(store) == before


@pytest.mark.parametrize(
    ("as_of", "sentence"),
    [
        ("1900-01-01", "is before the company's first event (1994-02-01)"),
        ("99999-01-01", "is not a date in the form YYYY-MM-DD"),
        ("1999-02-30", "is not a date in the form YYYY-MM-DD"),
    ],
)
def test_a_date_out_of_range_is_a_422_with_a_sentence(
    client: TestClient, world: World, as_of: str, sentence: str
) -> None:
    r = client.get(f"{API}/captable", params={"as_of": as_of}, headers=world.auth("admin"))
    assert r.status_code == 422
    assert sentence in r.json()["detail"]


def test_unknown_clause_is_a_422_with_the_cli_sentence(client: TestClient, world: World) -> None:
    r = client.get(f"{API}/terms", params={"clause": "Art. XCIX"}, headers=world.auth("admin"))
    assert r.status_code == 422
    assert r.json()["detail"] == "CLAUSE: no term in force cites 'Art. XCIX'."


def test_terms_citing_a_clause(client: TestClient, world: World) -> None:
    """Art. IV.B.2(a)(i): Series A's liquidation preference of $1.00 per share."""
    r = client.get(
        f"{API}/terms", params={"clause": "Art. IV.B.2(a)(i)"}, headers=world.auth("ashworth")
    )
    assert r.status_code == 200
    blocks = r.json()["blocks"]
    prefs = [
        b["terms"]["preference_per_share"] for b in blocks if "preference_per_share" in b["terms"]
    ]
    assert [Fraction(p) for p in prefs] == [1]


def test_verify_reports_the_intact_chain(client: TestClient, world: World, store: Store) -> None:
    r = client.get(f"{API}/verify", headers=world.auth("director"))
    n = last_sequence(store)
    body = r.json()
    assert {k: body[k] for k in ("events", "intact", "first_broken", "problems")} == {
        "events": n,
        "intact": True,
        "first_broken": None,
        "problems": [],
    }
    assert body["message"].startswith(f"The hash chain of {n} events is intact; ")
    assert body["latest_checkpoint"]["sequence"] == n


def test_no_credentials_or_a_wrong_token_is_a_401(client: TestClient) -> None:
    assert client.get(f"{API}/captable").status_code == 401
    r = client.get(f"{API}/captable", headers={"Authorization": "Bearer ct_forged"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_passwords_are_hashed_with_argon2id(world: World, store: Store) -> None:
    with store.engine.connect() as conn:
        hashes = [r.password_hash for r in conn.execute(select(users))]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)
    default = Accounts(store).hasher  # what `charter users` and the server use
    assert default.memory_cost >= 64 * 1024 and default.type.name == "ID"


def test_openapi_schema_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("captable", "history", "terms", "verify", "events"):
        assert f"/api/companies/{{company}}/{p}" in paths
    assert "/api/companies" in paths
