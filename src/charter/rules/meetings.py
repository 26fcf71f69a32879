"""Stockholder meetings: notice and record-date windows, the stockholder list, who is entitled
to notice and to vote, the quorum, who may call a special meeting, adjournments (Bylaws Art. II,
Art. IV §1, Art. VI §5; DGCL §213, §219, §222)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import msgspec

from charter.errors import CharterError, Problem
from charter.explain import Trace, interpretation
from charter.rules.thresholds import needed
from charter.rules.votes import VotingPower, voting_power
from charter.state.model import State
from charter.state.record_dates import record_date_refusal
from charter.terms.model import Bylaws, DayWindow, Threshold

STOCK_MEASURE = interpretation(
    id="bylaw-stock-measure",
    question=(
        "Where the bylaws count 'stock' or 'shares' (the quorum, the holders who may require a "
        "special meeting, the removal of directors), is it shares or votes?"
    ),
    citation="Bylaws Art. II §8; DGCL §212(a)",
    quote=(
        "The holders of fifty percent (50%) of the stock issued and outstanding and entitled "
        "to vote thereat, present in person or represented by proxy, shall constitute a quorum"
    ),
    readings={
        "voting-power": "votes: each share counts with the votes the certificate gives it",
        "shares": "shares: each share counts once, whatever its votes",
    },
    default="voting-power",
    argument=(
        "Bylaws Art. II §10 gives one vote per share 'unless otherwise provided in the "
        "certificate', and the certificate gives each preferred share the votes of 10 or 14 "
        "common shares (Art. IV.B.5(c)). DGCL §212(a) reads the statute's own references to a "
        "proportion of stock, where a share has more or less than one vote, as that proportion "
        "of the votes; the bylaws, written against that statute, are read the same way."
    ),
)

QUORUM_AT_HALF = interpretation(
    id="quorum-at-half",
    question="Do holders of exactly fifty percent make a quorum, or must they exceed it?",
    citation="Bylaws Art. II §8",
    quote="The holders of fifty percent (50%) of the stock ... shall constitute a quorum",
    readings={
        "at-least-half": "exactly 50% present is a quorum",
        "more-than-half": "more than 50% must be present",
    },
    default="at-least-half",
    argument=(
        "The bylaw names fifty percent itself, not a majority: holders of 50% 'shall "
        "constitute' a quorum. DGCL §216 lets the bylaws set a quorum as low as one third, so "
        "nothing requires reading a majority into it."
    ),
)


class Window(msgspec.Struct, frozen=True):
    first: dt.date
    last: dt.date

    def contains(self, d: dt.date) -> bool:
        return self.first <= d <= self.last


def window_before(date: dt.date, w: DayWindow) -> Window:
    """'Not less than min nor more than max days before the date', counted in calendar days."""
    return Window(date - dt.timedelta(days=w.max_days), date - dt.timedelta(days=w.min_days))


def notice_window(bylaws: Bylaws, kind: str, date: dt.date) -> tuple[Window, str]:
    """When written notice of the meeting may be mailed (Bylaws Art. II §3, §6; deemed given
    when deposited in the mail, Art. IV §1)."""
    rules = bylaws.stockholder_meetings
    w = rules.annual_notice if kind == "annual" else rules.special_notice
    return window_before(date, w), w.citation


def record_date_for(
    bylaws: Bylaws,
    kind: str,
    date: dt.date,
    fixed: dt.date | None = None,
    notice_date: dt.date | None = None,
) -> tuple[dt.date, str]:
    """The record date: the one the board fixed (within Bylaws Art. VI §5's window), or the
    close of business on the day before notice is given (DGCL §213(a)); with no notice date
    known, the day before the last day notice may be given."""
    if fixed is not None:
        check_meeting_record_date(bylaws, fixed, date)
        return fixed, f"fixed by the board ({bylaws.record_dates.meeting.citation})"
    if notice_date is not None:
        return notice_date - dt.timedelta(days=1), "the day before notice is given (DGCL §213(a))"
    notice, _ = notice_window(bylaws, kind, date)
    return (
        notice.last - dt.timedelta(days=1),
        "none fixed and no notice date given: the day before the last day notice may be "
        "given (DGCL §213(a))",
    )


def check_meeting_record_date(
    bylaws: Bylaws, record_date: dt.date, meeting: dt.date, where: str = "--record-date"
) -> None:
    """A record date fixed for a meeting is within the window of Bylaws Art. VI §5."""
    refusal = record_date_refusal(bylaws, record_date, meeting=meeting)
    if refusal is not None:
        raise CharterError([Problem(refusal[0], field=where, citation=refusal[1])])


def bylaw_measure(
    settings: Mapping[str, str] | None, trace: Trace
) -> Literal["voting_power", "shares"]:
    """How the bylaws' 'stock' is counted (reading `bylaw-stock-measure`)."""
    choice = trace.read(STOCK_MEASURE, settings)
    return "voting_power" if choice == "voting-power" else "shares"


def entitled_total(state: State, vp: VotingPower, measure: str) -> int:
    """The stock outstanding and entitled to vote, in votes or in shares."""
    if measure == "voting_power":
        return vp.total
    return sum(state.outstanding.get(c, 0) for c in vp.classes)


def holder_amount(state: State, vp: VotingPower, holder: str, measure: str) -> int:
    if measure == "voting_power":
        return vp.of(holder)
    return sum(state.held(holder, c) for c in vp.classes)


class Quorum(msgspec.Struct, frozen=True):
    measure: str
    eligible: int
    needed: int
    citation: str


def quorum(
    state: State, vp: VotingPower, settings: Mapping[str, str] | None, trace: Trace
) -> Quorum:
    """The holders of the bylaws' fraction of the stock entitled to vote, present in person or
    by proxy (Bylaws Art. II §8)."""
    q = state.terms.bylaws.stockholder_meetings.quorum
    measure = bylaw_measure(settings, trace)
    strictly = q.strictly_more or trace.read(QUORUM_AT_HALF, settings) == "more-than-half"
    eligible = entitled_total(state, vp, measure)
    n = needed(eligible, q.fraction, strictly)
    trace.step("quorum", q.citation, measure=measure, entitled=eligible, needed=n)
    return Quorum(measure, eligible, n, q.citation)


class Caller(msgspec.Struct, frozen=True):
    who: str
    must_call: bool
    needed: int | None = None
    of: int | None = None
    measure: str | None = None


class Adjournment(msgspec.Struct, frozen=True):
    adjourned_to: dt.date
    days: int
    new_record_date: bool
    notice_required: bool
    citation: str


def adjournment(
    bylaws: Bylaws, original: dt.date, adjourned_to: dt.date, new_record_date: bool
) -> Adjournment:
    """New notice is needed when the adjournment is for more than the bylaws' days, or a new
    record date is fixed (Bylaws Art. II §8; Art. VI §5)."""
    rules = bylaws.stockholder_meetings
    if adjourned_to <= original:
        raise CharterError(
            [Problem("an adjourned meeting must be after the original date", field="--adjourn-to")]
        )
    days = (adjourned_to - original).days
    required = days > rules.adjournment_notice_after_days or new_record_date
    return Adjournment(adjourned_to, days, new_record_date, required, rules.adjournment_citation)


class MeetingPlan(msgspec.Struct, frozen=True):
    kind: str
    date: dt.date
    purposes: list[str]
    notice: Window
    notice_citation: str
    record_window: Window
    record_date: dt.date
    record_date_basis: str
    list_ready_by: dt.date
    written_consent_allowed: bool
    quorum: Quorum
    entitled: dict[str, int]  # holder -> votes, as of the record date
    callers: list[Caller]
    adjournment: Adjournment | None
    trace: Trace = msgspec.field(default_factory=Trace)


def meeting_plan(
    state: State,
    kind: str,
    date: dt.date,
    record_date: dt.date,
    record_date_basis: str,
    whole_board: int,
    purposes: list[str] | None = None,
    notice_date: dt.date | None = None,
    adjourn_to: dt.date | None = None,
    new_record_date: bool = False,
    settings: Mapping[str, str] | None = None,
) -> MeetingPlan:
    """Everything a secretary needs to hold a meeting on `date`; `state` is as of the record
    date."""
    bylaws = state.terms.bylaws
    rules = bylaws.stockholder_meetings
    purposes = purposes or []
    problems: list[Problem] = []
    if kind not in ("annual", "special"):
        problems.append(Problem(f"{kind!r} is not annual or special", field="--kind"))
    if kind == "special" and not purposes:
        problems.append(
            Problem(
                "the notice of a special meeting must state its purposes",
                field="--purpose",
                citation=rules.special_notice.citation,
            )
        )
    notice, notice_cite = notice_window(bylaws, kind, date)
    if notice_date is not None and not notice.contains(notice_date):
        problems.append(
            Problem(
                f"notice mailed on {notice_date.isoformat()} is outside the window "
                f"{notice.first.isoformat()} to {notice.last.isoformat()}",
                field="--notice-date",
                citation=notice_cite,
            )
        )
    if problems:
        raise CharterError(problems)
    trace = Trace()
    trace.step("notice window", notice_cite, first=notice.first, last=notice.last)
    trace.cite(rules.notice_deemed_given_when_mailed_citation)
    record_window = window_before(date, bylaws.record_dates.meeting)
    trace.step(
        "record date",
        bylaws.record_dates.meeting.citation,
        record_date=record_date,
        basis=record_date_basis,
    )
    list_ready_by = date - dt.timedelta(days=rules.list_ready_days_before)
    trace.step("stockholder list ready", rules.list_citation, by=list_ready_by)
    vp = voting_power(state, settings)
    q = quorum(state, vp, settings, trace)
    callers = [Caller(who, False) for who in rules.special_callers]
    for t in rules.special_required_on_request_of:
        callers.append(request_caller(state, vp, t, whole_board, q.measure))
    if kind == "special":
        trace.step("special meeting callers", rules.special_callers_citation)
        trace.step(
            "business limited to the purposes in the notice",
            rules.special_business_limited_citation,
        )
    adj = None
    if adjourn_to is not None:
        adj = adjournment(bylaws, date, adjourn_to, new_record_date)
        trace.step("adjournment", adj.citation, days=adj.days, notice=adj.notice_required)
    consent = state.certificate.voting.stockholder_written_consent
    trace.cite(state.certificate.voting.written_consent_citation)
    return MeetingPlan(
        kind=kind,
        date=date,
        purposes=purposes,
        notice=notice,
        notice_citation=notice_cite,
        record_window=record_window,
        record_date=record_date,
        record_date_basis=record_date_basis,
        list_ready_by=list_ready_by,
        written_consent_allowed=consent,
        quorum=q,
        entitled={h: hv.votes for h, hv in vp.holders.items()},
        callers=callers,
        adjournment=adj,
        trace=trace,
    )


def request_caller(
    state: State, vp: VotingPower, t: Threshold, whole_board: int, measure: str
) -> Caller:
    """Who may require the president to call a special meeting (Bylaws Art. II §5)."""
    if "board" in t.group:
        return Caller(
            "board",
            True,
            needed(whole_board, t.fraction, t.strictly_more),
            whole_board,
            "whole_board",
        )
    total = entitled_total(state, vp, measure)
    return Caller("stockholders", True, needed(total, t.fraction, t.strictly_more), total, measure)


def meeting_plan_json(p: MeetingPlan) -> dict[str, object]:
    """The shape of `charter meeting plan --json` (spec/cli-contract.md)."""
    return {
        "kind": p.kind,
        "date": p.date.isoformat(),
        "purposes": p.purposes,
        "notice_window": {"first": p.notice.first.isoformat(), "last": p.notice.last.isoformat()},
        "record_date_window": {
            "earliest": p.record_window.first.isoformat(),
            "latest": p.record_window.last.isoformat(),
        },
        "record_date": p.record_date.isoformat(),
        "record_date_basis": p.record_date_basis,
        "list_ready_by": p.list_ready_by.isoformat(),
        "written_consent_allowed": p.written_consent_allowed,
        "quorum": {"measure": p.quorum.measure, "needed": p.quorum.needed, "of": p.quorum.eligible},
        "entitled_to_notice_and_vote": p.entitled,
        "special_meeting_callers": [
            {k: v for k, v in msgspec.structs.asdict(c).items() if v is not None} for c in p.callers
        ],
        "business_limited_to_notice": p.kind == "special",
        "adjournment": None
        if p.adjournment is None
        else {
            "adjourned_to": p.adjournment.adjourned_to.isoformat(),
            "days": p.adjournment.days,
            "new_record_date": p.adjournment.new_record_date,
            "notice_required": p.adjournment.notice_required,
        },
        "interpretations": list(p.trace.interpretations),
        "readings": dict(p.trace.interpretations),
        "citations": list(p.trace.citations),
    }


class ListLine(msgspec.Struct, frozen=True):
    holder: str
    name: str
    address: str | None
    shares: dict[str, int]
    votes: int


def stockholder_list(state: State, settings: Mapping[str, str] | None = None) -> list[ListLine]:
    """The stockholders entitled to vote, in alphabetical order, with address and shares
    registered in each name (Bylaws Art. II §4; DGCL §219(a)); `state` is as of the record
    date."""
    vp = voting_power(state, settings)
    lines = []
    for h, hv in vp.holders.items():
        s = state.stakeholders.get(h)
        lines.append(
            ListLine(
                holder=h,
                name=s.name if s else h,
                address=s.address if s else None,
                shares={c: state.held(h, c) for c in hv.by_class},
                votes=hv.votes,
            )
        )
    return sorted(lines, key=lambda line: (line.name.casefold(), line.holder))
