"""Written consents of stockholders recorded in the ledger (Bylaws Art. II §11; DGCL §228).

A `stockholder_consent` event records a corporate action taken without a meeting. Replay checks
it with the rule `charter consent` applies (rules/consents.py: `stockholder_consent`), one piece
of code for the rule: the consents must carry every stockholder approval the action needs,
measured against all the stock outstanding; the certificate in force must allow written
consent; every signature must fall within 60 days of the earliest (§228(c)). The rules layer
sits below the state, so the rule is imported when a consent is checked, not when this module
is loaded (rules/consents.py imports the state model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from charter.errors import CharterError
from charter.ledger.events import StockholderConsent
from charter.state.model import ConsentRecord, State
from charter.state.rejection import Rejected

if TYPE_CHECKING:
    from charter.rules.consents import StockholderConsent as ConsentOutcome

# the fields of the rule's command line (`charter consent`) as the event names them
EVENT_FIELDS = {"--action": "action", "--series": "series", "for": "consents"}


def check_stockholder_consent(state: State, e: StockholderConsent) -> None:
    """Refuse a consent signed after it is recorded, one whose record date (the first
    signature, DGCL §213(b)) lies before events already in the ledger (the holders of record
    on that date are then no longer the ledger's), late signatures, or consents short of an
    approval the action needs."""
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
    outcome = evaluate_consent(state, e)
    if outcome.late:
        raise Rejected(
            f"{', '.join(outcome.late)} signed more than "
            f"{consent_delivery_days()} days after the earliest consent "
            f"({record_date.isoformat()}); a late consent does not count",
            "consents",
            cite,
        )
    approvals = outcome.result.approvals
    if not approvals:
        raise Rejected(
            f"{e.action} needs no approval of the stockholders under the "
            f"{state.certificate.title}; there is nothing for them to consent to",
            "action",
            cite,
        )
    for a in approvals:
        if not a.met:
            unit = "shares" if a.measure == "shares" else "votes"
            together = " voting together" if len(a.group) > 1 else ""
            raise Rejected(
                f"the consents carry {a.for_:,} of the {a.eligible:,} {unit} of "
                f"{', '.join(a.group)}{together}; {a.needed:,} are needed for {a.id}",
                "consents",
                a.citation,
            )


def evaluate_consent(state: State, e: StockholderConsent) -> ConsentOutcome:
    """The rule of `charter consent`, as of the state the ledger has reached."""
    from charter.rules.consents import stockholder_consent

    try:
        return stockholder_consent(state, e.action, dict(e.consents), e.series, state.readings)
    except CharterError as err:
        first = err.problems[0]
        raise Rejected(
            "; ".join(p.message.rstrip(".") for p in err.problems),
            EVENT_FIELDS.get(first.field or "", first.field or "action"),
            first.citation,
        ) from err


def consent_delivery_days() -> int:
    from charter.rules.consents import CONSENT_DELIVERY_DAYS

    return CONSENT_DELIVERY_DAYS


def apply_stockholder_consent(state: State, e: StockholderConsent) -> None:
    outcome = evaluate_consent(state, e)
    state.stockholder_consents.append(
        ConsentRecord(
            event=e.id,
            date=e.date,
            action=e.action,
            series=e.series,
            record_date=outcome.record_date,
            consents=tuple(sorted(e.consents)),
            approvals=tuple((a.id, a.for_ or 0, a.needed or 0) for a in outcome.result.approvals),
            citation=outcome.citation,
        )
    )
