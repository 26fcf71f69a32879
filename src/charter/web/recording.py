"""Who records what: an administrator records every event; counsel and directors record the
votes and consents (ledger/events.py: VOTE_AND_CONSENT_TYPES) and nothing else; a
stockholder records nothing. Every door that writes to the ledger (the events API, the
votes-and-consents API, the history form and the votes-and-consents forms) asks here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from charter.ledger.events import EVENT_TYPES, VOTE_AND_CONSENT_TYPES
from charter.server.accounts import Membership
from charter.web.context import Access
from charter.web.problems import HTTPProblem

VOTES_AND_CONSENTS_ROLES = frozenset({"counsel", "director"})


def may_record(member: Membership, event_type: str) -> bool:
    """Whether `member` may record an event of `event_type`."""
    if member.records_events:
        return True
    return member.role in VOTES_AND_CONSENTS_ROLES and event_type in VOTE_AND_CONSENT_TYPES


def event_types(raw_events: Sequence[Any]) -> list[str | None]:
    """The type of each raw event, None where it has no known type (the ledger's own check
    then says what is wrong with it)."""
    return [
        e.get("type") if isinstance(e, dict) and e.get("type") in EVENT_TYPES else None
        for e in raw_events
    ]


def require_may_record(access: Access, types: Sequence[str | None]) -> None:
    """Refuse (403, one sentence, nothing written) a batch holding an event this member may
    not record; `types` are the events' types in order (None: not a known type)."""
    member = access.member
    if member.role not in VOTES_AND_CONSENTS_ROLES and not member.records_events:
        raise HTTPProblem(
            403,
            f"a {member.role} of {access.slug} records nothing; only its administrators "
            "record events, and its counsel and directors votes and consents",
        )
    refused = [
        f"{n} ({t})" for n, t in enumerate(types, 1) if t is not None and not may_record(member, t)
    ]
    if refused:
        raise HTTPProblem(
            403,
            f"{member.role} of {access.slug} records votes and consents only "
            f"({', '.join(VOTE_AND_CONSENT_TYPES)}); the batch's event{'s' if len(refused) > 1 else ''} "
            f"{', '.join(refused)} {'are' if len(refused) > 1 else 'is'} for an administrator "
            "to record",
            field="events",
        )
