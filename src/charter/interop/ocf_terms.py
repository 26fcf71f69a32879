"""A terms file from the stock classes of an Open Cap Format package.

OCF carries some economic terms of each class (seniority, liquidation preference multiple,
participation cap multiple, conversion rights and ratio, votes per share, par value and price
per share); those become the classes of a certificate, each figure citing the OCF object and
field it came from. What the format cannot express is listed (`GAPS`) and written into the
terms file as TODO comments, each with the clause of the certificate or bylaws it needs.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import msgspec
import yaml

from charter.numbers import decimal_str

BYLAWS = Path(__file__).parent / "data" / "dgcl-bylaws.yaml"


class Gap(msgspec.Struct, frozen=True):
    """A term OCF cannot carry, and the clause a person must supply it from."""

    what: str
    clause: str
    field: str  # where it goes in the terms file (docs/terms-format.md)


GAPS: tuple[Gap, ...] = (
    Gap(
        "Cash Amounts paid on conversion",
        "the certificate's conversion clause (e.g. Art. IV.B.3(c))",
        "classes[].conversion.cash_amount",
    ),
    Gap(
        "whether a participation cap includes the preference (set to true here)",
        "the certificate's liquidation clause (e.g. Art. IV.B.2(b))",
        "classes[].liquidation.participation.cap_includes_preference",
    ),
    Gap(
        "series that convert together on a group's election (e.g. Series A-D)",
        "the certificate's conversion clause (e.g. Art. IV.B.3(a))",
        "conversion.groups and classes[].conversion.election_group",
    ),
    Gap(
        "IPO price protection and automatic conversion on a qualified offering",
        "the certificate's automatic-conversion clause (e.g. Art. IV.B.3(b))",
        "classes[].conversion.ipo_price_protection, conversion.qualified_offering",
    ),
    Gap(
        "dividend rates and preferences",
        "the certificate's dividend clause (e.g. Art. IV.B.1)",
        "classes[].dividend, dividends",
    ),
    Gap(
        "the anti-dilution formula and its exceptions (OCF records only the adjusted ratios)",
        "the certificate's anti-dilution clause (e.g. Art. IV.B.3(d))",
        "antidilution",
    ),
    Gap(
        "protective provisions (series votes on corporate actions)",
        "the certificate's protective provisions (e.g. Art. IV.B.6)",
        "protective_provisions, actions",
    ),
    Gap(
        "director seats elected by a class and a Voting Shift Period",
        "the certificate's voting clause (e.g. Art. IV.B.5)",
        "voting.director_seats, voting.voting_shift_period",
    ),
    Gap(
        "the bylaws (meetings, notice, quorum, board, record dates, right of first refusal); "
        "the DGCL defaults stand in",
        "the bylaws (e.g. Bylaws Art. II, III, VI, VIII)",
        "bylaws",
    ),
)


def class_id_for(name: str, kind: str, taken: set[str]) -> str:
    """A ledger id for a class named `name`: `common` for the Common; otherwise its name in
    lower case without "stock" and "preferred" (`Series Seed Preferred` -> `series_seed`)."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    if kind == "common" and "common" not in taken:
        base = "common"
    else:
        base = "_".join(w for w in words if w not in ("stock", "preferred", "shares")) or kind
    cid, n = base, 2
    while cid in taken:
        cid, n = f"{base}_{n}", n + 1
    taken.add(cid)
    return cid


def _num(value: Any) -> Fraction:
    return Fraction(str(value).lstrip("+"))


def _amount(money: Any) -> Fraction | None:
    if isinstance(money, dict) and "amount" in money:
        return _num(money["amount"])
    return None


def certificate_class(
    obj: dict[str, Any], class_id: str, common_id: str, tiers: dict[str, int]
) -> dict[str, Any]:
    """One class of the certificate, from an OCF StockClass object."""
    src = f"OCF StockClass {obj['id']}"
    kind = "common" if obj["class_type"] == "COMMON" else "preferred"
    authorized = obj["initial_shares_authorized"]
    out: dict[str, Any] = {
        "id": class_id,
        "name": obj["name"],
        "kind": kind,
        "authorized": int(_num(authorized))
        if authorized not in ("UNLIMITED", "NOT APPLICABLE")
        else 0,
        "par_value": decimal_str(_amount(obj.get("par_value")) or Fraction(0)),
        "citation": f"{src} initial_shares_authorized",
        "votes": {
            "per_common_share": int(_num(obj["votes_per_share"])),
            "citation": f"{src} votes_per_share",
        },
    }
    if kind == "common":
        return out
    price = _amount(obj.get("price_per_share"))
    rights = [
        r.get("conversion_mechanism", {})
        for r in obj.get("conversion_rights", [])
        if r.get("conversion_mechanism", {}).get("type") == "RATIO_CONVERSION"
    ]
    conversion_price = _amount(rights[0].get("conversion_price")) if rights else None
    if price is None:
        price = conversion_price or Fraction(0)
    out["original_issue_price"] = decimal_str(price)
    out["original_issue_price_citation"] = f"{src} price_per_share"
    multiple = _num(obj.get("liquidation_preference_multiple", "1"))
    liquidation: dict[str, Any] = {
        "tier": tiers[obj["id"]],
        "preference_per_share": decimal_str(price * multiple),
        "plus_dividends": "declared_unpaid",
        "citation": f"{src} seniority, liquidation_preference_multiple",
    }
    cap = obj.get("participation_cap_multiple")
    if cap is not None:
        liquidation["participation"] = {
            "cap_per_share": decimal_str(price * _num(cap)),
            "cap_includes_preference": True,  # TODO (GAPS): OCF does not say
            "citation": f"{src} participation_cap_multiple",
        }
    out["liquidation"] = liquidation
    if rights:
        ratio = rights[0].get("ratio")
        initial = conversion_price
        if ratio is not None and price:
            initial = price * _num(ratio["denominator"]) / _num(ratio["numerator"])
        conv: dict[str, Any] = {
            "into": common_id,
            "holder_option": True,
            "citation": f"{src} conversion_rights",
        }
        if initial is not None and initial != price:
            conv["initial_conversion_price"] = decimal_str(initial)
        out["conversion"] = conv
    return out


def seniority_tiers(classes: list[dict[str, Any]]) -> dict[str, int]:
    """OCF seniority grows with priority; a terms tier of 1 is paid first."""
    levels = sorted(
        {_num(c["seniority"]) for c in classes if c["class_type"] != "COMMON"}, reverse=True
    )
    return {
        c["id"]: levels.index(_num(c["seniority"])) + 1
        for c in classes
        if c["class_type"] != "COMMON"
    }


def terms_from_classes(
    company: str,
    terms_id: str,
    certificates: list[tuple[str, dt.date | None, list[dict[str, Any]], int | None]],
) -> dict[str, Any]:
    """The terms set: one certificate per state of the authorized shares (`certificates`:
    (certificate id, effective date, class blocks, issuer's total or None))."""
    bylaws = yaml.safe_load(BYLAWS.read_text(encoding="utf-8"))
    certs = []
    for cert_id, effective, classes, total in certificates:
        in_classes = sum(c["authorized"] for c in classes)
        total = max(total or 0, in_classes)
        certs.append(
            {
                "id": cert_id,
                "title": f"Certificate of Incorporation of {company} (from OCF)",
                "document": "the stock classes of an Open Cap Format package",
                "effective": f"from {effective.isoformat()}"
                if effective
                else "from the first event",
                "total_authorized": total,
                "total_authorized_citation": "OCF Issuer initial_shares_authorized",
                "undesignated_preferred": total - in_classes,
                "classes": classes,
                "liquidation": {
                    "shortfall": "ratable_to_full_preferential",
                    "citation": "OCF StockClass seniority",
                },
                "conversion": {
                    "rounding": "nearest_per_holder_and_series",
                    "rounding_citation": "OCF StockClass conversion_rights rounding_type",
                    "citation": "OCF StockClass conversion_rights",
                },
                "voting": {"citation": "OCF StockClass votes_per_share"},
            }
        )
    return {"id": terms_id, "company": company, "certificates": certs, "bylaws": bylaws}


def terms_text(terms: dict[str, Any], extra_todos: list[str]) -> str:
    """The terms file: a header of TODO comments (what OCF cannot express and the clause
    each needs), then the terms."""
    lines = [
        f"# Terms of {terms['company']}, made by `charter import --ocf` from an Open Cap Format",
        "# package (docs/terms-format.md). Each figure cites the OCF object it came from.",
        "# Edit this file, then load the ledger beside it again (`charter load`).",
        "#",
        "# OCF cannot express the following; supply each from the clause named:",
    ]
    for gap in GAPS:
        lines.append(f"# TODO: {gap.what}: from {gap.clause}; in `{gap.field}`.")
    for todo in extra_todos:
        lines.append(f"# TODO: {todo}")
    body = yaml.safe_dump(terms, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body
