"""Action by written consent of the stockholders, where the certificate allows it (Bylaws
Art. II §11; DGCL §228; forbidden by Post-IPO Art. VIII). The directors' unanimous written
consent (Bylaws Art. III §9; DGCL §141(f)) is `state.board.board_consent`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from charter.errors import CharterError, Problem
from charter.rules.approvals import ApprovalsResult, Votes, evaluate, required_approvals
from charter.rules.votes import voting_power
from charter.state.model import State

CONSENT_DELIVERY_DAYS = 60  # DGCL §228(c): all consents within 60 days of the earliest


@dataclass(frozen=True)
class StockholderConsent:
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
