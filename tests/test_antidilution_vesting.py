"""Art. IV.B.3(d)(i)(E)(1) "(to the extent then exercisable)" for options and warrants that
vest, and exception (C) for an issue of preferred (Art. IV.B.3(d)(ii)(C)): the two readings
of each, worked by hand.

The company of tests/ledgers/builder.py: 1,000,000 common (2000-01-01) and 1,000,000 Series A
at $1.00 (2000-02-01, the Series A Purchase Date; Conversion Price $1.00); here also
1,000,000 Series B at $1.43 on 2000-03-01 (its Purchase Date; Conversion Price $1.43). Each
series converts 1:1 until adjusted."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from charter.state.model import State
from tests.ledgers.builder import BASE, grant, issue, run

SERIES_B = issue("2000-03-01", "f2", "series_b", 1_000_000, "1.43")
# A consultant's warrant (no plan, no exception): 1,200,000 common at $0.50, vesting over 24
# months with a 12-month cliff, in two yearly installments of 600,000.
WARRANT = grant(
    "2000-04-01",
    "w1",
    "bank",
    1_200_000,
    "0.50",
    vesting={"months": 24, "cliff_months": 12, "every_months": 12},
)
UNEXERCISABLE = "antidilution-unexercisable-options"


def prices(events: list[dict[str, Any]], until: str | None = None, **readings: str) -> State:
    return run([*BASE, SERIES_B, *events], until=until, readings=readings)


def cp(s: State, series: str) -> Fraction:
    return s.conversion_price(series) or Fraction(0)


def test_art_iv_b_3d_i_e_1_only_the_exercisable_part_is_deemed_issued_at_grant() -> None:
    """On 2000-04-01 nothing of the warrant is exercisable (the cliff is 12 months away), so
    nothing is deemed issued: both prices stay. (Deemed issued in full, as before vesting was
    read, the grant would have given Series A 1.00 x (3,000,000 + 600,000) / 4,200,000 = 6/7.)"""
    s = prices([WARRANT], until="2001-03-31")
    assert cp(s, "series_a") == 1
    assert cp(s, "series_b") == Fraction(143, 100)
    assert s.antidilution_book is not None
    assert s.antidilution_book.relied[UNEXERCISABLE] == "as-exercisable"


def test_art_iv_b_3d_i_e_1_as_exercisable_the_cliff_is_a_deemed_issuance() -> None:
    """Reading as-exercisable (the default): on 2001-04-01 600,000 become exercisable and are
    deemed issued at $0.50 (consideration $300,000).
    A = 1,000,000 common + 1,000,000 Series A + 1,000,000 Series B (1:1) = 3,000,000; C = 600,000.
    Series A: B = 300,000 / 1.00 = 300,000; CP = 1.00 x 3,300,000 / 3,600,000 = 11/12.
    Series B: B = 300,000 / 1.43; CP = 1.43 x (3,000,000 + 300,000/1.43) / 3,600,000
    = (4,290,000 + 300,000) / 3,600,000 = 4,590,000 / 3,600,000 = 51/40 (1.275)."""
    before = prices([WARRANT], until="2001-03-31")
    s = prices([WARRANT], until="2001-04-01")
    assert cp(before, "series_a") == 1
    assert cp(s, "series_a") == Fraction(11, 12)
    assert cp(s, "series_b") == Fraction(51, 40)
    last = s.price_history["series_b"][-1]
    assert (last.date.isoformat(), last.event, last.c) == ("2001-04-01", "w1 vesting", 600_000)


def test_art_iv_b_3d_i_e_1_never_the_exercise_is_an_actual_issue() -> None:
    """Reading never: nothing is deemed issued at the cliff (both prices stay on 2001-04-01);
    the 600,000 exercised on 2001-06-01 are an actual issue of Common at $0.50, with A still
    3,000,000: the same 11/12 and 51/40, a month later. Never exercised, they never count."""
    events = [WARRANT, {"date": "2001-06-01", "type": "exercise", "grant": "w1", "shares": 600_000}]
    at_cliff = prices(events, until="2001-04-01", **{UNEXERCISABLE: "never"})
    assert (cp(at_cliff, "series_a"), cp(at_cliff, "series_b")) == (1, Fraction(143, 100))
    s = prices(events, **{UNEXERCISABLE: "never"})
    assert (cp(s, "series_a"), cp(s, "series_b")) == (Fraction(11, 12), Fraction(51, 40))
    assert s.price_history["series_a"][-1].date.isoformat() == "2001-06-01"


def test_art_iv_b_3d_i_e_4_unvested_lapse_at_service_end_change_nothing() -> None:
    """Service ends 2001-03-01, before the cliff: the 1,200,000 unvested lapse; none was deemed
    issued, so nothing is recomputed, and the cliff date deems nothing."""
    s = prices([WARRANT, {"date": "2001-03-01", "type": "service_end", "holder": "bank"}],
               until="2002-05-01")  # fmt: skip
    assert (cp(s, "series_a"), cp(s, "series_b")) == (1, Fraction(143, 100))
    assert s.grants["w1"].expired == 1_200_000


def test_art_iv_b_3d_i_e_4_vested_lapse_after_the_period_is_an_expiry() -> None:
    """The warrant gives 30 days after service ends. Service ends 2001-06-01 (600,000 vested,
    deemed issued at the cliff; Series A 11/12); the other 600,000 lapse at once (never deemed:
    no change). The vested may be exercised through 2001-07-01; on 2001-07-02 they lapse
    unexercised, an expiry under (E)(4): the prices are recomputed as if they had never been
    deemed issued, 1.00 and 1.43 again (3(d)(i)(B) allows the rise for (E)(4))."""
    w = {**WARRANT, "post_termination_days": 30}
    end = {"date": "2001-06-01", "type": "service_end", "holder": "bank"}
    on_last_day = prices([w, end], until="2001-07-01")
    assert cp(on_last_day, "series_a") == Fraction(11, 12)
    s = prices([w, end], until="2001-07-02")
    assert (cp(s, "series_a"), cp(s, "series_b")) == (1, Fraction(143, 100))
    assert s.price_history["series_a"][-1].citation.endswith("(E)(4)")


SECOND_A = issue("2000-04-01", "f3", "series_a", 100_000, "1.00", id="a-2")
HALF_B = issue("2000-03-01", "f2", "series_b", 500_000, "1.43")


def test_art_iv_b_3d_ii_c_a_later_closing_of_preferred_is_additional_stock() -> None:
    """Reading additional (the default): Series B 500,000 at $1.43 on 2000-03-01, then a second
    Series A closing of 100,000 at $1.00 on 2000-04-01: its 100,000 Common deemed issued
    ((E)(2)) for $100,000 is below Series B's $1.43.
    A = 1,000,000 + 1,000,000 + 500,000 = 2,500,000; B = 100,000 / 1.43; C = 100,000;
    Series B: CP = 1.43 x (2,500,000 + 100,000/1.43) / 2,600,000 = (3,575,000 + 100,000) /
    2,600,000 = 3,675,000 / 2,600,000 = 147/104 (1.413462). Series A: $1.00 is not below $1.00."""
    s = run([*BASE, HALF_B, SECOND_A])
    assert cp(s, "series_b") == Fraction(147, 104)
    assert cp(s, "series_a") == 1
    assert s.antidilution_book is not None
    assert s.antidilution_book.relied["antidilution-preferred-issuance"] == "additional"


def test_art_iv_b_3d_ii_c_excluded_reading_leaves_the_price() -> None:
    """Reading excluded: the Common deemed issued with the Series A is 'issuable upon the
    conversion of' the Series A, excluded by (C): Series B stays at $1.43."""
    s = run([*BASE, HALF_B, SECOND_A], readings={"antidilution-preferred-issuance": "excluded"})
    assert cp(s, "series_b") == Fraction(143, 100)


PLAN_OPTIONS = [
    BASE[0],
    {"date": "2000-01-15", "type": "adopt_plan", "id": "plan", "shares": 1_000_000},
    BASE[1],
    grant("2000-03-01", "o1", "emp", 480_000, "0.10", kind="option", plan="plan",
          exclusion="employee-plan", vesting={"months": 48}),
    issue("2001-03-01", "angel", "common", 100_000, "0.50"),
]  # fmt: skip


def test_art_iv_b_3d_i_a_excepted_options_count_in_a_as_they_vest() -> None:
    """Plan options (excepted by (ii)(B), counted in A by the default reading) on 480,000
    shares vesting monthly over 48 months from 2000-03-01: on 2001-03-01 12 x 10,000 =
    120,000 are exercisable. 100,000 common at $0.50 that day:
    as-exercisable: A = 1,000,000 + 1,000,000 + 120,000 = 2,120,000; B = 50,000; C = 100,000;
    CP = 2,170,000 / 2,220,000 = 217/222.
    never: A = 2,000,000; CP = 2,050,000 / 2,100,000 = 41/42."""
    assert cp(run(PLAN_OPTIONS), "series_a") == Fraction(217, 222)
    never = run(PLAN_OPTIONS, readings={UNEXERCISABLE: "never"})
    assert cp(never, "series_a") == Fraction(41, 42)


def test_art_iv_b_3d_i_e_3_a_change_of_a_grant_deemed_issued_in_parts_is_refused() -> None:
    """After the cliff the warrant has been deemed issued in two parts (none at the grant,
    600,000 on 2001-04-01); a change of its price is refused with a sentence naming (E)(3),
    rather than recomputed from the grant alone."""
    import pytest

    from charter.errors import CharterError

    amend = {"date": "2001-05-01", "type": "grant_amend", "grant": "w1", "exercise_price": "0.40"}
    with pytest.raises(CharterError) as e:
        prices([WARRANT, amend])
    text = str(e.value)
    assert "deemed issued in 2 parts as it vested" in text and "(E)(3)" in text
