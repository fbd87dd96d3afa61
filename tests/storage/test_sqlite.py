"""The SQLite file itself: migrations, WAL, the file lock, open_store on paths.

What every backend must do is in test_stories.py and the other modules."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.errors import ConfigError, TransientError
from storage import open_store
from storage.sqlite import SqliteStore, load_migrations
from tests.storage.builders import T0, make_story

TABLES = {
    "schema_migrations",
    "sources",
    "stories",
    "entities",
    "entity_aliases",
    "mentions",
    "story_entities",
    "events",
    "claims",
    "claim_entities",
    "claim_mentions",
    "chats",
    "subscriptions",
    "subscription_changes",
    "outbox",
}


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    db.close()
    return {name for (name,) in rows}


def migration_rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    db.close()
    return [(int(v), str(n)) for v, n in rows]


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[SqliteStore]:
    """This module is about the SQLite file: its store only."""
    opened = await SqliteStore.open(db_path)
    await opened.upgrade()
    yield opened
    await opened.close()


async def test_migrations_from_empty_create_every_table_and_are_recorded(db_path: Path) -> None:
    store = await SqliteStore.open(db_path)
    try:
        assert await store.schema_version() == 0
        version = await store.upgrade()
        assert version == len(load_migrations()) >= 1
        assert await store.schema_version() == version
    finally:
        await store.close()
    assert tables(db_path) >= TABLES
    assert migration_rows(db_path)[0] == (1, "initial")
    with sqlite3.connect(db_path) as db:
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
    db.close()
    assert mode == "wal"


async def test_upgrade_twice_is_a_no_op(store: SqliteStore, db_path: Path) -> None:
    before = migration_rows(db_path)
    assert await store.upgrade() == before[-1][0]
    assert migration_rows(db_path) == before
    again = await SqliteStore.open(db_path)
    try:
        assert await again.upgrade() == before[-1][0]
    finally:
        await again.close()
    assert migration_rows(db_path) == before


async def test_a_database_from_a_newer_release_is_refused(
    store: SqliteStore, db_path: Path
) -> None:
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')")
    db.close()
    with pytest.raises(ConfigError, match="newer"):
        await store.upgrade()


async def test_open_store_creates_the_folder_and_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "data" / "deep" / "cw.db"
    store = await open_store(f"sqlite:///{path}")
    try:
        assert await store.schema_version() >= 1
    finally:
        await store.close()
    assert tables(path) >= TABLES

    plain = await open_store(str(tmp_path / "plain.db"))
    try:
        assert await plain.schema_version() >= 1
    finally:
        await plain.close()


async def test_a_write_waits_for_another_writer_instead_of_failing(
    store: SqliteStore, db_path: Path
) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO sources (name, first_seen) VALUES ('Held', '2026-01-01T00:00:00+00:00')"
        )
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, other.execute, "COMMIT")
        story_id = await store.add_story(make_story(1), T0)
    finally:
        other.close()
    record = await store.story(story_id)
    assert record is not None and record.status == "pending"


async def test_a_writer_that_never_lets_go_is_a_transient_error(db_path: Path) -> None:
    store = await SqliteStore.open(db_path, busy_timeout=0.2)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        await store.upgrade()
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(TransientError, match="busy"):
            await store.add_story(make_story(1), T0)
        other.execute("ROLLBACK")
        assert await store.add_story(make_story(1), T0) == 1
    finally:
        other.close()
        await store.close()


def test_two_migrations_with_one_number_are_refused(tmp_path: Path) -> None:
    """Two branches that each added migration 0012 must not merge into a schema
    where one file silently hides the other."""
    from bot.errors import ConfigError
    from storage.schema import read_migrations

    (tmp_path / "0001_initial.sql").write_text("CREATE TABLE a (x INTEGER);")
    (tmp_path / "0002_levels.sql").write_text("ALTER TABLE a ADD COLUMN y INTEGER;")
    assert sorted(read_migrations(tmp_path)) == [1, 2]
    (tmp_path / "0002_sent_as.sql").write_text("ALTER TABLE a ADD COLUMN z INTEGER;")
    with pytest.raises(ConfigError, match="two files numbered 0002"):
        read_migrations(tmp_path)
