"""The right of first refusal as a process on the ledger (Bylaws Art. VIII §1).

A transfer while the right is in force needs a valid exemption (§1(f)) or a notice (§1(a))
whose option the company did not exercise, or that was waived (§1(g)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.ledger.events import (
    Repurchase,
    RofrAssign,
    RofrExercise,
    RofrNotice,
    RofrWaive,
    Transfer,
)
from charter.state.holdings import require_class, require_held, require_holder
from charter.state.model import State
from charter.state.rejection import Rejected


@dataclass
class NoticeState:
    id: str
    holder: str
    class_id: str
    shares: int
    price: str
    transferee: str
    received: dt.date
    exercised_by: str | None = None
    assigned_to: list[str] | None = None
    waived_by: str | None = None
    completed: bool = False


def notices(state: State) -> dict[str, NoticeState]:
    store: dict[str, NoticeState] = state.__dict__.setdefault("rofr_notices", {})
    return store


def require_notice(state: State, notice_id: str) -> NoticeState:
    n = notices(state).get(notice_id)
    if n is None:
        raise Rejected(f"right-of-first-refusal notice {notice_id!r} does not exist", "notice")
    return n


def check_notice(state: State, e: RofrNotice) -> None:
    require_holder(state, e.holder, "holder")
    require_holder(state, e.transferee, "transferee")
    require_class(state, e.class_)
    require_held(state, e.holder, e.class_, e.shares, "offer")
    if e.id in notices(state):
        raise Rejected(f"notice id {e.id!r} is already used", "id")


def apply_notice(state: State, e: RofrNotice) -> None:
    notices(state)[e.id] = NoticeState(
        id=e.id,
        holder=e.holder,
        class_id=e.class_,
        shares=e.shares,
        price=str(e.price),
        transferee=e.transferee,
        received=e.received or e.date,
    )


def check_assign(state: State, e: RofrAssign) -> None:
    require_notice(state, e.notice)
    require_holder(state, e.assignee, "assignee")


def apply_assign(state: State, e: RofrAssign) -> None:
    n = notices(state)[e.notice]
    n.assigned_to = [*(n.assigned_to or []), e.assignee]


def check_exercise(state: State, e: RofrExercise) -> None:
    require_notice(state, e.notice)


def apply_exercise(state: State, e: RofrExercise) -> None:
    notices(state)[e.notice].exercised_by = e.purchaser or "company"


def check_waive(state: State, e: RofrWaive) -> None:
    require_notice(state, e.notice)


def apply_waive(state: State, e: RofrWaive) -> None:
    notices(state)[e.notice].waived_by = e.by


def check_transfer(state: State, e: Transfer) -> None:
    if e.rofr is not None:
        n = require_notice(state, e.rofr)
        if (n.holder, n.class_id) != (e.from_, e.class_) or e.shares > n.shares:
            raise Rejected(f"the transfer does not match notice {n.id}", "rofr")


def apply_transfer(state: State, e: Transfer) -> None:
    if e.rofr is not None:
        notices(state)[e.rofr].completed = True


def check_repurchase(state: State, e: Repurchase) -> None:
    if e.rofr is not None:
        require_notice(state, e.rofr)


def apply_repurchase(state: State, e: Repurchase) -> None:
    if e.rofr is not None:
        notices(state)[e.rofr].completed = True
