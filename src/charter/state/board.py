"""The board as the ledger records it.

- Its acts: a `board_approval` event is a resolution adopted at a meeting (Bylaws Art. III §8)
  or by the unanimous written consent of the directors (§9). Events that the documents make
  depend on the board's approval name the resolution they rely on; for instance the
  exceptions (D)-(F) of Art. IV.B.3(d)(ii), "approved by the Board of Directors".
- Its size: "The number of directors which shall constitute the whole board shall be
  determined by resolution of the Board of Directors or by the stockholders at the annual
  meeting" (Art. III §1): a `board_size` event records each such determination. The whole
  board is the denominator of the board's quorum and of the seats the certificate allots by
  fractions of the authorized directors.
"""

from __future__ import annotations

from charter.ledger.events import BoardApproval, BoardSize, Grant, Issue
from charter.state.model import BoardAct, BoardSizeRecord, State
from charter.state.rejection import Rejected


def directors_in_office(state: State) -> list[str]:
    """The stakeholders the ledger marks as directors (relation `director`)."""
    return sorted(s.id for s in state.stakeholders.values() if s.has_relation("director"))


def board_consent(directors: list[str], signed: list[str]) -> tuple[bool, list[str]]:
    """Directors act without a meeting only if every one of them consents in writing (Bylaws
    Art. III §9): whether all signed, and who has not."""
    missing = sorted(set(directors) - set(signed))
    return (not missing and bool(directors)), missing


def check_board_approval(state: State, e: BoardApproval) -> None:
    """A written consent must be signed by every director in office, and only by directors;
    a resolution at a meeting is recorded as the minutes give it (no signatures)."""
    board = state.terms.bylaws.board
    if e.by == "meeting":
        if e.consents:
            raise Rejected(
                "consents are the signatures of a written consent; a resolution adopted at a "
                "meeting has none (use by: written_consent)",
                "consents",
                board.act_citation,
            )
        return
    cite = board.unanimous_written_consent_citation
    directors = directors_in_office(state)
    if not directors:
        raise Rejected(
            "no stakeholder is marked as a director (relation director), so a unanimous "
            "written consent of the board cannot be checked",
            "consents",
            cite,
        )
    strangers = sorted(set(e.consents) - set(directors))
    if strangers:
        raise Rejected(
            f"{', '.join(strangers)} signed the written consent but is not a director",
            "consents",
            cite,
        )
    ok, missing = board_consent(directors, e.consents)
    if not ok:
        raise Rejected(
            "the board acts by written consent only if every director signs it; "
            f"{', '.join(missing)} did not",
            "consents",
            cite,
        )


def apply_board_approval(state: State, e: BoardApproval) -> None:
    state.board_approvals[e.id] = BoardAct(e.id, e.date, tuple(e.approves), e.by)


def check_reference(state: State, e: Issue | Grant) -> None:
    """An issuance or grant naming a board approval names one recorded on or before it."""
    if e.board_approval is not None:
        recorded_approval(state, e.board_approval, f"{e.type} {e.id or ''}".strip())


def recorded_approval(state: State, approval: str, what: str) -> BoardAct:
    act = state.board_approvals.get(approval)
    if act is None:
        raise Rejected(
            f"{what} names board approval {approval!r}, but no board_approval event with that "
            "id is recorded before it",
            "board_approval",
            state.terms.bylaws.board.act_citation,
        )
    return act


def check_board_size(state: State, e: BoardSize) -> None:
    """Only those the bylaws in force name may fix the number of directors."""
    rules = state.terms.bylaws.board
    if e.by not in rules.size_fixed_by:
        who = " or ".join(f"the {w}" for w in rules.size_fixed_by) or "no one the terms name"
        raise Rejected(
            f"the number of directors is fixed by {who}, not by the {e.by}",
            "by",
            rules.size_citation,
        )


def apply_board_size(state: State, e: BoardSize) -> None:
    state.board_size = BoardSizeRecord(e.directors, e.date, e.by, e.id)
