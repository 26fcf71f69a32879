"""How an event handler refuses an event: one sentence, the field, and the clause."""

from __future__ import annotations


class Rejected(Exception):
    """The event cannot be applied; raised by a check before anything changes."""

    def __init__(self, message: str, field: str | None = None, citation: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.citation = citation
