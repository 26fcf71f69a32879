"""Cached states read by the part an event touches (state/codec.py `Rows` and `Packed`,
state/certificates.py `Grouped` and the register's pending `Follow`s): over the benchmark's
synthetic ledger, a state cached at any cut, restored, replayed a few events (reading some
grants and holdings, the register left packed with the holdings it must follow, then read or
not), cached and restored again, then replayed to the end is the state a replay of the whole
ledger makes: the rows never read are written back as they were read."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bench.synthetic import synthetic_ledger
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.ledger.fileformat import Entry, read_ledger
from charter.replay import initial_state, replay
from charter.rules.captable import captable
from charter.state.cached import restore, snapshot
from charter.state.codec import Rows
from charter.state.model import State
from charter.terms.loader import resolve_terms
from charter.terms.model import TermsSet

EVERY = 100  # events between the states cached here


@pytest.fixture(scope="module")
def history(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[TermsSet, list[Entry], State, list[bytes]]:
    """The synthetic ledger's terms and events, the state of its whole replay, and a state
    cached every EVERY events."""
    path = Path(tmp_path_factory.mktemp("synthetic")) / "synthetic.json"
    path.write_text(json.dumps(synthetic_ledger(1_200, 120)))
    doc = read_ledger(path)
    terms = resolve_terms(doc.company.terms)
    state = initial_state(terms, doc.stakeholders)
    cached = []
    for start in range(0, len(doc.entries), EVERY):
        replay(terms, [], doc.entries[start : start + EVERY], state=state)
        cached.append(snapshot(state))
    whole = replay(terms, doc.stakeholders, doc.entries)
    return terms, doc.entries, whole, cached


def test_the_synthetic_ledger_has_grants_transfers_and_receipts(
    history: tuple[TermsSet, list[Entry], State, list[bytes]],
) -> None:
    """What the property below reads lazily is there to read."""
    _, events, whole, _ = history
    assert whole.antidilution_book is not None and len(whole.antidilution_book.grants) > 50
    assert any(e.event.type == "transfer" for e in events)
    assert len(whole.stock_certificates.receipts) > 50


def test_a_transfer_after_a_cached_state_reads_two_holdings_no_grant_no_certificate(
    history: tuple[TermsSet, list[Entry], State, list[bytes]],
) -> None:
    """The next append of a transfer to a restored state (Session.append resumes from one)
    decodes the holdings of its two holders, neither the anti-dilution book's grants nor the
    register's certificates, and the state it leaves is the replay's through the
    transfer."""
    terms, events, whole, cached = history
    at = next(k for k in range(EVERY, len(events), EVERY) if events[k].event.type == "transfer")
    state = restore(cached[at // EVERY - 1], terms, whole.stakeholders)
    replay(terms, [], [events[at]], state=state)
    transfer = events[at].event
    assert isinstance(state.holdings, Rows)
    assert {h for h, _ in state.holdings.read()} == {transfer.from_, transfer.to}  # type: ignore[union-attr]
    assert state.antidilution_book is not None
    assert "grants" not in vars(state.antidilution_book)
    assert state.stock_certificates.packed
    start = initial_state(terms, whole.stakeholders.values())
    assert state == replay(terms, [], events[: at + 1], state=start)


def test_threads_reading_restored_states_at_once_see_one_register_and_one_book(
    history: tuple[TermsSet, list[Entry], State, list[bytes]],
) -> None:
    """A state a server keeps is read by several threads: the first to read the register
    (packed, with holdings to follow) or the book's grants unpacks them once; every thread
    sees the same whole objects, the register having followed every pending event."""
    terms, events, whole, cached = history
    followed = restore(cached[0], terms, whole.stakeholders)
    replay(terms, [], events[EVERY : 2 * EVERY], state=followed)
    register = followed.stock_certificates
    book = restore(cached[1], terms, whole.stakeholders).antidilution_book
    assert register.packed and book is not None and "grants" not in vars(book)
    start = threading.Barrier(8)

    def read(_: int) -> tuple[object, object]:
        start.wait()
        return register.certificates, book.grants

    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(read, range(8)))
    assert all(s[0] is seen[0][0] and s[1] is seen[0][1] for s in seen)
    first = initial_state(terms, whole.stakeholders.values())
    expected = replay(terms, [], events[: 2 * EVERY], state=first)
    assert expected.antidilution_book is not None
    assert register == expected.stock_certificates
    assert dict(book.grants) == dict(expected.antidilution_book.grants)


@settings(max_examples=12, deadline=None)
@given(st.data())
def test_a_state_restored_part_by_part_goes_on_to_the_whole_replay(
    history: tuple[TermsSet, list[Entry], State, list[bytes]], data: st.DataObject
) -> None:
    terms, events, whole, cached = history
    stakeholders = whole.stakeholders
    i = data.draw(st.integers(0, len(cached) - 2), label="cached state")
    span = data.draw(st.integers(1, 40), label="events replayed before caching again")
    read_register = data.draw(st.booleans(), label="the register read before caching again")
    at = (i + 1) * EVERY
    first = restore(cached[i], terms, stakeholders)
    replay(terms, [], events[at : at + span], state=first)
    book, register = first.antidilution_book, first.stock_certificates
    assert book is not None
    # an event reads (or makes) at most one grant; the register, which no event of this
    # ledger names a certificate of, is not read: it follows the holdings when it is
    assert register.packed
    if len(book.grants) > span:
        assert len(book.grants.read()) < len(book.grants)  # type: ignore[attr-defined]
    if read_register and len(register.receipts) > 2 * span:
        # following the holdings reads at most two holders' receipts an event
        made = sum(isinstance(v, list) for v in register.receipts._items.values())
        assert made < len(register.receipts)
    second = restore(snapshot(first), terms, stakeholders)
    rest = replay(terms, [], events[at + span :], state=second)
    assert rest == whole
    assert captable(rest) == captable(whole)
