"""Copy a whole ClaimWatch database to another one, across backends.

``claimwatch db copy --from sqlite:///claimwatch.db --to postgresql://…`` moves
an installation to PostgreSQL (or back). Both databases are first brought to
the current schema version; the target must be empty. Rows are copied table by
table in foreign-key order inside one transaction on the target, keeping ids
(so alert keys, subscription versions and message threads carry over) and the
order of rows the stores sort by. Values are converted to the target's types
(ISO text ↔ ``timestamptz``/``date``, 0/1 ↔ ``boolean``: the target's
:class:`~storage.db.Db` encodes times, this module the rest); columns only the
target has are left to their defaults.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.errors import ConfigError
from storage import open_store
from storage.base import Store
from storage.db import Db, PostgresTx, Tx, as_dt
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

log = logging.getLogger(__name__)

# Tables that are never copied: the schema version (opening brings both
# databases to the same one), per-process leases, lease owners and their counters.
NOT_COPIED = frozenset({"schema_migrations", "leases", "lease_owners", "process_metrics"})

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


def _typed(value: Any, kind: str) -> Any:
    """A value read from either backend as a PostgreSQL column of ``kind`` wants it
    (SQLite's :class:`~storage.db.Db` turns them back into its text and integers)."""
    if value is None:
        return None
    if kind == "timestamp":
        return as_dt(value)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "real":
        return float(value)
    return value


# The schema, as each engine describes it: the one place where copying differs.


async def _tables(tx: Tx) -> dict[str, _Table]:
    if tx.dialect.name == "sqlite":
        names = [
            row["name"]
            for row in await tx.all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for name in names:
            info = await tx.all(f"PRAGMA table_info({name})")
            refs = {r["from"]: r["table"] for r in await tx.all(f"PRAGMA foreign_key_list({name})")}
            out[name] = _Table(name, {r["name"]: _kind(r["type"]) for r in info}, "rowid", refs)
        return out
    rows = await tx.all(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
    )
    columns: dict[str, dict[str, str]] = {}
    for row in rows:
        columns.setdefault(row["table_name"], {})[row["column_name"]] = _kind(row["data_type"])
    keys = await tx.all(
        "SELECT c.conrelid::regclass::text AS tab, c.contype::text AS kind, a.attname AS col,"
        " c.confrelid::regclass::text AS target FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)"
        " WHERE c.contype IN ('p', 'f') AND c.connamespace = current_schema()::regnamespace"
        " ORDER BY c.conname, array_position(c.conkey, a.attnum)"
    )
    out = {}
    for name, cols in sorted(columns.items()):
        mine = [k for k in keys if k["tab"].rsplit(".", 1)[-1] == name]
        primary = ", ".join(k["col"] for k in mine if k["kind"] == "p")
        refs = {k["col"]: k["target"].rsplit(".", 1)[-1] for k in mine if k["kind"] == "f"}
        out[name] = _Table(name, cols, "seq" if "seq" in cols else primary or "1", refs)
    return out


async def _write(tx: Tx, table: str, columns: list[str], rows: list[list[Any]]) -> None:
    if isinstance(tx, PostgresTx):  # COPY: much faster than INSERTs for a whole table
        await tx.conn.copy_records_to_table(
            table, records=[tuple(r) for r in rows], columns=columns, schema_name=tx.schema
        )
        return
    marks = ", ".join("?" * len(columns))
    await tx.many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


async def _reset_identities(tx: Tx, tables: dict[str, _Table]) -> None:
    """PostgreSQL identity columns continue after the highest copied value."""
    if not isinstance(tx, PostgresTx):
        return
    found = await tx.all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for row in found:
        if row["table_name"] in tables:
            table, column = row["table_name"], row["column_name"]
            await tx.val(
                f"SELECT setval(pg_get_serial_sequence('{tx.schema}.{table}', '{column}'),"
                f" COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )


def _db(store: Store) -> Db:
    if not isinstance(store, SqliteStore | PostgresStore):
        raise ConfigError(f"cannot copy {type(store).__name__}: not a SQL store")
    return store.db


async def copy_database(src_url: str, dst_url: str) -> dict[str, int]:
    """Copy every row of ``src_url`` into the empty database ``dst_url``; return
    rows copied per table. Both are first upgraded to the current schema."""
    if src_url == dst_url:
        raise ConfigError("copying a database onto itself")
    src = await open_store(src_url)
    try:
        dst = await open_store(dst_url)
        try:
            copied = await _copy(_db(src), _db(dst))
        finally:
            await dst.close()
    finally:
        await src.close()
    log.info("copied %d rows in %d tables", sum(copied.values()), len(copied))
    return copied


async def _copy(src: Db, dst: Db) -> dict[str, int]:
    copied: dict[str, int] = {}
    async with src.read() as stx, dst.write() as dtx:
        sources = await _tables(stx)
        targets = {n: t for n, t in (await _tables(dtx)).items() if n not in NOT_COPIED}
        for name in targets:
            if await dtx.val(f"SELECT COUNT(*) FROM {name}"):
                raise ConfigError(
                    f"the target database is not empty (table {name} has rows); "
                    "copy into a new database"
                )
        for name in _dependency_order(targets):
            if name in sources:
                copied[name] = await _copy_table(stx, dtx, sources[name], targets[name])
        await _reset_identities(dtx, targets)
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


async def _copy_table(src: Tx, dst: Tx, source: _Table, target: _Table) -> int:
    shared = [c for c in source.columns if c in target.columns and (target.name, c) not in DROPPED]
    # A column pointing at a row of the same table is filled in once every row is in.
    later = [c for c, ref in target.refs.items() if ref == target.name and c in shared]
    columns = [c for c in shared if c not in later]
    rows = await src.all(f"SELECT {', '.join(shared)} FROM {source.name} ORDER BY {source.order}")
    out = [[_typed(row[c], target.columns[c]) for c in columns] for row in rows]
    for start in range(0, len(out), BATCH):
        await _write(dst, target.name, columns, out[start : start + BATCH])
    for column in later:
        pairs = [
            (_typed(row[column], target.columns[column]), int(row["id"]))
            for row in rows
            if row[column] is not None
        ]
        await dst.many(f"UPDATE {target.name} SET {column} = ? WHERE id = ?", pairs)
    return len(out)
