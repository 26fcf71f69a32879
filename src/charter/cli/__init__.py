"""The `charter` command. Each concept's commands live in their own module; this one lists
them, imports a command's module only when that command runs (or shows its own help), and
turns every CharterError into sentences on stderr and a non-zero exit.

The listing of `charter --help` reads the names and one-line summaries below, so it imports
no command module at all; a test checks each summary against its command's docstring."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from charter.cli.common import err_console, one_command, report_errors
from charter.errors import CharterError
from charter.plugins import no_pydantic_plugins


class Entry(NamedTuple):
    """Where a command lives (`module.attribute`: a function, or a typer.Typer of
    subcommands) and the summary `charter --help` shows for it."""

    module: str
    attribute: str
    summary: str


COMMANDS: dict[str, Entry] = {
    "init": Entry("ledger", "init", "Create the database (or bring its schema up to date)."),
    "load": Entry("ledger", "load", "Load a ledger file as a new company: every event is checked; nothing is written if any is wrong."),
    "record": Entry("ledger", "record", "Append events (and stakeholders) to a company's ledger: each is checked against the whole ledger before it; all are written, as one batch, or none."),
    "export": Entry("ledger", "export", "Export a company's ledger as a charter-ledger/1 file (loss-free)."),
    "import": Entry("interop", "import_command", "Create a company from an Open Cap Format package (--ocf: its stakeholders, a terms file made from its stock classes, with what OCF cannot express as TODO, and its transactions as ledger events) or from a spreadsheet ledger (--sheet, under --terms)."),
    "document": Entry("documents", "app", "Documents as PDF: notices, lists, consents, certificates of adjustment."),
    "history": Entry("ledger", "history", "The ledger's events in order."),
    "verify": Entry("ledger", "verify", "Recompute the hash chain of the stored events; check every signed checkpoint and cached state, and a receipt if given."),
    "key": Entry("chain", "key_app", "The server key that signs the chain's checkpoints."),
    "cache": Entry("chain", "cache_app", "The states cached from the events (derived data)."),
    "captable": Entry("captable", "captable", "The cap table as of a date: classes, holders, grants, fully diluted."),
    "terms": Entry("terms", "app", "The certificate and bylaws as data."),
    "interpretations": Entry("interpretations", "interpretations", "Every point where the documents admit more than one reading (DESIGN.md principle 4)."),
    "votes": Entry("votes", "votes", "Votes per holder and class (Art. IV.B.5(c), IV.C.4) and the Voting Shift Period (5(a))."),
    "board": Entry("votes", "board", "Who elects how many directors (Art. IV.B.5(a)-(b); Post-IPO Art. VI; Bylaws Art. III §1)."),
    "meeting": Entry("meeting", "app", "Stockholder meetings."),
    "stockholder-list": Entry("meeting", "stockholder_list", "The alphabetical list of stockholders entitled to vote, with addresses and shares."),
    "approvals": Entry("approvals", "approvals", "Every approval ACTION needs, in order; with --votes, whether each is met."),
    "tally": Entry("tally", "tally_command", "Quorum, then each item: a majority of the power present, or directors by plurality."),
    "consent": Entry("board_meeting", "consent", "Whether written consents take a stockholder action without a meeting (DGCL §228)."),
    "board-meeting": Entry("board_meeting", "app", "Meetings of the board."),
    "board-tally": Entry("board_meeting", "board_tally_command", "Quorum of the whole board, then each item: a majority of the directors present."),
    "rofr": Entry("rofr", "app", "The right of first refusal: notices, the company's option, waivers."),
    "certificates": Entry("certificates", "certificates", "The certificate register: number, holder, class, shares, date, signers, legends."),
    "certificate": Entry("certificates", "certificate", "One certificate, with the legends it must bear; `--pdf FILE` renders it."),
    "serve": Entry("serve", "serve", "Serve the pages and the JSON API (SQLite by default; PostgreSQL with a --db URL)."),
    "users": Entry("accounts", "app", "Accounts of the web application and their roles."),
    "waterfall": Entry("waterfall", "waterfall", "Distribute one exit value (or several) in a liquidation or deemed liquidation to every holder."),
    "dividend": Entry("dividend", "dividend", "Share a dividend the board declares among the classes and holders (does not record it: a `dividend` ledger event does)."),
    "curve": Entry("curve", "curve", "Payout per class and per holder as a function of the exit value, with breakpoints."),
    "ipo": Entry("ipo", "ipo", "What a firm-commitment offering would do (nothing is recorded)."),
    "value": Entry("value", "value", "Value per share of each class by the option-pricing method on the exact breakpoints (with a backsolve), or by PWERM over scenarios; an estimate in floats."),
    "conversion-prices": Entry("conversion_prices", "conversion_prices", "Conversion prices in force, every adjustment, and what is carried forward."),
    "notices": Entry("notices", "notices", "What must be mailed to whom by when."),
    "scenario": Entry("scenario", "scenario", "A financing before it happens: pro forma cap table, conversion prices, approvals, headroom, payouts."),
    "cash-owed": Entry("cash_owed", "cash_owed", "Cash Amounts due on conversion: paid, still owed, and the funds applied."),
    "grants": Entry("grants", "grants", "Each grant: vested, exercisable, exercised, outstanding, when it expires and next vests."),
    "plans": Entry("grants", "plans", "Each equity plan's pool: reserved, granted, outstanding, exercised, lapsed, returned, available for grant."),
}  # fmt: skip


def build(name: str) -> TyperCommand | TyperGroup:
    """The click command `name`, made from its module (imported here, and only here)."""
    entry = COMMANDS[name]
    module = importlib.import_module(f"charter.cli.{entry.module}")
    target = getattr(module, entry.attribute)
    command: TyperCommand | TyperGroup
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name=name)(target)
        command = typer.main.get_command(single)  # type: ignore[assignment]
    command.name = name
    plain_help(command)
    listing = getattr(module, "help_listing", None)
    if listing is not None and isinstance(command, TyperCommand):
        command.__class__ = ListedHelp
        command.listing = listing  # type: ignore[attr-defined]
    return command


def help_flag(option: TyperOption | None) -> TyperOption | None:
    """`--help`, False when not given: Typer would otherwise build a pydantic validator to turn
    the absent flag into False for each group on the way to a command (40 ms of
    `charter COMMAND --help`)."""
    if option is not None:
        option.default = False
    return option


class PlainCommand(TyperCommand):
    """A command as `plain_help` leaves it."""

    def get_help_option(self, ctx: Any) -> TyperOption | None:
        return help_flag(super().get_help_option(ctx))


class PlainGroup(TyperGroup):
    """A group of subcommands as `plain_help` leaves it."""

    def get_help_option(self, ctx: Any) -> TyperOption | None:
        return help_flag(super().get_help_option(ctx))


class ListedHelp(PlainCommand):
    """A command whose help ends with a list its module reads only when the help is shown
    (`help_listing`: the action ids of `charter approvals`)."""

    listing: Callable[[], str]

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        formatter.write_paragraph()
        formatter.write_text(self.listing())


def plain_help(command: Any) -> None:
    """Help as plain text that fits 80 columns and pipes to a file: no Rich panels, and each
    value's placeholder a word (FILE, DATE, EXIT), never a Python type such as `<str>`; and
    `--help` False when not given (help_flag)."""
    if isinstance(command, TyperGroup):
        command.__class__ = PlainGroup
    elif isinstance(command, TyperCommand):
        command.__class__ = PlainCommand
    if isinstance(command, TyperCommand | TyperGroup):
        command.rich_markup_mode = None
    for param in command.params:
        if isinstance(param, TyperOption):
            if param.metavar is None and not param.is_flag:
                param.metavar = placeholder(param)
            param.__class__ = PlainOption
        elif isinstance(param, TyperArgument):
            param.metavar = param.metavar or (param.name or "value").upper()
            param.__class__ = PlainArgument
    for sub in getattr(command, "commands", {}).values():
        plain_help(sub)


class PlainOption(TyperOption):
    """An option whose bounds read as words: `[at least 1]`, `[1 to 64]`, not `[x>=1]`."""

    def _get_number_range_help_str(self) -> str | None:
        low, high = self.min, self.max
        if low is not None and high is not None:
            return f"{low} to {high}"
        if low is not None:
            return f"at least {low}"
        return None if high is None else f"at most {high}"


class PlainArgument(TyperArgument):
    """An argument shown by its placeholder alone: `charter tally BALLOTS`, not `{BALLOTS}`
    followed by `<path>`."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"


def placeholder(option: TyperOption) -> str:
    kind = option.type_descriptor
    if kind.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in kind.choices or ())
    if kind.is_path:
        return "FILE"
    if kind.annotation is int:
        return "N"
    return max(option.opts, key=len).lstrip("-").upper().replace("-", "_")


class Commands(PlainGroup):
    """The group of every command in COMMANDS, each built when it is used."""

    listing = False  # while `charter --help` lists the commands: no module is imported

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> TyperCommand | TyperGroup | None:
        if cmd_name not in COMMANDS:
            return None
        if self.listing:
            return TyperCommand(cmd_name, short_help=COMMANDS[cmd_name].summary)
        return build(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self.listing = False


app = typer.Typer(
    name="charter",
    cls=Commands,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def charter() -> None:
    """A Delaware corporation's certificate and bylaws, executable over its stock ledger."""


def main() -> None:
    no_pydantic_plugins()
    with one_command():
        run()


def run() -> None:
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
            err_console.print(f"charter: {e.message}")
        sys.exit(e.exit_code)
    except Exception as e:  # the last guard: a sentence, never a traceback
        err_console.print(f"charter: internal error: {type(e).__name__}: {e}")
        sys.exit(2)
