"""The ledger's vesting block to and from the Open Cap Format's vesting terms
(charter.interop.ocf_vesting): each block written is valid against OCF's VestingTerms schema,
and read back it vests the same shares on every date."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.interop.ocf_vesting import OcfVestingError, from_ocf, to_ocf
from charter.ledger.events import Vesting
from charter.state import vesting
from tests.conftest import ROOT

OCF = ROOT.parent / "shared" / "ocf"
BASE_URL = "https://raw.githubusercontent.com/Open-Cap-Table-Coalition/Open-Cap-Format-OCF/main/"
START = dt.date(2000, 1, 31)


def _validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    if not (OCF / "schema").exists():
        pytest.skip("the OCF schemas are not beside this checkout")
    resources = []
    for path in (OCF / "schema").rglob("*.schema.json"):
        doc = json.loads(path.read_text())
        resources.append((doc["$id"], referencing.Resource.from_contents(doc)))
    registry = referencing.Registry().with_resources(resources)
    schema = json.loads((OCF / "schema/objects/VestingTerms.schema.json").read_text())
    return jsonschema.Draft7Validator(schema, registry=registry)


def _same_vesting(a: Vesting, b: Vesting, shares: int) -> None:
    sa = vesting.schedule_of(a, START)
    sb = vesting.schedule_of(b, START)
    for m in range(0, a.months + 2):
        assert vesting.by_months(sa, shares, m) == vesting.by_months(sb, shares, m), m
    assert (sa.single_trigger, sa.double_trigger, sa.performance, sa.early_exercise) == (
        sb.single_trigger,
        sb.double_trigger,
        sb.performance,
        sb.early_exercise,
    )


def test_four_years_with_a_one_year_cliff_as_ocf_terms() -> None:
    """48 months, a 12-month cliff, monthly: the cliff vests 12/48 once, 12 months after the
    start; then 36 installments of 1/48, a month apart, after the cliff (OCF's own sample,
    4yr-1yr-cliff-schedule, has the same conditions)."""
    block = Vesting(months=48, cliff_months=12)
    terms = to_ocf(block, "4y-1y")
    _validator().validate(terms)
    cond = {c["id"]: c for c in terms["vesting_conditions"]}
    assert cond["cliff"]["portion"] == {"numerator": "1", "denominator": "4"}
    assert cond["cliff"]["trigger"]["period"]["length"] == 12
    assert cond["installments"]["portion"] == {"numerator": "1", "denominator": "48"}
    assert cond["installments"]["trigger"]["period"]["occurrences"] == 36
    assert cond["installments"]["trigger"]["relative_to_condition_id"] == "cliff"
    assert terms["allocation_type"] == "CUMULATIVE_ROUND_DOWN"
    assert from_ocf(terms, START) == Vesting(start=START, months=48, cliff_months=12)


def test_the_ocf_sample_schedule_is_read_when_rounded_down_and_refused_otherwise() -> None:
    """OCF's sample 4yr-1yr-cliff-schedule rounds by CUMULATIVE_ROUNDING, which the ledger's
    `rounding: down` cannot carry: refused with a sentence. Written CUMULATIVE_ROUND_DOWN
    (its conditions keeping their own ids: the schedule is read by its shape), it is the
    48-month, 12-month-cliff block."""
    if not OCF.exists():
        pytest.skip("the OCF samples are not beside this checkout")
    items = json.loads((OCF / "samples/VestingTerms.ocf.json").read_text())["items"]
    sample = next(i for i in items if i["id"] == "4yr-1yr-cliff-schedule")
    with pytest.raises(OcfVestingError, match="CUMULATIVE_ROUNDING"):
        from_ocf(sample)
    sample = sample | {"allocation_type": "CUMULATIVE_ROUND_DOWN"}
    assert from_ocf(sample) == Vesting(months=48, cliff_months=12)


def test_a_schedule_not_in_whole_installments_is_refused() -> None:
    with pytest.raises(OcfVestingError, match="not a whole number of installments"):
        to_ocf(Vesting(months=10, every_months=3), "x")


@st.composite
def blocks(draw: st.DrawFn) -> Vesting:
    every = draw(st.integers(min_value=1, max_value=12))
    n = draw(st.integers(min_value=1, max_value=10))
    cliff = every * draw(st.integers(min_value=0, max_value=n))
    trig = st.sampled_from(["0", "1", "1/2", "0.25", "2/3"])
    return Vesting(
        months=every * n,
        cliff_months=cliff,
        every_months=every,
        single_trigger=draw(trig),
        double_trigger=draw(trig),
        performance=draw(st.booleans()),
        early_exercise=draw(st.booleans()),
    )


@settings(max_examples=80, deadline=None)
@given(block=blocks(), shares=st.integers(min_value=1, max_value=100_000))
def test_round_trip_vests_the_same_shares_and_is_valid_ocf(block: Vesting, shares: int) -> None:
    terms = to_ocf(block, "terms-1")
    _validator().validate(terms)
    back = from_ocf(terms, START, early_exercise=block.early_exercise)
    _same_vesting(block.model_copy(update={"start": START}), back, shares)
    assert Fraction(back.single_trigger) == Fraction(block.single_trigger)


def test_every_vesting_terms_of_the_ocf_samples_is_read_or_refused_with_its_reason() -> None:
    """Each VESTING_TERMS of the shared samples: none has a shape the ledger's schedule
    carries, and each refusal names the field or condition and why (the import then keeps
    the terms as the grant's vesting note and says so among its notes)."""
    if not OCF.exists():
        pytest.skip("the OCF samples are not beside this checkout")
    reasons = {
        "4yr-1yr-cliff-schedule": "allocation_type: charter's schedules are cumulative and "
        "rounded down (CUMULATIVE_ROUND_DOWN); 'CUMULATIVE_ROUNDING'",
        "6-yr-option-back-loaded": "'BACK_LOADED' cannot be carried",
        "path-dependent-milestone-vesting": "'CUMULATIVE_ROUNDING' cannot be carried",
        "multi-tranche-event-based": "vesting_conditions 'vesting-expired': a "
        "VESTING_SCHEDULE_RELATIVE condition charter cannot carry",
        "custom-vesting-100pct-upfront": "one VESTING_START_DATE condition; these terms have 0",
        "all-or-nothing": "one VESTING_START_DATE condition; these terms have 0",
        "all-or-nothing-with-expiration": "vesting_conditions 'absolute-expiration': a "
        "VESTING_SCHEDULE_ABSOLUTE condition",
    }
    seen = {}
    for path in sorted((OCF / "samples").glob("VestingTerms*.ocf.json")):
        for terms in json.loads(path.read_text())["items"]:
            with pytest.raises(OcfVestingError) as refused:
                from_ocf(terms)
            seen[terms["id"]] = str(refused.value)
    assert set(seen) == set(reasons)
    for tid, reason in reasons.items():
        assert reason in seen[tid], tid
