"""Stockholder meetings: notice and record-date windows counted in calendar days, the list,
quorum, callers, adjournment (Bylaws Art. II §3-§8, Art. VI §5; DGCL §213(a))."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.errors import CharterError
from charter.rules.meetings import adjournment, meeting_plan, record_date_for, stockholder_list
from charter.terms.model import TermsSet
from tests.builders import state_with

D = dt.date


def plan(quintus: TermsSet, date: dt.date, kind: str = "annual", **kw: object):  # type: ignore[no-untyped-def]
    """Common 1,000 (1,000 votes) and Series A 100 (1,000 votes): 2,000 votes."""
    st = state_with(quintus, {"c": {"common": 1000}, "a": {"series_a": 100}})
    rd, basis = record_date_for(quintus.bylaws, kind, date)
    return meeting_plan(st, kind, date, rd, basis, 5, **kw)  # type: ignore[arg-type]


def test_bylaws_art_ii_3_notice_window_across_leap_february(quintus: TermsSet) -> None:
    """Meeting 15 March 2000. Ten days before: 5 March. Sixty days before: 15 days back is 29
    February (2000 is a leap year), 29 more is 31 January, 16 more is 15 January."""
    p = plan(quintus, D(2000, 3, 15))
    assert (p.notice.first, p.notice.last) == (D(2000, 1, 15), D(2000, 3, 5))
    assert (p.record_window.first, p.record_window.last) == (D(2000, 1, 15), D(2000, 3, 5))
    assert p.list_ready_by == D(2000, 3, 5)


def test_bylaws_art_ii_3_notice_window_in_a_common_year(quintus: TermsSet) -> None:
    """Meeting 15 March 2001: 15 days back is 28 February, 28 more is 31 January, 17 more is
    14 January."""
    p = plan(quintus, D(2001, 3, 15))
    assert p.notice.first == D(2001, 1, 14)


def test_bylaws_art_ii_6_last_notice_day_is_the_leap_day(quintus: TermsSet) -> None:
    """Special meeting 10 March 2000: 9 days back is 1 March, the 10th is 29 February."""
    p = plan(quintus, D(2000, 3, 10), "special", purposes=["approve a merger"])
    assert p.notice.last == D(2000, 2, 29)


def test_bylaws_art_ii_3_window_across_a_year_end(quintus: TermsSet) -> None:
    """Meeting 31 December 1999: 10 days before is 21 December; 60 days: 30 back is 1
    December, 30 more is 1 November."""
    p = plan(quintus, D(1999, 12, 31))
    assert (p.notice.first, p.notice.last) == (D(1999, 11, 1), D(1999, 12, 21))


def test_bylaws_art_vi_5_record_date_outside_window_refused(quintus: TermsSet) -> None:
    """For 15 March 2000 the window is 15 January to 5 March: 14 January and 6 March fail,
    both ends pass."""
    for bad in (D(2000, 1, 14), D(2000, 3, 6)):
        with pytest.raises(CharterError, match=r"Bylaws Art\. VI §5"):
            record_date_for(quintus.bylaws, "annual", D(2000, 3, 15), bad)
    for good in (D(2000, 1, 15), D(2000, 3, 5)):
        assert record_date_for(quintus.bylaws, "annual", D(2000, 3, 15), good)[0] == good


def test_dgcl_213a_default_record_date_is_day_before_notice(quintus: TermsSet) -> None:
    """No record date fixed, notice mailed 1 March 2000: record date 29 February 2000."""
    rd, basis = record_date_for(quintus.bylaws, "annual", D(2000, 3, 15), None, D(2000, 3, 1))
    assert rd == D(2000, 2, 29)
    assert "213(a)" in basis


def test_bylaws_art_ii_8_quorum_at_exactly_half(quintus: TermsSet) -> None:
    """2,000 votes entitled: holders of 50% = 1,000 votes make a quorum (at-least-half); under
    more-than-half, 1,001. Counted in shares instead: 1,000 common + 100 A = 1,100 shares, 550."""
    assert plan(quintus, D(2000, 3, 15)).quorum.needed == 1000
    q = plan(quintus, D(2000, 3, 15), settings={"quorum-at-half": "more-than-half"}).quorum
    assert q.needed == 1001
    q = plan(quintus, D(2000, 3, 15), settings={"bylaw-stock-measure": "shares"}).quorum
    assert (q.eligible, q.needed) == (1100, 550)


def test_bylaws_art_ii_5_who_must_call_a_special_meeting(quintus: TermsSet) -> None:
    """Board of 5: a majority is 3 directors. Stock: a majority of 2,000 votes is 1,001."""
    p = plan(quintus, D(2000, 3, 15), "special", purposes=["x"])
    callers = {c.who: c for c in p.callers}
    assert callers["president"].must_call is False
    assert callers["board"].needed == 3
    assert callers["stockholders"].needed == 1001


def test_bylaws_art_ii_6_special_meeting_needs_its_purposes(quintus: TermsSet) -> None:
    with pytest.raises(CharterError, match="must state its purposes"):
        plan(quintus, D(2000, 3, 15), "special")


def test_bylaws_art_ii_8_adjournment_over_thirty_days_needs_notice(quintus: TermsSet) -> None:
    """From 31 January 2000: to 1 March is 30 days (29 February counted): no new notice; to
    2 March is 31 days: notice. A new record date always needs notice."""
    b = quintus.bylaws
    assert adjournment(b, D(2000, 1, 31), D(2000, 3, 1), False).notice_required is False
    assert adjournment(b, D(2000, 1, 31), D(2000, 3, 2), False).notice_required is True
    assert adjournment(b, D(2000, 1, 31), D(2000, 2, 1), True).notice_required is True


def test_bylaws_art_ii_4_list_is_alphabetical_with_shares(quintus: TermsSet) -> None:
    """Names are the ids title-cased: 'Alpha', 'beta' -> 'Beta', 'Zed'; non-voting holders
    would be left out."""
    st = state_with(
        quintus, {"zed": {"common": 5}, "beta": {"series_a": 2}, "alpha": {"common": 1}}
    )
    lines = stockholder_list(st)
    assert [line.name for line in lines] == ["Alpha", "Beta", "Zed"]
    assert lines[1].shares == {"series_a": 2}
    assert lines[1].votes == 20
