"""Officers and directors, with the dates they hold office (Bylaws Art. V; Art. III).

The officers are chosen by the board and may be removed by it at any time (Art. V §1, §5);
an `office_begins` event records that a stakeholder takes an office (an officer's title of
the bylaws, or `director`) and an `office_ends` event that it leaves it. Two rules read the
dates: the right of first refusal's exemption of a transfer to a person who "at the time of
such transfer, is an officer or Director" (Art. VIII §1(f)(3)), and the signatures a stock
certificate needs, one from each group of offices (Art. VI §1).

A stakeholder with no office event keeps what the spec's undated relations say: `officer`,
`director`, or `title:<office>` (the reading rofr-undated-office decides whether those count
at a given date).
"""

from __future__ import annotations

from charter.ledger.events import OfficeBegins, OfficeEnds
from charter.state import antidilution
from charter.state.holdings import require_holder
from charter.state.model import OfficeTerm, State
from charter.state.rejection import Rejected

DIRECTOR = "director"


def _titles(state: State) -> list[str]:
    o = state.terms.bylaws.officers
    return [] if o is None else list(o.titles)


def _citation(state: State, office: str, removal: bool = False) -> str | None:
    o = state.terms.bylaws.officers
    if office == DIRECTOR or o is None:
        return None
    return o.removal_citation if removal else o.citation


def _open_term(state: State, holder: str, office: str) -> OfficeTerm | None:
    return next(
        (t for t in state.offices if (t.holder, t.office) == (holder, office) and not t.ended),
        None,
    )


def check_office_begins(state: State, e: OfficeBegins) -> None:
    require_holder(state, e.holder, "holder")
    titles = _titles(state)
    if e.office != DIRECTOR and e.office not in titles:
        raise Rejected(
            f"{e.office!r} is not an office of the bylaws; the offices are "
            f"{', '.join([*titles, DIRECTOR])}",
            "office",
            _citation(state, titles[0] if titles else DIRECTOR),
        )
    if _open_term(state, e.holder, e.office) is not None:
        raise Rejected(f"{e.holder} already holds the office of {e.office}", "office")


def apply_office_begins(state: State, e: OfficeBegins) -> None:
    state.offices.append(OfficeTerm(e.holder, e.office, e.date, antidilution.label(e, state)))
    state.stock_certificates.signers = None  # the signers of later certificates may change


def check_office_ends(state: State, e: OfficeEnds) -> None:
    if _open_term(state, e.holder, e.office) is None:
        raise Rejected(
            f"{e.holder} holds no office of {e.office} on the ledger to leave",
            "office",
            _citation(state, e.office, removal=True),
        )


def apply_office_ends(state: State, e: OfficeEnds) -> None:
    term = _open_term(state, e.holder, e.office)
    assert term is not None
    term.ended = e.date
    state.stock_certificates.signers = None
