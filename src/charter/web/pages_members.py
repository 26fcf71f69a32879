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
from charter.web.accounts import ROLES, LastAdministrator, Role, User, generate_password
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
    """An account to add with a role: an existing login, or a new account (`name` is then
    its display name, and a first password is made and given back once)."""

    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=300)
    role: Role
    stakeholder: str | None = Field(
        default=None, max_length=100, description="For a stockholder: its stakeholder id"
    )


class AddedOut(MemberOut):
    password: str | None = Field(
        description="A new account's first password, shown this once (null: the account "
        "existed already)"
    )


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
) -> AddedOut:
    """Give `login` a role in the company, making the account if there is none (with a
    first password); the role is checked before anything is written."""
    accounts, company = access.web.accounts, access.session.company
    accounts.check_role(company, role, stakeholder)
    password = None
    try:
        user = accounts.user(login)
    except CharterError:
        password = generate_password()
        user = accounts.create_user(login, name.strip(), password)
    has = accounts.membership_of(user, company)
    if has is not None:
        raise HTTPProblem(
            409,
            f"{user.login} is already {has.role} of {access.slug}; change the role instead",
            field="login",
        )
    accounts.grant_role(user, company, role, stakeholder)
    return AddedOut(**member_out(user, role, stakeholder).model_dump(), password=password)


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
    response_model=AddedOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def add_member_api(
    access: CompanyAccess, new: MemberIn, x_csrf_token: CsrfHeader = None
) -> AddedOut:
    """Add an account with a role (administrators only); a login that has no account yet
    gets one, with a first password given back once."""
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
        return {"done": f"{added.login} is now {added.role} of {access.slug}.", "added": added}

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
    request: Request, access: PageAccess, login: Login, csrf: Csrf = ""
) -> Response:
    def remove() -> dict[str, Any]:
        remove_member(access, login)
        return {"done": f"{login} is no longer a member of {access.slug}."}

    return attempt(request, access, csrf, remove)
