"""The store: companies, stakeholders, their append-only hash-chained events, the signed
checkpoints of each chain, and the states cached from it.

SQLAlchemy 2 Core over SQLite (a file, the default) or PostgreSQL (a URL). Every row carries
its company id; events are numbered per company and `(company_id, sequence)` is the primary
key, so two writers racing to append the same sequence cannot both succeed (optimistic
concurrency). A batch is one transaction: it is written whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import msgspec
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
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.elements import ColumnElement

from charter.errors import CharterError, Problem
from charter.lazy import DecodedWhenRead
from charter.ledger.chain import GENESIS, ChainBroken, Checkpoint, Link, broken_links, link_hash
from charter.ledger.events import SCHEMA_VERSION, Company, Stakeholder, event_to_json, stored_event
from charter.ledger.fileformat import Entry
from charter.ledger.keys import ServerKey, key_path

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

# States replayed from the events, cached so that a query need not start from the first
# event: derived data, bound to the chain (the sequence and hash of the event each was taken
# after) and signed with the server key; one that does not verify is never used.
cached_states = Table(
    "cached_states",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("state_version", String(40), primary_key=True),
    Column("event_hash", String(64), nullable=False),
    Column("date", Date, nullable=False),
    Column("format", String(40), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("signature", String(128), nullable=False),
)

# Signed checkpoints of each company's chain: (company, sequence, head hash, time), signed
# with the server key at every append and along every load.
checkpoints = Table(
    "checkpoints",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("head_hash", String(64), nullable=False),
    Column("signed_at", String(40), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("signature", String(128), nullable=False),
)


def head_read(
    company_id: ColumnElement[Any],
) -> tuple[ColumnElement[bool], list[ColumnElement[Any]]]:
    """What every read checks of company `company_id` (a bound parameter, or a column of the
    enclosing query): the condition that joins `checkpoints` to the company's latest one,
    and the columns to read, labelled: that checkpoint, the stored hash of the event it
    names, and the company's last event sequence. `Store.head` reads them on its own; the
    server reads them with the request's credential, in the same statement
    (server/accounts.py), and hands them to `Store.head` to verify."""
    newest = checkpoints.alias("newest")
    latest = (
        select(func.max(newest.c.sequence))
        .where(newest.c.company_id == company_id)
        .scalar_subquery()
    )
    stored = (
        select(events.c.hash)
        .where(events.c.company_id == company_id, events.c.sequence == checkpoints.c.sequence)
        .scalar_subquery()
    )
    last = select(func.max(events.c.sequence)).where(events.c.company_id == company_id)
    on = and_(checkpoints.c.company_id == company_id, checkpoints.c.sequence == latest)
    return on, [
        checkpoints.c.sequence,
        checkpoints.c.head_hash,
        checkpoints.c.signed_at,
        checkpoints.c.key_id,
        checkpoints.c.signature,
        stored.label("stored"),
        last.scalar_subquery().label("last"),
    ]


_HEAD_ON, _HEAD_COLUMNS = head_read(bindparam("company_id"))
_HEAD = (  # built once: a read binds only the company
    select(*_HEAD_COLUMNS)
    .select_from(companies.outerjoin(checkpoints, _HEAD_ON))
    .where(companies.c.id == bindparam("company_id"))
)
_STAKEHOLDERS: TypeAdapter[list[Stakeholder]] = TypeAdapter(list[Stakeholder])


def _stored_date(value: Any) -> dt.date:
    """A date column as read: a date, or the ISO text SQLite stores (read without
    SQLAlchemy's conversion, or as a bare expression's value)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


CHECKPOINT_EVERY = 1_000  # events between the checkpoints signed along a load


class Stakeholders(DecodedWhenRead[str, Stakeholder]):
    """A company's stakeholders by id, in the order recorded, each validated from its stored
    JSON when first read. The first few asked for by id are read alone; the whole table is
    read once more are asked for, or once it is listed, counted or changed: an append, or a
    replay of a few events after a cached state, reads the rows its events name, not the
    thousands a company may have, and a replay of many events reads the table once
    (`Store.stakeholders_by_id`). Several threads may read one (a server's kept states)."""

    ALONE = 16  # rows read one by one before the whole table is read instead

    def __init__(
        self,
        company: str,
        one: Callable[[str], str | None],
        every: Callable[[], Iterable[tuple[str, str]]],
    ) -> None:
        self._company = company
        self._one, self._every = one, every
        self._items: dict[str, Stakeholder | str] = {}  # a stakeholder, or its JSON
        self._asked = 0
        self._whole = False
        self._reading = threading.Lock()

    def _read(self, holder: str) -> None:
        """`holder`'s row, if it has one and the whole table is not read yet."""
        with self._reading:
            if self._whole or holder in self._items:
                return
            if self._asked == self.ALONE:
                self._read_every_row()
                return
            self._asked += 1
            row = self._one(holder)
            if row is not None:
                self._items[holder] = row

    def _read_all(self) -> None:
        with self._reading:
            if not self._whole:
                self._read_every_row()

    def _read_every_row(self) -> None:
        """Every row, in the order recorded (those already read kept as they are)."""
        read = self._items
        self._items = {h: read.get(h, row) for h, row in self._every()}
        self._whole = True

    def __getitem__(self, holder: str) -> Stakeholder:
        self._read(holder)
        return super().__getitem__(holder)

    def __contains__(self, holder: object) -> bool:
        if isinstance(holder, str):
            self._read(holder)
        return super().__contains__(holder)

    def __setitem__(self, holder: str, value: Stakeholder) -> None:
        self._read_all()
        super().__setitem__(holder, value)

    def __delitem__(self, holder: str) -> None:
        self._read_all()
        super().__delitem__(holder)

    def __iter__(self) -> Iterator[str]:
        self._read_all()
        return super().__iter__()

    def __len__(self) -> int:
        self._read_all()
        return super().__len__()

    def stored(self, item: Any) -> bool:
        return isinstance(item, str)

    def decode(self, holder: str, item: Any) -> Stakeholder:
        stakeholder = Stakeholder.model_validate_json(item)
        if stakeholder.id != holder:
            raise CharterError(
                [
                    Problem(
                        f"the stakeholder stored as {holder!r} names {stakeholder.id!r}",
                        file=self._company,
                    )
                ]
            )
        return stakeholder

    def __repr__(self) -> str:
        return f"Stakeholders({len(self)} of {self._company})"


class StoredCompany(msgspec.Struct, frozen=True):
    id: int
    slug: str
    name: str
    terms: str
    terms_data: dict[str, Any] | None

    @property
    def company(self) -> Company:
        return Company(name=self.name, terms=self.terms)


class CachedState(msgspec.Struct, frozen=True):
    """A cached state's row whose signature verified."""

    sequence: int
    event_hash: str
    date: dt.date
    data: bytes


class VerifyResult(msgspec.Struct):
    """What `charter verify` found: the events, the checkpoints, the cached states."""

    events: int
    first_broken: int | None
    reason: str | None = None
    checkpoints: int = 0
    latest: Checkpoint | None = None
    cached_states: int = 0
    problems: list[str] = msgspec.field(default_factory=list)  # every finding, first break first

    @property
    def intact(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One sentence: intact, with what was checked; else the first finding."""
        if self.problems:
            more = len(self.problems) - 1
            return f"The ledger does not verify: {self.problems[0]}" + (
                f" (and {more} more finding{'s' if more > 1 else ''})." if more else "."
            )
        signed = (
            f"; its {self.checkpoints} signed checkpoint{'s' if self.checkpoints != 1 else ''} "
            f"verify, the latest at event {self.latest.sequence} (signed {self.latest.signed_at} "
            f"by key {self.latest.key_id})"
            if self.latest
            else ""
        )
        return f"The hash chain of {self.events} events is intact{signed}; " + (
            f"{self.cached_states} cached state{'s' if self.cached_states != 1 else ''} verify."
            if self.cached_states
            else "no state is cached."
        )


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
    """One database, many companies; the server key (ledger/keys.py) signs their chains."""

    def __init__(self, url: str, key: ServerKey | None = None):
        self.url = url
        self.engine = make_engine(url)
        if key is None and self._in_memory:
            key = ServerKey.ephemeral()  # a throw-away database: a key that never leaves
        self._key = key
        self.heads = HeadStates()
        # per company, the head through which this process checked the whole chain
        self._verified: dict[int, Checkpoint] = {}
        self._verified_lock = threading.Lock()

    @property
    def _in_memory(self) -> bool:
        return self.engine.dialect.name == "sqlite" and self.engine.url.database in (
            None,
            "",
            ":memory:",
        )

    @property
    def key_path(self) -> Path:
        return key_path(self.url)

    @property
    def key(self) -> ServerKey:
        """The server key (read from its file when first needed)."""
        if self._key is None:
            self._key = ServerKey.load(self.key_path)
        return self._key

    def ensure_key(self) -> bool:
        """Create the server key's file if there is none; whether it was created."""
        if self._key is not None or self.key_path.exists():
            return False
        self._key = ServerKey.create(self.key_path)
        return True

    # --- schema ------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Bring the schema to the newest version (Alembic; in-memory databases directly),
        and create the server key if there is none."""
        if self._in_memory:
            metadata.create_all(self.engine)
            return
        from charter.ledger.migrate import upgrade

        upgrade(self.engine)
        self.ensure_key()

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
        """Create a company with its stakeholders and events, and sign checkpoints along its
        chain (every CHECKPOINT_EVERY events and at its head), in one transaction."""
        key = self.key
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
            links = self._insert_events(conn, cid, entries, 0, GENESIS)
            signed = [
                Checkpoint.signed(key, slug, seq, h)
                for seq, h in links
                if seq % CHECKPOINT_EVERY == 0 or seq == len(links)
            ]
            self._insert_checkpoints(conn, cid, signed)
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
    ) -> list[tuple[int, str]]:
        """Insert the events with the driver's executemany (the storage's own speed); their
        sequences and hashes."""
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
            cols = ", ".join(c.name for c in events.columns)
            duplicate = self.engine.dialect.loaded_dbapi.IntegrityError
            with self._driver_cursor(conn) as (cursor, mark):
                try:
                    cursor.executemany(
                        f"INSERT INTO events ({cols}) "
                        f"VALUES ({', '.join([mark] * len(events.columns))})",
                        rows,
                    )
                except duplicate as e:  # another writer took these sequence numbers first
                    raise ConcurrentAppend(last_seq, None) from e
        return [(r[1], r[-1]) for r in rows]

    def _insert_checkpoints(self, conn: Any, cid: int, signed: Sequence[Checkpoint]) -> None:
        """Insert signed checkpoints with the driver's executemany, as the events are."""
        if signed:
            with self._driver_cursor(conn) as (cursor, mark):
                cursor.executemany(
                    "INSERT INTO checkpoints (company_id, sequence, head_hash, signed_at, "
                    f"key_id, signature) VALUES ({', '.join([mark] * 6)})",
                    [(cid, c.sequence, c.head, c.signed_at, c.key_id, c.signature) for c in signed],
                )

    @contextmanager
    def _driver_cursor(self, conn: Any, binary: bool = False) -> Iterator[tuple[Any, str]]:
        """The driver's own cursor on `conn`, and the mark of a parameter in its SQL: for
        what is read or written in bulk at the storage's own speed (the events and
        checkpoints a load writes, the stakeholders and cached states a query reads).
        `binary`: PostgreSQL returns results in its binary format (bytes as they are)."""
        postgres = self.engine.dialect.name == "postgresql"
        cursor = (
            conn.connection.cursor(binary=True) if binary and postgres else conn.connection.cursor()
        )
        try:
            yield cursor, "?" if self.engine.dialect.name == "sqlite" else "%s"
        finally:
            cursor.close()

    def append(
        self,
        company: StoredCompany,
        entries: Sequence[Entry],
        expected: Checkpoint | None,
        new_holders: Sequence[Stakeholder] = (),
        edited_holders: Sequence[Stakeholder] = (),
    ) -> tuple[list[int], Checkpoint | None]:
        """Append a validated batch after the head `expected` (the verified checkpoint the
        batch was validated against; None for an empty ledger), all or nothing, with a
        checkpoint of the new head signed in the same transaction (none when the batch only
        adds or edits stakeholders: the head stays `expected`).

        If another writer appended in between, the primary key refuses the batch and nothing
        is written: the caller replays and tries again.
        """
        key = self.key
        expected_last = expected.sequence if expected else 0
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
                if expected is not None and prev != expected.head:
                    raise ChainBroken(
                        company.slug,
                        f"event {last_seq} changed after its checkpoint was verified",
                    )
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
                if not entries:
                    return [], expected
                links = self._insert_events(conn, company.id, entries, last_seq, prev)
                head = Checkpoint.signed(key, company.slug, *links[-1])
                self._insert_checkpoints(conn, company.id, [head])
                return [seq for seq, _ in links], head
        except IntegrityError as e:
            raise ConcurrentAppend(expected_last, None) from e

    def sign_head(self, company: StoredCompany) -> Checkpoint | None:
        """Sign a checkpoint of the current head of a company none of whose checkpoints
        exist yet (a database made before checkpoints), if its chain is intact."""
        with self.engine.connect() as conn:
            if conn.execute(
                select(checkpoints.c.sequence).where(checkpoints.c.company_id == company.id)
            ).first():
                return None
        result = self.verify(company, checkpoints_required=False)
        if result.first_broken is not None or result.events == 0:
            return None
        with self.engine.begin() as conn:
            head = conn.execute(
                select(events.c.sequence, events.c.hash)
                .where(events.c.company_id == company.id)
                .order_by(events.c.sequence.desc())
                .limit(1)
            ).one()
            signed = Checkpoint.signed(self.key, company.slug, head[0], head[1])
            self._insert_checkpoints(conn, company.id, [signed])
        return signed

    # --- reading ---------------------------------------------------------------------

    def stakeholders(self, company: StoredCompany) -> list[Stakeholder]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(stakeholders.c.data)
                .where(stakeholders.c.company_id == company.id)
                .order_by(stakeholders.c.position)
            ).all()
        return _STAKEHOLDERS.validate_python([r.data for r in rows])  # one call for all

    def stakeholders_by_id(self, company: StoredCompany) -> Stakeholders:
        """The stakeholders by id, each row read when first asked for (the whole table once
        it is listed), with the driver's cursor, as the events are written: the storage's
        own speed."""
        read = "SELECT id, CAST(data AS TEXT) FROM stakeholders WHERE company_id = "

        def one(holder: str) -> str | None:
            with self.engine.connect() as conn, self._driver_cursor(conn) as (cursor, m):
                cursor.execute(f"{read}{m} AND id = {m}", (company.id, holder))
                row = cursor.fetchone()
            return None if row is None else str(row[1])

        def every() -> list[tuple[str, str]]:
            with self.engine.connect() as conn, self._driver_cursor(conn) as (cursor, m):
                cursor.execute(f"{read}{m} ORDER BY position", (company.id,))
                return list(cursor.fetchall())

        return Stakeholders(company.slug, one, every)

    def last_sequence(self, company: StoredCompany) -> int:
        with self.engine.connect() as conn:
            n = conn.execute(
                select(func.max(events.c.sequence)).where(events.c.company_id == company.id)
            ).scalar()
        return int(n or 0)

    def first_date(self, company: StoredCompany) -> dt.date | None:
        """The date of the first event (the earliest: events are in date order), found by
        its sequence, not by reading every event's date."""
        with self.engine.connect() as conn:
            d = conn.execute(
                select(events.c.date)
                .where(events.c.company_id == company.id)
                .order_by(events.c.sequence)
                .limit(1)
            ).scalar()
        return None if d is None else _stored_date(d)

    def _checkpoint(self, company: StoredCompany, row: Any) -> Checkpoint:
        return Checkpoint(
            company.slug, row.sequence, row.head_hash, row.signed_at, row.key_id, row.signature
        )

    def head(self, company: StoredCompany, read: Any = None) -> Checkpoint | None:
        """The company's latest checkpoint, verified: signed by the server key, naming the
        last stored event by its hash. None for a company with no events. Raises ChainBroken
        otherwise (the cheap check every read and append makes). `read`: the columns of
        `head_read`, when the caller read them in a statement of its own."""
        if read is None:
            with self.engine.connect() as conn:
                try:
                    read = conn.execute(_HEAD, {"company_id": company.id}).one()
                except (OperationalError, ProgrammingError) as e:  # no checkpoints table yet
                    raise CharterError(
                        [
                            Problem(
                                "the database's schema is older than this version of "
                                "charter; `charter init` brings it up to date",
                                file=self.url,
                            )
                        ]
                    ) from e
        if read.sequence is None:
            if read.last:
                self._refuse(company)
            return None
        cp = self._checkpoint(company, read)
        if not cp.verifies(self.key) or read.stored != cp.head or read.last != cp.sequence:
            self._refuse(company)
        return cp

    def check_chain(self, company: StoredCompany, head: Checkpoint | None) -> None:
        """Check every link of the chain up to the verified `head`: the whole chain the first
        time in this process, then only the events after the head last checked (the
        incremental check an append, and every request of a server, makes). Raises
        ChainBroken."""
        if head is None:
            return
        with self._verified_lock:
            known = self._verified.get(company.id)
        seq, prev = (known.sequence, known.head) if known else (0, GENESIS)
        if (seq, prev) == (head.sequence, head.head):
            return
        if seq > head.sequence:  # a newer head was checked (by another request) meanwhile
            return
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.sequence, events.c.payload, events.c.prev_hash, events.c.hash)
                .where(
                    events.c.company_id == company.id,
                    events.c.sequence > seq,
                    events.c.sequence <= head.sequence,
                )
                .order_by(events.c.sequence)
            ).all()
        if (
            next(broken_links(rows, seq + 1, prev), None) is not None
            or not rows
            or rows[-1][3] != head.head
        ):
            self._refuse(company)
        self.verified(company, head)

    def verified(self, company: StoredCompany, head: Checkpoint) -> None:
        """Note that the chain through `head` was checked (or written) by this process."""
        with self._verified_lock:
            self._verified[company.id] = head

    def last_verified(self, company: StoredCompany) -> Checkpoint | None:
        """The head through which this process last checked (or wrote) the chain."""
        with self._verified_lock:
            return self._verified.get(company.id)

    def _refuse(self, company: StoredCompany) -> NoReturn:
        """Refuse a company that failed a check, naming the first broken link."""
        result = self.verify(company)
        why = result.problems[0] if result.problems else "its chain changed while it was read"
        raise ChainBroken(company.slug, why)

    def entries(
        self,
        company: StoredCompany,
        until: dt.date | None = None,
        after: int = 0,
        after_hash: str = GENESIS,
        head: Checkpoint | None = None,
    ) -> list[Entry]:
        """The stored events after sequence `after` (whose hash a signed anchor gave as
        `after_hash`), through `until` when given, in order; each checked on the way: linked
        to the one before it, its contents matching its hash, and the run carried on to a
        signed checkpoint at or after the last one returned. `head` is the verified head, if
        the caller checked it (`head` checks the stored hash of the event it names): after
        that very event and hash (a state cached at the head), none is read. Raises
        ChainBroken."""
        if head is None:
            head = self.head(company)
        if head is None or (after, after_hash) == (head.sequence, head.head):
            return []
        last_wanted = select(func.max(events.c.sequence)).where(
            events.c.company_id == company.id, events.c.sequence > after
        )
        if until is not None:
            last_wanted = last_wanted.where(events.c.date <= until)
        with self.engine.connect() as conn:
            k = conn.execute(last_wanted).scalar() or after
            anchor = head
            if k < head.sequence:
                row = conn.execute(
                    select(checkpoints)
                    .where(checkpoints.c.company_id == company.id, checkpoints.c.sequence >= k)
                    .order_by(checkpoints.c.sequence)
                    .limit(1)
                ).one()
                anchor = self._checkpoint(company, row)
            rows = conn.execute(
                select(
                    events.c.sequence,
                    events.c.date,
                    events.c.type,
                    events.c.payload,
                    events.c.source,
                    events.c.prev_hash,
                    events.c.hash,
                )
                .where(
                    events.c.company_id == company.id,
                    events.c.sequence >= max(after, 1),
                    events.c.sequence <= anchor.sequence,
                )
                .order_by(events.c.sequence)
            ).all()
        if after > 0:
            if not rows or rows[0].sequence != after or rows[0].hash != after_hash:
                self._refuse(company)
            rows = rows[1:]
        links = ((r.sequence, r.payload, r.prev_hash, r.hash) for r in rows)
        if (
            next(broken_links(links, after + 1, after_hash), None) is not None
            or (rows[-1].hash if rows else after_hash) != anchor.head
            or (rows[-1].sequence if rows else after) != anchor.sequence
            or not anchor.verifies(self.key)
        ):
            self._refuse(company)
        # stored payloads were validated when written: read them straight from their JSON
        return [
            Entry(index=r.sequence, event=stored_event(r.payload, r.type), source=r.source)
            for r in rows
            if r.sequence <= k
        ]

    def hashes(self, company: StoredCompany, sequences: Sequence[int]) -> dict[int, str]:
        """The stored hashes of the events at `sequences`."""
        if not sequences:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.sequence, events.c.hash).where(
                    events.c.company_id == company.id, events.c.sequence.in_(sequences)
                )
            ).all()
        return {r[0]: r[1] for r in rows}

    def checkpoint(self, company: StoredCompany) -> Checkpoint | None:
        """The latest checkpoint, as stored (`head` verifies it)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(checkpoints)
                .where(checkpoints.c.company_id == company.id)
                .order_by(checkpoints.c.sequence.desc())
                .limit(1)
            ).first()
        return None if row is None else self._checkpoint(company, row)

    # --- cached states: derived from the events, bound to the chain, signed ---------------

    @staticmethod
    def _state_message(
        company: StoredCompany,
        sequence: int,
        event_hash: str,
        date: dt.date,
        version: str,
        fmt: str,
        data: bytes,
    ) -> str:
        digest = hashlib.sha256(data).hexdigest()
        return (
            f"charter-cached-state/1\n{company.slug}\n{sequence}\n{event_hash}\n"
            f"{date.isoformat()}\n{version}\n{fmt}\n{digest}"
        )

    def save_state(
        self,
        company: StoredCompany,
        sequence: int,
        event_hash: str,
        date: dt.date,
        version: str,
        fmt: str,
        data: bytes,
    ) -> None:
        """Cache a replayed state taken after event `sequence` (whose hash is `event_hash`),
        signed; a cache entry another writer made first is replaced."""
        sig = self.key.sign(
            self._state_message(company, sequence, event_hash, date, version, fmt, data)
        )
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    delete(cached_states).where(
                        cached_states.c.company_id == company.id,
                        cached_states.c.sequence == sequence,
                        cached_states.c.state_version == version,
                    )
                )
                conn.execute(
                    insert(cached_states).values(
                        company_id=company.id,
                        sequence=sequence,
                        state_version=version,
                        event_hash=event_hash,
                        date=date,
                        format=fmt,
                        data=data,
                        signature=sig,
                    )
                )
        except IntegrityError:
            return

    def latest_state(
        self, company: StoredCompany, version: str, fmt: str, until: dt.date | None
    ) -> CachedState | None:
        """The newest cached state of this code version and format covering only events
        through `until` whose signature verifies; one that does not is passed over (and
        `verify` reports it). Read newest first, one row at a time, with the driver's cursor:
        PostgreSQL sends the state's megabytes as they are rather than as hexadecimal text
        (a 2.5 MB state in 3–7 ms rather than 7–16 ms)."""
        where = "company_id = {m} AND state_version = {m} AND format = {m}"
        params: list[Any] = [company.id, version, fmt]
        if until is not None:
            where += " AND date <= {m}"
            params.append(until.isoformat())  # the text SQLite stores; a date to PostgreSQL
        with self.engine.connect() as conn, self._driver_cursor(conn, binary=True) as (cursor, m):
            for older in itertools.count():
                cursor.execute(
                    "SELECT sequence, event_hash, date, data, signature FROM cached_states "
                    f"WHERE {where.format(m=m)} ORDER BY sequence DESC LIMIT 1 OFFSET {older}",
                    params,
                )
                r = cursor.fetchone()
                if r is None:
                    return None
                sequence, event_hash, date, data, signature = r
                date, data = _stored_date(date), bytes(data)
                message = self._state_message(
                    company, sequence, event_hash, date, version, fmt, data
                )
                if self.key.verifies(message, signature):
                    return CachedState(sequence, event_hash, date, data)
        return None

    def drop_states(self, company: StoredCompany) -> int:
        """Delete every cached state of a company (`charter cache rebuild`); how many."""
        with self.engine.begin() as conn:
            n = conn.execute(
                delete(cached_states).where(cached_states.c.company_id == company.id)
            ).rowcount
        return int(n or 0)

    # --- verifying everything ------------------------------------------------------------

    def verify(
        self,
        company: StoredCompany,
        key: ServerKey | None = None,
        checkpoints_required: bool = True,
    ) -> VerifyResult:
        """Recompute the whole hash chain; check every checkpoint's signature (with `key`, by
        default the server key) and that it names a stored event by its hash, the latest the
        last event; and every cached state's signature and chain position."""
        key = key or self.key
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.sequence, events.c.payload, events.c.prev_hash, events.c.hash)
                .where(events.c.company_id == company.id)
                .order_by(events.c.sequence)
            )
            links = [Link(*r) for r in rows]
            hashes = {link.sequence: link.hash for link in links}
            problems = list(broken_links(links))
            n = len(hashes)
            first = None
            if problems:
                first = int(problems[0].split("event ")[1].split(":")[0])
            cps = [
                self._checkpoint(company, r)
                for r in conn.execute(
                    select(checkpoints)
                    .where(checkpoints.c.company_id == company.id)
                    .order_by(checkpoints.c.sequence)
                )
            ]
            states = conn.execute(
                select(cached_states).where(cached_states.c.company_id == company.id)
            ).all()
        last = max(hashes, default=0)
        for cp in cps:
            if not cp.verifies(key):
                problems.append(
                    f"the checkpoint at event {cp.sequence} is not signed by the server key "
                    f"{key.key_id}"
                )
            elif hashes.get(cp.sequence) != cp.head:
                gone = cp.sequence not in hashes
                problems.append(
                    f"the checkpoint signed at {cp.signed_at} names event {cp.sequence}"
                    + (", which is gone: events were removed" if gone else " with another hash")
                )
        latest = cps[-1] if cps else None
        if latest is not None and last > latest.sequence:
            problems.append(
                f"events {latest.sequence + 1}–{last} follow the last signed checkpoint "
                f"(event {latest.sequence}): they were not written by charter"
            )
        elif latest is None and last and checkpoints_required:
            problems.append(
                "no checkpoint of its chain is signed (a database made before checkpoints: "
                "`charter init` signs its head)"
            )
        for r in states:
            data = bytes(r.data)
            message = self._state_message(
                company, r.sequence, r.event_hash, r.date, r.state_version, r.format, data
            )
            if not key.verifies(message, r.signature):
                problems.append(
                    f"the cached state after event {r.sequence} does not match its signature "
                    "(it is never used; `charter cache rebuild` replaces it)"
                )
            elif hashes.get(r.sequence) != r.event_hash:
                problems.append(
                    f"the cached state after event {r.sequence} was taken from another chain "
                    "(it is never used; `charter cache rebuild` replaces it)"
                )
        return VerifyResult(
            n,
            first,
            problems[0] if problems else None,
            len(cps),
            latest,
            len(states),
            problems,
        )

    def verify_receipt(
        self, company: StoredCompany, receipt: Checkpoint, key: ServerKey | None = None
    ) -> list[str]:
        """What a receipt the user kept finds wrong: it is not signed by `key` (by default
        the server key), names another company, or names an event the database no longer
        holds with that hash."""
        key = key or self.key
        if receipt.company != company.slug:
            return [f"the receipt is for company {receipt.company!r}, not {company.slug!r}"]
        if not receipt.verifies(key):
            return [f"the receipt is not signed by the server key {key.key_id}"]
        with self.engine.connect() as conn:
            stored = conn.execute(
                select(events.c.hash).where(
                    events.c.company_id == company.id, events.c.sequence == receipt.sequence
                )
            ).scalar()
            last = conn.execute(
                select(func.max(events.c.sequence)).where(events.c.company_id == company.id)
            ).scalar()
        if stored is None:
            return [
                f"the receipt names event {receipt.sequence} (signed {receipt.signed_at}); the "
                f"database ends at event {last or 0}: events were removed"
            ]
        if stored != receipt.head:
            return [
                f"the receipt names event {receipt.sequence} with head {receipt.head[:16]}…; "
                f"the database holds {stored[:16]}… there: the history was rewritten"
            ]
        return []


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


class HeadStates:
    """The replayed state each company's last append in this process left at its head (with
    that head's checkpoint), for the next append to go on from without reading a cached
    state: taken (never shared) by that append, which changes it, so no reader ever holds
    one; the append's transaction checks that the head is still the last event. At most
    `size` companies."""

    def __init__(self, size: int = 8):
        self.size = size
        self._items: OrderedDict[int, tuple[Checkpoint, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, company_id: int) -> tuple[Checkpoint, Any] | None:
        """The head kept for the company and the state at it, removed; None if none."""
        with self._lock:
            return self._items.pop(company_id, None)

    def keep(self, company_id: int, head: Checkpoint, state: Any) -> None:
        with self._lock:
            self._items[company_id] = (head, state)
            self._items.move_to_end(company_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
