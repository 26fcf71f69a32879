"""The throttle on failed sign-ins lives in the database: every server process over one
database counts the same failures. The policy: after `limit` failures of a login (or from
an address) within `window` seconds, further attempts wait until the oldest failure leaves
the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from charter.ledger.store import Store
from charter.web.accounts import LoginThrottle, login_failures
from charter.web.app import create_app
from tests.web_support import PASSWORD, World, hidden, populate, sign_in

T0 = dt.datetime(2026, 1, 5, 9, 0, 0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, seconds: float) -> None:
        self.now = T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(store: Store, clock: Clock) -> LoginThrottle:
    populate(store)  # the schema, with the accounts' tables
    return LoginThrottle(store.engine, limit=3, window=300, clock=clock)


def test_third_failure_within_the_window_blocks_until_the_oldest_leaves(
    throttle: LoginThrottle, clock: Clock
) -> None:
    """Failures at 0 s, 10 s and 20 s with a limit of 3 in 300 s. At 30 s the oldest (0 s)
    leaves the window at 300 s: 300 - 30 = 270 s remain, reported as 271 (whole seconds,
    rounded up past the instant). At 300 s the failure of 0 s is exactly 300 s old and still
    counts (1 s to wait); half a second later it has left and only two remain: allowed."""
    keys = ("login:admin", "ip:10.0.0.1")
    for t in (0, 10, 20):
        clock.at(t)
        assert throttle.retry_after(*keys) == 0
        throttle.failed(*keys)
    clock.at(30)
    assert throttle.retry_after(*keys) == 271
    assert throttle.retry_after("login:admin") == 271  # either key alone is blocked
    assert throttle.retry_after("ip:10.0.0.1") == 271
    clock.at(300)
    assert throttle.retry_after(*keys) == 1
    clock.at(300.5)
    assert throttle.retry_after(*keys) == 0


def test_a_success_clears_the_login_but_not_the_address(
    throttle: LoginThrottle, clock: Clock
) -> None:
    for t in (0, 1, 2):
        clock.at(t)
        throttle.failed("login:admin", "ip:10.0.0.1")
    clock.at(3)
    throttle.succeeded("login:admin")
    assert throttle.retry_after("login:admin") == 0
    assert throttle.retry_after("ip:10.0.0.1") == 298  # 0 + 300 - 3 = 297 s, rounded up


def test_more_failures_than_the_limit_wait_for_enough_to_leave(
    throttle: LoginThrottle, clock: Clock
) -> None:
    """Two processes may each record a failure at once, so a key can hold more failures than
    the limit: at 0, 5, 10 and 15 s (four, limit 3) the attempt waits until fewer than three
    remain, that is until the second (5 s) leaves at 305 s: at 20 s, 285 s, reported 286."""
    for t in (0, 5, 10, 15):
        clock.at(t)
        throttle.failed("login:admin")
    clock.at(20)
    assert throttle.retry_after("login:admin") == 286


def test_failures_that_left_the_window_are_deleted_and_keys_are_hashed(
    throttle: LoginThrottle, clock: Clock, store: Store
) -> None:
    throttle.failed("login:admin")
    clock.at(301)
    throttle.failed("login:okafor")
    with store.engine.connect() as conn:
        rows = conn.execute(select(login_failures)).all()
    assert len(rows) == 1  # the failure of 0 s is gone
    assert rows[0].at == T0 + dt.timedelta(seconds=301)
    assert "okafor" not in rows[0].key_hash and len(rows[0].key_hash) == 64


@pytest.fixture
def servers(world: World) -> Iterator[tuple[FastAPI, FastAPI]]:
    """Two instances of the application, each with its own engine and connection pool,
    over one database: two server processes share nothing else."""
    yield create_app(world.url), create_app(world.url)


def client(app: FastAPI, address: str) -> TestClient:
    """A browser at `address` (the throttle also counts failures per client address)."""
    return TestClient(app, client=(address, 50000))


def test_two_server_processes_count_the_same_failures(
    servers: tuple[FastAPI, FastAPI], world: World
) -> None:
    """The default policy: 5 failures in 300 s. Three for admin on one server and two on
    the other make five: the next attempt is refused on both, even with the right password,
    and on a third instance started afterwards. The addresses (three and two failures) are
    under the limit: another login from them still signs in."""
    one, two = servers
    a, b = client(one, "10.0.0.1"), client(two, "10.0.0.2")
    assert [sign_in(a, "admin", "wrong password") for _ in range(3)] == [401] * 3
    assert [sign_in(b, "admin", "wrong password") for _ in range(2)] == [401] * 2
    assert sign_in(a, "admin") == 429
    assert sign_in(b, "admin") == 429
    c = client(create_app(world.url), "10.0.0.3")
    form = c.get("/login")
    r = c.post(
        "/login",
        data={"login": "admin", "password": PASSWORD, "csrf": hidden(form.text, "csrf")},
        follow_redirects=False,
    )
    assert r.status_code == 429
    assert 0 < int(r.headers["retry-after"]) <= 301
    assert "Too many failed sign-ins" in r.text
    assert sign_in(b, "counsel") == 303


def test_an_address_is_counted_across_servers(servers: tuple[FastAPI, FastAPI]) -> None:
    """Five failures from one address, for five different logins, spread over the two
    servers: the address is refused on both, whatever login it tries next."""
    one, two = servers
    a, b = client(one, "10.0.0.9"), client(two, "10.0.0.9")
    logins = ["admin", "counsel", "director", "ashworth", "okafor"]
    assert [sign_in(a if n % 2 else b, x, "wrong") for n, x in enumerate(logins)] == [401] * 5
    assert sign_in(a, "other-admin") == 429
    assert sign_in(b, "other-admin") == 429
    assert sign_in(client(one, "10.0.0.10"), "other-admin") == 303


def test_a_sign_in_on_one_server_clears_the_login_on_the_other(
    servers: tuple[FastAPI, FastAPI],
) -> None:
    """Four failures for counsel on one server, then a success on the other: the login's
    count starts again, so four more failures (from a fresh address) are still each
    answered 401; without the reset the fifth failure in all would have closed the login
    and the next attempt would be a 429."""
    one, two = servers
    assert [sign_in(client(one, "10.0.1.1"), "counsel", "x" * 9) for _ in range(4)] == [401] * 4
    assert sign_in(client(two, "10.0.1.2"), "counsel") == 303
    assert [sign_in(client(one, "10.0.1.3"), "counsel", "x" * 9) for _ in range(4)] == [401] * 4
