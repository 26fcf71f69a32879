"""The `charter` command. Each concept's commands live in their own module; this one wires
them together and turns every CharterError into sentences on stderr and a non-zero exit."""

from __future__ import annotations

import sys

import typer

from charter.cli import (
    accounts,
    approvals,
    board_meeting,
    captable,
    cash_owed,
    certificates,
    conversion_prices,
    curve,
    dividend,
    documents,
    interop,
    interpretations,
    ipo,
    ledger,
    meeting,
    notices,
    rofr,
    serve,
    tally,
    terms,
    votes,
    waterfall,
)
from charter.cli.common import err_console, report_errors
from charter.errors import CharterError

app = typer.Typer(
    name="charter",
    help="A Delaware corporation's certificate and bylaws, executable over its stock ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(ledger.init)
app.command()(ledger.load)
app.command()(ledger.record)
app.command()(ledger.export)
app.command("import")(interop.import_command)
app.add_typer(documents.app, name="document")
app.command()(ledger.history)
app.command()(ledger.verify)
app.command()(captable.captable)
app.add_typer(terms.app, name="terms")
app.command()(interpretations.interpretations)
app.command()(votes.votes)
app.command()(votes.board)
app.add_typer(meeting.app, name="meeting")
app.command(name="stockholder-list")(meeting.stockholder_list)
app.command()(approvals.approvals)
app.command(name="tally")(tally.tally_command)
app.command()(board_meeting.consent)
app.add_typer(board_meeting.app, name="board-meeting")
app.command(name="board-tally")(board_meeting.board_tally_command)
app.add_typer(rofr.app, name="rofr")
app.command()(certificates.certificates)
app.command()(certificates.certificate)
app.command()(serve.serve)
app.add_typer(accounts.app, name="users")
app.command()(waterfall.waterfall)
app.command()(dividend.dividend)
app.command()(curve.curve)
app.command("ipo")(ipo.ipo)
app.command("conversion-prices")(conversion_prices.conversion_prices)
app.command("notices")(notices.notices)
app.command("cash-owed")(cash_owed.cash_owed)


def main() -> None:
    try:
        app(standalone_mode=False)
    except CharterError as e:
        report_errors(e)
        sys.exit(1)
    except (typer.Exit, typer.Abort) as e:
        sys.exit(getattr(e, "exit_code", 1))
    except typer.TyperException as e:  # usage errors: typer's own sentence
        show = getattr(e, "show", None)
        if show is not None:
            show()
        else:
            err_console.print(f"charter: {e.message}", markup=False)
        sys.exit(e.exit_code)
    except Exception as e:  # the last guard: a sentence, never a traceback
        err_console.print(f"charter: internal error: {type(e).__name__}: {e}", markup=False)
        sys.exit(2)
