"""The cap table as of a date: outstanding by holder and class, grants, as-converted and
fully diluted, authorized against issued and reserved (Art. IV.A, IV.B.3(i))."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from charter.numbers import per_share
from charter.state.conversion import common_on_conversion
from charter.state.model import GrantState, PendingConversion, State


@dataclass(frozen=True)
class ClassLine:
    id: str
    name: str
    kind: str
    authorized: int
    outstanding: int
    as_converted: int
    reserved: int
    citation: str


@dataclass(frozen=True)
class CapTable:
    as_of: dt.date | None
    certificate: str
    classes: list[ClassLine]
    holders: dict[str, dict[str, int]]
    grants: list[GrantState]
    fully_diluted: int
    warnings: list[str] = field(default_factory=list)
    # conversions elected on condition of the closing of the offering (Art. IV.B.3(c))
    pending_conversions: list[PendingConversion] = field(default_factory=list)
    # authorized preferred not designated as a series (Post-IPO Art. IV): authorized, citation
    undesignated_preferred: dict[str, object] | None = None


def as_converted(state: State, class_id: str) -> int:
    """Common the class's outstanding shares convert into, each holder's aggregate rounded to
    the nearest whole share (Art. IV.B.3(a), 3(h))."""
    ratio = state.conversion_ratio(class_id)
    if ratio == 1:
        return state.outstanding.get(class_id, 0)
    return sum(
        common_on_conversion(by[class_id], ratio, state.readings)
        for by in state.holdings.values()
        if class_id in by
    )


def grants_as_converted(state: State, grants: list[GrantState]) -> int:
    """Common the grants' outstanding shares come to, each grant's class converted at its
    ratio, rounded per grant (Art. IV.B.3(h))."""
    ratios = {c.id: state.conversion_ratio(c.id) for c in state.certificate.classes}
    total = 0
    for g in grants:
        ratio = ratios.get(g.class_id, Fraction(1))
        total += common_on_conversion(g.outstanding, ratio, state.readings)
    return total


def reserved_common(state: State, grants: list[GrantState]) -> int:
    """Common needed for the conversion of all outstanding preferred and the exercise of
    every outstanding grant (Art. IV.B.3(i))."""
    preferred = sum(as_converted(state, c.id) for c in state.certificate.preferred)
    return preferred + grants_as_converted(state, grants)


def captable(state: State) -> CapTable:
    cert = state.certificate
    grants = [g for g in state.grants.values() if g.outstanding]
    reserve = reserved_common(state, grants)
    granted_by_class: dict[str, int] = {}
    for g in grants:
        granted_by_class[g.class_id] = granted_by_class.get(g.class_id, 0) + g.outstanding
    lines: list[ClassLine] = []
    for c in cert.classes:
        out = state.outstanding.get(c.id, 0)
        reserved = (
            reserve
            if c.kind == "common"
            else sum(g.outstanding for g in grants if g.class_id == c.id)
        )
        lines.append(
            ClassLine(
                id=c.id,
                name=c.name,
                kind=c.kind,
                authorized=c.authorized,
                outstanding=out,
                as_converted=as_converted(state, c.id),
                reserved=reserved,
                citation=c.citation,
            )
        )
    warnings: list[str] = []
    common = cert.common
    unissued = common.authorized - state.outstanding.get(common.id, 0)
    if unissued < reserve:
        cite = cert.conversion.reservation_citation if cert.conversion else None
        warnings.append(
            f"authorized but unissued {common.name} ({unissued:,}) cannot cover the conversion "
            f"of all preferred and the exercise of all grants ({reserve:,})"
            + (f" ({cite})" if cite else "")
        )
    for c in cert.classes:
        granted = granted_by_class.get(c.id, 0)
        if c.kind != "common" and state.outstanding.get(c.id, 0) + granted > c.authorized:
            warnings.append(
                f"outstanding {c.name} plus grants over it ({granted:,}) exceed the "
                f"{c.authorized:,} authorized ({c.citation})"
            )
    fully = sum(line.as_converted for line in lines) + grants_as_converted(state, grants)
    holders = {
        h: {c.id: by.get(c.id, 0) for c in cert.classes} for h, by in sorted(state.holdings.items())
    }
    return CapTable(
        as_of=state.as_of,
        certificate=cert.id,
        classes=lines,
        holders=holders,
        grants=grants,
        fully_diluted=fully,
        warnings=warnings,
        pending_conversions=list(state.pending_conversions),
        undesignated_preferred=undesignated_preferred(state),
    )


def undesignated_preferred(state: State) -> dict[str, object] | None:
    """The preferred the certificate authorizes without designating a series (blank-check
    preferred, Post-IPO Art. IV), none of it outstanding; None where there is none."""
    cert = state.certificate
    if not cert.undesignated_preferred:
        return None
    return {
        "authorized": cert.undesignated_preferred,
        "citation": cert.undesignated_preferred_citation,
    }


def captable_json(ct: CapTable) -> dict[str, object]:
    """The shape of `charter captable --json` (spec/cli-contract.md)."""
    return {
        "as_of": ct.as_of.isoformat() if ct.as_of else None,
        "classes": {
            c.id: {
                "authorized": c.authorized,
                "outstanding": c.outstanding,
                "as_converted": c.as_converted,
                "reserved": c.reserved,
            }
            for c in ct.classes
        },
        "holders": ct.holders,
        "grants": {
            g.id: {
                "holder": g.holder,
                "class": g.class_id,
                "outstanding": g.outstanding,
                "exercise_price": per_share(g.exercise_price),
                "kind": g.kind,
            }
            for g in ct.grants
        },
        "fully_diluted": ct.fully_diluted,
        "certificate": ct.certificate,
        "undesignated_preferred": ct.undesignated_preferred,
        "warnings": ct.warnings,
        "pending_conversions": [
            {"date": p.date.isoformat(), "event": p.event, "classes": list(p.classes)}
            for p in ct.pending_conversions
        ],
    }
