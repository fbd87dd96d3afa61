"""/feeds for the bot's operators (ADMIN_USER_IDS), refused for everyone else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.runtime import Services
from bot.sources import FeedPoll
from tests.fakes.chat import FakeAdapter, FakeChat


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}",
        admin_user_ids="fake:boss, telegram:42",
        _env_file=None,
    )
    opened = await Services.open(settings, [FakeAdapter()])
    yield opened
    await opened.close()


async def test_operators_add_list_and_remove_feeds(services: Services) -> None:
    chat = FakeChat(services.router)
    assert "No feeds yet" in (await chat.say("/feeds", user="boss")).plain
    added = await chat.say("/feeds add https://harbourwire.example/rss", user="boss")
    assert added.ok and "Added https://harbourwire.example/rss" in added.plain
    again = await chat.say("/feeds add https://harbourwire.example/rss", user="boss")
    assert "Already polling" in again.plain
    [feed] = await services.store.list_feeds()
    assert feed.added_by == "fake:boss"
    await services.store.record_poll(
        FeedPoll(feed.id, feed.added, feed.added, error="[http_5xx] the server answered 503")
    )
    listing = (await chat.say("/feeds", user="boss")).plain
    assert "1 feed(s), 1 failing:" in listing
    assert f"#{feed.id} [failing] https://harbourwire.example/rss" in listing
    assert "the server answered 503" in listing
    removed = await chat.say(f"/feeds remove {feed.id}", user="boss")
    assert removed.ok and "Removed https://harbourwire.example/rss" in removed.plain
    assert await services.store.list_feeds() == []
    assert not (await chat.say("/feeds remove https://nope.example/", user="boss")).ok


async def test_bad_urls_are_refused(services: Services) -> None:
    chat = FakeChat(services.router)
    for text in ("/feeds add ftp://x.example/rss", "/feeds add", "/feeds frobnicate"):
        reply = await chat.say(text, user="boss")
        assert not reply.ok, text
    assert await services.store.list_feeds() == []


async def test_everyone_else_is_refused(services: Services) -> None:
    chat = FakeChat(services.router)
    for user, chat_type in (("u1", "private"), ("42", "group"), ("BOSSY", "private")):
        reply = await chat.say("/feeds add https://x.example/rss", user=user, chat_type=chat_type)
        assert not reply.ok and "operators" in reply.plain
    # telegram:42 is an operator on Telegram only
    tg = FakeChat(services.router, platform="telegram")
    assert (await tg.say("/feeds", user="42", chat_type="group", is_admin=False)).ok
    assert await services.store.list_feeds() == []


async def test_status_shows_operators_failing_feeds_and_failed_stories(
    services: Services,
) -> None:
    from datetime import UTC, datetime

    from bot.models import Story

    chat = FakeChat(services.router)
    await chat.say("/feeds add https://harbourwire.example/rss", user="boss")
    [feed] = await services.store.list_feeds()
    await services.store.record_poll(
        FeedPoll(feed.id, feed.added, feed.added, error="[http_5xx] the server answered 503")
    )
    now = datetime.now(UTC)
    ids = [
        await services.store.add_story(Story(f"s{n}", f"T{n}", f"body {n}"), now) for n in (1, 2)
    ]
    await services.store.mark_story_failed(ids[0], "decision: OverflowError", now)
    await services.store.mark_story_failed(ids[1], "analysis: ValueError")
    status = (await chat.say("/status", user="boss")).plain
    assert "Feeds: 1, 1 failing" in status and "the server answered 503" in status
    assert "Stories failed: 1 waiting for a retry, 1 quarantined" in status
    others = (await chat.say("/status", user="someone")).plain
    assert "Feeds:" not in others and "Stories failed" not in others
