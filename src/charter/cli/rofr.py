"""`charter rofr notice|exercise|assign|waive|status`: the right of first refusal as a
process (Bylaws Art. VIII §1)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table

from charter.cli.common import (
    AsOfOpt,
    CompanyOpt,
    DbOpt,
    JsonOpt,
    LedgerOpt,
    console,
    deferred,
    parse_date,
    print_json,
    session,
)
from charter.cli.tables import show

if TYPE_CHECKING:
    from charter.ledger_file import LedgerFile
    from charter.rules import rofr as rofr_rules
    from charter.service import Session
else:
    rofr_rules = deferred("charter.rules.rofr")

app = typer.Typer(
    help="The right of first refusal: notices, the company's option, waivers.",
    no_args_is_help=True,
)

DateOpt = Annotated[
    str | None, typer.Option("--date", help="YYYY-MM-DD of the event (default: today).")
]
NoticeOpt = Annotated[str, typer.Option("--notice", help="The notice's id.")]


def _record(s: Session | LedgerFile, event: dict[str, Any], ledger: Any, as_json: bool) -> None:
    """Append one event (validated against the whole ledger) and show where notices stand."""
    s.append([{k: v for k, v in event.items() if v is not None}], source="charter rofr")
    if as_json:
        print_json(rofr_rules.status_json(s.state()))
        return
    console.print(f"Recorded the {event['type']} of {event['date']}.")
    if ledger is not None:
        console.print(
            "(--ledger loads a throw-away copy: the file is unchanged; add the event to it.)"
        )
    _print_status(rofr_rules.status_json(s.state()))


def _date(value: str | None) -> str:
    return (parse_date(value, "--date") or dt.date.today()).isoformat()


@app.command()
def notice(
    id: Annotated[str, typer.Option("--id", help="An id for the notice.")],
    holder: Annotated[str, typer.Option("--holder", help="The transferring stockholder.")],
    class_: Annotated[str, typer.Option("--class", help="The class of the shares.")],
    shares: Annotated[int, typer.Option("--shares", help="Shares to be transferred.")],
    price: Annotated[str, typer.Option("--price", help="Proposed price per share.")],
    transferee: Annotated[str, typer.Option("--transferee", help="The proposed transferee.")],
    received: Annotated[
        str | None, typer.Option("--received", help="When the company received it.")
    ] = None,
    terms: Annotated[str | None, typer.Option("--terms", help="Other terms.")] = None,
    fair_market_value: Annotated[
        str | None,
        typer.Option("--fair-market-value", help="The board's value per share (gift, §1(b))."),
    ] = None,
    date: DateOpt = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Record a holder's written notice of a proposed transfer (§1(a))."""
    event = {
        "date": _date(date),
        "type": "rofr_notice",
        "id": id,
        "holder": holder,
        "class": class_,
        "shares": shares,
        "price": price,
        "transferee": transferee,
        "received": received and _date(received),
        "terms": terms,
        "fair_market_value": fair_market_value,
    }
    _record(session(ledger, db, company), event, ledger, json_out)


@app.command()
def assign(
    notice: NoticeOpt,
    assignee: Annotated[str, typer.Option("--assignee", help="Who takes the company's right.")],
    shares: Annotated[
        int | None, typer.Option("--shares", help="Part of the shares (default: all).")
    ] = None,
    date: DateOpt = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The company assigns its right, in whole or in part (§1(c))."""
    event = {
        "date": _date(date),
        "type": "rofr_assign",
        "notice": notice,
        "assignee": assignee,
        "shares": shares,
    }
    _record(session(ledger, db, company), event, ledger, json_out)


@app.command()
def exercise(
    notice: NoticeOpt,
    purchaser: Annotated[
        str | None, typer.Option("--purchaser", help="An assignee (default: the company).")
    ] = None,
    shares: Annotated[int | None, typer.Option("--shares", help="Its shares.")] = None,
    fair_market_value: Annotated[
        str | None,
        typer.Option(
            "--fair-market-value",
            help="The board's value per share, where the transferee is not paying the full "
            "price (§1(b)).",
        ),
    ] = None,
    date: DateOpt = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The company or an assignee elects to buy the noticed shares (§1(b))."""
    event = {
        "date": _date(date),
        "type": "rofr_exercise",
        "notice": notice,
        "purchaser": purchaser,
        "shares": shares,
        "fair_market_value": fair_market_value,
    }
    _record(session(ledger, db, company), event, ledger, json_out)


@app.command()
def waive(
    notice: NoticeOpt,
    by: Annotated[str, typer.Option("--by", help="board or stockholders.")],
    consent: Annotated[
        list[str] | None, typer.Option("--consent", help="A consenting holder (repeat).")
    ] = None,
    board_approval: Annotated[
        str | None,
        typer.Option(
            "--board-approval",
            help="The board's resolution (a board_approval approving rofr-waiver:NOTICE).",
        ),
    ] = None,
    date: DateOpt = None,
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The board, or a majority of the voting power, waives the bylaw for the transfer (§1(g))."""
    event = {
        "date": _date(date),
        "type": "rofr_waive",
        "notice": notice,
        "by": by,
        "consents": consent or None,
        "board_approval": board_approval,
    }
    _record(session(ledger, db, company), event, ledger, json_out)


@app.command()
def status(
    ledger: LedgerOpt = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
    as_of: AsOfOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every notice, where it stands and its deadlines."""
    data = rofr_rules.status_json(session(ledger, db, company).state(parse_date(as_of)))
    if json_out:
        print_json(data)
        return
    _print_status(data)


def _print_status(data: dict[str, Any]) -> None:
    table = Table(
        "notice",
        "holder → transferee",
        "shares @ price",
        "received",
        "option ends",
        "settle by",
        "window ends",
        "state",
        box=box.SIMPLE_HEAD,
        title=f"Right of first refusal as of {data['as_of']} ({', '.join(data['citations'])})",
    )
    for n in data["notices"]:
        table.add_row(
            n["id"],
            f"{n['holder']} → {n['transferee']}",
            f"{n['shares']:,} {n['class']} @ {n['price']}",
            n["received"],
            n["option_expires"],
            n["settlement_due"],
            n["transfer_window_ends"],
            n["state"],
        )
    show(table)
    for n in data["notices"]:
        for w in n["warnings"]:
            console.print(f"Notice {n['id']}: {w}", style="yellow")
    if data["in_force"]:
        console.print(f"The right is in force until {data['ends']}.")
    else:
        console.print(f"The right ended on {data['ends']}.")
