"""Dividends (Art. IV.B.1), worked by hand on Quintus with 1,000,000 shares of every class.

Rates per annum (1(a)): A 0.20, B 0.286, C 0.382, D 0.55, E 0.83, F 1.65 per share; in all
3.898 x 1,000,000 = 3,898,000 of full preferential amounts.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hyp

from charter.errors import CharterError
from charter.rules.dividends import dividend, dividend_json
from charter.state.dividends import DeclaredDividend
from tests.conftest import ROOT
from tests.quintus_tables import ONE_MILLION_EACH, state_of

F = Fraction


def test_art_iv_b_1a_less_than_full_is_ratable_to_full_preferential() -> None:
    """Declared 1,949,000 = half of 3,898,000: each series receives half its rate (A 0.10,
    F 0.825 per share); common nothing."""
    r = dividend(state_of("quintus", ONE_MILLION_EACH), F(1_949_000))
    assert r.classes["series_a"] == 100_000
    assert r.classes["series_f"] == 825_000
    assert r.classes.get("common", 0) == 0


def test_art_iv_b_1a_if_greater_as_paid_on_other_shares() -> None:
    """Declared 5,000,000 > 3,898,000: common receives d per share and each preferred share
    max(rate, d). With D, E, F above d: 4,000,000 d + 0.55M + 0.83M + 1.65M = 5,000,000 gives
    d = 1,970,000/4,000,000 = 0.4925, above C's 0.382 and below D's 0.55: consistent.
    Common, A, B, C 0.4925; D 0.55; E 0.83; F 1.65."""
    r = dividend(state_of("quintus", ONE_MILLION_EACH), F(5_000_000))
    assert r.classes["common"] == 492_500
    assert r.classes["series_a"] == 492_500
    assert r.classes["series_d"] == 550_000
    assert r.classes["series_f"] == 1_650_000
    assert r.trace.interpretations == {
        "dividend-if-greater-basis": "as-converted",
        "dividend-year": "calendar",
        "dividend-other-shares": "common",
    }


def test_art_iv_b_1a_non_cumulative_only_the_same_year_counts() -> None:
    """Half the rates were declared on 2000-02-01 (1,949,000). Another 1,949,000 later in 2000
    fills the other half: each series again half its rate. As of 2001 the earlier year counts
    for nothing: 1,949,000 is again half of the full amounts."""
    half = {
        "series_a": "0.10",
        "series_b": "0.143",
        "series_c": "0.191",
        "series_d": "0.275",
        "series_e": "0.415",
        "series_f": "0.825",
    }
    extra = [
        {
            "date": "2000-02-01",
            "type": "dividend",
            "kind": "cash",
            "per_share": half,
            "paid_date": "2000-02-15",
        }
    ]
    st = state_of("quintus", ONE_MILLION_EACH, extra)
    r = dividend(st, F(1_949_000))
    assert r.classes["series_f"] == 825_000
    assert r.classes.get("common", 0) == 0
    more = dividend(st, F(1_949_000 + 1_000_000))
    assert more.classes["common"] > 0  # above the year's remaining preference, common shares
    st.as_of = st.as_of.replace(year=2001) if st.as_of else None
    assert dividend(st, F(1_949_000)).classes["series_f"] == 825_000


def test_art_iv_b_1a_reading_calendar_year_or_twelve_months() -> None:
    """Half the rates were declared on 2000-11-01; 2,923,500 (three quarters of the full
    3,898,000) is declared as of 2001-02-01.
    calendar (default): 2000 counts for nothing in 2001; 2,923,500 < 3,898,000 is shared
    ratably, three quarters of each rate: F 1.65 x 3/4 x 1,000,000 = 1,237,500; common 0.
    twelve-months: 2000-11-01 falls in the year 2000-02-02 .. 2001-02-01, so each series has
    had half its rate (A 0.10, B 0.143, C 0.191, D 0.275, E 0.415, F 0.825) and the year's
    amounts are measured per annum: with the Common paid d this year, a series is due
    max(rate, d) in the year, less what it had. Remaining at d = 0: 1,949,000 < 2,923,500, so
    the Common shares. Try d in [0.382, 0.55] (A, B, C brought to d; D, E, F to their rates):
    d + (d - 0.10) + (d - 0.143) + (d - 0.191) + 0.275 + 0.415 + 0.825 = 2.9235, that is
    4d - 0.434 + 1.515 = 2.9235, 4d = 1.8425, d = 0.460625, within the interval. Common 460,625; A 360,625; B 317,625; C 269,625; D 275,000; E 415,000;
    F 825,000 (sum 2,923,500). Over the year A has 0.460625, the Common's amount, not the
    rate plus it."""
    half = {"series_a": "0.10", "series_b": "0.143", "series_c": "0.191", "series_d": "0.275",
            "series_e": "0.415", "series_f": "0.825"}  # fmt: skip
    extra = [{"date": "2000-11-01", "type": "dividend", "kind": "cash", "per_share": half}]
    st = state_of("quintus", ONE_MILLION_EACH, extra)
    st.as_of = dt.date(2001, 2, 1)
    calendar = dividend(st, F(2_923_500))
    assert calendar.classes["series_f"] == 1_237_500
    assert calendar.classes.get("common", 0) == 0
    trailing = dividend(st, F(2_923_500), settings={"dividend-year": "twelve-months"})
    assert trailing.classes["common"] == 460_625
    assert trailing.classes["series_a"] == 360_625
    assert trailing.classes["series_c"] == 269_625
    assert trailing.classes["series_d"] == 275_000
    assert trailing.classes["series_e"] == 415_000
    assert trailing.classes["series_f"] == 825_000
    assert trailing.trace.interpretations["dividend-year"] == "twelve-months"


def test_art_iv_b_1b_property_shared_as_converted() -> None:
    """A property distribution worth 700,000 is shared by the 7,000,000 shares as converted
    (ratio 1): 0.10 per share of every class."""
    r = dividend(state_of("quintus", ONE_MILLION_EACH), F(700_000), "property")
    assert all(v == 100_000 for v in r.classes.values())
    assert len(r.classes) == 7


def test_holders_add_up_to_the_cent() -> None:
    """1,000,000.01 among the holders: the cents add up exactly."""
    r = dividend(state_of("quintus", ONE_MILLION_EACH), F("1000000.01"))
    assert sum(v for by in r.holders.values() for v in by.values()) == 100_000_001
    assert dividend_json(r)["amount"] == "1000000.01"


def test_bad_kind_and_negative_amount_are_refused() -> None:
    st = state_of("quintus", ONE_MILLION_EACH)
    with pytest.raises(CharterError, match="not a kind of dividend"):
        dividend(st, F(1), "shares")
    with pytest.raises(CharterError, match="non-negative"):
        dividend(st, F(-1))


def test_dividend_event_on_unknown_class_is_rejected() -> None:
    """A ledger dividend on a class the certificate does not have: one sentence naming it."""
    with pytest.raises(CharterError, match="class 'series_z' does not exist"):
        state_of(
            "quintus",
            ONE_MILLION_EACH,
            [
                {
                    "date": "2000-02-01",
                    "type": "dividend",
                    "kind": "cash",
                    "per_share": {"series_z": "0.10"},
                }
            ],
        )


def test_cli_dividend_bad_amount_one_sentence() -> None:
    """`charter dividend --amount 1.2.3`: one sentence on stderr, exit 1, no traceback."""
    p = subprocess.run(
        [
            str(ROOT / ".venv/bin/charter"),
            "dividend",
            "--ledger",
            str(ROOT / "examples/quintus.yaml"),
            "--amount",
            "1.2.3",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert p.returncode == 1
    assert "not a decimal amount" in p.stderr and "Traceback" not in p.stderr


# --- the preference per annum, and declarations checked (issue 11 §3) ----------------------

FULL = {"series_a": "0.20", "series_b": "0.286", "series_c": "0.382", "series_d": "0.55",
        "series_e": "0.83", "series_f": "1.65"}  # fmt: skip
RATES = {c: F(v) for c, v in FULL.items()}


def _cash(date: str, per_share: dict[str, str]) -> dict[str, object]:
    return {"date": date, "type": "dividend", "kind": "cash", "per_share": per_share}


def test_art_iv_b_1a_per_annum_rate_then_common_never_rate_plus_common() -> None:
    """On 2000-03-01 the board paid every series its full rate (3,898,000). A second
    declaration of 1,000,000 later in 2000: per annum a preferred share is due max(rate, d)
    where d is what the Common has in the year, less what it had. Per 1,000,000 shares:
    try d in [0.286, 0.382] (A, B brought to d): d + (d - 0.20) + (d - 0.286) = 1 gives
    d = 1.486/3 = 0.4953..., outside; try [0.382, 0.55] (A, B, C): 4d - 0.868 = 1 gives
    d = 0.467, inside. Common 467,000; A 267,000 (0.467 in the year, not 0.20 + 0.467);
    B 181,000; C 85,000; D, E, F nothing (their rates are above 0.467)."""
    st = state_of("quintus", ONE_MILLION_EACH, [_cash("2000-03-01", FULL)])
    r = dividend(st, F(1_000_000))
    assert r.classes["common"] == 467_000
    assert r.classes["series_a"] == 267_000
    assert r.classes["series_b"] == 181_000
    assert r.classes["series_c"] == 85_000
    assert r.classes.get("series_d", 0) == 0


def test_art_iv_b_1a_dividend_on_common_before_the_preference_is_refused() -> None:
    """A cash dividend of $0.10 on the Common with nothing on the preferred that year is
    refused with the clause: each preferred share is due its rate first. Paying each series
    its rate in the same event (or earlier in the year) makes it valid; in 2001 the 2000
    dividends count for nothing and the Common alone is refused again. With the Common at
    $0.30 in the year, the Series A is due max(0.20, 0.30) = 0.30: its 0.20 is not enough."""
    on_common = _cash("2000-06-01", {"common": "0.10"})
    with pytest.raises(
        CharterError, match=r"series_a has had \$0\.00 a share.*Art\. IV\.B\.1\(a\)"
    ):
        state_of("quintus", ONE_MILLION_EACH, [on_common])
    state_of("quintus", ONE_MILLION_EACH, [_cash("2000-06-01", {**FULL, "common": "0.10"})])
    state_of("quintus", ONE_MILLION_EACH, [_cash("2000-03-01", FULL), on_common])
    with pytest.raises(CharterError, match="in the year from 2001-01-01"):
        state_of(
            "quintus",
            ONE_MILLION_EACH,
            [_cash("2000-03-01", FULL), dict(on_common, date="2001-02-01")],
        )
    with pytest.raises(CharterError, match=r"series_a has had \$0\.20 a share.*: \$0\.30 a share"):
        state_of("quintus", ONE_MILLION_EACH, [_cash("2000-06-01", {**FULL, "common": "0.30"})])


def test_art_iv_b_1a_reading_other_shares_every_class() -> None:
    """dividend-other-shares = every-class: each series is due at least what any other is
    paid (as converted, one common a share here), so every series' full amount is the
    Series F's 1.65 x 1,000,000; 3,898,000 declared is 3,898,000 / 9,900,000 of the six
    full amounts, the same for each: 1,650,000 x 3,898 / 9,900 = 1,949,000/3 a series.
    common (default): the rates themselves, all paid in full."""
    st = state_of("quintus", ONE_MILLION_EACH)
    every = dividend(st, F(3_898_000), settings={"dividend-other-shares": "every-class"})
    assert every.classes["series_a"] == every.classes["series_f"] == F(1_949_000, 3)
    default = dividend(st, F(3_898_000))
    assert default.classes["series_a"] == 200_000
    assert default.classes["series_f"] == 1_650_000


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amounts=hyp.lists(hyp.integers(1, 800_000_000), min_size=1, max_size=5),
    reading=hyp.sampled_from(["as-converted", "per-share"]),
)
def test_property_art_iv_b_1a_preference_per_annum(amounts: list[int], reading: str) -> None:
    """Any sequence of cash declarations in one year, each shared by the rule and recorded:
    after each, a preferred share has had at least its rate whenever the Common has had
    anything, and never more than the greater of its rate and the Common's amount in the
    year (never the rate plus it). Rates from the text, 1(a); conversion ratio 1."""
    st = state_of("quintus", ONE_MILLION_EACH)
    settings_ = {"dividend-if-greater-basis": reading}
    for i, cents in enumerate(amounts):
        r = dividend(st, F(cents, 100), settings=settings_)
        st.dividends.append(
            DeclaredDividend(
                dt.date(2000, 2, 1 + i),
                "cash",
                {c: v / r.shares[c] for c, v in r.classes.items()},
                None,
            )
        )
        st.as_of = dt.date(2000, 2, 1 + i)
        year: dict[str, Fraction] = {}
        for d in st.dividends:
            for c, v in d.per_share.items():
                year[c] = year.get(c, F(0)) + v
        common = year.get("common", F(0))
        for c, rate in RATES.items():
            got = year.get(c, F(0))
            if common:
                assert got >= rate, (c, got)
            assert got <= max(rate, common), (c, got, common)


def test_art_iv_b_1a_classes_paid_add_up_to_the_dividend_declared() -> None:
    """Declared 1.00 (100 cents) on a million shares of each series, less than the full
    3,898,000: each series has 100 x rate / 3.898 cents, A 5.1308, B 7.3371, C 9.7999,
    D 14.1098, E 21.2930, F 42.3294. Rounded one by one, the classes would show 0.05 + 0.07 +
    0.10 + 0.14 + 0.21 + 0.42 = 0.99. Paid in whole cents over the whole dividend (largest
    remainder): floors 5 + 7 + 9 + 14 + 21 + 42 = 98, the two cents left to C (.7999) and
    B (.3371): A 0.05, B 0.08, C 0.10, D 0.14, E 0.21, F 0.42, which add up to 1.00."""
    data = dividend_json(dividend(state_of("quintus", ONE_MILLION_EACH), F(1)))
    classes = data["classes"]
    assert isinstance(classes, dict)
    paid = {c: v["paid"] for c, v in classes.items()}
    assert paid == {
        "series_a": "0.05",
        "series_b": "0.08",
        "series_c": "0.10",
        "series_d": "0.14",
        "series_e": "0.21",
        "series_f": "0.42",
    }
    assert classes["series_b"]["amount"] == "0.07"  # the exact 0.073371..., rounded alone
