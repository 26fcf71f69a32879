"""Art. IV.B.3(c) with Art. IV.B.2: Cash Amounts that an earlier conversion left unpaid for want
of legally available funds are a claim against a later liquidation's proceeds, ranked by the
reading owed-cash-amount-priority, and paid exactly once across the conversion, the later
payments and the liquidation."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.numbers import decimal_str
from charter.rules.waterfall import waterfall, waterfall_json
from tests.ledgers.builder import issue, run

F = Fraction

# Series A: f1 500,000 and f2 300,000; Series B: f3 200,000; Series F: f4 100,000 (not in the
# group, still outstanding). Cash Amounts at the election: f1 462,500, f2 277,500, f3 265,000
# (1,005,000); the funds legally available, 502,500, pay half: owed f1 231,250, f2 138,750,
# f3 132,500 (502,500). Common after: founder 1,000,000 + 500,000 + 300,000 + 200,000.
CONVERTED = [
    issue("1999-01-01", "founder", "common", 1_000_000, "0.001"),
    issue("1999-02-01", "f1", "series_a", 500_000, "1.00"),
    issue("1999-02-01", "f2", "series_a", 300_000, "1.00"),
    issue("1999-03-01", "f3", "series_b", 200_000, "1.43"),
    issue("1999-04-01", "f4", "series_f", 100_000, "8.25"),
    {"date": "1999-06-01", "type": "convert_election", "id": "elect",
     "classes": ["series_a", "series_b", "series_c", "series_d"], "consents": ["f1", "f3"],
     "funds_available": "502500"},
]  # fmt: skip


def test_art_iv_b_3c_owed_cash_amounts_paid_first_in_a_later_liquidation() -> None:
    """owed-cash-amount-priority = before-all-preferences (default), exit $1,000,000: the
    502,500 owed is paid in full first (f1 231,250, f2 138,750, f3 132,500); the Series F
    preference (8.25 x 100,000 = 825,000) has the other 497,500; nothing is left for the
    Common. Converting would give the Series F 497,500 x 100,000 / 2,100,000: it does not."""
    w = waterfall(run(CONVERTED), F(1_000_000))
    got = w.holders
    assert got["f1"]["series_a"] == 231_250
    assert got["f2"]["series_a"] == 138_750
    assert got["f3"]["series_b"] == 132_500
    assert got["f4"]["series_f"] == 497_500
    assert sum(got["founder"].values(), F(0)) == 0
    data = waterfall_json(w)
    assert data["cash_owed"] == {
        "owed": "502500.00",
        "paid": "502500.00",
        "rank": "before-all-preferences",
        "citation": "Art. IV.B.3(c)",
        "holders": {
            "f1": {"series_a": {"owed": "231250.00", "paid": "231250.00"}},
            "f2": {"series_a": {"owed": "138750.00", "paid": "138750.00"}},
            "f3": {"series_b": {"owed": "132500.00", "paid": "132500.00"}},
        },
    }
    assert data["readings"]["owed-cash-amount-priority"] == "before-all-preferences"  # type: ignore[index]
    assert any("Cash Amounts owed since an earlier conversion" in x for x in data["trace"])  # type: ignore[union-attr]
    assert sum(
        F(h["amount"])
        for h in data["holders"].values()  # type: ignore[union-attr]
    ) == F(1_000_000)


def test_art_iv_b_3c_owed_ranked_as_a_cash_amount_after_series_f() -> None:
    """as-cash-amount-priority (with cash-amount-priority = beside-own-preferences: the
    Series A and B rank), exit $1,000,000: the Series F preference 825,000 first; the 175,000
    left pays the owed ratably, 175,000 / 502,500 = 70/201 of each: f1 231,250 x 70/201 =
    16,187,500/201; f2 138,750 x 70/201 = 9,712,500/201; f3 132,500 x 70/201 =
    9,275,000/201."""
    settings = {"owed-cash-amount-priority": "as-cash-amount-priority"}
    got = waterfall(run(CONVERTED), F(1_000_000), settings).holders
    assert got["f4"]["series_f"] == 825_000
    assert got["f1"]["series_a"] == F(16_187_500, 201)
    assert got["f2"]["series_a"] == F(9_712_500, 201)
    assert got["f3"]["series_b"] == F(9_275_000, 201)


def test_art_iv_b_3c_owed_after_all_preferences() -> None:
    """after-all-preferences, exit $1,500,000: the Series F 825,000; the owed 502,500 in full;
    the 172,500 left shared by the 2,100,000 as converted (the Series F under its cap does not
    convert: 172,500 x 100,000 / 2,100,000 = 8,214.28... more, 833,214.28 < 12.375 x
    100,000): f1 its owed 231,250 and, on its 500,000 common, 172,500 x 500,000 / 2,100,000;
    founder 172,500 x 1,000,000 / 2,100,000 = 1,725,000/21."""
    settings = {"owed-cash-amount-priority": "after-all-preferences"}
    got = waterfall(run(CONVERTED), F(1_500_000), settings).holders
    assert got["f1"]["series_a"] == 231_250
    assert got["f1"]["common"] == F(172_500 * 500_000, 2_100_000)
    assert got["founder"]["common"] == F(1_725_000, 21)


def test_art_iv_b_3c_what_was_paid_later_is_not_paid_again() -> None:
    """A cash_amount_payment of 402,000 after the election pays 80% of what is owed
    (402,000 / 502,500): f1 185,000, f2 111,000, f3 106,000. Owed then: f1 46,250,
    f2 27,750, f3 26,500 (100,500); a liquidation at $1,000,000 pays exactly that (ranked
    first), and f1 has had 462,500 in all, its Cash Amount, once."""
    pay = {"date": "1999-09-01", "type": "cash_amount_payment", "funds_available": "402000"}
    s = run([*CONVERTED, pay])
    got = waterfall(s, F(1_000_000)).holders
    assert got["f1"]["series_a"] == 46_250
    assert got["f3"]["series_b"] == 26_500
    assert s.cash_paid["f1"]["series_a"] + got["f1"]["series_a"] == 462_500


# --- brute force: paid exactly once ----------------------------------------------------------

A_CASH, B_CASH = F("0.925"), F("1.325")  # Art. IV.B.3(a)(i)-(ii), per share, from the text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a1=st.integers(1, 500).map(lambda n: 2 * n),
    a2=st.integers(0, 500).map(lambda n: 2 * n),
    b=st.integers(0, 500).map(lambda n: 2 * n),
    at_conversion=st.fractions(0, 1),
    later=st.fractions(0, 1),
    exit_cents=st.integers(0, 300_000),
    rank=st.sampled_from(
        ["before-all-preferences", "as-cash-amount-priority", "after-all-preferences"]
    ),
)
def test_property_art_iv_b_3c_each_cash_amount_paid_exactly_once(
    a1: int, a2: int, b: int, at_conversion: Fraction, later: Fraction, exit_cents: int, rank: str
) -> None:
    """Small ledgers: Series A (h1 a1, h2 a2) and Series B (h3 b) convert with a part of the
    total Cash Amounts legally available; a part of the rest is paid later; then a
    liquidation. Computed apart from the program from the text: each holder is due shares x
    $0.925 (A) or $1.325 (B). Whatever the exit and the rank, no holder receives more than
    it is due in all; with an exit at least what is still owed ranked first, or large enough
    for every rank, each receives exactly what it is due."""
    due = {("f1", "series_a"): a1 * A_CASH, ("f2", "series_a"): a2 * A_CASH}
    due[("f3", "series_b")] = b * B_CASH
    total = sum(due.values(), F(0))
    funds = (total * at_conversion * 100).__floor__() / F(100)
    events = [
        issue("1999-01-01", "founder", "common", 1_000, "0.001"),
        issue("1999-02-01", "f1", "series_a", a1, "1.00"),
        *([issue("1999-02-01", "f2", "series_a", a2, "1.00")] if a2 else []),
        *([issue("1999-03-01", "f3", "series_b", b, "1.43")] if b else []),
        {"date": "1999-06-01", "type": "convert_election", "consents": ["f1", "f2", "f3"],
         "classes": ["series_a", "series_b", "series_c", "series_d"],
         "funds_available": decimal_str(funds)},
    ]  # fmt: skip
    pay = ((total - funds) * later * 100).__floor__() / F(100)
    if pay:
        events.append(
            {
                "date": "1999-09-01",
                "type": "cash_amount_payment",
                "funds_available": decimal_str(pay),
            }
        )
    s = run(events)
    for exit_value in (F(exit_cents, 100), total * 2 + 10_000):
        got = waterfall(s, exit_value, {"owed-cash-amount-priority": rank}).holders
        for (h, c), d in due.items():
            received = s.cash_paid.get(h, {}).get(c, F(0)) + got.get(h, {}).get(c, F(0))
            assert received <= d
            if exit_value > total * 2:
                assert received == d
            if exit_value >= total and rank == "before-all-preferences":
                assert received == d


@pytest.mark.parametrize("rank", ["before-all-preferences", "as-cash-amount-priority"])
def test_nothing_owed_no_claim(rank: str) -> None:
    """With the Cash Amounts paid in full at the conversion, a waterfall has no claim for
    them and does not report the reading."""
    paid = [*CONVERTED[:-1], {**CONVERTED[-1], "funds_available": "1005000"}]
    data = waterfall_json(waterfall(run(paid), F(1_000_000), {"owed-cash-amount-priority": rank}))
    assert "cash_owed" not in data
    assert "owed-cash-amount-priority" not in data["readings"]  # type: ignore[operator]
