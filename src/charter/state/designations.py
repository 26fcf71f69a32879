"""Blank-check preferred: the board designates a series out of the authorized undesignated
preferred and fixes its terms, without a vote of the stockholders (Post-IPO Art. IV: "The
Board of Directors is hereby authorized ... to fix or alter the rights, preferences,
privileges and restrictions granted to or imposed upon any wholly unissued series of
Preferred Stock, and the number of shares constituting any such series and the designation
thereof").

A `designate_series` event carries the series' terms (a class in the terms format,
docs/terms-format.md) and names the board's resolution; from its date the series is a class
of the certificate in force, which the company may issue, and the undesignated preferred is
that much smaller.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from charter.ledger.events import DesignateSeries
from charter.state import board
from charter.state.model import State
from charter.state.rejection import Rejected
from charter.terms.model import StockClass


def resolution(series_id: str) -> str:
    """What the board's resolution designating a series approves."""
    return f"designate-series:{series_id}"


def designated(state: State, series_id: str) -> dict[str, Any] | None:
    """The terms of a series the board designated under the certificate in force."""
    found = [t for cert, t in state.designated_series if cert == state.certificate.id]
    return next((t for t in reversed(found) if t.get("id") == series_id), None)


def series_terms(state: State, e: DesignateSeries) -> dict[str, Any]:
    """The series' terms as written, a class of preferred citing the certificate's clause;
    for a series already designated, its terms with those the event changes."""
    cite = state.certificate.undesignated_preferred_citation or state.certificate.title
    before = designated(state, str(e.series.get("id"))) or {}
    return {"citation": cite, **before, **e.series, "kind": "preferred"}


def series_of(state: State, e: DesignateSeries) -> StockClass:
    """The series' terms, read as a class of preferred under the certificate in force."""
    cite = state.certificate.undesignated_preferred_citation
    terms = series_terms(state, e)
    try:
        return StockClass.model_validate(terms)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "series"
        raise Rejected(
            f"the series' terms are not a class of the terms format: {where}: {first['msg']}",
            "series",
            cite,
        ) from None


def check_designate_series(state: State, e: DesignateSeries) -> None:
    cert = state.certificate
    cite = cert.undesignated_preferred_citation
    series = series_of(state, e)
    before = cert.stock_class(series.id)
    if before is not None and designated(state, series.id) is None:
        raise Rejected(f"{cert.title} already has a class {series.id!r}", "series", cite)
    if before is not None:
        _check_resize(state, e, before.authorized, series.authorized)
    elif series.authorized <= 0 or series.authorized > cert.undesignated_preferred:
        raise Rejected(
            f"{cert.title} has {cert.undesignated_preferred:,} shares of undesignated preferred; "
            f"a series of {series.authorized:,} cannot be designated out of them",
            "series",
            cite,
        )
    act = board.recorded_approval(state, e.board_approval, f"the designation of {series.id}")
    if resolution(series.id) not in act.approves:
        raise Rejected(
            f"board approval {act.id} approves {', '.join(act.approves)}, not "
            f"{resolution(series.id)}",
            "board_approval",
            cite,
        )


def _check_resize(state: State, e: DesignateSeries, before: int, after: int) -> None:
    """A designated series may be increased out of the undesignated preferred, or decreased
    "but not below the number of shares of such series then outstanding"; once shares are
    issued, only its number may change (the board fixes the rights of "any wholly unissued
    series")."""
    cert = state.certificate
    cite = cert.undesignated_preferred_citation
    series_id = str(e.series["id"])
    out = state.outstanding.get(series_id, 0)
    if after < out:
        raise Rejected(
            f"{out:,} shares of {series_id} are outstanding; the series cannot be decreased "
            f"to {after:,}",
            "series",
            cite,
        )
    if after - before > cert.undesignated_preferred:
        raise Rejected(
            f"{cert.title} has {cert.undesignated_preferred:,} shares of undesignated preferred; "
            f"{series_id} cannot grow by {after - before:,}",
            "series",
            cite,
        )
    changed = sorted(k for k in e.series if k not in ("id", "authorized", "name"))
    if out and changed:
        raise Rejected(
            f"{series_id} has shares outstanding: the board may alter its number, not its "
            f"{', '.join(changed)} (only a wholly unissued series' rights may be fixed)",
            "series",
            cite,
        )


def apply_designate_series(state: State, e: DesignateSeries) -> None:
    state.designated_series.append((state.certificate.id, series_terms(state, e)))
    state.certificate = state.certificate.designate(series_of(state, e))
