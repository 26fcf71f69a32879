"""The `charter` command. Each concept's commands live in their own module; this one wires
them together and turns every CharterError into sentences on stderr and a non-zero exit."""

from __future__ import annotations

import sys

import typer

from charter.cli import captable, conversion_prices, ipo, ledger, notices, terms
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
app.command()(ledger.export)
app.command()(ledger.history)
app.command()(ledger.verify)
app.command()(captable.captable)
app.add_typer(terms.app, name="terms")
app.command("ipo")(ipo.ipo)
app.command("conversion-prices")(conversion_prices.conversion_prices)
app.command("notices")(notices.notices)


def main() -> None:
    try:
        app(standalone_mode=False)
    except CharterError as e:
        report_errors(e)
        sys.exit(1)
    except (typer.Exit, typer.Abort) as e:
        sys.exit(getattr(e, "exit_code", 1))
    except Exception as e:  # the last guard: a sentence, never a traceback
        try:
            from click import ClickException  # type: ignore[import-not-found,unused-ignore]
        except ImportError:  # typer >= 0.22 vendors click
            from typer._click.exceptions import (  # type: ignore[no-redef,unused-ignore]
                ClickException,
            )

        if isinstance(e, ClickException):
            e.show()
            sys.exit(e.exit_code)
        err_console.print(f"charter: internal error: {type(e).__name__}: {e}", markup=False)
        sys.exit(2)
