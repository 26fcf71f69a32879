"""Meetings of the board: notice of special meetings, who calls them, quorum and the act of
the board (Bylaws Art. III §7-§8), vacancies (§2) and removal (§14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.errors import CharterError, Problem
from charter.rules.thresholds import needed
from charter.terms.model import Bylaws


@dataclass(frozen=True)
class BoardMeetingPlan:
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
        citations=[b.citation + " §7", b.quorum.citation],
    )


@dataclass(frozen=True)
class BoardVote:
    item: str
    for_: int
    against: int
    needed: int
    passed: bool


def board_tally(
    bylaws: Bylaws,
    whole_board: int,
    directors: list[str],
    present: list[str],
    items: dict[str, tuple[list[str], list[str]]],
) -> tuple[bool, list[BoardVote]]:
    """With a quorum present, the act of a majority of the directors present is the act of the
    board (Bylaws Art. III §8)."""
    b = bylaws.board
    problems = [
        Problem(f"{d} is not a director", field="present") for d in present if d not in directors
    ]
    for item, (yes, no) in items.items():
        for d in (*yes, *no):
            if d not in present:
                problems.append(Problem(f"{d} votes on {item} but is not present", field=item))
        for d in set(yes) & set(no):
            problems.append(Problem(f"{d} votes both for and against {item}", field=item))
    if problems:
        raise CharterError(problems)
    quorate = len(set(present)) >= needed(whole_board, b.quorum.fraction, b.quorum.strictly_more)
    n = needed(len(set(present)), b.act.fraction, b.act.strictly_more)
    return quorate, [
        BoardVote(item, len(yes), len(no), n, quorate and len(yes) >= n)
        for item, (yes, no) in items.items()
    ]
