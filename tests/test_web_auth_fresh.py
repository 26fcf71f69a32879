"""Each request checks its credential and membership afresh (one query, nothing kept): a
session signed out, a password changed, a token revoked, a member removed or a role changed
takes effect on the very next request, in every server process, even when the same question
was just answered from the cache of encoded answers. Two apps over one database stand for
two workers of `charter serve --workers 2`; the changes are made through one of them, or
from outside both (the CLI, another process) straight in the database."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from charter.ledger.store import Store
from charter.server.accounts import Accounts, api_tokens, memberships, web_sessions
from charter.web.app import create_app
from charter.web.context import SESSION_COOKIE
from tests.test_web_pages import hidden, sign_in
from tests.web_support import QUINTUS, TEST_HASHER, World

API = f"/api/companies/{QUINTUS}/captable"
PAGE = f"/c/{QUINTUS}/captable"
ISSUE = {
    "date": "1999-11-01",
    "type": "issue",
    "holder": "r.ashworth",
    "class": "common",
    "shares": 1000,
    "price": "0.10",
}


@pytest.fixture
def workers(world: World) -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app(world.url)) as a, TestClient(create_app(world.url)) as b:
        yield a, b


def signed_in_on_both(workers: tuple[TestClient, TestClient], login: str) -> None:
    """Sign in on the first worker; the browser's next requests may reach either."""
    a, b = workers
    assert sign_in(a, login) == 303
    b.cookies.set(SESSION_COOKIE, a.cookies[SESSION_COOKIE])
    for w in workers:  # answered (and the answer kept) by both
        assert w.get(API).status_code == 200
        assert w.get(PAGE).status_code == 200


def refused_by_both(workers: tuple[TestClient, TestClient]) -> None:
    for w in workers:
        assert w.get(API).status_code == 401
        r = w.get(PAGE, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/login")


def test_a_session_signed_out_on_one_worker_is_refused_by_every_worker(
    workers: tuple[TestClient, TestClient],
) -> None:
    signed_in_on_both(workers, "counsel")
    a, _ = workers
    a.post("/logout", data={"csrf": hidden(a.get("/account").text, "csrf")})
    refused_by_both(workers)


def test_a_password_changed_from_another_process_ends_its_sessions(
    workers: tuple[TestClient, TestClient], store: Store
) -> None:
    signed_in_on_both(workers, "counsel")
    Accounts(store, TEST_HASHER).set_password("counsel", "a new password")
    refused_by_both(workers)


def test_an_expired_session_is_refused(
    workers: tuple[TestClient, TestClient], store: Store
) -> None:
    signed_in_on_both(workers, "counsel")
    with store.engine.begin() as conn:
        conn.execute(update(web_sessions).values(expires=dt.datetime(2000, 1, 1)))
    refused_by_both(workers)


def test_a_revoked_token_is_refused_by_every_worker(
    workers: tuple[TestClient, TestClient], world: World, store: Store
) -> None:
    for w in workers:
        assert w.get(API, headers=world.auth("counsel")).status_code == 200
    with store.engine.begin() as conn:
        conn.execute(delete(api_tokens))
    for w in workers:
        r = w.get(API, headers=world.auth("counsel"))
        assert r.status_code == 401
        assert "does not carry a valid API token" in r.json()["detail"]


def test_a_removed_member_no_longer_reaches_the_company(
    workers: tuple[TestClient, TestClient], world: World, store: Store
) -> None:
    signed_in_on_both(workers, "counsel")
    for w in workers:
        assert w.get(API, headers=world.auth("counsel")).status_code == 200
    counsel = Accounts(store).user("counsel")
    with store.engine.begin() as conn:
        conn.execute(delete(memberships).where(memberships.c.user_id == counsel.id))
    for w in workers:
        for r in (w.get(API, headers=world.auth("counsel")), w.get(API), w.get(PAGE)):
            assert r.status_code == 404
            assert f"no company {QUINTUS!r} is open to this account" in html.unescape(r.text)


def test_a_changed_role_takes_effect_on_the_next_request(
    workers: tuple[TestClient, TestClient], world: World, store: Store
) -> None:
    """An administrator, who saw every holder's row (and had that answer kept), is made a
    stockholder linked to r.ashworth: the next answer holds r.ashworth's row only, and a
    write is refused with nothing recorded."""
    auth = world.auth("admin")
    company = store.company(QUINTUS)
    last = store.last_sequence(company)
    for w in workers:
        before = w.get(API, headers=auth).json()["holders"]
        assert {"r.ashworth", "d.okafor"} <= set(before)
    accounts = Accounts(store)
    accounts.grant_role(accounts.user("counsel"), company, "administrator")  # not the last one
    accounts.grant_role(accounts.user("admin"), company, "stockholder", "r.ashworth")
    for w in workers:
        assert set(w.get(API, headers=auth).json()["holders"]) == {"r.ashworth"}
        r = w.post(f"/api/companies/{QUINTUS}/events", json={"events": [ISSUE]}, headers=auth)
        assert r.status_code == 403
        assert "a stockholder of quintus-corporation records nothing" in r.json()["detail"]
    assert store.last_sequence(company) == last
