"""The replayed states cached as snapshots (state/model.py, service.py): a state restored from
one is the state the replay made, field by field, whether or not its fields have been read;
and the replay goes on from it to the state a replay of the whole ledger makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import Entry, read_ledger
from charter.replay import initial_state, replay
from charter.rules.captable import captable
from charter.service import load_ledger
from charter.state.cached import restore, snapshot
from charter.state.model import State
from charter.terms.loader import resolve_terms
from tests.conftest import EXAMPLE
from tests.ledgers.builder import BASE, entries, grant, issue, stakeholders
from tests.test_certificates import OFFICES
from tests.transfer_helpers import PEOPLE

CERTIFICATES = Path(__file__).parent / "ledgers" / "certificates.yaml"

# anti-dilution with something carried forward, a recomputation on expiry and a split
ANTIDILUTION = [
    *BASE,
    issue("2000-03-01", "angel", "common", 10_000, "0.50"),
    grant("2000-04-01", "w1", "bank", 500_000, "0.50"),
    issue("2000-06-01", "angel", "common", 100_000, "0.45"),
    {"date": "2000-09-01", "type": "split", "class": "common", "ratio": "2:1"},
    {"date": "2001-03-01", "type": "expire", "grant": "w1"},
    issue("2001-04-01", "f2", "common", 10_000, "0.20"),
    {
        "date": "2001-05-01",
        "type": "transfer",
        "from": "f1",
        "to": "angel",
        "class": "series_a",
        "shares": 1_000,
        "exemption": "existing-stockholder",
    },
]


# the officers who sign certificates change between issues (tests/test_certificates.py), one
# issue made while the president alone is in office
SIGNERS = [*OFFICES[:2], issue("1999-08-02", "other", "common", 50, "1.00"), *OFFICES[2:]]


def ledger(name: str) -> tuple[State, list[Entry]]:
    """The state before the first event, and the events."""
    if name == "antidilution":
        terms = resolve_terms("quintus")
        return initial_state(terms, stakeholders()), entries(ANTIDILUTION)
    if name == "signers":
        terms = resolve_terms("quintus")
        return initial_state(terms, [Stakeholder(**p) for p in PEOPLE]), entries(SIGNERS)
    doc = read_ledger(EXAMPLE if name == "example" else CERTIFICATES)
    terms = resolve_terms(doc.company.terms)
    return initial_state(terms, doc.stakeholders), doc.entries


def again(state: State) -> State:
    return restore(snapshot(state), state.terms, state.stakeholders)


@pytest.mark.parametrize("name", ["example", "certificates", "antidilution"])
def test_a_restored_state_is_the_state_replayed(name: str) -> None:
    start, events = ledger(name)
    replayed = replay(start.terms, [], events, state=start)
    assert again(replayed) == replayed


@pytest.mark.parametrize("name", ["example", "certificates", "antidilution"])
def test_the_replay_goes_on_from_a_restored_state(name: str) -> None:
    """Half the events, a snapshot, the other half: the state of the whole replay; and the
    same again through a second snapshot taken with some fields never read since the first
    (their bytes are kept) and the certificates partly read."""
    start, events = ledger(name)
    whole = replay(start.terms, [], events, state=ledger(name)[0])
    half = len(events) // 2
    first = again(replay(start.terms, [], events[:half], state=start))
    second = again(replay(start.terms, [], events[half : half + 1], state=first))
    assert replay(start.terms, [], events[half + 1 :], state=second) == whole


@pytest.mark.parametrize("name", ["example", "certificates", "signers"])
def test_the_register_follows_the_holdings_from_a_state_restored_after_any_event(
    name: str,
) -> None:
    """Cut the history after every event, cache the state, restore it and replay the rest
    without reading the register (a restored register follows what the events changed when
    it is first read, each certificate signed by the officers known at its event): every cut
    gives the register, and the state, of the whole replay (Bylaws Art. VI §1, §4). In
    `signers`, certificate 2 (2 Aug 1999) bears the president's signature alone, as
    certificate 1 does, though it is made only after the secretary took office (5 Aug)."""
    start, events = ledger(name)
    whole = replay(start.terms, [], events, state=ledger(name)[0])
    for k in range(len(events)):
        cut = again(replay(start.terms, [], events[:k], state=ledger(name)[0]))
        rest = replay(start.terms, [], events[k:], state=cut)
        assert rest.stock_certificates == whole.stock_certificates
        assert rest == whole
    if name == "signers":
        certificates = whole.stock_certificates.certificates
        assert certificates["2"].signers == certificates["1"].signers == [("vp", "president")]


def test_a_state_without_certificates_is_restored() -> None:
    """Before any share is issued the register is empty; it is restored empty, and a state
    whose register was read but none of its certificates is restored whole."""
    start, events = ledger("example")
    assert again(start) == start
    restored = again(replay(start.terms, [], events, state=start))
    assert restored.stock_certificates.next_number > 1
    assert again(restored) == replay(start.terms, [], events, state=ledger("example")[0])


def test_a_cap_table_reads_no_certificate() -> None:
    """The register of a restored state stays as bytes until something reads it."""
    start, events = ledger("example")
    restored = again(replay(start.terms, [], events, state=start))
    captable(restored)
    assert "stock_certificates" not in vars(restored)
    assert restored.stock_certificates.certificates["1"].number == "1"


def test_a_stored_company_answers_as_of_any_date_from_its_cached_states(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a state cached every 5 events and a checkpoint signed every 3, the cap table as
    of each event's date is the one a replay from the first event gives; and a query
    writes no cached state (only a load, an append or `charter cache rebuild` do)."""
    import charter.ledger.store as store_module
    import charter.service as service
    from charter.ledger.store import Store, cached_states

    monkeypatch.setattr(service, "CACHE_EVERY", 5)
    monkeypatch.setattr(store_module, "CHECKPOINT_EVERY", 3)
    store = Store(str(tmp_path / "c.db"))
    store.create_schema()
    session = load_ledger(store, EXAMPLE)
    doc = read_ledger(EXAMPLE)

    def rows() -> int:
        with store.engine.connect() as conn:
            return len(conn.execute(cached_states.select()).all())

    cached = rows()
    assert cached == -(-len(doc.entries) // 5)  # every 5 events, and the head
    for e in doc.entries[::3]:
        day = e.event.date
        expected = replay(resolve_terms(doc.company.terms), doc.stakeholders, doc.entries, day)
        assert captable(session.state(day)) == captable(expected)
    assert rows() == cached


def test_a_grant_vesting_in_parts_keeps_its_points_through_a_cached_state() -> None:
    """A grant deemed issued in parts as it vests (Art. IV.B.3(d)(i)(E)(1), the reading
    antidilution-unexercisable-options) holds each part's point of the anti-dilution timeline;
    a lapse at the end of service ((E)(4)) takes units from those points. Cut the history
    before every event, cache the state and go on from the restored copy: every cut gives the
    state of the whole replay, so a part's point is the timeline's own after a restore, not a
    copy that the lapse would change alone. (The consultant's warrant of
    tests/test_antidilution_vesting.py: 1,200,000 common vesting 600,000 at each of two
    yearly installments; service ends after the first; the vested part lapses 30 days later.)"""
    warrant = grant(
        "2000-04-01",
        "w1",
        "bank",
        1_200_000,
        "0.50",
        vesting={"months": 24, "cliff_months": 12, "every_months": 12},
        post_termination_days=30,
    )
    raw = [
        *BASE,
        issue("2000-03-01", "f2", "series_b", 1_000_000, "1.43"),
        warrant,
        {"date": "2001-06-01", "type": "service_end", "holder": "bank"},
        issue("2001-08-01", "f2", "common", 1_000, "2.00"),
    ]
    terms = resolve_terms("quintus")
    events = entries(raw)
    whole = replay(terms, [], events, state=initial_state(terms, stakeholders()))
    assert whole.price_history["series_a"][-1].citation.endswith("(E)(4)")
    for cut in range(1, len(events)):
        head = again(replay(terms, [], events[:cut], state=initial_state(terms, stakeholders())))
        assert replay(terms, [], events[cut:], state=head) == whole, f"cut before event {cut}"
