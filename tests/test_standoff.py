"""The market stand-off (Bylaws Art. VI §6): holders who received shares on or after the
bylaws' adoption (2 September 1999) may not transfer in the 180 days following the effective
date of the registration statement, when requested.

Offering effective 15 Feb 2000 (a leap year): the period is 16 Feb .. 15 Feb + 180 days.
16 Feb .. 29 Feb is 14 days, Mar 31, Apr 30, May 31, Jun 30 (136 in all), so day 180 is
13 August 2000 (136 + 44 = 180: 31 Jul is 167, 13 Aug is 180).
"""

from __future__ import annotations

from typing import Any

import pytest

from charter.errors import CharterError
from tests.transfer_helpers import ipo, run

# dir receives 100 common on 10 Sep 1999, after the adoption (exempt under §1(f)(3)).
AFTER_ADOPTION: list[dict[str, Any]] = [
    {"date": "1999-09-10", "type": "transfer", "from": "seller", "to": "dir", "class": "common",
     "shares": 100, "exemption": "officer-or-director"},
]  # fmt: skip


def sale(date: str, holder: str) -> dict[str, Any]:
    return {"date": date, "type": "transfer", "from": holder, "to": "buyer", "class": "common",
            "shares": 10}  # fmt: skip


def test_bylaws_vi_6_transfer_on_the_last_day_of_the_standoff_is_refused() -> None:
    with pytest.raises(CharterError) as err:
        run([*AFTER_ADOPTION, ipo("2000-02-15"), sale("2000-08-13", "dir")])
    (problem,) = err.value.problems
    assert "through 2000-08-13" in problem.sentence()
    assert "Bylaws Art. VI §6" in problem.sentence()


def test_bylaws_vi_6_transfer_the_day_after_the_standoff() -> None:
    s = run([*AFTER_ADOPTION, ipo("2000-02-15"), sale("2000-08-14", "dir")])
    assert s.held("buyer", "common") == 10


def test_bylaws_vi_6_first_day_after_the_effective_date_is_inside() -> None:
    with pytest.raises(CharterError, match="stop-transfer"):
        run([*AFTER_ADOPTION, ipo("2000-02-15"), sale("2000-02-16", "dir")])


def test_bylaws_vi_6_holder_from_before_the_adoption_is_not_bound() -> None:
    """seller bought on 1 Aug 1999, before 2 Sep 1999: free to sell on 16 Feb 2000."""
    s = run([ipo("2000-02-15"), sale("2000-02-16", "seller")])
    assert s.held("buyer", "common") == 10


def test_bylaws_vi_6_only_when_requested() -> None:
    s = run([*AFTER_ADOPTION, ipo("2000-02-15", requested=False), sale("2000-02-16", "dir")])
    assert s.held("buyer", "common") == 10


def registration(date: str, requested: bool = True) -> dict[str, Any]:
    return {"date": date, "type": "registration_effective", "standoff_requested": requested}


CLOSING = {"date": "2000-02-20", "type": "ipo", "price": "10.00",
           "gross_proceeds": "50000000.00"}  # fmt: skip


def test_bylaws_vi_6_runs_from_the_effective_date_not_the_closing() -> None:
    """Effective 15 Feb 2000, closing 20 Feb: dir (bound) may not sell on 17 Feb, between the
    two; the period runs through 13 Aug 2000 (the module's count), not 180 days after the
    closing (18 Aug)."""
    with pytest.raises(CharterError, match="through 2000-08-13"):
        run([*AFTER_ADOPTION, registration("2000-02-15"), sale("2000-02-17", "dir")])
    s = run([*AFTER_ADOPTION, registration("2000-02-15"), CLOSING, sale("2000-08-14", "dir")])
    assert s.held("buyer", "common") == 10


def test_bylaws_vi_6_withdrawn_registration_starts_no_period() -> None:
    """Effective 15 Feb 2000, withdrawn 1 Mar: dir may sell on 2 Mar (to another stockholder,
    exempt from the right of first refusal, which is in force again)."""
    withdrawn = {"date": "2000-03-01", "type": "offering_withdrawn"}
    to_other = {**sale("2000-03-02", "dir"), "to": "other", "exemption": "existing-stockholder"}
    s = run([*AFTER_ADOPTION, registration("2000-02-15"), withdrawn, to_other])
    assert s.held("other", "common") == 1010


def test_bylaws_vi_6_reading_standoff_receives_conversion_at_the_offering() -> None:
    """fund held 100 Series A from 1 Aug 1999 (before the adoption on 2 Sep 1999); at the
    closing on 20 Feb 2000 they convert ($1.00 / $1.00 = 1:1) into 100 common, received
    after the adoption. Under the default reading (conversion) fund is bound and may not sell
    on 1 Mar 2000 (inside 16 Feb .. 13 Aug); under new-investment it may."""
    events = [registration("2000-02-15"), CLOSING, sale("2000-03-01", "fund")]
    with pytest.raises(CharterError, match="standoff-receives=conversion"):
        run(events)
    s = run(events, readings={"standoff-receives": "new-investment"})
    assert s.held("buyer", "common") == 10


def test_bylaws_vi_6_reading_standoff_registrations_follow_on() -> None:
    """After the offering (effective 15 Feb 2000), a follow-on registration is effective
    1 Jun 2001 with the stand-off requested: under the default reading (any, "a registration
    statement") dir may not sell on 5 Jun 2001; under first it may."""
    events = [*AFTER_ADOPTION, registration("2000-02-15"), CLOSING, registration("2001-06-01"),
              sale("2001-06-05", "dir")]  # fmt: skip
    with pytest.raises(CharterError, match="effective date 2001-06-01"):
        run(events)
    s = run(events, readings={"standoff-registrations": "first"})
    assert s.held("buyer", "common") == 10
