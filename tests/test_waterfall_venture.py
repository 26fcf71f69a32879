"""Not only Quintus: the waterfall of examples/venture.yaml (Northwind Robotics, made up) with
its own terms file, worked by hand at four exit values. No code knows these series.

Terms (examples/venture-terms.yaml): Series C 2,000,000 sh, senior 1x $5.00 non-participating
(rank 1); Series A 4,000,000 sh, 1x $1.00 non-participating and Series B 2,000,000 sh, 1x
$2.00 participating capped at $6.00 in all (rank 2, pari passu); common 6,000,000 (founder-1
4,000,000, founder-2 2,000,000); options on common: opt-1 600,000 at $0.50, opt-2 300,000 at
$2.00, opt-3 100,000 at $8.00. Every preferred share converts 1:1 at its holder's option.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from charter.rules.waterfall import deviations, waterfall, waterfall_json
from charter.service import open_session
from charter.state.model import State
from tests.conftest import ROOT

F = Fraction


@pytest.fixture(scope="module")
def northwind() -> State:
    return open_session(ROOT / "examples" / "venture.yaml").state()


def holders(st: State, exit_value: int) -> dict[str, str]:
    j = waterfall_json(waterfall(st, F(exit_value)))
    return {h: v["amount"] for h, v in j["holders"].items()}  # type: ignore[attr-defined]


def test_senior_preference_short(northwind: State) -> None:
    """Exit 8,000,000 < Series C preference 5.00 x 2,000,000 = 10,000,000: all to Series C."""
    assert holders(northwind, 8_000_000) == {
        "founder-1": "0.00",
        "founder-2": "0.00",
        "fund-a": "0.00",
        "fund-b": "0.00",
        "fund-c": "8000000.00",
    }


def test_pari_passu_then_capped_participation_below_cap(northwind: State) -> None:
    """Exit 20,000,000: C 10,000,000; A 4,000,000 and B 4,000,000 (rank 2 in full); 2,000,000
    left for common 6,000,000 + B 2,000,000 as converted = 0.25 per share: B 4,500,000 in all
    (2.25 < 6.00 cap), founders 1,000,000 and 500,000. Options (0.25 < 0.50) not exercised;
    A converting would get (20 - 10 - 4)M / 12M = 0.50 < 1.00."""
    assert holders(northwind, 20_000_000) == {
        "founder-1": "1000000.00",
        "founder-2": "500000.00",
        "fund-a": "4000000.00",
        "fund-b": "4500000.00",
        "fund-c": "10000000.00",
    }


def test_non_participating_series_converts_and_options_in_the_money(northwind: State) -> None:
    """Exit 60,000,000. Series A converts: not converting, it gets 1.00; converting, with opt-1
    and opt-2 exercised (proceeds + 300,000 + 600,000 = 60,900,000), after C 10,000,000 and B's
    preference 4,000,000 the 46,900,000 left is shared by common 6,000,000 + options 900,000 +
    A 4,000,000 + B 2,000,000 = 12,900,000 shares: w = 469/129 = 3.635659 > 1.00 (and B's
    2.00 + w = 5.64 is below its 6.00 cap; opt-3 at 8.00 stays out).
      A: 4,000,000 x 469/129 = 14,542,635.658 -> 14,542,635.66
      B: 4,000,000 + 2,000,000 x 469/129 = 11,271,317.829 -> 11,271,317.83
      founder-1: 14,542,635.66; founder-2: 7,271,317.83
      opt-1: 600,000 x 469/129 - 300,000 = 1,881,395.349 -> 1,881,395.35
      opt-2: 300,000 x 469/129 - 600,000 = 490,697.674 -> 490,697.67
    B converting would get (60,900,000 - 10,000,000)/12,900,000 = 3.95 < 5.64."""
    assert holders(northwind, 60_000_000) == {
        "emp-1": "1881395.35",
        "emp-2": "490697.67",
        "founder-1": "14542635.66",
        "founder-2": "7271317.83",
        "fund-a": "14542635.66",
        "fund-b": "11271317.83",
        "fund-c": "10000000.00",
    }


def test_capped_participating_series_does_better_converting(northwind: State) -> None:
    """Exit 150,000,000: every option exercised (+300,000 + 600,000 + 800,000 = 151,700,000) and
    every series converted: 151,700,000 / 15,000,000 shares = 10.113333 per share. Series B,
    had it kept its preference and participation, would stop at its cap of 6.00 per share
    (12,000,000): converting pays 20,226,666.67. (A calculator that never converts a
    participating series pays B 12,000,000 here.)
      opt-3: 100,000 x 10.113333 - 800,000 = 211,333.33"""
    st = northwind
    w = waterfall(st, F(150_000_000))
    assert w.profile.converted == {"series_a", "series_b", "series_c"}
    assert w.split.total("series_b") == 2_000_000 * F(151_700_000, 15_000_000)
    assert holders(st, 150_000_000)["fund-b"] == "20226666.67"
    assert holders(st, 150_000_000)["emp-3"] == "211333.33"


@pytest.mark.parametrize("exit_value", [0, 8_000_000, 20_000_000, 60_000_000, 150_000_000])
def test_venture_choices_are_an_equilibrium(northwind: State, exit_value: int) -> None:
    """No series, and no option, would gain by choosing otherwise."""
    w = waterfall(northwind, F(exit_value))
    assert deviations(w.company, w.profile, w.exit_value) == []
