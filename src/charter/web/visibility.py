"""What each role may see. Administrators, counsel and directors read everything; a
stockholder sees the company's classes and documents, and only its own holdings, grants and
events. This is access control over results the core computed, never a computation."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from charter.server.accounts import Membership
from charter.state.model import State

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
        "holder_totals": {h: v for h, v in data.get("holder_totals", {}).items() if h == me},
        "convertibles": {
            c: v for c, v in data.get("convertibles", {}).items() if v["holder"] == me
        },
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


_WORDS = re.compile(r"[\s,;:()=\[\]]+")


def _names_others(text: str, others: set[str]) -> bool:
    return any(w in others for w in _WORDS.split(text))


class Mine(msgspec.Struct, frozen=True):
    """A stockholder's own ids, and the others' (stakeholders and grants) it may not see."""

    holder: str | None
    grants: frozenset[str]
    others: frozenset[str]

    @classmethod
    def of(cls, state: State, member: Membership) -> Mine:
        me = member.stakeholder
        grants = frozenset(g.id for g in state.grants.values() if g.holder == me)
        others = {h for h in state.stakeholders if h != me} | {
            g for g in state.grants if g not in grants
        }
        return cls(me, grants, frozenset(others))


def waterfall_for(data: dict[str, Any], member: Membership, mine: Mine | None) -> dict[str, Any]:
    """`charter waterfall --json` as `member` may see it: a stockholder gets its own holder
    row, its own grants among those exercised, and the derivation without others' names."""
    if member.reads_all or mine is None:
        return data
    others = set(mine.others)
    out = {
        **data,
        "holders": {h: v for h, v in data["holders"].items() if h == mine.holder},
        "exercised": [g for g in data["exercised"] if g in mine.grants],
        "grants": {g: v for g, v in data.get("grants", {}).items() if g in mine.grants},
        "trace": [t for t in data["trace"] if not _names_others(t, others)],
    }
    if "convertibles" in data:  # SAFEs and notes at the exit: only its own
        out["convertibles"] = {
            c: v for c, v in data["convertibles"].items() if v["holder"] == mine.holder
        }
    if "cash_owed" in data:  # the totals are the company's; the rows only its own
        owed = data["cash_owed"]
        out["cash_owed"] = {
            **owed,
            "holders": {h: v for h, v in owed["holders"].items() if h == mine.holder},
        }
    return out


def curve_for(data: dict[str, Any], member: Membership, mine: Mine | None) -> dict[str, Any]:
    """`charter curve --json` as `member` may see it: a stockholder gets its own payout line;
    a change at a breakpoint that names another holder's grants says only that others'
    options or warrants change."""
    if member.reads_all or mine is None:
        return data
    others = set(mine.others)
    out = {
        **data,
        "breakpoints": [
            {
                **b,
                "changes": [
                    "options or warrants of other holders are exercised or not"
                    if _names_others(c, others)
                    else c
                    for c in b["changes"]
                ],
            }
            for b in data["breakpoints"]
        ],
        "segments": [
            {**s, "exercised": [g for g in s["exercised"] if g in mine.grants]}
            for s in data["segments"]
        ],
    }
    if "holders" in data:
        out["holders"] = {h: v for h, v in data["holders"].items() if h == mine.holder}
    return out


def ipo_for(data: dict[str, Any], member: Membership) -> dict[str, Any]:
    """`charter ipo --json` as `member` may see it: the offering's qualification, the classes'
    conversion and the totals are the company's; a stockholder gets only its own holder row."""
    if member.reads_all:
        return data
    return {
        **data,
        "holders": {h: v for h, v in data["holders"].items() if h == member.stakeholder},
    }


def dividend_for(data: dict[str, Any], member: Membership) -> dict[str, Any]:
    """`charter dividend --json` as `member` may see it: the classes' parts and the derivation
    are the company's; a stockholder gets only its own holder row."""
    if member.reads_all:
        return data
    return {
        **data,
        "holders": {h: v for h, v in data["holders"].items() if h == member.stakeholder},
    }


def cash_owed_for(data: dict[str, Any], member: Membership) -> dict[str, Any]:
    """`charter cash-owed --json` as `member` may see it: the totals and the funds applied are
    the company's; a stockholder gets only its own rows, in the holders and in the history."""
    if member.reads_all:
        return data
    me = member.stakeholder
    return {
        **data,
        "holders": {h: v for h, v in data["holders"].items() if h == me},
        "history": [
            {**r, "holders": {h: v for h, v in r["holders"].items() if h == me}}
            for r in data["history"]
        ],
    }


def notices_for(data: dict[str, Any], member: Membership) -> dict[str, Any]:
    """`charter notices --json` as `member` may see it: a stockholder gets the notices owed to
    it, addressed to it alone."""
    if member.reads_all:
        return data
    me = member.stakeholder
    return {
        **data,
        "notices": [{**n, "to": [me]} for n in data["notices"] if me in n["to"]],
    }
