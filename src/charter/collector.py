"""Pausing Python's cyclic garbage collector for work that makes many lasting objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """For work that makes many lasting objects and no cyclic garbage (a replay, a state
    cached or restored, a command opening its company): the cyclic garbage collector, which
    would otherwise walk every object of the process again each time enough new ones were
    made, waits until it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
