"""Accounts: users, their role in each company, API tokens, browser sessions, and the
throttle on failed logins.

A user belongs to companies through memberships (user x company x role). The roles:

- `administrator` records events and reads everything;
- `counsel` and `director` read everything and record votes and consents, nothing else
  (web/recording.py);
- `stockholder` is linked to one stakeholder id of the ledger and sees only that holder's
  own position, and the documents.

Passwords are hashed with Argon2id (memory-hard). Session and API tokens are random; only
their SHA-256 is stored, so a copy of the database does not let anyone in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, Literal, get_args

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.sql import Select

from charter.errors import CharterError, Problem, excerpt
from charter.ledger.store import (
    Store,
    StoredCompany,
    checkpoints,
    companies,
    head_read,
    metadata,
)
from charter.server.throttle import sign_in_throttle

Role = Literal["administrator", "counsel", "director", "stockholder"]
ROLES: tuple[str, ...] = get_args(Role)
READ_ALL_ROLES = frozenset({"administrator", "counsel", "director"})
SESSION_LIFETIME = dt.timedelta(hours=12)
TOKEN_DAYS = 90  # an API token's default life
MAX_TOKEN_DAYS = 366
TOKEN_USE_GRANULARITY = dt.timedelta(minutes=1)
INVITATION_LIFETIME = dt.timedelta(days=7)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("login", String(200), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created", DateTime, nullable=False),
    # a password made for the user (generated, or set by an administrator): the user chooses
    # its own at the next sign-in before anything else (Alembic 0006)
    Column("must_choose_password", Boolean, nullable=False, default=False),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("stakeholder", String(100), nullable=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("label", String(200), nullable=False),  # its name, unique per user
    Column("created", DateTime, nullable=False),
    Column("expires", DateTime, nullable=False),
    Column("last_used", DateTime, nullable=True),
)

invitations = Table(
    "invitations",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("company_id", Integer, ForeignKey("companies.id"), nullable=False),
    Column("login", String(200), nullable=False),
    Column("name", String(300), nullable=False),  # for an account made on acceptance
    Column("role", String(20), nullable=False),
    Column("stakeholder", String(100), nullable=True),
    Column("created", DateTime, nullable=False),
    Column("expires", DateTime, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", DateTime, nullable=False),
)


def _admission_query(credentials: Table) -> Select[Any]:
    """One statement for what each request needs: the user holding the credential
    (:digest), outer-joined to its membership of company :slug (NULLs if none), and what a
    read checks of that company's ledger (its latest checkpoint, the event that names and
    its last sequence: `head_read`). Built once: a request only binds the two values."""
    mine = (
        select(memberships.c.user_id, memberships.c.role, memberships.c.stakeholder,
               companies.c.id.label("company_id"))
        .join(companies, companies.c.id == memberships.c.company_id)
        .where(companies.c.slug == bindparam("slug"))
        .subquery()
    )  # fmt: skip
    head_on, head_columns = head_read(mine.c.company_id)
    session_columns = (
        [credentials.c.csrf, credentials.c.expires]
        if "csrf" in credentials.c
        else [credentials.c.expires, credentials.c.last_used]
    )
    return (
        select(users.c.id, users.c.login, users.c.name, users.c.must_choose_password,
               mine.c.role, mine.c.stakeholder, mine.c.company_id,
               *head_columns, *session_columns)
        .join(credentials, credentials.c.user_id == users.c.id)
        .outerjoin(mine, mine.c.user_id == users.c.id)
        .outerjoin(checkpoints, head_on)
        .where(credentials.c.token_hash == bindparam("digest"))
    )  # fmt: skip


_COMPANIES_OF = (
    select(companies.c.id, companies.c.slug, memberships.c.role, memberships.c.stakeholder)
    .join(memberships, memberships.c.company_id == companies.c.id)
    .where(memberships.c.user_id == bindparam("user_id"))
    .order_by(companies.c.id)
)
_ADMISSION_BY_TOKEN = _admission_query(api_tokens)
_ADMISSION_BY_SESSION = _admission_query(web_sessions)

DEFAULT_HASHER = PasswordHasher()  # Argon2id with the library's defaults: 64 MiB, 3 passes


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class User(msgspec.Struct, frozen=True):
    id: int
    login: str
    name: str
    must_choose_password: bool = False  # its password was made for it, not chosen


class Token(msgspec.Struct, frozen=True):
    """An API token as its owner sees it (never the token itself: only its hash is kept)."""

    name: str
    created: dt.datetime
    expires: dt.datetime
    last_used: dt.datetime | None


class Invitation(msgspec.Struct, frozen=True):
    login: str
    role: str
    stakeholder: str | None
    expires: dt.datetime
    company: str  # its slug


class Membership(msgspec.Struct, frozen=True):
    company_id: int
    role: str
    stakeholder: str | None

    @property
    def reads_all(self) -> bool:
        return self.role in READ_ALL_ROLES

    @property
    def records_events(self) -> bool:
        return self.role == "administrator"


class LastAdministrator(CharterError):
    """A change that would leave a company without an administrator."""


class Admission(msgspec.Struct, frozen=True):
    """A credential's user (with a browser session's CSRF token) and, when the user belongs
    to the company asked for, that company, the membership, the ledger's last sequence and
    what a read checks of it (the columns of `head_read`, for `Store.head` to verify)."""

    user: User
    csrf: str | None
    company: tuple[StoredCompany, Membership, int, Any] | None


class WebSession(msgspec.Struct, frozen=True):
    user: User
    csrf: str


def generate_password() -> str:
    return secrets.token_urlsafe(12)


class Accounts:
    """The accounts of one store (same database as the ledger)."""

    def __init__(self, store: Store, hasher: PasswordHasher = DEFAULT_HASHER):
        self.store = store
        self.engine = store.engine
        self.hasher = hasher  # verifying reads the cost from each stored hash
        self._companies: dict[int, StoredCompany] = {}
        # Each request's credential check is one SELECT: on PostgreSQL it runs in autocommit,
        # which spares the BEGIN and ROLLBACK round trips of a transaction around it (SQLite
        # opens no transaction for a SELECT anyway).
        self._reads = (
            self.engine
            if self.engine.dialect.name == "sqlite"
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )

    def ensure_schema(self) -> None:
        """The store's schema (Alembic 0002 and 0003 add these tables); in-memory databases
        directly."""
        self.store.create_schema()
        metadata.create_all(
            self.engine,
            tables=[users, memberships, api_tokens, web_sessions, invitations, sign_in_throttle],
        )

    # --- users ------------------------------------------------------------------------

    def create_user(self, login: str, name: str, password: str, chosen: bool = True) -> User:
        """A new account; `chosen` False when its password was made for it (generated): the
        user then chooses its own at its first sign-in."""
        login = login.strip().lower()
        if not login:
            raise CharterError([Problem("a login must not be empty", field="login")])
        if len(password) < 8:
            raise CharterError(
                [Problem("a password must have at least 8 characters", field="password")]
            )
        with self.engine.begin() as conn:
            if conn.execute(select(users.c.id).where(users.c.login == login)).first():
                raise CharterError([Problem(f"user {login!r} already exists", field="login")])
            uid = conn.execute(
                insert(users).values(
                    login=login,
                    name=name or login,
                    password_hash=self.hasher.hash(password),
                    created=_now(),
                    must_choose_password=not chosen,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        return User(int(uid), login, name or login, not chosen)

    def set_password(self, login: str, password: str, chosen: bool = True) -> None:
        """A new password (`chosen` False: made for the user, who chooses its own at the
        next sign-in); the user is signed out everywhere and its API tokens revoked."""
        if len(password) < 8:
            raise CharterError(
                [Problem("a password must have at least 8 characters", field="password")]
            )
        user = self.user(login)
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == user.id)
                .values(password_hash=self.hasher.hash(password), must_choose_password=not chosen)
            )
            conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user.id))
            conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user.id))

    def change_password(self, user: User, current: str, new: str, again: str) -> User:
        """The user's own new password, proved by its current one (the one made for it, at
        a first sign-in): every mistake named by its field; then signed out everywhere."""
        problems = []
        if self.authenticate(user.login, current) is None:
            problems.append(Problem("this is not your current password", field="current"))
        if len(new) < 8:
            problems.append(Problem("a password must have at least 8 characters", field="new"))
        elif new == current:
            problems.append(Problem("choose a password other than the current one", field="new"))
        if new != again:
            problems.append(Problem("the two new passwords differ", field="again"))
        if problems:
            raise CharterError(problems)
        self.set_password(user.login, new)
        return self.user(user.login)

    def user(self, login: str) -> User:
        with self.engine.connect() as conn:
            r = conn.execute(select(users).where(users.c.login == login.strip().lower())).first()
        if r is None:
            raise CharterError([Problem(f"no user {login!r}", field="login")])
        return User(r.id, r.login, r.name, bool(r.must_choose_password))

    def count_users(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(users.c.id)).all())

    def authenticate(self, login: str, password: str) -> User | None:
        """The user if the password is right; None otherwise (never says which part was
        wrong)."""
        with self.engine.connect() as conn:
            r = conn.execute(select(users).where(users.c.login == login.strip().lower())).first()
        if r is None:
            self.hasher.hash(password)  # the same work either way: no timing oracle for logins
            return None
        try:
            self.hasher.verify(r.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(r.id, r.login, r.name, bool(r.must_choose_password))

    # --- memberships ------------------------------------------------------------------

    def check_role(self, company: StoredCompany, role: str, stakeholder: str | None) -> None:
        """A role that can be given in `company`: one of ROLES, and a stockholder (only a
        stockholder) linked to one of the company's stakeholder ids."""
        if role not in ROLES:
            raise CharterError(
                [Problem(f"{role!r} is not a role (one of {', '.join(ROLES)})", field="role")]
            )
        if (role == "stockholder") != (stakeholder is not None):
            raise CharterError(
                [
                    Problem(
                        "a stockholder is linked to exactly one stakeholder id, and only a "
                        "stockholder is",
                        field="stakeholder",
                    )
                ]
            )
        if stakeholder is not None and stakeholder not in {
            s.id for s in self.store.stakeholders(company)
        }:
            raise CharterError(
                [Problem(f"{company.slug} has no stakeholder {stakeholder!r}", field="stakeholder")]
            )

    def grant_role(
        self, user: User, company: StoredCompany, role: str, stakeholder: str | None = None
    ) -> None:
        """Give `user` the role in `company`, in place of the one it had; never takes away
        the company's last administrator."""
        self.check_role(company, role, stakeholder)
        with self.engine.begin() as conn:
            was = self._lock_administrators(conn, company)
            conn.execute(
                delete(memberships).where(
                    memberships.c.user_id == user.id, memberships.c.company_id == company.id
                )
            )
            conn.execute(
                insert(memberships).values(
                    user_id=user.id, company_id=company.id, role=role, stakeholder=stakeholder
                )
            )
            self._keep_an_administrator(conn, company, user, was)

    def revoke_role(self, user: User, company: StoredCompany) -> None:
        """End `user`'s membership of `company`; never the company's last administrator."""
        with self.engine.begin() as conn:
            was = self._lock_administrators(conn, company)
            conn.execute(
                delete(memberships).where(
                    memberships.c.user_id == user.id, memberships.c.company_id == company.id
                )
            )
            self._keep_an_administrator(conn, company, user, was)

    def _lock_administrators(self, conn: Connection, company: StoredCompany) -> set[int]:
        """The administrators of `company`, their rows locked until the transaction ends, so
        that two administrators demoting each other at once cannot both succeed
        (PostgreSQL; SQLite lets one writer in at a time)."""
        return set(
            conn.execute(
                select(memberships.c.user_id)
                .where(
                    memberships.c.company_id == company.id,
                    memberships.c.role == "administrator",
                )
                .with_for_update()
            ).scalars()
        )

    def _keep_an_administrator(
        self, conn: Connection, company: StoredCompany, user: User, was: set[int]
    ) -> None:
        """Refuse (and so roll back) a change that left `company` without an administrator
        when `user` was one: counted after the change, inside its transaction."""
        if user.id not in was:
            return
        left = conn.execute(
            select(func.count())
            .select_from(memberships)
            .where(memberships.c.company_id == company.id, memberships.c.role == "administrator")
        ).scalar_one()
        if left == 0:
            raise LastAdministrator(
                [
                    Problem(
                        f"{user.login} is the last administrator of {company.slug}; make "
                        "another member administrator first",
                        field="role",
                    )
                ]
            )

    def members(self, company: StoredCompany) -> list[tuple[User, Membership]]:
        """The members of `company` with their roles, by login."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(users, memberships.c.role, memberships.c.stakeholder)
                .join(memberships, memberships.c.user_id == users.c.id)
                .where(memberships.c.company_id == company.id)
                .order_by(users.c.login)
            ).all()
        return [
            (
                User(r.id, r.login, r.name, bool(r.must_choose_password)),
                Membership(company.id, r.role, r.stakeholder),
            )
            for r in rows
        ]

    def companies_of(self, user: User) -> list[tuple[StoredCompany, Membership]]:
        """The companies the user belongs to, in the order they were created, each with the
        user's membership of it; one query."""
        with self._reads.connect() as conn:
            rows = conn.execute(_COMPANIES_OF, {"user_id": user.id}).all()
        return [
            (self._company(r.id, r.slug), Membership(r.id, r.role, r.stakeholder)) for r in rows
        ]

    def membership_of(self, user: User, company: StoredCompany) -> Membership | None:
        """The user's membership of `company`, or None if it is no member."""
        return next((m for c, m in self.companies_of(user) if c.id == company.id), None)

    def admission(
        self, credential: str, via: Literal["token", "cookie"], slug: str
    ) -> Admission | None:
        """What a request for company `slug` needs, read fresh in one autocommit query (no
        cache: a closed session, a revoked token, a removed member or a changed role is
        seen by the very next request, in every server process): the user of an API token
        or of an unexpired browser session, its membership of `slug`, that company's last
        event sequence and its latest checkpoint (verified by the caller, `Store.head`).
        None if the credential is unknown or the session expired."""
        query = _ADMISSION_BY_TOKEN if via == "token" else _ADMISSION_BY_SESSION
        with self._reads.connect() as conn:
            r = conn.execute(query, {"digest": _digest(credential), "slug": slug}).first()
        if r is None or r.expires < _now():
            return None
        if via == "token":
            self._used(r.last_used, credential)
        user = User(r.id, r.login, r.name, bool(r.must_choose_password))
        csrf = r.csrf if via == "cookie" else None
        if r.company_id is None:
            return Admission(user, csrf, None)
        member = Membership(r.company_id, r.role, r.stakeholder)
        company = self._company(r.company_id, slug)
        return Admission(user, csrf, (company, member, int(r.last or 0), r))

    def _company(self, company_id: int, slug: str) -> StoredCompany:
        """A company's row (with its terms), read once: the store never changes a company's
        row after creating it, so it is kept for the life of the process."""
        found = self._companies.get(company_id)
        if found is None:
            found = self._companies[company_id] = self.store.company(slug)
        return found

    # --- API tokens -------------------------------------------------------------------

    def create_token(self, user: User, name: str = "script", days: int = TOKEN_DAYS) -> str:
        """A new API token named `name` (unique among the user's tokens), valid `days` days
        (1 to MAX_TOKEN_DAYS); the token itself is returned this once, only its SHA-256
        kept."""
        name = name.strip()
        if not name or len(name) > 200:
            raise CharterError(
                [Problem("a token needs a name of 1 to 200 characters", field="name")]
            )
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise CharterError(
                [Problem(f"a token lasts 1 to {MAX_TOKEN_DAYS} days, not {days}", field="days")]
            )
        secret = "ct_" + secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            taken = conn.execute(
                select(api_tokens.c.label).where(
                    api_tokens.c.user_id == user.id, api_tokens.c.label == name
                )
            ).first()
            if taken:
                raise CharterError(
                    [
                        Problem(
                            f"{user.login} has a token named {excerpt(name)} already", field="name"
                        )
                    ]
                )
            row = {
                "token_hash": _digest(secret),
                "user_id": user.id,
                "label": name,
                "created": now,
                "expires": now + dt.timedelta(days=days),
                "last_used": None,
            }
            conn.execute(insert(api_tokens).values(**row))
        return secret

    def tokens(self, user: User) -> list[Token]:
        """The user's API tokens (without their secrets), by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(api_tokens)
                .where(api_tokens.c.user_id == user.id)
                .order_by(api_tokens.c.label)
            ).all()
        return [Token(r.label, r.created, r.expires, r.last_used) for r in rows]

    def revoke_token(self, user: User, name: str) -> None:
        """End the user's token named `name` at once (the next request with it is a 401)."""
        with self.engine.begin() as conn:
            gone = conn.execute(
                delete(api_tokens).where(
                    api_tokens.c.user_id == user.id, api_tokens.c.label == name
                )
            ).rowcount
        if not gone:
            raise CharterError(
                [Problem(f"{user.login} has no token named {excerpt(name)}", field="name")]
            )

    def _used(self, last: dt.datetime | None, credential: str) -> None:
        """Record a token's use, at most once a minute (a write per request would cost every
        request of a script a transaction)."""
        now = _now()
        if last is not None and now - last < TOKEN_USE_GRANULARITY:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.token_hash == _digest(credential))
                .values(last_used=now)
            )

    def user_for_token(self, token: str) -> User | None:
        """The user of an unexpired API token, its use recorded; None otherwise."""
        with self._reads.connect() as conn:
            r = conn.execute(
                select(users, api_tokens.c.expires, api_tokens.c.last_used)
                .join(api_tokens, api_tokens.c.user_id == users.c.id)
                .where(api_tokens.c.token_hash == _digest(token))
            ).first()
        if r is None or r.expires < _now():
            return None
        self._used(r.last_used, token)
        return User(r.id, r.login, r.name, bool(r.must_choose_password))

    # --- invitations ------------------------------------------------------------------

    def invite(
        self, company: StoredCompany, login: str, name: str, role: str, stakeholder: str | None
    ) -> tuple[str, dt.datetime]:
        """An invitation for `login` to take `role` in `company`: (its code, shown once;
        when it expires). Nothing about the account is read or written here, so the answer
        is the same whether `login` has an account or not (issue 17 §5): the account is
        found, or made, when the invitation is accepted (`accept`)."""
        login = login.strip().lower()
        if not login:
            raise CharterError([Problem("a login must not be empty", field="login")])
        self.check_role(company, role, stakeholder)
        code = "ci_" + secrets.token_urlsafe(32)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                delete(invitations).where(
                    invitations.c.company_id == company.id, invitations.c.login == login
                )
            )
            conn.execute(
                insert(invitations).values(
                    token_hash=_digest(code),
                    company_id=company.id,
                    login=login,
                    name=name.strip(),
                    role=role,
                    stakeholder=stakeholder,
                    created=now,
                    expires=now + INVITATION_LIFETIME,
                )
            )
        return code, now + INVITATION_LIFETIME

    def invitations(self, company: StoredCompany) -> list[Invitation]:
        """The company's invitations not yet accepted nor expired, by login."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(invitations)
                .where(invitations.c.company_id == company.id, invitations.c.expires >= _now())
                .order_by(invitations.c.login)
            ).all()
        return [Invitation(r.login, r.role, r.stakeholder, r.expires, company.slug) for r in rows]

    def invitation(self, code: str) -> Invitation | None:
        """The unexpired invitation of a code, or None."""
        with self.engine.connect() as conn:
            r = conn.execute(
                select(invitations, companies.c.slug)
                .join(companies, companies.c.id == invitations.c.company_id)
                .where(invitations.c.token_hash == _digest(code))
            ).first()
        if r is None or r.expires < _now():
            return None
        return Invitation(r.login, r.role, r.stakeholder, r.expires, r.slug)

    def accept(self, code: str, password: str) -> User | None:
        """Accept an invitation: the invited login's account, proved by its password, or made
        with `password` when there is none; then the role. None when the code is unknown
        or expired or the password is not the account's."""
        found = self.invitation(code)
        if found is None:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(invitations).where(invitations.c.token_hash == _digest(code))
            ).first()
        if row is None:
            return None
        try:
            user: User | None = self.user(found.login)
        except CharterError:
            user = None
        if user is None:
            user = self.create_user(found.login, row.name, password)
        elif self.authenticate(found.login, password) is None:
            return None
        company = self._company(row.company_id, found.company)
        self.grant_role(user, company, row.role, row.stakeholder)
        with self.engine.begin() as conn:
            conn.execute(delete(invitations).where(invitations.c.token_hash == _digest(code)))
        return user

    # --- browser sessions -------------------------------------------------------------

    def open_session(self, user: User) -> tuple[str, str]:
        """A new session: (cookie value, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.expires < _now()))
            conn.execute(
                insert(web_sessions).values(
                    token_hash=_digest(token),
                    user_id=user.id,
                    csrf=csrf,
                    expires=_now() + SESSION_LIFETIME,
                )
            )
        return token, csrf

    def session(self, token: str) -> WebSession | None:
        with self._reads.connect() as conn:
            r = conn.execute(
                select(users, web_sessions.c.csrf, web_sessions.c.expires)
                .join(web_sessions, web_sessions.c.user_id == users.c.id)
                .where(web_sessions.c.token_hash == _digest(token))
            ).first()
        if r is None or r.expires < _now():
            return None
        return WebSession(User(r.id, r.login, r.name, bool(r.must_choose_password)), r.csrf)

    def close_session(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _digest(token)))
