"""The members of a company and their roles, managed by its administrators: list them, add
(invite) an account with a role, change a role, remove a member — never the last
administrator. Pages and JSON API alike; `charter users` does the same from the shell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Header, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from charter.errors import CharterError
from charter.server.accounts import ROLES, LastAdministrator, Role, User
from charter.web.api import CompanyAccess, problem_responses
from charter.web.context import Access
from charter.web.pages import PageAccess, render
from charter.web.problems import HTTPProblem

Login = Annotated[str, Path(max_length=200, description="The member's login")]


def administrators_only(access: Access) -> None:
    if access.member.role != "administrator":
        raise HTTPProblem(
            403,
            f"only an administrator of {access.slug} manages its members; this account is "
            f"{access.member.role}",
        )


class MemberOut(BaseModel):
    login: str
    name: str
    role: str
    stakeholder: str | None


class MemberIn(BaseModel):
    """A login to invite with a role. Whether it has an account is neither read nor said:
    the invitation's code, given back once, lets its holder accept with the account's
    password, or choose one for a new account (`name` is then its display name)."""

    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=300)
    role: Role
    stakeholder: str | None = Field(
        default=None, max_length=100, description="For a stockholder: its stakeholder id"
    )


class InvitedOut(BaseModel):
    login: str
    role: str
    stakeholder: str | None
    invitation: str = Field(
        description="The code to pass on to the person invited (shown this once): at "
        "/invite they accept with their account's password, or choose a password for a new "
        "account"
    )
    expires: str = Field(description="When the invitation lapses (UTC, ISO 8601)")


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    stakeholder: str | None = Field(default=None, max_length=100)


def member_out(user: User, role: str, stakeholder: str | None) -> MemberOut:
    return MemberOut(login=user.login, name=user.name, role=role, stakeholder=stakeholder)


def members_of(access: Access) -> list[MemberOut]:
    return [
        member_out(u, m.role, m.stakeholder)
        for u, m in access.web.accounts.members(access.session.company)
    ]


def add_member(
    access: Access, login: str, name: str, role: str, stakeholder: str | None
) -> InvitedOut:
    """Invite `login` to a role in the company. The answer is the same whether the login
    has an account anywhere or not (issue 17 §5); only a member of this company is refused,
    which this company's administrator may know. The role is checked before anything is
    written."""
    accounts, company = access.web.accounts, access.session.company
    login = login.strip().lower()
    for member_user, has in accounts.members(company):
        if member_user.login == login:
            raise HTTPProblem(
                409,
                f"{login} is already {has.role} of {access.slug}; change the role instead",
                field="login",
            )
    code, expires = accounts.invite(company, login, name, role, stakeholder)
    return InvitedOut(
        login=login,
        role=role,
        stakeholder=stakeholder,
        invitation=code,
        expires=expires.isoformat(timespec="seconds") + "Z",
    )


def member(access: Access, login: str) -> User:
    """A member of the company by login: the same 404 whether the account does not exist or
    belongs to other companies only."""
    accounts = access.web.accounts
    try:
        user = accounts.user(login)
    except CharterError:
        user = None
    if user is None or accounts.membership_of(user, access.session.company) is None:
        raise HTTPProblem(404, f"{access.slug} has no member {login!r}", field="login")
    return user


def change_role(access: Access, login: str, role: str, stakeholder: str | None) -> MemberOut:
    user = member(access, login)
    try:
        access.web.accounts.grant_role(user, access.session.company, role, stakeholder)
    except LastAdministrator as e:
        raise HTTPProblem(409, e.problems[0].message, field="role") from None
    return member_out(user, role, stakeholder)


def remove_member(access: Access, login: str) -> None:
    user = member(access, login)
    try:
        access.web.accounts.revoke_role(user, access.session.company)
    except LastAdministrator as e:
        raise HTTPProblem(409, e.problems[0].message, field="login") from None


# --- JSON API ------------------------------------------------------------------------------

api = APIRouter(prefix="/api", tags=["api"])
CsrfHeader = Annotated[str | None, Header(max_length=200)]


@api.get(
    "/companies/{company}/members",
    response_model=list[MemberOut],
    responses=problem_responses(401, 403, 404),
)
def members_api(access: CompanyAccess) -> list[MemberOut]:
    """The company's members and their roles (administrators only)."""
    administrators_only(access)
    return members_of(access)


@api.post(
    "/companies/{company}/members",
    status_code=201,
    response_model=InvitedOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def add_member_api(
    access: CompanyAccess, new: MemberIn, x_csrf_token: CsrfHeader = None
) -> InvitedOut:
    """Invite a login with a role (administrators only): the invitation's code is given
    back once, the same whether the login has an account or not; the person accepts at
    /invite (with their password, or choosing one for a new account)."""
    access.principal.check_csrf(x_csrf_token)
    administrators_only(access)
    return add_member(access, new.login, new.name, new.role, new.stakeholder)


@api.put(
    "/companies/{company}/members/{login}",
    response_model=MemberOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def change_role_api(
    access: CompanyAccess, login: Login, change: RoleIn, x_csrf_token: CsrfHeader = None
) -> MemberOut:
    """Change a member's role (administrators only); never the last administrator's."""
    access.principal.check_csrf(x_csrf_token)
    administrators_only(access)
    return change_role(access, login, change.role, change.stakeholder)


@api.delete(
    "/companies/{company}/members/{login}",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409),
)
def remove_member_api(
    access: CompanyAccess, login: Login, x_csrf_token: CsrfHeader = None
) -> Response:
    """Remove a member from the company (administrators only); never the last
    administrator. The account itself stays (it may belong to other companies)."""
    access.principal.check_csrf(x_csrf_token)
    administrators_only(access)
    remove_member(access, login)
    return Response(status_code=204)


# --- pages ---------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
RoleField = Annotated[str, Form(max_length=20)]
StakeholderField = Annotated[str, Form(max_length=100)]


def members_page_response(
    request: Request, access: Access, status: int = 200, **outcome: Any
) -> Response:
    return render(
        request,
        "members.html",
        status,
        access=access,
        active="members",
        members=members_of(access),
        invitations=access.web.accounts.invitations(access.session.company),
        roles=ROLES,
        stakeholders=access.session.stakeholders(),
        **outcome,
    )


def attempt(
    request: Request, access: Access, csrf: str, change: Callable[[], dict[str, Any]]
) -> Response:
    """`change()` after the CSRF and administrator checks: the page again with what was
    done, or with the refusal's sentence and status (nothing written)."""
    access.principal.check_csrf(csrf)
    administrators_only(access)
    try:
        done = change()
    except HTTPProblem as e:
        return members_page_response(
            request, access, e.status, errors=[p.sentence() for p in e.problems]
        )
    except CharterError as e:
        return members_page_response(
            request, access, 422, errors=[p.sentence() for p in e.problems]
        )
    return members_page_response(request, access, **done)


def _stakeholder(value: str) -> str | None:
    return value.strip() or None


@router.get("/c/{company}/members")
def members_page(request: Request, access: PageAccess) -> Response:
    """The members with their roles; forms to add one, change a role, remove one."""
    administrators_only(access)
    return members_page_response(request, access)


@router.post("/c/{company}/members")
def add_member_form(
    request: Request,
    access: PageAccess,
    login: Annotated[str, Form(max_length=200)],
    role: RoleField,
    name: Annotated[str, Form(max_length=300)] = "",
    stakeholder: StakeholderField = "",
    csrf: Csrf = "",
) -> Response:
    def add() -> dict[str, Any]:
        added = add_member(access, login, name, role, _stakeholder(stakeholder))
        return {
            "done": f"{added.login} is invited as {added.role} of {access.slug}.",
            "added": added,
        }

    return attempt(request, access, csrf, add)


@router.post("/c/{company}/members/{login}/role")
def change_role_form(
    request: Request,
    access: PageAccess,
    login: Login,
    role: RoleField,
    stakeholder: StakeholderField = "",
    csrf: Csrf = "",
) -> Response:
    def change() -> dict[str, Any]:
        changed = change_role(access, login, role, _stakeholder(stakeholder))
        return {"done": f"{changed.login} is now {changed.role} of {access.slug}."}

    return attempt(request, access, csrf, change)


@router.post("/c/{company}/members/{login}/remove")
def remove_member_form(
    request: Request,
    access: PageAccess,
    login: Login,
    csrf: Csrf = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Remove a member, in two steps that need no script: the Remove button asks, and only
    the confirmation (`confirm=yes`) removes."""
    if confirm != "yes":

        def ask() -> dict[str, Any]:
            member(access, login)  # a login that is no member: its 404 now, not once confirmed
            return {"confirming": login}

        return attempt(request, access, csrf, ask)

    def remove() -> dict[str, Any]:
        remove_member(access, login)
        return {"done": f"{login} is no longer a member of {access.slug}."}

    return attempt(request, access, csrf, remove)
