"""Written consents of stockholders recorded in the ledger (Bylaws Art. II §11; DGCL §228).

A `stockholder_consent` event records a corporate action taken without a meeting. The state
checks the dates of its signatures and keeps the consent; whether the consents carry every
stockholder approval the action needs, measured against all the stock outstanding, whether
the certificate in force allows written consent, and whether every signature falls within
60 days of the earliest (§228(c)) is the rule `charter consent` applies (rules/consents.py:
`consent_decision`), one piece of code for the rule. Replay (charter/replay.py, above both)
asks the rule and records its answer.
"""

from __future__ import annotations

import datetime as dt

from charter.ledger.events import StockholderConsent
from charter.state.model import ConsentRecord, State
from charter.state.rejection import Rejected


def check_signatures(state: State, e: StockholderConsent) -> None:
    """Refuse a consent signed after it is recorded, or one whose record date (the first
    signature, DGCL §213(b)) lies before events already in the ledger (the holders of record
    on that date are then no longer the ledger's)."""
    cite = state.certificate.voting.written_consent_citation
    after = sorted(h for h, d in e.consents.items() if d > e.date)
    if after:
        raise Rejected(
            f"{', '.join(after)} signed after the consent's date ({e.date.isoformat()}); "
            "a consent is recorded on or after its last signature",
            "consents",
            cite,
        )
    record_date = min(e.consents.values())
    if state.as_of is not None and state.as_of > record_date:
        raise Rejected(
            f"the consents' record date is {record_date.isoformat()} (the first signature), "
            f"but the ledger already records events to {state.as_of.isoformat()}; the holders "
            "of record on that date cannot be checked against it",
            "consents",
            cite,
        )


def record(
    state: State,
    e: StockholderConsent,
    record_date: dt.date,
    approvals: tuple[tuple[str, int, int], ...],
    citation: str,
) -> None:
    """Keep the consent with the approvals it carried: (id, for, needed) each."""
    state.stockholder_consents.append(
        ConsentRecord(
            event=e.id,
            date=e.date,
            action=e.action,
            series=e.series,
            record_date=record_date,
            consents=tuple(sorted(e.consents)),
            approvals=approvals,
            citation=citation,
        )
    )
