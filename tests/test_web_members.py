"""Members on the web: an administrator lists a company's members, adds (invites) an account
with a role, changes a role and removes a member, never the last administrator; everyone
else is refused, and another company's members are not even found."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from charter.errors import CharterError
from charter.ledger.store import Store, StoredCompany
from charter.server.accounts import Accounts, LastAdministrator, User, memberships, users
from tests.web_support import OTHER, PASSWORD, QUINTUS, TEST_HASHER, World, hidden, sign_in

API = f"/api/companies/{QUINTUS}/members"
PAGE = f"/c/{QUINTUS}/members"


def accounts_rows(store: Store) -> tuple[int, list[tuple[int, int, str, str | None]]]:
    """Every user and every membership: what a refused request must leave as it was."""
    with store.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(users)).scalar_one()
        rows = conn.execute(select(memberships).order_by(*memberships.primary_key)).all()
    return n, [tuple(r) for r in rows]  # type: ignore[misc]


def roles(client: TestClient, world: World, by: str = "admin") -> dict[str, str]:
    r = client.get(API, headers=world.auth(by))
    assert r.status_code == 200
    return {m["login"]: m["role"] for m in r.json()}


def test_administrator_lists_the_members_of_its_company_only(
    client: TestClient, world: World
) -> None:
    """The five accounts of Quintus (web_support.ACCOUNTS), not the other company's
    administrator; a stockholder with its stakeholder id."""
    r = client.get(API, headers=world.auth("admin"))
    assert r.status_code == 200
    assert r.json() == [
        {"login": "admin", "name": "Admin", "role": "administrator", "stakeholder": None},
        {"login": "ashworth", "name": "Ashworth", "role": "stockholder", "stakeholder": "r.ashworth"},
        {"login": "counsel", "name": "Counsel", "role": "counsel", "stakeholder": None},
        {"login": "director", "name": "Director", "role": "director", "stakeholder": None},
        {"login": "okafor", "name": "Okafor", "role": "stockholder", "stakeholder": "d.okafor"},
    ]  # fmt: skip


@pytest.mark.parametrize("login", ["counsel", "director", "ashworth"])
def test_only_an_administrator_manages_members(
    client: TestClient, world: World, store: Store, login: str
) -> None:
    before = accounts_rows(store)
    role = {"counsel": "counsel", "director": "director", "ashworth": "stockholder"}[login]
    sentence = f"only an administrator of {QUINTUS} manages its members; this account is {role}."
    auth = world.auth(login)
    answers = [
        client.get(API, headers=auth),
        client.post(API, json={"login": "eve", "role": "administrator"}, headers=auth),
        client.put(f"{API}/{login}", json={"role": "administrator"}, headers=auth),
        client.put(f"{API}/admin", json={"role": "counsel"}, headers=auth),
        client.delete(f"{API}/admin", headers=auth),
    ]
    for r in answers:
        assert r.status_code == 403, r.text
        assert r.json()["detail"] == sentence
    assert accounts_rows(store) == before


def test_another_companys_members_are_not_found(
    client: TestClient, world: World, store: Store
) -> None:
    """The administrator of the other company, on Quintus's members, and Quintus's
    administrator on the other company's: the 404 of a company that does not exist, for
    reading and for every write (try the ids of others)."""
    before = accounts_rows(store)
    for login, slug in (("other-admin", QUINTUS), ("admin", OTHER)):
        auth = world.auth(login)
        base = f"/api/companies/{slug}/members"
        answers = [
            client.get(base, headers=auth),
            client.post(base, json={"login": "eve", "role": "administrator"}, headers=auth),
            client.put(f"{base}/{login}", json={"role": "administrator"}, headers=auth),
            client.delete(f"{base}/admin", headers=auth),
            client.delete(f"{base}/other-admin", headers=auth),
        ]
        for r in answers:
            assert r.status_code == 404, r.text
            assert r.json()["detail"] == f"company: no company {slug!r} is open to this account."
    assert accounts_rows(store) == before


def accept(app: Any, code: str, password: str) -> tuple[int, TestClient]:
    """Accept an invitation through /invite (with its CSRF token) in a fresh browser."""
    fresh = TestClient(app)
    form = fresh.get("/invite")
    r = fresh.post(
        "/invite",
        data={"code": code, "password": password, "csrf": hidden(form.text, "csrf")},
        follow_redirects=False,
    )
    return r.status_code, fresh


def test_inviting_a_new_login_lets_it_choose_a_password_and_sign_in(
    client: TestClient, world: World
) -> None:
    r = client.post(
        API,
        json={"login": "Grace@Example.com", "name": "Grace Hopper", "role": "director"},
        headers=world.auth("admin"),
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["login"] == "grace@example.com" and body["role"] == "director"
    assert body["invitation"].startswith("ci_") and "password" not in body
    assert "grace@example.com" not in roles(client, world)  # a member once accepted
    status, fresh = accept(client.app, body["invitation"], "grace's own secret")
    assert status == 303
    assert fresh.get(f"/c/{QUINTUS}/votes").status_code == 200  # a director's page
    assert roles(client, world)["grace@example.com"] == "director"
    assert accept(client.app, body["invitation"], "grace's own secret")[0] == 404  # used
    assert sign_in(TestClient(client.app), "grace@example.com", "grace's own secret") == 303


def test_inviting_an_existing_account_answers_as_for_a_new_one(
    client: TestClient, world: World
) -> None:
    """Issue 17 §5: the answer names no account. Inviting the other company's administrator
    and a login nobody has give answers with the same fields, differing only in the login
    and the code; the account then accepts with its own password (a wrong one changes
    nothing) and sees both companies."""
    one = client.post(
        API, json={"login": "other-admin", "role": "counsel"}, headers=world.auth("admin")
    )
    two = client.post(
        API, json={"login": "nobody-yet", "role": "counsel"}, headers=world.auth("admin")
    )
    assert one.status_code == two.status_code == 201
    a, b = one.json(), two.json()
    assert set(a) == set(b) and a["role"] == b["role"] and a["stakeholder"] is b["stakeholder"]
    assert accept(client.app, a["invitation"], "not the password")[0] == 401
    assert accept(client.app, a["invitation"], PASSWORD)[0] == 303
    mine = client.get("/api/companies", headers=world.auth("other-admin")).json()
    assert {(c["slug"], c["role"]) for c in mine} == {
        (QUINTUS, "counsel"),
        (OTHER, "administrator"),
    }


@pytest.mark.parametrize(
    ("body", "status", "sentence"),
    [
        (
            {"login": "counsel", "role": "director"},
            409,
            f"login: counsel is already counsel of {QUINTUS}; change the role instead.",
        ),
        (
            {"login": "newbie", "role": "stockholder"},
            422,
            "stakeholder: a stockholder is linked to exactly one stakeholder id, and only a "
            "stockholder is.",
        ),
        (
            {"login": "newbie", "role": "counsel", "stakeholder": "r.ashworth"},
            422,
            "stakeholder: a stockholder is linked to exactly one stakeholder id",
        ),
        (
            {"login": "newbie", "role": "stockholder", "stakeholder": "nobody"},
            422,
            f"stakeholder: {QUINTUS} has no stakeholder 'nobody'.",
        ),
        ({"login": "newbie", "role": "owner"}, 422, "role: input should be"),
        ({"login": "", "role": "counsel"}, 422, "login:"),
        ({"login": "   ", "role": "counsel"}, 422, "login: a login must not be empty."),
        ({"role": "counsel"}, 422, "login: field required"),
    ],
)
def test_a_bad_addition_is_refused_with_a_sentence_and_writes_nothing(
    client: TestClient, world: World, store: Store, body: dict[str, str], status: int, sentence: str
) -> None:
    """In particular no account is left behind by a refused addition of a new login."""
    before = accounts_rows(store)
    r = client.post(API, json=body, headers=world.auth("admin"))
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert sentence in r.json()["detail"]
    assert accounts_rows(store) == before


def test_changing_a_role(client: TestClient, world: World) -> None:
    """Counsel becomes a director, then the stockholder Okafor's account; a director's page
    opens, then a stockholder's view of its own row only."""
    auth = world.auth("admin")
    r = client.put(f"{API}/counsel", json={"role": "director"}, headers=auth)
    assert r.status_code == 200
    assert r.json() == {
        "login": "counsel",
        "name": "Counsel",
        "role": "director",
        "stakeholder": None,
    }
    r = client.put(
        f"{API}/counsel", json={"role": "stockholder", "stakeholder": "d.okafor"}, headers=auth
    )
    assert r.status_code == 200
    holders = client.get(f"/api/companies/{QUINTUS}/captable", headers=world.auth("counsel"))
    assert list(holders.json()["holders"]) == ["d.okafor"]


@pytest.mark.parametrize("login", ["nobody", "other-admin"])
def test_changing_or_removing_someone_who_is_no_member_is_a_404(
    client: TestClient, world: World, store: Store, login: str
) -> None:
    """An unknown login and the other company's administrator get the same answer: whether
    an account exists elsewhere is not disclosed."""
    before = accounts_rows(store)
    auth = world.auth("admin")
    for r in (
        client.put(f"{API}/{login}", json={"role": "counsel"}, headers=auth),
        client.delete(f"{API}/{login}", headers=auth),
    ):
        assert r.status_code == 404
        assert r.json()["detail"] == f"login: {QUINTUS} has no member {login!r}."
    assert accounts_rows(store) == before


def test_the_last_administrator_stays(client: TestClient, world: World, store: Store) -> None:
    """Quintus has one administrator: it can be neither demoted nor removed (409, with the
    sentence), nothing written. Once counsel is made administrator too, the first one can
    step down."""
    auth = world.auth("admin")
    before = accounts_rows(store)
    sentence = (
        f"admin is the last administrator of {QUINTUS}; make another member administrator first."
    )
    demote = client.put(f"{API}/admin", json={"role": "counsel"}, headers=auth)
    assert demote.status_code == 409
    assert demote.json()["detail"] == "role: " + sentence
    remove = client.delete(f"{API}/admin", headers=auth)
    assert remove.status_code == 409
    assert remove.json()["detail"] == "login: " + sentence
    assert accounts_rows(store) == before
    assert (
        client.put(f"{API}/counsel", json={"role": "administrator"}, headers=auth).status_code
        == 200
    )
    assert client.put(f"{API}/admin", json={"role": "director"}, headers=auth).status_code == 200
    assert roles(client, world, by="counsel")["admin"] == "director"
    r = client.delete(f"{API}/counsel", headers=world.auth("counsel"))  # the last one again
    assert r.status_code == 409
    assert "counsel is the last administrator" in r.json()["detail"]


def test_removing_a_member_closes_the_company_to_it(
    client: TestClient, world: World, store: Store
) -> None:
    r = client.delete(f"{API}/okafor", headers=world.auth("admin"))
    assert r.status_code == 204
    assert "okafor" not in roles(client, world)
    gone = client.get(f"/api/companies/{QUINTUS}/captable", headers=world.auth("okafor"))
    assert gone.status_code == 404
    with store.engine.connect() as conn:  # the account stays; only the membership went
        assert conn.execute(select(users.c.id).where(users.c.login == "okafor")).first()


def test_the_cli_cannot_take_away_the_last_administrator_either(world: World, store: Store) -> None:
    """`charter users add admin --role counsel` goes through the same rule."""
    accounts = Accounts(store, TEST_HASHER)
    quintus = store.company(QUINTUS)
    with pytest.raises(LastAdministrator):
        accounts.grant_role(accounts.user("admin"), quintus, "counsel")
    with pytest.raises(CharterError, match="last administrator"):
        accounts.revoke_role(accounts.user("admin"), quintus)
    assert dict((u.login, m.role) for u, m in accounts.members(quintus))["admin"] == (
        "administrator"
    )


def test_two_administrators_demoting_each_other_at_once_leave_one(
    world: World, store: Store
) -> None:
    """Each of two administrators removes the other, at the same moment, twenty times over:
    every time exactly one removal succeeds and the other is refused, so the company keeps
    an administrator (the administrators' rows are locked while a change is checked)."""
    accounts = Accounts(store, TEST_HASHER)
    quintus = store.company(QUINTUS)
    a, b = accounts.user("admin"), accounts.user("counsel")
    for _ in range(20):
        accounts.grant_role(a, quintus, "administrator")
        accounts.grant_role(b, quintus, "administrator")
        start = threading.Barrier(2)
        refused: list[str] = []
        threads = [
            threading.Thread(target=revoke, args=(accounts, quintus, b, start, refused)),
            threading.Thread(target=revoke, args=(accounts, quintus, a, start, refused)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        left = [u.login for u, m in accounts.members(quintus) if m.role == "administrator"]
        assert len(refused) == 1 and len(left) == 1, (refused, left)
        accounts.grant_role(a if left == ["counsel"] else b, quintus, "counsel")
        accounts.grant_role(a, quintus, "administrator")


def revoke(
    accounts: Accounts,
    company: StoredCompany,
    user: User,
    start: threading.Barrier,
    refused: list[str],
) -> None:
    """Remove `user` once both threads are ready; note a refusal."""
    start.wait()
    try:
        accounts.revoke_role(user, company)
    except LastAdministrator:
        refused.append(user.login)


# --- pages -------------------------------------------------------------------------------------


def test_members_page_adds_changes_and_removes_with_csrf(
    client: TestClient, world: World, store: Store
) -> None:
    assert sign_in(client, "admin") == 303
    page = client.get(PAGE)
    assert page.status_code == 200
    assert re.findall(r'<tr data-login="([^"]+)"', page.text) == [
        "admin",
        "ashworth",
        "counsel",
        "director",
        "okafor",
    ]
    csrf = hidden(page.text, "csrf")
    before = accounts_rows(store)
    forged = client.post(PAGE, data={"login": "eve", "role": "counsel", "csrf": "forged"})
    assert forged.status_code == 403
    assert "the CSRF token is missing or wrong" in forged.text
    assert accounts_rows(store) == before

    added = client.post(PAGE, data={"login": "eve", "name": "Eve", "role": "counsel", "csrf": csrf})
    assert added.status_code == 200
    assert f"eve is invited as counsel of {QUINTUS}." in added.text
    code = re.search(r'id="invitation-code">(ci_[^<]+)</code>', added.text)
    assert code is not None
    assert 'id="invitations"' in added.text and 'data-login="eve" data-role' not in added.text
    assert accept(client.app, code.group(1), "eve's password")[0] == 303

    changed = client.post(
        f"{PAGE}/eve/role",
        data={"role": "stockholder", "stakeholder": "r.ashworth", "csrf": csrf},
    )
    assert changed.status_code == 200
    assert 'data-login="eve" data-role="stockholder"' in changed.text

    last = client.post(f"{PAGE}/admin/remove", data={"csrf": csrf, "confirm": "yes"})
    assert last.status_code == 409
    assert (
        f"admin is the last administrator of {QUINTUS}; make another member administrator "
        "first." in last.text
    )
    # Remove asks first (a step that needs no script); only the confirmation removes
    asked = client.post(f"{PAGE}/eve/remove", data={"csrf": csrf})
    assert asked.status_code == 200
    assert 'id="confirm-remove"' in asked.text and 'data-login="eve"' in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    removed = client.post(f"{PAGE}/eve/remove", data={"csrf": csrf, "confirm": "yes"})
    assert removed.status_code == 200
    assert 'data-login="eve"' not in removed.text
    assert client.post(f"{PAGE}/nobody/remove", data={"csrf": csrf}).status_code == 404


def test_members_add_form_defaults_to_the_least_privileged_role(client: TestClient) -> None:
    """A slip on the Add form gives too little, never too much: stockholder is selected."""
    assert sign_in(client, "admin") == 303
    form = client.get(PAGE).text.split('id="add-member"')[1].split("</form>")[0]
    assert re.findall(r"<option selected>([a-z]+)</option>", form) == ["stockholder"]


def test_members_page_refuses_bad_input_with_the_sentence(
    client: TestClient, world: World, store: Store
) -> None:
    sign_in(client, "admin")
    csrf = hidden(client.get(PAGE).text, "csrf")
    before = accounts_rows(store)
    r = client.post(PAGE, data={"login": "eve", "role": "stockholder", "csrf": csrf})
    assert r.status_code == 422
    assert "a stockholder is linked to exactly one stakeholder id" in r.text
    r = client.post(f"{PAGE}/counsel/role", data={"role": "owner", "csrf": csrf})
    assert r.status_code == 422
    assert "&#39;owner&#39; is not a role (one of administrator, counsel, director" in r.text
    assert accounts_rows(store) == before


@pytest.mark.parametrize("login", ["counsel", "director", "ashworth"])
def test_members_page_is_for_administrators(client: TestClient, world: World, login: str) -> None:
    sign_in(client, login)
    r = client.get(PAGE)
    assert r.status_code == 403
    assert "only an administrator of" in r.text
    overview = client.get(f"/c/{QUINTUS}/")
    assert f'href="/c/{QUINTUS}/members"' not in overview.text


@pytest.mark.parametrize(
    "body",
    [
        {"login": "nul\x00byte", "role": "counsel"},
        {"login": "fresh", "name": "nul\x00byte", "role": "counsel"},
    ],
)
def test_a_nul_in_a_body_is_a_422_on_every_database(
    client: TestClient, world: World, store: Store, body: dict[str, str]
) -> None:
    """The NUL character is a control character, refused in every input
    (tests/security/test_control_characters.py) before a database sees it: PostgreSQL
    refused it and SQLite stored it, before. A 422 naming it, nothing written."""
    before = accounts_rows(store)
    r = client.post(API, json=body, headers=world.auth("admin"))
    assert r.status_code == 422, r.text
    assert "a control character (U+0000)" in r.json()["detail"]
    assert accounts_rows(store) == before


def test_a_value_the_database_cannot_store_is_a_422(
    client: TestClient, world: World, store: Store
) -> None:
    """PostgreSQL refuses a login longer than its column's 200 characters (U+0130
    lower-cases to two): a 422 with the database's reason, nothing written. SQLite stores
    it."""
    before = accounts_rows(store)
    body = {"login": "\u0130" * 150, "role": "counsel"}  # 300 characters once lower-cased
    r = client.post(API, json=body, headers=world.auth("admin"))
    if store.engine.dialect.name == "sqlite":
        assert r.status_code == 201
        return
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("the database cannot store a value of this request (")
    assert accounts_rows(store) == before


def test_a_nul_in_the_sign_in_form_is_not_a_5xx(client: TestClient) -> None:
    assert sign_in(client, "admin\x00") in (401, 422)
