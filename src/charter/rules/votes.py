"""Voting power: one vote per share of common, and per preferred share the votes of the common
it converts into (Art. IV.B.5(c), IV.C.4); whether a Voting Shift Period is in force (5(a)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction

import msgspec

from charter.explain import Trace, interpretation
from charter.state.model import State
from charter.state.voting import class_votes
from charter.terms.model import VotingShiftPeriod

VOTING_SHIFT_MEASURE = interpretation(
    id="voting-shift-measure",
    question=(
        "When is the preferred's voting power 'insufficient to elect all of this corporation's "
        "directors'?"
    ),
    citation="Art. IV.B.5(a)",
    quote=(
        "if at any time the voting power of the then-outstanding Series A Preferred Stock, ... "
        "and Series F Preferred Stock would otherwise be insufficient to elect all of this "
        "corporation's directors (any period during which such condition exists referred to as "
        'the "Voting Shift Period")'
    ),
    readings={
        "more-than-half": (
            "the preferred can elect every director only with more than half of the total voting "
            "power (all classes voting together); at exactly half or less the period is in force"
        ),
        "at-least-half": (
            "half of the total voting power suffices (a tie is not insufficient); the period is "
            "in force only below half"
        ),
    },
    default="more-than-half",
    argument=(
        "'Otherwise' points to the ordinary regime of 5(a), all classes voting together with "
        "directors elected by plurality (Bylaws Art. II §2) and no cumulative voting. A bloc "
        "elects every seat it votes on only when its votes exceed all other votes cast; at "
        "exactly half the other holders can tie every seat, so the preferred cannot be sure to "
        "elect all directors. The measure is the voting power of 5(c) because the clause speaks "
        "of 'voting power'."
    ),
)


class HolderVotes(msgspec.Struct, frozen=True):
    holder: str
    by_class: dict[str, int]

    @property
    def votes(self) -> int:
        return sum(self.by_class.values())


class VotingPower(msgspec.Struct, frozen=True):
    """The votes of every holder entitled to vote, as of a date."""

    as_of: dt.date | None
    holders: dict[str, HolderVotes]
    classes: dict[str, int]
    preferred_classes: list[str]
    voting_shift_period: bool
    trace: Trace = msgspec.field(default_factory=Trace)

    @property
    def total(self) -> int:
        return sum(self.classes.values())

    @property
    def preferred_total(self) -> int:
        return sum(v for c, v in self.classes.items() if c in self.preferred_classes)

    def of(self, holder: str, group: Iterable[str] | None = None) -> int:
        """The votes a holder casts in a group of classes (all classes when None)."""
        hv = self.holders.get(holder)
        if hv is None:
            return 0
        if group is None:
            return hv.votes
        wanted = set(group)
        return sum(v for c, v in hv.by_class.items() if c in wanted)

    def group_total(self, group: Iterable[str] | None = None) -> int:
        if group is None:
            return self.total
        wanted = set(group)
        return sum(v for c, v in self.classes.items() if c in wanted)


def voting_shift_period(
    shift: VotingShiftPeriod,
    preferred_total: int,
    total: int,
    settings: Mapping[str, str] | None,
    trace: Trace,
) -> bool:
    """Whether the preferred's voting power is insufficient to elect all directors
    (Art. IV.B.5(a)), under the reading chosen."""
    if preferred_total == 0:
        return False  # no preferred outstanding: 5(a) speaks of the then-outstanding preferred
    share = Fraction(preferred_total, total) if total else Fraction(0)
    if trace.read(VOTING_SHIFT_MEASURE, settings) == "more-than-half":
        in_force = share <= Fraction(1, 2)
    else:
        in_force = share < Fraction(1, 2)
    trace.step(
        "Voting Shift Period " + ("in force" if in_force else "not in force"),
        shift.citation,
        preferred_votes=preferred_total,
        total_votes=total,
    )
    return in_force


def voting_power(state: State, settings: Mapping[str, str] | None = None) -> VotingPower:
    """Every holder's votes by class as of the state's date (Art. IV.B.5(c), IV.C.4)."""
    trace = Trace()
    cert = state.certificate
    voting = [c for c in cert.classes if c.votes is not None]
    rate = {
        c.id: (state.conversion_ratio(c.id), c.votes.per_common_share) for c in voting if c.votes
    }
    holders: dict[str, HolderVotes] = {}
    for holder in sorted(state.holdings):
        held = state.holdings[holder]
        by_class = {
            c.id: v
            for c in voting
            if (n := held.get(c.id)) and (v := class_votes(n, *rate[c.id], state.readings))
        }
        if by_class:
            holders[holder] = HolderVotes(holder, by_class)
    classes = {c.id: sum(h.by_class.get(c.id, 0) for h in holders.values()) for c in voting}
    for c in voting:
        assert c.votes is not None
        trace.step(
            f"{c.name}: {c.votes.per_common_share} vote(s) per share of common it converts into, "
            "each holder's aggregate rounded to the nearest whole share",
            c.votes.citation,
            ratio=state.conversion_ratio(c.id),
            votes=classes[c.id],
        )
    preferred = [c.id for c in voting if c.kind == "preferred"]
    pref_total = sum(classes[c] for c in preferred)
    in_force = (
        voting_shift_period(shift, pref_total, sum(classes.values()), settings, trace)
        if (shift := cert.voting.voting_shift_period) is not None
        else False
    )
    return VotingPower(state.as_of, holders, classes, preferred, in_force, trace)


def votes_json(vp: VotingPower) -> dict[str, object]:
    """The shape of `charter votes --json` (spec/cli-contract.md)."""
    return {
        "as_of": vp.as_of.isoformat() if vp.as_of else None,
        "holders": {
            h: {"votes": hv.votes, "by_class": dict(hv.by_class)} for h, hv in vp.holders.items()
        },
        "classes": dict(vp.classes),
        "total": vp.total,
        "preferred_total": vp.preferred_total,
        "voting_shift_period": vp.voting_shift_period,
        "interpretations": list(vp.trace.interpretations),
        "readings": dict(vp.trace.interpretations),
        "citations": list(vp.trace.citations),
    }
