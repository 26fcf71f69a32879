"""The pages: signing in with CSRF and a throttle on failures, and what each role sees."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.server.throttle import LoginThrottle, Policy
from charter.web.app import create_app
from tests.web_support import (
    ACCOUNTS,
    OTHER,
    PASSWORD,
    QUINTUS,
    World,
    hidden,
    sign_in,
)

PAGES = ("", "captable", "history", "terms")


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(
        create_app(
            world.url,
            throttle=LoginThrottle(Store(world.url).engine, Policy(free=3, first_delay=60)),
        )
    ) as c:
        yield c


def test_pages_need_a_session(client: TestClient) -> None:
    r = client.get(f"/c/{QUINTUS}/captable", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=/c/{QUINTUS}/captable"


def test_sign_in_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    r = client.post("/login", data={"login": "admin", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403
    assert "The sign-in form had expired" in r.text


def test_failed_sign_ins_are_rate_limited(client: TestClient) -> None:
    """After 3 failures (the free failures of this app's policy), even the right password
    waits the first delay (60 s here), with Retry-After."""
    assert [sign_in(client, "admin", "wrong password") for _ in range(3)] == [401, 401, 401]
    form = client.get("/login")
    r = client.post(
        "/login",
        data={"login": "admin", "password": PASSWORD, "csrf": hidden(form.text, "csrf")},
        follow_redirects=False,
    )
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in r.text


def test_administrator_sees_every_holder_and_records_with_csrf(
    client: TestClient, store: Store
) -> None:
    assert sign_in(client, "admin") == 303
    page = client.get(f"/c/{QUINTUS}/captable?sort=name&per=10")
    assert page.status_code == 200
    assert "25 with shares" in page.text
    assert len(re.findall(r'data-holder="', page.text)) == 10
    assert "Page 1 of 3" in page.text  # 25 holders with shares in the example, 10 a page
    before = store.last_sequence(store.company(QUINTUS))
    history = client.get(f"/c/{QUINTUS}/history")
    event = '- {date: 1999-11-01, type: issue, holder: r.ashworth, class: common, shares: 1000, price: "0.10"}'
    forged = client.post(f"/c/{QUINTUS}/history", data={"events": event, "csrf": "forged"})
    assert forged.status_code == 403
    assert store.last_sequence(store.company(QUINTUS)) == before
    ok = client.post(
        f"/c/{QUINTUS}/history", data={"events": event, "csrf": hidden(history.text, "csrf")}
    )
    assert ok.status_code == 200
    assert f"Recorded events {before + 1}." in ok.text
    assert store.last_sequence(store.company(QUINTUS)) == before + 1


def test_recording_a_bad_event_shows_the_sentence_and_writes_nothing(
    client: TestClient, store: Store
) -> None:
    """Art. IV.B: 9,100,000 Series A authorized, 8,850,000 outstanding: 10,000,000 more is
    refused."""
    sign_in(client, "admin")
    csrf = hidden(client.get(f"/c/{QUINTUS}/history").text, "csrf")
    before = store.last_sequence(store.company(QUINTUS))
    event = '- {date: 1999-11-01, type: issue, holder: r.ashworth, class: series_a, shares: 10000000, price: "1.00"}'
    r = client.post(f"/c/{QUINTUS}/history", data={"events": event, "csrf": csrf})
    assert r.status_code == 422
    assert "beyond the 9,100,000 authorized (Art. IV.B)." in r.text
    assert store.last_sequence(store.company(QUINTUS)) == before


@pytest.mark.parametrize("page", PAGES)
def test_stockholder_pages_show_no_other_holder(client: TestClient, page: str) -> None:
    """Ashworth's pages name no other holder, sorted any way, on any page number. (Her own
    gift to her family trust names the trust as its transferee: that event is hers.)"""
    sign_in(client, "ashworth")
    others = [h for _, (_, _, h) in ACCOUNTS.items() if h and h != "r.ashworth"] + [
        "g.okafor",
        "s.chen",
    ]
    for query in ("", "?sort=id&desc=true", "?page=2&per=5", "?as_of=1996-12-31", "?as_of="):
        r = client.get(f"/c/{QUINTUS}/{page}{query}")
        assert r.status_code == 200, r.text
        if page == "captable":
            assert re.findall(r'data-holder="([^"]+)"', r.text) == ["r.ashworth"]
        if page in ("captable", "history"):
            for other in others:
                assert other not in r.text, (page, query, other)


def test_stockholder_cannot_record_even_with_its_csrf_token(
    client: TestClient, store: Store
) -> None:
    sign_in(client, "ashworth")
    history = client.get(f"/c/{QUINTUS}/history")
    assert "Record events" not in history.text
    csrf = hidden(history.text, "csrf")  # the sign-out form's
    before = store.last_sequence(store.company(QUINTUS))
    event = '- {date: 1999-11-01, type: issue, holder: r.ashworth, class: common, shares: 1, price: "1.00"}'
    r = client.post(f"/c/{QUINTUS}/history", data={"events": event, "csrf": csrf})
    assert r.status_code == 403
    assert "a stockholder of quintus-corporation records nothing" in r.text
    assert store.last_sequence(store.company(QUINTUS)) == before


@pytest.mark.parametrize("page", [*PAGES, "documents/001_10bd734e579d0ca0.txt"])
def test_another_company_page_is_not_found(client: TestClient, page: str) -> None:
    sign_in(client, "ashworth")
    r = client.get(f"/c/{OTHER}/{page}")
    assert r.status_code == 404
    assert f"no company {OTHER!r} is open to this account" in html.unescape(r.text)


def test_only_the_company_documents_are_served(client: TestClient) -> None:
    sign_in(client, "counsel")
    assert client.get(f"/c/{QUINTUS}/documents/002_5ceec09fb73addda.txt").status_code == 200
    r = client.get(f"/c/{QUINTUS}/documents/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404


def test_every_engine_is_in_the_navigation_as_a_link(client: TestClient) -> None:
    """All engines have landed: the director's navigation links each feature, none greyed;
    a stockholder's links the IPO simulator and conversion prices but not the votes."""
    sign_in(client, "director")
    page = client.get(f"/c/{QUINTUS}/").text
    for key in ("waterfall", "ipo", "conversion-prices", "votes", "rofr"):
        assert f'href="/c/{QUINTUS}/{key}"' in page, key
    assert "Arrives with" not in page
    client.cookies.clear()
    sign_in(client, "ashworth")
    page = client.get(f"/c/{QUINTUS}/").text
    assert f'href="/c/{QUINTUS}/ipo"' in page and f'href="/c/{QUINTUS}/conversion-prices"' in page
    assert f'href="/c/{QUINTUS}/votes"' not in page


def test_api_token_created_on_the_account_page_works(client: TestClient) -> None:
    sign_in(client, "counsel")
    csrf = hidden(client.get("/account").text, "csrf")
    page = client.post("/account/tokens", data={"label": "sheet", "csrf": csrf}).text
    token = re.search(r'id="new-token">([^<]+)<', page)
    assert token
    client.cookies.clear()
    r = client.get(
        f"/api/companies/{QUINTUS}/verify", headers={"Authorization": f"Bearer {token.group(1)}"}
    )
    assert r.status_code == 200


def test_sign_out_ends_the_session(client: TestClient) -> None:
    sign_in(client, "admin")
    csrf = hidden(client.get("/account").text, "csrf")
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    r = client.get(f"/c/{QUINTUS}/", follow_redirects=False)
    assert r.status_code == 303
