"""Art. IV.B.3(d)(i)(E)(3), (5): a change in the shares or the consideration of an option,
warrant or right (`grant_amend`) recomputes the Conversion Prices it affected. Worked by hand.

The base company of tests/ledgers/builder.py: 1,000,000 common (2000-01-01) and 1,000,000
Series A at $1.00 issued 2000-02-01 (the Series A Purchase Date); Conversion Price $1.00.

The text sets no limit on a recomputation under (E)(3) but 3(d)(i)(B): "Except to the limited
extent provided for in subsections 3(d)(i)(E)(3) and 3(d)(i)(E)(4), no adjustment of such
Conversion Price ... shall have the effect of increasing the Conversion Price above the
Conversion Price in effect immediately prior to such adjustment" -- so a change may raise a
price, undoing an earlier adjustment, and there is no further "no readjustment above ..."
proviso; recomputed from the issue, a price can never exceed the one the history gives without
the grant.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.state.model import State
from tests.ledgers.builder import BASE, grant, issue, run

W_120 = grant("2000-03-01", "w1", "bank", 500_000, "1.20")
W_050 = grant("2000-03-01", "w1", "bank", 500_000, "0.50")
LATER = issue("2000-04-01", "angel", "common", 100_000, "0.45", id="iss-45")


def amend(**kw: object) -> dict[str, object]:
    return {"date": "2000-06-01", "type": "grant_amend", "grant": "w1", "id": "amd", **kw}


def cp(s: State) -> Fraction:
    return s.conversion_prices.get("series_a", Fraction(1))


def test_art_iv_b_3d_i_e_3_price_lowered_below_the_conversion_price_adjusts() -> None:
    """A warrant for 500,000 common at $1.20 (not below the $1.00 Conversion Price: nothing
    adjusts), then 100,000 common at $0.45 on 2000-04-01, the warrant deemed issued and in A:
    A = 1,000,000 + 1,000,000 + 500,000 = 2,500,000; B = 45,000 / 1.00 = 45,000; C = 100,000;
    CP = 2,545,000 / 2,600,000 = 509/520 (0.978846).
    On 2000-06-01 the warrant's price is lowered to $0.50. Recomputed as if $0.50 had applied
    from the grant: at the grant A = 2,000,000, B = 250,000, C = 500,000, CP = 0.90; at the
    $0.45 issue A = 1,000,000 + 1,000,000 / 0.90 + 500,000 = 23,500,000/9,
    B = 45,000 / 0.90 = 50,000, C = 100,000:
    CP = 0.90 x (23,950,000/9) / (24,400,000/9) = 4311/4880 (0.883402)."""
    before = run([*BASE, W_120, LATER])
    assert cp(before) == Fraction(509, 520)
    s = run([*BASE, W_120, LATER, amend(exercise_price="0.50")])
    assert cp(s) == Fraction(4311, 4880)
    last = s.price_history["series_a"][-1]
    assert (last.date.isoformat(), last.event, last.kind, last.old, last.new) == (
        "2000-06-01",
        "amd",
        "recomputed",
        Fraction(509, 520),
        Fraction(4311, 4880),
    )
    assert last.citation == "Art. IV.B.3(d)(i)(E)(3)"
    assert s.grants["w1"].exercise_price == Fraction(1, 2)


def test_art_iv_b_3d_i_e_3_price_raised_undoes_the_earlier_adjustment() -> None:
    """The warrant at $0.50 with the $0.45 issue gives 4311/4880 (above). Raised to $1.20:
    recomputed from the grant, the warrant adjusts nothing and the $0.45 issue gives
    509/520 again: the price rises from 0.883402 to 0.978846, which (B) allows for (E)(3)."""
    assert cp(run([*BASE, W_050, LATER])) == Fraction(4311, 4880)
    s = run([*BASE, W_050, LATER, amend(exercise_price="1.20")])
    assert cp(s) == Fraction(509, 520)
    alone = run([*BASE, W_050, amend(exercise_price="1.20")])
    assert cp(alone) == 1


def test_art_iv_b_3d_i_e_3_fewer_shares() -> None:
    """The warrant at $0.50 cut from 500,000 to 200,000 shares: as if 200,000 at $0.50 from
    the grant: A = 2,000,000; B = 100,000; C = 200,000; CP = 2,100,000 / 2,200,000 = 21/22."""
    assert cp(run([*BASE, W_050, amend(shares=200_000)])) == Fraction(21, 22)


def test_art_iv_b_3d_i_e_5_exercised_shares_keep_what_was_paid() -> None:
    """100,000 of the $0.50 warrant exercised, then the other 400,000 repriced to $0.20.
    (E)(5): consideration deemed paid = 100,000 x 0.50 + 400,000 x 0.20 = 130,000 for 500,000
    shares; A = 2,000,000; B = 130,000; C = 500,000; CP = 2,130,000 / 2,500,000 = 213/250."""
    exercised = {"date": "2000-04-01", "type": "exercise", "grant": "w1", "shares": 100_000}
    assert cp(run([*BASE, W_050, exercised, amend(exercise_price="0.20")])) == Fraction(213, 250)


def test_art_iv_b_3d_i_e_3_excepted_option_changes_a_only() -> None:
    """Employee plan options for 200,000 at $0.10 (excepted, (ii)(B)) count in A: 500,000
    common at $0.50 then give A = 2,200,000, CP = 2,450,000 / 2,700,000 = 49/54. The options
    are increased to 300,000 and repriced to $0.05: still excepted, so nothing adjusts for
    them, but the $0.50 issue was "computed using" them: A = 2,300,000, B = 250,000,
    C = 500,000, CP = 2,550,000 / 2,800,000 = 51/56."""
    events = [
        BASE[0],
        {"date": "2000-01-15", "type": "adopt_plan", "id": "plan", "shares": 1_000_000},
        BASE[1],
        grant(
            "2000-02-15",
            "w1",
            "emp",
            200_000,
            "0.10",
            kind="option",
            plan="plan",
            exclusion="employee-plan",
        ),
        issue("2000-03-01", "angel", "common", 500_000, "0.50"),
    ]
    assert cp(run(events)) == Fraction(49, 54)
    s = run([*events, amend(shares=300_000, exercise_price="0.05")])
    assert cp(s) == Fraction(51, 56)
    assert s.plans["plan"].granted == 300_000


def test_art_iv_b_3d_i_e_3_reading_at_change() -> None:
    """Under option-change-recompute=at-change the $1.20 warrant lowered to $0.50 is first
    taken out as on an expiry: the $0.45 issue then has A = 2,000,000, B = 45,000,
    C = 100,000, CP = 2,045,000 / 2,100,000 = 409/420; then 500,000 are deemed issued at
    $0.50 on 2000-06-01: A = 1,100,000 + 1,000,000 x 420/409 = 869,900,000/409,
    B = 250,000 x 420/409 = 105,000,000/409, C = 500,000,
    CP = 409/420 x (974,900,000/409) / (1,074,400,000/409) = 3,987,341/4,512,480."""
    s = run(
        [*BASE, W_120, LATER, amend(exercise_price="0.50")],
        readings={"option-change-recompute": "at-change"},
    )
    assert cp(s) == Fraction(3_987_341, 4_512_480)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([*BASE, W_050, amend()], "gives neither"),
        ([*BASE, amend(exercise_price="0.10")], "grant 'w1' does not exist"),
        ([*BASE, W_050, amend(exercise_price="0.50")], "leaves grant w1 as it was"),
        (
            [*BASE, W_050, {"date": "2000-04-01", "type": "exercise", "grant": "w1",
                            "shares": 100_000}, amend(shares=100_000)],
            "has had 100,000 shares exercised or lapsed",
        ),
        (
            [*BASE, W_050, {"date": "2000-04-01", "type": "expire", "grant": "w1"},
             amend(exercise_price="0.10")],
            "no shares outstanding",
        ),
        (
            [*BASE, dict(W_050, expires="2000-05-31"), amend(exercise_price="0.10")],
            "expired on 2000-05-31",
        ),
        (
            [grant("1999-08-19", "w1", "bank", 300_000, "1.00",
                   exclusion="warrant-1999-08-19"), amend(shares=300_001)],
            "covers 300,000 shares in all and 300,001 would be claimed",
        ),
    ],
    ids=["nothing", "unknown", "same", "below-exercised", "nothing-left", "expired",
         "named-count"],
)  # fmt: skip
def test_art_iv_b_3d_i_e_3_amendment_refused(events: list[dict[str, object]], message: str) -> None:
    with pytest.raises(CharterError, match=message):
        run(events)


PRICES = ["0.10", "0.50", "0.80", "0.95", "0.99", "1.20", "2.00"]
step = st.tuples(
    st.sampled_from(["issue", "grant", "expire"]), st.integers(1, 400_000), st.sampled_from(PRICES)
)
change = st.tuples(st.integers(0, 50), st.sampled_from([None, *PRICES]), st.integers(0, 400_000))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=20), st.lists(change, min_size=1, max_size=4))
def test_art_iv_b_3d_i_e_5_recompute_equals_a_history_with_the_changed_terms_from_issue(
    steps: list[tuple[str, int, str]], changes: list[tuple[int, str | None, int]]
) -> None:
    """Recomputed from the grant's point (not from the beginning), a change of terms gives the
    prices of the history in which each grant had its changed terms from the start ((E)(5):
    the shares deemed issued and the consideration deemed paid are adjusted), and each grant
    that expired was never made ((E)(4)). Grants at $2.00 are above every Conversion Price
    (Series A $1.00, Series B $1.43): lowered, they must find their place on the timeline,
    with A as later expiries and changes of earlier grants left it."""
    events: list[dict[str, object]] = [
        *BASE,
        issue("2000-02-02", "f2", "series_b", 500_000, "1.43"),
    ]
    day = dt.date(2000, 3, 1)
    grants: dict[str, dict[str, object]] = {}
    expired: set[str] = set()
    for kind, shares, price in steps:
        day += dt.timedelta(days=40)
        live = sorted(set(grants) - expired)
        if kind == "expire" and live:
            gid = live[shares % len(live)]
            events.append({"date": day.isoformat(), "type": "expire", "grant": gid})
            expired.add(gid)
        elif kind == "issue":
            events.append(issue(day.isoformat(), "angel", "common", shares, price))
        else:
            g = grant(day.isoformat(), f"g{len(grants)}", "bank", shares, price)
            grants[str(g["id"])] = g
            events.append(g)
    amended = dict(grants)
    alive = sorted(set(grants) - expired)
    for which, new_price, new_shares in changes:
        if not alive:
            break
        gid = alive[which % len(alive)]
        given_terms = (("exercise_price", new_price), ("shares", new_shares or None))
        terms = {k: v for k, v in given_terms if v}
        now = amended[gid]
        if not terms or all(now[k] == v for k, v in terms.items()):
            continue
        day += dt.timedelta(days=40)
        events.append({"date": day.isoformat(), "type": "grant_amend", "grant": gid, **terms})
        amended[gid] = {**now, **terms}
    s = run(events)
    shadow = [
        amended.get(str(e.get("id")), e) if e["type"] == "grant" else e
        for e in events
        if e["type"] not in ("grant_amend", "expire") and e.get("id") not in expired
    ]
    other = run(shadow, until=str(s.as_of))
    for c in ("series_a", "series_b"):
        assert s.conversion_price(c) == other.conversion_price(c)
