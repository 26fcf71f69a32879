"""A ledger `vesting` block to and from the Open Cap Format's vesting terms (OCF 1.2,
`objects/VestingTerms`, `types/vesting/*`): a pure mapping, no files, no I/O.

API (for the OCF package import and export):

- `to_ocf(block, terms_id, name=None) -> dict`: a `VESTING_TERMS` object for the schedule.
  The block's `start` is not part of OCF vesting terms: the caller writes it as the
  issuance's `vesting_start_date`; likewise `early_exercise` is the issuance's
  `early_exercisable`.
- `from_ocf(terms, start=None, early_exercise=False) -> Vesting`: the block for an OCF
  `VESTING_TERMS` object (already valid against its schema), with the issuance's vesting
  start date and early-exercise flag.
- Both raise `OcfVestingError` (a ValueError), one sentence naming the condition or field,
  for a schedule the other side cannot carry.

The conditions written (and the only shapes read back):

    vesting-start        VESTING_START_DATE, quantity 0
    cliff                (cliff_months > 0) VESTING_SCHEDULE_RELATIVE to vesting-start:
                         cliff_months MONTHS once, portion cliff_months/months
    installments         (if any remain) VESTING_SCHEDULE_RELATIVE to the cliff (or the start):
                         every_months MONTHS, n occurrences, portion every_months/months each
    performance          (performance) VESTING_EVENT, portion 1/1 of the remainder: the
                         ledger's `vest` events
    performance-period   (performance) VESTING_SCHEDULE_RELATIVE to vesting-start, `months`
                         MONTHS once, quantity 0: the schedule's length
    single-trigger-acceleration, double-trigger-acceleration
                         (a fraction > 0) VESTING_EVENT, that portion of the remainder

The allocation is CUMULATIVE_ROUND_DOWN (the ledger's `rounding: down`: cumulative, rounded
down, the last installment taking the rest); months count from the vesting start day or the
month's last day (VESTING_START_DAY_OR_LAST_DAY_OF_MONTH), as the ledger's month arithmetic.
A schedule whose cliff or length is not a whole number of installments has no such shape and
is refused.
"""

from __future__ import annotations

import datetime as dt
import itertools
from fractions import Fraction
from typing import Any

from charter.ledger.events import Vesting

ALLOCATION = "CUMULATIVE_ROUND_DOWN"
DAY_OF_MONTH = "VESTING_START_DAY_OR_LAST_DAY_OF_MONTH"
START, CLIFF, INSTALLMENTS, PERFORMANCE, PERIOD = (
    "vesting-start",
    "cliff",
    "installments",
    "performance",
    "performance-period",
)
TRIGGERS = {
    "single_trigger": "single-trigger-acceleration",
    "double_trigger": "double-trigger-acceleration",
}


class OcfVestingError(ValueError):
    """A schedule one side cannot carry: one sentence naming where."""


def _portion(x: Fraction, remainder: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"numerator": str(x.numerator), "denominator": str(x.denominator)}
    if remainder:
        out["remainder"] = True
    return out


def _months(length: int, occurrences: int) -> dict[str, Any]:
    return {
        "length": length,
        "type": "MONTHS",
        "occurrences": occurrences,
        "day_of_month": DAY_OF_MONTH,
    }


def _relative(cid: str, to: str, period: dict[str, Any], portion: Fraction) -> dict[str, Any]:
    return {
        "id": cid,
        "portion": _portion(portion),
        "trigger": {
            "type": "VESTING_SCHEDULE_RELATIVE",
            "period": period,
            "relative_to_condition_id": to,
        },
        "next_condition_ids": [],
    }


def to_ocf(block: Vesting, terms_id: str, name: str | None = None) -> dict[str, Any]:
    """The OCF `VESTING_TERMS` object for a ledger vesting block."""
    months, cliff, every = block.months, block.cliff_months, block.every_months
    conditions: list[dict[str, Any]] = [
        {"id": START, "quantity": "0", "trigger": {"type": "VESTING_START_DATE"},
         "next_condition_ids": []}
    ]  # fmt: skip
    if block.performance:
        conditions.append(
            {
                "id": PERFORMANCE,
                "description": "vests by the ledger's vest events",
                "portion": _portion(Fraction(1), remainder=True),
                "trigger": {"type": "VESTING_EVENT"},
                "next_condition_ids": [],
            }
        )
        period = _relative(PERIOD, START, _months(months, 1), Fraction(0))
        del period["portion"]
        conditions.append({**period, "quantity": "0"})
        chain = [START, PERFORMANCE]
        by_start = [PERIOD]
        describe = f"performance vesting over {months} months"
    else:
        if cliff % every or months % every:
            raise OcfVestingError(
                f"vesting: a {months}-month schedule with a {cliff}-month cliff and "
                f"installments every {every} months is not a whole number of installments; "
                "OCF vesting terms cannot carry it"
            )
        chain, by_start = [START], []
        if cliff:
            conditions.append(_relative(CLIFF, START, _months(cliff, 1), Fraction(cliff, months)))
            chain.append(CLIFF)
        if months > cliff:
            n = (months - cliff) // every
            conditions.append(
                _relative(INSTALLMENTS, chain[-1], _months(every, n), Fraction(every, months))
            )
            chain.append(INSTALLMENTS)
        describe = (
            f"{months} months"
            + (f", a {cliff}-month cliff" if cliff else "")
            + f", installments every {every} month{'s' if every > 1 else ''}"
        )
    by_id = {c["id"]: c for c in conditions}
    for a, b in itertools.pairwise(chain):
        by_id[a]["next_condition_ids"].append(b)
    by_id[START]["next_condition_ids"].extend(by_start)
    for fld, cid in TRIGGERS.items():
        x = Fraction(getattr(block, fld))
        if x:
            conditions.append(
                {
                    "id": cid,
                    "portion": _portion(x, remainder=True),
                    "trigger": {"type": "VESTING_EVENT"},
                    "next_condition_ids": [],
                }
            )
            by_id[START]["next_condition_ids"].append(cid)
    return {
        "id": terms_id,
        "object_type": "VESTING_TERMS",
        "name": name or describe,
        "description": describe + "; cumulative, rounded down, the last installment takes the rest",
        "allocation_type": ALLOCATION,
        "vesting_conditions": conditions,
    }


def _fraction(portion: Any, where: str) -> tuple[Fraction, bool]:
    try:
        x = Fraction(portion["numerator"]) / Fraction(portion["denominator"])
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
        raise OcfVestingError(f"{where}: portion is not a ratio of two numbers") from e
    return x, bool(portion.get("remainder", False))


def _period(c: dict[str, Any], to: str) -> tuple[int, int]:
    """(length in months, occurrences) of a relative trigger to condition `to`."""
    t = c.get("trigger", {})
    where = f"vesting_conditions {c.get('id')!r}"
    if t.get("type") != "VESTING_SCHEDULE_RELATIVE" or t.get("relative_to_condition_id") != to:
        raise OcfVestingError(f"{where}: expected a schedule relative to {to!r}")
    p = t.get("period", {})
    if p.get("type") != "MONTHS" or p.get("day_of_month") != DAY_OF_MONTH:
        raise OcfVestingError(
            f"{where}: charter counts months from the vesting start day or the month's last day "
            f"({DAY_OF_MONTH}); a period of {p.get('type')} on {p.get('day_of_month')} cannot "
            "be carried"
        )
    if p.get("cliff_installment", 0) >= 2:
        raise OcfVestingError(
            f"{where}: cliff_installment is not carried; write the cliff as its own condition"
        )
    return int(p["length"]), int(p["occurrences"])


def from_ocf(
    terms: dict[str, Any], start: dt.date | None = None, early_exercise: bool = False
) -> Vesting:
    """The ledger vesting block for an OCF `VESTING_TERMS` object of the shapes `to_ocf`
    writes."""
    if terms.get("allocation_type") != ALLOCATION:
        raise OcfVestingError(
            f"allocation_type: charter's schedules are cumulative and rounded down ({ALLOCATION}); "
            f"{terms.get('allocation_type')!r} cannot be carried"
        )
    by_id = {c.get("id"): c for c in terms.get("vesting_conditions", [])}
    known = {START, CLIFF, INSTALLMENTS, PERFORMANCE, PERIOD, *TRIGGERS.values()}
    for cid in by_id:
        if cid not in known:
            raise OcfVestingError(
                f"vesting_conditions {cid!r}: charter reads the conditions "
                f"{', '.join(sorted(known))} only"
            )
    if START not in by_id:
        raise OcfVestingError(f"vesting_conditions: no {START!r} condition")
    fields: dict[str, Any] = {"start": start, "early_exercise": early_exercise}
    for fld, cid in TRIGGERS.items():
        if cid in by_id:
            x, _ = _fraction(by_id[cid].get("portion"), f"vesting_conditions {cid!r}")
            fields[fld] = str(x)
    if PERFORMANCE in by_id:
        if PERIOD not in by_id:
            raise OcfVestingError(f"vesting_conditions: performance vesting needs {PERIOD!r}")
        months, _ = _period(by_id[PERIOD], START)
        return Vesting(months=months, performance=True, **fields)
    cliff = every = 0
    n = 0
    to = START
    portions: list[tuple[str, Fraction, int]] = []  # (condition, portion, months it stands for)
    if CLIFF in by_id:
        cliff, once = _period(by_id[CLIFF], START)
        if once != 1:
            raise OcfVestingError(f"vesting_conditions {CLIFF!r}: a cliff occurs once")
        portions.append((CLIFF, _fraction(by_id[CLIFF].get("portion"), CLIFF)[0], cliff))
        to = CLIFF
    if INSTALLMENTS in by_id:
        every, n = _period(by_id[INSTALLMENTS], to)
        portions.append(
            (INSTALLMENTS, _fraction(by_id[INSTALLMENTS].get("portion"), INSTALLMENTS)[0], every)
        )
    months = cliff + every * n
    if not months:
        raise OcfVestingError("vesting_conditions: neither a cliff nor installments")
    for cid, x, m in portions:
        if x != Fraction(m, months):
            raise OcfVestingError(
                f"vesting_conditions {cid!r}: portion {x} is not {m}/{months} of a "
                f"{months}-month schedule"
            )
    return Vesting(months=months, cliff_months=cliff, every_months=every or months, **fields)
