"""Art. IV.B.3(a)-(c), (h): conversion, elections, the IPO; Art. IV.B.4 notices; the change
of certificate at the IPO. Figures worked by hand from the text."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.errors import CharterError
from charter.rules.captable import captable, captable_json
from charter.rules.ipo import ipo_json, simulate_ipo
from charter.rules.notices import record_date_notices
from charter.state.rofr import offering_date
from tests.conftest import EXAMPLE
from tests.ledgers.builder import issue, run

# Series A 500,000 (f1) + 300,000 (f2); Series B 200,000 (f3); Series E 3 shares (f4) and
# 1,000,000 (f1); Series F 1,450,000 (f2). Common 1,000,000 (founder).
HOLDINGS = [
    issue("1999-01-01", "founder", "common", 1_000_000, "0.001"),
    issue("1999-02-01", "f1", "series_a", 500_000, "1.00"),
    issue("1999-02-01", "f2", "series_a", 300_000, "1.00"),
    issue("1999-03-01", "f3", "series_b", 200_000, "1.43"),
    issue("1999-04-01", "f4", "series_e", 3, "4.15"),
    issue("1999-04-01", "f1", "series_e", 1_000_000, "4.15"),
    issue("1999-05-01", "f2", "series_f", 1_450_000, "8.25"),
]


def election(consents: list[str], **kw: object) -> dict[str, object]:
    return {
        "date": "1999-06-01",
        "type": "convert_election",
        "classes": ["series_a", "series_b", "series_c", "series_d"],
        "consents": consents,
        **kw,
    }


def test_art_iv_b_3a_election_needs_a_majority_of_a_to_d_as_one_class() -> None:
    """A-D outstanding: 500,000 + 300,000 + 200,000 = 1,000,000. f1 alone holds 500,000:
    exactly half, not a majority: refused, nothing converts."""
    with pytest.raises(CharterError, match=r"cover 500,000 of the 1,000,000 .* more than 1/2"):
        run([*HOLDINGS, election(["f1"])])


def test_art_iv_b_3a_c_election_converts_all_a_to_d_with_cash_amounts() -> None:
    """f1 + f3 hold 700,000 of 1,000,000: the election carries, and every A-D share converts,
    f2's too. Ratios 1.00/1.00 and 1.43/1.43 = 1. Cash: f1 500,000 x 0.925 = 462,500;
    f2 300,000 x 0.925 = 277,500; f3 200,000 x 1.325 = 265,000; total 1,005,000.
    Funds available 502,500 (half): each is paid half now and owed the other half (3(c))."""
    s = run([*HOLDINGS, election(["f1", "f3"], funds_available="502500")])
    assert s.outstanding.get("series_a", 0) == 0 and s.outstanding.get("series_b", 0) == 0
    assert s.held("f2", "common") == 300_000 and s.held("f3", "common") == 200_000
    assert s.cash_paid["f1"]["series_a"] == 231_250
    assert s.cash_owed["f1"]["series_a"] == 231_250
    assert s.cash_owed["f3"]["series_b"] == 132_500
    assert s.cash_owed["f2"]["series_a"] == 138_750


def test_art_iv_b_3a_c_cash_amount_includes_declared_unpaid_dividends() -> None:
    """With $0.10 a share declared and unpaid on Series A, f1's Cash Amount is
    500,000 x (0.925 + 0.10) = 512,500."""
    from charter.state.conversion import cash_per_share

    declared = {"date": "1999-07-01", "type": "dividend", "kind": "cash"}
    s = run([*HOLDINGS, dict(declared, per_share={"series_a": "0.10"})])
    c = s.stock_class("series_a")
    assert c is not None
    assert cash_per_share(s, c) * 500_000 == 512_500


def test_art_iv_b_3b_ii_b_series_e_converts_on_sixty_percent_consent() -> None:
    """Series E: 1,000,003 outstanding; f1's 1,000,000 is at least 60%: converts. f4's 3
    shares alone are not."""
    e = {"date": "1999-06-01", "type": "convert_election", "classes": ["series_e"]}
    s = run([*HOLDINGS, dict(e, consents=["f1"])])
    assert s.outstanding.get("series_e", 0) == 0
    with pytest.raises(CharterError, match="at least 3/5"):
        run([*HOLDINGS, dict(e, consents=["f4"])])


def test_art_iv_b_3b_iii_b_series_f_needs_more_than_half() -> None:
    """Series F converts on the consent of "at least a majority" of its shares: more than
    half. f2 and f3 hold 700,000 each: f2's 700,000 of 1,400,000 is exactly half: refused.
    With one share more for f2 (700,001 of 1,400,001) it converts."""
    base = [
        issue("1999-05-01", "f2", "series_f", 700_000, "8.25"),
        issue("1999-05-01", "f3", "series_f", 700_000, "8.25"),
    ]
    e = {
        "date": "1999-06-01",
        "type": "convert_election",
        "classes": ["series_f"],
        "consents": ["f2"],
    }
    with pytest.raises(CharterError, match=r"cover 700,000 of the 1,400,000 .* more than 1/2"):
        run([*base, e])
    s = run([*base, issue("1999-05-02", "f2", "series_f", 1, "8.25"), e])
    assert s.outstanding.get("series_f", 0) == 0
    assert s.held("f2", "common") == 700_001


def test_art_iv_b_3a_holder_option_and_more_than_held() -> None:
    """Series F converts at the holder's option; converting more than held is refused, and
    Series A may not convert alone."""
    conv = {"date": "1999-06-01", "type": "convert", "holder": "f2", "class": "series_f"}
    s = run([*HOLDINGS, dict(conv, shares=450_000)])
    assert s.held("f2", "series_f") == 1_000_000 and s.held("f2", "common") == 450_000
    with pytest.raises(CharterError, match="cannot convert 1,450,001 shares of series_f"):
        run([*HOLDINGS, dict(conv, shares=1_450_001)])
    with pytest.raises(CharterError, match="converts only on the election"):
        run([*HOLDINGS, dict(conv, holder="f1", **{"class": "series_a"}, shares=1)])


def test_art_iv_b_3b_i_qualified_offering_boundary() -> None:
    """'not less than $40,000,000 in the aggregate': $40,000,000.00 qualifies;
    $39,999,999.99 does not; nor does a best-efforts offering."""
    s = run(HOLDINGS)
    assert simulate_ipo(s, Fraction(10), Fraction(40_000_000)).qualified
    assert not simulate_ipo(s, Fraction(10), Fraction("39999999.99")).qualified
    assert not simulate_ipo(s, Fraction(10), Fraction(40_000_000), firm_commitment=False).qualified


def test_art_iv_b_3b_ii_series_e_price_protection_at_and_below_the_series_e_price() -> None:
    """At $8.30 (not 'less than $8.30') Series E converts 1:1. At $8.29 each share converts
    into 8.30/8.29 = 1.001206 common: f1's 1,000,000 -> 1,001,206.27 -> 1,001,206."""
    s = run(HOLDINGS)
    at = simulate_ipo(s, Fraction("8.30"), Fraction(50_000_000)).conversions
    assert not at.classes["series_e"].ratchet_applied
    below = simulate_ipo(s, Fraction("8.29"), Fraction(50_000_000)).conversions
    assert below.classes["series_e"].ratchet_applied
    f1 = next(x for x in below.holders if (x.holder, x.class_id) == ("f1", "series_e"))
    assert f1.common == 1_001_206


def test_art_iv_b_3b_iii_series_f_price_protection_at_eleven_dollars() -> None:
    """At $11.00 Series F converts 1:1 (8.25/8.25). At $10.00: 11.00/10.00 = 1.1 > 1:
    f2's 1,450,000 -> 1,595,000 common."""
    s = run(HOLDINGS)
    at = simulate_ipo(s, Fraction(11), Fraction(50_000_000)).conversions
    assert not at.classes["series_f"].ratchet_applied
    below = simulate_ipo(s, Fraction(10), Fraction(50_000_000)).conversions
    f2 = next(x for x in below.holders if x.class_id == "series_f")
    assert f2.common == 1_595_000


def test_art_iv_b_3h_rounding_on_the_holders_aggregate() -> None:
    """f4's 3 Series E at $7.00: 3 x 8.30/7.00 = 3.557 -> 4 common (per share 1.1857 would
    round each share to 1, giving 3)."""
    s = run(HOLDINGS)
    conv = simulate_ipo(s, Fraction(7), Fraction(50_000_000)).conversions
    f4 = next(x for x in conv.holders if x.holder == "f4")
    assert f4.common == 4


def test_art_iv_b_3h_reading_rounding_per_series_or_on_the_whole_conversion() -> None:
    """f3 also holds 3 Series E and 3 Series F; IPO at $7.00. Series E: 3 x 8.30/7.00 = 24.90/7
    = 3.557 -> 4; Series F: 3 x 11.00/7.00 = 33/7 = 4.714 -> 5; per series 4 + 5 = 9 common.
    On the whole conversion: 24.90/7 + 33/7 = 57.90/7 = 8.271 -> 8 common, the difference
    of -1 shown on f3's last series (Series F: 4). (f3's Series B converts 1:1 to 200,000
    either way: 200,000 x 1.43/1.43 is whole.)"""
    more = [
        *HOLDINGS,
        issue("1999-05-02", "f3", "series_e", 3, "4.15"),
        issue("1999-05-02", "f3", "series_f", 3, "8.25"),
    ]

    def f3(readings: dict[str, str] | None) -> dict[str, int]:
        conv = simulate_ipo(run(more, readings=readings), Fraction(7), Fraction(50_000_000))
        return {
            x.class_id: x.common
            for x in conv.conversions.holders
            if x.holder == "f3" and x.class_id != "series_b"
        }

    assert f3(None) == {"series_e": 4, "series_f": 5}
    assert f3({"conversion-rounding-aggregate": "whole-conversion"}) == {
        "series_e": 4,
        "series_f": 4,
    }


def test_art_iv_b_3b_split_adjusts_the_series_e_price() -> None:
    """After a 2:1 split of the common the Series E Price, as a price per share of common, is
    8.30/2 = 4.15, and the Conversion Price 4.15/2 = 2.075 (2 common per share). At an IPO
    price of $4.00 (an $8.00 price before the split) the offering is below 4.15, so the
    protection is tested:
    in-proportion (default): (X) kept in proportion to the split, 8.30/4.00 = 2.075 common
    a share > 2, so it applies: 2.075 x $4.00 = $8.30 a share, as at $8.00 before the split
    (8.30/8.00 = 1.0375 common at $8.00 = $8.30).
    one-price: 4.15/4.00 = 1.0375 < 2: the protection gives nothing, 2 common a share."""
    split = {"date": "1999-06-01", "type": "split", "class": "common", "ratio": "2:1"}
    s = run([*HOLDINGS, split])
    cc = simulate_ipo(s, Fraction(4), Fraction(50_000_000)).conversions.classes["series_e"]
    assert (cc.common_per_share, cc.ratchet_applied) == (Fraction(83, 40), True)
    s = run([*HOLDINGS, split], readings={"ipo-protection-splits": "one-price"})
    cc = simulate_ipo(s, Fraction(4), Fraction(50_000_000)).conversions.classes["series_e"]
    assert (cc.common_per_share, cc.ratchet_applied) == (2, False)


IPO = {"date": "1999-09-30", "type": "ipo", "id": "ipo", "price": "16.00",
       "gross_proceeds": "60000000", "effective_date": "1999-09-27"}  # fmt: skip


def test_post_ipo_certificate_in_force_from_the_closing() -> None:
    """The ipo event converts all preferred (A-D with their Cash Amounts: f1 462,500,
    f2 277,500, f3 265,000) and puts the post-IPO certificate (100,000,000 common, no written
    consent) in force; as of the day before, the restated certificate still applies. The
    offering date (effective 1999-09-27) is recorded for the ROFR and the stand-off."""
    s = run([*HOLDINGS, IPO])
    assert s.certificate.id == "post-ipo"
    assert s.certificate.common.authorized == 100_000_000
    assert not s.certificate.voting.stockholder_written_consent
    assert s.outstanding["common"] == 1_000_000 + 1_000_000 + 1_000_003 + 1_450_000
    assert sum(v for by in s.cash_paid.values() for v in by.values()) == 1_005_000
    assert offering_date(s) == dt.date(1999, 9, 27)
    assert run([*HOLDINGS, IPO], until="1999-09-29").certificate.id == "restated-1999-08-24"
    assert captable(s).certificate == "post-ipo"
    with pytest.raises(CharterError, match="already recorded"):
        run([*HOLDINGS, IPO, dict(IPO, id="ipo2", date="1999-10-01")])


def test_art_iv_b_3c_ipo_cash_short_paid_ratably() -> None:
    """Cash due 1,005,000; funds 201,000 = 1/5: f3 is paid 53,000 of 265,000, owed 212,000.
    The HOLDINGS end on 1999-05-01: payable within ten days, by 1999-05-11."""
    s = run(HOLDINGS)
    r = ipo_json(simulate_ipo(s, Fraction(16), Fraction(60_000_000), Fraction(201_000)))
    assert r["cash"] == {
        "due": "1005000.00",
        "paid_at_conversion": "201000.00",
        "owed": "804000.00",
        "payable_by": "1999-05-11",
    }
    f3 = r["holders"]["f3"]["series_b"]  # type: ignore[index]
    assert (f3["cash"], f3["cash_paid"], f3["cash_owed"]) == ("265000.00", "53000.00", "212000.00")


def test_art_iv_b_4_notice_of_record_date_twenty_days_before() -> None:
    """A property dividend with record date 1999-07-30 declared 1999-07-01: notice to every
    preferred holder by 1999-07-10; declared 1999-07-20, it can no longer be on time."""
    div = {"date": "1999-07-01", "type": "dividend", "kind": "property",
           "per_share": {"common": "1.00"}, "record_date": "1999-07-30", "id": "div"}  # fmt: skip
    [n] = record_date_notices(run([*HOLDINGS, div]))
    assert n.mail_by == dt.date(1999, 7, 10) and n.on_time_possible
    assert n.to == ["f1", "f2", "f3", "f4"]
    [late] = record_date_notices(run([*HOLDINGS, dict(div, date="1999-07-20")]))
    assert not late.on_time_possible
    cash = dict(div, kind="cash", per_share={"series_a": "0.20"})
    assert record_date_notices(run([*HOLDINGS, cash])) == []


def test_art_iv_b_4_notice_of_a_record_for_a_right_to_subscribe() -> None:
    """A record for a right to subscribe, taken on 1999-08-15 by a resolution of 1999-07-01:
    notice to every preferred holder (f1, f2, f3, f4; not the founder, who holds only common)
    by 1999-08-15 - 20 days = 1999-07-26, stating the right. A record date before the
    resolution fixing it is refused (DGCL §213(a)); the property dividend's notice states its
    amount: 1.00 per share of common."""
    right = {"date": "1999-07-01", "type": "take_record", "id": "rights",
             "record_date": "1999-08-15",
             "right": "one right per share to subscribe for 0.1 Series G at $12.00"}  # fmt: skip
    [n] = record_date_notices(run([*HOLDINGS, right]))
    assert (n.event, n.kind, n.mail_by) == ("rights", "right", dt.date(1999, 7, 26))
    assert n.to == ["f1", "f2", "f3", "f4"] and n.on_time_possible
    assert n.character == "one right per share to subscribe for 0.1 Series G at $12.00"
    with pytest.raises(CharterError, match=r"record_date: the record date 1999-06-30 precedes"):
        run([*HOLDINGS, dict(right, record_date="1999-06-30")])
    div = {"date": "1999-07-01", "type": "dividend", "kind": "property",
           "per_share": {"common": "1.00"}, "record_date": "1999-07-30"}  # fmt: skip
    [d] = record_date_notices(run([*HOLDINGS, div]))
    assert d.character == "property dividend: 1.000000 per share of common"


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 1_500_000), st.sampled_from(["0.37", "0.90", "1.00", "3.33"]))
def test_art_iv_b_3h_converting_keeps_as_converted_count_but_for_rounding(
    shares: int, price: str
) -> None:
    """Converting never changes the as-converted common except by the rounding of 3(h):
    a dilutive issue sets a Conversion Price; the holder's common after converting differs from
    shares x ratio by at most half a share."""
    s = run(
        [
            issue("2000-01-01", "founder", "common", 1_000_000, "0.001"),
            issue("2000-02-01", "f2", "series_f", shares, "8.25"),
            issue("2000-03-01", "angel", "common", 700_000, price),
            {
                "date": "2000-04-01",
                "type": "convert",
                "holder": "f2",
                "class": "series_f",
                "shares": shares,
            },
        ]
    )
    exact = shares * s.conversion_ratio("series_f")
    assert abs(s.held("f2", "common") - exact) <= Fraction(1, 2)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "charter"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, check=False)


def test_cli_ipo_json_contract_shape() -> None:
    """`charter ipo --price 16 --gross 60000000 --json` on the example: Series A converts 1:1
    with $0.925 a share. The Cash Amounts are payable within ten calendar days of the
    conversion (Art. IV.B.3(c)): closing on 1999-10-31 (the example's last date), by
    1999-11-10."""
    out = _cli("ipo", "--ledger", str(EXAMPLE), "--price", "16", "--gross", "60000000", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["qualified"] is True
    assert data["classes"]["series_a"]["cash_per_share"] == "0.925000"
    assert set(data["cash"]) >= {"due", "paid_at_conversion", "owed"}
    assert data["cash"]["payable_by"] == "1999-11-10"


def test_cli_ipo_bad_price_is_one_sentence() -> None:
    out = _cli("ipo", "--ledger", str(EXAMPLE), "--price", "1.5e3", "--gross", "1", "--json")
    assert out.returncode == 1 and "--price" in out.stderr and "Traceback" not in out.stderr
    bad = _cli("conversion-prices", "--ledger", str(EXAMPLE), "--reading", "nope=1")
    assert bad.returncode == 1 and "no reading named 'nope'" in bad.stderr


def test_cli_conversion_prices_and_notices_json() -> None:
    out = _cli("conversion-prices", "--ledger", str(EXAMPLE), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["series_a"]["conversion_price"] == "1.000000"
    assert data["series_a"]["carried_forward"] == "0.000000"
    notices = _cli("notices", "--ledger", str(EXAMPLE), "--json")
    assert json.loads(notices.stdout) == {"notices": []}


CONDITIONED = election(["f1", "f3"], id="elect", conditioned_on_closing=True)
SMALL_OFFERING = {"date": "1999-09-30", "type": "ipo", "id": "ipo", "price": "16.00",
                  "gross_proceeds": "30000000", "funds_available": "201000"}  # fmt: skip


def test_art_iv_b_3c_conversion_conditioned_on_the_closing_occurs_after_it() -> None:
    """f1 + f3 (700,000 of 1,000,000 A-D) elect on 1999-06-01 to convert, conditioned on the
    closing. Until the closing nothing converts: f1 still holds its 500,000 Series A and the
    cap table shows the conversion waiting. The offering closes on 1999-09-30 at $30,000,000,
    below the $40,000,000 of 3(b)(i): not qualified, so Series E and F stay preferred, but the
    elected conversion is "deemed to have occurred ... immediately subsequent to the closing":
    A-D convert 1:1 (f1 500,000, f2 300,000, f3 200,000 common) with Cash Amounts of 1,005,000,
    of which the 201,000 available at the closing pays 1/5: f3 is paid 265,000 / 5 = 53,000
    and owed 212,000, payable by 1999-09-30 + 10 days = 1999-10-10."""
    waiting = run([*HOLDINGS, CONDITIONED, SMALL_OFFERING], until="1999-09-29")
    assert waiting.held("f1", "series_a") == 500_000
    assert captable_json(captable(waiting))["pending_conversions"] == [
        {"date": "1999-06-01", "event": "elect",
         "classes": ["series_a", "series_b", "series_c", "series_d"]}
    ]  # fmt: skip
    s = run([*HOLDINGS, CONDITIONED, SMALL_OFFERING])
    assert s.outstanding.get("series_a", 0) == 0 and s.outstanding.get("series_b", 0) == 0
    assert (s.held("f1", "common"), s.held("f2", "common"), s.held("f3", "common")) == (
        500_000,
        300_000,
        200_000,
    )
    assert (s.outstanding["series_e"], s.outstanding["series_f"]) == (1_000_003, 1_450_000)
    assert s.certificate.id == "restated-1999-08-24" and s.pending_conversions == []
    assert (s.cash_paid["f3"]["series_b"], s.cash_owed["f3"]["series_b"]) == (53_000, 212_000)
    [record] = s.cash_history
    assert (record.event, record.payable_by) == ("ipo", dt.date(1999, 10, 10))


def test_art_iv_b_3c_conditioned_conversion_lapses_when_the_offering_does_not_close() -> None:
    """The offering is withdrawn on 1999-08-01: the conditioned conversion never occurs; the
    Series A stays preferred, and an offering that closes later converts nothing under that
    election."""
    withdrawn = {"date": "1999-08-01", "type": "offering_withdrawn"}
    s = run([*HOLDINGS, CONDITIONED, withdrawn])
    assert s.pending_conversions == [] and s.held("f1", "series_a") == 500_000
    later = run([*HOLDINGS, CONDITIONED, withdrawn, SMALL_OFFERING])
    assert later.held("f1", "series_a") == 500_000 and later.cash_history == []


def test_art_iv_b_3c_conditioned_conversion_bad_input() -> None:
    """Nothing waiting: a withdrawal cancels nothing. The funds available are those at the
    conversion, which is the closing: not on the election."""
    with pytest.raises(CharterError, match="no conversion is waiting") as e:
        run([*HOLDINGS, {"date": "1999-08-01", "type": "offering_withdrawn"}])
    assert e.value.problems[0].citation == "Art. IV.B.3(c)"
    with pytest.raises(CharterError, match="give funds_available on the ipo event"):
        run([*HOLDINGS, dict(CONDITIONED, funds_available="1000")])
