"""Meetings of the board: notice of special meetings, who calls them, quorum and the act of
the board (Bylaws Art. III §7-§8), vacancies (§2) and removal (§14)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from charter.errors import CharterError, Problem
from charter.explain import Trace
from charter.rules.thresholds import needed
from charter.terms.model import Bylaws


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BoardMeetingPlan(msgspec.Struct, frozen=True):
    at: dt.datetime
    mail_by: dt.date  # notice deposited in the mail by this day (Bylaws Art. IV §1)
    personal_by: dt.datetime
    whole_board: int
    quorum: int
    must_call_on_request_of: int
    citations: list[str]


def board_meeting_plan(bylaws: Bylaws, at: dt.datetime, whole_board: int) -> BoardMeetingPlan:
    """A special meeting at `at`: two days' notice by mail, or 48 hours personally or by
    telegram; called by the president, and must be on the written request of two directors
    (one if the board has one) (Bylaws Art. III §7); quorum a majority of the whole board (§8)."""
    b = bylaws.board
    if whole_board < 1:
        raise CharterError(
            [Problem("the board must have at least one director", field="--directors")]
        )
    return BoardMeetingPlan(
        at=at,
        mail_by=at.date() - dt.timedelta(days=b.special_notice_mail_days),
        personal_by=at - dt.timedelta(hours=b.special_notice_personal_hours),
        whole_board=whole_board,
        quorum=needed(whole_board, b.quorum.fraction, b.quorum.strictly_more),
        must_call_on_request_of=min(b.special_required_on_request_of_directors, whole_board),
        citations=[c for c in (b.special_meetings_citation, b.quorum.citation) if c],
    )


class BoardBallot(_Strict):
    director: str
    item: str
    vote: Literal["for", "against", "abstain"]


class BoardTallyInput(_Strict):
    """What the minutes record: the meeting's date, the directors present, the items and
    each director's vote."""

    date: dt.date
    present: list[str]
    items: list[str]
    ballots: list[BoardBallot] = []

    @field_validator("items", mode="before")
    @classmethod
    def _named(cls, items: Any) -> Any:
        """`items: [{id: x}]` is `items: [x]`, as in a stockholder tally's file."""
        if not isinstance(items, list):
            return items
        return [i["id"] if isinstance(i, dict) and list(i) == ["id"] else i for i in items]


def parse_board_tally_input(data: Any, source: str) -> BoardTallyInput:
    try:
        return BoardTallyInput.model_validate(data)
    except ValidationError as e:
        raise CharterError(
            [
                Problem(err["msg"], file=source, field=".".join(str(p) for p in err["loc"]) or None)
                for err in e.errors()
            ]
        ) from e


def votes_by_item(data: BoardTallyInput, source: str) -> dict[str, tuple[list[str], list[str]]]:
    """`{item: (for, against)}` from the ballots; one ballot per director and item, and only
    on the items listed."""
    items: dict[str, tuple[list[str], list[str]]] = {i: ([], []) for i in data.items}
    problems = [
        Problem(f"{i} is listed twice", file=source, field="items")
        for i in sorted({i for i in data.items if data.items.count(i) > 1})
    ]
    seen: set[tuple[str, str]] = set()
    for n, b in enumerate(data.ballots):
        where = f"ballots.{n}"
        if b.item not in items:
            problems.append(Problem(f"{b.item} is not one of the items", file=source, field=where))
        elif (b.director, b.item) in seen:
            problems.append(
                Problem(f"{b.director} votes twice on {b.item}", file=source, field=where)
            )
        else:
            seen.add((b.director, b.item))
            yes, no = items[b.item]
            if b.vote == "for":
                yes.append(b.director)
            elif b.vote == "against":
                no.append(b.director)
    if problems:
        raise CharterError(problems)
    return items


class BoardVote(msgspec.Struct, frozen=True):
    item: str
    for_: int
    against: int
    needed: int
    passed: bool


class BoardTally(msgspec.Struct, frozen=True):
    whole_board: int
    present: int
    quorum: int
    quorate: bool
    votes: list[BoardVote]
    trace: Trace = msgspec.field(default_factory=Trace)


def board_tally(
    bylaws: Bylaws,
    whole_board: int,
    directors: list[str],
    present: list[str],
    items: dict[str, tuple[list[str], list[str]]],
    source: str | None = None,
) -> BoardTally:
    """With a quorum present, the act of a majority of the directors present is the act of the
    board (Bylaws Art. III §8). `source` names the minutes file in the problems."""
    b = bylaws.board
    problems = [
        Problem(f"{d} is not a director", file=source, field="present")
        for d in present
        if d not in directors
    ]
    problems += [
        Problem(f"{d} is listed twice", file=source, field="present")
        for d in sorted({d for d in present if present.count(d) > 1})
    ]
    for item, (yes, no) in items.items():
        cast = [*yes, *no]
        for d in sorted(set(cast)):
            if d not in directors:
                problems.append(
                    Problem(f"{d} votes on {item} but is not a director", file=source, field=item)
                )
            elif d not in present:
                problems.append(
                    Problem(f"{d} votes on {item} but is not present", file=source, field=item)
                )
            elif d in yes and d in no:
                problems.append(
                    Problem(f"{d} votes both for and against {item}", file=source, field=item)
                )
            elif cast.count(d) > 1:
                problems.append(Problem(f"{d} votes twice on {item}", file=source, field=item))
    if problems:
        raise CharterError(problems)
    trace = Trace()
    quorum = needed(whole_board, b.quorum.fraction, b.quorum.strictly_more)
    quorate = len(present) >= quorum
    trace.step(
        "quorum: a majority of the whole board",
        b.quorum.citation,
        whole_board=whole_board,
        quorum=quorum,
        present=len(present),
    )
    n = needed(len(present), b.act.fraction, b.act.strictly_more)
    trace.step("the act of a majority of the directors present", b.act_citation, needed=n)
    return BoardTally(
        whole_board,
        len(present),
        quorum,
        quorate,
        [
            BoardVote(item, len(yes), len(no), n, quorate and len(yes) >= n)
            for item, (yes, no) in items.items()
        ],
        trace,
    )


def board_tally_json(t: BoardTally) -> dict[str, object]:
    return {
        "whole_board": t.whole_board,
        "quorum": {"needed": t.quorum, "present": t.present, "met": t.quorate},
        "items": [
            {
                "id": v.item,
                "present": t.present,
                "for": v.for_,
                "against": v.against,
                "abstain_or_not_voting": t.present - v.for_ - v.against,
                "needed": v.needed,
                "passed": v.passed,
            }
            for v in t.votes
        ],
        "citations": list(t.trace.citations),
    }
