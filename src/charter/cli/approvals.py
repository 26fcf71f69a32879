"""`charter approvals`: every approval a corporate action needs, and whether it is met."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

import charter.terms as terms_package
from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    ReadingOpt,
    console,
    deferred,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.cli.votes import DirectorsOpt
from charter.errors import CharterError, Problem
from charter.explain import parse_readings

if TYPE_CHECKING:
    from charter.rules import approvals as approvals_rules
    from charter.rules import board as board_rules
    from charter.rules import consents as consents_rules
    from charter.rules.approvals import Votes
    from charter.state import board as board_state
    from charter.views import governance as governance_view
else:
    governance_view = deferred("charter.views.governance")
    approvals_rules = deferred("charter.rules.approvals")
    board_rules = deferred("charter.rules.board")
    consents_rules = deferred("charter.rules.consents")
    board_state = deferred("charter.state.board")


def help_listing() -> str:
    """The ACTION ids of each built-in company's certificates, for `charter approvals --help`
    (a company with terms of its own: `charter terms show` lists its actions). Read from the
    built-in files as written, without building the terms' models, so that the help answers
    at once (issue 15); a test checks the ids against the loaded terms."""
    from charter.inputs import load_text

    def read(path: Path) -> Any:
        return load_text(path.read_text(encoding="utf-8"), str(path))

    out = []
    for index in sorted(Path(terms_package.__file__).parent.glob("data/*/index.yaml")):
        terms = read(index)
        for name in terms["certificates"]:
            cert = read(index.parent / name)
            ids = ", ".join(a["id"] for a in cert["actions"])
            out.append(f"ACTION under the {cert['title']} of {terms['company']}: {ids}.")
    return "\n\n".join(out)


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
    """`{for: [ids], against: [ids], abstain: [ids]}`: the votes of a meeting, at which the
    holders named are present (`abstain`: present, voting neither way)."""
    data = read_data(path, "--votes")
    problems = []
    if not isinstance(data, dict):
        raise CharterError([Problem("must be a mapping with for: and against:", file=str(path))])
    for key in data:
        if key not in ("for", "against", "abstain"):
            problems.append(
                Problem(f"unknown key {key!r}; use for, against and abstain", file=str(path))
            )
    lists: dict[str, list[str]] = {}
    for key in ("for", "against", "abstain"):
        v = data.get(key) or []
        if not isinstance(v, list) or not all(isinstance(i, str) for i in v):
            problems.append(
                Problem("must be a list of holder or director ids", file=str(path), field=key)
            )
        else:
            lists[key] = v
    if problems:
        raise CharterError(problems)
    return approvals_rules.Votes(lists["for"], lists["against"], lists["abstain"])


def approvals(
    action: Annotated[
        str, typer.Option("--action", help="The corporate action's id (listed below).")
    ],
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
    result = governance_view.approvals_for(state, action, series, cast, directors, settings)
    recorded = consents_rules.recorded_consents(state, action, series)
    if json_out:
        print_json(approvals_rules.approvals_json(result) | {"recorded": recorded})
        return
    console.print(f"{result.action}: {result.description}")
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
    show(table)
    if result.quorum is not None:
        q = result.quorum
        console.print(
            f"Quorum of the meeting: {q.present:,} present of {q.needed:,} needed ({q.measure}; "
            f"{q.citation}): " + ("met" if q.met else "NOT met: nothing is decided"),
        )
    for note in result.notes:
        console.print(note + ".")
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
            f"Recorded: written consent{' ' + c['event'] if c['event'] else ''} of {c['date']} "
            f"(record date "
            f"{c['record_date']}; {len(c['consents'])} signed): {carried} [{c['citation']}].",
        )
