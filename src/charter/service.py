"""The one door between the surfaces (CLI, API) and the core: open a store, load a ledger,
replay a company's state as of a date, append events. Rules never see the database."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from charter.errors import CharterError, Problem
from charter.ledger.events import Stakeholder
from charter.ledger.fileformat import (
    Entry,
    LedgerDoc,
    dump_ledger,
    parse_event,
    read_ledger,
    with_lines,
)
from charter.ledger.store import ConcurrentAppend, Store, StoredCompany
from charter.state.model import STATE_VERSION, State, collector_paused, restore, snapshot
from charter.state.replay import advance_to, initial_state, replay
from charter.terms.loader import resolve_terms
from charter.terms.model import TermsSet

DEFAULT_DB = "charter.db"
SNAPSHOT_EVERY = 10_000  # events between the states cached when a ledger is loaded
SNAPSHOT_ON_READ = 1_000  # a query that replays more events than this caches its state


def database_url(db: str | None = None) -> str:
    """`--db`, else $CHARTER_DB, else ./charter.db (SQLite)."""
    return db or os.environ.get("CHARTER_DB") or DEFAULT_DB


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "company"


@dataclass
class Session:
    """A store and one of its companies."""

    store: Store
    company: StoredCompany

    @property
    def terms(self) -> TermsSet:
        if self.company.terms_data is not None:
            return TermsSet.model_validate(self.company.terms_data)
        return resolve_terms(self.company.terms)

    def stakeholders(self) -> list[Stakeholder]:
        return self.store.stakeholders(self.company)

    def entries(self, until: dt.date | None = None) -> list[Entry]:
        return self.store.entries(self.company, until)

    def state(
        self, as_of: dt.date | None = None, readings: Mapping[str, str] | None = None
    ) -> State:
        """The company's state after every event dated on or before `as_of` (under the
        --reading choices that the replay depends on)."""
        if as_of is not None:
            first = self.store.first_date(self.company)
            if first is not None and as_of < first:
                raise CharterError(
                    [
                        Problem(
                            f"--as-of {as_of.isoformat()} is before the company's first event "
                            f"({first.isoformat()})",
                            field="as_of",
                        )
                    ]
                )
        terms = self.terms
        if readings:  # the cached states were replayed under the default readings
            start = initial_state(terms, self.stakeholders(), readings)
            return replay(
                terms, [], self.store.entries(self.company, as_of), until=as_of, state=start
            )
        cached = self.store.latest_snapshot(self.company, STATE_VERSION, as_of)
        if cached is None:
            state = initial_state(terms, self.stakeholders())
        else:  # the stakeholders are loaded if the replay or the question reads them
            state = restore(cached[1], terms, lambda: {h.id: h for h in self.stakeholders()})
        rest = self.store.entries(self.company, as_of, after=cached[0] if cached else 0)
        replay(terms, [], rest, state=state)
        if len(rest) >= SNAPSHOT_ON_READ and state.as_of is not None:
            # a read-through cache: the next question as of this date or later starts here
            # (taken before time passes to `as_of`, so it holds only what the events made)
            self.store.save_snapshot(
                self.company, rest[-1].index, state.as_of, STATE_VERSION, snapshot(state)
            )
        if as_of is not None:
            advance_to(state, as_of)
        return state

    def export(self) -> str:
        doc = LedgerDoc(self.company.company, self.stakeholders(), self.entries())
        return dump_ledger(doc)

    def append(
        self,
        raw_events: Sequence[dict[str, Any]],
        source: str = "api",
        attempts: int = 5,
        raw_stakeholders: Sequence[Any] = (),
    ) -> list[int]:
        """Validate new events (and stakeholders: new ones, or an existing one changed by an
        explicit `edit: true`) against the replayed ledger and append them as one batch."""
        for attempt in range(attempts):
            last, new, holders, edits, state = self.checked(raw_events, raw_stakeholders, source)
            try:
                written = self.store.append(self.company, new, last, holders, edits)
            except ConcurrentAppend:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            if written and last // SNAPSHOT_EVERY != written[-1] // SNAPSHOT_EVERY:
                assert state.as_of is not None
                self.store.save_snapshot(
                    self.company, written[-1], state.as_of, STATE_VERSION, snapshot(state)
                )
            return written
        raise AssertionError("unreachable")

    def checked(
        self, raw_events: Sequence[dict[str, Any]], raw_stakeholders: Sequence[Any], source: str
    ) -> tuple[int, list[Entry], list[Stakeholder], list[Stakeholder], State]:
        """The batch checked exactly as replay checks it, nothing written: (the last
        sequence it follows, its entries, new and edited stakeholders, the state after it)."""
        last = self.store.last_sequence(self.company)
        new: list[Entry] = []
        problems: list[Problem] = []
        holders, edits = self._batch_stakeholders(raw_stakeholders, source, problems)
        for i, raw in enumerate(raw_events):
            entry, errs = parse_event(raw, last + 1 + i, None, source)
            problems.extend(errs)
            if entry is not None:
                new.append(entry)
        if problems:
            raise CharterError(problems)
        state = self.state()
        for h in (*holders, *edits):
            state.stakeholders[h.id] = h
        replay(self.terms, [], new, state=state)
        return last, new, holders, edits, state

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


def validate_ledger(
    doc: LedgerDoc, relative_to: Path | None = None
) -> tuple[TermsSet, State, list[tuple[int, dt.date, bytes]]]:
    """Resolve the ledger's terms and replay it whole; raise every problem found.

    Also returns the states to cache, taken during the one replay: a snapshot after every
    SNAPSHOT_EVERY events (sequence numbers are 1-based).
    """
    terms = resolve_terms(doc.company.terms, relative_to)
    problems: list[Problem] = []
    state = replay(terms, doc.stakeholders, [])
    snaps: list[tuple[int, dt.date, bytes]] = []
    entries = doc.entries
    for start in range(0, len(entries), SNAPSHOT_EVERY):
        chunk = entries[start : start + SNAPSHOT_EVERY]
        try:
            replay(terms, [], chunk, state=state)
        except CharterError as e:
            problems.extend(e.problems)
        done = start + len(chunk)
        if not problems and len(chunk) == SNAPSHOT_EVERY and state.as_of is not None:
            snaps.append((done, state.as_of, snapshot(state)))
    if problems:
        raise CharterError(problems)
    return terms, state, snaps


def load_ledger(store: Store, path: Path, slug: str | None = None) -> Session:
    """Load a ledger file into the store as a new company, whole or not at all."""
    with collector_paused():  # reading, replaying and writing make many lasting objects
        doc = read_ledger(path)
        try:
            terms, _, snaps = validate_ledger(doc, path.parent)
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
        for sequence, date, blob in snaps:
            store.save_snapshot(stored, sequence, date, STATE_VERSION, blob)
    return session


def open_session(
    ledger: Path | None = None, db: str | None = None, company: str | None = None
) -> Session:
    """`--ledger FILE`: a throw-away in-memory database holding that file; otherwise the
    configured database."""
    if ledger is not None:
        store = open_store(":memory:", create=True)
        return load_ledger(store, ledger)
    store = open_store(db)
    return Session(store, store.company(company))
