"""Properties of the governance rules over generated companies (hypothesis): a threshold's
`needed` is the least whole number meeting it; votes add up by holder and by class (Art.
IV.B.5(c), IV.C.4); more shares never mean fewer votes; an approval met stays met when one
more vote is cast for it (Art. IV.B.6, DGCL §242(b)(2), Bylaws Art. III §8)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from charter.rules.approvals import Votes, evaluate, required_approvals
from charter.rules.thresholds import needed
from charter.rules.votes import voting_power
from charter.state.model import State
from charter.terms.loader import load_builtin
from tests.builders import state_with

QUINTUS = load_builtin("quintus")
CERT = QUINTUS.certificates[0]
CLASSES = [c.id for c in CERT.classes]
PREFERRED = [c for c in CERT.classes if c.kind == "preferred"]
HOLDERS = ["h1", "h2", "h3", "h4", "h5"]
DIRECTORS = ["d1", "d2", "d3", "d4", "d5"]
ACTIONS = [a.id for a in CERT.actions if not a.needs_series]


def meets(x: int, eligible: int, fraction: Fraction, strictly_more: bool) -> bool:
    """The threshold as the clause states it: at least, or more than, the fraction."""
    return x > fraction * eligible if strictly_more else x >= fraction * eligible


@given(
    eligible=st.integers(0, 10**12),
    fraction=st.fractions(min_value=0, max_value=1, max_denominator=10**6),
    strictly_more=st.booleans(),
)
def test_needed_is_the_least_whole_number_meeting_the_threshold(
    eligible: int, fraction: Fraction, strictly_more: bool
) -> None:
    n = needed(eligible, fraction, strictly_more)
    assert meets(n, eligible, fraction, strictly_more)
    assert not meets(n - 1, eligible, fraction, strictly_more)


Company = tuple[dict[str, dict[str, int]], dict[str, Fraction]]


@st.composite
def companies(draw: st.DrawFn) -> Company:
    """Holdings (each holder with at least one share of some class), and perhaps for some
    preferred series a conversion price below its original issue price, so that conversions
    leave fractions to round."""
    holdings = draw(
        st.dictionaries(
            st.sampled_from(HOLDERS),
            st.dictionaries(st.sampled_from(CLASSES), st.integers(1, 10**7), min_size=1),
            min_size=1,
        )
    )
    prices = {}
    for c in PREFERRED:
        assert c.original_issue_price is not None
        if draw(st.booleans()):
            cut = draw(st.fractions(min_value=Fraction(1, 2), max_value=1, max_denominator=1000))
            prices[c.id] = c.original_issue_price * cut
    return holdings, prices


def build(company: Company) -> State:
    holdings, prices = company
    state = state_with(QUINTUS, holdings, directors=DIRECTORS)
    state.conversion_prices.update(prices)
    return state


@given(companies())
def test_art_iv_b_5c_totals_are_the_sums_over_holders_and_classes(company: Company) -> None:
    state = build(company)
    vp = voting_power(state)
    for c in CLASSES:
        assert vp.classes.get(c, 0) == sum(h.by_class.get(c, 0) for h in vp.holders.values())
    assert sum(vp.classes.values()) == sum(h.votes for h in vp.holders.values())
    assert set(vp.holders) == set(state.holdings)


@given(companies(), st.sampled_from(HOLDERS), st.sampled_from(CLASSES), st.integers(1, 10**6))
def test_art_iv_b_5c_more_shares_never_fewer_votes(
    company: Company, holder: str, class_id: str, more: int
) -> None:
    """Rounding each holder's aggregate to the nearest whole share is monotone: adding shares
    of a class to one holder never lowers its votes in any class, nor changes anyone else's."""
    state = build(company)
    before = voting_power(state).holders
    state.add_shares(holder, class_id, more)
    after = voting_power(state).holders
    assert after[holder].votes > (before[holder].votes if holder in before else 0)
    for c in CLASSES:
        assert after[holder].by_class.get(c, 0) >= (
            before[holder].by_class.get(c, 0) if holder in before else 0
        )
    assert {h: v for h, v in after.items() if h != holder} == {
        h: v for h, v in before.items() if h != holder
    }


@given(companies(), st.sampled_from(ACTIONS), st.data())
def test_an_approval_met_stays_met_with_one_more_vote_for(
    company: Company, action: str, data: Any
) -> None:
    """Cast some votes (holders and directors); then one voter who was not for — silent or
    against — votes for. Every approval met before is met after, and so is the whole."""
    state = build(company)
    voters = sorted(state.holdings) + DIRECTORS
    how = data.draw(
        st.lists(
            st.sampled_from(["for", "against", "silent"]),
            min_size=len(voters),
            max_size=len(voters),
        )
    )
    for_ = [v for v, h in zip(voters, how, strict=True) if h == "for"]
    against = [v for v, h in zip(voters, how, strict=True) if h == "against"]
    extra = data.draw(st.sampled_from(voters))
    required = required_approvals(state, action)
    before = evaluate(state, required, Votes(for_, against), DIRECTORS, len(DIRECTORS))
    more = Votes(sorted({*for_, extra}), [v for v in against if v != extra])
    after = evaluate(state, required, more, DIRECTORS, len(DIRECTORS))
    for b, a in zip(before.approvals, after.approvals, strict=True):
        assert a.id == b.id
        if b.met:
            assert a.met, (b, a)
    if before.met:
        assert after.met
