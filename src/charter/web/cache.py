"""Replayed states and computed results, kept while the ledger does not change.

The ledger is append-only, so (company, last sequence, as-of date) names one state for good,
and (company, last sequence, what was asked) one result: a new event changes the last
sequence and so the key. A small LRU per server process."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from charter.service import Session
from charter.state.model import State


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def known(self, key: Hashable) -> Any | None:
        """The value kept under `key`, or None (nothing is computed)."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class StateCache:
    def __init__(self, size: int = 64, results: int = 512):
        self._states = _LRU(size)
        self._results = _LRU(results)

    def state(
        self,
        session: Session,
        as_of: dt.date | None,
        last: int | None = None,
        readings: tuple[tuple[str, str], ...] = (),
    ) -> State:
        """The replayed state (under the `readings` the replay depends on, sorted pairs);
        `last` is the ledger's last sequence if the caller read it."""
        if last is None:
            last = session.store.last_sequence(session.company)
        key = (session.company.id, last, as_of, readings)
        state: State = self._states.get(key, lambda: session.state(as_of, dict(readings)))
        return state

    def result(
        self, session: Session, last: int, what: Hashable, compute: Callable[[], Any]
    ) -> Any:
        """A computed result (a JSON document the core built), named by `what`: the query
        and its parameters. Callers must not change what they are given."""
        return self._results.get((session.company.id, last, what), compute)

    def known(self, session: Session, last: int, what: Hashable) -> Any | None:
        """The result named by `what` if it is kept (None otherwise: nothing is computed)."""
        return self._results.known((session.company.id, last, what))
