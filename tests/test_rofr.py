"""The right of first refusal as a process (Bylaws Art. VIII §1(a)-(i)).

Dates are counted by hand: "for thirty days following receipt" of a notice received on
1 October 1999 runs 2 October .. 31 October, so 31 October is the option's last day.
"""

from __future__ import annotations

from typing import Any

import pytest

from charter.errors import CharterError
from charter.rules.rofr import status_json
from charter.state.rofr import votes_needed
from tests.transfer_helpers import ipo, notice, run, transfer


def refused(events: list[dict[str, Any]], *words: str) -> str:
    """Replay must refuse exactly one event with one sentence containing `words`."""
    with pytest.raises(CharterError) as err:
        run(events)
    assert len(err.value.problems) == 1, err.value
    sentence = err.value.problems[0].sentence()
    for w in words:
        assert w in sentence, sentence
    return sentence


# --- (b) the company's option: 30 days after receipt ------------------------------------------


def test_bylaws_viii_1b_option_exercised_on_its_last_day() -> None:
    """Received 1 Oct 1999; 1 Oct + 30 days = 31 Oct, the last day the company may elect."""
    s = run([notice("1999-10-01"), {"date": "1999-10-31", "type": "rofr_exercise", "notice": "n1"}])
    assert s.rofr_notices["n1"].phase(s.as_of) == "exercised"


def test_bylaws_viii_1b_option_cannot_be_exercised_the_day_after() -> None:
    """1 Nov 1999 is day 31 after receipt on 1 Oct: the option has expired."""
    refused(
        [notice("1999-10-01"), {"date": "1999-11-01", "type": "rofr_exercise", "notice": "n1"}],
        "ran through 1999-10-31",
        "Bylaws Art. VIII §1(b)",
    )


def test_bylaws_viii_1b_received_later_than_recorded_starts_the_clock_on_receipt() -> None:
    """Recorded 1 Oct, received by the company 5 Oct: 5 Oct + 30 = 4 Nov is the last day."""
    s = run(
        [
            notice("1999-10-01", received="1999-10-05"),
            {"date": "1999-11-04", "type": "rofr_exercise", "notice": "n1"},
        ]
    )
    assert s.rofr_notices["n1"].option_expires.isoformat() == "1999-11-04"


def test_bylaws_viii_1b_all_not_less_than_all() -> None:
    """The company may not elect 600 of the 1,000 noticed shares."""
    refused(
        [
            notice("1999-10-01"),
            {"date": "1999-10-10", "type": "rofr_exercise", "notice": "n1", "shares": 600},
        ],
        "must elect all of them, not 600",
        "§1(b)",
    )


def test_bylaws_viii_1b_gift_is_priced_at_the_boards_fair_market_value() -> None:
    """A gift (price 0) needs the board's fair market value; the company then pays it:
    1,000 shares at $1.25 = $1,250.00, settled by a repurchase at $1.25 per share."""
    refused([notice("1999-10-01", price="0")], "fair_market_value", "§1(b)")
    s = run(
        [
            notice("1999-10-01", price="0", fair_market_value="1.25"),
            {"date": "1999-10-05", "type": "rofr_exercise", "notice": "n1"},
            {"date": "1999-10-20", "type": "repurchase", "holder": "seller", "class": "common",
             "shares": 1000, "price": "1.25", "rofr": "n1"},
        ]
    )  # fmt: skip
    assert s.rofr_notices["n1"].phase(s.as_of) == "completed"
    assert s.held("seller", "common") == 0


# --- (c) assignment in whole or in part ------------------------------------------------------


def test_bylaws_viii_1c_assignment_in_part_and_settlement_by_both() -> None:
    """400 assigned; the company elects its 1,000 - 400 = 600 and the assignee its 400;
    the company repurchases 600 and the assignee takes 400 by transfer: seller holds 0,
    assignee 400."""
    s = run(
        [
            notice("1999-10-01"),
            {"date": "1999-10-02", "type": "rofr_assign", "notice": "n1", "assignee": "assignee",
             "shares": 400},
            {"date": "1999-10-03", "type": "rofr_exercise", "notice": "n1"},
            {"date": "1999-10-04", "type": "rofr_exercise", "notice": "n1",
             "purchaser": "assignee"},
            {"date": "1999-10-20", "type": "repurchase", "holder": "seller", "class": "common",
             "shares": 600, "price": "2.00", "rofr": "n1"},
            transfer("1999-10-20", to="assignee", shares=400, price="2.00", rofr="n1"),
        ]
    )  # fmt: skip
    assert (s.held("seller", "common"), s.held("assignee", "common")) == (0, 400)
    assert s.rofr_notices["n1"].phase(s.as_of) == "completed"


def test_bylaws_viii_1c_partial_election_leaves_the_holder_free_after_expiry() -> None:
    """Assignee never elects its 400: only 600 of 1,000 are elected, so settlement is refused,
    and after 31 Oct the holder may sell to the named transferee."""
    part: list[dict[str, Any]] = [
        notice("1999-10-01"),
        {"date": "1999-10-02", "type": "rofr_assign", "notice": "n1", "assignee": "assignee",
         "shares": 400},
        {"date": "1999-10-03", "type": "rofr_exercise", "notice": "n1"},
    ]  # fmt: skip
    refused(
        [*part, {"date": "1999-10-20", "type": "repurchase", "holder": "seller",
                 "class": "common", "shares": 600, "price": "2.00", "rofr": "n1"}],
        "only 600 were elected",
    )  # fmt: skip
    s = run([*part, transfer("1999-11-01", price="2.00", rofr="n1")])
    assert s.held("buyer", "common") == 1000


def test_bylaws_viii_1c_only_an_assignee_may_exercise() -> None:
    refused(
        [
            notice("1999-10-01"),
            {"date": "1999-10-03", "type": "rofr_exercise", "notice": "n1", "purchaser": "other"},
        ],
        "other is not an assignee",
        "§1(c)",
    )


# --- (d) settlement within 30 days of the Secretary's receipt --------------------------------


def _exercised() -> list[dict[str, Any]]:
    return [notice("1999-10-01"), {"date": "1999-10-15", "type": "rofr_exercise", "notice": "n1"}]


def _repurchase(date: str, price: str = "2.00") -> dict[str, Any]:
    return {"date": date, "type": "repurchase", "holder": "seller", "class": "common",
            "shares": 1000, "price": price, "rofr": "n1"}  # fmt: skip


def test_bylaws_viii_1d_settlement_on_its_last_day() -> None:
    """Received 1 Oct: settlement due by 1 Oct + 30 = 31 Oct."""
    s = run([*_exercised(), _repurchase("1999-10-31")])
    assert s.rofr_notices["n1"].settlement_due.isoformat() == "1999-10-31"
    assert s.held("seller", "common") == 0


def test_bylaws_viii_1d_settlement_the_day_after_is_refused() -> None:
    refused([*_exercised(), _repurchase("1999-11-01")], "was due by 1999-10-31", "§1(d)")


def test_bylaws_viii_1d_reading_settlement_from_receipt_or_election() -> None:
    """Received 1 Oct, elected on the option's last day, 31 Oct; settled 15 Nov.
    Under the default reading rofr-settlement-from=receipt the settlement was due by
    1 Oct + 30 = 31 Oct, so 15 Nov is refused; under =election it is due by
    31 Oct + 30 = 30 Nov, and 15 Nov settles the notice."""
    events = [
        notice("1999-10-01"),
        {"date": "1999-10-31", "type": "rofr_exercise", "notice": "n1"},
        _repurchase("1999-11-15"),
    ]
    refused(events, "was due by 1999-10-31", "Secretary received the notice on 1999-10-01")
    s = run(events, readings={"rofr-settlement-from": "election"})
    assert s.rofr_notices["n1"].settlement_due.isoformat() == "1999-11-30"
    assert s.held("seller", "common") == 0
    assert status_json(s)["interpretations"]["rofr-settlement-from"] == "election"
    late = [*events[:2], _repurchase("1999-12-01")]
    with pytest.raises(CharterError) as err:
        run(late, readings={"rofr-settlement-from": "election"})
    sentence = err.value.problems[0].sentence()
    assert "was due by 1999-11-30" in sentence
    assert "election that completed the option on 1999-10-31" in sentence


def test_bylaws_viii_1d_settlement_at_the_noticed_price() -> None:
    refused([*_exercised(), _repurchase("1999-10-20", "1.50")], "not 1.50", "§1(d)")


def test_bylaws_viii_1d_property_paid_at_its_cash_value() -> None:
    """Noticed for property worth $1.80 a share in cash: the company settles at $1.80."""
    s = run(
        [
            notice("1999-10-01", cash_value="1.80", terms="a 1998 Porsche 911 for the lot"),
            {"date": "1999-10-15", "type": "rofr_exercise", "notice": "n1"},
            _repurchase("1999-10-20", "1.80"),
        ]
    )
    assert s.rofr_notices["n1"].phase(s.as_of) == "completed"


# --- (e) the holder's 60 days after the option expires ----------------------------------------


def test_bylaws_viii_1e_transfer_while_the_option_runs_is_void() -> None:
    """On 31 Oct (the option's last day) the holder may not yet sell."""
    refused(
        [notice("1999-10-01"), transfer("1999-10-31", price="2.00", rofr="n1")],
        "skips the company's option",
        "runs through 1999-10-31",
        "§1(h)",
    )


def test_bylaws_viii_1e_transfer_on_the_first_and_last_day_of_the_window() -> None:
    """Option expires 31 Oct; the window is the 60 days after: 1 Nov .. 31 Oct + 60 = 30 Dec
    (Nov 30 days + 30 days of Dec)."""
    s = run([notice("1999-10-01"), transfer("1999-11-01", price="2.00", rofr="n1")])
    assert s.held("buyer", "common") == 1000
    s = run([notice("1999-10-01"), transfer("1999-12-30", price="2.00", rofr="n1")])
    assert s.rofr_notices["n1"].transfer_window_ends.isoformat() == "1999-12-30"
    assert s.rofr_notices["n1"].phase(s.as_of) == "completed"


def test_bylaws_viii_1e_transfer_the_day_after_the_window_is_refused() -> None:
    refused(
        [notice("1999-10-01"), transfer("1999-12-31", price="2.00", rofr="n1")],
        "ended on 1999-12-30",
        "a new notice is needed",
    )


def test_bylaws_viii_1e_only_to_the_named_transferee_on_the_noticed_terms() -> None:
    refused(
        [notice("1999-10-01"), transfer("1999-11-05", to="other", price="2.00", rofr="n1")],
        "names buyer",
    )
    refused(
        [notice("1999-10-01"), transfer("1999-11-05", price="1.90", rofr="n1")],
        "differs from the noticed 2",
    )


def test_bylaws_viii_1e_transferee_is_bound_by_the_same_bylaw() -> None:
    """The buyer who took the shares cannot pass them on without the process (§1(e))."""
    refused(
        [
            notice("1999-10-01"),
            transfer("1999-11-01", price="2.00", rofr="n1"),
            {"date": "1999-11-02", "type": "transfer", "from": "buyer", "to": "emp",
             "class": "common", "shares": 10},
        ],
        "skips the written notice",
    )  # fmt: skip


def test_bylaws_viii_1e_exercised_shares_cannot_go_to_the_transferee() -> None:
    refused([*_exercised(), transfer("1999-11-05", price="2.00", rofr="n1")], "elected to buy")


# --- (f) exemptions, each on a recorded fact, and a near miss ---------------------------------

EXEMPT = [
    ("family", "spouse", "cousin"),
    ("existing-stockholder", "other", "buyer"),
    ("officer-or-director", "dir", "emp"),
    ("corporate-reorganization", "newco", "otherco"),
]


@pytest.mark.parametrize(("name", "to", "near_miss"), EXEMPT)
def test_bylaws_viii_1f_exemption_and_its_near_miss(name: str, to: str, near_miss: str) -> None:
    """(1) spouse is family-of:seller, the cousin family-of:other; (2) other holds 1,000
    common, the buyer none; (3) dir is a director, emp only an employee; (4) newco is
    successor-of:seller, otherco of other. (6) has its own tests (the distribution)."""
    s = run([transfer("1999-10-01", to=to, shares=100, exemption=name)])
    assert s.held(to, "common") == 100 + (1000 if to == "other" else 0)
    refused([transfer("1999-10-01", to=near_miss, shares=100, exemption=name)], "not exempt")


def test_bylaws_viii_1f5_partnership_distribution() -> None:
    """fund (a partnership) distributes Series A to its partner lp; not to lp-other, a
    partner of another holder."""

    def dist(to: str) -> dict[str, Any]:
        return {"date": "1999-10-01", "type": "transfer", "from": "fund", "to": to,
                "class": "series_a", "shares": 50, "exemption": "partnership-distribution"}  # fmt: skip

    assert run([dist("lp")]).held("lp", "series_a") == 50
    refused([dist("lp-other")], "lp-other is not recorded as partner-of:fund", "§1(f)(5)")


def test_bylaws_viii_1f_unknown_exemption_is_named() -> None:
    refused([transfer("1999-10-01", exemption="friendly")], "'friendly' is not an exemption")


# --- (g) waiver ------------------------------------------------------------------------------


def test_bylaws_viii_1g_board_waiver_frees_the_transfer_before_expiry() -> None:
    s = run(
        [
            notice("1999-10-01"),
            {"date": "1999-10-05", "type": "board_approval", "id": "b1",
             "approves": ["rofr-waiver:n1"]},
            {"date": "1999-10-05", "type": "rofr_waive", "notice": "n1", "by": "board",
             "board_approval": "b1"},
            transfer("1999-10-06", price="2.00", rofr="n1"),
        ]
    )  # fmt: skip
    assert s.held("buyer", "common") == 1000


def test_bylaws_viii_1g_stockholder_waiver_one_vote_short() -> None:
    """Voting power excluding the 1,000 shares to be transferred: other 400 + 600 = 1,000
    common (1 vote each) + fund 100 Series A x 10 votes per common share = 1,000; eligible
    2,000 (the seller's 1,000 votes are excluded). A majority is more than 1,000, so 1,001.
    fund alone has 1,000: one vote short."""
    refused(
        [
            notice("1999-10-01"),
            {"date": "1999-10-05", "type": "rofr_waive", "notice": "n1", "by": "stockholders",
             "consents": ["fund"]},
        ],
        "1,000 votes of the 2,000 eligible",
        "needs 1,001",
    )  # fmt: skip


def test_bylaws_viii_1g_stockholder_waiver_with_a_majority() -> None:
    """fund 1,000 + other 1,000 = 2,000 > 1,000 of 2,000: waived."""
    s = run(
        [
            notice("1999-10-01"),
            {"date": "1999-10-05", "type": "rofr_waive", "notice": "n1", "by": "stockholders",
             "consents": ["fund", "other"]},
            transfer("1999-10-06", price="2.00", rofr="n1"),
        ]
    )  # fmt: skip
    assert s.rofr_notices["n1"].phase(s.as_of) == "completed"


def test_bylaws_viii_1g_transferring_holders_own_noticed_votes_do_not_count() -> None:
    """seller notices 500 of its 1,000: its remaining 500 votes count. Eligible: 500 + 1,000
    + 1,000 = 2,500; needed 1,251; seller 500 + fund 1,000 = 1,500 passes, fund alone fails."""
    s = run(
        [
            notice("1999-10-01", shares=500),
            {"date": "1999-10-05", "type": "rofr_waive", "notice": "n1", "by": "stockholders",
             "consents": ["seller", "fund"]},
        ]
    )  # fmt: skip
    assert s.rofr_notices["n1"].waived_by == "stockholders"
    assert votes_needed(2500, __import__("fractions").Fraction(1, 2), True) == 1251


# --- (h) skipping a step, (i) the end of the right -------------------------------------------


def test_bylaws_viii_1h_transfer_without_notice_is_void() -> None:
    refused([transfer("1999-10-01")], "skips the written notice", "§1(h)")


def test_bylaws_viii_1i_right_ends_on_24_may_2005() -> None:
    """On 23 May 2005 the right is in force; on 24 May 2005 it has terminated."""
    refused([transfer("2005-05-23")], "skips the written notice")
    assert run([transfer("2005-05-24")]).held("buyer", "common") == 1000


def test_bylaws_viii_1i_right_ends_at_the_first_registered_offering() -> None:
    """Offering effective 15 Feb 2000: a transfer that day needs no notice; the day before
    it does."""
    refused([transfer("2000-02-14"), ipo("2000-02-15")], "skips the written notice")
    s = run([ipo("2000-02-15"), transfer("2000-02-15")])
    assert s.held("buyer", "common") == 1000


def test_bylaws_viii_1i_no_notice_after_the_right_ended() -> None:
    refused([notice("2005-06-01")], "ended on 2005-05-24")


# --- status ------------------------------------------------------------------------------------


def test_rofr_status_deadlines_and_states_over_time() -> None:
    """Received 1 Oct: option through 31 Oct, settlement by 31 Oct, window through 30 Dec.
    Open on 15 Oct; expired on 1 Nov; lapsed on 31 Dec."""
    events = [notice("1999-10-01")]
    n = status_json(run(events, until="1999-10-15"))["notices"][0]
    assert n == n | {
        "id": "n1",
        "holder": "seller",
        "class": "common",
        "shares": 1000,
        "price": "2.00",
        "received": "1999-10-01",
        "option_expires": "1999-10-31",
        "settlement_due": "1999-10-31",
        "transfer_window_ends": "1999-12-30",
        "state": "open",
    }
    assert status_json(run(events, until="1999-11-01"))["notices"][0]["state"] == "expired"
    assert status_json(run(events, until="1999-12-31"))["notices"][0]["state"] == "lapsed"


def test_bylaws_viii_1i_2_reading_effective_or_closing() -> None:
    """The right ends "upon the date securities ... are first offered to the public pursuant
    to a registration statement ... declared effective" (§1(i)(2)). Effective 2000-02-15,
    closing 2000-02-20 (the ipo event is dated at its closing). Under the default reading the
    right ended on 2000-02-15; under rofr-ends-on-offering=closing on 2000-02-20; the
    status reports the reading it relied on."""
    offering = {**ipo("2000-02-20", requested=False), "effective_date": "2000-02-15"}
    default = status_json(run([offering]))
    assert (default["ends"], default["interpretations"]) == (
        "2000-02-15",
        {"rofr-ends-on-offering": "effective"},
    )
    closing = status_json(run([offering], readings={"rofr-ends-on-offering": "closing"}))
    assert (closing["ends"], closing["interpretations"]) == (
        "2000-02-20",
        {"rofr-ends-on-offering": "closing"},
    )


# --- (i)(2) measured from the registration statement's effective date -------------------------


def registration(date: str, **more: Any) -> dict[str, Any]:
    return {"date": date, "type": "registration_effective", **more}


def closing(date: str) -> dict[str, Any]:
    """The offering's closing (the ipo event), with no effective date of its own."""
    return {"date": date, "type": "ipo", "price": "10.00", "gross_proceeds": "50000000.00"}


def test_bylaws_viii_1i_2_transfer_between_effective_date_and_closing_needs_no_notice() -> None:
    """Effective 15 Feb 2000, closing 20 Feb: the right ended "upon the date securities ...
    are first offered to the public pursuant to a registration statement ... declared
    effective", 15 Feb. A sale without notice on 17 Feb, before the closing, is valid; on
    14 Feb (before the effective date) it is void."""
    s = run([registration("2000-02-15"), transfer("2000-02-17"), closing("2000-02-20")])
    assert s.held("buyer", "common") == 1000
    assert status_json(s)["ends"] == "2000-02-15"
    refused([transfer("2000-02-14"), registration("2000-02-15")], "skips the written notice")


def test_bylaws_viii_1i_2_withdrawn_registration_lapses() -> None:
    """Effective 15 Feb 2000, withdrawn 1 Mar before any closing: a sale on 20 Feb (after the
    effective date) stands; from 1 Mar the right is in force again, so a sale without notice
    on 2 Mar is void, and the status says the right is in force until 24 May 2005."""
    base = [registration("2000-02-15"), transfer("2000-02-20", shares=100)]
    withdrawn = {"date": "2000-03-01", "type": "offering_withdrawn"}
    s = run([*base, withdrawn])
    assert s.held("buyer", "common") == 100
    assert (status_json(s)["in_force"], status_json(s)["ends"]) == (True, "2005-05-24")
    refused([*base, withdrawn, transfer("2000-03-02", shares=100)], "skips the written notice")


def test_bylaws_viii_1i_2_effective_date_behind_recorded_events_needs_its_own_event() -> None:
    """An ipo closing 20 Feb says its registration became effective on 15 Feb, but a sale of
    17 Feb was already checked as if no registration were effective: refused, with the event
    to record instead; a registration recorded on 15 Feb and a different effective_date on
    the ipo disagree: refused."""
    sale = {**transfer("2000-02-17", to="other", shares=10), "exemption": "existing-stockholder"}
    refused(
        [sale, {**closing("2000-02-20"), "effective_date": "2000-02-15"}],
        "record a registration_effective event on its date",
    )
    refused(
        [registration("2000-02-15"), {**closing("2000-02-20"), "effective_date": "2000-02-16"}],
        "recorded effective on 2000-02-15",
    )


# --- the end of the right binds the company too (§1(i)) ---------------------------------------


def test_bylaws_viii_1i_company_cannot_elect_or_assign_after_the_right_ended() -> None:
    """Notice received 10 May 2005: its 30 days would run to 9 June, but the right ended on
    24 May 2005. An election or an assignment on 24 May is refused; on 23 May the company
    still elects. On 24 May the status shows the unelected notice as lapsed, not open."""
    n = notice("2005-05-10")
    refused(
        [n, {"date": "2005-05-24", "type": "rofr_exercise", "notice": "n1"}],
        "ended on 2005-05-24",
        "can no longer elect",
    )
    refused(
        [n, {"date": "2005-05-24", "type": "rofr_assign", "notice": "n1", "assignee": "other"}],
        "ended on 2005-05-24",
    )
    s = run([n, {"date": "2005-05-23", "type": "rofr_exercise", "notice": "n1"}])
    assert s.rofr_notices["n1"].phase(s.as_of) == "exercised"
    assert status_json(run([n], until="2005-05-23"))["notices"][0]["state"] == "open"
    assert status_json(run([n], until="2005-05-24"))["notices"][0]["state"] == "lapsed"


def test_bylaws_viii_1i_2_notice_lapses_at_the_offering() -> None:
    """Notice received 1 Feb 2000 (option through 2 Mar); registration effective 15 Feb:
    from 15 Feb the notice has lapsed and the company cannot elect."""
    events = [notice("2000-02-01"), registration("2000-02-15")]
    assert status_json(run(events))["notices"][0]["state"] == "lapsed"
    refused(
        [*events, {"date": "2000-02-16", "type": "rofr_exercise", "notice": "n1"}],
        "ended on 2000-02-15",
    )


# --- (b) the board's fair market value only where the full price is not paid -----------------


def test_bylaws_viii_1b_full_cash_price_stands_above_the_boards_value() -> None:
    """Buyer pays $2.00 a share; the board values the shares at $0.50. The transferee pays
    the full price, so the company's option is at the noticed $2.00: 1,000 x $2.00 =
    $2,000.00; a settlement at $0.50 is refused."""
    events = [
        notice("1999-10-01", fair_market_value="0.50"),
        {"date": "1999-10-05", "type": "rofr_exercise", "notice": "n1"},
    ]
    assert run(events).rofr_notices["n1"].option_price == 2
    refused([*events, _repurchase("1999-10-20", price="0.50")], "price of 2 per share")
    assert run([*events, _repurchase("1999-10-20")]).held("seller", "common") == 0


def test_bylaws_viii_1b_price_below_the_boards_value_is_replaced_by_it() -> None:
    """A sale at $1.00 to a buyer of shares the board values at $1.50 is not at the full
    price: the company pays the deemed price, $1.50 a share."""
    s = run([notice("1999-10-01", price="1.00", fair_market_value="1.50")])
    assert s.rofr_notices["n1"].option_price == __import__("fractions").Fraction(3, 2)


def test_bylaws_viii_1b_nominal_price_is_flagged_not_settled() -> None:
    """The last price recorded for common is $1.00 (other's 600 shares, 2 Aug 1999). A notice
    at $0.01 with no fair market value is flagged in the status, and the company cannot
    settle at $0.01; once the board fixes $1.00 at the election, settlement is at $1.00
    (1,000 x $1.00 = $1,000.00)."""
    events = [notice("1999-10-01", price="0.01")]
    (warning,) = status_json(run(events))["notices"][0]["warnings"]
    assert "below the last price recorded for common (1" in warning
    elect = {"date": "1999-10-05", "type": "rofr_exercise", "notice": "n1"}
    refused([*events, elect, _repurchase("1999-10-20", price="0.01")], "cannot be settled")
    fixed = [*events, {**elect, "fair_market_value": "1.00"}, _repurchase("1999-10-20", "1.00")]
    s = run(fixed)
    assert (s.rofr_notices["n1"].option_price, s.held("seller", "common")) == (1, 0)
    assert status_json(s)["notices"][0]["warnings"] == []


# --- (e) as specified in the notice -------------------------------------------------------------


def test_bylaws_viii_1e_transfer_must_state_the_noticed_price_and_all_the_shares() -> None:
    """After the option expired (31 Oct), the holder may transfer "the shares as specified
    in" the notice: 1,000 at $2.00. Without a price, or 600 of the 1,000, it is refused."""
    refused([notice("1999-10-01"), transfer("1999-11-05", rofr="n1")], "states no price")
    refused(
        [notice("1999-10-01"), transfer("1999-11-05", shares=600, price="2.00", rofr="n1")],
        "specifies 1,000 shares, not 600",
    )


# --- (g) a waiver by the board needs its resolution ---------------------------------------------


def test_bylaws_viii_1g_board_waiver_needs_a_recorded_resolution() -> None:
    """ "by the corporation, upon duly authorized action of its Board of Directors": no
    board_approval named, or one approving something else, is refused."""
    waive = {"date": "1999-10-05", "type": "rofr_waive", "notice": "n1", "by": "board"}
    refused([notice("1999-10-01"), waive], "needs its duly authorized action", "§1(g)")
    other = {"date": "1999-10-05", "type": "board_approval", "id": "b1",
             "approves": ["acquisition"]}  # fmt: skip
    refused(
        [notice("1999-10-01"), other, {**waive, "board_approval": "b1"}],
        "approves acquisition, not rofr-waiver:n1",
    )


# --- (f)(1), (3), (6) -----------------------------------------------------------------------------


def test_bylaws_viii_1f1_runs_from_the_stockholder_to_its_family_not_back() -> None:
    """The trust is family-of:seller (a trustee for the seller's immediate family): the
    seller's gift of 100 to it is exempt; the trust's transfer of 50 back to the seller is
    not (the seller is not the trust's immediate family)."""
    gift = transfer("1999-10-01", to="trust", shares=100, exemption="family")
    assert run([gift]).held("trust", "common") == 100
    back = {"date": "1999-10-02", "type": "transfer", "from": "trust", "to": "seller",
            "class": "common", "shares": 50, "exemption": "family"}  # fmt: skip
    refused([gift, back], "runs only from a stockholder to its own immediate family")


def test_bylaws_viii_1f3_officer_at_the_time_of_the_transfer() -> None:
    """vp is vice-president from 1 Oct 1999 (office_begins) and leaves on 1 Dec 1999
    (office_ends): a transfer to vp on 30 Sep is not exempt, on 1 Oct and 30 Nov it is, on
    1 Dec it is not."""
    term = [
        {"date": "1999-10-01", "type": "office_begins", "holder": "vp",
         "office": "vice-president"},
        {"date": "1999-12-01", "type": "office_ends", "holder": "vp",
         "office": "vice-president"},
    ]  # fmt: skip

    def to_vp(date: str) -> dict[str, Any]:
        return transfer(date, to="vp", shares=10, exemption="officer-or-director")

    refused([to_vp("1999-09-30"), *term], "vp is recorded as neither")
    assert run([term[0], to_vp("1999-10-01"), to_vp("1999-11-30")]).held("vp", "common") == 20
    refused([*term, to_vp("1999-12-01")], "holds no office and no directorship on 1999-12-01")


def test_bylaws_viii_1f3_reading_undated_office() -> None:
    """dir is recorded `director` with no office event: exempt under the default reading
    (throughout), refused under rofr-undated-office=dated-only."""
    sale = transfer("1999-10-01", to="dir", shares=10, exemption="officer-or-director")
    assert run([sale]).held("dir", "common") == 10
    with pytest.raises(CharterError, match="dated-only"):
        run([sale], readings={"rofr-undated-office": "dated-only"})


def test_art_v_office_events_are_checked() -> None:
    """An office the bylaws do not name, or leaving an office not held, is refused."""
    refused([{"date": "1999-10-01", "type": "office_begins", "holder": "vp", "office": "czar"}],
            "'czar' is not an office of the bylaws")  # fmt: skip
    refused([{"date": "1999-10-01", "type": "office_ends", "holder": "vp", "office": "treasurer"}],
            "holds no office of treasurer", "Bylaws Art. V §5")  # fmt: skip


def _distribution(sh: int, sh2: int, parts: tuple[str, str] = ("2:3", "1:3")) -> list[Any]:
    return [{"holder": "sh", "shares": sh, "holding": parts[0]},
            {"holder": "sh2", "shares": sh2, "holding": parts[1]}]  # fmt: skip


def test_bylaws_viii_1f6_pro_rata_distribution_recorded() -> None:
    """seller (a corporate stockholder) distributes 300 common to its stockholders sh (2/3 of
    its stock) and sh2 (1/3): pro rata is 300 x 2/3 = 200 and 300 x 1/3 = 100."""
    dist = _distribution(200, 100)
    s = run(
        [
            transfer("1999-10-01", to="sh", shares=200, exemption="pro-rata-distribution",
                     distribution=dist),
            transfer("1999-10-01", to="sh2", shares=100, exemption="pro-rata-distribution",
                     distribution=dist),
        ]
    )  # fmt: skip
    assert (s.held("sh", "common"), s.held("sh2", "common")) == (200, 100)


@pytest.mark.parametrize(
    ("distribution", "words"),
    [
        (None, "the distribution is not recorded"),
        (_distribution(150, 150), "sh receives 150 of the 300 shares distributed"),
        (_distribution(200, 100, ("1:3", "1:6")), "add up to 1:2, not the whole"),
        ([{"holder": "sh", "shares": 200, "holding": "1:1"}], "gives sh 200 shares, not 150"),
    ],
)
def test_bylaws_viii_1f6_not_pro_rata_is_refused(distribution: Any, words: str) -> None:
    """Without the distribution, 150/150 against parts 2/3 and 1/3 (pro rata 200/100), parts
    adding to 1/3 + 1/6 = 1/2, or a distribution giving sh another number: refused."""
    more = {} if distribution is None else {"distribution": distribution}
    shares = 150 if distribution is None or len(distribution) == 1 else distribution[0]["shares"]
    refused(
        [transfer("1999-10-01", to="sh", shares=shares, exemption="pro-rata-distribution",
                  **more)],
        words,
        "§1(f)(6)",
    )  # fmt: skip


def test_bylaws_viii_1f_tail_exempt_transferee_holds_subject_to_the_bylaw() -> None:
    """ "the transferee ... shall receive and hold such stock subject to the provisions of
    this Bylaw": the spouse receives 100 common by the family exemption, and its own sale of
    them to the buyer without notice is void."""
    gift = transfer("1999-10-01", to="spouse", shares=100, exemption="family")
    resale = {"date": "1999-10-02", "type": "transfer", "from": "spouse", "to": "buyer",
              "class": "common", "shares": 100}  # fmt: skip
    refused([gift, resale], "the transfer of 100 common by spouse skips the written notice")
