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
    from charter.server.accounts import Accounts

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


def test_alembic_0006_adds_the_flag_to_existing_accounts(tmp_path: Path) -> None:
    """A database at schema 0005 with an account and its membership (foreign keys to
    `users`): the upgrade adds `must_choose_password` in place, false for the account, which
    still signs in."""
    import sqlalchemy as sa
    from alembic import command

    from charter.ledger.migrate import alembic_config
    from charter.server.accounts import Accounts
    from tests.web_support import PASSWORD, TEST_HASHER

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.exec_driver_sql(
            "INSERT INTO companies (id, slug, name, terms) VALUES (1, 'q', 'Q', 'quintus')"
        )
        conn.execute(
            sa.text("INSERT INTO users VALUES (1, 'old', 'Old', :h, '2026-01-01 00:00:00')"),
            {"h": TEST_HASHER.hash(PASSWORD)},
        )
        conn.exec_driver_sql("INSERT INTO memberships VALUES (1, 1, 'administrator', NULL)")
    engine.dispose()
    store = Store(str(path))
    store.create_schema()
    user = Accounts(store, TEST_HASHER).authenticate("old", PASSWORD)
    assert user is not None and not user.must_choose_password
