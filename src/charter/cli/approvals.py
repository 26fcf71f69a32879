"""`charter approvals`: every approval a corporate action needs, and whether it is met."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    console,
    parse_date,
    print_json,
    session,
)
from charter.cli.votes import DirectorsOpt, ReadingOpt
from charter.errors import CharterError, Problem
from charter.explain import parse_readings
from charter.rules.approvals import (
    ApprovalsResult,
    Votes,
    approvals_json,
    evaluate,
    required_approvals,
)
from charter.rules.board import board_size
from charter.rules.consents import recorded_consents
from charter.state.board import directors_in_office
from charter.state.model import State


def read_data(path: Path, option: str) -> Any:
    """A YAML or JSON file given on the command line (JSON is YAML), read by the one safe
    reader (inputs.py)."""
    from charter.inputs import load_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "it is not UTF-8 text"
        raise CharterError([Problem(f"cannot read {path}: {reason}", field=option)]) from e
    return load_text(text, str(path))


def read_votes(path: Path) -> Votes:
    """`{for: [ids], against: [ids]}`."""
    data = read_data(path, "--votes")
    problems = []
    if not isinstance(data, dict):
        raise CharterError([Problem("must be a mapping with for: and against:", file=str(path))])
    for key in data:
        if key not in ("for", "against"):
            problems.append(Problem(f"unknown key {key!r}; use for and against", file=str(path)))
    lists: dict[str, list[str]] = {}
    for key in ("for", "against"):
        v = data.get(key) or []
        if not isinstance(v, list) or not all(isinstance(i, str) for i in v):
            problems.append(
                Problem("must be a list of holder or director ids", file=str(path), field=key)
            )
        else:
            lists[key] = v
    if problems:
        raise CharterError(problems)
    return Votes(lists["for"], lists["against"])


def approvals_for(
    state: State,
    action: str,
    series: str | None,
    cast: Votes | None,
    directors: int | None,
    settings: dict[str, str],
) -> ApprovalsResult:
    """Every approval `action` needs, evaluated against `cast` when votes are given."""
    n, _ = board_size(state, directors)
    result = required_approvals(state, action, series, settings)
    return evaluate(state, result, cast, directors_in_office(state), n, settings)


def approvals(
    action: Annotated[str, typer.Option("--action", help="The corporate action.")],
    series: Annotated[str | None, typer.Option("--series", help="The series concerned.")] = None,
    votes: Annotated[
        Path | None, typer.Option("--votes", help="YAML/JSON {for: [...], against: [...]}.")
    ] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    directors: DirectorsOpt = None,
    reading: ReadingOpt = None,
) -> None:
    """Every approval ACTION needs, in order; with --votes, whether each is met."""
    settings = parse_readings(reading or [])
    cast = read_votes(votes) if votes else None
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    result = approvals_for(state, action, series, cast, directors, settings)
    recorded = recorded_consents(state, action, series)
    if json_out:
        print_json(approvals_json(result) | {"recorded": recorded})
        return
    console.print(f"{result.action}: {result.description}", markup=False)
    table = Table(
        "approval", "by", "measure", "threshold", "eligible", "needed", "for", "met", "clause"
    )
    for a in result.approvals:
        line = ("more than " if a.strictly_more else "at least ") + f"{a.threshold}"
        if a.alternative_to:
            line += f" (or instead of {a.alternative_to})"
        table.add_row(
            a.id,
            a.body if a.body == "board" else ", ".join(a.group),
            a.measure,
            line,
            "" if a.eligible is None else f"{a.eligible:,}",
            "" if a.needed is None else f"{a.needed:,}",
            "" if a.for_ is None else f"{a.for_:,}",
            "" if a.met is None else ("yes" if a.met else "NO"),
            a.citation,
        )
    console.print(table)
    console.print(
        f"A committee of the board: {result.committee} "
        f"({state.terms.bylaws.board.committee_citation})."
    )
    if result.met is not None:
        console.print("All approvals met." if result.met else "Not every approval is met.")
    for c in recorded:
        carried = ", ".join(
            f"{a['id']} {a['for']:,} of {a['needed']:,} needed" for a in c["approvals"]
        )
        console.print(
            f"Recorded: written consent {c['event'] or ''} of {c['date']} (record date "
            f"{c['record_date']}; {len(c['consents'])} signed): {carried} [{c['citation']}].",
            markup=False,
        )
