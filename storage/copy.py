"""Copy a whole ClaimWatch database to another one, across backends.

``claimwatch db copy --from sqlite:///claimwatch.db --to postgresql://…`` moves
an installation to PostgreSQL (or back). Both databases are first brought to
the current schema version; the target must be empty. Rows are copied table by
table in foreign-key order inside one transaction on the target, keeping ids
(so alert keys, subscription versions and message threads carry over) and the
order of rows the stores sort by. Values are converted to the target's types
(ISO text ↔ ``timestamptz``/``date``, 0/1 ↔ ``boolean``); columns only the
target has are derived (``text_norm``) or left to their defaults.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import aiosqlite
import asyncpg

from bot.errors import ConfigError
from bot.models import normalise_body
from storage import open_store, sqlite_path

log = logging.getLogger(__name__)

# Tables that are never copied: the schema version (opening brings both
# databases to the same one), per-process leases, lease owners and their counters.
NOT_COPIED = frozenset({"schema_migrations", "leases", "lease_owners", "process_metrics"})


# Columns the target may have that the source lacks, and how to derive them.
DERIVED: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("claims", "text_norm"): lambda row: normalise_body(str(row["text"])),
    ("claim_mentions", "text_norm"): lambda row: normalise_body(str(row["text"])),
}

# Leases belong to processes of the old installation (stopped before a copy):
# the copy starts without them, so the new instances need not wait them out.
DROPPED = frozenset(
    {
        ("stories", "lease_owner"),
        ("stories", "lease_until"),
        ("outbox", "lease_until"),
        ("outbox", "lease_owner"),
    }
)

BATCH = 2000


@dataclass
class _Table:
    name: str
    columns: dict[str, str]  # column -> type ("timestamp", "date", "bool", "int", "real", "text")
    order: str  # ORDER BY clause keeping the order the stores sort by
    refs: dict[str, str]  # foreign-key column -> the table it points at


def _kind(declared: str) -> str:
    t = declared.lower()
    if "timestamp" in t:
        return "timestamp"
    if t == "date":
        return "date"
    if t == "boolean":
        return "bool"
    if "int" in t:
        return "int"
    if "double" in t or "real" in t or "numeric" in t:
        return "real"
    return "text"


def _to_datetime(value: Any) -> datetime:
    out = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return out.replace(tzinfo=UTC) if out.tzinfo is None else out.astimezone(UTC)


def _convert(value: Any, kind: str, to_sqlite: bool) -> Any:
    """A value read from either backend, as the target column wants it: SQLite
    gets the text and integers its store writes, PostgreSQL its column's type."""
    if value is None:
        return None
    if to_sqlite:
        if isinstance(value, datetime):
            return _to_datetime(value).isoformat(timespec="microseconds")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, bool):
            return int(value)
        return value
    if kind == "timestamp":
        return _to_datetime(value)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "real":
        return float(value)
    return value


class _SqliteSide:
    """A SQLite file, raw: its tables' columns, reading and writing rows."""

    is_sqlite = True

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    @classmethod
    async def open(cls, path: str) -> _SqliteSide:
        db = await aiosqlite.connect(path, isolation_level=None)
        db.row_factory = sqlite3.Row
        await db.execute("PRAGMA foreign_keys = ON")
        return cls(db)

    async def table(self, name: str) -> _Table | None:
        async with self.db.execute(f"PRAGMA table_info({name})") as cur:
            info = list(await cur.fetchall())
        if not info:
            return None
        async with self.db.execute(f"PRAGMA foreign_key_list({name})") as cur:
            refs = {row["from"]: row["table"] for row in await cur.fetchall()}
        return _Table(name, {row["name"]: _kind(row["type"]) for row in info}, "rowid", refs)

    async def tables(self) -> list[str]:
        async with self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ) as cur:
            return sorted(row["name"] for row in await cur.fetchall())

    async def rows(self, table: _Table, columns: Sequence[str]) -> list[dict[str, Any]]:
        async with self.db.execute(
            f"SELECT {', '.join(columns)} FROM {table.name} ORDER BY {table.order}"
        ) as cur:
            return [dict(row) for row in await cur.fetchall()]

    async def count(self, name: str) -> int:
        async with self.db.execute(f"SELECT COUNT(*) FROM {name}") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row is not None else 0

    async def write(self, table: _Table, columns: Sequence[str], rows: list[list[Any]]) -> None:
        marks = ", ".join("?" * len(columns))
        await self.db.executemany(
            f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows
        )

    async def update_refs(self, table: _Table, column: str, pairs: list[tuple[Any, Any]]) -> None:
        await self.db.executemany(f"UPDATE {table.name} SET {column} = ? WHERE id = ?", pairs)

    async def close(self) -> None:
        await self.db.close()


class _PostgresSide:
    """A PostgreSQL schema, raw (the first one on the URL's search_path)."""

    is_sqlite = False

    def __init__(self, conn: Any, schema: str) -> None:
        self.conn = conn
        self.schema = schema

    @classmethod
    async def open(cls, dsn: str) -> _PostgresSide:
        conn = await asyncpg.connect(dsn, server_settings={"timezone": "UTC"})
        return cls(conn, str(await conn.fetchval("SELECT current_schema()")))

    async def table(self, name: str) -> _Table | None:
        info = await self.conn.fetch(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
            self.schema,
            name,
        )
        if not info:
            return None
        columns = {row["column_name"]: _kind(row["data_type"]) for row in info}
        keys = await self.conn.fetch(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary",
            f"{self.schema}.{name}",
        )
        order = "seq" if "seq" in columns else ", ".join(row["attname"] for row in keys)
        found = await self.conn.fetch(
            "SELECT a.attname AS col, c.confrelid::regclass::text AS target"
            " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
            " AND a.attnum = ANY(c.conkey)"
            " WHERE c.contype = 'f' AND c.conrelid = $1::regclass",
            f"{self.schema}.{name}",
        )
        refs = {row["col"]: row["target"].rsplit(".", 1)[-1] for row in found}
        return _Table(name, columns, order or "1", refs)

    async def tables(self) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
            self.schema,
        )
        return sorted(row["table_name"] for row in rows)

    async def rows(self, table: _Table, columns: Sequence[str]) -> list[dict[str, Any]]:
        found = await self.conn.fetch(
            f"SELECT {', '.join(columns)} FROM {table.name} ORDER BY {table.order}"
        )
        return [dict(row) for row in found]

    async def count(self, name: str) -> int:
        return int(await self.conn.fetchval(f"SELECT COUNT(*) FROM {name}"))

    async def write(self, table: _Table, columns: Sequence[str], rows: list[list[Any]]) -> None:
        await self.conn.copy_records_to_table(
            table.name,
            records=[tuple(row) for row in rows],
            columns=list(columns),
            schema_name=self.schema,
        )

    async def update_refs(self, table: _Table, column: str, pairs: list[tuple[Any, Any]]) -> None:
        await self.conn.executemany(f"UPDATE {table.name} SET {column} = $1 WHERE id = $2", pairs)

    async def reset_identities(self, table: _Table) -> None:
        """Identity columns continue after the highest copied value."""
        identities = await self.conn.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1"
            " AND table_name = $2 AND is_identity = 'YES'",
            self.schema,
            table.name,
        )
        for row in identities:
            column = row["column_name"]
            await self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{self.schema}.{table.name}', '{column}'),"
                f" COALESCE((SELECT MAX({column}) FROM {table.name}), 0) + 1, false)"
            )

    async def close(self) -> None:
        await self.conn.close()


async def _open_side(url: str) -> _SqliteSide | _PostgresSide:
    path = sqlite_path(url)
    if path is None:
        return await _PostgresSide.open(url)
    return await _SqliteSide.open(path)


async def copy_database(src_url: str, dst_url: str) -> dict[str, int]:
    """Copy every row of ``src_url`` into the empty database ``dst_url``; return
    rows copied per table. Both are first upgraded to the current schema."""
    if src_url == dst_url:
        raise ConfigError("copying a database onto itself")
    for url in (src_url, dst_url):  # create or upgrade the schema on both
        store = await open_store(url)
        await store.close()

    src = await _open_side(src_url)
    dst = await _open_side(dst_url)
    copied: dict[str, int] = {}
    try:
        targets = {}
        for name in await dst.tables():
            table = await dst.table(name)
            if table is not None and name not in NOT_COPIED:
                targets[name] = table
        for name in targets:
            if await dst.count(name):
                raise ConfigError(
                    f"the target database is not empty (table {name} has rows); "
                    "copy into a new database"
                )
        sources = set(await src.tables())
        if isinstance(dst, _SqliteSide):
            await dst.db.execute("BEGIN IMMEDIATE")
            transaction = None
        else:
            transaction = dst.conn.transaction()
            await transaction.start()
        try:
            for name in _dependency_order(targets):
                source_table = await src.table(name) if name in sources else None
                if source_table is not None:
                    copied[name] = await _copy_table(src, dst, source_table, targets[name])
            if isinstance(dst, _PostgresSide):
                for table in targets.values():
                    await dst.reset_identities(table)
        except BaseException:
            if transaction is not None:
                await transaction.rollback()
            else:
                assert isinstance(dst, _SqliteSide)
                await dst.db.execute("ROLLBACK")
            raise
        if transaction is not None:
            await transaction.commit()
        else:
            assert isinstance(dst, _SqliteSide)
            await dst.db.execute("COMMIT")
    finally:
        await src.close()
        await dst.close()
    log.info("copied %d rows in %d tables", sum(copied.values()), len(copied))
    return copied


def _dependency_order(tables: dict[str, _Table]) -> list[str]:
    """Tables after the tables their foreign keys point at (self references aside)."""
    done: list[str] = []
    waiting = dict(sorted(tables.items()))
    while waiting:
        ready = [
            name
            for name, table in waiting.items()
            if all(ref == name or ref in done or ref not in tables for ref in table.refs.values())
        ]
        if not ready:
            raise ConfigError(f"circular foreign keys among {', '.join(waiting)}")
        for name in ready:
            done.append(name)
            del waiting[name]
    return done


async def _copy_table(
    src: _SqliteSide | _PostgresSide,
    dst: _SqliteSide | _PostgresSide,
    source: _Table,
    target: _Table,
) -> int:
    shared = [c for c in source.columns if c in target.columns and (target.name, c) not in DROPPED]
    derived = [c for c in target.columns if c not in source.columns and (target.name, c) in DERIVED]
    # A column pointing at a row of the same table is filled in once every row is in.
    later = [c for c, ref in target.refs.items() if ref == target.name and c in shared]
    columns = [c for c in shared if c not in later] + derived
    rows = await src.rows(source, shared)
    to_sqlite = dst.is_sqlite
    out: list[list[Any]] = []
    refs: dict[str, list[tuple[Any, Any]]] = {c: [] for c in later}
    for row in rows:
        values = [_convert(row[c], target.columns[c], to_sqlite) for c in shared if c not in later]
        values += [DERIVED[(target.name, c)](row) for c in derived]
        out.append(values)
        for c in later:
            if row[c] is not None:
                refs[c].append((_convert(row[c], target.columns[c], to_sqlite), int(row["id"])))
    for start in range(0, len(out), BATCH):
        await dst.write(target, columns, out[start : start + BATCH])
    for column, pairs in refs.items():
        if pairs:
            await dst.update_refs(target, column, pairs)
    return len(out)
