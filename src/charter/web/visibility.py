"""What each role may see. Administrators, counsel and directors read everything; a
stockholder sees the company's classes and documents, and only its own holdings, grants and
events. This is access control over results the core computed, never a computation."""

from __future__ import annotations

from typing import Any

from charter.web.accounts import Membership

HOLDER_FIELDS = ("holder", "from", "to")


def captable_for(data: dict[str, Any], member: Membership) -> dict[str, Any]:
    """The cap table (captable_json's shape) as `member` may see it."""
    if member.reads_all:
        return data
    me = member.stakeholder
    return {
        **data,
        "holders": {h: by for h, by in data["holders"].items() if h == me},
        "grants": {g: v for g, v in data["grants"].items() if v["holder"] == me},
    }


def history_for(
    events: list[dict[str, Any]], member: Membership, own_grants: set[str]
) -> list[dict[str, Any]]:
    """The events (history_json's shape) that `member` may see: for a stockholder, those
    naming its stakeholder id as holder, transferor or transferee, or acting on its grants."""
    if member.reads_all:
        return events
    me = member.stakeholder
    return [
        e
        for e in events
        if any(e.get(f) == me for f in HOLDER_FIELDS)
        or (e.get("type") == "grant" and e.get("holder") == me)
        or e.get("grant") in own_grants
    ]
