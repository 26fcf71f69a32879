"""SAFEs and convertible notes in the Open Cap Format, both ways.

An `issue_convertible` event is an OCF convertible issuance (`TX_CONVERTIBLE_ISSUANCE`): its
purchase amount or principal the `investment_amount`, and one conversion trigger, the next
priced equity financing, whose mechanism carries the valuation cap, the discount, the MFN
clause and what the capitalization counts (a SAFE's `conversion_timing`; a note's interest
rate, day count and compounding). A `convert_convertible` event is, for each instrument, the
stock issuance of the shares it converted into (at its conversion price) and a convertible
conversion resulting in it, so that a reader of plain OCF counts those shares. What OCF has
no field for (a note's basis and maturity, what it gives at a liquidity event, the round's
price) stays in the tags our import reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from charter.interop.ocf_package import numeric, usd
from charter.numbers import decimal_str
from charter.state.convertibles import DAY_COUNT
from charter.state.model import ConvertibleState

TRIGGER = "next-equity-financing"
TRIGGER_CONDITION = (
    "the next bona fide transaction or series of transactions with the principal purpose of "
    "raising capital, in which the company issues and sells preferred stock at a fixed "
    "valuation (the round of the ledger's convert_convertible event)"
)
KINDS = {"SAFE": "safe", "NOTE": "note"}
MECHANISMS = {"safe": "SAFE_CONVERSION", "note": "CONVERTIBLE_NOTE_CONVERSION"}
TIMINGS = {"post-money": "POST_MONEY", "pre-money": "PRE_MONEY"}
PERIODS = {
    "annual": "ANNUAL",
    "semiannual": "SEMI_ANNUAL",
    "quarterly": "QUARTERLY",
    "monthly": "MONTHLY",
}
DAY_COUNTS = {"actual/365": "ACTUAL_365", "30/360": "30_360"}
CAPITALIZATION = {
    "post-money": "the capital stock outstanding as converted, the options, warrants and rights "
    "outstanding, the shares left to grant under the plans, and the shares of every converting "
    "instrument, this one included",
    "pre-money": "the capital stock outstanding as converted, the options, warrants and rights "
    "outstanding and the shares left to grant under the plans, without the converting "
    "instruments",
}


class Inexpressible(ValueError):
    """An OCF convertible the ledger cannot record: the field and why."""

    def __init__(self, fld: str, message: str) -> None:
        super().__init__(message)
        self.field = fld


# --- export ------------------------------------------------------------------------------------


def untold(e: dict[str, Any], c: ConvertibleState) -> dict[str, Any]:
    """The fields of an `issue_convertible` event its convertible issuance does not hold
    exactly (they go into its tag): a note's basis, maturity, what it gives at a liquidity
    event, a figure beyond OCF's ten decimals."""
    held = {"date", "type", "id", "kind", "holder", "mfn", "interest", "compounding"}
    if c.kind == "safe":
        held.add("basis")  # the SAFE mechanism's conversion_timing
    for name, value in (("amount", c.amount), ("valuation_cap", c.valuation_cap)):
        if value is None or Fraction(usd(value)["amount"]) == value:
            held.add(name)
    for name, value in (("discount", c.discount), ("interest_rate", c.interest_rate)):
        if Fraction(numeric(value)) == value:
            held.add(name)
    return {k: v for k, v in e.items() if k not in held}


def mechanism(c: ConvertibleState, readings: Mapping[str, str] | None) -> dict[str, Any]:
    """The conversion mechanism of a SAFE or a note (SAFEConversionMechanism,
    NoteConversionMechanism)."""
    mech: dict[str, Any] = {"type": MECHANISMS[c.kind], "conversion_mfn": c.mfn}
    if c.valuation_cap is not None:
        mech["conversion_valuation_cap"] = usd(c.valuation_cap)
    if c.discount:
        mech["conversion_discount"] = numeric(c.discount)
    mech["capitalization_definition"] = CAPITALIZATION[c.basis]
    post = c.basis == "post-money"
    mech["capitalization_definition_rules"] = {
        "include_outstanding_shares": True,
        "include_outstanding_options": True,
        "include_outstanding_unissued_options": True,
        "include_this_security": post,
        "include_other_converting_securities": post,
        "include_option_pool_topup_for_promised_options": False,
        "include_additional_option_pool_topup": False,
        "include_new_money": False,
    }
    if c.kind == "safe":
        mech["conversion_timing"] = TIMINGS[c.basis]
        return mech
    rates = [{"rate": numeric(c.interest_rate), "accrual_start_date": c.date.isoformat()}]
    mech.update(
        interest_rates=rates if c.interest_rate else [],
        day_count_convention=DAY_COUNTS[DAY_COUNT.choose(readings)],
        interest_payout="DEFERRED",
        interest_accrual_period=PERIODS[c.compounding],
        compounding_type="COMPOUNDING" if c.interest == "compound" else "SIMPLE",
    )
    return mech


def convertible_issuance(c: ConvertibleState, readings: Mapping[str, str] | None) -> dict[str, Any]:
    """The fields of a TX_CONVERTIBLE_ISSUANCE for an instrument as issued."""
    return {
        "security_id": c.id,
        "custom_id": c.id,
        "stakeholder_id": c.holder,
        "security_law_exemptions": [],
        "investment_amount": usd(c.amount),
        "convertible_type": "SAFE" if c.kind == "safe" else "NOTE",
        "conversion_triggers": [
            {
                "type": "AUTOMATIC_ON_CONDITION",
                "trigger_id": TRIGGER,
                "nickname": "Equity Financing",
                "trigger_condition": TRIGGER_CONDITION,
                "conversion_right": {
                    "type": "CONVERTIBLE_CONVERSION_RIGHT",
                    "conversion_mechanism": mechanism(c, readings),
                    "converts_to_future_round": True,
                },
            }
        ],
        "seniority": 1,
    }


def conversion(c: ConvertibleState, resulting: str) -> dict[str, Any]:
    """The fields of a TX_CONVERTIBLE_CONVERSION of an instrument into the security
    `resulting` (the stock issuance of its shares)."""
    return {
        "security_id": c.id,
        "trigger_id": TRIGGER,
        "reason_text": "converted in an equity financing at "
        f"{usd(c.conversion_price or Fraction(0))['amount']} a share",
        "resulting_security_ids": [resulting],
    }


# --- import ------------------------------------------------------------------------------------


def _right(obj: dict[str, Any], kind: str) -> tuple[str, dict[str, Any]]:
    """The mechanism of the instrument's conversion at a financing, and where it is: the
    first trigger whose mechanism is a SAFE's (a note's) conversion."""
    for i, trigger in enumerate(obj.get("conversion_triggers") or []):
        mech = (trigger.get("conversion_right") or {}).get("conversion_mechanism") or {}
        if mech.get("type") == MECHANISMS[kind]:
            return f"conversion_triggers.{i}.conversion_right.conversion_mechanism", dict(mech)
    raise Inexpressible(
        "conversion_triggers",
        f"no trigger converts it by a {MECHANISMS[kind]} mechanism; charter converts a "
        f"{obj['convertible_type']} only by its valuation cap and discount at a priced round",
    )


def _dollars(value: dict[str, Any], fld: str) -> str:
    if value.get("currency") != "USD":
        raise Inexpressible(fld, f"is in {value.get('currency')!r}; charter's ledger counts USD")
    return decimal_str(Fraction(str(value["amount"]).lstrip("+")))


def issue_event(obj: dict[str, Any], readings: Mapping[str, str] | None) -> dict[str, Any]:
    """The `issue_convertible` event (without its holder, id and date) of a
    TX_CONVERTIBLE_ISSUANCE; Inexpressible when the ledger cannot record it."""
    kind = KINDS.get(obj["convertible_type"])
    if kind is None:
        raise Inexpressible(
            "convertible_type",
            f"is {obj['convertible_type']!r}; charter's ledger records SAFEs and convertible "
            "notes only",
        )
    at, mech = _right(obj, kind)
    event: dict[str, Any] = {
        "type": "issue_convertible",
        "kind": kind,
        "amount": _dollars(obj["investment_amount"], "investment_amount"),
    }
    if "conversion_valuation_cap" in mech:
        event["valuation_cap"] = _dollars(mech["conversion_valuation_cap"], at)
    if Fraction(mech.get("conversion_discount") or 0):
        event["discount"] = decimal_str(Fraction(mech["conversion_discount"]))
    if mech.get("conversion_mfn"):
        event["mfn"] = True
    if kind == "safe":
        timing = mech.get("conversion_timing")
        if timing is not None:
            event["basis"] = next(b for b, t in TIMINGS.items() if t == timing)
        return event
    return event | _interest(obj, at, mech, readings)


def _interest(
    obj: dict[str, Any], at: str, mech: dict[str, Any], readings: Mapping[str, str] | None
) -> dict[str, Any]:
    """A note's interest (its mechanism `mech`, at `at`): one rate from its date, deferred
    (it converts with the principal), simple or compounded at a period's end, counted by the
    reading note-day-count."""
    rates = mech.get("interest_rates") or []
    if len(rates) > 1 or (rates and rates[0].get("accrual_start_date") != obj["date"]):
        raise Inexpressible(
            f"{at}.interest_rates",
            "charter's note bears one rate of interest from its date",
        )
    if mech["interest_payout"] != "DEFERRED":
        raise Inexpressible(
            f"{at}.interest_payout",
            f"is {mech['interest_payout']!r}; charter's note accrues its interest to convert "
            "with the principal (DEFERRED)",
        )
    ours = DAY_COUNTS[DAY_COUNT.choose(readings)]
    if mech["day_count_convention"] != ours:
        raise Inexpressible(
            f"{at}.day_count_convention",
            f"is {mech['day_count_convention']!r}, but the reading note-day-count counts "
            f"{ours} (import with the reading that fits: docs/interpretations.md)",
        )
    out: dict[str, Any] = {}
    if rates and Fraction(rates[0]["rate"]):
        out["interest_rate"] = decimal_str(Fraction(rates[0]["rate"]))
    period = next((p for p, t in PERIODS.items() if t == mech["interest_accrual_period"]), None)
    if mech["compounding_type"] == "COMPOUNDING":
        if period is None:
            raise Inexpressible(
                f"{at}.interest_accrual_period",
                f"is {mech['interest_accrual_period']!r}; charter compounds a note's interest "
                "annually, semiannually, quarterly or monthly",
            )
        out |= {"interest": "compound", "compounding": period}
    elif period is not None and period != "annual":
        out["compounding"] = period
    return out


def round_price(tag: dict[str, Any], stock_class: dict[str, Any] | None) -> str:
    """The price a share of the round the instrument converted in: our tag's, else the
    `price_per_share` of the class its shares are of."""
    price = (tag.get("extra") or {}).get("price")
    if isinstance(price, str):
        return price
    pps = (stock_class or {}).get("price_per_share")
    if pps is None:
        raise Inexpressible(
            "resulting_security_ids",
            "the round's price per share is not in the package (the stock class of the "
            "shares it results in has no price_per_share); charter converts a SAFE or a note "
            "at the round's price",
        )
    return _dollars(pps, "resulting_security_ids")
