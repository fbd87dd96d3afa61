"""Every chat command, through the fake chat: one line per command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.runtime import Services
from tests.fakes.chat import FakeChat


async def test_start_and_help_list_the_commands(chat: FakeChat) -> None:
    assert "/watch china" in (await chat.say("/start")).plain
    helped = (await chat.say("/help")).plain
    for name in ("/watch", "/unwatch", "/watching", "/claims", "/event", "/mute"):
        assert name in helped
    assert "admins" in (await chat.say("/help watch")).plain
    assert not (await chat.say("/help nosuch")).ok


async def test_watch_links_demonyms_and_capitals_to_the_country(chat: FakeChat) -> None:
    reply = await chat.say("/watch Chinese")
    assert reply.ok and "Watching China" in reply.plain
    assert "already watch China" in (await chat.say("/watch Beijing")).plain
    assert "China — entity" in (await chat.say("/watching")).plain


async def test_watch_unknown_name_becomes_a_phrase_with_suggestions(chat: FakeChat) -> None:
    reply = await chat.say("/watch Chinaa")
    assert "phrase" in reply.plain and "Did you mean: China" in reply.plain
    assert "Chinaa — phrase" in (await chat.say("/watching")).plain


async def test_unwatch_by_name_or_alias(chat: FakeChat) -> None:
    await chat.say("/watch china")
    assert "Stopped watching China" in (await chat.say("/unwatch PRC")).plain
    reply = await chat.say("/unwatch china")
    assert not reply.ok and "does not watch" in reply.plain
    assert "watches nothing" in (await chat.say("/watching")).plain


async def test_watch_updates_the_match_index_at_once(chat: FakeChat, services: Services) -> None:
    await chat.say("/watch russia")
    assert [s.target.key for s in services.pipeline.index.for_entities(["gpe:russia"])] == [
        "gpe:russia"
    ]
    await chat.say("/unwatch russia")
    assert services.pipeline.index.for_entities(["gpe:russia"]) == []


async def test_group_members_who_are_not_admins_cannot_change_watches(chat: FakeChat) -> None:
    refused = await chat.say("/watch china", chat_type="group", is_admin=False)
    assert not refused.ok and "Only admins" in refused.plain
    assert (await chat.say("/watch china", chat_type="group", is_admin=True)).ok
    # reading is open to everyone
    assert (await chat.say("/watching", chat_type="group", is_admin=False)).ok
    assert (await chat.say("/claims china", chat_type="group", is_admin=False)).ok


async def test_bad_input_gets_a_clear_message(chat: FakeChat) -> None:
    assert "Empty" in (await chat.say("   ")).plain
    long = await chat.say("/watch " + "x" * 300)
    assert not long.ok and "too long" in long.plain
    ctrl = await chat.say("/watch chi\x07na")
    assert not ctrl.ok and "control characters" in ctrl.plain
    assert "Unknown command /frobnicate" in (await chat.say("/frobnicate")).plain
    assert "Commands look like /watch china" in (await chat.say("watch china")).plain
    assert not (await chat.say("/watch")).ok
    assert not (await chat.say("/claims")).ok
    assert not (await chat.say("/claims china 999")).ok
    assert not (await chat.say("/event")).ok


async def test_commands_addressed_with_bot_name_work(chat: FakeChat) -> None:
    assert (await chat.say("/watching@ClaimWatchBot")).ok


async def test_claims_and_event_on_an_empty_store(chat: FakeChat) -> None:
    assert "No claims about China yet" in (await chat.say("/claims china")).plain
    assert "No event" in (await chat.say("/event ev404")).plain
    assert "No event" in (await chat.say("/sources ev404")).plain


async def test_mute_and_unmute(chat: FakeChat, services: Services) -> None:
    reply = await chat.say("/mute 2h")
    assert reply.ok and "Muted until" in reply.plain
    until = await services.store.chat_muted_until(chat.ref)
    assert until is not None
    assert timedelta(minutes=110) < until - datetime.now(UTC) <= timedelta(hours=2)
    assert "on again" in (await chat.say("/mute off")).plain
    assert await services.store.chat_muted_until(chat.ref) is None
    assert not (await chat.say("/mute forever")).ok
    assert not (await chat.say("/mute 90d")).ok


async def test_per_user_rate_limit(chat: FakeChat) -> None:
    replies = [await chat.say("/watching") for _ in range(25)]
    assert all(r.ok for r in replies[:20])
    assert "Too many commands" in replies[-1].plain
    # another user is not held up
    assert (await chat.say("/watching", user="u2")).ok


async def test_help_shows_commands_as_typed_on_the_platform(services: Services) -> None:
    from bot.models import Command

    slack = Command("slack", "C1", "U1", "/help", chat_type="group", prefix="/claimwatch ")
    helped = (await services.router(slack)).plain
    assert "/claimwatch watch NAME" in helped and "\n/watch" not in helped
    started = (
        await services.router(Command("slack", "C1", "U1", "/start", prefix="/claimwatch "))
    ).plain
    assert "/claimwatch watch china" in started
