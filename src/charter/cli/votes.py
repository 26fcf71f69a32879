"""`charter votes` and `charter board`: voting power and who elects the directors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

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
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.explain import parse_readings
from charter.interop.tables import class_clauses, class_names, votes_sheets
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import board as board_rules
    from charter.rules import votes as votes_rules
else:
    board_rules = deferred("charter.rules.board")
    votes_rules = deferred("charter.rules.votes")

DirectorsOpt = Annotated[
    int | None,
    typer.Option(
        "--directors",
        min=1,
        help="The whole board as a bylaw or board resolution fixes it (default: the "
        "stakeholders marked director).",
    ),
]


def votes(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """Votes per holder and class (Art. IV.B.5(c), IV.C.4) and the Voting Shift Period (5(a))."""
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    vp = votes_rules.voting_power(state, settings)
    if json_out:
        print_json(votes_rules.votes_json(vp))
        return
    names = {h.id: h.name for h in s.stakeholders()}
    if xlsx or csv:
        clauses = class_clauses(state.certificate, "votes")
        sheets = votes_sheets(
            votes_rules.votes_json(vp), names, class_names(state.certificate), clauses
        )
        write_out(sheets, xlsx, csv)
        return
    heads = (figures.class_name(state, c) for c in vp.classes)
    table = Table("holder", *heads, "votes", title=f"Votes as of {vp.as_of}")
    for h, hv in vp.holders.items():
        table.add_row(
            figures.holder_name(state, h),
            *(f"{hv.by_class[c]:,}" if c in hv.by_class else "" for c in vp.classes),
            f"{hv.votes:,}",
        )
    table.add_row("total", *(f"{v:,}" for v in vp.classes.values()), f"{vp.total:,}")
    show(table)
    console.print(f"Preferred: {vp.preferred_total:,} of {vp.total:,} votes.")
    console.print(
        "Voting Shift Period: " + ("in force" if vp.voting_shift_period else "not in force")
    )
    for line in vp.trace.lines():
        console.print(line)


def board(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
    directors: DirectorsOpt = None,
    reading: ReadingOpt = None,
) -> None:
    """Who elects how many directors (Art. IV.B.5(a)-(b); Post-IPO Art. VI; Bylaws Art. III §1)."""
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    state = s.state(parse_date(as_of))
    n, basis = board_rules.board_size(state, directors)
    b = board_rules.board_composition(state, n, basis, settings)
    if json_out:
        print_json(board_rules.board_json(b))
        return
    console.print(
        f"{b.authorized} authorized directors ({b.directors_basis}); Voting Shift Period "
        + ("in force" if b.voting_shift_period else "not in force")
    )
    table = Table("elected by", "seats", "clause")
    for seat in b.seats:
        group = ", ".join(figures.class_name(state, c) for c in seat.group)
        table.add_row(group, str(seat.seats), seat.citation)
    show(table)
    for note in b.notes:
        console.print(f"Note: {note}")
