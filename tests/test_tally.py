"""Tallying a stockholder meeting (Bylaws Art. II §2, §8, §9, §10)."""

from __future__ import annotations

from typing import Any

import pytest

from charter.errors import CharterError
from charter.rules.tally import TallyResult, parse_tally_input, tally
from charter.terms.model import TermsSet
from tests.builders import state_with

HOLD = {"p": {"common": 500}, "q": {"common": 300}, "r": {"common": 200}}


def run(quintus: TermsSet, ballots: list[dict[str, Any]], **settings: str) -> TallyResult:
    data = parse_tally_input(
        {
            "date": "2000-03-15",
            "items": [{"id": "plan"}, {"id": "board", "kind": "election", "seats": 2}],
            "ballots": ballots,
        },
        "ballots.yaml",
    )
    return tally(state_with(quintus, HOLD), data, "ballots.yaml", settings)


def test_bylaws_art_ii_9_majority_of_power_present_abstention_counts(quintus: TermsSet) -> None:
    """p 500 for, q 300 against, r 200 abstains: 1,000 present (quorum 500: met); a majority
    of 1,000 is 501: 500 fails. Counting only votes cast, 500 of 800 needs 401: passes."""
    b = [
        {"holder": "p", "item": "plan", "vote": "for"},
        {"holder": "q", "item": "plan", "vote": "against"},
        {"holder": "r", "item": "plan", "vote": "abstain"},
    ]
    r = run(quintus, b)
    assert (r.quorate, r.items[0].needed, r.items[0].passed) == (True, 501, False)
    r = run(quintus, b, **{"abstentions-count-present": "votes-cast"})
    assert (r.items[0].needed, r.items[0].passed) == (401, True)


def test_bylaws_art_ii_8_quorum_exactly_half_present(quintus: TermsSet) -> None:
    """Only p (500 of 1,000) attends: exactly 50% is a quorum; 500 for of 500 present passes.
    Only q and another 0: q (300) alone is below: no quorum, nothing passes."""
    assert run(quintus, [{"holder": "p", "item": "plan", "vote": "for"}]).items[0].passed
    r = run(quintus, [{"holder": "q", "item": "plan", "vote": "for"}])
    assert (r.quorate, r.items[0].passed) == (False, False)


def test_bylaws_art_ii_2_directors_by_plurality(quintus: TermsSet) -> None:
    """Two seats. p (500) votes x, y; q (300) votes y, z; r (200) votes z: x 500, y 800,
    z 500: y elected, x and z tie for the second seat."""
    r = run(
        quintus,
        [
            {"holder": "p", "item": "board", "candidates": ["x", "y"]},
            {"holder": "q", "item": "board", "candidates": ["y", "z"]},
            {"holder": "r", "item": "board", "candidates": ["z"]},
        ],
    )
    e = r.items[1]
    assert e.candidates == {"y": 800, "x": 500, "z": 500}
    assert (e.elected, e.tied) == (["y"], ["x", "z"])


def test_bylaws_art_ii_10_no_cumulative_voting(quintus: TermsSet) -> None:
    with pytest.raises(CharterError, match="cumulative voting"):
        run(quintus, [{"holder": "p", "item": "board", "candidates": {"x": 1000}}])


def test_bylaws_art_ii_10_proxy_three_years_to_the_day(quintus: TermsSet) -> None:
    """Meeting 15 March 2000. A proxy dated 15 March 1997 may still be voted (three years end
    that day); one of 14 March 1997 is refused, unless it states four years."""
    ok = {"holder": "p", "item": "plan", "vote": "for", "by": "proxy", "proxy_date": "1997-03-15"}
    assert run(quintus, [ok]).refused_proxies == []
    old = dict(ok, proxy_date="1997-03-14")
    r = run(quintus, [old])
    assert r.refused_proxies == ["p"] and r.quorate is False
    assert run(quintus, [dict(old, proxy_years=4)]).refused_proxies == []


def test_bad_ballots_are_sentences(quintus: TermsSet) -> None:
    """A non-holder, a second ballot, and 501 votes from a holder of 500."""
    with pytest.raises(CharterError) as e:
        run(
            quintus,
            [
                {"holder": "ghost", "item": "plan", "vote": "for"},
                {"holder": "p", "item": "plan", "vote": "for", "votes": 501},
                {"holder": "p", "item": "plan", "vote": "against"},
            ],
        )
    text = str(e.value)
    assert "ghost holds no stock entitled to vote on plan" in text
    assert "p casts 501 votes but has 500" in text
    assert "p has two ballots on plan" in text


def test_bylaws_art_ii_7_special_meeting_business_limited_to_the_notice(quintus: TermsSet) -> None:
    """At a special meeting whose notice stated only the plan, a vote on the board is
    refused with the clause; the same items at an annual meeting are tallied."""
    items = [{"id": "plan"}, {"id": "board", "kind": "election", "seats": 2}]
    ballots = [{"holder": "p", "item": "plan", "vote": "for"}]
    special = {
        "date": "2000-03-15",
        "kind": "special",
        "noticed": ["plan"],
        "items": items,
        "ballots": ballots,
    }
    with pytest.raises(CharterError) as err:
        tally(state_with(quintus, HOLD), parse_tally_input(special, "b.yaml"), "b.yaml")
    assert [p.sentence() for p in err.value.problems] == [
        "b.yaml: items.1: 'board' was not among the purposes stated in the notice of the "
        "special meeting (Bylaws Art. II §7)."
    ]
    noticed = {**special, "noticed": ["plan", "board"]}
    r = tally(state_with(quintus, HOLD), parse_tally_input(noticed, "b.yaml"), "b.yaml")
    assert r.items[0].id == "plan"
