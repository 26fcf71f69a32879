"""Payout curves (Art. IV.B.2, 3(a)): exact breakpoints worked by hand on the Northwind venture
example, and agreement with `waterfall` to the cent at 1,000 random exit values."""

from __future__ import annotations

import random
import subprocess
from fractions import Fraction

import numpy as np
import pytest

from charter.rules.curve import build, curve_json
from charter.rules.waterfall import company, waterfall, waterfall_json
from charter.service import open_session
from charter.state.model import State
from tests.conftest import ROOT
from tests.quintus_tables import ONE_MILLION_EACH, state_of

F = Fraction


@pytest.fixture(scope="module")
def northwind() -> State:
    return open_session(ROOT / "examples" / "venture.yaml").state()


def test_venture_breakpoints_by_hand(northwind: State) -> None:
    """Northwind (examples/venture.yaml), exits 0 to 200,000,000:
     10,000,000  Series C's preference filled (5.00 x 2,000,000)
     18,000,000  Series A and B preferences filled (+4,000,000 + 4,000,000)
     22,000,000  opt-1 ($0.50) in the money: (E - 18,000,000)/8,000,000 = 0.50
     26,300,000  Series A converts: (E + 300,000 - 14,000,000)/12,600,000 = 1.00
     38,900,000  opt-2 ($2.00): (E + 900,000 - 14,000,000)/12,900,000 = 2.00
     64,700,000  Series B reaches its cap: 2.00 + w = 6.00 with w = 4.00 = (E - 13,100,000)/12,900,000
     75,600,000  Series C converts: (E + 900,000 - 4,000,000 - 8,000,000)/12,900,000 = 5.00
     88,500,000  Series B converts: (E + 900,000)/14,900,000 = 6.00
    118,300,000  opt-3 ($8.00): (E + 1,700,000)/15,000,000 = 8.00"""
    curve = build(company(northwind), F(0), F(200_000_000))
    assert curve.breakpoints == [
        10_000_000,
        18_000_000,
        22_000_000,
        26_300_000,
        38_900_000,
        64_700_000,
        75_600_000,
        88_500_000,
        118_300_000,
    ]


@pytest.mark.parametrize("which", ["venture", "quintus-example", "quintus-one-million"])
def test_curve_agrees_with_waterfall_at_1000_random_points(which: str) -> None:
    """At 1,000 random exit values (cents), the curve's exact value equals the waterfall's for
    every class, and so the money strings agree to the cent."""
    if which == "venture":
        st = open_session(ROOT / "examples" / "venture.yaml").state()
        top = 200_000_000
    elif which == "quintus-example":
        st = open_session(ROOT / "examples" / "quintus.yaml").state()
        top = 400_000_000
    else:
        st = state_of("quintus", ONE_MILLION_EACH)
        top = 120_000_000
    co = company(st)
    curve = build(co, F(0), F(top))
    rng = random.Random(20260101)
    points = [F(rng.randrange(0, top * 100), 100) for _ in range(1000)]
    points += [b for b in curve.breakpoints if (b * 100).denominator == 1]
    for e in points:
        w = waterfall(st, e, co=co)
        _, split = curve.split_at(e)
        for seat in co.seats:
            assert split.total(seat.id) == w.split.total(seat.id), (e, seat.id)
    # the vectorised evaluation agrees to within float precision of a cent
    sample = np.array([float(e) for e in points[:200]])
    values = curve.evaluate(sample)
    for i, e in enumerate(points[:200]):
        j = waterfall_json(waterfall(st, e, co=co))
        for c, line in j["classes"].items():  # type: ignore[attr-defined]
            assert abs(values[c][i] - float(line["amount"])) < 0.01


def test_curve_json_and_svg(northwind: State, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The JSON lists the breakpoints exactly and why, naming the class and the clause (issue
    16): Series C's $5.00 preference on 2,000,000 shares is rank 1 (Art. IV.B.2(a)), paid in
    full at 10,000,000; Series B's cap is $6.00 a share (Art. IV.B.2(c)), reached at 64,700,000
    (worked in test_venture_breakpoints_by_hand); Series A converts at 26,300,000 (Art.
    IV.B.4(a)); opt-1's exercise price is $0.50. The SVG marks each breakpoint, its title
    gives the range as money and both axes have titles."""
    curve = build(company(northwind), F(0), F(200_000_000))
    j = curve_json(curve)
    why = [b["changes"] for b in j["breakpoints"]]  # type: ignore[attr-defined]
    assert why[0] == [
        "rank 1 is paid in full: the Series C Preferred Stock liquidation preference "
        "(Art. IV.B.2(a))"
    ]
    assert why[2] == ["opt-1 exercised (exercise price $0.50 a share)"]
    assert why[3] == ["Series A Preferred Stock converts (Art. IV.B.4(a))"]
    assert why[5] == ["Series B Preferred Stock reaches its cap of $6.00 a share (Art. IV.B.2(c))"]
    svg = tmp_path / "c.svg"
    p = subprocess.run(
        [
            str(ROOT / ".venv/bin/charter"),
            "curve",
            "--ledger",
            str(ROOT / "examples/venture.yaml"),
            "--from",
            "0",
            "--to",
            "200000000",
            "--svg",
            str(svg),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.returncode == 0, p.stderr
    text = svg.read_text()
    assert text.count("stroke-dasharray") == 9
    assert "for an exit of $0.00 to $200,000,000.00</text>" in text
    assert "exit value, $ millions" in text and "paid to the class, $ millions" in text


def test_curve_bad_range_one_sentence() -> None:
    p = subprocess.run(
        [
            str(ROOT / ".venv/bin/charter"),
            "curve",
            "--ledger",
            str(ROOT / "examples/venture.yaml"),
            "--from",
            "10",
            "--to",
            "5",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.returncode == 1 and "must be above" in p.stderr and "Traceback" not in p.stderr
