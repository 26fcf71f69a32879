"""Action by written consent of the stockholders, where the certificate allows it (Bylaws
Art. II §11; DGCL §228; forbidden by Post-IPO Art. VIII). The directors' unanimous written
consent (Bylaws Art. III §9; DGCL §141(f)) is `state.board.board_consent`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec

from charter.errors import CharterError, Problem
from charter.ledger.events import StockholderConsent as ConsentEvent
from charter.rules.approvals import ApprovalsResult, Votes, evaluate, required_approvals
from charter.rules.votes import voting_power
from charter.state.model import State
from charter.state.rejection import Rejected

CONSENT_DELIVERY_DAYS = 60  # DGCL §228(c): all consents within 60 days of the earliest
# the fields of the rule's command line (`charter consent`) as the event names them
EVENT_FIELDS = {"--action": "action", "--series": "series", "for": "consents"}


class StockholderConsent(msgspec.Struct, frozen=True):
    result: ApprovalsResult
    record_date: dt.date
    late: list[str]  # signed more than 60 days after the earliest consent: not counted
    notify: list[str]  # holders entitled to vote who did not consent (prompt notice)
    citation: str


def stockholder_consent(
    state: State,
    action: str,
    signed: dict[str, dt.date],
    series: str | None = None,
    settings: Mapping[str, str] | None = None,
) -> StockholderConsent:
    """Whether consents signed by `signed` (holder -> date) take the action without a meeting:
    each stockholder approval is measured against all the stock outstanding, as if all were
    present and voted (Bylaws Art. II §11). `state` is as of the record date: the first date a
    consent is signed when the board fixed none (DGCL §213(b))."""
    voting = state.certificate.voting
    if not voting.stockholder_written_consent:
        raise CharterError(
            [
                Problem(
                    "the stockholders may not act by written consent under the "
                    f"{state.certificate.title}: the action needs a meeting",
                    citation=voting.written_consent_citation,
                )
            ]
        )
    first = min(signed.values()) if signed else state.as_of or dt.date.min
    late = sorted(h for h, d in signed.items() if (d - first).days > CONSENT_DELIVERY_DAYS)
    consenting = [h for h in signed if h not in late]
    result = required_approvals(state, action, series, settings).stockholders_part()
    result = evaluate(state, result, Votes(consenting, written=True), [], 0, settings)
    vp = voting_power(state, settings)
    notify = sorted(h for h in vp.holders if h not in consenting)
    cite = state.terms.bylaws.stockholder_meetings.written_consent_citation
    return StockholderConsent(result, first, late, notify, cite)


def consent_decision(state: State, e: ConsentEvent) -> StockholderConsent:
    """The rule of `charter consent` for a `stockholder_consent` event replayed, as of the
    state the ledger has reached: Rejected (the event refused) if the rule finds a problem,
    a signature is late (DGCL §228(c)) or the consents fall short of an approval the action
    needs (Bylaws Art. II §11)."""
    cite = state.certificate.voting.written_consent_citation
    try:
        outcome = stockholder_consent(state, e.action, dict(e.consents), e.series, state.readings)
    except CharterError as err:
        first = err.problems[0]
        raise Rejected(
            "; ".join(p.message.rstrip(".") for p in err.problems),
            EVENT_FIELDS.get(first.field or "", first.field or "action"),
            first.citation,
        ) from err
    if outcome.late:
        raise Rejected(
            f"{', '.join(outcome.late)} signed more than {CONSENT_DELIVERY_DAYS} days after "
            f"the earliest consent ({outcome.record_date.isoformat()}); a late consent does "
            "not count",
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
    return outcome


def recorded_consents(state: State, action: str, series: str | None = None) -> list[dict[str, Any]]:
    """The written consents of stockholders the ledger records for `action` (and `series`,
    when given), oldest first: the key `recorded` of `charter approvals --json`."""
    return [
        {
            "event": c.event,
            "date": c.date.isoformat(),
            "record_date": c.record_date.isoformat(),
            "series": c.series,
            "consents": list(c.consents),
            "approvals": [{"id": i, "for": f, "needed": n} for i, f, n in c.approvals],
            "citation": c.citation,
        }
        for c in state.stockholder_consents
        if c.action == action and (series is None or c.series == series)
    ]
