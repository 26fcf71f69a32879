"""`charter users`: the same membership rules from the shell as on the web."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.ledger.store import Store
from tests.cli_helpers import run_cli
from tests.web_support import QUINTUS, populate


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "charter.db")
    store = Store(path)
    store.create_schema()
    populate(store)
    store.engine.dispose()
    return path


def test_users_list_and_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "users", "list", "--db", db, "--company", QUINTUS)
    assert code == 0
    assert [line.split("\t")[:2] for line in out.splitlines()] == [
        ["admin", "administrator"],
        ["ashworth", "stockholder (stakeholder r.ashworth)"],
        ["counsel", "counsel"],
        ["director", "director"],
        ["okafor", "stockholder (stakeholder d.okafor)"],
    ]
    code, out, _ = run_cli(capsys, "users", "remove", "okafor", "--db", db, "--company", QUINTUS)
    assert code == 0
    assert out == "okafor is no longer a member of Quintus Corporation.\n"
    code, out, _ = run_cli(capsys, "users", "list", "--db", db, "--company", QUINTUS)
    assert "okafor" not in out


def test_users_never_takes_away_the_last_administrator(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "users", "remove", "admin", "--db", db, "--company", QUINTUS)
    assert code == 1
    assert f"admin is the last administrator of {QUINTUS}" in err
    code, _, err = run_cli(
        capsys, "users", "add", "admin", "--role", "counsel", "--db", db, "--company", QUINTUS
    )
    assert code == 1
    assert "make another member administrator first" in err
    code, out, _ = run_cli(capsys, "users", "list", "--db", db, "--company", QUINTUS)
    assert out.splitlines()[0].split("\t")[:2] == ["admin", "administrator"]
    code, _, err = run_cli(
        capsys, "users", "remove", "other-admin", "--db", db, "--company", QUINTUS
    )
    assert code == 1
    assert f"login: other-admin is no member of {QUINTUS}." in err


def test_a_generated_password_is_one_the_user_replaces(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`users add` without --password and `users password` without --password print a
    password made for the user, who must choose its own at its next sign-in (issue 16); one
    given with --password is the user's own."""
    from charter.web.accounts import Accounts

    run_cli(capsys, "users", "add", "eve", "--role", "counsel", "--db", db, "--company", QUINTUS)
    run_cli(
        capsys, "users", "add", "fay", "--role", "counsel", "--password", "fays own pass",
        "--db", db, "--company", QUINTUS,
    )  # fmt: skip
    accounts = Accounts(Store(db))
    assert accounts.user("eve").must_choose_password
    assert not accounts.user("fay").must_choose_password
    run_cli(capsys, "users", "password", "fay", "--db", db)
    assert accounts.user("fay").must_choose_password
