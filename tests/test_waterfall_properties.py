"""Properties of the waterfall over random cap tables and exit values (Art. IV.B.2, 3(a)):
the holders' amounts add up to the exit value to the cent, nobody receives a negative
amount, and the choices are an equilibrium (no decision-maker gains by choosing otherwise)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.numbers import money
from charter.rules.waterfall import deviations, waterfall
from tests.quintus_tables import state_of

QUINTUS = ["common", "series_a", "series_b", "series_c", "series_d", "series_e", "series_f"]
LIMITS = {
    "common": 3_000_000,
    "series_a": 3_000_000,
    "series_b": 300_000,
    "series_c": 1_000_000,
    "series_d": 400_000,
    "series_e": 1_000_000,
    "series_f": 500_000,
}
VENTURE = ["common", "series_a", "series_b", "series_c"]
VENTURE_LIMITS = {
    "common": 4_000_000,
    "series_a": 4_000_000,
    "series_b": 2_000_000,
    "series_c": 4_000_000,
}


@st.composite
def cap_tables(draw: Any, classes: list[str], limits: dict[str, int]) -> dict[str, dict[str, int]]:
    holders = draw(st.integers(1, 5))
    table: dict[str, dict[str, int]] = {}
    for h in range(holders):
        by = {c: draw(st.integers(0, limits[c] // holders)) for c in classes if draw(st.booleans())}
        table[f"h{h}"] = by
    if not any(n for by in table.values() for n in by.values()):
        table["h0"] = {"common": 1000}
    return table


@st.composite
def grants(draw: Any) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(0, 3))):
        out.append(
            {
                "date": "2000-02-01",
                "type": "grant",
                "id": f"g{i}",
                "kind": "option",
                "holder": f"o{i}",
                "class": "common",
                "shares": draw(st.integers(1, 200_000)),
                "exercise_price": money(Fraction(draw(st.integers(1, 1500)), 100)),
            }
        )
    return out


exits = st.integers(0, 60_000_000_00).map(lambda c: Fraction(c, 100))


def check(state: Any, exit_value: Fraction) -> None:
    w = waterfall(state, exit_value)
    cents = [c for by in w.cents.values() for c in by.values()]
    assert sum(cents) == exit_value * 100
    assert all(sum(by.values()) >= 0 for by in w.cents.values())
    assert all(v >= 0 for by in w.holders.values() for v in [sum(by.values())])
    assert deviations(w.company, w.profile, w.exit_value) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cap_tables(QUINTUS, LIMITS), grants(), exits)
def test_quintus_amounts_add_up_nobody_negative_equilibrium(
    table: dict[str, dict[str, int]], extra: list[dict[str, Any]], exit_value: Fraction
) -> None:
    check(state_of("quintus", table, extra), exit_value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cap_tables(VENTURE, VENTURE_LIMITS), grants(), exits)
def test_venture_amounts_add_up_nobody_negative_equilibrium(
    table: dict[str, dict[str, int]], extra: list[dict[str, Any]], exit_value: Fraction
) -> None:
    check(state_of("examples/venture-terms.yaml", table, extra, terms_dir="."), exit_value)
