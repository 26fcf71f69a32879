"""Approvals of corporate actions: the protective provisions (Art. IV.B.6), the DGCL votes,
the board (Bylaws Art. III §8) and the certificate's own elections."""

from __future__ import annotations

import pytest

from charter.errors import CharterError
from charter.rules.approvals import ApprovalsResult, Votes, evaluate, required_approvals
from charter.state.model import State
from charter.terms.model import TermsSet
from tests.builders import state_with

DIRECTORS = ["d1", "d2", "d3", "d4", "d5"]


def run(
    st: State,
    action: str,
    for_: list[str],
    against: tuple[str, ...] = (),
    series: str | None = None,
) -> ApprovalsResult:
    r = required_approvals(st, action, series)
    return evaluate(st, r, Votes(for_, list(against)), DIRECTORS, 5)


def one(r: ApprovalsResult, approval_id: str):  # type: ignore[no-untyped-def]
    return next(a for a in r.approvals if a.id == approval_id)


def a_holders(quintus: TermsSet, **shares: int) -> State:
    return state_with(quintus, {h: {"series_a": n} for h, n in shares.items()}, directors=DIRECTORS)


def test_art_iv_b_6a_seventy_five_percent_exactly_at_the_line(quintus: TermsSet) -> None:
    """Series A p 30, q 9, r 1 shares: 300 + 90 + 10 = 400 votes (10 per share). 75% of 400 =
    300: p alone (300) meets it, margin 0; q and r (100) do not."""
    st = a_holders(quintus, p=30, q=9, r=1)
    a = one(run(st, "create_senior_or_parity_security", ["p"]), "protective-6a")
    assert (a.eligible, a.needed, a.for_, a.met) == (400, 300, 300, True)
    assert a.citation == "Art. IV.B.6(a)(ii)"
    assert (
        one(run(st, "create_senior_or_parity_security", ["q", "r"]), "protective-6a").met is False
    )


def test_art_iv_b_6a_seventy_five_percent_just_below_and_above(quintus: TermsSet) -> None:
    """p 29, q 1, r 10: p has 290 of 400 < 300 (below); p + q = 300 (met). p 31, r 9: 310 of
    400, 10 over."""
    st = a_holders(quintus, p=29, q=1, r=10)
    assert one(run(st, "change_authorized_preferred", ["p"]), "protective-6a").met is False
    assert one(run(st, "change_authorized_preferred", ["p", "q"]), "protective-6a").met is True
    st = a_holders(quintus, p=31, r=9)
    a = one(run(st, "redeem_junior_stock", ["p"]), "protective-6a")
    assert (a.for_ - a.needed, a.met) == (10, True)


def test_art_iv_b_6b_majority_means_more_than_half(quintus: TermsSet) -> None:
    """p 20, q 20 shares: 200 + 200 = 400 votes; a majority is more than 200, so 201 needed:
    p alone (exactly half) fails. p 21, q 19: 210 > 200 meets it."""
    st = a_holders(quintus, p=20, q=20)
    a = one(run(st, "merger", ["p"]), "protective-6b")
    assert (a.needed, a.met) == (201, False)
    st = a_holders(quintus, p=21, q=19)
    assert one(run(st, "sale_of_assets", ["p"]), "protective-6b").met is True


def test_art_iv_b_6d_sixty_percent_of_series_e_shares(quintus: TermsSet) -> None:
    """Series E: x 60, y 39, z 1 = 100 shares; 60% = 60 shares. x meets it (at the line);
    y + z = 40 do not; x + z = 61 meets it with margin 1. 6(e) needs Series F too: none is
    outstanding, so it is not asked."""
    st = state_with(quintus, {"x": {"series_e": 60}, "y": {"series_e": 39}, "z": {"series_e": 1}})
    r = run(st, "amend_participation", ["x"])
    a = one(r, "protective-6d")
    assert (a.measure, a.eligible, a.needed, a.met) == ("shares", 100, 60, True)
    assert all(b.id != "protective-6e" for b in r.approvals)
    assert one(run(st, "amend_participation", ["y", "z"]), "protective-6d").met is False
    assert one(run(st, "amend_participation", ["x", "z"]), "protective-6d").for_ == 61


def test_art_iv_b_6e_sixty_percent_of_series_f_just_below(quintus: TermsSet) -> None:
    """Series F: f1 59, f2 41 = 100 shares: 59 < 60."""
    st = state_with(quintus, {"f1": {"series_f": 59}, "f2": {"series_f": 41}})
    assert one(run(st, "amend_series_f_auto_conversion", ["f1"]), "protective-6e").met is False


def test_art_iv_b_6c_majority_of_the_adversely_affected_series(quintus: TermsSet) -> None:
    """Series B: m 50, n 50 shares: a majority of 100 is 51; m alone (50) fails. The DGCL
    §242(b)(2) series vote and 6(a) are asked as well."""
    st = state_with(quintus, {"m": {"series_b": 50}, "n": {"series_b": 50}})
    r = run(st, "adverse_change_one_series", ["m"], series="series_b")
    assert [a.id for a in r.approvals] == [
        "board",
        "stockholders-242b1",
        "series-242b2",
        "protective-6a",
        "protective-6c",
    ]
    a = one(r, "protective-6c")
    assert (a.group, a.needed, a.met) == (["series_b"], 51, False)


def test_bylaws_art_iii_8_board_majority_of_those_present_with_quorum(quintus: TermsSet) -> None:
    """Board of 5: quorum 3. d1, d2 for and d3 against: 3 present, 2 of 3 is a majority: met.
    d1 for, d2 against: 2 present, no quorum: not met."""
    st = a_holders(quintus, p=1)
    assert one(run(st, "declare_dividend", ["d1", "d2"], ["d3"]), "board").met is True
    assert one(run(st, "declare_dividend", ["d1"], ["d2"]), "board").met is False


def test_bylaws_art_iii_2_vacancy_by_majority_of_directors_in_office(quintus: TermsSet) -> None:
    """5 directors in office: 3 needed, whoever attends."""
    st = a_holders(quintus, p=1)
    a = one(run(st, "fill_vacancy", ["d1", "d2"]), "board-vacancy")
    assert (a.needed, a.met) == (3, False)


def test_dgcl_141k_series_c_director_removed_by_series_c(quintus: TermsSet) -> None:
    """The Series C director: Series C votes alone. s 10 shares -> 140 votes, t 10 -> 140; a
    majority of 280 is 141."""
    st = state_with(quintus, {"s": {"series_c": 10}, "t": {"series_c": 10}, "c": {"common": 999}})
    a = one(run(st, "remove_director", ["s"], series="series_c"), "stockholders-141k")
    assert (a.group, a.eligible, a.needed, a.met) == (["series_c"], 280, 141, False)


def test_art_iv_b_3d_ii_b_plan_approval_only_after_series_f(quintus: TermsSet) -> None:
    """Before any Series F is issued only the board approves; after, the holders of A-D and F."""
    st = a_holders(quintus, p=1)
    assert [a.id for a in required_approvals(st, "adopt_employee_plan").approvals] == ["board"]
    st.purchase_dates["series_f"] = st.as_of  # type: ignore[assignment]
    ids = [a.id for a in required_approvals(st, "adopt_employee_plan").approvals]
    assert ids == ["board", "preferred-3d-ii-b"]


def test_bylaws_art_ix_1_bylaws_by_board_or_stockholders(quintus: TermsSet) -> None:
    """The board fails (no quorum) but holders of all the stock approve: amended."""
    st = a_holders(quintus, p=1)
    r = run(st, "amend_bylaws", ["p"])
    assert one(r, "board").met is False
    assert r.met is True


def test_unknown_action_is_one_sentence(quintus: TermsSet) -> None:
    st = a_holders(quintus, p=1)
    with pytest.raises(CharterError, match="'buy_a_yacht' is not an action"):
        required_approvals(st, "buy_a_yacht")


def test_post_ipo_has_no_series_a_d_election(quintus: TermsSet) -> None:
    st = state_with(quintus, {"c": {"common": 1}}, certificate="post-ipo")
    with pytest.raises(CharterError, match="not an action under the Amended"):
        required_approvals(st, "convert_series_a_d")


def test_votes_by_non_holders_and_twice_are_refused(quintus: TermsSet) -> None:
    st = a_holders(quintus, p=1)
    with pytest.raises(CharterError) as e:
        run(st, "merger", ["ghost", "p"], ["p"])
    text = str(e.value)
    assert "ghost holds no stock and is not a director" in text
    assert "p votes twice" in text


def test_one_series_action_needs_series(quintus: TermsSet) -> None:
    st = a_holders(quintus, p=1)
    with pytest.raises(CharterError, match="--series"):
        required_approvals(st, "adverse_change_one_series")
