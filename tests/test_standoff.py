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
