"""Written consents (Bylaws Art. II §11, III §9; DGCL §228; Post-IPO Art. VIII) and board
meetings (Bylaws Art. III §7-§8)."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import CharterError
from charter.rules.board_meetings import board_meeting_plan, board_tally
from charter.rules.consents import stockholder_consent
from charter.state.board import board_consent
from charter.terms.model import TermsSet
from tests.builders import state_with

D = dt.date


def test_post_ipo_art_viii_refuses_written_consent(quintus: TermsSet) -> None:
    st = state_with(quintus, {"c": {"common": 10}}, certificate="post-ipo")
    with pytest.raises(CharterError, match=r"Post-IPO Art\. VIII"):
        stockholder_consent(st, "merger", {"c": D(2000, 1, 3)})


def test_bylaws_art_ii_11_consent_of_majority_of_all_outstanding(quintus: TermsSet) -> None:
    """Common p 600, q 400 (no preferred: 6(b) not asked). A merger needs more than half of
    all 1,000 votes (DGCL §251(c)): 501. p consents: 600, met; q gets prompt notice."""
    st = state_with(quintus, {"p": {"common": 600}, "q": {"common": 400}})
    c = stockholder_consent(st, "merger", {"p": D(2000, 1, 3)})
    [a] = c.result.approvals
    assert (a.eligible, a.needed, a.for_, a.met) == (1000, 501, 600, True)
    assert c.notify == ["q"]


def test_dgcl_228c_consents_more_than_sixty_days_apart_not_counted(quintus: TermsSet) -> None:
    """p signs 1 January 2000, q on 2 March 2000: 61 days later (31 + 29 + 1, a leap
    February) — late. On 1 March (60 days) it counts."""
    st = state_with(quintus, {"p": {"common": 400}, "q": {"common": 400}, "r": {"common": 200}})
    c = stockholder_consent(st, "merger", {"p": D(2000, 1, 1), "q": D(2000, 3, 2)})
    assert c.late == ["q"] and c.result.approvals[0].met is False
    c = stockholder_consent(st, "merger", {"p": D(2000, 1, 1), "q": D(2000, 3, 1)})
    assert c.late == [] and c.result.approvals[0].met is True


def test_bylaws_art_iii_9_board_consent_must_be_unanimous() -> None:
    assert board_consent(["a", "b", "c"], ["a", "b", "c"]) == (True, [])
    assert board_consent(["a", "b", "c"], ["a", "b"]) == (False, ["c"])


def test_bylaws_art_iii_7_notice_two_days_by_mail_48_hours_in_person(quintus: TermsSet) -> None:
    """Meeting 1 March 2000 10:00: mail by 28 February (2 days before); in person by
    28 February 10:00 (48 hours). Board of 5: quorum 3; two directors may require it."""
    p = board_meeting_plan(quintus.bylaws, dt.datetime(2000, 3, 1, 10), 5)
    assert p.mail_by == D(2000, 2, 28)
    assert p.personal_by == dt.datetime(2000, 2, 28, 10)
    assert (p.quorum, p.must_call_on_request_of) == (3, 2)


def test_bylaws_art_iii_8_quorum_majority_of_whole_board(quintus: TermsSet) -> None:
    """Board of 6: quorum is more than 3, i.e. 4. 4 present, 3 for: majority of 4 is 3: passes.
    3 present: no quorum. 4 present, 2 for: fails."""
    ds = ["a", "b", "c", "d", "e", "f"]
    t = board_tally(quintus.bylaws, 6, ds, ["a", "b", "c", "d"], {"x": (["a", "b", "c"], ["d"])})
    [v] = t.votes
    assert t.quorate and t.quorum == 4 and v.needed == 3 and v.passed
    t = board_tally(quintus.bylaws, 6, ds, ["a", "b", "c"], {"x": (["a", "b", "c"], [])})
    assert not t.quorate and not t.votes[0].passed
    t = board_tally(quintus.bylaws, 6, ds, ["a", "b", "c", "d"], {"x": (["a", "b"], ["c"])})
    assert not t.votes[0].passed


def test_board_tally_refuses_strangers(quintus: TermsSet) -> None:
    with pytest.raises(CharterError, match="z is not a director"):
        board_tally(quintus.bylaws, 3, ["a", "b", "c"], ["a", "z"], {})
