"""Issue 17 §5 and issue 16's throttle item: the attacks on accounts, each performed against
a real server (`charter serve`, two workers) on SQLite and PostgreSQL, and each asserted to
fail."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from charter.server.accounts import api_tokens, invitations, users
from charter.server.throttle import sign_in_throttle
from tests.security.live_server import CHARTER, Live, live, serving  # noqa: F401
from tests.web_support import PASSWORD, QUINTUS, hidden

FREE = 5  # the default policy's failures of a login before any delay (server/throttle.py)


def _attempts(server: Live, key: str) -> int | None:
    """The attempts the throttle counts for `key` (its row is found by the key's digest)."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    with server.store.engine.connect() as conn:
        found: int | None = conn.execute(
            select(sign_in_throttle.c.attempts).where(sign_in_throttle.c.key_hash == digest)
        ).scalar()
    return found


def test_twenty_parallel_sign_ins_check_at_most_the_free_failures(live: Live) -> None:  # noqa: F811
    """The race of issue 17 §5: 20 wrong passwords for admin posted at once (each from its
    own connection, released together by a barrier) used to be all checked against the
    password with a limit of 5. Now the count comes before the check, atomically: exactly
    FREE = 5 are checked (401) and the other 15 are told to wait (429), on both databases,
    across the server's two workers."""
    clients = [live.client() for _ in range(20)]
    forms = [hidden(c.get("/login").text, "csrf") for c in clients]
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def attempt(c: httpx.Client, csrf: str) -> None:
        barrier.wait()
        r = c.post(
            "/login",
            data={"login": "admin", "password": "wrong password", "csrf": csrf},
            follow_redirects=False,
        )
        statuses.append(r.status_code)

    threads = [
        threading.Thread(target=attempt, args=pair) for pair in zip(clients, forms, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [401] * FREE + [429] * (20 - FREE)
    assert _attempts(live, "login:admin") == FREE


def test_forwarded_for_from_an_untrusted_client_is_ignored(live: Live) -> None:  # noqa: F811
    """A client that sends X-Forwarded-For to a server trusting no proxy cannot choose the
    address it is counted under: three failures claiming three addresses are all counted
    for the connection's own address, 127.0.0.1, and no row exists for the claimed ones."""
    c = live.client()
    for n in range(3):
        r = live.sign_in(c, "counsel", "wrong password", **{"X-Forwarded-For": f"203.0.113.{n}"})
        assert r.status_code == 401
    assert _attempts(live, "ip:127.0.0.1") == 3
    assert all(_attempts(live, f"ip:203.0.113.{n}") is None for n in range(3))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_trusted_proxy_gives_the_address_and_the_scheme(kind: str, tmp_path: Path) -> None:
    """With 127.0.0.1 configured as a trusted proxy, its X-Forwarded-For names the client
    (the failure is counted for 198.51.100.7, not the proxy) and X-Forwarded-Proto: https
    makes the session cookie Secure; without it the cookie is not Secure."""
    with serving(kind, tmp_path, CHARTER_TRUSTED_PROXIES="127.0.0.1/32") as proxied:
        c = proxied.client()
        r = proxied.sign_in(c, "director", "wrong password", **{"X-Forwarded-For": "198.51.100.7"})
        assert r.status_code == 401
        assert _attempts(proxied, "ip:198.51.100.7") == 1
        assert _attempts(proxied, "ip:127.0.0.1") is None
        r = proxied.sign_in(c, "admin", PASSWORD, **{"X-Forwarded-Proto": "https"})
        assert r.status_code == 303
        assert "secure" in r.headers["set-cookie"].lower()
        r = proxied.sign_in(proxied.client(), "admin", PASSWORD)
        assert "secure" not in r.headers["set-cookie"].lower()


def test_an_untrusted_client_cannot_claim_https_but_the_setting_can(tmp_path: Path) -> None:
    """X-Forwarded-Proto from a client nobody trusts is ignored (no Secure on a cookie sent
    over plain HTTP); CHARTER_HTTPS=1 says the site is behind HTTPS: Secure."""
    with serving("sqlite", tmp_path / "a") as plain:
        r = plain.sign_in(plain.client(), "admin", PASSWORD, **{"X-Forwarded-Proto": "https"})
        assert r.status_code == 303 and "secure" not in r.headers["set-cookie"].lower()
    with serving("sqlite", tmp_path / "b", CHARTER_HTTPS="1") as https:
        c = https.client()
        form = c.get("/login")
        login_cookie = form.headers["set-cookie"]
        assert "secure" in login_cookie.lower()  # so this client over HTTP does not send it:
        r = c.post(
            "/login",
            data={"login": "admin", "password": PASSWORD, "csrf": hidden(form.text, "csrf")},
            headers={"Cookie": login_cookie.split(";")[0]},  # as a browser over HTTPS would
            follow_redirects=False,
        )
        assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()
        assert "strict-transport-security" in r.headers


def test_api_tokens_expire_are_revoked_and_end_with_a_new_password(live: Live) -> None:  # noqa: F811
    """Tokens of issue 17 §5: one made through the API works and its use is recorded; once
    revoked it is a 401; an expired token is a 401; `charter users password` revokes every
    token of the account."""
    admin = live.world.auth("admin")
    c = live.client()
    made = c.post("/api/tokens", json={"name": "ci", "days": 30}, headers=admin)
    assert made.status_code == 201, made.text
    secret = made.json()["token"]
    mine = {"Authorization": f"Bearer {secret}"}
    assert c.get("/api/companies", headers=mine).status_code == 200
    listed = {t["name"]: t for t in c.get("/api/tokens", headers=mine).json()}
    assert listed["ci"]["last_used"] is not None and "token" not in listed["ci"]
    assert secret not in c.get("/api/tokens", headers=mine).text
    assert c.delete("/api/tokens/ci", headers=admin).status_code == 204
    assert c.get("/api/companies", headers=mine).status_code == 401

    with live.store.engine.begin() as conn:
        conn.execute(
            update(api_tokens)
            .where(api_tokens.c.label == "script")
            .values(expires=dt.datetime(2000, 1, 1))
        )
    assert c.get("/api/companies", headers=live.world.auth("counsel")).status_code == 401

    done = subprocess.run(
        [
            CHARTER,
            "users",
            "token",
            "create",
            "director",
            "--name",
            "robot",
            "--db",
            live.store.url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    robot = {"Authorization": f"Bearer {done.stdout.strip()}"}
    assert c.get("/api/companies", headers=robot).status_code == 200
    subprocess.run(
        [CHARTER, "users", "password", "director", "--password", "a new secret!", "--db",
         live.store.url],
        capture_output=True,
        check=True,
    )  # fmt: skip
    assert c.get("/api/companies", headers=robot).status_code == 401


def test_a_token_lasts_at_most_a_year_and_unknown_fields_are_refused(live: Live) -> None:  # noqa: F811
    c = live.client()
    admin = live.world.auth("admin")
    long = c.post("/api/tokens", json={"name": "forever", "days": 100000}, headers=admin)
    assert long.status_code == 422
    extra = c.post("/api/tokens", json={"name": "x", "scope": "all"}, headers=admin)
    assert extra.status_code == 422 and "scope: is not a field of this request" in extra.text


def test_inviting_a_login_reveals_nothing_about_accounts(live: Live) -> None:  # noqa: F811
    """Issue 17 §5: the administrator of one company invites the other company's
    administrator (an account that exists) and a login nobody has: both answers are 201
    with the same fields, no account is made, and the members list is unchanged; the
    difference shows only when the person invited accepts."""
    c = live.client()
    admin = live.world.auth("admin")
    api = f"/api/companies/{QUINTUS}/members"
    with live.store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(users)).scalar_one()
    members = c.get(api, headers=admin).json()
    answers = [
        c.post(api, json={"login": login, "role": "counsel"}, headers=admin)
        for login in ("other-admin", "nobody-at-all")
    ]
    assert [a.status_code for a in answers] == [201, 201]
    one, two = (a.json() for a in answers)
    assert set(one) == set(two) == {"login", "role", "stakeholder", "invitation", "expires"}
    assert c.get(api, headers=admin).json() == members
    with live.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(users)).scalar_one() == before
        assert conn.execute(select(func.count()).select_from(invitations)).scalar_one() == 2
