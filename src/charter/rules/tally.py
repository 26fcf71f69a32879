"""Deciding the items of a stockholder meeting from the ballots cast: quorum (Bylaws Art. II
§8), a majority of the voting power present unless a different vote is required (§9),
directors by plurality (§2), no cumulative voting (§10; the certificate provides none),
proxies no older than three years unless they say longer (§10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from charter.errors import CharterError, Problem
from charter.explain import Trace, interpretation
from charter.ledger.events import MeetingBallot, MeetingItem
from charter.rules.meetings import quorum
from charter.rules.thresholds import needed
from charter.rules.votes import voting_power
from charter.state.model import State

ABSTENTIONS = interpretation(
    id="abstentions-count-present",
    question="Do abstentions count in 'a majority of the stock having voting power present'?",
    citation="Bylaws Art. II §9",
    quote=(
        "the vote of the holders of a majority of the stock having voting power present in "
        "person or represented by proxy shall decide any question"
    ),
    readings={
        "present": "the base is all voting power present; an abstention counts as a no",
        "votes-cast": "the base is the votes cast for and against; abstentions are ignored",
    },
    default="present",
    argument=(
        "The bylaw measures the majority against the stock 'present in person or represented "
        "by proxy', not against the votes cast; stock that is present and abstains is still "
        "present (the reading of DGCL §216(2), which the bylaw tracks)."
    ),
)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Item = MeetingItem  # the ledger's `meeting_result` event records the same items and ballots
Ballot = MeetingBallot


class TallyInput(_Strict):
    date: dt.date
    kind: Literal["annual", "special"] = "annual"
    noticed: list[str] = Field(default_factory=list)  # items whose purpose the notice stated
    items: list[Item]
    ballots: list[Ballot]


def parse_tally_input(data: Any, source: str) -> TallyInput:
    try:
        return TallyInput.model_validate(data)
    except ValidationError as e:
        raise CharterError(
            [
                Problem(err["msg"], file=source, field=".".join(str(p) for p in err["loc"]) or None)
                for err in e.errors()
            ]
        ) from e


@dataclass(frozen=True)
class ItemResult:
    id: str
    kind: str
    present: int
    for_: int = 0
    against: int = 0
    abstain: int = 0
    needed: int = 0
    passed: bool | None = None
    elected: list[str] = field(default_factory=list)
    tied: list[str] = field(default_factory=list)
    candidates: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TallyResult:
    date: dt.date
    quorum_needed: int
    present: int
    quorate: bool
    items: list[ItemResult]
    refused_proxies: list[str]
    trace: Trace


def proxy_valid(b: Ballot, meeting: dt.date, years: int) -> bool:
    """A proxy may not be voted after `years` from its date unless it provides a longer
    period (Bylaws Art. II §10); a proxy dated 29 February runs to 28 February."""
    if b.by != "proxy" or b.proxy_date is None:
        return True
    life = max(years, b.proxy_years or 0)
    d = b.proxy_date
    try:
        end = d.replace(year=d.year + life)
    except ValueError:
        end = dt.date(d.year + life, 2, 28)
    return meeting <= end


def special_business(state: State, data: TallyInput, source: str) -> list[Problem]:
    """Business transacted at a special meeting is limited to the purposes stated in its
    notice (Bylaws Art. II §7): an item the notice did not state is refused."""
    if data.kind != "special":
        return []
    cite = state.terms.bylaws.stockholder_meetings.special_business_limited_citation
    return [
        Problem(
            f"{item.id!r} was not among the purposes stated in the notice of the special meeting",
            file=source,
            field=f"items.{n}",
            citation=cite,
        )
        for n, item in enumerate(data.items)
        if item.id not in data.noticed
    ]


def tally(
    state: State, data: TallyInput, source: str, settings: Mapping[str, str] | None = None
) -> TallyResult:
    """Decide each item; `state` is as of the record date."""
    rules = state.terms.bylaws.stockholder_meetings
    voting = state.certificate.voting
    trace = Trace()
    vp = voting_power(state, settings)
    items = {i.id: i for i in data.items}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    refused: list[str] = []
    counted: list[Ballot] = []
    problems.extend(special_business(state, data, source))
    for n, b in enumerate(data.ballots):
        where = {"file": source, "field": f"ballots.{n}"}
        item = items.get(b.item)
        if item is None:
            problems.append(Problem(f"{b.item!r} is not an item of the meeting", **where))  # type: ignore[arg-type]
            continue
        group = item.group or None
        have = vp.of(b.holder, group)
        if have == 0:
            problems.append(
                Problem(f"{b.holder} holds no stock entitled to vote on {b.item}", **where)  # type: ignore[arg-type]
            )
        if (b.holder, b.item) in seen:
            problems.append(Problem(f"{b.holder} has two ballots on {b.item}", **where))  # type: ignore[arg-type]
        seen.add((b.holder, b.item))
        if b.votes is not None and b.votes > have:
            problems.append(
                Problem(
                    f"{b.holder} casts {b.votes:,} votes but has {have:,} on {b.item}",
                    **where,  # type: ignore[arg-type]
                )
            )
        if item.kind == "election":
            if isinstance(b.candidates, dict) and not voting.cumulative_voting:
                problems.append(
                    Problem(
                        "votes spread among candidates are cumulative voting, which the "
                        "bylaws leave to the certificate and the certificate does not provide",
                        citation=voting.cumulative_voting_citation,
                        **where,  # type: ignore[arg-type]
                    )
                )
            elif not b.candidates:
                problems.append(Problem("an election ballot names its candidates", **where))  # type: ignore[arg-type]
            elif len(b.candidates) > item.seats:
                problems.append(
                    Problem(
                        f"{len(b.candidates)} candidates named for {item.seats} seat(s)",
                        **where,  # type: ignore[arg-type]
                    )
                )
        elif b.vote is None:
            problems.append(Problem("a ballot on a question says for, against or abstain", **where))  # type: ignore[arg-type]
        if not proxy_valid(b, data.date, rules.proxy_life_years):
            refused.append(b.holder)
            continue
        counted.append(b)
    if problems:
        raise CharterError(problems)
    trace.step("proxies older than allowed refused", rules.proxy_citation, refused=len(refused))
    present_holders = sorted({b.holder for b in counted})
    q = quorum(state, vp, settings, trace)
    present = sum(
        vp.of(h) if q.measure == "voting_power" else sum(state.held(h, c) for c in vp.classes)
        for h in present_holders
    )
    quorate = present >= q.needed
    base_reading = trace.read(ABSTENTIONS, settings)
    results = []
    for item in data.items:
        group = item.group or None
        power = {h: vp.of(h, group) for h in present_holders}
        mine = [b for b in counted if b.item == item.id]
        cast = {b.holder: (b.votes if b.votes is not None else power[b.holder]) for b in mine}
        present_power = sum(power.values())
        if item.kind == "election":
            totals: dict[str, int] = {}
            for b in mine:
                for cand in b.candidates or []:
                    totals[cand] = totals.get(cand, 0) + cast[b.holder]
            ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
            elected = [c for c, _ in ranked[: item.seats]]
            tied: list[str] = []
            if len(ranked) > item.seats and ranked[item.seats - 1][1] == ranked[item.seats][1]:
                line = ranked[item.seats][1]
                tied = [c for c, v in ranked if v == line]
                elected = [c for c in elected if c not in tied]
            trace.step(f"{item.id}: plurality", rules.director_election_citation)
            results.append(
                ItemResult(
                    item.id,
                    "election",
                    present_power,
                    passed=quorate and not tied,
                    elected=elected if quorate else [],
                    tied=tied,
                    candidates=dict(ranked),
                )
            )
            continue
        yes = sum(v for h, v in cast.items() if _vote(mine, h) == "for")
        no = sum(v for h, v in cast.items() if _vote(mine, h) == "against")
        abstain = present_power - yes - no
        base = present_power if base_reading == "present" else yes + no
        std = rules.vote_standard
        n = needed(base, std.fraction, std.strictly_more)
        trace.step(f"{item.id}: majority of the voting power present", rules.vote_standard_citation)
        results.append(
            ItemResult(
                item.id, "question", present_power, yes, no, abstain, n, quorate and yes >= n
            )
        )
    return TallyResult(data.date, q.needed, present, quorate, results, refused, trace)


def _vote(ballots: list[Ballot], holder: str) -> str | None:
    return next(b.vote for b in ballots if b.holder == holder)


def tally_json(r: TallyResult) -> dict[str, object]:
    return {
        "date": r.date.isoformat(),
        "quorum": {"needed": r.quorum_needed, "present": r.present, "met": r.quorate},
        "items": [
            {
                "id": i.id,
                "kind": i.kind,
                "present": i.present,
                **(
                    {"elected": i.elected, "tied": i.tied, "candidates": i.candidates}
                    if i.kind == "election"
                    else {
                        "for": i.for_,
                        "against": i.against,
                        "abstain_or_not_voting": i.abstain,
                        "needed": i.needed,
                    }
                ),
                "passed": i.passed,
            }
            for i in r.items
        ],
        "refused_proxies": r.refused_proxies,
        "interpretations": list(r.trace.interpretations),
        "citations": list(r.trace.citations),
    }


def recorded_meetings(state: State) -> list[dict[str, Any]]:
    """The stockholder meetings the ledger records (`meeting_result` events), oldest first,
    each with its tally as `charter tally --json` gives it: `charter meeting results --json`."""
    return [
        {
            "event": m.event,
            "date": m.date.isoformat(),
            "kind": m.kind,
            "record_date": m.record_date.isoformat() if m.record_date else None,
            **{k: v for k, v in m.outcome.items() if k != "date"},
        }
        for m in state.meeting_results
    ]
