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


def _trigger(c: dict[str, Any]) -> str | None:
    t = c.get("trigger")
    return t.get("type") if isinstance(t, dict) else None


def from_ocf(
    terms: dict[str, Any], start: dt.date | None = None, early_exercise: bool = False
) -> Vesting:
    """The ledger vesting block for an OCF `VESTING_TERMS` object of the shapes `to_ocf`
    writes. The schedule is read by its shape, whatever its conditions are called: the one
    VESTING_START_DATE condition, then a chain of schedules relative to it (a cliff that
    occurs once and installments after it, or installments alone); the performance and
    acceleration conditions, which the shape cannot tell apart, by the ids `to_ocf` gives."""
    if terms.get("allocation_type") != ALLOCATION:
        raise OcfVestingError(
            f"allocation_type: charter's schedules are cumulative and rounded down ({ALLOCATION}); "
            f"{terms.get('allocation_type')!r} cannot be carried"
        )
    conditions = [c for c in terms.get("vesting_conditions", []) if isinstance(c, dict)]
    by_id = {c.get("id"): c for c in conditions}
    starts = [c for c in conditions if _trigger(c) == "VESTING_START_DATE"]
    if len(starts) != 1:
        raise OcfVestingError(
            f"vesting_conditions: charter reads a schedule from one VESTING_START_DATE "
            f"condition; these terms have {len(starts)}"
        )
    first = str(starts[0].get("id"))
    fields: dict[str, Any] = {"start": start, "early_exercise": early_exercise}
    for fld, cid in TRIGGERS.items():
        if cid in by_id:
            x, _ = _fraction(by_id[cid].get("portion"), f"vesting_conditions {cid!r}")
            fields[fld] = str(x)
    read = {first, *(cid for cid in TRIGGERS.values() if cid in by_id)}
    if PERFORMANCE in by_id:
        if PERIOD not in by_id:
            raise OcfVestingError(f"vesting_conditions: performance vesting needs {PERIOD!r}")
        _unread(conditions, read | {PERFORMANCE, PERIOD})
        months, _ = _period(by_id[PERIOD], first)
        return Vesting(months=months, performance=True, **fields)
    chain: list[dict[str, Any]] = []  # the schedules relative to the start, one after another
    to = first
    while (nxt := _relative_to(conditions, to)) is not None and len(chain) < 2:
        chain.append(nxt)
        to = str(nxt.get("id"))
    _unread(conditions, read | {str(c.get("id")) for c in chain})
    if not chain:
        raise OcfVestingError("vesting_conditions: neither a cliff nor installments")
    periods = [_period(c, str(c["trigger"]["relative_to_condition_id"])) for c in chain]
    cliff = every = n = 0
    if len(chain) == 2 or periods[0][1] == 1:
        cliff, once = periods[0]
        if once != 1:
            raise OcfVestingError(f"vesting_conditions {chain[0].get('id')!r}: a cliff occurs once")
    if len(chain) == 2:
        every, n = periods[1]
    elif not cliff:
        every, n = periods[0]
    months = cliff + every * n
    stands_for = [m for m in (cliff, every) if m]  # the months each condition stands for
    for c, m in zip(chain, stands_for, strict=True):
        x, _ = _fraction(c.get("portion"), f"vesting_conditions {c.get('id')!r}")
        if x != Fraction(m, months):
            raise OcfVestingError(
                f"vesting_conditions {c.get('id')!r}: portion {x} is not {m}/{months} of a "
                f"{months}-month schedule"
            )
    return Vesting(months=months, cliff_months=cliff, every_months=every or months, **fields)


def _relative_to(conditions: list[dict[str, Any]], to: str) -> dict[str, Any] | None:
    """The schedule relative to condition `to` that vests a portion (none, or the first)."""
    for c in conditions:
        t = c.get("trigger") or {}
        if (
            t.get("type") == "VESTING_SCHEDULE_RELATIVE"
            and t.get("relative_to_condition_id") == to
            and "portion" in c
        ):
            return c
    return None


def _unread(conditions: list[dict[str, Any]], read: set[str]) -> None:
    """Refuse the terms when a condition is not one of the shapes read."""
    for c in conditions:
        if str(c.get("id")) not in read:
            raise OcfVestingError(
                f"vesting_conditions {c.get('id')!r}: a {_trigger(c)} condition charter cannot "
                "carry (it reads a vesting start, a cliff, installments, performance vesting "
                "and the single- and double-trigger accelerations it writes)"
            )
