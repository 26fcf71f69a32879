"""`charter meeting plan`, `charter meeting results` and `charter stockholder-list` (Bylaws
Art. II, Art. VI §5)."""

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
    err_console,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show
from charter.cli.tables_out import CsvOpt, XlsxOpt, write_out
from charter.cli.votes import DirectorsOpt
from charter.explain import parse_readings
from charter.interop.tables import class_names, stockholder_list_sheets
from charter.views import figures

if TYPE_CHECKING:
    from charter.rules import board as board_rules
    from charter.rules import meetings as meetings_rules
    from charter.rules import tally as tally_rules
    from charter.views import governance as governance_view
else:
    governance_view = deferred("charter.views.governance")
    board_rules = deferred("charter.rules.board")
    meetings_rules = deferred("charter.rules.meetings")
    tally_rules = deferred("charter.rules.tally")

app = typer.Typer(help="Stockholder meetings.", no_args_is_help=True)


def counted(measure: str | None) -> str:
    """What a figure of a meeting plan counts, in words."""
    return {
        "voting_power": "votes of the stock entitled to vote",
        "shares": "shares entitled to vote",
        "whole_board": "directors of the whole board",
    }.get(measure or "", (measure or "").replace("_", " "))


@app.command()
def plan(
    kind: Annotated[str, typer.Option("--kind", help="annual or special")],
    date: Annotated[str, typer.Option("--date", help="The meeting date, YYYY-MM-DD.")],
    purpose: Annotated[
        list[str] | None, typer.Option("--purpose", help="A purpose stated in the notice.")
    ] = None,
    record_date: Annotated[
        str | None, typer.Option("--record-date", help="The record date the board fixed.")
    ] = None,
    notice_date: Annotated[
        str | None, typer.Option("--notice-date", help="The day notice is mailed.")
    ] = None,
    adjourn_to: Annotated[
        str | None, typer.Option("--adjourn-to", help="A date the meeting is adjourned to.")
    ] = None,
    new_record_date: Annotated[
        bool, typer.Option("--new-record-date", help="A new record date for the adjournment.")
    ] = False,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    directors: DirectorsOpt = None,
    reading: ReadingOpt = None,
) -> None:
    """Notice and record-date windows, list, quorum, who is entitled, who may call."""
    settings = parse_readings(reading or [])
    day = parse_date(date, "--date")
    assert day is not None
    s = session(ledger, db, company)
    p = governance_view.plan_for(
        s.terms.bylaws,
        s.state,
        kind,
        day,
        purpose or [],
        parse_date(record_date, "--record-date"),
        parse_date(notice_date, "--notice-date"),
        parse_date(adjourn_to, "--adjourn-to"),
        new_record_date,
        directors,
        settings,
    )
    if json_out:
        print_json(meetings_rules.meeting_plan_json(p))
        return
    out = [
        f"{p.kind.capitalize()} meeting of stockholders on {p.date}",
        f"Mail notice between {p.notice.first} and {p.notice.last} ({p.notice_citation}; "
        "deemed given when mailed).",
        f"Record date between {p.record_window.first} and {p.record_window.last}; "
        f"used: {p.record_date} ({p.record_date_basis}).",
        f"Stockholder list ready and open by {p.list_ready_by}.",
        f"Quorum: {p.quorum.needed:,} of {p.quorum.eligible:,} {counted(p.quorum.measure)} "
        f"({p.quorum.citation}).",
        f"{len(p.entitled)} holders entitled to notice and to vote.",
        "Action by written consent: " + ("allowed" if p.written_consent_allowed else "forbidden"),
    ]
    for c in p.callers:
        if c.must_call:
            out.append(
                f"Must be called on the written request of {c.needed:,} of the {c.of:,} "
                f"{counted(c.measure)}."
            )
        else:
            out.append(f"May be called by the {c.who}.")
    if p.purposes:
        out.append("Business limited to: " + "; ".join(p.purposes))
    if p.adjournment:
        out.append(
            f"Adjourned {p.adjournment.days} days: new notice "
            + ("required" if p.adjournment.notice_required else "not required")
            + f" ({p.adjournment.citation})."
        )
    for line in out:
        console.print(line)


def stockholder_list(
    record_date: Annotated[str, typer.Option("--record-date", help="YYYY-MM-DD")],
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
    xlsx: XlsxOpt = None,
    csv: CsvOpt = None,
) -> None:
    """The alphabetical list of stockholders entitled to vote, with addresses and shares."""
    settings = parse_readings(reading or [])
    s = session(ledger, db, company)
    rd = parse_date(record_date, "--record-date")
    state = s.state(rd)
    lines = meetings_rules.stockholder_list(state, settings)
    missing = [line.holder for line in lines if not line.address]
    data = {
        "record_date": record_date,
        "stockholders": [
            {
                "holder": line.holder,
                "name": line.name,
                "address": line.address,
                "shares": line.shares,
                "votes": line.votes,
            }
            for line in lines
        ],
        "missing_addresses": missing,
        "citation": s.terms.bylaws.stockholder_meetings.list_citation,
    }
    if json_out:
        print_json(data)
        return
    if xlsx or csv:
        sheets = stockholder_list_sheets(
            data, class_names(state.certificate), str(data["citation"])
        )
        write_out(sheets, xlsx, csv)
        return
    table = Table("name", "address", "shares", "votes", title=f"Stockholders of record on {rd}")
    for line in lines:
        shares = ", ".join(f"{v:,} {figures.class_name(state, c)}" for c, v in line.shares.items())
        table.add_row(line.name, line.address or "", shares, f"{line.votes:,}")
    show(table)
    for h in missing:
        err_console.print(f"Warning: {h} has no address on record.")


@app.command()
def results(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The stockholder meetings recorded in the ledger (`meeting_result`), each decided by the
    rule of `charter tally`: quorum, then each item (Bylaws Art. II §8-§10)."""
    s = session(ledger, db, company)
    meetings = tally_rules.recorded_meetings(s.state(parse_date(as_of)))
    if json_out:
        print_json(meetings)
        return
    if not meetings:
        console.print("No stockholder meeting is recorded.")
    for m in meetings:
        q = m["quorum"]
        console.print(
            f"{m['date']} {m['kind']} meeting {m['event'] or ''}: quorum {q['present']:,} of "
            f"{q['needed']:,} needed: " + ("met" if q["met"] else "NOT met"),
        )
        for i in m["items"]:
            got = (
                f"elected {', '.join(i['elected']) or 'none'}"
                if i["kind"] == "election"
                else f"{i['for']:,} for of {i['needed']:,} needed"
            )
            console.print(f"  {i['id']}: {got}: " + ("passed" if i["passed"] else "failed"))
