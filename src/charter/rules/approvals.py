"""Every approval a corporate action needs under the terms in force: the board's resolution,
the stockholder votes of the DGCL (§242(b), §251, §271, §141(k)), the certificate's elections
and the protective provisions (Art. IV.B.6); and, given the votes, whether each is met.

One rule measures every vote, however it is taken (`evaluate`): at a meeting, the stockholder
approvals need a quorum (Bylaws Art. II §8) and an approval the bylaws measure against the
stock present (§9) counts the holders present; by written consent (§11; DGCL §228) there is
no meeting, and every approval is measured against all the stock outstanding, "as if all
shares entitled to vote thereon were present and voted". `charter approvals --votes`,
`charter consent`, `charter tally` and the recorded `stockholder_consent` and `meeting_result`
events all come here.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import msgspec
from msgspec.structs import replace

from charter.errors import CharterError, Problem
from charter.explain import Trace, all_interpretations, interpretation
from charter.numbers import per_share
from charter.rules.meetings import STOCK_MEASURE, Quorum, quorum
from charter.rules.thresholds import needed
from charter.rules.votes import VotingPower, voting_power
from charter.state.model import State
from charter.terms.model import CorporateAction, RequiredApproval, Threshold

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

SEPARATE_DIRECTOR_REMOVAL = interpretation(
    id="separate-director-removal",
    question=(
        "Who removes a director elected by one class or series voting separately (the Series C "
        "director, Art. IV.B.5(b); the seats of the Voting Shift Period, 5(a))?"
    ),
    citation="Bylaws Art. III §14; DGCL §141(k)",
    quote=(
        "any director or the entire Board of Directors may be removed, with or without cause, "
        "by the holders of a majority of shares entitled to vote at an election of directors"
    ),
    readings={
        "electing-group": (
            "the holders of the class or series that elected the director, voting as they "
            "elected (a majority of their shares)"
        ),
        "all-classes": "the holders of every share entitled to vote at any election, together",
    },
    default="electing-group",
    argument=(
        "The bylaw opens 'unless otherwise restricted by the certificate of incorporation': the "
        "certificate gives each seat to its own group, and DGCL §141(k)(2) applies the removal "
        "vote for a director elected by a class or series 'to the vote of the holders of the "
        "outstanding shares of that class or series and not to the vote of the outstanding "
        "shares as a whole'. 'Shares entitled to vote at an election of directors' are, for such "
        "a director, the shares entitled to vote at that director's election."
    ),
)

REPURCHASE_PRIOR_TO = interpretation(
    id="repurchase-prior-to",
    question=(
        "Does a repurchase of Common need the preferred's approval under Art. IV.B.6(a)(iii): "
        "is 'prior to' the preferred a rank or a time?"
    ),
    citation="Art. IV.B.6(a)(iii)",
    quote=(
        "redeem or repurchase any other class or series of stock prior to the Series A "
        "Preferred Stock, Series B Preferred Stock, ... or Series F Preferred Stock"
    ),
    readings={
        "earlier-in-time": (
            "any other class or series, repurchased before the preferred is (so while any of "
            "it is outstanding): a repurchase of Common needs the 75% vote"
        ),
        "ranking": (
            "only a class or series ranking prior to (senior to) the preferred in liquidation; "
            "Common ranks after it, so a repurchase of Common needs no 6(a) vote"
        ),
    },
    default="earlier-in-time",
    argument=(
        "Under the ranking reading the clause would reach only stock senior to the preferred, "
        "which cannot exist without the same 75% vote under 6(a)(ii): (iii) would do no work. "
        "Read as time, it keeps the company from paying out its assets to other holders before "
        "the preferred, the evil protective provisions guard against; the preferred is not "
        "redeemable, so every repurchase of another class while it is outstanding comes first."
    ),
)

MERGER_INTO = interpretation(
    id="merger-into",
    question=(
        "Does Art. IV.B.6(b)'s 'merge into or consolidate with' reach a merger in which the "
        "company survives, as 2(c)'s 'merger of this corporation with or into' does?"
    ),
    citation="Art. IV.B.6(b); Art. IV.B.2(c)",
    quote=(
        "6(b): ... sell, convey, or otherwise dispose of ... or merge into or consolidate with "
        "any other corporation ... / 2(c): a consolidation or merger of this corporation with "
        "or into any other corporation or corporations"
    ),
    readings={
        "into-only": "6(b) reaches only a merger in which the company does not survive",
        "with-or-into": "6(b) reaches every merger to which the company is a party, as 2(c)",
    },
    default="into-only",
    argument=(
        "The same certificate says 'with or into' in 2(c) and only 'into' in 6(b): different "
        "words in one instrument are read to mean different things. A merger the company "
        "survives leaves the preferred outstanding with its rights, so the preferred needs no "
        "veto over it; the DGCL §251(c) vote of all classes still applies."
    ),
)


class Approval(msgspec.Struct, frozen=True):
    """One approval: who gives it, how it is measured, the line, and the clause."""

    id: str
    body: str
    group: list[str]
    measure: str
    threshold: Fraction
    strictly_more: bool
    citation: str
    authority: str
    at_meeting: bool = False
    alternative_to: str | None = None
    note: str | None = None
    written_only: bool = False
    eligible: int | None = None
    needed: int | None = None
    for_: int | None = None
    against: int | None = None
    met: bool | None = None


class Votes(msgspec.Struct, frozen=True):
    """Who voted for and against: holders (their whole holdings) and directors. At a meeting
    (the default) `abstain` are holders present who vote neither way, and `cast` the votes a
    holder casts when fewer than all it has (a ballot of Bylaws Art. II §10); `written`: the
    holders in `for_` signed a written consent (Bylaws Art. II §11), and there is no meeting."""

    for_: list[str] = msgspec.field(default_factory=list)
    against: list[str] = msgspec.field(default_factory=list)
    abstain: list[str] = msgspec.field(default_factory=list)
    written: bool = False
    cast: Mapping[str, int] = msgspec.field(default_factory=dict)

    @property
    def present(self) -> list[str]:
        return [*self.for_, *self.against, *self.abstain]


class MeetingQuorum(msgspec.Struct, frozen=True):
    """The quorum of the meeting the votes were cast at (Bylaws Art. II §8)."""

    measure: str
    needed: int
    of: int
    present: int
    citation: str

    @property
    def met(self) -> bool:
        return self.present >= self.needed


class ApprovalsResult(msgspec.Struct, frozen=True):
    action: str
    description: str
    series: str | None
    approvals: list[Approval]
    committee: str
    trace: Trace = msgspec.field(default_factory=Trace)
    quorum: MeetingQuorum | None = None
    notes: list[str] = msgspec.field(default_factory=list)

    @property
    def met(self) -> bool | None:
        """All approvals met, an alternative standing in for the one it replaces (or alone,
        where the one it replaces is not asked: the stockholders' part of an action)."""
        if any(a.met is None for a in self.approvals):
            return None
        ok = {a.id: bool(a.met) for a in self.approvals}
        for a in self.approvals:
            if a.alternative_to is not None and a.alternative_to in ok:
                instead = ok.pop(a.id)
                ok[a.alternative_to] = ok[a.alternative_to] or instead
        return all(ok.values())

    def stockholders_part(self) -> ApprovalsResult:
        """The approvals the stockholders give (by vote at a meeting or written consent)."""
        return replace(self, approvals=[a for a in self.approvals if a.body == "stockholders"])


def action_ids(state: State) -> list[str]:
    cert = state.certificate
    ids = [a.id for a in cert.actions]
    for p in cert.protective_provisions:
        ids += [a for a in p.actions if a not in ids]
    return ids


def find_action(state: State, action: str) -> CorporateAction:
    cert = state.certificate
    for a in cert.actions:
        if a.id == action:
            return a
    raise CharterError(
        [
            Problem(
                f"{action!r} is not an action under the {cert.title}; the actions are "
                f"{', '.join(action_ids(state))}",
                field="--action",
            )
        ]
    )


def committee_power(state: State, action: CorporateAction) -> str:
    """Whether a committee of the board may take the action (Bylaws Art. III §11), from what
    the action is (its `acts`): never an act the bylaws withhold from committees (amending the
    certificate or the bylaws, a merger, ...), nor one they give to a majority of the whole
    board or of the directors in office rather than to the board acting at a meeting."""
    board = state.terms.bylaws.board
    resolutions = [a for a in action.approvals if a.body == "board"]
    if not resolutions:
        return "not a board action"
    withheld = [act for act in action.acts if act in board.committee_prohibited]
    if withheld:
        return f"may not ({', '.join(withheld)})"
    by_directors = {
        t.measure for a in resolutions if (t := a.threshold) and t.measure != "directors_present"
    }
    if by_directors:
        who = " and ".join(m.replace("_", " ") for m in sorted(by_directors))
        return f"may not (the bylaws give it to a majority of the {who})"
    if any(act in board.committee_needs_express_authority for act in action.acts):
        return "only if the board's resolution or the certificate expressly so provides"
    return "may, to the extent the board's resolution provides"


def _group(state: State, req: RequiredApproval, series: str | None, vp: VotingPower) -> list[str]:
    """The classes voting on a stockholder approval."""
    t = req.threshold
    if req.group_from is None:
        return list(t.group) if t and t.group else list(vp.classes)
    if req.group_from == "series":
        return [series] if series else []
    if req.group_from == "class_of_series":
        of_series = state.stock_class(series) if series else None
        kind = of_series.kind if of_series else "preferred"
        return [c.id for c in state.certificate.classes if c.kind == kind]
    return electing_group(state, series, vp)


def electing_group(state: State, series: str | None, vp: VotingPower) -> list[str]:
    """The classes that elect the director `series` names (Art. IV.B.5; DGCL §141(k)): in a
    Voting Shift Period the period's seats (a group electing a fraction of the directors, a
    series its seat, the rest to `remaining_to`); otherwise the certificate's separate seats,
    and every class voting together for the others. No --series: every class together."""
    voting = state.certificate.voting
    everyone = list(vp.classes)
    if series is None:
        return everyone
    shift = voting.voting_shift_period
    if vp.voting_shift_period and shift is not None:
        groups = [list(g.group) for g in shift.group_seats] + [list(shift.remaining_to)]
    else:
        groups = [list(seat.group) for seat in voting.director_seats]
    return next((g for g in groups if series in g), everyone)


def required_approvals(
    state: State,
    action: str,
    series: str | None = None,
    settings: Mapping[str, str] | None = None,
) -> ApprovalsResult:
    """Every approval `action` needs under the certificate in force, board first."""
    cert = state.certificate
    act = find_action(state, action)
    trace = Trace()
    trace.step(act.description, act.citation)
    if act.needs_series and series is None:
        raise CharterError(
            [Problem(f"{action} concerns one series: name the series", field="--series")]
        )
    if series is not None and state.stock_class(series) is None:
        raise CharterError(
            [
                Problem(
                    f"{series!r} is not a class of the {cert.title}; the classes are "
                    f"{', '.join(c.id for c in cert.classes)}",
                    field="--series",
                )
            ]
        )
    vp = voting_power(state, settings)
    board = state.terms.bylaws.board
    out: list[Approval] = []
    for req in act.approvals:
        if req.after_purchase_of and req.after_purchase_of not in state.purchase_dates:
            trace.step(f"{req.id} not needed: no {req.after_purchase_of} issued yet", req.citation)
            continue
        if req.body == "board":
            t = req.threshold or Threshold(
                fraction=board.act.fraction,
                strictly_more=board.act.strictly_more,
                measure="directors_present",
                citation=board.act_citation,
            )
            out.append(
                Approval(
                    req.id,
                    "board",
                    [],
                    t.measure,
                    t.fraction,
                    t.strictly_more,
                    t.citation,
                    req.citation,
                    note=req.note,
                )
            )
            continue
        assert req.threshold is not None
        t = req.threshold
        measure = t.measure
        group = _group(state, req, series, vp)
        if req.group_from == "electing_group":  # the bylaws' 'shares', read per bylaw-stock-measure
            measure = (
                "voting_power"
                if trace.read(STOCK_MEASURE, settings) == "voting-power"
                else "shares"
            )
            if trace.read(SEPARATE_DIRECTOR_REMOVAL, settings) == "all-classes":
                group = list(vp.classes)
            trace.step(
                f"the director is removed by the holders of {', '.join(group)}",
                req.citation,
                voting_shift_period=vp.voting_shift_period,
            )
        out.append(
            Approval(
                req.id,
                "stockholders",
                group,
                measure,
                t.fraction,
                t.strictly_more,
                t.citation,
                req.citation,
                req.at_meeting,
                req.alternative_to,
                req.note,
                req.written_consent_only,
            )
        )
    for p in cert.protective_provisions:
        if action not in p.actions:
            continue
        cite = p.action_citations.get(action, p.citation)
        if p.while_outstanding and not any(state.outstanding.get(c) for c in p.while_outstanding):
            trace.step(f"{p.id} not needed: none of its series outstanding", p.citation)
            continue
        group = list(p.threshold.group) or ([series] if series else [])
        if action in p.prior_to and not _prior_to(state, series, group, settings, trace):
            trace.step(f"{p.id} not needed: {series} is not 'prior to' {', '.join(group)}", cite)
            continue
        unless = [c.reading for c in p.only_under if c.action == action]
        if unless and not _under_reading(unless[0], settings, trace):
            trace.step(f"{p.id} not needed: asked only under the reading {unless[0]}", cite)
            continue
        if not any(state.outstanding.get(c) for c in group):
            trace.step(
                f"{p.id} not needed: no shares of {', '.join(group)} outstanding", p.citation
            )
            continue
        out.append(
            Approval(
                p.id,
                "stockholders",
                group,
                p.threshold.measure,
                p.threshold.fraction,
                p.threshold.strictly_more,
                cite,
                cite,
            )
        )
    for a in out:
        trace.cite(a.citation)
    notes = [n for n in [plan_window(state, act, trace)] if n]
    return ApprovalsResult(
        action, act.description, series, out, committee_power(state, act), trace, notes=notes
    )


def plan_window(state: State, act: CorporateAction, trace: Trace) -> str | None:
    """For a plan (`acts: [adopt_plan]`): whether, as of the state's date, any approval can
    bring the plan's grants within the employee-plan exception of Art. IV.B.3(d)(ii)(B). Its
    windows are the terms' `plan_windows`: approved before one series' Purchase Date, or after
    another's with a group's approval; between the two no approval excepts it, and the plan,
    though the board may adopt it (DGCL §157), issues Additional Stock (3(d)(i))."""
    ad = state.certificate.antidilution
    if "adopt_plan" not in act.acts or ad is None or state.as_of is None:
        return None
    today = state.as_of
    plans = [x for x in ad.exclusions if x.kind == "employee-plan" and x.plan_windows]
    closed: list[str] = []
    for x in plans:
        for w in x.plan_windows:
            if (before := w.approved_before_purchase_of) is not None:
                pd = state.purchase_dates.get(before)
                if pd is None or today < pd:
                    trace.step(
                        f"a plan approved by the board before the {before} Purchase Date "
                        "is excepted",
                        w.citation,
                    )
                    return None
                closed.append(f"on or after the {before} Purchase Date ({pd.isoformat()})")
            if (after := w.approved_after_purchase_of) is not None:
                pd = state.purchase_dates.get(after)
                if pd is not None and today > pd:
                    trace.step(
                        f"a plan approved after the {after} Purchase Date, with the "
                        "approvals listed, is excepted",
                        w.citation,
                    )
                    return None
                since = f" ({pd.isoformat()})" if pd else ""
                closed.append(f"not after the {after} Purchase Date{since}")
    if not closed:
        return None
    cite = plans[0].citation
    trace.step("no approval excepts a plan adopted now", cite)
    return (
        f"On {today.isoformat()} a plan is {' and '.join(closed)}: no approval brings its grants "
        f"within the exception of {cite}; the board may adopt it, but its grants are Additional "
        "Stock"
    )


def _prior_to(
    state: State,
    series: str | None,
    group: list[str],
    settings: Mapping[str, str] | None,
    trace: Trace,
) -> bool:
    """Whether repurchasing `series` is repurchasing 'any other class or series of stock prior
    to' the `group` (Art. IV.B.6(a)(iii); reading `repurchase-prior-to`). Without --series,
    some other class: asked."""
    if series is None:
        return True
    if series in group:
        return False  # not an "other" class or series
    if trace.read(REPURCHASE_PRIOR_TO, settings) == "earlier-in-time":
        return True
    mine = state.stock_class(series)
    tiers = [c.liquidation.tier for g in group if (c := state.stock_class(g)) and c.liquidation]
    return bool(mine and mine.liquidation and tiers and mine.liquidation.tier < min(tiers))


def _under_reading(spec: str, settings: Mapping[str, str] | None, trace: Trace) -> bool:
    """A terms condition "reading-id=choice": whether that reading is chosen."""
    name, _, choice = spec.partition("=")
    known = {i.id: i for i in all_interpretations()}
    if name not in known or choice not in known[name].readings:
        raise CharterError(
            [Problem(f"the terms name {spec!r}, which is not a reading and one of its choices")]
        )
    return trace.read(known[name], settings) == choice


def eligible_of(
    state: State,
    vp: VotingPower,
    a: Approval,
    holders: list[str] | None,
    cast: Mapping[str, int] | None = None,
) -> int:
    """Votes or shares of the group held by `holders` (every holder when None); `cast`: a
    holder casting fewer than all its votes."""
    who = holders if holders is not None else list(state.holdings)
    if a.measure == "voting_power":
        cast = cast or {}
        return sum(min(vp.of(h, a.group), cast.get(h, vp.of(h, a.group))) for h in who)
    return sum(state.held(h, c) for h in who for c in a.group)


def meeting_quorum(
    state: State,
    vp: VotingPower,
    present: list[str],
    settings: Mapping[str, str] | None,
    trace: Trace,
) -> MeetingQuorum:
    """Whether the holders `present` make a quorum (Bylaws Art. II §8)."""
    q: Quorum = quorum(state, vp, settings, trace)
    who = sorted(set(present) & set(vp.holders))
    if q.measure == "voting_power":
        amount = sum(vp.of(h) for h in who)
    else:
        amount = sum(state.held(h, c) for h in who for c in vp.classes)
    return MeetingQuorum(q.measure, q.needed, q.eligible, amount, q.citation)


def _check_voters(state: State, votes: Votes, directors: list[str]) -> None:
    problems: list[Problem] = []
    seen: set[str] = set()
    for side, ids in (("for", votes.for_), ("against", votes.against), ("abstain", votes.abstain)):
        for i in ids:
            if i in seen:
                problems.append(Problem(f"{i} votes twice", field=side))
            seen.add(i)
            if i not in state.holdings and i not in directors:
                problems.append(Problem(f"{i} holds no stock and is not a director", field=side))
    if problems:
        raise CharterError(problems)


def evaluate(
    state: State,
    result: ApprovalsResult,
    votes: Votes | None,
    directors: list[str],
    whole_board: int,
    settings: Mapping[str, str] | None = None,
) -> ApprovalsResult:
    """The line of each approval in whole votes, shares or directors; with `votes`, whether it
    is met. Stockholder approvals count each holder's whole holding of the group (or the votes
    it casts). At a meeting nothing is decided without a quorum (Bylaws Art. II §8), and an
    approval measured against the stock present (§9) counts the holders present; a written
    consent is measured against all the stock outstanding (§11; DGCL §228)."""
    vp = voting_power(state, settings)
    trace = result.trace
    if votes is not None:
        _check_voters(state, votes, directors)
    asked = any(a.body == "stockholders" for a in result.approvals)
    mq = None
    if votes is not None and not votes.written and asked:
        mq = meeting_quorum(state, vp, votes.present, settings, trace)
    elif votes is not None and votes.written and asked:
        trace.step(
            "written consent: every approval measured against all the stock outstanding, as "
            "if all of it were present and voted",
            state.terms.bylaws.stockholder_meetings.written_consent_citation,
        )
    out = []
    for a in result.approvals:
        if a.body == "board":
            present = (
                [d for d in (*votes.for_, *votes.against) if d in directors] if votes else None
            )
            pool = {
                "whole_board": whole_board,
                "directors_in_office": len(directors),
                "directors_present": len(present) if present is not None else whole_board,
            }[a.measure]
            n = needed(pool, a.threshold, a.strictly_more)
            if votes is None:
                out.append(replace(a, eligible=pool, needed=n))
                continue
            q = state.terms.bylaws.board.quorum
            assert present is not None
            quorate = len(present) >= needed(whole_board, q.fraction, q.strictly_more)
            yes = sum(1 for d in votes.for_ if d in directors)
            no = sum(1 for d in votes.against if d in directors)
            met = yes >= n and (quorate or a.measure != "directors_present")
            out.append(replace(a, eligible=pool, needed=n, for_=yes, against=no, met=met))
            continue
        if a.at_meeting and mq is not None and votes is not None:
            if trace.read(ABSTENTIONS, settings) == "votes-cast":
                pool = eligible_of(state, vp, a, [*votes.for_, *votes.against], votes.cast)
            else:
                pool = eligible_of(state, vp, a, votes.present)
        else:
            pool = eligible_of(state, vp, a, None)
        n = needed(pool, a.threshold, a.strictly_more)
        if votes is None:
            out.append(replace(a, eligible=pool, needed=n))
            continue
        yes = eligible_of(state, vp, a, votes.for_, votes.cast)
        no = eligible_of(state, vp, a, votes.against, votes.cast)
        met = yes >= n and (mq is None or mq.met) and (votes.written or not a.written_only)
        out.append(replace(a, eligible=pool, needed=n, for_=yes, against=no, met=met))
    return replace(result, approvals=out, quorum=mq)


def approvals_json(r: ApprovalsResult) -> dict[str, object]:
    """The shape of `charter approvals --json` (spec/cli-contract.md)."""
    items = []
    for a in r.approvals:
        d: dict[str, object] = {"id": a.id, "body": a.body}
        if a.body == "stockholders":
            d["group"] = a.group
        d |= {
            "measure": a.measure,
            "threshold": per_share(a.threshold),
            "more_than": a.strictly_more,
            "citation": a.citation,
            "authority": a.authority,
        }
        if a.at_meeting:
            d["at_meeting"] = True
        if a.alternative_to:
            d["alternative_to"] = a.alternative_to
        if a.written_only:
            d["written_consent_only"] = True
        if a.note:
            d["note"] = a.note
        for k, v in (
            ("eligible", a.eligible),
            ("needed", a.needed),
            ("for", a.for_),
            ("against", a.against),
            ("met", a.met),
        ):
            if v is not None:
                d[k] = v
        if a.met is not None and a.for_ is not None and a.needed is not None:
            d["margin"] = a.for_ - a.needed
        items.append(d)
    out: dict[str, object] = {
        "action": r.action,
        "description": r.description,
        "series": r.series,
        "approvals": items,
        "met": r.met,
        "committee": r.committee,
    }
    if r.quorum is not None:
        out["quorum"] = quorum_json(r.quorum)
    if r.notes:
        out["notes"] = r.notes
    return out | {
        "interpretations": list(r.trace.interpretations),
        "citations": list(r.trace.citations),
    }


def quorum_json(q: MeetingQuorum) -> dict[str, object]:
    return {
        "measure": q.measure,
        "needed": q.needed,
        "of": q.of,
        "present": q.present,
        "met": q.met,
        "citation": q.citation,
    }
