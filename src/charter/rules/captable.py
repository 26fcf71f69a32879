"""The cap table as of a date: outstanding by holder and class, grants, as-converted and
fully diluted, authorized against issued and reserved (Art. IV.A, IV.B.3(i))."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import msgspec

from charter.numbers import per_share, to_decimal_str
from charter.rules import convertibles as convertibles_rules
from charter.rules.convertibles import ConvertibleLine
from charter.rules.grants import free_text_warnings
from charter.state.conversion import common_on_conversion
from charter.state.model import GrantState, PendingConversion, State


class ClassLine(msgspec.Struct, frozen=True):
    id: str
    name: str
    kind: str
    authorized: int
    outstanding: int
    as_converted: int
    reserved: int
    citation: str


class HolderTotal(msgspec.Struct, frozen=True):
    """A holder's shares as converted (outstanding stock) and fully diluted (with its grants),
    and its percentages of each."""

    as_converted: int
    fully_diluted: int
    outstanding_pct: Fraction
    fully_diluted_pct: Fraction


class CapTable(msgspec.Struct, frozen=True):
    as_of: dt.date | None
    certificate: str
    classes: list[ClassLine]
    holders: dict[str, dict[str, int]]
    grants: list[GrantState]
    fully_diluted: int
    warnings: list[str] = msgspec.field(default_factory=list)
    # conversions elected on condition of the closing of the offering (Art. IV.B.3(c))
    pending_conversions: list[PendingConversion] = msgspec.field(default_factory=list)
    # authorized preferred not designated as a series (Post-IPO Art. IV): authorized, citation
    undesignated_preferred: dict[str, object] | None = None
    holder_totals: dict[str, HolderTotal] = msgspec.field(default_factory=dict)
    as_converted: int = 0  # all outstanding stock, as converted into common
    unallocated_pool: dict[str, int] = msgspec.field(default_factory=dict)  # plan -> available
    fully_diluted_with_pool: int = 0
    class_totals: dict[str, HolderTotal] = msgspec.field(default_factory=dict)
    # SAFEs and convertible notes, their own section: not shares until they convert
    convertibles: list[ConvertibleLine] = msgspec.field(default_factory=list)


# the ratio of a class the certificate does not convert: one default, not one per share
_ONE = Fraction(1)


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
        ratio = ratios.get(g.class_id, _ONE)
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
    warnings.extend(free_text_warnings(state))
    converted = sum(line.as_converted for line in lines)
    fully = converted + grants_as_converted(state, grants)
    holders = {
        h: {c.id: by.get(c.id, 0) for c in cert.classes} for h, by in sorted(state.holdings.items())
    }
    pool = {p.id: max(p.available, 0) for p in state.plans.values()}
    with_pool = fully + sum(pool.values())
    totals = holder_totals(state, grants, converted, with_pool)
    by_class = class_totals(state, grants, lines, converted, with_pool)
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
        holder_totals=totals,
        as_converted=converted,
        unallocated_pool=pool,
        fully_diluted_with_pool=with_pool,
        class_totals=by_class,
        convertibles=convertibles_rules.lines(state),
    )


def class_totals(
    state: State, grants: list[GrantState], lines: list[ClassLine], converted: int, with_pool: int
) -> dict[str, HolderTotal]:
    """Each class's outstanding stock as converted, and with the grants over it (rounded per
    grant, Art. IV.B.3(h)), as a fraction of all the outstanding stock as converted and of the
    fully diluted count with the unallocated pool: the holders' totals summed by class."""
    out = {}
    for line in lines:
        own = [g for g in grants if g.class_id == line.id]
        f = line.as_converted + grants_as_converted(state, own)
        out[line.id] = HolderTotal(
            line.as_converted,
            f,
            Fraction(line.as_converted, converted) if converted else Fraction(0),
            Fraction(f, with_pool) if with_pool else Fraction(0),
        )
    return out


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


def holder_totals(
    state: State, grants: list[GrantState], converted: int, with_pool: int
) -> dict[str, HolderTotal]:
    """Each holder's stock as converted (each series rounded per holder, Art. IV.B.3(h)) and
    with its outstanding grants (rounded per grant), as shares and as a fraction of all the
    outstanding stock as converted, and of the fully diluted count with the unallocated pool
    (its own line, as every cap table shows it)."""
    ratios = {c.id: state.conversion_ratio(c.id) for c in state.certificate.classes}
    own: dict[str, int] = {}
    for h, by in state.holdings.items():
        own[h] = sum(
            common_on_conversion(n, ratios.get(c, _ONE), state.readings) for c, n in by.items()
        )
    options: dict[str, int] = {}
    for g in grants:
        n = common_on_conversion(g.outstanding, ratios.get(g.class_id, _ONE), state.readings)
        options[g.holder] = options.get(g.holder, 0) + n
    out = {}
    for h in sorted(own.keys() | options.keys()):
        a, f = own.get(h, 0), own.get(h, 0) + options.get(h, 0)
        out[h] = HolderTotal(
            a,
            f,
            Fraction(a, converted) if converted else Fraction(0),
            Fraction(f, with_pool) if with_pool else Fraction(0),
        )
    return out


def percent(x: Fraction) -> str:
    """A fraction as a percentage with four decimals ("12.3457")."""
    return to_decimal_str(x * 100, 4)


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
        "holder_totals": {
            h: {
                "as_converted": t.as_converted,
                "fully_diluted": t.fully_diluted,
                "outstanding_pct": percent(t.outstanding_pct),
                "fully_diluted_pct": percent(t.fully_diluted_pct),
            }
            for h, t in ct.holder_totals.items()
        },
        "class_totals": {
            c: {
                "as_converted": t.as_converted,
                "fully_diluted": t.fully_diluted,
                "outstanding_pct": percent(t.outstanding_pct),
                "fully_diluted_pct": percent(t.fully_diluted_pct),
            }
            for c, t in ct.class_totals.items()
        },
        "totals": {
            "as_converted": ct.as_converted,
            "fully_diluted": ct.fully_diluted,
            "unallocated_pool": sum(ct.unallocated_pool.values()),
            "unallocated_pool_by_plan": ct.unallocated_pool,
            "unallocated_pool_pct": {
                plan: percent(Fraction(n, ct.fully_diluted_with_pool))
                for plan, n in ct.unallocated_pool.items()
                if ct.fully_diluted_with_pool
            },
            "fully_diluted_with_pool": ct.fully_diluted_with_pool,
        },
        "convertibles": {
            line.state.id: convertibles_rules.line_json(line) for line in ct.convertibles
        },
    }
