"""Opening the PostgreSQL store: the same :class:`~storage.base.Store` on an
asyncpg pool, for several ClaimWatch instances sharing one database.

The queries are the aggregates' (:mod:`storage.stories`, …), written once;
:mod:`storage.dialect` says where PostgreSQL differs (row locks with ``FOR
UPDATE SKIP LOCKED``, the subscription change log locked first, an advisory
decision lock). What this module adds for several instances (not part of the
Store protocol): :meth:`~PostgresStore.wait_for_notify` (``LISTEN``; queued
alerts send ``NOTIFY claimwatch_outbox``), :meth:`~PostgresStore.try_leader`
(a session advisory lock on a dedicated connection: it is released when the
process or its connection dies, so another instance takes over) and
:meth:`~PostgresStore.set_delivery_platforms`.

Migrations are ``storage/migrations/postgres/NNNN_name.sql``, one per SQLite
migration with the same number, recorded in the same ``schema_migrations``.
Tables live in the first schema of the connection's ``search_path``; choose
another with ``?options=-csearch_path%3Dmyschema`` (or ``?search_path=myschema``)
in the URL or with ``schema=``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from typing import Any

import asyncpg

from bot.errors import ConfigError, TransientError
from storage import schema
from storage.analysis import Analyses
from storage.base import OUTBOX_CHANNEL
from storage.coordination import Leases
from storage.db import PostgresTx, Tx, pg_channel
from storage.dialect import POSTGRES, advisory_lock
from storage.feeds import Feeds
from storage.liveness import Liveness
from storage.outbox import Outbox
from storage.pages import Pages
from storage.queries import Queries
from storage.schema import load_pg_migrations
from storage.stories import STORY_LEASE_SECONDS, Stories
from storage.subscriptions import Subscriptions

log = logging.getLogger(__name__)

POOL_MAX_SIZE = 10

Connection = Any  # asyncpg.Connection (asyncpg ships no type information)

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

_ADVISORY_KEY = "hashtextextended(current_schema() || ':' || $1, 0)"
"""A 64-bit advisory lock key for a name, scoped to the current schema."""


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
    async def _tx(self, **options: Any) -> AsyncIterator[Tx]:
        try:
            async with self.pool.acquire() as conn, conn.transaction(**options):
                yield PostgresTx(conn, POSTGRES, self._texts, self.schema)
        except _TRANSIENT as exc:
            raise TransientError(f"PostgreSQL: {type(exc).__name__}: {exc}") from exc

    def read(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx(isolation="repeatable_read", readonly=True)

    def write(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx()


class PostgresStore(
    Stories, Analyses, Subscriptions, Queries, Pages, Feeds, Outbox, Leases, Liveness
):
    """The :class:`storage.base.Store` on a PostgreSQL database (asyncpg pool)."""

    db: PostgresDb

    def __init__(
        self,
        pool: Any,
        dsn: str,
        server_settings: dict[str, str],
        schema: str,
        *,
        story_lease_seconds: float = STORY_LEASE_SECONDS,
    ) -> None:
        self.db = PostgresDb(pool, schema)
        self.schema = schema  # where the tables are
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
        try:
            current = str(await pool.fetchval("SELECT current_schema()"))
        except BaseException:
            await pool.close()
            raise
        return cls(pool, dsn, settings, current, story_lease_seconds=story_lease_seconds)

    async def upgrade(self) -> int:
        """Apply the pending migrations, each in its own transaction; return the
        version. Instances starting together serialise on an advisory lock."""
        return await schema.upgrade(self.db, f"PostgreSQL schema {self.schema}")

    async def schema_version(self) -> int:
        return await schema.schema_version(self.db)

    def decision_lock(self) -> AbstractAsyncContextManager[None]:
        return advisory_lock(self.db.pool, f"claimwatch:decide:{self.schema or 'public'}")

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
        await self.db.pool.close()

    def __repr__(self) -> str:
        return f"PostgresStore(instance={self.instance_id[:8]})"

    # ------------------------------------------------- several instances: extras

    async def _connect(self) -> Connection:
        try:
            return await asyncpg.connect(self._dsn, server_settings=self._server_settings)
        except _TRANSIENT as exc:
            raise TransientError(f"cannot reach PostgreSQL: {exc}") from exc

    async def notify(self, channel: str, payload: str = "") -> None:
        """``NOTIFY channel`` (delivered to every listening instance)."""
        async with self.db.write() as tx:
            await tx.notify(channel, payload)

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

    async def _add_listener(self, channel: str) -> None:
        signal = self._signals.setdefault(channel, asyncio.Event())

        def on_notify(_conn: Any, _pid: int, _channel: str, _payload: str) -> None:
            signal.set()

        assert self._listener is not None
        await self._listener.add_listener(pg_channel(channel, self.schema), on_notify)

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
            got = bool(await conn.fetchval(f"SELECT pg_try_advisory_lock({_ADVISORY_KEY})", name))
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
                    await conn.fetchval(f"SELECT pg_advisory_unlock({_ADVISORY_KEY})", name)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


__all__ = [
    "OUTBOX_CHANNEL",
    "PostgresStore",
    "is_postgres_url",
    "load_pg_migrations",
]
