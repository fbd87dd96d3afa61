"""The SQLite file itself: migrations, connections, processes, stories."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

from bot.errors import ConfigError, TransientError
from bot.models import body_hash
from storage import open_store
from storage.sqlite import SqliteStore, load_migrations
from tests.storage.builders import T0, at, make_story

PROJECT = Path(__file__).resolve().parents[2]

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


async def test_open_store_refuses_postgresql_for_now() -> None:
    with pytest.raises(ConfigError, match="PostgreSQL"):
        await open_store("postgresql://bot@localhost/claimwatch")


async def test_a_second_connection_sees_committed_data(store: SqliteStore, db_path: Path) -> None:
    other = await SqliteStore.open(db_path)
    try:
        story_id = await store.add_story(make_story(1), T0)
        seen = await other.pending_stories(10)
        assert [r.id for r in seen] == [story_id]
        assert seen[0].story == make_story(1)
    finally:
        await other.close()
        await other.close()  # twice is harmless


async def test_stories_added_by_another_process_are_picked_up(
    store: SqliteStore, db_path: Path
) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio
        from datetime import UTC, datetime
        from bot.models import Story
        from storage.sqlite import SqliteStore

        async def main():
            store = await SqliteStore.open({str(db_path)!r})
            await store.upgrade()
            await store.add_story(Story("cli.txt", "From the CLI", "Ingested elsewhere."),
                                  datetime.now(UTC))
            await store.close()

        asyncio.run(main())
        """
    )
    await store.add_story(make_story(1), T0)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        script,
        cwd=PROJECT,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    titles = [r.story.title for r in await store.pending_stories(10)]
    assert titles == ["Story 1", "From the CLI"]


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


async def test_a_cancelled_write_leaves_the_store_usable(store: SqliteStore) -> None:
    for delay in (0, 0.001, 0.005):
        task = asyncio.create_task(store.add_story(make_story(9), T0))
        await asyncio.sleep(delay)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        story_id = await store.add_story(make_story(1, url=f"https://example.com/{delay}"), T0)
        assert await store.story(story_id) is not None


async def test_find_story_by_url_and_by_normalised_body(store: SqliteStore) -> None:
    first = make_story(1, url="https://example.com/a", body="Zelensky said: 155 fight!")
    first_id = await store.add_story(first, T0)

    by_url = await store.find_story("https://example.com/a", "no-such-hash")
    assert by_url is not None and by_url.id == first_id
    assert by_url.story == first and by_url.status == "pending" and by_url.ingested == T0

    same_text = body_hash("  zelensky SAID 155 fight ")
    by_body = await store.find_story("https://elsewhere.example/b", same_text)
    assert by_body is not None and by_body.id == first_id

    assert await store.find_story(None, body_hash("something else")) is None
    assert await store.find_story("https://example.com/other", "x") is None


async def test_the_same_url_is_stored_once(store: SqliteStore) -> None:
    first = await store.add_story(make_story(1, url="https://example.com/a"), T0)
    again = await store.add_story(make_story(2, url="https://example.com/a"), at(1))
    assert again == first
    assert len(await store.pending_stories(10)) == 1


async def test_pending_stories_oldest_first_and_failed_ones_leave(store: SqliteStore) -> None:
    ids = [await store.add_story(make_story(n), at(n)) for n in range(1, 4)]
    assert [r.id for r in await store.pending_stories(2)] == ids[:2]

    await store.mark_story_failed(ids[0], "spaCy crashed")
    assert [r.id for r in await store.pending_stories(10)] == ids[1:]
    failed = await store.story(ids[0])
    assert failed is not None
    assert failed.status == "failed" and failed.extra["failure"] == "spaCy crashed"
    assert await store.story(9999) is None


async def test_times_come_back_as_utc(store: SqliteStore) -> None:
    story_id = await store.add_story(make_story(1, published=None), T0)
    record = await store.story(story_id)
    assert record is not None
    assert record.ingested == T0 and record.ingested.utcoffset() is not None
    assert record.story.published is None
