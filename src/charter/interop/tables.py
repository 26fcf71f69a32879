"""The tables a law firm puts in a closing set, built from the JSON shapes of
spec/cli-contract.md (one builder per command), for a workbook or CSV (`workbook.py`). The
CLI and the web share them: neither surface builds a table of its own.

A sheet holds real numbers (Decimal from the contract's decimal strings, int for shares), the
as-of date, the readings the figures relied on, a clause for each row where there is one,
and the columns whose totals row is a formula (which must equal charter's own figure).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import msgspec

if TYPE_CHECKING:
    from charter.terms.model import Certificate

Kind = Literal["text", "shares", "money", "price", "date"]


class Column(msgspec.Struct, frozen=True):
    title: str
    kind: Kind = "text"
    total: bool = False  # a totals row sums it (a formula)


class Sheet(msgspec.Struct):
    name: str  # the sheet's tab (31 characters at most)
    title: str
    columns: list[Column]
    rows: list[list[Any]] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)  # as-of date, readings, clauses

    @property
    def has_totals(self) -> bool:
        return any(c.total for c in self.columns)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _notes(data: Mapping[str, Any], as_of: Any = None) -> list[str]:
    out = []
    when = as_of if as_of is not None else data.get("as_of")
    if when:
        out.append(f"As of {when}")
    readings = data.get("readings")
    if isinstance(readings, Mapping) and readings:
        out.append("Readings: " + ", ".join(f"{k} = {v}" for k, v in readings.items()))
    elif data.get("interpretations"):
        out.append("Readings relied on: " + ", ".join(data["interpretations"]))
    if data.get("citations"):
        out.append("Clauses: " + "; ".join(data["citations"]))
    return out


def captable_sheets(
    data: Mapping[str, Any],
    names: Mapping[str, str],
    classes_named: Mapping[str, str],
    clauses: Mapping[str, str],
) -> list[Sheet]:
    """`charter captable --json`: classes, holders, grants. The totals: each class's
    outstanding shares (Holders), and as converted plus grants = fully diluted."""
    notes = [*_notes(data), f"Fully diluted: {data['fully_diluted']:,} shares of common"]
    classes = Sheet(
        "Classes",
        "Capitalization",
        [
            Column("Class"),
            Column("Authorized", "shares"),
            Column("Outstanding", "shares"),
            Column("As converted", "shares", total=True),
            Column("Reserved", "shares"),
            Column("Clause"),
        ],
        notes=notes,
    )
    for cid, c in data["classes"].items():
        classes.rows.append(
            [classes_named.get(cid, cid), c["authorized"], c["outstanding"], c["as_converted"],
             c["reserved"], clauses.get(cid, "")]
        )  # fmt: skip
    ids = list(data["classes"])
    holders = Sheet(
        "Holders",
        "Holders",
        [
            Column("Holder"),
            Column("Name"),
            *(Column(classes_named.get(c, c), "shares", total=True) for c in ids),
        ],
        notes=notes[:1],
    )
    for h, by in data["holders"].items():
        holders.rows.append([h, names.get(h, h), *(by.get(c, 0) for c in ids)])
    grants = Sheet(
        "Grants",
        "Grants outstanding",
        [
            Column("Grant"),
            Column("Kind"),
            Column("Holder"),
            Column("Class"),
            Column("Outstanding", "shares", total=True),
            Column("Exercise price", "price"),
        ],
        notes=notes[:1],
    )
    for g, v in data["grants"].items():
        grants.rows.append(
            [g, v.get("kind", ""), v["holder"], classes_named.get(v["class"], v["class"]),
             v["outstanding"], _d(v["exercise_price"])]
        )  # fmt: skip
    return [classes, holders, grants]


def waterfall_sheets(
    results: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
    classes_named: Mapping[str, str],
    clauses: Mapping[str, str],
) -> list[Sheet]:
    """`charter waterfall --json`, for one or many exit values: what each holder receives
    (net of exercise prices; each column totals its exit value) and each class."""
    first = results[0]
    exits = [r["exit_value"] for r in results]
    holders = Sheet(
        "Holders",
        "Distribution to holders (net of exercise prices)",
        [Column("Holder"), Column("Name"), *(Column(f"Exit {e}", "money", True) for e in exits)],
        notes=[*_notes(first), "Each column's total is the exit value"],
    )
    ids = sorted({h for r in results for h in r["holders"]})
    for h in ids:
        holders.rows.append(
            [h, names.get(h, h),
             *(_d(r["holders"].get(h, {}).get("amount", "0.00")) for r in results)]
        )  # fmt: skip
    classes = Sheet(
        "Classes",
        "Distribution by class",
        [Column("Class"), Column("Clause")]
        + [
            col
            for e in exits
            for col in (
                Column(f"Exit {e}: route"),
                Column(f"Exit {e}: amount", "money"),
                Column(f"Exit {e}: per share", "price"),
            )
        ],
        notes=_notes(first),
    )
    for cid in first["classes"]:
        row: list[Any] = [classes_named.get(cid, cid), clauses.get(cid, "")]
        for r in results:
            c = r["classes"].get(cid, {})
            row += [c.get("route", ""), _d(c.get("amount", "0")), _d(c.get("per_share", "0"))]
        classes.rows.append(row)
    return [holders, classes]


def conversion_prices_sheets(
    data: Mapping[str, Any],
    classes_named: Mapping[str, str],
    clauses: Mapping[str, str],
    as_of: str | None = None,
) -> list[Sheet]:
    """`charter conversion-prices --json`: each series' price, and its history (the JSON
    has no date of its own: `as_of` is the state's)."""
    prices = Sheet(
        "Conversion prices",
        "Conversion prices",
        [
            Column("Series"),
            Column("Original issue price", "price"),
            Column("Conversion price", "price"),
            Column("Ratio", "price"),
            Column("Carried forward", "price"),
            Column("Clause"),
        ],
        notes=_notes(data, as_of),
    )
    history = Sheet(
        "History",
        "Adjustments of the conversion prices",
        [
            Column("Series"),
            Column("Date", "date"),
            Column("Event"),
            Column("From", "price"),
            Column("To", "price"),
            Column("Clause"),
        ],
        notes=_notes(data, as_of),
    )
    for cid, s in data.items():
        if not isinstance(s, Mapping) or "conversion_price" not in s:
            continue
        prices.rows.append(
            [classes_named.get(cid, cid), _d(s["original_issue_price"]),
             _d(s["conversion_price"]), _d(s["ratio"]), _d(s["carried_forward"]),
             clauses.get(cid, "")]
        )  # fmt: skip
        for h in s["history"]:
            history.rows.append(
                [
                    classes_named.get(cid, cid),
                    h["date"],
                    h["event"],
                    _d(h["from"]),
                    _d(h["to"]),
                    h["citation"],
                ]
            )
    return [prices, history]


def votes_sheets(
    data: Mapping[str, Any],
    names: Mapping[str, str],
    classes_named: Mapping[str, str],
    clauses: Mapping[str, str],
) -> list[Sheet]:
    """`charter votes --json`: votes by holder (totalling `total`) and by class."""
    ids = list(data["classes"])
    holders = Sheet(
        "Votes by holder",
        "Votes by holder",
        [
            Column("Holder"),
            Column("Name"),
            Column("Votes", "shares", total=True),
            *(Column(classes_named.get(c, c), "shares", total=True) for c in ids),
        ],
        notes=[
            *_notes(data),
            f"Voting Shift Period: {'yes' if data.get('voting_shift_period') else 'no'}",
        ],
    )
    for h, v in data["holders"].items():
        holders.rows.append(
            [h, names.get(h, h), v["votes"], *(v["by_class"].get(c, 0) for c in ids)]
        )
    classes = Sheet(
        "Votes by class",
        "Votes by class",
        [Column("Class"), Column("Votes", "shares", total=True), Column("Clause")],
        notes=_notes(data),
    )
    for c, n in data["classes"].items():
        classes.rows.append([classes_named.get(c, c), n, clauses.get(c, "")])
    return [holders, classes]


def grants_sheets(
    data: Mapping[str, Any],
    names: Mapping[str, str],
    classes_named: Mapping[str, str],
    clauses: Mapping[str, str],
) -> list[Sheet]:
    """`charter grants --json`: each grant's shares granted, vested, exercisable, exercised,
    lapsed and outstanding (each column totalled), its price, when it expires and next vests;
    the clause is the exception to Additional Stock the grant was made under, where one is
    named (Art. IV.B.3(d)(ii))."""
    sheet = Sheet(
        "Grants",
        "Options, warrants and rights",
        [
            Column("Grant"),
            Column("Holder"),
            Column("Name"),
            Column("Kind"),
            Column("Class"),
            Column("Plan"),
            Column("Granted", "shares", total=True),
            Column("Exercise price", "price"),
            Column("Vested", "shares", total=True),
            Column("Exercisable", "shares", total=True),
            Column("Exercised", "shares", total=True),
            Column("Lapsed", "shares", total=True),
            Column("Outstanding", "shares", total=True),
            Column("Expires", "date"),
            Column("Next vests", "date"),
            Column("Clause"),
        ],
        notes=[*_notes(data), *data.get("warnings", [])],
    )
    for gid, g in data["grants"].items():
        sheet.rows.append(
            [gid, g["holder"], names.get(g["holder"], g["holder"]), g["kind"],
             classes_named.get(g["class"], g["class"]),
             g["plan"] or "", g["granted"], _d(g["exercise_price"]), g["vested"],
             g["exercisable"], g["exercised"], g["lapsed"], g["outstanding"], g["expires"],
             g["next_vesting"], clauses.get(gid, "")]
        )  # fmt: skip
    return [sheet]


def stockholder_list_sheets(
    data: Mapping[str, Any], classes_named: Mapping[str, str], clause: str
) -> list[Sheet]:
    """`charter stockholder-list --json`: alphabetical, with addresses and shares of each
    class (Bylaws Art. II §7)."""
    ids = sorted({c for s in data["stockholders"] for c in s["shares"]})
    sheet = Sheet(
        "Stockholders",
        "List of stockholders entitled to vote",
        [
            Column("Holder"),
            Column("Name"),
            Column("Address"),
            *(Column(classes_named.get(c, c), "shares", total=True) for c in ids),
            Column("Votes", "shares", total=True),
            Column("Clause"),
        ],
        notes=[f"Record date {data['record_date']}", *_notes(data, as_of=False)],
    )
    for s in data["stockholders"]:
        sheet.rows.append(
            [s["holder"], s["name"], s.get("address") or "",
             *(s["shares"].get(c, 0) for c in ids), s["votes"], clause]
        )  # fmt: skip
    return [sheet]


def curve_sheets(
    data: Mapping[str, Any], names: Mapping[str, str], classes_named: Mapping[str, str]
) -> list[Sheet]:
    """`charter curve --json`: at each breakpoint's exit value, what each class and holder
    receives (a point the curve does not list for a series is left blank)."""
    sheets = [
        Sheet(
            "Breakpoints",
            "Breakpoints of the payout curve",
            [Column("Exit value", "money"), Column("What changes"), Column("Jump")],
            notes=_notes(data),
        )
    ]
    for b in data["breakpoints"]:
        sheets[0].rows.append([_d(b["exit"]), "; ".join(b["changes"]), "yes" if b["jump"] else ""])
    for key, title in (("classes", "Classes"), ("holders", "Holders")):
        series = data.get(key) or {}
        if not series:
            continue
        ids = list(series)
        sheet = Sheet(
            title,
            f"Payout by {key[:-1] if key == 'classes' else 'holder'} at each exit value",
            [Column("Exit value", "money"), Column("Side")]
            + [
                Column((names if key == "holders" else classes_named).get(i, i), "money")
                for i in ids
            ],
            notes=_notes(data),
        )
        at = {i: {(p["exit"], p["side"]): _d(p["amount"]) for p in series[i]} for i in ids}
        keys = sorted({k for points in at.values() for k in points}, key=_point_order)
        for point in keys:
            sheet.rows.append([_d(point[0]), point[1], *(at[i].get(point) for i in ids)])
        sheets.append(sheet)
    return sheets


SIDES = {"before": 0, "at": 1, "after": 2}


def _point_order(key: tuple[str, str]) -> tuple[Decimal, int]:
    return _d(key[0]), SIDES.get(key[1], 1)


def class_names(certificate: Certificate) -> dict[str, str]:
    """Each class's id and its name in the certificate: what a sheet shows of a class."""
    return {c.id: c.name for c in certificate.classes}


def class_clauses(certificate: Certificate, what: str) -> dict[str, str]:
    """The clause behind each class's figure of one kind: `class` (its authorization),
    `votes`, `conversion` or `liquidation` (the Common's share of the rest for the Common)."""
    out: dict[str, str] = {}
    for c in certificate.classes:
        block: Any = c if what == "class" else getattr(c, what, None)
        if block is not None:
            out[c.id] = block.citation
        elif what == "liquidation" and certificate.liquidation is not None:
            out[c.id] = certificate.liquidation.common_citation or certificate.liquidation.citation
    return out


def grant_clauses(certificate: Certificate, exclusions: Mapping[str, str | None]) -> dict[str, str]:
    """The clause of each grant's exception to Additional Stock (grant id -> exclusion name
    in, grant id -> its citation out; a grant under none has none)."""
    ad = certificate.antidilution
    by_name = {x.name: x.citation for x in (ad.exclusions if ad is not None else [])}
    return {g: by_name[x] for g, x in exclusions.items() if x in by_name}
