"""A database made before checkpoints (schema 0003, pickled snapshots): `charter init`
brings it to the newest schema — the pickles dropped unread, being only a cache — creates
the server key and signs the head of each company whose chain is intact; until then its
companies are refused, being unsigned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from charter.ledger.chain import GENESIS, ChainBroken, link_hash
from charter.ledger.events import event_to_json
from charter.ledger.fileformat import read_ledger
from charter.ledger.migrate import alembic_config
from charter.ledger.store import Store
from charter.service import Session
from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLE
from tests.security.tamper import crafted_pickle


def old_database(path: Path, witness: Path) -> None:
    """Schema 0003 holding the example company, its chain, and a pickled snapshot that
    would create `witness` if it were unpickled."""
    engine = sa.create_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    doc = read_ledger(EXAMPLE)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO companies (id, slug, name, terms) VALUES (1, 'quintus', 'Quintus', 'quintus')"
        )
        for i, s in enumerate(doc.stakeholders):
            conn.execute(
                sa.text("INSERT INTO stakeholders VALUES (1, :id, :pos, :data)"),
                {"id": s.id, "pos": i, "data": s.model_dump_json(exclude_defaults=True)},
            )
        prev = GENESIS
        for seq, e in enumerate(doc.entries, 1):
            text = event_to_json(e.event)
            h = link_hash(prev, seq, text)
            conn.execute(
                sa.text(
                    "INSERT INTO events VALUES (1, :seq, :date, :type, :id, 1, :p, NULL, :prev, :h)"
                ),
                {
                    "seq": seq,
                    "date": e.event.date,
                    "type": e.event.type,
                    "id": e.event.id,
                    "p": text,
                    "prev": prev,
                    "h": h,
                },
            )
            prev = h
        conn.execute(
            sa.text("INSERT INTO snapshots VALUES (1, 68, :d, 'any', :data)"),
            {"d": dt.date(1999, 10, 31), "data": crafted_pickle(str(witness))},
        )
    engine.dispose()


def test_charter_init_upgrades_an_old_database_and_signs_its_chains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHARTER_KEY_FILE")
    db, witness = tmp_path / "old.db", tmp_path / "pwned"
    old_database(db, witness)
    code, _, err = run_cli(capsys, "captable", "--db", str(db))
    assert (code, err.strip()) == (
        1,
        f"{db}: the database's schema is older than this version of charter; `charter init` "
        "brings it up to date.",
    )
    code, out, err = run_cli(capsys, "init", "--db", str(db))
    assert code == 0, err
    assert "Created the server key" in out
    assert "Signed the existing chain of quintus: checkpoint: event 68" in " ".join(out.split())
    store = Store(str(db))
    s = Session(store, store.company("quintus"))
    assert s.state().outstanding["series_a"] == 8_850_000  # the example's own assertion
    assert store.verify(s.company).intact
    assert not witness.exists()
    with store.engine.connect() as conn:
        assert "snapshots" not in sa.inspect(conn).get_table_names()


def test_an_unsigned_company_is_refused_until_signed(tmp_path: Path) -> None:
    """After the migration but before `charter init` signs it (the same state as a company
    whose every checkpoint was deleted)."""
    db = tmp_path / "old.db"
    old_database(db, tmp_path / "pwned")
    store = Store(str(db))
    store.create_schema()  # the migration and the key, as `charter load` would run them
    with pytest.raises(ChainBroken, match="no checkpoint of its chain is signed"):
        Session(store, store.company("quintus")).state()
