"""The size of the whole board as the ledger records it (Bylaws Art. III §1).

"The number of directors which shall constitute the whole board shall be determined by
resolution of the Board of Directors or by the stockholders at the annual meeting": a
`board_size` event records each such determination. The whole board is the denominator of
the board's quorum and of the seats the certificate allots by fractions of the authorized
directors.
"""

from __future__ import annotations

from charter.ledger.events import BoardSize
from charter.state.model import BoardSizeRecord, State
from charter.state.rejection import Rejected


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
