"""`charter record`: events appended to a company's ledger as one batch, or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli


def test_cli_record_appends_a_batch_or_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`charter record` appends the example's board size (Bylaws Art. III §1) and `charter
    board` then counts 7 directors; a batch with one bad event writes none of it."""
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--example", "--db", db)[0] == 0
    before = run_cli(capsys, "history", "--db", db, "--json")[1]
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "events:\n"
        "  - {date: 1999-11-01, type: board_size, directors: 7, by: board}\n"
        "  - {date: 1999-11-02, type: board_size, directors: 5, by: shareholders}\n"
    )
    code, _, err = run_cli(capsys, "record", str(bad), "--db", db)
    assert code != 0
    assert "by: Input should be 'board' or 'stockholders'" in err
    assert "Traceback" not in err
    assert run_cli(capsys, "history", "--db", db, "--json")[1] == before
    good = tmp_path / "good.yaml"
    good.write_text("- {date: 1999-11-01, type: board_size, directors: 7, by: board}\n")
    code, out, _ = run_cli(capsys, "record", str(good), "--db", db)
    assert code == 0 and "Recorded 1 event" in out
    board = json.loads(run_cli(capsys, "board", "--db", db, "--json")[1])
    assert board["authorized_directors"] == 7
    assert board["directors_basis"].startswith("fixed by the board on 1999-11-01")
