"""The store: one transaction per batch, append-only hash chain, many companies
(DESIGN.md principle 3), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from charter.errors import CharterError
from charter.ledger import store as store_module
from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import LedgerDoc
from charter.ledger.store import (
    ConcurrentAppend,
    Stakeholders,
    Store,
    cached_states,
    events,
    stakeholders,
)
from charter.rules.captable import captable, captable_json
from charter.service import Session, load_ledger
from tests.conftest import EXAMPLE


def test_load_then_replay_gives_the_file_state(store: Store, example_doc: LedgerDoc) -> None:
    """The example's Series A total is asserted in the file itself: 8,850,000."""
    s = load_ledger(store, EXAMPLE)
    ct = captable(s.state())
    assert {c.id: c.outstanding for c in ct.classes}["series_a"] == 8_850_000
    assert store.last_sequence(s.company) == len(example_doc.entries)


def test_verify_finds_the_first_tampered_link(store: Store) -> None:
    """Editing an event's stored payload breaks the chain at that event, and only there."""
    s = load_ledger(store, EXAMPLE)
    assert store.verify(s.company).first_broken is None
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(events)
            .where(events.c.company_id == s.company.id, events.c.sequence == 5)
            .values(payload=sa.func.replace(events.c.payload, "1", "2"))
        )
    result = store.verify(s.company)
    assert result.first_broken == 5


def test_many_companies_share_one_database(store: Store) -> None:
    a = load_ledger(store, EXAMPLE, "quintus-a")
    b = load_ledger(store, EXAMPLE, "quintus-b")
    assert a.company.id != b.company.id
    assert captable_json(captable(a.state())) == captable_json(captable(b.state()))
    with pytest.raises(CharterError, match="already exists"):
        load_ledger(store, EXAMPLE, "quintus-a")


def test_a_batch_with_one_bad_event_writes_nothing(store: Store) -> None:
    s = load_ledger(store, EXAMPLE)
    before = store.last_sequence(s.company)
    good = {
        "date": "1999-11-01",
        "type": "issue",
        "holder": "redwood-iii",
        "class": "series_a",
        "shares": 1000,
        "price": "1.00",
    }
    bad = {
        "date": "1999-11-02",
        "type": "issue",
        "holder": "redwood-iii",
        "class": "series_a",
        "shares": 10_000_000,
        "price": "1.00",
    }
    with pytest.raises(CharterError, match="beyond the 9,100,000 authorized"):
        s.append([good, bad])
    assert store.last_sequence(s.company) == before


def test_a_stale_writer_is_refused(store: Store) -> None:
    """Optimistic concurrency: appending after a sequence that is no longer the last fails."""
    s = load_ledger(store, EXAMPLE)
    stale = s.checkpoint()
    s.append([{"date": "1999-11-01", "type": "assert", "class": "series_b", "outstanding": 800000}])
    entries = s.entries()[-1:]
    with pytest.raises(ConcurrentAppend):
        store.append(s.company, entries, stale)


def test_alembic_schema_matches_the_tables(tmp_path: Path) -> None:
    """The migrations build exactly the schema the code declares."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import charter.server.accounts  # noqa: F401 - its tables join the same metadata
    from charter.ledger.store import metadata

    st = Store(str(tmp_path / "m.db"))
    st.create_schema()
    with st.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_session_state_as_of_before_first_event_is_refused(store: Store) -> None:
    import datetime as dt

    s: Session = load_ledger(store, EXAMPLE)
    with pytest.raises(CharterError, match="before the company's first event"):
        s.state(dt.date(1980, 1, 1))


def test_cached_states_answer_as_a_full_replay_does(
    store: Store, example_doc: LedgerDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a state cached every 7 events and a checkpoint every 4 (so that queries start
    from cached states and check runs of events ending at many checkpoints), asked in any
    order, each date's cap table is the one a full replay gives."""
    import datetime as dt

    import charter.service as service
    from charter.replay import replay
    from charter.terms.loader import load_builtin

    monkeypatch.setattr(service, "CACHE_EVERY", 7)
    monkeypatch.setattr(store_module, "CHECKPOINT_EVERY", 4)
    s = load_ledger(store, EXAMPLE)
    dates = [
        dt.date(1999, 10, 31),
        dt.date(1996, 1, 1),
        dt.date(1999, 7, 16),
        dt.date(1998, 3, 1),
        dt.date(2001, 1, 1),
    ]
    for when in dates + dates:
        full = replay(
            load_builtin("quintus"), example_doc.stakeholders, example_doc.entries, until=when
        )
        assert captable_json(captable(s.state(when))) == captable_json(captable(full))


def test_a_cached_state_that_does_not_verify_is_passed_over_for_an_older_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest cached state as of a date read with a byte changed fails its signature:
    the next older one is used (and the answer is the replay's)."""
    import datetime as dt

    import charter.service as service
    from charter.state.cached import FORMAT, STATE_VERSION

    monkeypatch.setattr(service, "CACHE_EVERY", 7)
    s = load_ledger(store, EXAMPLE)
    when = dt.date(1999, 7, 16)
    newest = store.latest_state(s.company, STATE_VERSION, FORMAT, when)
    assert newest is not None and newest.sequence % 7 == 0 and newest.sequence >= 14
    expected = captable_json(captable(s.state(when)))
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(cached_states)
            .where(
                cached_states.c.company_id == s.company.id,
                cached_states.c.sequence == newest.sequence,
            )
            .values(data=newest.data[:-1] + bytes([newest.data[-1] ^ 1]))
        )
    older = store.latest_state(s.company, STATE_VERSION, FORMAT, when)
    assert older is not None and older.sequence == newest.sequence - 7
    assert captable_json(captable(s.state(when))) == expected


def test_a_stored_event_is_read_as_its_payload_says_whatever_type_is_stored_beside_it(
    store: Store, example_doc: LedgerDoc
) -> None:
    """Stored events are read by the model of the type stored beside them (outside the hash
    chain); an event whose stored type was changed is read as its payload says all the
    same."""
    s = load_ledger(store, EXAMPLE)
    first = example_doc.entries[0].event
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(events)
            .where(events.c.company_id == s.company.id, events.c.sequence == 1)
            .values(type="transfer" if first.type != "transfer" else "issue")
        )
    assert [e.event for e in s.entries()] == [e.event for e in example_doc.entries]


def test_a_restored_state_validates_a_stakeholder_when_first_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A state restored from a cached state reads the stored stakeholders as JSON and
    validates each when first read: a cap table reads none; the mapping is the stored list,
    in its order; a stored row that names another stakeholder is refused when read."""
    import charter.service as service

    monkeypatch.setattr(service, "CACHE_EVERY", 7)
    s = load_ledger(store, EXAMPLE)
    state = s.state()
    holders = state.stakeholders
    assert isinstance(holders, Stakeholders)
    captable(state)
    assert holders._items == {}  # not one row read
    stored = s.stakeholders()
    assert list(holders.items()) == [(h.id, h) for h in stored]
    first, second = stored[0].id, stored[1].id
    with store.engine.begin() as conn:
        data = conn.execute(
            sa.select(stakeholders.c.data).where(
                stakeholders.c.company_id == s.company.id, stakeholders.c.id == second
            )
        ).scalar_one()
        conn.execute(
            sa.update(stakeholders)
            .where(stakeholders.c.company_id == s.company.id, stakeholders.c.id == first)
            .values(data=data)
        )
    with pytest.raises(CharterError, match=f"stored as '{first}' names '{second}'"):
        s.state().stakeholders[first]


def test_an_append_after_a_cached_state_reads_only_the_stakeholders_it_names(
    store: Store, monkeypatch: pytest.MonkeyPatch, example_doc: LedgerDoc
) -> None:
    """Issue 15: a new process's append of a transfer (1,000 common from the CFO,
    a.feldman, to r.ashworth, an existing stockholder, Art. IV.D's exemption) reads the
    rows of the stakeholders it names one by one, never the whole table (for 10,000 holders
    7 ms of a 50 ms append on PostgreSQL). Its cap table is the full replay's: Feldman
    250,000 - 1,000 = 249,000, Ashworth 2,100,000 + 1,000 = 2,101,000."""
    import charter.service as service
    from charter.ledger.fileformat import parse_event
    from charter.replay import replay
    from charter.terms.loader import load_builtin

    monkeypatch.setattr(service, "CACHE_EVERY", 7)
    s = load_ledger(store, EXAMPLE)
    wholes: list[Stakeholders] = []
    read_all = Stakeholders._read_all

    def counted(holders: Stakeholders) -> None:
        wholes.append(holders)
        read_all(holders)

    monkeypatch.setattr(Stakeholders, "_read_all", counted)
    other = Store(store.url)
    session = Session(other, other.company(s.company.slug))
    gift = {
        "date": "2001-01-02",
        "type": "transfer",
        "from": "a.feldman",
        "to": "r.ashworth",
        "class": "common",
        "shares": 1000,
        "price": "0.50",
        "exemption": "existing-stockholder",
    }
    session.append([gift])
    assert wholes == []
    state = session.state()
    assert (state.held("a.feldman", "common"), state.held("r.ashworth", "common")) == (
        249_000,
        2_101_000,
    )
    entry, problems = parse_event(gift, len(example_doc.entries) + 1, None, "test")
    assert entry is not None and not problems
    full = replay(load_builtin("quintus"), example_doc.stakeholders, [*example_doc.entries, entry])
    assert captable_json(captable(state)) == captable_json(captable(full))


def _stored_holders(ids: list[str]) -> tuple[Stakeholders, list[str], list[int]]:
    """A mapping over stored rows of the given stakeholders (named as their ids in capitals),
    with the ids it read alone and each time it read the whole table."""
    rows = [(h, Stakeholder(id=h, name=h.upper()).model_dump_json()) for h in ids]
    asked: list[str] = []
    wholes: list[int] = []

    def one(holder: str) -> str | None:
        asked.append(holder)
        return dict(rows).get(holder)

    def every() -> list[tuple[str, str]]:
        wholes.append(1)
        return rows

    return Stakeholders("co", one, every), asked, wholes


def test_stakeholders_read_one_by_one_then_listed_keep_the_recorded_order() -> None:
    """The mapping of a restored state: a stakeholder asked for by id is read alone (an
    unknown id reads nothing and is not there); listing, counting or changing it reads the
    whole table once, in the order recorded, keeping the ones already read."""
    holders, asked, wholes = _stored_holders(["c", "a", "b"])
    first = holders["a"]
    assert first.name == "A" and "b" in holders and "z" not in holders
    with pytest.raises(KeyError):
        holders["z"]
    assert asked == ["a", "b", "z", "z"] and wholes == []
    holders["d"] = Stakeholder(id="d", name="D")
    assert list(holders) == ["c", "a", "b", "d"] and len(holders) == 4 and wholes == [1]
    assert holders["a"] is first and "z" not in holders and asked == ["a", "b", "z", "z"]


def test_stakeholders_asked_for_past_a_few_are_read_in_one_go() -> None:
    """A replay of many events after a cached state asks for many stakeholders: past
    `ALONE` (16) read one by one, the next question reads the whole table, once (on the
    100,000-event ledger, 1,989 events replayed asked for thousands, a query each)."""
    ids = [f"h{i:02d}" for i in range(40)]
    holders, asked, wholes = _stored_holders(ids)
    assert Stakeholders.ALONE == 16
    assert all(h in holders for h in ids[:16]) and asked == ids[:16] and wholes == []
    assert holders[ids[16]].id == ids[16] and asked == ids[:16] and wholes == [1]
    assert [holders[h].id for h in ids] == ids and "zz" not in holders and wholes == [1]
    assert list(holders) == ids


def _drop_pooled_connection(store: Store) -> None:
    """The server ends the one connection in the store's pool (as a restart or an idle
    timeout would), from outside."""
    store.engine.dispose()
    with store.engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    # autocommit: inside one transaction pg_stat_activity is a snapshot taken once, and the
    # loop below would never see the backend go
    admin = sa.create_engine(store.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        gone = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        deadline = time.monotonic() + 30
        while conn.execute(gone, {"pid": pid}).scalar():
            assert time.monotonic() < deadline, f"backend {pid} did not end within 30 s"
            time.sleep(0.01)
    admin.dispose()


def test_a_connection_dropped_while_idle_in_the_pool_is_replaced(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pooled connection idle for longer than IDLE_BEFORE_PING is checked before reuse,
    and replaced if the server dropped it; one given back a moment ago is not (under load
    that spares a round trip per request), so a drop shows on its next use."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL's connections are pooled and can be dropped by the server")
    monkeypatch.setattr(store_module, "IDLE_BEFORE_PING", 3600.0)
    _drop_pooled_connection(store)
    with pytest.raises(sa.exc.OperationalError):
        store.companies()
    monkeypatch.setattr(store_module, "IDLE_BEFORE_PING", 0.0)
    _drop_pooled_connection(store)
    assert store.companies() == []
