"""Replayed states, kept while the ledger does not change.

The ledger is append-only, so (company, last sequence, as-of date) names one state for good:
a new event changes the last sequence and so the key. A small LRU per server process."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from charter.service import Session
from charter.state.model import State


class StateCache:
    def __init__(self, size: int = 64):
        self.size = size
        self._states: OrderedDict[tuple[int, int, dt.date | None], State] = OrderedDict()
        self._lock = threading.Lock()

    def state(self, session: Session, as_of: dt.date | None) -> State:
        key = (session.company.id, session.store.last_sequence(session.company), as_of)
        with self._lock:
            found = self._states.get(key)
            if found is not None:
                self._states.move_to_end(key)
                return found
        state = session.state(as_of)
        with self._lock:
            self._states[key] = state
            while len(self._states) > self.size:
                self._states.popitem(last=False)
        return state
