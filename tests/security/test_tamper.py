"""Issue 17 §1-§2: someone who can write to the database, without the server key, tampers
with a company's ledger. Each attack is detected and refused (reads, appends, `verify`), and
the figures served are never the tampered ones; cached states that do not verify are
discarded and the events replayed; nothing read back from the database runs code.
On SQLite and PostgreSQL (the `store` fixture)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgpack
import pytest

import charter.ledger.store as store_module
import charter.service as service
from charter.ledger.chain import ChainBroken
from charter.ledger.fileformat import LedgerDoc
from charter.ledger.store import Store, StoredCompany
from charter.replay import replay
from charter.rules.captable import captable, captable_json
from charter.service import Session, load_ledger
from charter.state.cached import (
    CODEC,
    FORMAT,
    STATE_VERSION,
    NotACachedState,
    restore,
    snapshot,
)
from charter.state.codec import Undecodable
from charter.terms.loader import load_builtin
from tests.conftest import EXAMPLE
from tests.security import tamper

# an event the example ledger accepts at its end: Series B stays at its 800,000 shares
ASSERT = {"date": "2001-01-02", "type": "assert", "class": "series_b", "outstanding": 800_000}


@pytest.fixture
def loaded(store: Store, monkeypatch: pytest.MonkeyPatch) -> Session:
    """The example company (68 events) with a state cached every 10 events and a checkpoint
    signed every 8 (so reads start from cached states and check runs of events ending at
    checkpoints, as on a large ledger)."""
    monkeypatch.setattr(service, "CACHE_EVERY", 10)
    monkeypatch.setattr(store_module, "CHECKPOINT_EVERY", 8)
    return load_ledger(store, EXAMPLE)


def reopened(session: Session) -> Session:
    """The company as another process (a CLI command, a server worker) opens it."""
    store = Store(session.store.url)
    return Session(store, store.company(session.company.slug))


def genuine(example_doc: LedgerDoc) -> dict[str, Any]:
    state = replay(load_builtin("quintus"), example_doc.stakeholders, example_doc.entries)
    return captable_json(captable(state))


def count(session: Session) -> int:
    return len(tamper.rows(session.store, session.company))


Attack = Callable[[Store, StoredCompany], None]

# attack -> (the attack, what `verify` and the refusals say, the event it touches)
ATTACKS: dict[str, tuple[Attack, str, int]] = {
    # an amount changed in place: Series A issued to redwood-iii, 3,500,000 -> 3,600,000
    "change an amount": (
        lambda st, c: [tamper.change_shares(st, c, 5, 3_600_000), None][1],
        "the hash chain is broken at event 5: its contents do not match its hash",
        5,
    ),
    "change an amount and recompute the chain": (
        lambda st, c: [
            tamper.change_shares(st, c, 5, 3_600_000),
            tamper.recompute_chain(st, c),
        ][1],
        "the checkpoint signed at",
        5,
    ),
    "delete an event": (
        lambda st, c: tamper.delete_event(st, c, 30),
        "the hash chain is broken at event 30: it is missing",
        30,
    ),
    "reorder two events": (
        lambda st, c: tamper.swap_payloads(st, c, 20, 21),
        "with another hash",
        21,
    ),
    "truncate the newest event": (
        lambda st, c: tamper.delete_event(st, c, 68),
        "names event 68, which is gone: events were removed",
        68,
    ),
    "recompute the chain and sign with another key": (
        lambda st, c: [
            tamper.change_shares(st, c, 5, 3_600_000),
            tamper.recompute_chain(st, c),
            tamper.forge_checkpoints(st, c),
        ][2],
        "is not signed by the server key",
        5,
    ),
}


# The attacks that reach what an append stands on (the signed head, the cached state it
# resumes from, the links from that state's event to the head): a chain recomputed changes
# the hash the newest cached state is bound to; a truncation, the head.
SEEN_BY_AN_APPEND = {
    "change an amount and recompute the chain",
    "reorder two events",
    "truncate the newest event",
    "recompute the chain and sign with another key",
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_art_17_2_a_tampered_ledger_is_detected_and_refused(
    loaded: Session, example_doc: LedgerDoc, attack: str
) -> None:
    """The history, the export, a server's reads (`checked`) and `verify` all refuse the
    company, naming the first broken link; nothing is written. A query of the figures
    refuses it whenever the events it replays are among those tampered with (as of the
    date of the event tampered with), and never serves a tampered figure. An append
    refuses it when the tampering reaches what it stands on; a link broken behind the
    newest cached state it resumes from changes nothing it reads or writes (its figures
    are the genuine ones), and `verify` and the reads still name it after the append."""
    make, finding, touched = ATTACKS[attack]
    assert captable_json(captable(loaded.state())) == genuine(example_doc)
    make(loaded.store, loaded.company)
    before = count(loaded)
    s = reopened(loaded)
    for read in (
        s.entries,
        s.export,
        s.checked,
        lambda: s.state(example_doc.entries[touched - 1].event.date),
    ):
        with pytest.raises(ChainBroken, match="does not verify") as e:
            read()
        assert finding in e.value.problems[0].message
    assert count(loaded) == before
    with contextlib.suppress(ChainBroken):  # refused is as good as the genuine figures
        assert captable_json(captable(reopened(loaded).state())) == genuine(example_doc)
    appender = reopened(loaded)
    if attack in SEEN_BY_AN_APPEND:
        with pytest.raises(ChainBroken, match="does not verify") as e:
            appender.append([ASSERT])
        assert finding in e.value.problems[0].message
        assert count(loaded) == before
    else:
        appender.append([ASSERT])  # an assertion: the figures stay the genuine ones
        assert count(loaded) == before + 1
        after = captable_json(captable(reopened(loaded).state()))
        assert {**after, "as_of": None} == {**genuine(example_doc), "as_of": None}
        with pytest.raises(ChainBroken, match="does not verify"):
            reopened(loaded).checked()
    result = s.store.verify(s.company)
    assert not result.intact
    assert any(finding in p for p in result.problems)


def test_art_17_2_a_server_that_appended_refuses_a_ledger_tampered_since(
    loaded: Session,
) -> None:
    """The state a process keeps at the head after its append is not used once the chain
    under it changed (the head no longer verifies): the next append is refused."""
    loaded.append([ASSERT])
    tamper.change_shares(loaded.store, loaded.company, 5, 3_600_000)
    tamper.recompute_chain(loaded.store, loaded.company)
    with pytest.raises(ChainBroken):
        loaded.append([{**ASSERT, "date": "2001-01-03"}])


def test_art_17_2_truncation_with_its_checkpoints_is_caught_by_a_receipt(
    loaded: Session, tmp_path: Path
) -> None:
    """Deleting the newest events together with their checkpoints leaves a chain that
    verifies on its own; the receipt the user kept from the append names what is gone."""
    loaded.append([ASSERT])
    receipt = loaded.receipt
    assert receipt is not None and receipt.sequence == 69
    assert loaded.store.verify_receipt(loaded.company, receipt) == []
    tamper.delete_event(loaded.store, loaded.company, 69)
    tamper.delete_newest_checkpoints(loaded.store, loaded.company, 68)
    s = reopened(loaded)
    assert s.store.verify(s.company).intact  # the rest of the chain holds together...
    found = s.store.verify_receipt(s.company, receipt)  # ...but not against the receipt
    assert found == [
        f"the receipt names event 69 (signed {receipt.signed_at}); the database ends at "
        "event 68: events were removed"
    ]


def test_art_17_1_an_edited_cached_state_is_discarded_and_the_events_replayed(
    loaded: Session, example_doc: LedgerDoc
) -> None:
    """The bytes of every cached state replaced by those of another state (a valid state,
    taken before the first event: no shares at all): none verifies, so the cap table is
    replayed from the events and is the genuine one; `verify` names each state."""
    n = tamper.edit_cached_states(
        loaded.store, loaded.company, snapshot(replay(load_builtin("quintus"), [], []))
    )
    assert n == 7  # 68 events: after every 10, and the head
    s = reopened(loaded)
    assert captable_json(captable(s.state())) == genuine(example_doc)
    problems = s.store.verify(s.company).problems
    assert len(problems) == n
    assert all("does not match its signature" in p for p in problems)
    assert s.rebuild_cache() == n
    assert s.store.verify(s.company).intact


def test_art_17_1_an_edited_newest_cached_state_is_passed_over_for_the_one_before(
    loaded: Session, example_doc: LedgerDoc
) -> None:
    """Only the newest cached state (after event 68, the head) given another state's bytes:
    a read passes over it to the newest that verifies (after event 60: the states are
    cached every 10 events), replays the 8 events after it, and the cap table is the genuine
    one, as of the last date and as of the date of event 60; `verify` names the one state."""
    assert tamper.edit_cached_states(
        loaded.store, loaded.company, snapshot(replay(load_builtin("quintus"), [], [])), 68
    )
    s = reopened(loaded)
    newest = s.store.latest_state(s.company, STATE_VERSION, FORMAT, None)
    assert newest is not None and newest.sequence == 60
    assert captable_json(captable(s.state())) == genuine(example_doc)
    on_60 = example_doc.entries[59].event.date
    as_of = replay(load_builtin("quintus"), example_doc.stakeholders, example_doc.entries, on_60)
    assert captable_json(captable(s.state(on_60))) == captable_json(captable(as_of))
    problems = s.store.verify(s.company).problems
    assert problems == [
        "the cached state after event 68 does not match its signature (it is never used; "
        "`charter cache rebuild` replaces it)"
    ]


def test_art_17_1_a_crafted_pickle_in_the_cache_runs_nothing(
    loaded: Session, example_doc: LedgerDoc, tmp_path: Path
) -> None:
    """A row that would create a file if it were unpickled: the cap table is the genuine
    one and the file is never created (the row fails its signature; and were it read, it is
    not a format that can name a function)."""
    witness = tmp_path / "pwned"
    crafted = tamper.crafted_pickle(str(witness))
    tamper.edit_cached_states(loaded.store, loaded.company, crafted)
    s = reopened(loaded)
    assert captable_json(captable(s.state())) == genuine(example_doc)
    with pytest.raises(NotACachedState):
        restore(crafted, load_builtin("quintus"), {})
    assert not witness.exists()


def test_art_17_1_a_cached_value_naming_a_class_outside_the_allowlist_is_refused() -> None:
    """Even bytes signed by the server (a bug of ours, or a stolen key) decode only into the
    state's own classes: an object naming `os.system`, or a tag the codec does not know,
    is refused."""
    named = msgpack.packb([msgpack.ExtType(5, b"os.system"), "touch pwned"])
    with pytest.raises(Undecodable, match="not a class of the state"):
        CODEC.unpack(named)
    with pytest.raises(Undecodable, match="unknown tag"):
        CODEC.unpack(msgpack.packb(msgpack.ExtType(99, b"")))
    with pytest.raises(TypeError, match="not a class of the state"):
        CODEC.pack(Path("/"))


def test_art_17_1_a_read_writes_no_cached_state(loaded: Session, example_doc: LedgerDoc) -> None:
    """Queries as of many dates leave the cached states as the load wrote them."""
    with loaded.store.engine.connect() as conn:
        before = conn.execute(store_module.cached_states.select()).all()
    for e in example_doc.entries[::5]:
        loaded.state(e.event.date)
    with loaded.store.engine.connect() as conn:
        assert conn.execute(store_module.cached_states.select()).all() == before
