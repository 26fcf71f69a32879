"""Deciding the items of a stockholder meeting from the ballots cast: quorum (Bylaws Art. II
§8), a majority of the voting power present unless a different vote is required (§9),
directors by plurality (§2), no cumulative voting (§10; the certificate provides none),
proxies no older than three years unless they say longer (§10).

A question is decided by the rule of `charter approvals` (rules/approvals.py: `evaluate`): an
item that names its `action` needs every stockholder approval of that action (the vote of the
statute or the certificate, "in which case such express provision shall govern", §9), and any
other question the bylaws' vote of the stock present."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, ValidationError

from charter.errors import CharterError, Problem
from charter.explain import Trace
from charter.ledger.events import MeetingBallot, MeetingItem, MeetingResult
from charter.rules.approvals import (
    Approval,
    ApprovalsResult,
    MeetingQuorum,
    Votes,
    approvals_json,
    evaluate,
    meeting_quorum,
    required_approvals,
)
from charter.rules.meetings import notice_window
from charter.rules.votes import VotingPower, voting_power
from charter.state.model import State
from charter.state.rejection import Rejected


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Item = MeetingItem  # the ledger's `meeting_result` event records the same items and ballots
Ballot = MeetingBallot


class TallyInput(_Strict):
    date: dt.date
    kind: Literal["annual", "special"] = "annual"
    noticed: list[str] = []  # items whose purpose the notice stated
    items: list[Item]  # each {id: x, ...}, or just x for a plain question
    ballots: list[Ballot]
    notice_date: dt.date | None = None  # when notice was mailed (Bylaws Art. II §3, §6)
    waivers: dict[str, dt.date] = {}  # written waivers (Art. IV §2)


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


class ItemResult(msgspec.Struct, frozen=True):
    id: str
    kind: str
    present: int
    for_: int = 0
    against: int = 0
    abstain: int = 0
    needed: int = 0
    passed: bool | None = None
    elected: list[str] = msgspec.field(default_factory=list)
    tied: list[str] = msgspec.field(default_factory=list)
    candidates: dict[str, int] = msgspec.field(default_factory=dict)
    decided: ApprovalsResult | None = None  # a question: the approvals that decide it


class TallyResult(msgspec.Struct, frozen=True):
    date: dt.date
    quorum: MeetingQuorum
    items: list[ItemResult]
    refused_proxies: list[str]
    trace: Trace

    @property
    def quorum_needed(self) -> int:
        return self.quorum.needed

    @property
    def present(self) -> int:
        return self.quorum.present

    @property
    def quorate(self) -> bool:
        return self.quorum.met


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


def notice_given(
    state: State, data: TallyInput, present: set[str], vp: VotingPower, source: str
) -> list[Problem]:
    """Notice mailed outside the bylaws' window (Art. II §3, §6) is no notice; the meeting
    may still act if each holder entitled to vote waived notice in writing, "before or after
    the time stated therein" (Art. IV §2), or attended (DGCL §229). A waiver by someone not
    entitled to vote is refused."""
    bylaws = state.terms.bylaws
    waiver_cite = bylaws.stockholder_meetings.notice_waiver_citation or "DGCL §229"
    problems = [
        Problem(
            f"{h} signed a waiver of notice but holds no stock entitled to vote",
            file=source,
            field=f"waivers.{h}",
            citation=waiver_cite,
        )
        for h in data.waivers
        if h not in vp.holders
    ]
    if data.notice_date is None:
        return problems
    window, cite = notice_window(bylaws, data.kind, data.date)
    if window.contains(data.notice_date):
        return problems
    missing = sorted(h for h in vp.holders if h not in data.waivers and h not in present)
    if missing:
        problems.append(
            Problem(
                f"notice mailed on {data.notice_date.isoformat()} is outside the window "
                f"{window.first.isoformat()} to {window.last.isoformat()}, and "
                f"{', '.join(missing)} neither waived notice in writing nor attended",
                file=source,
                field="notice_date",
                citation=f"{cite}; {waiver_cite}; DGCL §229",
            )
        )
    return problems


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
    problems.extend(notice_given(state, data, {b.holder for b in counted}, vp, source))
    if problems:
        raise CharterError(problems)
    if data.notice_date is not None or data.waivers:
        trace.step(
            "notice given within the window, or waived",
            state.terms.bylaws.stockholder_meetings.notice_waiver_citation,
            waivers=len(data.waivers),
        )
    trace.step("proxies older than allowed refused", rules.proxy_citation, refused=len(refused))
    present_holders = sorted({b.holder for b in counted})
    mq = meeting_quorum(state, vp, present_holders, settings, trace)
    results = []
    for n, item in enumerate(data.items):
        group = item.group or None
        power = {h: vp.of(h, group) for h in present_holders}
        mine = [b for b in counted if b.item == item.id]
        present_power = sum(power.values())
        if item.kind == "election":
            cast = {b.holder: (b.votes if b.votes is not None else power[b.holder]) for b in mine}
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
                    passed=mq.met and not tied,
                    elected=elected if mq.met else [],
                    tied=tied,
                    candidates=dict(ranked),
                )
            )
            continue
        where = {"file": source, "field": f"items.{n}"}
        decided = question_approvals(state, item, vp, settings, where)
        votes = Votes(
            for_=[b.holder for b in mine if b.vote == "for"],
            against=[b.holder for b in mine if b.vote == "against"],
            abstain=[h for h in present_holders if not any(b.holder == h for b in mine)]
            + [b.holder for b in mine if b.vote == "abstain"],
            cast={b.holder: b.votes for b in mine if b.votes is not None},
        )
        if item.action and votes.cast:
            raise CharterError(
                [
                    Problem(
                        "a ballot on an item that names its action casts the holder's whole "
                        "holding (the action's approvals count shares and votes of several "
                        "groups)",
                        **where,  # type: ignore[arg-type]
                    )
                ]
            )
        decided = evaluate(state, decided, votes, [], 0, settings)
        for k, v in decided.trace.interpretations.items():
            trace.interpretations[k] = v
        for c in decided.trace.citations:
            trace.cite(c)
        first = decided.approvals[0]
        yes, no = first.for_ or 0, first.against or 0
        results.append(
            ItemResult(
                item.id,
                "question",
                present_power,
                yes,
                no,
                present_power - yes - no,
                first.needed or 0,
                bool(decided.met),
                decided=decided,
            )
        )
    return TallyResult(data.date, mq, results, refused, trace)


def meeting_decision(state: State, e: MeetingResult) -> TallyResult:
    """The rule of `charter tally` for a `meeting_result` event replayed, over the ledger as
    it stands: Rejected (the event refused) with the ballots' problems (a holder without
    votes on the item, two ballots, an item a special meeting's notice did not state,
    cumulative votes)."""
    data = TallyInput(
        date=e.date,
        kind=e.kind,
        noticed=e.noticed,
        items=e.items,
        ballots=e.ballots,
        notice_date=e.notice_date,
        waivers=e.waivers,
    )
    try:
        return tally(state, data, "", state.readings)
    except CharterError as err:
        first = err.problems[0]
        raise Rejected(
            "; ".join(p.message.rstrip(".") for p in err.problems),
            first.field,
            first.citation,
        ) from err


def question_approvals(
    state: State,
    item: Item,
    vp: VotingPower,
    settings: Mapping[str, str] | None,
    where: Mapping[str, str],
) -> ApprovalsResult:
    """What decides a question (Bylaws Art. II §9): the stockholder approvals of the action it
    names, or else the vote of the stock present that the bylaws set."""
    rules = state.terms.bylaws.stockholder_meetings
    if item.action is not None:
        if item.group:
            raise CharterError(
                [
                    Problem(
                        f"{item.id!r} names its action; the action's approvals name the "
                        "groups that vote, so the item gives no group",
                        **where,  # type: ignore[arg-type]
                    )
                ]
            )
        try:
            decided = required_approvals(state, item.action, item.series, settings)
        except CharterError as e:
            raise CharterError([replace_where(p, where) for p in e.problems]) from e
        decided = decided.stockholders_part()
        if not decided.approvals:
            raise CharterError(
                [
                    Problem(
                        f"{item.action} needs no vote of the stockholders under the "
                        f"{state.certificate.title}",
                        **where,  # type: ignore[arg-type]
                    )
                ]
            )
        return decided
    std = rules.vote_standard
    group = list(item.group) or list(vp.classes)
    standard = Approval(
        "vote-standard",
        "stockholders",
        group,
        "voting_power",
        std.fraction,
        std.strictly_more,
        rules.vote_standard_citation,
        rules.vote_standard_citation,
        at_meeting=True,
    )
    trace = Trace()
    trace.step(f"{item.id}: majority of the voting power present", rules.vote_standard_citation)
    return ApprovalsResult(
        item.id, "a question brought before the meeting", None, [standard], "", trace
    )


def replace_where(p: Problem, where: Mapping[str, str]) -> Problem:
    """A problem of the approvals rule, placed at the item that asked it."""
    return Problem(p.message, file=where.get("file"), field=where.get("field"), citation=p.citation)


def _vote(ballots: list[Ballot], holder: str) -> str | None:
    return next(b.vote for b in ballots if b.holder == holder)


def item_json(i: ItemResult) -> dict[str, object]:
    """One item of `charter tally --json`; a question carries the approvals that decided it
    (as `charter approvals --json` lists them) and, naming one, its action."""
    out: dict[str, object] = {"id": i.id, "kind": i.kind, "present": i.present}
    if i.kind == "election":
        out |= {"elected": i.elected, "tied": i.tied, "candidates": i.candidates}
    else:
        out |= {
            "for": i.for_,
            "against": i.against,
            "abstain_or_not_voting": i.abstain,
            "needed": i.needed,
        }
        if i.decided is not None:
            decided = approvals_json(i.decided)
            if i.decided.action != i.id:
                out |= {"action": i.decided.action, "series": i.decided.series}
            out["approvals"] = decided["approvals"]
    return out | {"passed": i.passed}


def tally_json(r: TallyResult) -> dict[str, object]:
    return {
        "date": r.date.isoformat(),
        "quorum": {
            "measure": r.quorum.measure,
            "needed": r.quorum_needed,
            "of": r.quorum.of,
            "present": r.present,
            "met": r.quorate,
        },
        "items": [item_json(i) for i in r.items],
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
