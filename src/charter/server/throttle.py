"""The throttle on sign-ins (issue 17 §5, issue 16): brute force is slowed per login, volume
per address, and the check and the count are one atomic step in the database.

- **Per login**: the first `free` failures cost nothing; after them each attempt waits a
  delay that doubles with every further failure (1 s, 2 s, 4 s ... at most `max_delay`),
  counted from the last attempt. A login is never locked outright: its owner waits at most
  `max_delay`. A success clears its failures; failures are forgotten `forget` seconds after
  the last attempt.
- **Per address**: only volume, `address_limit` failures within `address_window` seconds
  (100 in 5 minutes), so one office's typos lock nobody out; and a login with no failures
  of its own passes an address over its limit (its password is checked, and a failure
  counts against both).
- **Atomic**: an attempt is counted as a failure *before* its password is checked (a
  success then takes it back), by a compare-and-set on the key's row (`version`), in one
  transaction for the login and the address. Twenty sign-ins posted at once therefore check
  at most `free` passwords, on SQLite and PostgreSQL alike, in every server process over
  the database.

Only the SHA-256 of each key (`login:NAME`, `ip:ADDRESS`) is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from typing import Any

import msgspec
from sqlalchemy import Column, Connection, DateTime, Engine, Integer, String, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite

from charter.ledger.store import metadata

sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("attempts", Integer, nullable=False),  # failures, and attempts not yet settled
    Column("since", DateTime, nullable=False),  # an address's window began
    Column("last", DateTime, nullable=False),  # the last attempt
    Column("next_allowed", DateTime, nullable=False),  # a login's delay ends
    Column("version", Integer, nullable=False),  # compare-and-set
)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Policy(msgspec.Struct, frozen=True):
    free: int = 5  # failures of a login before any delay
    first_delay: float = 1.0  # seconds, doubling with each further failure
    max_delay: float = 300.0
    forget: float = 3600.0  # a login's failures are forgotten after this long unused
    address_limit: int = 100
    address_window: float = 300.0

    def delay(self, failures: int) -> dt.timedelta:
        """The wait after a login's `failures`-th failure: none up to `free - 1`, then
        first_delay, doubling, at most max_delay."""
        if failures < self.free:
            return dt.timedelta(0)
        steps = min(failures - self.free, 30)
        return dt.timedelta(seconds=min(self.max_delay, self.first_delay * 2**steps))


class Ticket(msgspec.Struct, frozen=True):
    """An attempt admitted (and counted as a failure until `settle` says otherwise)."""

    login_key: str
    address_key: str


class Refused(Exception):
    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


class LoginThrottle:
    def __init__(
        self,
        engine: Engine,
        policy: Policy | None = None,
        clock: Callable[[], dt.datetime] = _now,
    ):
        self.engine = engine
        self.policy = policy or Policy()
        self.clock = clock  # naive UTC, as every time in these tables
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def admit(self, login: str, address: str) -> Ticket:
        """Count an attempt for `login` from `address`, or raise Refused with the seconds to
        wait. Retries its compare-and-set when another process changed a row meanwhile."""
        keys = (_digest(f"login:{login.strip().lower()}"), _digest(f"ip:{address}"))
        for _ in range(100):
            now = self.clock()
            with self.engine.begin() as conn:
                for k in keys:
                    conn.execute(
                        self._insert(sign_in_throttle)
                        .values(
                            key_hash=k, attempts=0, since=now, last=now, next_allowed=now,
                            version=0,
                        )
                        .on_conflict_do_nothing()
                    )  # fmt: skip
                rows = {
                    r.key_hash: r
                    for r in conn.execute(
                        select(sign_in_throttle).where(sign_in_throttle.c.key_hash.in_(keys))
                    )
                }
                claimed = self._claim(conn, rows[keys[0]], rows[keys[1]], now)
                if claimed is None:
                    conn.rollback()
                    continue
            if claimed is True:
                return Ticket(*keys)
            raise Refused(claimed)
        raise Refused(1)  # rows changing under us a hundred times: busy, try again

    def _claim(
        self, conn: Connection, login: Any, address: Any, now: dt.datetime
    ) -> bool | int | None:
        """True when counted (the attempt may go on), the seconds to wait, or None when a
        row changed under us."""
        p = self.policy
        failures: int = login.attempts
        if (now - login.last).total_seconds() >= p.forget:
            failures = 0
        if failures and now < login.next_allowed:
            wait: float = (login.next_allowed - now).total_seconds()
            return math.ceil(wait)
        in_window: int = address.attempts
        since = address.since
        if (now - since).total_seconds() >= p.address_window:
            in_window, since = 0, now
        if in_window >= p.address_limit and failures:
            left: float = (since - now).total_seconds() + p.address_window
            return math.ceil(left)
        after = failures + 1
        changed = [
            self._set(conn, login, attempts=after, last=now, next_allowed=now + p.delay(after)),
            self._set(conn, address, attempts=in_window + 1, since=since, last=now),
        ]
        return True if all(changed) else None

    @staticmethod
    def _set(conn: Connection, row: Any, **values: Any) -> bool:
        done = conn.execute(
            update(sign_in_throttle)
            .where(
                sign_in_throttle.c.key_hash == row.key_hash,
                sign_in_throttle.c.version == row.version,
            )
            .values(version=row.version + 1, **values)
        )
        return done.rowcount == 1

    def settle(self, ticket: Ticket, succeeded: bool) -> None:
        """A failure stays counted; a success clears the login's failures and takes the
        attempt back from the address's count."""
        if not succeeded:
            return
        now = self.clock()
        t = sign_in_throttle.c
        with self.engine.begin() as conn:
            conn.execute(
                update(sign_in_throttle)
                .where(t.key_hash == ticket.login_key)
                .values(attempts=0, next_allowed=now, version=t.version + 1)
            )
            conn.execute(
                update(sign_in_throttle)
                .where(t.key_hash == ticket.address_key, t.attempts > 0)
                .values(attempts=t.attempts - 1, version=t.version + 1)
            )
