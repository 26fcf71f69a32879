"""The one door between the surfaces (CLI, API) and the core: open a store, load a ledger,
replay a company's state as of a date, append events. Rules never see the database."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec
from pydantic import ValidationError

from charter.errors import CharterError, Problem
from charter.inputs import check_data
from charter.ledger.chain import GENESIS, Checkpoint
from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import (
    Entry,
    LedgerDoc,
    dump_ledger,
    read_ledger,
    with_lines,
)
from charter.ledger.store import ConcurrentAppend, Store, StoredCompany
from charter.ledger_file import (
    LedgerFile,
    not_before_first_event,
    parse_events,
    read_ledger_file,
)
from charter.replay import advance_to, initial_state, replay
from charter.state.cached import FORMAT, STATE_VERSION, NotACachedState, restore, snapshot
from charter.state.model import State, collector_paused
from charter.terms.loader import resolve_terms
from charter.terms.model import TermsSet

DEFAULT_DB = "charter.db"
CACHE_EVERY = 2_000  # events between the states cached at a load, an append, a rebuild


def database_url(db: str | None = None) -> str:
    """`--db`, else $CHARTER_DB, else ./charter.db (SQLite)."""
    return db or os.environ.get("CHARTER_DB") or DEFAULT_DB


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "company"


class Session(msgspec.Struct, dict=True):
    """A store and one of its companies."""

    store: Store
    company: StoredCompany
    receipt: Checkpoint | None = None  # the checkpoint of this session's last append

    @functools.cached_property
    def terms(self) -> TermsSet:
        if self.company.terms_data is not None:
            return TermsSet.model_validate(self.company.terms_data)
        return resolve_terms(self.company.terms)

    def stakeholders(self) -> list[Stakeholder]:
        return self.store.stakeholders(self.company)

    def entries(self, until: dt.date | None = None) -> list[Entry]:
        """The events through `until`, each checked against the chain (ChainBroken if not)."""
        return self.store.entries(self.company, until)

    def checkpoint(self) -> Checkpoint | None:
        """The latest signed checkpoint, verified (ChainBroken if it does not verify)."""
        return self.store.head(self.company)

    def checked(self, head_read: Any = None) -> Checkpoint | None:
        """The latest signed checkpoint, verified, and every link of the chain up to it
        (the whole chain once per process, then what was appended since): what a server
        checks before it answers, and an append before it writes. ChainBroken if not.
        `head_read`: the head's columns, if the caller read them (`Store.head`)."""
        head = self.store.head(self.company, head_read)
        self.store.check_chain(self.company, head)
        return head

    def state(
        self, as_of: dt.date | None = None, readings: Mapping[str, str] | None = None
    ) -> State:
        """The company's state after every event dated on or before `as_of` (under the
        --reading choices that the replay depends on).

        Starts from the newest cached state that verifies and replays the events after it,
        each checked against the chain; writes nothing (a read's states are cached in
        memory by its caller, e.g. web/cache.py). ChainBroken if the chain does not verify."""
        if as_of is not None:
            not_before_first_event(as_of, self.store.first_date(self.company))
        return self._replayed(self.store.head(self.company), as_of, readings)

    def _replayed(
        self,
        head: Checkpoint | None,
        as_of: dt.date | None = None,
        readings: Mapping[str, str] | None = None,
    ) -> State:
        """`state` under the verified `head`: the signed cached state it starts from is bound
        to the event it was taken after, and every link from that event to a signed
        checkpoint is checked (ChainBroken if not)."""
        terms = self.terms
        if readings:  # the cached states were replayed under the default readings
            start = initial_state(terms, self.stakeholders(), readings)
            rest = self.store.entries(self.company, as_of, head=head)
            return replay(terms, [], rest, until=as_of, state=start)
        state, after = self._cached(terms, as_of)
        rest = self.store.entries(
            self.company, as_of, after=after[0], after_hash=after[1], head=head
        )
        replay(terms, [], rest, state=state)
        if as_of is not None:
            advance_to(state, as_of)
        return state

    def _cached(self, terms: TermsSet, as_of: dt.date | None) -> tuple[State, tuple[int, str]]:
        """The newest cached state through `as_of` that verifies (else the state before the
        first event), and the sequence and hash of the event it was taken after."""
        cached = self.store.latest_state(self.company, STATE_VERSION, FORMAT, as_of)
        if cached is not None:
            try:  # the stakeholders are loaded if the replay or the question reads them
                holders = functools.partial(self.store.stakeholders_by_id, self.company)
                state = restore(cached.data, terms, holders)
                return state, (cached.sequence, cached.event_hash)
            except NotACachedState:
                pass  # signed by this server, so written by other code: replay instead
        return initial_state(terms, self.stakeholders()), (0, GENESIS)

    @property
    def doc(self) -> LedgerDoc:
        """The company's ledger as a file holds it (as `LedgerFile.doc`)."""
        return LedgerDoc(self.company.company, self.stakeholders(), self.entries())

    def export(self) -> str:
        return dump_ledger(self.doc)

    def append(
        self,
        raw_events: Sequence[dict[str, Any]],
        source: str = "api",
        attempts: int = 5,
        raw_stakeholders: Sequence[Any] = (),
    ) -> list[int]:
        """Validate new events (and stakeholders: new ones, or an existing one changed by an
        explicit `edit: true`) against the replayed ledger and append them as one batch,
        with a signed checkpoint of the new head (kept as `receipt`).

        Resumes from the state this process's last append left at the head it wrote, else
        from the newest cached state: it checks what it stands on, as a read does (the signed
        head; the cached state's signature and the event it is bound to; every link from
        that event to the head), not the events before the cached state, which it neither
        reads nor changes (`charter verify` and the server check the whole chain). Refused
        (ChainBroken) if any of that does not verify. Caches the state when the batch
        crosses a multiple of CACHE_EVERY events."""
        for attempt in range(attempts):
            # the head this process's last append wrote and the state it left there (the
            # transaction below checks that it is still the head), else the verified head
            # and the state replayed to it
            kept = self.store.heads.take(self.company.id)
            head: Checkpoint | None
            if kept is not None:
                head, state = kept
            else:
                head = self.store.head(self.company)
                state = self._replayed(head)
            whole = head is not None and self.store.last_verified(self.company) == head
            last = head.sequence if head else 0
            try:
                new, holders, edits = self._parse_batch(raw_events, raw_stakeholders, last, source)
            except CharterError:
                if head is not None:  # untouched: the next append goes on from it
                    self.store.heads.keep(self.company.id, head, state)
                raise
            for h in (*holders, *edits):
                state.stakeholders[h.id] = h
            replay(self.terms, [], new, state=state)
            try:
                written, checkpoint = self.store.append(self.company, new, head, holders, edits)
            except ConcurrentAppend:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            if checkpoint is None or not written:  # stakeholders only: the head is as it was
                return written
            self.receipt = checkpoint
            if whole:  # the whole chain was checked through `head`: now through the new one
                self.store.verified(self.company, checkpoint)
            if last // CACHE_EVERY != written[-1] // CACHE_EVERY:
                assert state.as_of is not None
                self.store.save_state(
                    self.company,
                    checkpoint.sequence,
                    checkpoint.head,
                    state.as_of,
                    STATE_VERSION,
                    FORMAT,
                    snapshot(state),
                )
            self.store.heads.keep(self.company.id, checkpoint, state)
            return written
        raise AssertionError("unreachable")

    def rebuild_cache(self) -> int:
        """`charter cache rebuild`: delete the company's cached states and cache them again
        from a replay of its checked events (every CACHE_EVERY events and at the head, for a
        ledger of at least CACHE_EVERY events); how many were written."""
        entries = self.entries()
        self.store.drop_states(self.company)
        terms = self.terms
        _, states = replay_caching(terms, self.stakeholders(), entries)
        self._save_states(states)
        return len(states)

    def _save_states(self, states: list[tuple[int, dt.date, bytes]]) -> None:
        hashes = self.store.hashes(self.company, [seq for seq, _, _ in states])
        for seq, date, blob in states:
            self.store.save_state(self.company, seq, hashes[seq], date, STATE_VERSION, FORMAT, blob)

    def check_batch(
        self, raw_events: Sequence[dict[str, Any]], raw_stakeholders: Sequence[Any], source: str
    ) -> State:
        """The batch checked exactly as replay checks it, nothing written: the state after
        it (the web's preview)."""
        head = self.checked()
        last = head.sequence if head else 0
        new, holders, edits = self._parse_batch(raw_events, raw_stakeholders, last, source)
        state = self.state()
        for h in (*holders, *edits):
            state.stakeholders[h.id] = h
        replay(self.terms, [], new, state=state)
        return state

    def _parse_batch(
        self,
        raw_events: Sequence[dict[str, Any]],
        raw_stakeholders: Sequence[Any],
        last: int,
        source: str,
    ) -> tuple[list[Entry], list[Stakeholder], list[Stakeholder]]:
        """The batch's events after sequence `last`, and its new and edited stakeholders,
        each checked on its own; every problem raised at once. Every append comes here (from a
        file, a form's fields, an API body): no text of a batch may hold what
        `inputs.check_data` refuses."""
        check_data([list(raw_stakeholders), list(raw_events)], source)
        problems: list[Problem] = []
        holders, edits = self._batch_stakeholders(raw_stakeholders, source, problems)
        try:
            new = parse_events(raw_events, last, source)
        except CharterError as e:
            problems.extend(e.problems)
            new = []
        if problems:
            raise CharterError(problems)
        return new, holders, edits

    def _batch_stakeholders(
        self, raw: Sequence[Any], source: str, problems: list[Problem]
    ) -> tuple[list[Stakeholder], list[Stakeholder]]:
        """The batch's stakeholders: (new ones, edited ones). An existing id given again
        unchanged is nothing; changed without `edit: true`, a problem."""
        existing = {h.id: h for h in self.stakeholders()} if raw else {}
        new: list[Stakeholder] = []
        edits: list[Stakeholder] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            where = f"stakeholders[{i}]"
            if not isinstance(item, dict):
                problems.append(
                    Problem("a stakeholder must be a mapping", file=source, field=where)
                )
                continue
            edit = item.get("edit", False) is True
            try:
                h = Stakeholder.model_validate({k: v for k, v in item.items() if k != "edit"})
            except ValidationError as e:
                for err in e.errors():
                    fld = ".".join([where, *(str(x) for x in err["loc"])])
                    problems.append(Problem(str(err["msg"]), file=source, field=fld))
                continue
            if h.id in seen:
                problems.append(Problem(f"{h.id!r} is given twice", file=source, field=where))
                continue
            seen.add(h.id)
            old = existing.get(h.id)
            if old is None and edit:
                problems.append(
                    Problem(
                        f"{h.id!r} is not a stakeholder yet: there is nothing to edit",
                        file=source,
                        field=f"{where}.edit",
                    )
                )
            elif old is None:
                new.append(h)
            elif old != h and not edit:
                problems.append(
                    Problem(
                        f"{h.id!r} is already a stakeholder, with other details; to change "
                        "them, mark the entry `edit: true`",
                        file=source,
                        field=where,
                    )
                )
            elif old != h:
                edits.append(h)
        return new, edits


def open_store(db: str | None = None, create: bool = False) -> Store:
    store = Store(database_url(db))
    if create:
        store.create_schema()
    return store


def replay_caching(
    terms: TermsSet, stakeholders: Sequence[Stakeholder], entries: Sequence[Entry]
) -> tuple[State, list[tuple[int, dt.date, bytes]]]:
    """Replay the events from the first; raise every problem found. Also returns the states
    to cache, taken during the one replay: after every CACHE_EVERY events, and after the
    last when there are at least CACHE_EVERY (sequence numbers are 1-based)."""
    problems: list[Problem] = []
    state = replay(terms, stakeholders, [])
    states: list[tuple[int, dt.date, bytes]] = []
    for start in range(0, len(entries), CACHE_EVERY):
        chunk = entries[start : start + CACHE_EVERY]
        try:
            replay(terms, [], chunk, state=state)
        except CharterError as e:
            problems.extend(e.problems)
        done = start + len(chunk)
        if not problems and len(entries) >= CACHE_EVERY and state.as_of is not None:
            states.append((done, state.as_of, snapshot(state)))
    if problems:
        raise CharterError(problems)
    return state, states


def validate_ledger(
    doc: LedgerDoc, relative_to: Path | None = None
) -> tuple[TermsSet, State, list[tuple[int, dt.date, bytes]]]:
    """Resolve the ledger's terms and replay it whole; raise every problem found. Also
    returns the states to cache (`replay_caching`)."""
    terms = resolve_terms(doc.company.terms, relative_to)
    state, states = replay_caching(terms, doc.stakeholders, doc.entries)
    return terms, state, states


def load_ledger(store: Store, path: Path, slug: str | None = None) -> Session:
    """Load a ledger file into the store as a new company, whole or not at all (its events
    and signed checkpoints in one transaction; then its cached states)."""
    with collector_paused():  # reading, replaying and writing make many lasting objects
        doc = read_ledger(path)
        try:
            terms, _, states = validate_ledger(doc, path.parent)
        except CharterError as e:
            raise CharterError(
                with_lines(e.problems, path.read_text(encoding="utf-8"), str(path))
            ) from None
        is_builtin = doc.company.terms == terms.id and not Path(doc.company.terms).exists()
        stored = store.create_company(
            slug or slugify(doc.company.name),
            doc.company,
            doc.stakeholders,
            None if is_builtin else terms.model_dump(mode="json"),
            doc.entries,
        )
        session = Session(store, stored)
        session._save_states(states)
    return session


def open_session(
    ledger: Path | None = None, db: str | None = None, company: str | None = None
) -> Session | LedgerFile:
    """`--ledger FILE`: that file, checked and replayed in memory; otherwise the configured
    database."""
    if ledger is not None:
        return read_ledger_file(ledger)
    return open_company(db, company)


def open_company(db: str | None = None, company: str | None = None) -> Session:
    """A company of the configured database (`--db`, `--company`)."""
    store = open_store(db)
    return Session(store, store.company(company))
