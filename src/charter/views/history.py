"""The ledger's events as `charter history --json` and the web show them."""

from __future__ import annotations

from typing import Any

from charter.ledger.events import event_to_dict
from charter.ledger.fileformat import Entry


def history_json(entries: list[Entry]) -> list[dict[str, Any]]:
    """The shape of `charter history --json`: each event as written, with its sequence."""
    return [{"sequence": e.index, **event_to_dict(e.event)} for e in entries]
