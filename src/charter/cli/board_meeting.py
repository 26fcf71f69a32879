"""`charter consent`, `charter board-meeting plan` and `charter board-tally`: acting without a
meeting, and the board's special meetings and their votes."""

from __future__ import annotations

import datetime as dt
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
    print_json,
    session,
)
from charter.cli.meeting import counted
from charter.cli.votes import DirectorsOpt
from charter.errors import CharterError, Problem
from charter.explain import parse_readings

if TYPE_CHECKING:
    from charter.rules import approvals as approvals_rules
    from charter.rules import board as board_rules
    from charter.rules import board_meetings as board_meetings_rules
    from charter.rules import consents as consents_rules
    from charter.state import board as board_state
else:
    approvals_rules = deferred("charter.rules.approvals")
    board_rules = deferred("charter.rules.board")
    board_meetings_rules = deferred("charter.rules.board_meetings")
    consents_rules = deferred("charter.rules.consents")
    board_state = deferred("charter.state.board")


def read_consents(path: Path) -> dict[str, dt.date]:
    """`{holder id: date signed}`."""
    data = read_data(path, "--consents")
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, dt.date) for k, v in data.items()
    ):
        raise CharterError(
            [Problem("must map each consenting holder to the date signed", file=str(path))]
        )
    return data


def consent(
    action: Annotated[str, typer.Option("--action", help="The corporate action.")],
    consents: Annotated[
        Path, typer.Option("--consents", help="YAML {holder: date signed} (docs/ballots.md).")
    ],
    series: Annotated[str | None, typer.Option("--series")] = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    reading: ReadingOpt = None,
) -> None:
    """Whether written consents take a stockholder action without a meeting (DGCL §228)."""
    settings = parse_readings(reading or [])
    signed = read_consents(consents)
    s = session(ledger, db, company)
    first = min(signed.values()) if signed else None
    c = consents_rules.stockholder_consent(s.state(first), action, signed, series, settings)
    out = approvals_rules.approvals_json(c.result) | {
        "record_date": c.record_date.isoformat(),
        "late": c.late,
        "prompt_notice_to": c.notify,
        "consent_citation": c.citation,
    }
    if json_out:
        print_json(out)
        return
    for a in c.result.approvals:
        console.print(
            f"{a.id}: {a.for_:,} of {a.eligible:,} {counted(a.measure)}; {a.needed:,} needed: "
            + ("met" if a.met else "NOT met")
            + f" [{a.citation}]",
        )
    console.print(f"Prompt notice to {len(c.notify)} holders who did not consent.")


app = typer.Typer(help="Meetings of the board.", no_args_is_help=True)


@app.command()
def plan(
    at: Annotated[str, typer.Option("--at", help="YYYY-MM-DDTHH:MM")],
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    directors: DirectorsOpt = None,
) -> None:
    """A special board meeting: notice deadlines, who calls it, quorum (Bylaws Art. III §7-8)."""
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError as e:
        raise CharterError([Problem(f"{at!r} is not YYYY-MM-DDTHH:MM", field="--at")]) from e
    s = session(ledger, db, company)
    n, basis = board_rules.board_size(s.state(when.date()), directors)
    p = board_meetings_rules.board_meeting_plan(s.terms.bylaws, when, n)
    out = {
        "at": p.at.isoformat(),
        "notice_by_mail_by": p.mail_by.isoformat(),
        "notice_in_person_by": p.personal_by.isoformat(),
        "whole_board": p.whole_board,
        "directors_basis": basis,
        "quorum": p.quorum,
        "act": "a majority of the directors present",
        "must_call_on_written_request_of_directors": p.must_call_on_request_of,
        "citations": p.citations,
    }
    if json_out:
        print_json(out)
        return
    lines = [
        f"Special meeting of the board on {p.at:%Y-%m-%d at %H:%M}.",
        f"Notice by mail by {p.mail_by:%Y-%m-%d}; personally by {p.personal_by:%Y-%m-%d at %H:%M}.",
        f"Whole board: {p.whole_board} directors ({basis}).",
        f"Quorum: {p.quorum} directors; an act needs {out['act']}.",
        f"Must be called on the written request of {p.must_call_on_request_of} directors.",
        f"Clauses: {'; '.join(p.citations)}.",
    ]
    for line in lines:
        console.print(line)


def board_tally_command(
    ballots: Annotated[
        Path,
        typer.Argument(help="YAML/JSON: date, present, items, ballots (docs/ballots.md)."),
    ],
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
    directors: DirectorsOpt = None,
) -> None:
    """Quorum of the whole board, then each item: a majority of the directors present."""
    data = board_meetings_rules.parse_board_tally_input(read_data(ballots, "ballots"), str(ballots))
    items = board_meetings_rules.votes_by_item(data, str(ballots))
    s = session(ledger, db, company)
    state = s.state(data.date)
    n, _ = board_rules.board_size(state, directors)
    t = board_meetings_rules.board_tally(
        state.terms.bylaws,
        n,
        board_state.directors_in_office(state),
        data.present,
        items,
        str(ballots),
    )
    if json_out:
        print_json({"date": data.date.isoformat()} | board_meetings_rules.board_tally_json(t))
        return
    console.print(
        f"Quorum: {t.present} of {t.whole_board} directors present, {t.quorum} needed: "
        + ("met" if t.quorate else "NOT met"),
    )
    for v in t.votes:
        console.print(
            f"{v.item}: {v.for_} for, {v.against} against, "
            f"{t.present - v.for_ - v.against} present not for or against; {v.needed} needed: "
            + ("passed" if v.passed else "failed"),
        )
