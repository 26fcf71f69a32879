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
