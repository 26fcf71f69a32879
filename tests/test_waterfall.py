"""The liquidation waterfall of Art. IV.B.2 with the conversion choices of Art. IV.B.3(a),
worked by hand on Quintus with 1,000,000 shares of every class, one holder each (c1 common,
ha..hf Series A..F), at the original issue prices (conversion ratio 1).

Figures used throughout (Art. IV.B.2(a), 2(b), 3(a)):
  Series F preference 8.25 x 1M = 8,250,000 (rank 1)
  Series A-E preferences 1.00 + 1.43 + 1.91 + 2.75 + 4.15 = 11.24 x 1M = 11,240,000 (rank 2)
  Cash Amounts 0.925 + 1.325 + 1.765 + 2.544 = 6.559 x 1M = 6,559,000
  caps: Series E 10.375, Series F 12.375 per share, preference included.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from charter.errors import CharterError
from charter.rules.waterfall import Waterfall, deviations, waterfall, waterfall_json
from charter.state.dividends import declared_unpaid
from tests.quintus_tables import ONE_MILLION_EACH, state_of

F = Fraction


@pytest.fixture(scope="module")
def q():  # type: ignore[no-untyped-def]
    return state_of("quintus", ONE_MILLION_EACH)


def amounts(w: Waterfall) -> dict[str, Fraction]:
    return {s.id: w.split.total(s.id) for s in w.company.seats}


def test_art_iv_b_2a_series_f_paid_first_below_its_preference(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 5,000,000 < Series F preference 8,250,000: Series F takes all 5,000,000; nobody
    else receives anything; nobody converts (converting pays 0, as does not: indifferent)."""
    w = waterfall(q, F(5_000_000))
    assert amounts(w)["series_f"] == 5_000_000
    assert sum(amounts(w).values()) == 5_000_000
    assert not w.profile.converted and not w.profile.elected
    assert waterfall_json(w)["holders"]["hf"]["amount"] == "5000000.00"  # type: ignore[index]


def test_art_iv_b_2a_series_a_e_short_ratable_to_full_preferential(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 12,000,000: F takes 8,250,000; 3,750,000 remain for A-E claims of 11,240,000, paid
    ratably at 3,750,000 / 11,240,000 = 375/1124.
    Series A: 1,000,000 x 375/1124 = 333,629.893... -> 333,629.89
    Series E: 4,150,000 x 375/1124 = 1,384,564.056... -> 1,384,564.06
    A-D would not convert: Cash Amounts beside E (6,559,000 + 4,150,000 = 10,709,000) paid at
    3,750,000/10,709,000; Series A would get 925,000 x 3.75/10.709 = 323,905.1 < 333,629.9."""
    w = waterfall(q, F(12_000_000))
    a = amounts(w)
    assert a["series_a"] == F(1_000_000 * 375, 1124)
    assert a["series_e"] == F(4_150_000 * 375, 1124)
    assert a["common"] == 0
    j = waterfall_json(w)
    assert j["holders"]["ha"]["amount"] == "333629.89"  # type: ignore[index]
    assert j["holders"]["he"]["amount"] == "1384564.06"  # type: ignore[index]
    assert not w.profile.elected


def test_art_iv_b_3a_series_a_d_election_flips_with_majority(q) -> None:  # type: ignore[no-untyped-def]
    """After the preferences (8,250,000 + 11,240,000 = 19,490,000), A-D gain by converting when
    Cash Amount + w > preference, w being the common level once they convert:
    w = (exit - 8,250,000 - 4,150,000 - 6,559,000) / 7,000,000 (common, A-D, E, F).
    Series A gains when w > 0.075, B > 0.105, C > 0.145, D > 0.206. More than half of the
    4,000,000 A-D shares needs three series: the election flips when C gains, w > 0.145, i.e.
    exit > 18,959,000 + 0.145 x 7,000,000 = 19,974,000. At 19,974,000 C is indifferent (votes
    against: 2,000,000 of 4,000,000, not more than half); one cent more and C votes for."""
    at = waterfall(q, F(19_974_000))
    assert not at.profile.elected
    after = waterfall(q, F(1_997_400_001, 100))
    assert after.profile.elected == {"series_a_d"}
    # once converted, Series A receives 0.925 + w per share
    w = (F(1_997_400_001, 100) - 18_959_000) / 7_000_000
    assert after.split.total("series_a") == 1_000_000 * (F("0.925") + w)


def test_art_iv_b_2b_participation_below_both_caps(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 30,000,000: A-D convert (w well above 0.206). F 8,250,000; rank 2: E 4,150,000 and
    Cash Amounts 6,559,000; left 11,041,000 over 7,000,000 as-converted shares:
    w = 11,041,000/7,000,000 = 1.577285...; Series E 4.15 + w = 5.727286 < 10.375 and Series F
    8.25 + w = 9.827286 < 12.375 per share: no cap reached."""
    w = waterfall(q, F(30_000_000))
    level = F(11_041_000, 7_000_000)
    assert w.split.level == level
    assert w.split.total("series_e") == 1_000_000 * (F("4.15") + level)
    assert w.split.total("series_f") == 1_000_000 * (F("8.25") + level)
    assert not w.split.capped
    assert waterfall_json(w)["classes"]["series_e"]["per_share"] == "5.727286"  # type: ignore[index]


def test_art_iv_b_2b_series_f_capped(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 50,000,000 (A-D converted): left after F, E and the Cash Amounts is
    50,000,000 - 18,959,000 = 31,041,000. F reaches its cap 12.375 when w = 4.125: cost 4.125 x
    7,000,000 = 28,875,000; the remaining 2,166,000 goes to the other 6,000,000 shares:
    w = 4.125 + 0.361 = 4.486. F receives 12,375,000; E 4.15 + 4.486 = 8.636 per share."""
    w = waterfall(q, F(50_000_000))
    assert w.split.capped == ("series_f",)
    assert w.split.total("series_f") == 12_375_000
    assert w.split.total("series_e") == 8_636_000


def test_art_iv_b_2b_series_e_capped(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 70,000,000: left 51,041,000. F capped at w = 4.125 (28,875,000); E reaches 10.375 at
    w = 6.225: (6.225 - 4.125) x 6,000,000 = 12,600,000 more (41,475,000 in all); the
    remaining 9,566,000 goes to the 5,000,000 common and converted A-D shares:
    w = 6.225 + 1.9132 = 8.1382. Neither E nor F converts: converting E would give it
    (70,000,000 - 8,250,000 - 6,559,000 - 4,125,000)/6,000,000 = 8.511 < 10.375."""
    w = waterfall(q, F(70_000_000))
    assert set(w.split.capped) == {"series_e", "series_f"}
    assert w.split.total("series_e") == 10_375_000
    assert w.split.level == F("8.1382")
    assert not w.profile.converted


def test_art_iv_b_3a_series_e_converts(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 90,000,000: E converted, F capped: w = (90,000,000 - 8,250,000 - 6,559,000 -
    4,125,000)/6,000,000 = 71,066,000/6,000,000 = 11.844333 > 10.375 (E's cap if it did not
    convert), so E receives 1,000,000 x 71,066,000/6,000,000; F converting would give
    (90,000,000 - 6,559,000)/7,000,000 = 11.92 < 12.375: F keeps its preference."""
    w = waterfall(q, F(90_000_000))
    assert w.profile.converted == {"series_e"}
    assert w.split.total("series_e") == F(71_066_000, 6)
    assert w.split.total("series_f") == 12_375_000


def test_art_iv_b_3a_everyone_converts(q) -> None:  # type: ignore[no-untyped-def]
    """Exit 100,000,000: all convert; only the Cash Amounts (6,559,000) rank ahead; w =
    93,441,000/7,000,000 = 13.348714 > 12.375 (F's cap) > 10.375 (E's cap). Series A receives
    0.925 + 13.348714 per share."""
    w = waterfall(q, F(100_000_000))
    assert w.profile.converted == {"series_e", "series_f"}
    assert w.profile.elected == {"series_a_d"}
    assert w.split.level == F(93_441_000, 7_000_000)
    assert w.split.total("series_f") == 13_348_714 + F(2, 7)
    assert waterfall_json(w)["converted"] == {  # type: ignore[comparison-overlap]
        "series_a": True,
        "series_b": True,
        "series_c": True,
        "series_d": True,
        "series_e": True,
        "series_f": True,
    }


def test_option_exercised_when_in_the_money() -> None:
    """An option on 100,000 common at $1.00 (holder o1). With A-D converted, common receives
    w = (exit - 18,959,000 + 100,000 x 1.00)/7,100,000 if exercised: equal to $1.00 at exit
    25,959,000 (indifferent: not exercised; then w = 7,000,000/7,000,000 = 1.00 too). Ten cents
    more and it is exercised; the holder receives 100,000 x w - 100,000 net. The option is
    granted to an employee under the exception of Art. IV.B.3(d)(ii)(B), so it does not
    dilute: every conversion ratio stays 1."""
    st = state_of(
        "quintus",
        ONE_MILLION_EACH,
        [
            {
                "date": "2000-02-01",
                "type": "grant",
                "id": "o1",
                "kind": "option",
                "holder": "o1",
                "class": "common",
                "shares": 100_000,
                "exercise_price": "1.00",
                "exclusion": "employee-plan",
            }
        ],
    )
    at = waterfall(st, F(25_959_000))
    assert at.exercised == []
    above = waterfall(st, F("25959000.10"))
    assert above.exercised == ["o1"]
    w = (F("25959000.10") - 18_959_000 + 100_000) / 7_100_000
    assert above.holders["o1"]["common"] == 100_000 * w - 100_000
    assert sum(sum(by.values()) for by in above.cents.values()) == 2_595_900_010


def test_cash_amount_priority_reading_changes_the_result(q) -> None:  # type: ignore[no-untyped-def]
    """Before all preferences, the Cash Amounts (6,559,000) are paid first when A-D convert; at
    exit 100,000,000 everyone converts anyway, so the result is the same, but the reading is
    recorded. At 12,000,000 A-D still do not convert under before-all-preferences? Converting
    would pay A-D 6,559,000 in full ahead of F and give F 5,441,000: A-D gain (each series gets
    its Cash Amount, more than its ratable 375/1124 of its preference), so they elect."""
    w = waterfall(q, F(12_000_000), {"cash-amount-priority": "before-all-preferences"})
    assert w.profile.elected == {"series_a_d"}
    assert w.split.total("series_f") == 12_000_000 - 6_559_000
    assert w.trace.interpretations["cash-amount-priority"] == "before-all-preferences"


def test_art_iv_b_2a_declared_unpaid_dividends_add_to_preferences() -> None:
    """A dividend of $0.10 per Series A and $0.10 per Series F share declared 2000-02-01 and not
    paid: the Series F preference becomes 8.35 (undeclared-unpaid-dividends = declared-unpaid)
    and Series A 1.10. Exit 5,000,000 < 8,350,000 all to F; exit 8,400,000: F 8,350,000,
    then 50,000 over A-E claims of 11,240,000 + 100,000 = 11,340,000. Under the reading
    `nothing`, F's preference stays 8.25 (it says "undeclared but unpaid")."""
    st = state_of(
        "quintus",
        ONE_MILLION_EACH,
        [
            {
                "date": "2000-02-01",
                "type": "dividend",
                "kind": "cash",
                "per_share": {"series_a": "0.10", "series_f": "0.10"},
            }
        ],
    )
    w = waterfall(st, F(8_400_000))
    assert w.split.total("series_f") == 8_350_000
    assert w.split.total("series_a") == F(50_000 * 1_100_000, 11_340_000)
    w2 = waterfall(st, F(8_400_000), {"undeclared-unpaid-dividends": "nothing"})
    assert w2.split.total("series_f") == 8_250_000


def test_paid_dividend_no_longer_adds() -> None:
    """The same dividend paid on 2000-03-01: as of 2000-03-01 nothing is unpaid, and F's
    preference is 8.25 again; as of 2000-02-15 it is still 8.35."""
    extra = [
        {
            "date": "2000-02-01",
            "type": "dividend",
            "kind": "cash",
            "per_share": {"series_f": "0.10"},
            "paid_date": "2000-03-01",
        },
        {"date": "2000-03-01", "type": "assert", "class": "series_f", "outstanding": 1_000_000},
    ]
    st = state_of("quintus", ONE_MILLION_EACH, extra)
    assert waterfall(st, F(9_000_000)).split.total("series_f") == 8_250_000
    assert declared_unpaid(st, dt.date(2000, 2, 15)) == {"series_f": F("0.10")}


def test_bad_exit_values_are_refused(q) -> None:  # type: ignore[no-untyped-def]
    """A negative exit, or one with fractions of a cent, is one clear sentence."""
    with pytest.raises(CharterError, match="cannot be negative"):
        waterfall(q, F(-1))
    with pytest.raises(CharterError, match="whole number of cents"):
        waterfall(q, F("1.005"))


@pytest.mark.parametrize("exit_value", [0, 5_000_000, 19_974_000, 30_000_000, 95_000_000])
def test_choices_are_an_equilibrium(q, exit_value: int) -> None:  # type: ignore[no-untyped-def]
    """No decision-maker would gain by choosing otherwise."""
    w = waterfall(q, F(exit_value))
    assert deviations(w.company, w.profile, w.exit_value) == []
