"""Who holds which office on a date, by the office events (`state/offices.py`); kept apart
so that the certificate register, which the state model holds, can ask it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.state.model import State


def has_terms(state: State, holder: str) -> bool:
    """Whether the ledger dates this stakeholder's offices (any office event names it)."""
    return any(t.holder == holder for t in state.offices)


def offices_held(state: State, holder: str, on: dt.date) -> list[str]:
    """The offices the ledger records the stakeholder as holding on a date."""
    return [t.office for t in state.offices if t.holder == holder and t.held_on(on)]


def holders_of(state: State, office: str, on: dt.date) -> list[str]:
    """Who holds an office on a date, in the order appointed."""
    return [t.holder for t in state.offices if t.office == office and t.held_on(on)]
