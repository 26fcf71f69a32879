"""The store: companies, stakeholders and their append-only, hash-chained events.

SQLAlchemy 2 Core over SQLite (a file, the default) or PostgreSQL (a URL). Every row carries
its company id; events are numbered per company and `(company_id, sequence)` is the primary
key, so two writers racing to append the same sequence cannot both succeed (optimistic
concurrency). A batch is one transaction: it is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import (
    JSON,
    Column,
    Date,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError
from sqlalchemy.pool import StaticPool

from charter.errors import CharterError, Problem
from charter.ledger.events import EVENT_ADAPTER, SCHEMA_VERSION, Company, Stakeholder, event_to_json
from charter.ledger.fileformat import Entry

metadata = MetaData()

companies = Table(
    "companies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("terms", String(500), nullable=False),
    Column("terms_data", JSON, nullable=True),
)

stakeholders = Table(
    "stakeholders",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("id", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("data", JSON, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("date", Date, nullable=False),
    Column("type", String(40), nullable=False),
    Column("event_id", String(100), nullable=True),
    Column("schema_version", Integer, nullable=False),
    Column("payload", Text, nullable=False),
    Column("source", String(500), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("date", Date, nullable=False),
    Column("state_version", String(40), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

GENESIS = "0" * 64
_STAKEHOLDERS: TypeAdapter[list[Stakeholder]] = TypeAdapter(list[Stakeholder])


def link_hash(prev_hash: str, sequence: int, payload_text: str) -> str:
    """The hash of one link of the chain: the previous hash, the sequence and the event."""
    h = hashlib.sha256()
    h.update(f"{prev_hash}\n{sequence}\n{payload_text}".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class StoredCompany:
    id: int
    slug: str
    name: str
    terms: str
    terms_data: dict[str, Any] | None

    @property
    def company(self) -> Company:
        return Company(name=self.name, terms=self.terms)


@dataclass(frozen=True)
class VerifyResult:
    events: int
    first_broken: int | None
    reason: str | None = None


IDLE_BEFORE_PING = 1.0  # seconds


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before handing it out again only if it sat idle in the pool
    for more than IDLE_BEFORE_PING seconds; a stale one (the server restarted, a firewall
    dropped it) is replaced. SQLAlchemy's pool_pre_ping checks every time, which is one more
    round trip per request: a connection given back a moment ago was alive then, and under
    load every connection is given back within milliseconds."""

    @event.listens_for(engine, "checkin")
    def _given_back(_: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_conn: Any, record: Any, __: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since <= IDLE_BEFORE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            raise DisconnectionError(f"a pooled connection went stale: {e}") from e


def make_engine(url: str) -> Engine:
    """An engine for a URL or a SQLite file path; `:memory:` is one shared connection."""
    if url in (":memory:", "sqlite://", "sqlite:///:memory:"):
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    elif "://" not in url:
        engine = create_engine(f"sqlite:///{Path(url)}")
    else:
        # a server answers many clients at once: more connections than the default 5 + 10
        engine = create_engine(url, pool_size=20, max_overflow=30)
        _ping_when_idle(engine)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

    return engine


class Store:
    """One database, many companies."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)

    # --- schema ------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Bring the schema to the newest version (Alembic; in-memory databases directly)."""
        if (
            self.engine.url.database in (None, "", ":memory:")
            and self.engine.dialect.name == "sqlite"
        ):
            metadata.create_all(self.engine)
            return
        from charter.ledger.migrate import upgrade

        upgrade(self.engine)

    # --- companies ----------------------------------------------------------------------

    def companies(self) -> list[StoredCompany]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(companies).order_by(companies.c.id)).all()
        return [StoredCompany(r.id, r.slug, r.name, r.terms, r.terms_data) for r in rows]

    def company(self, slug: str | None = None) -> StoredCompany:
        """A company by slug; without one, the only company of the database."""
        try:
            found = self.companies()
        except OperationalError as e:
            raise CharterError(
                [
                    Problem(
                        "the database has no charter tables; run `charter init` first",
                        file=self.url,
                    )
                ]
            ) from e
        if slug is None:
            if len(found) == 1:
                return found[0]
            if not found:
                raise CharterError(
                    [
                        Problem(
                            "the database holds no company; run `charter init` or `charter load FILE`",
                            file=self.url,
                        )
                    ]
                )
            names = ", ".join(c.slug for c in found)
            raise CharterError(
                [
                    Problem(
                        f"the database holds several companies ({names}); name one with --company"
                    )
                ]
            )
        for c in found:
            if c.slug == slug:
                return c
        raise CharterError([Problem(f"no company {slug!r} in the database", field="company")])

    def create_company(
        self,
        slug: str,
        company: Company,
        holders: Sequence[Stakeholder],
        terms_data: dict[str, Any] | None,
        entries: Sequence[Entry],
    ) -> StoredCompany:
        """Create a company with its stakeholders and events, in one transaction."""
        with self.engine.begin() as conn:
            exists = conn.execute(select(companies.c.id).where(companies.c.slug == slug)).first()
            if exists is not None:
                raise CharterError(
                    [Problem(f"company {slug!r} already exists in the database", field="company")]
                )
            cid = conn.execute(
                insert(companies).values(
                    slug=slug, name=company.name, terms=company.terms, terms_data=terms_data
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            self._insert_stakeholders(conn, cid, holders, 0)
            self._insert_events(conn, cid, entries, 0, GENESIS)
        return self.company(slug)

    def _insert_stakeholders(
        self, conn: Any, cid: int, holders: Sequence[Stakeholder], start: int
    ) -> None:
        if holders:
            conn.execute(
                insert(stakeholders),
                [
                    {
                        "company_id": cid,
                        "id": s.id,
                        "position": start + i,
                        "data": s.model_dump(mode="json", exclude_defaults=True),
                    }
                    for i, s in enumerate(holders)
                ],
            )

    def _insert_events(
        self, conn: Any, cid: int, entries: Sequence[Entry], last_seq: int, prev: str
    ) -> list[int]:
        """Insert the events with the driver's executemany (the storage's own speed)."""
        rows: list[tuple[Any, ...]] = []
        for i, entry in enumerate(entries):
            seq = last_seq + 1 + i
            text = event_to_json(entry.event)
            h = link_hash(prev, seq, text)
            e = entry.event
            rows.append(
                (cid, seq, e.date, e.type, e.id, SCHEMA_VERSION, text, entry.source, prev, h)
            )
            prev = h
        if rows:
            mark = "?" if self.engine.dialect.name == "sqlite" else "%s"
            cols = ", ".join(c.name for c in events.columns)
            cursor = conn.connection.cursor()
            duplicate = self.engine.dialect.loaded_dbapi.IntegrityError
            try:
                cursor.executemany(
                    f"INSERT INTO events ({cols}) VALUES ({', '.join([mark] * len(events.columns))})",
                    rows,
                )
            except duplicate as e:  # another writer took these sequence numbers first
                raise ConcurrentAppend(last_seq, None) from e
            finally:
                cursor.close()
        return [r[1] for r in rows]

    def append(
        self,
        company: StoredCompany,
        entries: Sequence[Entry],
        expected_last: int,
        new_holders: Sequence[Stakeholder] = (),
        edited_holders: Sequence[Stakeholder] = (),
    ) -> list[int]:
        """Append a validated batch after sequence `expected_last`, all or nothing.

        If another writer appended in between, the primary key refuses the batch and nothing
        is written: the caller replays and tries again.
        """
        try:
            with self.engine.begin() as conn:
                last = conn.execute(
                    select(events.c.sequence, events.c.hash)
                    .where(events.c.company_id == company.id)
                    .order_by(events.c.sequence.desc())
                    .limit(1)
                ).first()
                last_seq, prev = (last[0], last[1]) if last else (0, GENESIS)
                if last_seq != expected_last:
                    raise ConcurrentAppend(expected_last, last_seq)
                if new_holders:
                    pos = conn.execute(
                        select(func.count())
                        .select_from(stakeholders)
                        .where(stakeholders.c.company_id == company.id)
                    ).scalar_one()
                    self._insert_stakeholders(conn, company.id, new_holders, pos)
                for h in edited_holders:  # an explicit edit of a stakeholder's details
                    conn.execute(
                        update(stakeholders)
                        .where(stakeholders.c.company_id == company.id)
                        .where(stakeholders.c.id == h.id)
                        .values(data=h.model_dump(mode="json", exclude_defaults=True))
                    )
                return self._insert_events(conn, company.id, entries, last_seq, prev)
        except IntegrityError as e:
            raise ConcurrentAppend(expected_last, None) from e

    # --- reading ---------------------------------------------------------------------

    def stakeholders(self, company: StoredCompany) -> list[Stakeholder]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(stakeholders.c.data)
                .where(stakeholders.c.company_id == company.id)
                .order_by(stakeholders.c.position)
            ).all()
        return _STAKEHOLDERS.validate_python([r.data for r in rows])  # one call for all

    def last_sequence(self, company: StoredCompany) -> int:
        with self.engine.connect() as conn:
            n = conn.execute(
                select(func.max(events.c.sequence)).where(events.c.company_id == company.id)
            ).scalar()
        return int(n or 0)

    def first_date(self, company: StoredCompany) -> dt.date | None:
        with self.engine.connect() as conn:
            d = conn.execute(
                select(func.min(events.c.date)).where(events.c.company_id == company.id)
            ).scalar()
        return d if isinstance(d, dt.date) or d is None else dt.date.fromisoformat(str(d))

    def entries(
        self, company: StoredCompany, until: dt.date | None = None, after: int = 0
    ) -> list[Entry]:
        """The stored events after sequence `after`, in order (through `until` when given)."""
        q = select(events.c.sequence, events.c.payload, events.c.source).where(
            events.c.company_id == company.id, events.c.sequence > after
        )
        if until is not None:
            q = q.where(events.c.date <= until)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(events.c.sequence)).all()
        # stored payloads were validated when written: read them straight from their JSON
        return [
            Entry(index=r.sequence, event=EVENT_ADAPTER.validate_json(r.payload), source=r.source)
            for r in rows
        ]

    # --- snapshots: a cache of replayed state, never the record ---------------------------

    def save_snapshot(
        self, company: StoredCompany, sequence: int, date: dt.date, version: str, data: bytes
    ) -> None:
        """Cache a replayed state; a cache entry another writer made first is kept."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    delete(snapshots).where(
                        snapshots.c.company_id == company.id,
                        snapshots.c.sequence == sequence,
                        snapshots.c.state_version == version,
                    )
                )
                conn.execute(
                    insert(snapshots).values(
                        company_id=company.id,
                        sequence=sequence,
                        date=date,
                        state_version=version,
                        data=data,
                    )
                )
        except IntegrityError:
            return

    def latest_snapshot(
        self, company: StoredCompany, version: str, until: dt.date | None
    ) -> tuple[int, bytes] | None:
        """The newest snapshot of this code version covering only events through `until`."""
        q = select(snapshots.c.sequence, snapshots.c.data).where(
            snapshots.c.company_id == company.id, snapshots.c.state_version == version
        )
        if until is not None:
            q = q.where(snapshots.c.date <= until)
        with self.engine.connect() as conn:
            row = conn.execute(q.order_by(snapshots.c.sequence.desc()).limit(1)).first()
        return None if row is None else (int(row[0]), bytes(row[1]))

    def verify(self, company: StoredCompany) -> VerifyResult:
        """Recompute the hash chain; report the first broken link."""
        prev = GENESIS
        n = 0
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.sequence, events.c.payload, events.c.prev_hash, events.c.hash)
                .where(events.c.company_id == company.id)
                .order_by(events.c.sequence)
            )
            for r in rows:
                n += 1
                if r.sequence != n:
                    return VerifyResult(n, n, f"sequence {n} is missing")
                if r.prev_hash != prev:
                    return VerifyResult(
                        n, r.sequence, "its previous-hash does not match the event before it"
                    )
                if link_hash(prev, r.sequence, r.payload) != r.hash:
                    return VerifyResult(n, r.sequence, "its contents do not match its hash")
                prev = r.hash
        return VerifyResult(n, None)


class ConcurrentAppend(CharterError):
    """Another writer appended first; nothing of this batch was written."""

    def __init__(self, expected: int, found: int | None):
        super().__init__(
            [
                Problem(
                    "the ledger changed while this batch was being validated "
                    f"(expected last event {expected}, found {found if found is not None else 'a newer one'}); "
                    "nothing was written, try again"
                )
            ]
        )
