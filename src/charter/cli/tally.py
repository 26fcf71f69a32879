"""`charter tally`: decide the items of a stockholder meeting from the ballots cast."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from charter.cli.approvals import read_data
from charter.cli.common import (
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
from charter.explain import parse_readings
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import meetings as meetings_rules
    from charter.rules import tally as tally_rules
else:
    meetings_rules = deferred("charter.rules.meetings")
    tally_rules = deferred("charter.rules.tally")


def tally_command(
    ballots: Annotated[
        Path, typer.Argument(help="YAML/JSON: date, items, ballots (docs/ballots.md).")
    ],
    record_date: Annotated[
        str | None, typer.Option("--record-date", help="Default: the last event's date.")
    ] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
) -> None:
    """Quorum, then each item: a majority of the power present, or directors by plurality."""
    settings = parse_readings(reading or [])
    data = tally_rules.parse_tally_input(read_data(ballots, "ballots"), str(ballots))
    fixed = parse_date(record_date, "--record-date")
    s = session(ledger, db, company)
    if fixed is not None:
        meetings_rules.check_meeting_record_date(s.terms.bylaws, fixed, data.date)
    state = s.state(fixed)
    r = tally_rules.tally(state, data, str(ballots), settings)
    if json_out:
        print_json(tally_rules.tally_json(r))
        return
    console.print(
        f"Quorum: {r.present:,} present of {r.quorum_needed:,} needed: "
        + ("met" if r.quorate else "NOT met"),
    )
    for i in r.items:
        if i.kind == "election":
            elected = ", ".join(figures.holder_name(state, h) for h in i.elected)
            line = f"{i.id}: elected {elected or 'none'}"
            if i.tied:
                tied = ", ".join(figures.holder_name(state, h) for h in i.tied)
                line += f"; tied at the last seat: {tied}"
        elif i.decided is not None and i.decided.action != i.id:
            what = i.decided.description.rstrip(".")
            line = f"{i.id} ({what}): " + ("passed" if i.passed else "failed")
            for a in i.decided.approvals:
                unit = "shares" if a.measure == "shares" else "votes"
                by = ", ".join(figures.class_name(state, c) for c in a.group)
                line += (
                    f"\n  the holders of {by}: {a.for_ or 0:,} for of "
                    f"{a.eligible or 0:,} {unit}; {a.needed or 0:,} needed [{a.citation}]"
                )
        else:
            line = (
                f"{i.id}: {i.for_:,} for, {i.against:,} against, {i.abstain:,} present not for "
                f"or against; {i.needed:,} needed: " + ("passed" if i.passed else "failed")
            )
        console.print(line)
    for h in r.refused_proxies:
        console.print(
            f"Proxy of {figures.holder_name(state, h)} refused: older than the bylaws allow.",
        )
