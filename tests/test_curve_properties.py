"""The payout curve checked by brute force (issue 15): the curve's breakpoints are found by
following the holders' choices and the grants' answers between kinks, not by evaluating the
waterfall, so an independent computation checks them. At many exit values (seeded random
values, every breakpoint and the midpoint of every piece) the waterfall's own rule
(rules/waterfall: `choices` from nothing, `distribute`, `holder_amounts`; the whole `waterfall`
where the value is in whole cents), on a company of its own so that nothing the curve
remembered is reused, gives every holder exactly the curve's piecewise-linear amount per class
(Art. IV.B.2, 3(a)). On the Quintus example and on synthetic Quintus companies of several
shapes (bench/bench_waterfall.py: holders across common and every series, some holding two,
option grants over common at several exercise prices)."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from bench.bench_waterfall import synthetic
from bench.synthetic import synthetic_ledger

from charter.rules.curve import Curve, build
from charter.rules.waterfall import Company, choices, company, distribute, holder_amounts, waterfall
from charter.service import open_session
from charter.state.model import State
from tests.conftest import ROOT
from tests.ledgers.builder import run
from tests.test_owed_cash_amounts import CONVERTED

F = Fraction


def by_holder(co: Company, exit_value: Fraction, curve: Curve | None = None) -> dict:  # type: ignore[type-arg]
    """Each (holder, class)'s exact amount: on the curve, or by the rule from nothing."""
    if curve is None:
        profile = choices(co, exit_value)
        split = distribute(co, profile, exit_value)
    else:
        profile, split = curve.split_at(exit_value)
    nums, den = holder_amounts(co, profile, split)
    return {k: F(n, den) for k, n in nums.items() if n}


def exit_values(curve: Curve, top: int, n: int, seed: int) -> list[Fraction]:
    rng = random.Random(seed)
    xs = [F(rng.randrange(0, top * 100), 100) for _ in range(n)]
    xs += [*curve.breakpoints, curve.start, curve.end]
    xs += [(s.lo + s.hi) / 2 for s in curve.segments]
    return xs


def check(st: State, top: int, n: int, seed: int, settings: dict[str, str] | None = None) -> None:
    curve = build(company(st, settings), F(0), F(top))
    rule = company(st, settings)  # a company of its own: no answer of the curve's is reused
    assert curve.breakpoints, "a curve with nothing to check"
    for x in exit_values(curve, top, n, seed):
        expected = by_holder(rule, x)
        assert by_holder(curve.company, x, curve) == expected, x
        if (x * 100).denominator == 1:
            w = waterfall(st, x, settings, co=rule)
            whole = {k: F(v, w.denominator) for k, v in w.numerators.items() if v}
            assert whole == expected, x


@pytest.mark.parametrize(
    "cash", ["beside-own-preferences", "before-all-preferences", "after-senior-preferences"]
)
def test_curve_equals_the_waterfall_for_every_holder_on_the_example(cash: str) -> None:
    """Under each reading of where the Cash Amounts of an elected conversion rank (3(a))."""
    st = open_session(ROOT / "examples" / "quintus.yaml").state()
    check(st, 400_000_000, 100, 15, {"cash-amount-priority": cash})


def test_curve_equals_the_waterfall_for_every_holder_on_the_venture_example() -> None:
    check(open_session(ROOT / "examples" / "venture.yaml").state(), 200_000_000, 100, 16)


@pytest.mark.parametrize(
    "owed", ["before-all-preferences", "as-cash-amount-priority", "after-all-preferences"]
)
def test_curve_equals_the_waterfall_for_every_holder_with_cash_amounts_owed(owed: str) -> None:
    """Cash Amounts owed from an earlier conversion (3(c)), under each reading of their rank
    (the ledger of tests/test_owed_cash_amounts.py)."""
    check(run(CONVERTED), 5_000_000, 60, 17, {"owed-cash-amount-priority": owed})


@pytest.mark.parametrize(
    ("holders", "grants", "strikes", "seed"),
    [(60, 0, 1, 1), (200, 40, 6, 2), (400, 120, 25, 3)],
    ids=["no-grants", "few-strikes", "many-strikes"],
)
def test_curve_equals_the_waterfall_for_every_holder_on_synthetic_companies(
    holders: int, grants: int, strikes: int, seed: int
) -> None:
    check(synthetic(holders, grants, strikes, seed), 400_000_000, 60, seed)


def test_curve_equals_the_waterfall_for_every_holder_on_a_synthetic_ledger(tmp_path: Path) -> None:
    """bench/synthetic.py's ledger (issuances of every series in rounds, transfers, warrants
    over common, exercises), replayed: 600 events over 80 holders."""
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(synthetic_ledger(600, 80, seed=4)), encoding="utf-8")
    check(open_session(path).state(), 100_000_000, 60, 4)
