"""`--ledger FILE`: a company read from a charter-ledger/1 file rather than a database. The
file is checked and replayed whole in memory (a bad file is refused whole, with the line of
every mistake); nothing is stored, and neither is what a command appends to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec

from charter.errors import CharterError, Problem
from charter.ledger.events import Company, Stakeholder
from charter.ledger.fileformat import (
    Entry,
    LedgerDoc,
    dump_ledger,
    parse_event,
    read_ledger,
    with_lines,
)
from charter.replay import initial_state, replay
from charter.state.model import State, collector_paused
from charter.terms.loader import resolve_terms
from charter.terms.model import TermsSet


def not_before_first_event(as_of: dt.date, first: dt.date | None) -> None:
    if first is not None and as_of < first:
        raise CharterError(
            [
                Problem(
                    f"{as_of.isoformat()} is before the company's first event "
                    f"({first.isoformat()})",
                    field="as_of",
                )
            ]
        )


def parse_events(raw_events: Sequence[dict[str, Any]], last: int, source: str) -> list[Entry]:
    """New events to append after sequence `last`, each checked on its own; every problem
    found is raised at once."""
    new: list[Entry] = []
    problems: list[Problem] = []
    for i, raw in enumerate(raw_events):
        entry, errs = parse_event(raw, last + 1 + i, None, source)
        problems.extend(errs)
        if entry is not None:
            new.append(entry)
    if problems:
        raise CharterError(problems)
    return new


class LedgerFile(msgspec.Struct):
    """`--ledger FILE`: a ledger file read, checked and replayed whole in memory, with no
    database; what a command appends is checked the same way and kept in memory only."""

    doc: LedgerDoc
    terms: TermsSet

    @property
    def company(self) -> Company:
        return self.doc.company

    def stakeholders(self) -> list[Stakeholder]:
        return self.doc.stakeholders

    def entries(self, until: dt.date | None = None) -> list[Entry]:
        return [e for e in self.doc.entries if until is None or e.event.date <= until]

    def state(
        self, as_of: dt.date | None = None, readings: Mapping[str, str] | None = None
    ) -> State:
        """The state after every event dated on or before `as_of` (under `readings`)."""
        entries = self.entries(as_of)
        if as_of is not None:
            not_before_first_event(
                as_of, self.doc.entries[0].event.date if self.doc.entries else None
            )
        start = initial_state(self.terms, self.stakeholders(), readings)
        return replay(self.terms, [], entries, until=as_of, state=start)

    def export(self) -> str:
        return dump_ledger(self.doc)

    def append(self, raw_events: Sequence[dict[str, Any]], source: str = "api") -> list[int]:
        """Check new events against the replayed ledger and add them to this copy."""
        new = parse_events(raw_events, len(self.doc.entries), source)
        replay(self.terms, [], new, state=self.state())
        self.doc.entries.extend(new)
        return [e.index for e in new]


def read_ledger_file(path: Path) -> LedgerFile:
    """A ledger file, whole or not at all: every problem in it, with its line."""
    doc = read_ledger(path)
    with collector_paused():
        try:
            terms = resolve_terms(doc.company.terms, path.parent)
            replay(terms, doc.stakeholders, doc.entries)
        except CharterError as e:
            raise CharterError(
                with_lines(e.problems, path.read_text(encoding="utf-8"), str(path))
            ) from None
    return LedgerFile(doc, terms)
