"""The SQLite store: one file, WAL, foreign keys on, numbered migrations.

One :class:`SqliteStore` holds one connection. Every operation runs inside an
explicit transaction under an :class:`asyncio.Lock`, so the statements of two
coroutines never interleave on the connection; writes use ``BEGIN IMMEDIATE``
so that another process writing the same file (``claimwatch ingest``) makes us
wait (``busy_timeout``) instead of failing half-way.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import re
import sqlite3
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import ConfigError, TransientError
from bot.models import (
    normalise_body,
)
from storage.analysis import Analyses
from storage.db import SqliteTx, Tx
from storage.dialect import SQLITE
from storage.feeds import Feeds
from storage.outbox import Outbox
from storage.queries import Queries
from storage.stories import STORY_LEASE_SECONDS, Stories
from storage.subscriptions import Subscriptions

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 10.0

_MIGRATION_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")
_TOP = 2**63
_WRAP = 2**64

Row = sqlite3.Row
Params = Sequence[Any] | Mapping[str, Any]


# --------------------------------------------------------------------------- helpers


def _ts(value: datetime) -> str:
    """A datetime as fixed-width ISO-8601 UTC text (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _opt_dt(text: str | None) -> datetime | None:
    return None if text is None else _dt(text)


def _opt_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _opt_iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _fold(text: str | None) -> str | None:
    return None if text is None else text.casefold().strip()


def _norm(text: str | None) -> str | None:
    return None if text is None else normalise_body(text)


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


def _story_day_sql(alias: str) -> str:
    """The day a story counts for: its publication date, else the day it was ingested."""
    return f"COALESCE({alias}.published, {alias}.event_day, substr({alias}.ingested_at, 1, 10))"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def statements(self) -> list[str]:
        """The SQL statements of the file, in order."""
        out: list[str] = []
        buffer = ""
        for line in self.sql.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                out.append(buffer.strip())
                buffer = ""
        rest = "\n".join(
            line
            for line in buffer.splitlines()
            if line.strip() and not line.strip().startswith("--")
        )
        if rest:
            raise ValueError(f"migration {self.version:04d}_{self.name}: incomplete statement")
        return out


def load_migrations() -> list[Migration]:
    """The numbered migrations shipped in ``storage/migrations``, in order."""
    folder = resources.files("storage").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise ConfigError(
                f"storage migrations are not numbered 1..n: expected {expected:04d}, "
                f"found {migration.version:04d}_{migration.name}"
            )
    return found


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
    async def raw(self, begin: str) -> AsyncIterator[aiosqlite.Connection]:
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
                yield self.conn
                await self.conn.execute("COMMIT")
            except BaseException:
                # Queued after any statement still running for a cancelled caller, so
                # the transaction never outlives the lock. OperationalError: no
                # transaction was open (BEGIN itself failed).
                with suppress(sqlite3.OperationalError):
                    await self.conn.execute("ROLLBACK")
                raise

    @asynccontextmanager
    async def _tx(self, begin: str) -> AsyncIterator[Tx]:
        async with self.raw(begin) as conn:
            yield SqliteTx(conn, SQLITE)

    def read(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx("BEGIN")

    def write(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx("BEGIN IMMEDIATE")


# --------------------------------------------------------------------------- store


class SqliteStore(Stories, Analyses, Subscriptions, Queries, Feeds, Outbox):
    """The :class:`storage.base.Store` on one SQLite file."""

    db: SqliteDb

    def __init__(self, db: aiosqlite.Connection, path: str) -> None:
        self._db = db
        self.db = SqliteDb(db, path)
        self._closed = False
        self.path = path
        self.instance_id = uuid.uuid4().hex
        self.story_lease_seconds = STORY_LEASE_SECONDS

    @classmethod
    async def open(
        cls, path: Path | str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> SqliteStore:
        """Connect to the file at ``path`` (created if missing). Call :meth:`upgrade` next."""
        target = str(path)
        db = await aiosqlite.connect(target, timeout=busy_timeout, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            await db.execute("PRAGMA foreign_keys = ON")
            async with db.execute("PRAGMA journal_mode = WAL") as cur:
                await cur.fetchone()
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.create_function("cw_fold", 1, _fold, deterministic=True)
            await db.create_function("cw_norm", 1, _norm, deterministic=True)
        except BaseException:
            await db.close()
            raise
        return cls(db, target)

    @asynccontextmanager
    async def decision_lock(self) -> AsyncIterator[None]:
        """An exclusive lock on ``<database>.decide.lock``: SQLite has no advisory
        locks, and every process sharing the file is on this machine."""
        if self.path == ":memory:":
            yield
            return
        fd = os.open(f"{self.path}.decide.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    async def close(self) -> None:
        """Close the connection (waiting for a running transaction); closing twice is fine."""
        async with self.db.lock:
            if not self._closed:
                self._closed = True
                await self._db.close()

    # ------------------------------------------------------------ transactions

    def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        return self.db.raw("BEGIN IMMEDIATE")

    def _read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        return self.db.raw("BEGIN")

    @staticmethod
    async def _one(db: aiosqlite.Connection, sql: str, params: Params = ()) -> Row | None:
        async with db.execute(sql, params) as cur:
            row: Row | None = await cur.fetchone()
            return row

    @staticmethod
    async def _all(db: aiosqlite.Connection, sql: str, params: Params = ()) -> list[Row]:
        async with db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    @staticmethod
    async def _run(db: aiosqlite.Connection, sql: str, params: Params = ()) -> int:
        """Execute a statement; return the number of rows it changed."""
        async with db.execute(sql, params) as cur:
            return int(cur.rowcount)

    # --------------------------------------------------------------- lifecycle

    async def upgrade(self) -> int:
        """Apply the pending migrations, each in its own transaction; return the version."""
        migrations = load_migrations()
        async with self._write() as db:
            await db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        latest = migrations[-1].version if migrations else 0
        current = await self.schema_version()
        if current > latest:
            raise ConfigError(
                f"the database {self.path} has schema version {current}, newer than this "
                f"release knows ({latest}); upgrade ClaimWatch"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            async with self._write() as db:
                # Another process may have applied it since we looked.
                done = await self._one(
                    db, "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                )
                if done is not None:
                    continue
                for statement in migration.statements:
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _ts(datetime.now(UTC))),
                )
            log.info(
                "applied migration %04d_%s to %s", migration.version, migration.name, self.path
            )
        return await self.schema_version()

    async def schema_version(self) -> int:
        async with self._read() as db:
            exists = await self._one(
                db,
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
            )
            if exists is None:
                return 0
            row = await self._one(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            return int(row[0]) if row is not None else 0
