"""Opening the SQLite store: one file, WAL, foreign keys on, numbered migrations.

One :class:`SqliteStore` holds one connection; the queries are the
aggregates' (:mod:`storage.stories`, :mod:`storage.analysis`, …), written
once against :class:`SqliteDb`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path

import aiosqlite

from bot.errors import TransientError
from bot.models import normalise_body
from storage import schema
from storage.analysis import Analyses
from storage.coordination import Leases
from storage.db import SqliteTx, Tx
from storage.dialect import SQLITE, file_lock
from storage.feeds import Feeds
from storage.liveness import Liveness
from storage.outbox import Outbox
from storage.pages import Pages
from storage.queries import Queries
from storage.schema import load_migrations
from storage.stories import Stories
from storage.subscriptions import Subscriptions

__all__ = ["SqliteDb", "SqliteStore", "load_migrations"]

BUSY_TIMEOUT_SECONDS = 10.0


def _norm(text: str | None) -> str | None:
    return None if text is None else normalise_body(text)


class SqliteDb:
    """The :class:`~storage.db.Db` on one connection. Every transaction runs under
    an :class:`asyncio.Lock`, so the statements of two coroutines never
    interleave on the connection; writes use ``BEGIN IMMEDIATE`` so that another
    process writing the same file (``claimwatch ingest``) makes us wait
    (``busy_timeout``) instead of failing half-way."""

    dialect = SQLITE

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self.lock = asyncio.Lock()

    @asynccontextmanager
    async def _tx(self, begin: str) -> AsyncIterator[Tx]:
        async with self.lock:
            try:
                try:
                    await self.conn.execute(begin)
                except sqlite3.OperationalError as exc:
                    if "locked" in str(exc) or "busy" in str(exc):
                        raise TransientError(
                            f"the database {self.path} stayed busy (another writer): {exc}"
                        ) from exc
                    raise
                yield SqliteTx(self.conn, SQLITE)
                await self.conn.execute("COMMIT")
            except BaseException:
                # Queued after any statement still running for a cancelled caller, so
                # the transaction never outlives the lock. OperationalError: no
                # transaction was open (BEGIN itself failed).
                with suppress(sqlite3.OperationalError):
                    await self.conn.execute("ROLLBACK")
                raise

    def read(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx("BEGIN")

    def write(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx("BEGIN IMMEDIATE")


class SqliteStore(
    Stories, Analyses, Subscriptions, Queries, Pages, Feeds, Outbox, Leases, Liveness
):
    """The :class:`storage.base.Store` on one SQLite file."""

    db: SqliteDb

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.db = SqliteDb(conn, path)
        self.path = path
        self.instance_id = uuid.uuid4().hex
        self._closed = False

    @classmethod
    async def open(
        cls, path: Path | str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> SqliteStore:
        """Connect to the file at ``path`` (created if missing). Call :meth:`upgrade` next."""
        target = str(path)
        conn = await aiosqlite.connect(target, timeout=busy_timeout, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            await conn.execute("PRAGMA foreign_keys = ON")
            async with conn.execute("PRAGMA journal_mode = WAL") as cur:
                await cur.fetchone()
            await conn.execute("PRAGMA synchronous = NORMAL")
            # for migrations that derive a normalised text (0010)
            await conn.create_function("cw_norm", 1, _norm, deterministic=True)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, target)

    async def upgrade(self) -> int:
        """Apply the pending migrations, each in its own transaction; return the version."""
        return await schema.upgrade(self.db, self.path)

    async def schema_version(self) -> int:
        return await schema.schema_version(self.db)

    def decision_lock(self) -> AbstractAsyncContextManager[None]:
        """An exclusive lock on ``<database>.decide.lock``: SQLite has no advisory
        locks, and every process sharing the file is on this machine."""
        return file_lock(f"{self.path}.decide.lock")

    async def close(self) -> None:
        """Close the connection (waiting for a running transaction); closing twice is fine."""
        async with self.db.lock:
            if not self._closed:
                self._closed = True
                await self.db.conn.close()
