"""What every backend does with stories and connections (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import textwrap
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.models import body_hash
from storage.base import Store
from tests.storage.builders import T0, at, make_story
from tests.storage.conftest import Backend

PROJECT = Path(__file__).resolve().parents[2]


async def test_a_second_connection_sees_committed_data(store: Store, backend: Backend) -> None:
    other = await backend.open()
    try:
        story_id = await store.add_story(make_story(1), T0)
        seen = await other.pending_stories(10)
        assert [r.id for r in seen] == [story_id]
        assert seen[0].story == make_story(1)
    finally:
        await other.close()
        await other.close()  # twice is harmless


async def test_stories_added_by_another_process_are_picked_up(
    store: Store, backend: Backend
) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio
        from datetime import UTC, datetime
        from bot.models import Story
        from storage import open_store

        async def main():
            store = await open_store({backend.url!r})
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


async def test_a_cancelled_write_leaves_the_store_usable(store: Store) -> None:
    for delay in (0, 0.001, 0.005):
        task = asyncio.create_task(store.add_story(make_story(9), T0))
        await asyncio.sleep(delay)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        story_id = await store.add_story(make_story(1, url=f"https://example.com/{delay}"), T0)
        assert await store.story(story_id) is not None


async def test_find_story_by_url_and_by_normalised_body(store: Store) -> None:
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


async def test_the_same_url_is_stored_once(store: Store) -> None:
    first = await store.add_story(make_story(1, url="https://example.com/a"), T0)
    again = await store.add_story(make_story(2, url="https://example.com/a"), at(1))
    assert again == first
    assert len(await store.pending_stories(10)) == 1


async def test_pending_stories_oldest_first_and_failed_ones_leave(store: Store) -> None:
    ids = [await store.add_story(make_story(n), at(n)) for n in range(1, 4)]
    assert [r.id for r in await store.pending_stories(2)] == ids[:2]

    await store.mark_story_failed(ids[0], "spaCy crashed")
    assert [r.id for r in await store.pending_stories(10)] == ids[1:]
    failed = await store.story(ids[0])
    assert failed is not None
    # without a retry time, a failure is final: the story is quarantined
    assert failed.status == "quarantined" and failed.extra["failure"] == "spaCy crashed"
    assert await store.story(9999) is None


async def test_a_failed_story_comes_back_at_its_retry_time_then_is_quarantined(
    store: Store,
) -> None:
    from datetime import UTC, datetime, timedelta

    ids = [await store.add_story(make_story(n), at(n)) for n in range(1, 3)]
    later = datetime.now(UTC) + timedelta(hours=1)
    assert await store.mark_story_failed(ids[0], "decision: OverflowError", later) == 1
    record = await store.story(ids[0])
    assert record is not None and record.status == "failed"
    assert record.extra["attempts"] == "1" and "OverflowError" in record.extra["failure"]
    assert [r.id for r in await store.pending_stories(10)] == ids[1:]  # not before its time
    assert await store.story_failure_counts() == {"failed": 1, "quarantined": 0}
    past = datetime.now(UTC) - timedelta(seconds=1)
    assert await store.mark_story_failed(ids[0], "decision: again", past) == 2
    assert [r.id for r in await store.pending_stories(10)] == ids  # its time has come
    assert await store.mark_story_failed(ids[0], "decision: for good") == 3
    record = await store.story(ids[0])
    assert record is not None and record.status == "quarantined"
    assert record.extra["failure"] == "decision: for good"
    assert [r.id for r in await store.pending_stories(10)] == ids[1:]
    assert await store.story_failure_counts() == {"failed": 0, "quarantined": 1}


async def test_times_come_back_as_utc(store: Store) -> None:
    story_id = await store.add_story(make_story(1, published=None), T0)
    record = await store.story(story_id)
    assert record is not None
    assert record.ingested == T0 and record.ingested.utcoffset() is not None
    assert record.story.published is None


async def test_upgrade_twice_is_a_no_op(store: Store, backend: Backend) -> None:
    version = await store.schema_version()
    assert version >= 1
    assert await store.upgrade() == version
    again = await backend.open()  # opening upgrades
    try:
        assert await again.schema_version() == version
        assert await again.upgrade() == version
    finally:
        await again.close()


async def test_a_database_from_a_newer_release_is_refused(store: Store, backend: Backend) -> None:
    await backend.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')"
    )
    with pytest.raises(ConfigError, match="newer"):
        await store.upgrade()


async def test_recent_story_texts_newest_first(store: Store) -> None:
    for n in range(1, 5):
        await store.add_story(make_story(n), at(n))
    texts = await store.recent_story_texts(3)
    assert len(texts) == 3
    newest = make_story(4)
    assert texts[0] == f"{newest.title}\n\n{newest.body}"
    assert await store.recent_story_texts(0) == []
