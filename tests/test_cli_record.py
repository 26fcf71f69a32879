"""`charter record`: events appended to a company's ledger as one batch, or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from charter.service import open_session
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


def test_cli_record_adds_stakeholders_in_the_same_batch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A new investor is added with the issuance to it, in one batch; an existing
    stakeholder given with other details is refused unless the entry says `edit: true`;
    each error names the file's line and the event's position in the file."""
    db = str(tmp_path / "c.db")
    assert run_cli(capsys, "init", "--example", "--db", db)[0] == 0
    batch = tmp_path / "new.yaml"
    batch.write_text(
        "stakeholders:\n"
        "  - {id: new-fund, name: New Fund L.P., address: 1 Sand Hill Road}\n"
        "events:\n"
        "  - {date: 1999-11-01, type: issue, holder: new-fund, class: common, shares: 1000,"
        ' price: "2.00"}\n'
    )
    code, out, err = run_cli(capsys, "record", str(batch), "--db", db)
    assert code == 0, err
    assert "Recorded 1 event and 1 stakeholder" in out
    ct = json.loads(run_cli(capsys, "captable", "--db", db, "--json")[1])
    assert ct["holders"]["new-fund"]["common"] == 1000
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        "stakeholders:\n"
        "  - {id: new-fund, name: New Fund II L.P.}\n"
        "events:\n"
        "  - {date: 1999-11-02, type: issue, holder: new-fund, class: common, shares: 10,"
        ' price: "2.00"}\n'
        "  - {date: 1999-11-03, type: transfer, from: new-fund, to: nobody, class: common,"
        " shares: 5}\n"
    )
    code, _, err = run_cli(capsys, "record", str(changed), "--db", db)
    assert code == 1
    text = " ".join(err.split())
    assert "'new-fund' is already a stakeholder, with other details" in text
    edit = tmp_path / "edit.yaml"
    edit.write_text(
        "stakeholders:\n"
        "  - {id: new-fund, name: New Fund II L.P., edit: true}\n"
        "events:\n"
        "  - {date: 1999-11-02, type: issue, holder: new-fund, class: common, shares: 10,"
        ' price: "2.00"}\n'
        "  - {date: 1999-11-03, type: transfer, from: new-fund, to: nobody, class: common,"
        " shares: 5, exemption: existing-stockholder}\n"
    )
    code, _, err = run_cli(capsys, "record", str(edit), "--db", db)
    assert code == 1
    # the transfer is the second event of the file (position 1), on line 5
    assert f"{edit}:5: event 1: to: 'nobody' is not a stakeholder" in " ".join(err.split())
    edit.write_text(
        "stakeholders:\n  - {id: new-fund, name: New Fund II L.P., edit: true}\nevents: []\n"
    )
    code, out, err = run_cli(capsys, "record", str(edit), "--db", db)
    assert code == 0, err
    names = {h.id: h.name for h in open_session(None, db, None).stakeholders()}
    assert names["new-fund"] == "New Fund II L.P."
