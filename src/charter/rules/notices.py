"""Notices of record date (Art. IV.B.4): when the company takes a record of holders for a
dividend other than cash, a distribution or a right, every holder of preferred must be
mailed notice at least the terms' number of days before the record date, stating the date
and the amount and character of the dividend, distribution or right."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import msgspec

from charter.numbers import per_share as per_share_str
from charter.state.model import State


class Notice(msgspec.Struct, frozen=True):
    event: str
    kind: str
    declared: dt.date
    record_date: dt.date
    mail_by: dt.date
    to: list[str]
    on_time_possible: bool  # declared no later than the last mailing day
    citation: str
    character: str  # the amount and character the notice must state


def record_date_notices(state: State) -> list[Notice]:
    """What must be mailed to whom by when, for every record recorded in the ledger."""
    out = []
    for r in state.record_notices:
        cert = state.terms.certificate(r.certificate)
        rule = cert.record_date_notice if cert else None
        if rule is None or not r.preferred_holders:
            continue
        mail_by = r.record_date - dt.timedelta(days=rule.days_before)
        out.append(
            Notice(
                r.event,
                r.kind,
                r.date,
                r.record_date,
                mail_by,
                list(r.preferred_holders),
                r.date <= mail_by,
                rule.citation,
                r.character or character_of(r.kind, r.per_share),
            )
        )
    return out


def character_of(kind: str, per_share: dict[str, Fraction]) -> str:
    """The amount and character of a dividend or distribution, as the notice states it (a
    stock or property dividend; a recapitalization, with the shares of each class a share of
    common becomes)."""
    what = f"{kind} dividend" if kind in ("stock", "property") else kind
    amounts = ", ".join(f"{per_share_str(v)} per share of {c}" for c, v in per_share.items())
    return f"{what}: {amounts}" if amounts else what


def notices_json(notices: list[Notice]) -> dict[str, object]:
    return {
        "notices": [
            {
                "event": n.event,
                "kind": n.kind,
                "declared": n.declared.isoformat(),
                "record_date": n.record_date.isoformat(),
                "mail_by": n.mail_by.isoformat(),
                "to": n.to,
                "on_time_possible": n.on_time_possible,
                "citation": n.citation,
                "character": n.character,
            }
            for n in notices
        ]
    }
