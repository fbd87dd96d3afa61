"""Numbered migrations, applied once each and recorded in ``schema_migrations``.

``storage/migrations/NNNN_name.sql`` are the SQLite migrations; each has its
PostgreSQL dialect with the same number and name in
``storage/migrations/postgres/``, so both backends stay at the same schema
version. :func:`upgrade` is written once against :class:`~storage.db.Db`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable

from bot.errors import ConfigError
from storage.db import Db, iso

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def _folder(dialect: str) -> dict[int, Migration]:
    folder = resources.files("storage").joinpath("migrations")
    if dialect == "postgres":
        folder = folder.joinpath("postgres")
    return read_migrations(folder)


def read_migrations(folder: Traversable) -> dict[int, Migration]:
    """The ``NNNN_name.sql`` files of ``folder`` by number; :class:`ConfigError`
    when two files share a number."""
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is not None:
            version = int(match[1])
            if version in found:  # two files of one number: one would hide the other
                raise ConfigError(
                    f"storage migrations: two files numbered {version:04d} "
                    f"({found[version].name}, {match[2]}); renumber one"
                )
            found[version] = Migration(version, match[2], entry.read_text(encoding="utf-8"))
    return found


def load_migrations() -> list[Migration]:
    """The numbered (SQLite) migrations shipped in ``storage/migrations``, in order."""
    found = sorted(_folder("sqlite").values(), key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise ConfigError(
                f"storage migrations are not numbered 1..n: expected {expected:04d}, "
                f"found {migration.version:04d}_{migration.name}"
            )
    return found


def load_pg_migrations() -> list[Migration]:
    """The PostgreSQL dialect of every numbered SQLite migration, in order."""
    found = _folder("postgres")
    out: list[Migration] = []
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


async def schema_version(db: Db) -> int:
    async with db.read() as tx:
        if await tx.val(tx.dialect.table_exists, "schema_migrations") is None:
            return 0
        return int(await tx.val("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))


async def upgrade(db: Db, where: str) -> int:
    """Apply the pending migrations to ``db``, each in its own transaction (processes
    starting together take turns); return the schema version."""
    lock = db.dialect.migration_lock
    migrations = load_pg_migrations() if db.dialect.name == "postgres" else load_migrations()
    latest = migrations[-1].version if migrations else 0
    async with db.write() as tx:
        if lock:
            await tx.run(lock)
        await tx.run(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    current = await schema_version(db)
    if current > latest:
        raise ConfigError(
            f"the database {where} has schema version {current}, newer than this "
            f"release knows ({latest}); upgrade ClaimWatch"
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        async with db.write() as tx:
            if lock:
                await tx.run(lock)
            # Another process may have applied it since we looked.
            if await tx.val("SELECT 1 FROM schema_migrations WHERE version = ?", migration.version):
                continue
            await tx.script(migration.sql)
            await tx.run(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                migration.version,
                migration.name,
                iso(datetime.now(UTC)),
            )
        log.info("applied migration %04d_%s to %s", migration.version, migration.name, where)
    return await schema_version(db)
