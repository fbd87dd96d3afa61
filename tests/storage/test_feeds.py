"""Feeds and seen feed entries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sources import FeedPoll
from storage.base import Store
from tests.storage.conftest import Backend

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


async def test_add_list_remove(store: Store) -> None:
    feed, new = await store.add_feed("https://a.example/rss", T0, added_by="cli")
    assert new and feed.status == "new" and feed.next_poll == T0
    again, new = await store.add_feed("https://a.example/rss", T0 + timedelta(hours=1))
    assert not new and again.id == feed.id
    await store.add_feed("https://b.example/atom", T0)
    assert [f.url for f in await store.list_feeds()] == [
        "https://a.example/rss",
        "https://b.example/atom",
    ]
    assert await store.remove_feed("https://a.example/rss")
    assert not await store.remove_feed("https://a.example/rss")
    assert [f.url for f in await store.list_feeds()] == ["https://b.example/atom"]


async def test_due_feeds_are_claimed_until_the_poll_is_recorded(backend: Backend) -> None:
    one, two = await backend.open(), await backend.open()
    try:
        a, _ = await one.add_feed("https://a.example/rss", T0)
        await one.add_feed("https://b.example/rss", T0 + timedelta(minutes=10))
        due = await one.due_feeds(T0, 10, 120)
        assert [f.url for f in due] == ["https://a.example/rss"]
        assert await two.due_feeds(T0 + timedelta(seconds=60), 10, 120) == []  # claimed
        await one.record_poll(
            FeedPoll(a.id, T0, T0 + timedelta(minutes=5), etag='"v1"', title="A", new_entries=3)
        )
        [ok] = [f for f in await two.list_feeds() if f.id == a.id]
        assert (ok.status, ok.etag, ok.title, ok.entries) == ("ok", '"v1"', "A", 3)
        assert ok.next_poll == T0 + timedelta(minutes=5)
        await one.record_poll(FeedPoll(a.id, T0, T0 + timedelta(minutes=10), error="HTTP 500"))
        await one.record_poll(FeedPoll(a.id, T0, T0 + timedelta(minutes=20), error="HTTP 503"))
        (bad,) = [f for f in await two.list_feeds() if f.url == a.url]
        assert (bad.status, bad.errors, bad.last_error, bad.etag) == (
            "failing",
            2,
            "HTTP 503",
            '"v1"',
        )
        assert bad.last_ok == T0
        assert await one.schedule_feeds(T0, a.url) == 1
        assert [f.id for f in await two.due_feeds(T0, 10, 60)] == [a.id]
        assert await one.schedule_feeds(T0) == 2
    finally:
        await one.close()
        await two.close()


async def test_seen_entries(store: Store) -> None:
    feed, _ = await store.add_feed("https://a.example/rss", T0)
    assert not await store.seen_entry(["guid:1", "url:https://x.example/1"])
    await store.mark_entry_seen(feed.id, ["guid:1", "url:https://x.example/1"], T0)
    await store.mark_entry_seen(None, ["guid:1"], T0)  # twice is fine
    assert await store.seen_entry(["url:https://x.example/1"])
    assert await store.seen_entry(["guid:other", "guid:1"])
    assert not await store.seen_entry([])
    await store.remove_feed(feed.url)  # entries outlive their feed
    assert await store.seen_entry(["guid:1"])
    assert await store.forget_entries(T0 + timedelta(days=1)) == 2
    assert not await store.seen_entry(["guid:1"])
