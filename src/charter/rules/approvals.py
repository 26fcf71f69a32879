"""Every approval a corporate action needs under the terms in force: the board's resolution,
the stockholder votes of the DGCL (§242(b), §251, §271, §141(k)), the certificate's elections
and the protective provisions (Art. IV.B.6); and, given the votes, whether each is met."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction

from charter.errors import CharterError, Problem
from charter.explain import Trace
from charter.numbers import per_share
from charter.rules.meetings import STOCK_MEASURE
from charter.rules.thresholds import needed
from charter.rules.votes import VotingPower, voting_power
from charter.state.model import State
from charter.terms.model import CorporateAction, RequiredApproval, Threshold


@dataclass(frozen=True)
class Approval:
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
    eligible: int | None = None
    needed: int | None = None
    for_: int | None = None
    against: int | None = None
    met: bool | None = None


@dataclass(frozen=True)
class Votes:
    """Who voted for and against: holders (their whole holdings) and directors."""

    for_: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ApprovalsResult:
    action: str
    description: str
    series: str | None
    approvals: list[Approval]
    committee: str
    trace: Trace = field(default_factory=Trace)

    @property
    def met(self) -> bool | None:
        """All approvals met, an alternative standing in for the one it replaces."""
        if any(a.met is None for a in self.approvals):
            return None
        ok = {a.id: bool(a.met) for a in self.approvals}
        for a in self.approvals:
            if a.alternative_to is not None:
                ok[a.alternative_to] = ok[a.alternative_to] or ok.pop(a.id)
        return all(ok.values())


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
    """Whether a committee of the board may take the action (Bylaws Art. III §11)."""
    board = state.terms.bylaws.board
    if not any(a.body == "board" for a in action.approvals):
        return "not a board action"
    if action.id in board.committee_prohibited:
        return "may not"
    if action.id in board.committee_needs_express_authority:
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
    # electing_group: the class or series that elected the director (DGCL §141(k))
    if series is None:
        return list(vp.classes)
    for seat in state.certificate.voting.director_seats:
        if series in seat.group:
            return list(seat.group)
    raise CharterError(
        [
            Problem(
                f"{series} elects no director voting separately; a director elected by all "
                "classes together is removed by them (omit --series)",
                field="--series",
                citation="DGCL §141(k)",
            )
        ]
    )


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
            [Problem(f"{action} concerns one series: name it with --series", field="--series")]
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
        if req.group_from == "electing_group":  # the bylaws' 'shares', read per bylaw-stock-measure
            measure = (
                "voting_power"
                if trace.read(STOCK_MEASURE, settings) == "voting-power"
                else "shares"
            )
        out.append(
            Approval(
                req.id,
                "stockholders",
                _group(state, req, series, vp),
                measure,
                t.fraction,
                t.strictly_more,
                t.citation,
                req.citation,
                req.at_meeting,
                req.alternative_to,
                req.note,
            )
        )
    for p in cert.protective_provisions:
        if action not in p.actions:
            continue
        if p.while_outstanding and not any(state.outstanding.get(c) for c in p.while_outstanding):
            trace.step(f"{p.id} not needed: none of its series outstanding", p.citation)
            continue
        group = list(p.threshold.group) or ([series] if series else [])
        if not any(state.outstanding.get(c) for c in group):
            trace.step(
                f"{p.id} not needed: no shares of {', '.join(group)} outstanding", p.citation
            )
            continue
        cite = p.action_citations.get(action, p.citation)
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
    return ApprovalsResult(action, act.description, series, out, committee_power(state, act), trace)


def eligible_of(state: State, vp: VotingPower, a: Approval, holders: list[str] | None) -> int:
    """Votes or shares of the group held by `holders` (every holder when None)."""
    who = holders if holders is not None else list(state.holdings)
    if a.measure == "voting_power":
        return sum(vp.of(h, a.group) for h in who)
    return sum(state.held(h, c) for h in who for c in a.group)


def evaluate(
    state: State,
    result: ApprovalsResult,
    votes: Votes | None,
    directors: list[str],
    whole_board: int,
    settings: Mapping[str, str] | None = None,
) -> ApprovalsResult:
    """The line of each approval in whole votes, shares or directors; with `votes`, whether it
    is met. Stockholder approvals count each holder's whole holding of the group."""
    vp = voting_power(state, settings)
    problems: list[Problem] = []
    if votes is not None:
        seen: set[str] = set()
        for side, ids in (("for", votes.for_), ("against", votes.against)):
            for i in ids:
                if i in seen:
                    problems.append(Problem(f"{i} votes twice", field=side))
                seen.add(i)
                if i not in state.holdings and i not in directors:
                    problems.append(
                        Problem(f"{i} holds no stock and is not a director", field=side)
                    )
    if problems:
        raise CharterError(problems)
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
        if a.at_meeting and votes is not None:
            pool = eligible_of(state, vp, a, [*votes.for_, *votes.against])
        else:
            pool = eligible_of(state, vp, a, None)
        n = needed(pool, a.threshold, a.strictly_more)
        if votes is None:
            out.append(replace(a, eligible=pool, needed=n))
            continue
        yes = eligible_of(state, vp, a, votes.for_)
        no = eligible_of(state, vp, a, votes.against)
        out.append(replace(a, eligible=pool, needed=n, for_=yes, against=no, met=yes >= n))
    return replace(result, approvals=out)


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
    return {
        "action": r.action,
        "description": r.description,
        "series": r.series,
        "approvals": items,
        "met": r.met,
        "committee": r.committee,
        "interpretations": list(r.trace.interpretations),
        "citations": list(r.trace.citations),
    }
