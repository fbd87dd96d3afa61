"""The one database object every aggregate writes its queries against.

A query is written once, with ``?`` placeholders, against a :class:`Tx` (one
transaction on one connection): ``one``/``all``/``val``/``run``/``many``.
:class:`Db` opens read and write transactions; its engine (SQLite in
:mod:`storage.sqlite`, PostgreSQL in :mod:`storage.postgres`) decides how.
This module is the one place that turns ``?`` into asyncpg's ``$n`` and that
encodes and decodes times: SQLite keeps them as fixed-width ISO-8601 UTC text
(so they compare as text), PostgreSQL as ``timestamptz``/``date``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from typing import Any, Protocol

import aiosqlite

from storage.dialect import Dialect

Row = Any  # sqlite3.Row or asyncpg.Record: both read as row["column"] and row[0]


def utc(value: datetime) -> datetime:
    """An aware UTC datetime (naive values are taken as UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime) -> str:
    """A time as fixed-width ISO-8601 UTC text, as SQLite stores it."""
    return utc(value).isoformat(timespec="microseconds")


def as_dt(value: datetime | str) -> datetime:
    """A stored time (ISO text from SQLite, ``timestamptz`` from PostgreSQL)."""
    return utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))


def opt_dt(value: datetime | str | None) -> datetime | None:
    return None if value is None else as_dt(value)


def as_date(value: date | str | None) -> date | None:
    """A stored date (ISO text from SQLite, ``date`` from PostgreSQL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def marks(count: int) -> str:
    """``?, ?, …`` for an ``IN (…)`` list of ``count`` values."""
    return ", ".join("?" * count)


class Tx(Protocol):
    """One transaction on one connection."""

    dialect: Dialect

    async def one(self, sql: str, *params: Any) -> Row | None: ...

    async def all(self, sql: str, *params: Any) -> list[Row]: ...

    async def val(self, sql: str, *params: Any) -> Any:
        """The first column of the first row, or None."""

    async def run(self, sql: str, *params: Any) -> int:
        """Execute a statement; return how many rows it changed."""

    async def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    async def script(self, sql: str) -> None:
        """Run a file of statements (a migration), as it is: no placeholders."""

    async def notify(self, channel: str, payload: str) -> None:
        """Wake the instances listening on ``channel`` when this transaction commits
        (PostgreSQL ``NOTIFY``; nothing on SQLite, where nobody listens)."""


class Db(Protocol):
    dialect: Dialect

    def read(self) -> AbstractAsyncContextManager[Tx]:
        """A read transaction: one consistent snapshot for several queries."""

    def write(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction."""


# --------------------------------------------------------------------- SQLite


def _lite(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class SqliteTx:
    def __init__(self, conn: aiosqlite.Connection, dialect: Dialect) -> None:
        self.conn = conn
        self.dialect = dialect

    async def one(self, sql: str, *params: Any) -> sqlite3.Row | None:
        async with self.conn.execute(sql, [_lite(p) for p in params]) as cur:
            row: sqlite3.Row | None = await cur.fetchone()
            return row

    async def all(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        async with self.conn.execute(sql, [_lite(p) for p in params]) as cur:
            return list(await cur.fetchall())

    async def val(self, sql: str, *params: Any) -> Any:
        row = await self.one(sql, *params)
        return None if row is None else row[0]

    async def run(self, sql: str, *params: Any) -> int:
        async with self.conn.execute(sql, [_lite(p) for p in params]) as cur:
            return int(cur.rowcount)

    async def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(sql, [[_lite(p) for p in row] for row in rows])

    async def script(self, sql: str) -> None:
        buffer = ""
        for line in sql.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                await self.conn.execute(buffer.strip())
                buffer = ""
        rest = [ln for ln in buffer.splitlines() if ln.strip() and not ln.strip().startswith("--")]
        if rest:
            raise ValueError(f"an incomplete statement at the end: {rest[0]!r}")

    async def notify(self, channel: str, payload: str) -> None:
        return None


# ----------------------------------------------------------------- PostgreSQL


def numbered(sql: str) -> str:
    """``?`` placeholders as ``$1, $2, …`` (a ``?`` inside a quoted string stays)."""
    out: list[str] = []
    n = 0
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        elif ch == "?" and not quoted:
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


def _pg(value: Any) -> Any:
    return utc(value) if isinstance(value, datetime) else value


class PostgresTx:
    def __init__(self, conn: Any, dialect: Dialect, texts: dict[str, str], schema: str) -> None:
        self.conn = conn
        self.dialect = dialect
        self._texts = texts  # the store's cache of converted statements
        self.schema = schema

    def _sql(self, sql: str) -> str:
        text = self._texts.get(sql)
        if text is None:
            text = self._texts[sql] = numbered(sql)
        return text

    async def one(self, sql: str, *params: Any) -> Any:
        return await self.conn.fetchrow(self._sql(sql), *[_pg(p) for p in params])

    async def all(self, sql: str, *params: Any) -> list[Any]:
        return list(await self.conn.fetch(self._sql(sql), *[_pg(p) for p in params]))

    async def val(self, sql: str, *params: Any) -> Any:
        return await self.conn.fetchval(self._sql(sql), *[_pg(p) for p in params])

    async def run(self, sql: str, *params: Any) -> int:
        status = await self.conn.execute(self._sql(sql), *[_pg(p) for p in params])
        last = str(status).rsplit(" ", 1)[-1]  # "UPDATE 3", "INSERT 0 1"
        return int(last) if last.isdigit() else 0

    async def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(self._sql(sql), [[_pg(p) for p in row] for row in rows])

    async def script(self, sql: str) -> None:
        await self.conn.execute(sql)  # no arguments: the simple protocol, several statements

    async def notify(self, channel: str, payload: str) -> None:
        await self.conn.execute(
            "SELECT pg_notify($1, $2)", pg_channel(channel, self.schema), payload
        )


def pg_channel(channel: str, schema: str) -> str:
    """The PostgreSQL channel for ``channel`` in ``schema``: two installations
    sharing a database (schemas) do not wake each other."""
    scoped = f"{channel}@{schema}"
    if len(scoped.encode()) > 63:  # longer channel names are cut by the server
        scoped = f"{channel}@{hashlib.sha1(schema.encode()).hexdigest()[:16]}"
    return scoped
