"""`charter users ...`: accounts of the web application and their roles in companies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from charter.cli.common import CompanyOpt, DbOpt, deferred
from charter.errors import CharterError, Problem

if TYPE_CHECKING:
    from charter import service
    from charter.server import accounts as server_accounts
else:
    service = deferred("charter.service")
    server_accounts = deferred("charter.server.accounts")

app = typer.Typer(help="Accounts of the web application and their roles.", no_args_is_help=True)

RoleOpt = Annotated[
    str, typer.Option("--role", help="administrator, counsel, director or stockholder.")
]
StakeholderOpt = Annotated[
    str | None,
    typer.Option("--stakeholder", help="The stakeholder id a stockholder account sees."),
]


def _accounts(db: str | None) -> server_accounts.Accounts:
    members = server_accounts.Accounts(service.open_store(db))
    members.ensure_schema()
    return members


def _say(text: str) -> None:
    typer.echo(text)


@app.command("add")
def add(
    login: Annotated[str, typer.Argument(help="The login (e.g. an e-mail address).")],
    role: RoleOpt,
    stakeholder: StakeholderOpt = None,
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            help="Default: a random one, printed, which the user replaces at its first sign-in.",
        ),
    ] = None,
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Create an account (or reuse one) and give it a role in a company."""
    accounts = _accounts(db)
    target = accounts.store.company(company)
    try:
        user = accounts.user(login)
        made = None
    except CharterError:
        made = password or server_accounts.generate_password()
        user = accounts.create_user(login, name, made, chosen=password is not None)
    accounts.grant_role(user, target, role, stakeholder)
    who = f" (stakeholder {stakeholder})" if stakeholder else ""
    _say(f"{user.login} is {role}{who} of {target.name}.")
    if made is not None and password is None:
        _say(f"Password: {made}")


@app.command("list")
def list_members(db: DbOpt = None, company: CompanyOpt = None) -> None:
    """The members of a company and their roles."""
    accounts = _accounts(db)
    for user, member in accounts.members(accounts.store.company(company)):
        who = f" (stakeholder {member.stakeholder})" if member.stakeholder else ""
        _say(f"{user.login}\t{member.role}{who}\t{user.name}")


@app.command("remove")
def remove(
    login: Annotated[str, typer.Argument(help="The member's login.")],
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """End an account's membership of a company (never the last administrator's); the
    account stays."""
    accounts = _accounts(db)
    target = accounts.store.company(company)
    user = accounts.user(login)
    if accounts.membership_of(user, target) is None:
        raise CharterError([Problem(f"{user.login} is no member of {target.slug}", field="login")])
    accounts.revoke_role(user, target)
    _say(f"{user.login} is no longer a member of {target.name}.")


@app.command("bootstrap")
def bootstrap(
    login: Annotated[str, typer.Option("--login")] = "admin",
    db: DbOpt = None,
    company: CompanyOpt = None,
) -> None:
    """Create the first administrator if the database has no account yet; print its login."""
    accounts = _accounts(db)
    if accounts.count_users():
        _say(
            "Accounts exist already; `charter users password LOGIN` sets a new password "
            f"(the first administrator is {login!r} if it was made here)."
        )
        return
    target = accounts.store.company(company)
    password = server_accounts.generate_password()
    user = accounts.create_user(login, "Administrator", password, chosen=False)
    accounts.grant_role(user, target, "administrator")
    _say(f"First administrator of {target.name}: login {user.login}, password {password}")


@app.command("password")
def set_password(
    login: Annotated[str, typer.Argument()],
    password: Annotated[str | None, typer.Option("--password")] = None,
    db: DbOpt = None,
) -> None:
    """Set a new password (a random one, printed, by default, which the user replaces with
    its own at its next sign-in); signs the user out and revokes its API tokens."""
    new = password or server_accounts.generate_password()
    _accounts(db).set_password(login, new, chosen=password is not None)
    _say(f"New password for {login}: {new}" if password is None else f"Password set for {login}.")


tokens_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)
app.add_typer(tokens_app, name="token")


@tokens_app.command("create")
def token_create(
    login: Annotated[str, typer.Argument()],
    name: Annotated[
        str, typer.Option("--name", help="Its name, to list and revoke it by.")
    ] = "script",
    days: Annotated[
        int | None,
        typer.Option("--days", metavar="DAYS", help="Days it lasts (default 90; 1 to 366)."),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Create an API token for scripts (Authorization: Bearer TOKEN); printed once."""
    accounts = _accounts(db)
    _say(accounts.create_token(accounts.user(login), name, days or server_accounts.TOKEN_DAYS))


@tokens_app.command("list")
def token_list(login: Annotated[str, typer.Argument()], db: DbOpt = None) -> None:
    """A user's API tokens: name, created, expires, last used (never the tokens)."""
    accounts = _accounts(db)
    for t in accounts.tokens(accounts.user(login)):
        used = f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never used"
        _say(f"{t.name}\tcreated {t.created:%Y-%m-%d}\texpires {t.expires:%Y-%m-%d}\t{used}")


@tokens_app.command("revoke")
def token_revoke(
    login: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Argument(help="The token's name.")],
    db: DbOpt = None,
) -> None:
    """Revoke a user's API token by name, at once."""
    accounts = _accounts(db)
    accounts.revoke_token(accounts.user(login), name)
    _say(f"The token {name} of {login} is revoked.")
