"""`charter grants`, `charter plans` and the cap table's percentages on the example ledger,
whose grants vest on real schedules (examples/quintus.yaml), worked by hand."""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import run_cli
from tests.conftest import EXAMPLE

L = ("--ledger", str(EXAMPLE))


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = run_cli(capsys, *args, *L, "--json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_grants_vested_exercisable_and_next_vesting(capsys: pytest.CaptureFixture[str]) -> None:
    """opt-1998-01: 250,000 from 1998-04-01, 48 months, a 12-month cliff. On 1999-10-31, 18
    whole months (1999-10-01 is the 18th month; 1999-11-01 the 19th): 250,000 x 18 / 48 =
    93,750 vested and exercisable, none exercised, 250,000 outstanding; next vesting
    1999-11-01; expires 2008-04-01."""
    data = cli_json(capsys, "grants", "--as-of", "1999-10-31", "--holder", "a.feldman")
    grants = data["grants"]
    assert isinstance(grants, dict) and list(grants) == ["opt-1998-01"]
    g = grants["opt-1998-01"]
    assert (g["vested"], g["exercisable"], g["exercised"], g["outstanding"]) == (
        93_750, 93_750, 0, 250_000)  # fmt: skip
    assert (g["next_vesting"], g["expires"]) == ("1999-11-01", "2008-04-01")


def test_vested_options_lapse_by_the_calendar_after_the_plan_period(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Moreau's service ended 1999-04-15 with 50,000 of opt-1997-01 vested; 20,000 were
    exercised. The plan's 90 days end 1999-07-14: on that day 30,000 may still be exercised;
    on 1999-07-15 they have lapsed (50,000 unvested + 30,000 vested = 80,000 lapsed)."""
    on = cli_json(capsys, "grants", "--as-of", "1999-07-14", "--holder", "l.moreau")
    g = on["grants"]["opt-1997-01"]  # type: ignore[index]
    assert (g["exercisable"], g["outstanding"], g["expires"]) == (30_000, 30_000, "1999-07-14")
    after = cli_json(capsys, "grants", "--as-of", "1999-07-15", "--holder", "l.moreau")
    g = after["grants"]["opt-1997-01"]  # type: ignore[index]
    assert (g["exercisable"], g["outstanding"], g["lapsed"]) == (0, 0, 80_000)


def test_plans_pool(capsys: pytest.CaptureFixture[str]) -> None:
    """plan-1995: 4,000,000 reserved; 1,400,000 granted; exercised 62,500 + 80,000 + 20,000 +
    150,000 = 312,500; lapsed 87,500 + 50,000 + 30,000 = 167,500, returned to the reserve;
    outstanding 1,400,000 - 312,500 - 167,500 = 920,000; available 4,000,000 - 1,400,000 +
    167,500 = 2,767,500."""
    p = cli_json(capsys, "plans")["plans"]["plan-1995"]  # type: ignore[index]
    assert (p["reserved"], p["granted"], p["exercised"], p["lapsed"], p["returned"]) == (
        4_000_000, 1_400_000, 312_500, 167_500, 167_500)  # fmt: skip
    assert (p["outstanding"], p["available"]) == (920_000, 2_767_500)


def test_captable_percentages_totals_and_the_pool(capsys: pytest.CaptureFixture[str]) -> None:
    """All stock as converted: 6,317,500 common + 18,290,000 preferred (1:1) = 24,607,500;
    fully diluted 26,351,074 (the example's closing comment) plus the pool's 2,767,500 =
    29,118,574. Chen: 150,000 common, with opt-1995-01's 150,000 and opt-1997-02's 100,000
    outstanding 400,000 fully diluted: 150,000 / 24,607,500 = 0.609570...% (0.6096) and
    400,000 / 29,118,574 = 1.373694...% (1.3737); the pool 2,767,500 / 29,118,574 =
    9.504245...% (9.5042)."""
    data = cli_json(capsys, "captable")
    totals = data["totals"]
    assert totals == {
        "as_converted": 24_607_500,
        "fully_diluted": 26_351_074,
        "unallocated_pool": 2_767_500,
        "unallocated_pool_by_plan": {"plan-1995": 2_767_500},
        "unallocated_pool_pct": {"plan-1995": "9.5042"},
        "fully_diluted_with_pool": 29_118_574,
    }
    chen = data["holder_totals"]["s.chen"]  # type: ignore[index]
    assert chen == {"as_converted": 150_000, "fully_diluted": 400_000,
                    "outstanding_pct": "0.6096", "fully_diluted_pct": "1.3737"}  # fmt: skip


def test_grants_for_an_unknown_holder_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "grants", *L, "--holder", "nobody")
    assert code == 1 and out == ""
    assert err.strip() == "--holder: 'nobody' is not a stakeholder of the ledger."
