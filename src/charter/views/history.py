"""The ledger's events as `charter history --json` and the web show them."""

from __future__ import annotations

from typing import Any

from charter.ledger.events import event_to_dict
from charter.ledger.fileformat import Entry


def history_json(entries: list[Entry]) -> list[dict[str, Any]]:
    """The shape of `charter history --json`: each event as written, with its sequence."""
    return [{"sequence": e.index, **event_to_dict(e.event)} for e in entries]


def _names(value: Any, wanted: str) -> bool:
    """Whether `wanted` is one of the values written in `value` (an event's fields, at any
    depth: a holder of a transfer's `from` or `to`, a class in a list of classes)."""
    if isinstance(value, dict):
        return any(_names(v, wanted) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_names(v, wanted) for v in value)
    return bool(value == wanted)


def history_filtered(
    events: list[dict[str, Any]],
    holder: str | None = None,
    class_id: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """The events (`history_json`) of type `kind` that name `holder` and `class_id` among
    their fields; a filter left None keeps every event."""
    return [
        e
        for e in events
        if (kind is None or e.get("type") == kind)
        and (holder is None or _names(e, holder))
        and (class_id is None or _names(e, class_id))
    ]
