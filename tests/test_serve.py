"""`charter serve` checks what it can before it starts the application by its factory's
import string (the CLI does not import the web): a trusted proxy that is not an address,
and a database without its server key, are one sentence and exit 1, nothing served."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from charter.web.app import app_from_env
from tests.cli_helpers import run_cli


def test_a_trusted_proxy_that_is_not_an_address_is_one_sentence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHARTER_TRUSTED_PROXIES", "")  # restored after: serve sets it
    code, out, err = run_cli(
        capsys, "serve", "--db", str(tmp_path / "c.db"), "--trusted-proxy", "nope"
    )
    assert code == 1
    assert "--trusted-proxy: 'nope' is not an IP address or network" in err
    assert "Traceback" not in err and "serving" not in out


def test_a_database_without_its_key_is_not_served(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CHARTER_KEY_FILE", raising=False)
    monkeypatch.setenv("CHARTER_TRUSTED_PROXIES", "")  # restored after: serve sets it
    code, out, err = run_cli(capsys, "serve", "--db", str(tmp_path / "c.db"))
    assert code == 1
    assert "there is no server key here; `charter init` creates it" in err
    assert "Traceback" not in err and "serving" not in out


def test_a_worker_keeps_what_it_made_to_start_out_of_the_collectors_reach(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The factory each server process calls (`app_from_env`) freezes the objects it made to
    start, so a full cyclic collection during a request walks only what was made since."""
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--db", db)[0] == 0
    monkeypatch.setenv("CHARTER_DB", db)
    gc.unfreeze()
    try:
        app_from_env()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
