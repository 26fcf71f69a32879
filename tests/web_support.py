"""Shared set-up for the web tests: two companies in one database, one account per role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from charter.ledger.store import Store
from charter.server.accounts import Accounts
from charter.service import load_ledger

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quintus.yaml"
QUINTUS = "quintus-corporation"
OTHER = "other-co"
PASSWORD = "correct horse battery"
# Still Argon2id, with a lighter cost so that each test's accounts are made quickly.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)

# login -> (company, role, stakeholder)
ACCOUNTS: dict[str, tuple[str, str, str | None]] = {
    "admin": (QUINTUS, "administrator", None),
    "counsel": (QUINTUS, "counsel", None),
    "director": (QUINTUS, "director", None),
    "ashworth": (QUINTUS, "stockholder", "r.ashworth"),
    "okafor": (QUINTUS, "stockholder", "d.okafor"),
    "other-admin": (OTHER, "administrator", None),
}


@dataclass
class World:
    url: str
    tokens: dict[str, str]

    def auth(self, login: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[login]}"}


def populate(store: Store) -> World:
    """Quintus and a second company (the same example under another id), and the accounts."""
    accounts = Accounts(store, TEST_HASHER)
    accounts.ensure_schema()
    companies = {
        QUINTUS: load_ledger(store, EXAMPLE).company,
        OTHER: load_ledger(store, EXAMPLE, OTHER).company,
    }
    tokens: dict[str, str] = {}
    for login, (company, role, stakeholder) in ACCOUNTS.items():
        user = accounts.create_user(login, login.title(), PASSWORD)
        accounts.grant_role(user, companies[company], role, stakeholder)
        tokens[login] = accounts.create_token(user)
    return World(store.url, tokens)


def hidden(html: str, name: str) -> str:
    """The value of a page's hidden field `name` (the first one)."""
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no hidden {name} field"
    return m.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> int:
    """Sign in through the form (with its CSRF token); the status of the answer."""
    form = client.get("/login")
    csrf = hidden(form.text, "csrf")
    r = client.post(
        "/login",
        data={"login": login, "password": password, "csrf": csrf, "next": "/"},
        follow_redirects=False,
    )
    return r.status_code
