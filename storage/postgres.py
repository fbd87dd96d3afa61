"""The PostgreSQL store: the same :class:`~storage.base.Store` on asyncpg, for
several ClaimWatch instances sharing one database.

What differs from :mod:`storage.sqlite`, and why:

* A connection pool; every operation is one transaction on one pooled
  connection (reads: ``REPEATABLE READ READ ONLY``, one snapshot; writes:
  ``READ COMMITTED`` with row locks where two instances could race).
* :meth:`PostgresStore.claim_due_alerts` locks the head row of each chat with
  ``FOR UPDATE SKIP LOCKED``: two instances never lease the same alert, and a
  chat still gets one alert at a time, in queue order.
* :meth:`PostgresStore.pending_stories` leases the stories it returns to this
  store (``stories.lease_owner``/``lease_until``): other instances skip them
  until the lease expires; the owner sees them again, as with SQLite.
* Subscription changes take an exclusive lock on ``subscription_changes``
  first, so change versions become visible in order and an index that
  follows them never misses one.
* Extras for running several instances (not part of the Store protocol):
  :meth:`~PostgresStore.wait_for_notify` (``LISTEN``; queued alerts send
  ``NOTIFY claimwatch_outbox``), :meth:`~PostgresStore.try_leader` (a session
  advisory lock on a dedicated connection: it is released when the process or
  its connection dies, so another instance takes over) and
  :meth:`~PostgresStore.try_lease` (named, expiring leases, e.g. for feed polls).

Migrations are ``storage/migrations/postgres/NNNN_name.sql``, one per SQLite
migration with the same number, recorded in the same ``schema_migrations``.
Tables live in the first schema of the connection's ``search_path``; choose
another with ``?options=-csearch_path%3Dmyschema`` (or ``?search_path=myschema``)
in the URL or with ``schema=``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

import asyncpg

from bot.errors import ConfigError, TransientError
from storage.analysis import Analyses
from storage.base import OUTBOX_CHANNEL
from storage.db import PostgresTx, Tx
from storage.dialect import POSTGRES
from storage.feeds import Feeds
from storage.outbox import Outbox
from storage.queries import Queries
from storage.sqlite import load_migrations
from storage.stories import STORY_LEASE_SECONDS, Stories
from storage.subscriptions import Subscriptions

log = logging.getLogger(__name__)

POOL_MAX_SIZE = 10

_MIGRATION_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")
_TOP = 2**63
_WRAP = 2**64

Connection = Any  # asyncpg.Connection (asyncpg ships no type information)
Record = Any  # asyncpg.Record

# Failures worth retrying: the server went away, is starting or shutting down,
# too many clients, a serialization failure or a deadlock victim.
_TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.AdminShutdownError,
    # a pooled connection the server dropped while idle can surface as this
    # (protocol state mixed up by the unsolicited error); the pool replaces it
    asyncpg.InternalClientError,
)


# --------------------------------------------------------------------------- helpers


def _utc(value: datetime) -> datetime:
    """An aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _ts(value: datetime) -> str:
    """The same fixed-width ISO-8601 text the SQLite store uses."""
    return _utc(value).isoformat(timespec="microseconds")


def _story_day_sql(alias: str) -> str:
    """The day a story counts for: its publication date, else the UTC day it was ingested."""
    return (
        f"COALESCE({alias}.published, {alias}.event_day,"
        f" ({alias}.ingested_at AT TIME ZONE 'UTC')::date)"
    )


def _advisory_key_sql(param: str) -> str:
    """A 64-bit advisory lock key for a name, scoped to the current schema."""
    return f"hashtextextended(current_schema() || ':' || {param}, 0)"


@dataclass(frozen=True, slots=True)
class PgMigration:
    version: int
    name: str
    sql: str


def load_pg_migrations() -> list[PgMigration]:
    """The PostgreSQL dialect of every numbered SQLite migration, in order.

    Each SQLite migration must have its PostgreSQL twin with the same number
    and name, so both backends stay at the same schema version."""
    folder = resources.files("storage").joinpath("migrations").joinpath("postgres")
    found: dict[int, PgMigration] = {}
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match is None:
            continue
        version = int(match[1])
        found[version] = PgMigration(version, match[2], entry.read_text(encoding="utf-8"))
    out: list[PgMigration] = []
    for lite in load_migrations():
        twin = found.pop(lite.version, None)
        if twin is None or twin.name != lite.name:
            raise ConfigError(
                f"storage migration {lite.version:04d}_{lite.name}.sql has no PostgreSQL "
                f"dialect storage/migrations/postgres/{lite.version:04d}_{lite.name}.sql"
            )
        out.append(twin)
    if found:
        extra = ", ".join(f"{m.version:04d}_{m.name}" for m in found.values())
        raise ConfigError(f"PostgreSQL migrations without a SQLite migration: {extra}")
    return out


class PostgresDb:
    """The :class:`~storage.db.Db` on a pool: every transaction on one pooled
    connection (reads: ``REPEATABLE READ READ ONLY``, one snapshot; writes:
    ``READ COMMITTED`` with row locks where two instances could race)."""

    dialect = POSTGRES

    def __init__(self, pool: Any, schema: str) -> None:
        self.pool = pool
        self.schema = schema
        self._texts: dict[str, str] = {}

    @asynccontextmanager
    async def raw(self, **options: Any) -> AsyncIterator[Connection]:
        try:
            async with self.pool.acquire() as conn, conn.transaction(**options):
                yield conn
        except _TRANSIENT as exc:
            raise TransientError(f"PostgreSQL: {type(exc).__name__}: {exc}") from exc

    @asynccontextmanager
    async def _tx(self, **options: Any) -> AsyncIterator[Tx]:
        async with self.raw(**options) as conn:
            yield PostgresTx(conn, POSTGRES, self._texts, self.schema)

    def read(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx(isolation="repeatable_read", readonly=True)

    def write(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx()


# --------------------------------------------------------------------------- store


class PostgresStore(Stories, Analyses, Subscriptions, Queries, Feeds, Outbox):
    """The :class:`storage.base.Store` on a PostgreSQL database (asyncpg pool)."""

    db: PostgresDb

    def __init__(
        self,
        pool: Any,
        dsn: str,
        server_settings: dict[str, str],
        *,
        story_lease_seconds: float = STORY_LEASE_SECONDS,
    ) -> None:
        self._pool = pool
        self.db = PostgresDb(pool, "public")
        self._dsn = dsn
        self._server_settings = server_settings
        self._closed = False
        self.story_lease_seconds = story_lease_seconds
        self.instance_id = uuid.uuid4().hex
        self._listener: Connection | None = None
        self._listen_lock = asyncio.Lock()
        self._signals: dict[str, asyncio.Event] = {}
        self._leader_conn: Connection | None = None
        self._leader_lock = asyncio.Lock()
        self._leaders: set[str] = set()
        self.schema = "public"  # where the tables are; set by open()

    @classmethod
    async def open(
        cls,
        dsn: str,
        *,
        schema: str | None = None,
        min_size: int = 1,
        max_size: int = POOL_MAX_SIZE,
        story_lease_seconds: float = STORY_LEASE_SECONDS,
    ) -> PostgresStore:
        """Connect a pool to ``dsn``. Call :meth:`upgrade` next. ``schema`` puts the
        tables in that (existing) schema instead of the URL's ``search_path``."""
        settings: dict[str, str] = {"timezone": "UTC"}
        if schema is not None:
            settings["search_path"] = schema
        try:
            pool = await asyncpg.create_pool(
                dsn, min_size=min_size, max_size=max_size, server_settings=settings
            )
        except asyncpg.InvalidCatalogNameError as exc:
            raise ConfigError(f"PostgreSQL: {exc}") from None
        except asyncpg.InvalidAuthorizationSpecificationError as exc:
            raise ConfigError(f"PostgreSQL refused the login: {exc}") from None
        except _TRANSIENT as exc:
            raise TransientError(f"cannot reach PostgreSQL: {exc}") from exc
        store = cls(pool, dsn, settings, story_lease_seconds=story_lease_seconds)
        try:
            store.schema = store.db.schema = str(await pool.fetchval("SELECT current_schema()"))
        except BaseException:
            await pool.close()
            raise
        return store

    async def close(self) -> None:
        """Close the pool and the listener and leader connections; twice is fine."""
        if self._closed:
            return
        self._closed = True
        for conn in (self._listener, self._leader_conn):
            if conn is not None and not conn.is_closed():
                with suppress(Exception):
                    await conn.close()
        self._listener = None
        self._leader_conn = None
        self._leaders.clear()
        await self._pool.close()

    def __repr__(self) -> str:
        return f"PostgresStore(instance={self.instance_id[:8]})"

    # ------------------------------------------------------------ transactions

    def _write(self) -> AbstractAsyncContextManager[Connection]:
        return self.db.raw()

    def _read(self) -> AbstractAsyncContextManager[Connection]:
        return self.db.raw(isolation="repeatable_read", readonly=True)

    # --------------------------------------------------------------- lifecycle

    async def upgrade(self) -> int:
        """Apply the pending migrations, each in its own transaction; return the version.

        Instances starting together serialise on an advisory lock."""
        migrations = load_pg_migrations()
        latest = migrations[-1].version if migrations else 0
        async with self._write() as db:
            await db.execute(f"SELECT pg_advisory_xact_lock({_advisory_key_sql('$1')})", "migrate")
            await db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        current = await self.schema_version()
        if current > latest:
            raise ConfigError(
                f"the database has schema version {current}, newer than this "
                f"release knows ({latest}); upgrade ClaimWatch"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            async with self._write() as db:
                await db.execute(
                    f"SELECT pg_advisory_xact_lock({_advisory_key_sql('$1')})", "migrate"
                )
                done = await db.fetchval(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", migration.version
                )
                if done is not None:
                    continue
                await db.execute(migration.sql)
                await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    _ts(datetime.now(UTC)),
                )
            log.info("applied migration %04d_%s (PostgreSQL)", migration.version, migration.name)
        return await self.schema_version()

    async def schema_version(self) -> int:
        async with self._read() as db:
            exists = await db.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
            if not exists:
                return 0
            return int(await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))

    # ------------------------------------------------- several instances: extras

    async def _connect(self) -> Connection:
        try:
            return await asyncpg.connect(self._dsn, server_settings=self._server_settings)
        except _TRANSIENT as exc:
            raise TransientError(f"cannot reach PostgreSQL: {exc}") from exc

    async def notify(self, channel: str, payload: str = "") -> None:
        """``NOTIFY channel`` (delivered to every listening instance)."""
        async with self._write() as db:
            await db.execute("SELECT pg_notify($1, $2)", self._channel(channel), payload)

    async def wait_for_notify(self, channel: str, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait up to ``timeout`` seconds for a ``NOTIFY`` on ``channel``; True when
        one arrived. The first call starts listening; a notification that arrives
        while nobody waits is kept for the next call, so none is missed.

        Alerts queued by :meth:`save_analysis` notify ``claimwatch_outbox``."""
        signal = await self._listen(channel)
        try:
            await asyncio.wait_for(signal.wait(), timeout)
        except TimeoutError:
            return False
        signal.clear()
        return True

    async def _listen(self, channel: str) -> asyncio.Event:
        async with self._listen_lock:
            if self._listener is None or self._listener.is_closed():
                self._listener = await self._connect()
                for name in list(self._signals):  # listening again after a lost connection
                    await self._add_listener(name)
            if channel not in self._signals:
                await self._add_listener(channel)
            return self._signals[channel]

    def _channel(self, channel: str) -> str:
        """The PostgreSQL channel for ``channel`` in this store's schema: two
        installations sharing a database (schemas) do not wake each other."""
        scoped = f"{channel}@{self.schema}"
        if len(scoped.encode()) > 63:  # longer channel names are cut by the server
            scoped = f"{channel}@{hashlib.sha1(self.schema.encode()).hexdigest()[:16]}"
        return scoped

    async def _add_listener(self, channel: str) -> None:
        signal = self._signals.setdefault(channel, asyncio.Event())

        def on_notify(_conn: Any, _pid: int, _channel: str, _payload: str) -> None:
            signal.set()

        assert self._listener is not None
        await self._listener.add_listener(self._channel(channel), on_notify)

    async def try_leader(self, name: str) -> bool:
        """Try to become (or check that we still are) the one instance doing ``name``
        (e.g. ``adapter:telegram``): a PostgreSQL session advisory lock held on a
        connection of its own. It is released by :meth:`release_leader`, by
        :meth:`close`, or when this process or its connection dies — then the
        next instance to ask gets it."""
        async with self._leader_lock:
            conn = self._leader_conn
            if conn is not None and not conn.is_closed():
                try:
                    await conn.fetchval("SELECT 1")
                except (*_TRANSIENT, asyncpg.PostgresError):
                    conn = None
            else:
                conn = None
            if conn is None:
                if self._leaders:
                    log.warning("lost the leader connection: no longer leading %s", self._leaders)
                self._leaders.clear()
                if self._leader_conn is not None:
                    with suppress(Exception):
                        await self._leader_conn.close()
                self._leader_conn = conn = await self._connect()
            if name in self._leaders:
                return True
            got = bool(
                await conn.fetchval(f"SELECT pg_try_advisory_lock({_advisory_key_sql('$1')})", name)
            )
            if got:
                self._leaders.add(name)
                log.info("this instance (%s) now leads %s", self.instance_id[:8], name)
            return got

    async def release_leader(self, name: str) -> None:
        async with self._leader_lock:
            if name not in self._leaders:
                return
            self._leaders.discard(name)
            conn = self._leader_conn
            if conn is not None and not conn.is_closed():
                with suppress(Exception):
                    await conn.fetchval(
                        f"SELECT pg_advisory_unlock({_advisory_key_sql('$1')})", name
                    )

    @asynccontextmanager
    async def decision_lock(self) -> AsyncIterator[None]:
        """A session advisory lock on a connection of the pool: released on exit,
        or by the server when this process or its connection dies."""
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock(hashtext($1))", self._decide_key)
            try:
                yield
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", self._decide_key)

    @property
    def _decide_key(self) -> str:
        return f"claimwatch:decide:{self.schema or 'public'}"

    async def try_lease(self, name: str, seconds: float, now: datetime | None = None) -> bool:
        """Take or renew the named lease for ``seconds`` (e.g. ``feed:<url>``): True
        when this store holds it now. Another store gets it only after it expires."""
        stamp = _utc(now) if now is not None else datetime.now(UTC)
        async with self._write() as db:
            owner = await db.fetchval(
                "INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until"
                " WHERE leases.owner = excluded.owner OR leases.until <= $4"
                " RETURNING owner",
                name,
                self.instance_id,
                stamp + timedelta(seconds=seconds),
                stamp,
            )
        return bool(owner == self.instance_id)

    async def release_lease(self, name: str) -> None:
        async with self._write() as db:
            await db.execute(
                "DELETE FROM leases WHERE name = $1 AND owner = $2", name, self.instance_id
            )


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


__all__ = [
    "OUTBOX_CHANNEL",
    "PostgresStore",
    "is_postgres_url",
    "load_pg_migrations",
]
