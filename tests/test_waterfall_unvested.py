"""Art. IV.B.2(a)-(c) and options that are not vested at the exit: the reading
`unvested-at-exit` and single-trigger acceleration at a deemed liquidation, worked by hand.

The company: 1,000,000 common (the founder, 2000-01-01); an employee's option on 1,000,000
common at $0.10 granted 2000-03-15 under an adopted plan, 48 months with a 12-month cliff, half
of the unvested accelerating on a change of control (`single_trigger: "1/2"`). On 2002-03-15
(24 months) 500,000 are vested and 500,000 are not. No preferred is outstanding, so the
proceeds (with the exercise prices paid) are shared pro rata over the common."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from charter.rules.deemed_liquidation import exit_event
from charter.rules.waterfall import waterfall, waterfall_json
from tests.ledgers.builder import BASE, grant, run

EVENTS: list[dict[str, Any]] = [
    BASE[0],
    {"date": "2000-02-01", "type": "adopt_plan", "id": "plan", "shares": 2_000_000},
    grant("2000-03-15", "o1", "emp", 1_000_000, "0.10", kind="option", plan="plan",
          exclusion="employee-plan",
          vesting={"months": 48, "cliff_months": 12, "single_trigger": "1/2"}),
]  # fmt: skip
EXIT = Fraction(3_000_000)


def amounts(choice: str | None, kind: str = "liquidation") -> dict[str, Any]:
    s = run(EVENTS, until="2002-03-15")
    settings = {} if choice is None else {"unvested-at-exit": choice}
    w = waterfall(s, EXIT, settings, event=exit_event(s, kind))
    return waterfall_json(w)


@pytest.mark.parametrize("choice", [None, "accelerated-rest-assumed", "vested-only"])
def test_art_iv_b_2_vested_options_only_at_a_liquidation(choice: str | None) -> None:
    """A liquidation itself is no change of control: no acceleration. The default and
    vested-only count the 500,000 vested: proceeds 3,000,000 + 500,000 x 0.10 = 3,050,000 over
    1,500,000 shares = 2.0333... a share. Founder 1,000,000 x 3,050,000 / 1,500,000 =
    2,033,333.33; the employee 500,000 x 3,050,000 / 1,500,000 - 50,000 = 966,666.67."""
    data = amounts(choice)
    assert data["holders"]["founder"]["amount"] == "2033333.33"
    assert data["holders"]["emp"]["amount"] == "966666.67"
    assert data["grants"]["o1"]["counted"] == 500_000
    if choice != "vested-only":
        assert data["grants"]["o1"]["why"].endswith("500,000 unvested not paid (cancelled)")
    assert data["readings"]["unvested-at-exit"] == (choice or "accelerated-rest-assumed")


def test_art_iv_b_2_as_if_vested_counts_every_option() -> None:
    """as-if-vested: 1,000,000 options: (3,000,000 + 100,000) / 2,000,000 = 1.55 a share.
    Founder 1,550,000.00; the employee 1,550,000 - 100,000 = 1,450,000.00."""
    data = amounts("as-if-vested")
    assert data["holders"]["founder"]["amount"] == "1550000.00"
    assert data["holders"]["emp"]["amount"] == "1450000.00"


def test_art_iv_b_2_c_single_trigger_accelerates_at_a_merger() -> None:
    """A merger is deemed a liquidation (2(c)) and a change of control: half of the 500,000
    unvested vest, 750,000 counted; the other 250,000 are assumed by the buyer.
    (3,000,000 + 75,000) / 1,750,000 = 123/70 a share. Founder 1,000,000 x 123/70 =
    1,757,142.857...; the employee 750,000 x 123/70 - 75,000 = 1,242,857.142...; in cents by
    largest remainder 1,757,142.86 and 1,242,857.14 (3,000,000.00 in all)."""
    data = amounts(None, "merger")
    assert data["holders"]["founder"]["amount"] == "1757142.86"
    assert data["holders"]["emp"]["amount"] == "1242857.14"
    g = data["grants"]["o1"]
    assert (g["exercisable"], g["accelerated"], g["counted"]) == (500_000, 250_000, 750_000)
    assert "250,000 unvested not paid (assumed by the buyer)" in g["why"]
    assert any("Grant o1 (emp) at the exit" in line for line in data["trace"])


def test_art_iv_b_2_c_vested_only_ignores_the_acceleration_at_a_merger() -> None:
    """vested-only at the merger: 500,000, as at a liquidation: 2,033,333.33 and 966,666.67."""
    data = amounts("vested-only", "merger")
    assert data["holders"]["emp"]["amount"] == "966666.67"
