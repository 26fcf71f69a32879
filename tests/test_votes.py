"""Voting power (Art. IV.B.5(c), IV.C.4), the Voting Shift Period (5(a)) and the board
(5(a)-(b); Post-IPO Art. VI)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from charter.errors import CharterError
from charter.replay import initial_state, replay
from charter.rules.board import board_composition, board_size
from charter.rules.votes import voting_power
from charter.terms.model import TermsSet
from tests.builders import state_with
from tests.ledgers.builder import entries, issue, run, stakeholders


def test_art_iv_b_5c_ten_votes_for_series_a_fourteen_for_series_b(quintus: TermsSet) -> None:
    """Common 1,000 shares -> 1,000 votes (IV.C.4). Series A 100 shares convert 1:1 (price
    $1.00 / conversion price $1.00) into 100 common -> 10 x 100 = 1,000 votes. Series B 100
    shares -> 100 common -> 14 x 100 = 1,400 votes. Total 3,400; preferred 2,400."""
    st = state_with(
        quintus, {"c": {"common": 1000}, "a": {"series_a": 100}, "b": {"series_b": 100}}
    )
    vp = voting_power(st)
    assert vp.of("c") == 1000
    assert vp.of("a") == 1000
    assert vp.of("b") == 1400
    assert (vp.total, vp.preferred_total) == (3400, 2400)


def test_art_iv_b_5c_rounds_each_holders_aggregate_to_nearest_share(quintus: TermsSet) -> None:
    """Series A conversion price adjusted to $0.75: ratio 1.00/0.75 = 4/3.
    Holder x, 2 shares: 2 x 4/3 = 2.667 -> 3 common (aggregate; per share it would be 1 + 1 = 2)
    -> 30 votes. Holder y, 100 shares: 133.33 -> 133 -> 1,330 votes. Holder z, 101 shares:
    134.67 -> 135 -> 1,350 votes."""
    st = state_with(quintus, {"x": {"series_a": 2}, "y": {"series_a": 100}, "z": {"series_a": 101}})
    st.conversion_prices["series_a"] = Fraction(3, 4)
    vp = voting_power(st)
    assert (vp.of("x"), vp.of("y"), vp.of("z")) == (30, 1330, 1350)


def _shift(quintus: TermsSet, series_a: int, reading: dict[str, str] | None = None) -> bool:
    """Common 1,000 votes; Series A `series_a` shares x 10 votes."""
    st = state_with(quintus, {"c": {"common": 1000}, "a": {"series_a": series_a}})
    return voting_power(st, reading).voting_shift_period


def test_art_iv_b_5a_voting_shift_period_boundary(quintus: TermsSet) -> None:
    """Preferred 990 of 1,990 votes (below half): in force. 1,000 of 2,000 (exactly half): in
    force, since a tie cannot elect every seat (reading more-than-half). 1,010 of 2,010: not in
    force. Under at-least-half, exactly half is enough: not in force."""
    assert _shift(quintus, 99) is True
    assert _shift(quintus, 100) is True
    assert _shift(quintus, 101) is False
    assert _shift(quintus, 100, {"voting-shift-measure": "at-least-half"}) is False
    assert _shift(quintus, 99, {"voting-shift-measure": "at-least-half"}) is True


def test_art_iv_b_5a_no_voting_shift_period_without_preferred(quintus: TermsSet) -> None:
    """With no preferred outstanding, 5(a) has no 'then-outstanding' preferred to measure."""
    assert _shift(quintus, 0) is False


def seats(b: object) -> list[tuple[tuple[str, ...], int]]:
    return [(tuple(s.group), s.seats) for s in b.seats]  # type: ignore[attr-defined]


def test_art_iv_b_5b_series_c_elects_one_and_all_classes_the_rest(quintus: TermsSet) -> None:
    """Not in a Voting Shift Period (preferred 14 x 1,000 = 14,000 of 14,100 votes): Series C
    elects 1 of 7 (5(b)); all classes together elect 7 - 1 = 6 (5(a))."""
    st = state_with(quintus, {"c": {"common": 100}, "s": {"series_c": 1000}})
    b = board_composition(st, 7, "--directors")
    assert b.voting_shift_period is False
    assert seats(b) == [
        (("series_c",), 1),
        (("common", "series_a", "series_b", "series_c", "series_d", "series_e", "series_f"), 6),
    ]


def _shift_state(quintus: TermsSet):  # type: ignore[no-untyped-def]
    """Common 10,000 votes; Series A 100 x 10 = 1,000; Series C 100 x 14 = 1,400: preferred
    2,400 of 12,400, far below half: a Voting Shift Period."""
    return state_with(
        quintus, {"c": {"common": 10000}, "a": {"series_a": 100}, "s": {"series_c": 100}}
    )


def test_art_iv_b_5a_ii_three_quarters_to_series_a_and_b(quintus: TermsSet) -> None:
    """7 directors: 3/4 x 7 = 5.25 -> 5 to Series A and B; 1 to Series C; 7 - 5 - 1 = 1 to
    common."""
    b = board_composition(_shift_state(quintus), 7, "--directors")
    assert b.voting_shift_period is True
    assert seats(b) == [(("series_a", "series_b"), 5), (("series_c",), 1), (("common",), 1)]


def test_art_iv_b_5a_ii_half_rounds_up_by_default(quintus: TermsSet) -> None:
    """6 directors: 3/4 x 6 = 4.5 -> 5 (half up), 1 Series C, 0 common; under half-down, 4,
    1, and 1 to common."""
    b = board_composition(_shift_state(quintus), 6, "--directors")
    assert [s.seats for s in b.seats] == [5, 1, 0]
    assert b.trace.interpretations["director-fraction-rounding"] == "half-up"
    b = board_composition(
        _shift_state(quintus), 6, "--directors", {"director-fraction-rounding": "half-down"}
    )
    assert [s.seats for s in b.seats] == [4, 1, 1]


def test_art_iv_b_5a_i_at_least_five_directors(quintus: TermsSet) -> None:
    """A board of 3 must be set at 5 or more: 3/4 x 5 = 3.75 -> 4, 1 Series C, 0 common."""
    b = board_composition(_shift_state(quintus), 3, "--directors")
    assert b.authorized == 5
    assert [s.seats for s in b.seats] == [4, 1, 0]
    assert "no fewer than 5" in b.notes[0]


def test_post_ipo_art_vi_board_as_the_bylaws_fix_it(quintus: TermsSet) -> None:
    """After the IPO no class elects separately: all 8 directors by the common."""
    st = state_with(quintus, {"c": {"common": 100}}, certificate="post-ipo")
    b = board_composition(st, 8, "--directors")
    assert seats(b) == [(("common",), 8)]
    assert "Post-IPO Art. VI" in b.seats[0].citation


def test_post_ipo_art_iv_votes_one_vote_a_share_of_common(quintus: TermsSet) -> None:
    """The post-IPO certificate gives the Common no special voting terms: one vote a share
    (DGCL §212(a)), counted alike for every holder, and no preferred outstanding to carry
    10x or 14x votes. Holders of 1,234 and 8,766 common: 1,234 and 8,766 votes of 10,000,
    and no Voting Shift Period (no preferred votes at all)."""
    st = state_with(
        quintus, {"p": {"common": 1_234}, "q": {"common": 8_766}}, certificate="post-ipo"
    )
    vp = voting_power(st)
    assert (vp.of("p"), vp.of("q")) == (1_234, 8_766)
    assert (vp.total, vp.preferred_total) == (10_000, 0)
    assert not vp.voting_shift_period


def _fixed(*sizes: dict[str, object]):  # type: ignore[no-untyped-def]
    """Common 10,000 (founder), Series A 100 (f1), Series C 100 (f3): the Voting Shift Period
    of _shift_state; then the board sizes fixed on the ledger."""
    return run(
        [
            issue("1999-01-01", "founder", "common", 10_000, "0.01"),
            issue("1999-02-01", "f1", "series_a", 100, "1.00"),
            issue("1999-03-01", "f3", "series_c", 100, "1.91"),
            *sizes,
        ]
    )


def test_bylaws_iii_1_whole_board_as_last_fixed_on_the_ledger() -> None:
    """The board fixes the whole board at 9 (1999-04-01), the stockholders then at 7
    (1999-05-01): the whole board is 7, from the ledger, and in the Voting Shift Period
    3/4 x 7 = 5.25 -> 5 seats go to Series A and B, 1 to Series C, 7 - 5 - 1 = 1 to common.
    With no size fixed, the whole board is the 1 director among the stakeholders (founder)."""
    st = _fixed(
        {"date": "1999-04-01", "type": "board_size", "directors": 9, "by": "board"},
        {"date": "1999-05-01", "type": "board_size", "id": "agm", "directors": 7,
         "by": "stockholders"},
    )  # fmt: skip
    n, basis = board_size(st, None)
    assert n == 7
    assert basis.startswith("fixed by the stockholders on 1999-05-01 (agm, Bylaws Art. III §1")
    assert [s.seats for s in board_composition(st, n, basis).seats] == [5, 1, 1]
    assert board_size(st, 8) == (8, "--directors")
    assert board_size(_fixed(), None)[0] == 1


def test_bylaws_iii_1_only_those_the_bylaws_name_fix_the_board_size(quintus: TermsSet) -> None:
    """Under bylaws that let only the board fix the number, a stockholders' determination is
    refused with one sentence naming the clause; the last size fixed stays in force."""
    board = quintus.bylaws.board.model_copy(update={"size_fixed_by": ["board"]})
    terms = quintus.model_copy(
        update={"bylaws": quintus.bylaws.model_copy(update={"board": board})}
    )
    raw = [{"date": "1999-04-01", "type": "board_size", "directors": 7, "by": "stockholders"}]
    with pytest.raises(CharterError) as err:
        replay(terms, [], entries(raw), state=initial_state(terms, stakeholders()))
    assert (
        err.value.problems[0]
        .sentence()
        .startswith(
            "event 0: by: the number of directors is fixed by the board, not by the stockholders"
        )
    )
    assert "Bylaws Art. III §1" in err.value.problems[0].sentence()
