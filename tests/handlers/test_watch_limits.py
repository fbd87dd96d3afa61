"""Watches have limits (issue 11, finding 4): a cap per chat
(MAX_WATCHES_PER_CHAT), and a phrase watch must be something a story can be
told apart by — not a stopword, not too short, not emoji or punctuation only,
not a phrase found in most recent stories. The reply says why."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.models import ChatRef, Story
from bot.runtime import Services
from tests.fakes.chat import FakeAdapter, FakeChat


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}", max_watches_per_chat=5, _env_file=None
    )
    opened = await Services.open(settings, [FakeAdapter()])
    yield opened
    await opened.close()


async def test_a_chat_may_watch_up_to_the_cap(services: Services) -> None:
    chat = FakeChat(services.router)
    for name in ["china", "japan", "harbour spill", "grain tariff", "sorna"]:
        assert (await chat.say(f"/watch {name}")).ok
    refused = await chat.say("/watch bulgaria")
    assert not refused.ok
    assert "5" in refused.plain and "/unwatch" in refused.plain
    assert len(await services.store.chat_subscriptions(ChatRef(chat.platform, chat.chat_id))) == 5
    again = await chat.say("/watch china")  # watching what it already watches is no new watch
    assert again.ok and "already" in again.plain
    other = FakeChat(services.router, chat_id="c2")  # the cap is per chat
    assert (await other.say("/watch bulgaria")).ok
    await chat.say("/unwatch japan")
    assert (await chat.say("/watch bulgaria")).ok


@pytest.mark.parametrize(
    ("phrase", "why"),
    [
        ("the", "too common"),
        ("a", "too common"),
        ("of the", "too common"),
        ("x", "too short"),
        ("😀", "no letters or digits"),
        ("🔥🔥", "no letters or digits"),
        ("!!! ???", "no letters or digits"),
        ("—", "no letters or digits"),
    ],
)
async def test_a_phrase_watch_must_tell_stories_apart(
    services: Services, phrase: str, why: str
) -> None:
    chat = FakeChat(services.router)
    reply = await chat.say(f"/watch {phrase}")
    assert not reply.ok and why in reply.plain
    assert await services.store.chat_subscriptions(ChatRef(chat.platform, chat.chat_id)) == []


async def test_a_phrase_in_most_recent_stories_is_refused_with_the_figures(
    services: Services,
) -> None:
    now = datetime.now(UTC)
    for n in range(30):
        tail = "The ministry said talks would go on." if n % 3 else "Markets were calm."
        await services.store.add_story(
            Story(f"s{n}", f"Report {n}", f"Report number {n} from the coast. {tail}"), now
        )
    chat = FakeChat(services.router)
    reply = await chat.say("/watch from the coast")
    assert not reply.ok
    assert "30 of the last 30 stories" in reply.plain
    talks = await chat.say("/watch talks would go on")  # in 20 of 30: still most
    assert not talks.ok and "20 of the last 30 stories" in talks.plain
    calm = await chat.say("/watch markets were calm")  # in 10 of 30: fine
    assert calm.ok


def test_the_cap_is_a_documented_setting() -> None:
    assert load_settings(_env_file=None).max_watches_per_chat == 100
