"""Where the bot lives on Telegram: forum topics, being added, removed or
blocked (``my_chat_member``), start links and the command menus per scope —
the real python-telegram-bot client against the fake Bot API server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from bot.adapters.telegram import TelegramAdapter, is_group_chat
from bot.errors import PermanentError
from bot.models import Button, ChatRef, Reply, Span
from bot.ratelimit import PlatformLimits, RateLimiter
from bot.runtime import Services
from bot.start_links import decode_payload, encode_payload
from handlers.router import default_registry
from tests.adapters.test_telegram import (
    ADMIN,
    EXAMPLES,
    GROUP,
    MEMBER,
    MENU,
    Chats,
    ingest_in_another_process,
    make_alert,
    make_settings,
)
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage

TOPIC = 7
PRIVATE = 1001

Presence = tuple[ChatRef, bool, str]


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as fake:
        yield fake


@pytest.fixture
def chats() -> Chats:
    return Chats()


@pytest.fixture
def presence() -> list[Presence]:
    return []


@pytest_asyncio.fixture
async def adapter(
    server: FakeTelegramServer, chats: Chats, presence: list[Presence]
) -> AsyncIterator[TelegramAdapter]:
    async def on_presence(chat: ChatRef, present: bool, why: str) -> None:
        presence.append((chat, present, why))

    tg = TelegramAdapter(make_settings(server), poll_timeout=1)
    tg.on_presence = on_presence
    await tg.start(chats, MENU)
    try:
        yield tg
    finally:
        await tg.stop()


# --------------------------------------------------------------------------- forum topics


async def test_a_command_in_a_forum_topic_is_answered_in_that_topic(
    server: FakeTelegramServer, chats: Chats, adapter: TelegramAdapter
) -> None:
    server.set_admins(GROUP, ADMIN)
    asked = server.push_message(
        GROUP, "/watch china", chat_type="supergroup", user_id=ADMIN, topic=TOPIC
    )
    command = await chats.next()
    assert command.chat == ChatRef("telegram", f"{GROUP}/{TOPIC}")
    assert command.chat.whole == ChatRef("telegram", str(GROUP)) and command.is_admin
    [reply] = await server.wait_for_messages(1)
    assert (reply.chat_id, reply.thread_id) == (GROUP, TOPIC)
    assert reply.reply_to_message_id == asked["message_id"]

    # General, the forum's default topic, is the group itself.
    server.push_message(GROUP, "/watching", chat_type="supergroup", user_id=MEMBER)
    assert (await chats.next()).chat == ChatRef("telegram", str(GROUP))
    await server.wait_for_messages(2)
    assert server.sent[1].thread_id is None


async def test_alerts_to_a_topic_go_there_and_a_deleted_topic_pauses_only_it(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.topics[GROUP] = {TOPIC}
    alert = make_alert(GROUP, ((Span("Sorna spill: a new event"),),))
    in_topic = ChatRef("telegram", f"{GROUP}/{TOPIC}")
    first = await adapter.send_alert(replace(alert, chat=in_topic), None)
    [sent] = server.sent
    assert (sent.thread_id, str(sent.message_id)) == (TOPIC, first)
    # A follow-up is a reply to the first alert, in the same topic.
    await adapter.send_alert(replace(alert, chat=in_topic), first)
    assert (server.sent[1].thread_id, server.sent[1].reply_to_message_id) == (
        TOPIC,
        sent.message_id,
    )

    # A digest (a reply the dispatcher sends) goes there too.
    await adapter.send_reply(in_topic, Reply.text("Digest: 2 alerts"))
    assert (server.sent[2].plain, server.sent[2].thread_id) == ("Digest: 2 alerts", TOPIC)

    server.delete_topic(GROUP, TOPIC)
    with pytest.raises(PermanentError, match=r"(?i)message thread not found") as failed:
        await adapter.send_reply(in_topic, Reply.text("still there?"))
    assert failed.value.pause_chat
    # The rest of the group still gets its messages.
    await adapter.send_reply(ChatRef("telegram", str(GROUP)), Reply.text("General"))
    assert server.sent[-1].plain == "General" and server.sent[-1].thread_id is None


async def test_a_button_pressed_in_a_topic_is_answered_in_that_topic(
    server: FakeTelegramServer, chats: Chats, adapter: TelegramAdapter
) -> None:
    server.topics[GROUP] = {TOPIC}
    server.set_admins(GROUP, ADMIN)
    in_topic = ChatRef("telegram", f"{GROUP}/{TOPIC}")
    alert = make_alert(GROUP, ((Span("An alert"),),), (Button("Sources", "sources", "ev-1"),))
    message_id = await adapter.send_alert(replace(alert, chat=in_topic), None)
    assert message_id is not None
    server.push_callback(GROUP, int(message_id), "sources:ev-1", user_id=ADMIN)
    command = await chats.next()
    assert command.chat == in_topic and command.text == "/sources ev-1"
    await server.wait_for_messages(2)
    assert server.sent[1].thread_id == TOPIC


def test_the_topics_of_a_group_share_its_rate_budget() -> None:
    limits = PlatformLimits(100.0, 1.0, 2, 60.0, is_group_chat)
    limiter = RateLimiter({"telegram": limits}, limits, clock=lambda: 0.0)
    general = ChatRef("telegram", str(GROUP))
    slots = [limiter.reserve(general.with_part(str(TOPIC))), limiter.reserve(general)]
    slots.append(limiter.reserve(general.with_part("8")))
    assert slots == [0.0, 1.0, 60.0]  # one a second, and 2 a minute, over all its topics
    limiter.pause(RateLimiter.chat_scope(general.with_part(str(TOPIC))), 30.0)
    assert limiter.paused_until(general) == 30.0  # a 429 in a topic holds the group


# --------------------------------------------------------------------------- membership


async def test_added_to_a_group_the_bot_greets_it_and_resumes_its_watches(
    server: FakeTelegramServer,
    chats: Chats,
    adapter: TelegramAdapter,
    presence: list[Presence],
    services: Services,
) -> None:
    chats.handler = services.router
    server.push_membership(GROUP, "left", "member", user_id=ADMIN)
    [welcome] = await server.wait_for_messages(1)
    assert welcome.chat_id == GROUP and welcome.reply_to_message_id is None
    assert "/watch china" in welcome.plain and "/help" in welcome.plain
    assert presence == [(ChatRef("telegram", str(GROUP)), True, "added to the chat")]
    command = await chats.next()
    assert command.text == "/start" and command.user_id == str(ADMIN)

    # Made an admin: still there, nothing to say.
    server.push_membership(GROUP, "member", "administrator", user_id=ADMIN)
    # Removed: the watches pause; nothing is posted (the bot could not).
    server.push_membership(GROUP, "administrator", "kicked", user_id=ADMIN)
    await server.wait_for(lambda: len(presence) == 2)
    assert presence[1] == (ChatRef("telegram", str(GROUP)), False, "kicked from the chat")
    assert len(server.sent) == 1


async def test_blocked_and_unblocked_in_a_private_chat(
    server: FakeTelegramServer, adapter: TelegramAdapter, presence: list[Presence]
) -> None:
    me = ChatRef("telegram", str(PRIVATE))
    server.push_membership(PRIVATE, "member", "kicked", chat_type="private", user_id=PRIVATE)
    await server.wait_for(lambda: len(presence) == 1)
    server.push_membership(PRIVATE, "kicked", "member", chat_type="private", user_id=PRIVATE)
    await server.wait_for(lambda: len(presence) == 2)
    assert presence == [
        (me, False, "blocked by the user"),
        (me, True, "unblocked by the user"),
    ]
    assert server.sent == []  # the user's own /start is greeted, not the unblocking


# --------------------------------------------------------------------------- start links


def test_start_link_payloads_carry_any_command_within_telegram_limits() -> None:
    cases = [
        ("watch", "china", "watch_china"),
        ("watch", "North Korea", "watch_North_Korea"),
        ("claims", "china 5", "claims_china_5"),
        ("watch", "São Tomé", None),
        ("watch", '"north korea" +russia', None),
        ("watch", "al-Shabaab", None),
    ]
    for name, args, plain in cases:
        payload = encode_payload(name, args)
        assert payload is not None and len(payload) <= 64
        assert all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in payload)
        if plain is not None:
            assert payload == plain
        assert decode_payload(payload) == (name, args)
    assert encode_payload("watch", "x" * 60) is None  # too long for a link: none
    for bad in ("", "Watch_china", "watch__china", "-", "-!!", "-AAAA", "x" * 65, "hi there"):
        assert decode_payload(bad) is None, bad


async def test_a_start_link_runs_the_command_it_carries(
    server: FakeTelegramServer, chats: Chats, adapter: TelegramAdapter
) -> None:
    server.push_message(PRIVATE, "/start watch_North_Korea")
    assert (await chats.next()).text == "/watch North Korea"
    server.push_message(PRIVATE, f"/start {encode_payload('watch', 'São Tomé')}")
    assert (await chats.next()).text == "/watch São Tomé"
    # ?startgroup= in a group: Telegram addresses /start to the bot.
    server.set_admins(GROUP, ADMIN)
    server.push_message(
        GROUP, "/start@ClaimWatchBot watch_china", chat_type="supergroup", user_id=ADMIN
    )
    command = await chats.next()
    assert (command.text, command.chat_type, command.is_admin) == ("/watch china", "group", True)
    # A command no link may run, or no command at all, is left to /start.
    server.push_message(PRIVATE, "/start mute_24h")
    assert (await chats.next()).text == "/start mute_24h"
    server.push_message(PRIVATE, "/start -AAAA")
    assert (await chats.next()).text == "/start -AAAA"


async def test_an_unreadable_start_link_gets_a_clear_answer_and_the_welcome(
    server: FakeTelegramServer, chats: Chats, adapter: TelegramAdapter, services: Services
) -> None:
    chats.handler = services.router
    server.push_message(PRIVATE, "/start mute_24h")
    [reply] = await server.wait_for_messages(1)
    assert "not a command ClaimWatch can start from a link" in reply.plain
    assert "mute_24h" in reply.plain and "/watch china" in reply.plain


# --------------------------------------------------------------------------- menus


async def test_command_menus_per_scope_come_from_the_registry(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    registry = default_registry()
    shown = [s for s in registry if s.in_menu]
    everyone = [s.name for s in shown if not s.changes_state]
    every = [s.name for s in shown]
    menus = {scope: [c["command"] for c in commands] for scope, commands in server.menus.items()}
    assert menus == {
        "default": every,
        "all_private_chats": every,
        "all_group_chats": everyone,
        "all_chat_administrators": every,
    }
    # A group member's menu has no command that would refuse them.
    assert not {"watch", "unwatch", "mute", "digest", "quiet", "timezone"} & set(everyone)
    assert {"claims", "watching", "help", "status"} <= set(everyone)
    descriptions = {c["command"]: c["description"] for c in server.menus["all_group_chats"]}
    assert descriptions["claims"] == "The latest claims about it, with sources"


# --------------------------------------------------------------------------- end to end


async def test_end_to_end_a_topic_watch_pauses_when_the_bot_is_removed_and_resumes(
    server: FakeTelegramServer, tmp_path: Path
) -> None:
    from bot.runtime import serve

    database_url = f"sqlite:///{tmp_path / 'claimwatch.db'}"
    settings = make_settings(server, database_url=database_url, delivery_poll_seconds=0.2)
    tg = TelegramAdapter(settings, poll_timeout=1)
    services = await Services.open(settings, [tg])
    stop = asyncio.Event()
    running = asyncio.create_task(serve(services, stop, handle_signals=False))
    topic = ChatRef("telegram", f"{GROUP}/{TOPIC}")
    try:
        await server.wait_for(lambda: bool(server.called("getUpdates")), within=30)
        # Added to a forum group: a welcome in General.
        server.set_admins(GROUP, ADMIN)
        server.push_membership(GROUP, "left", "member", user_id=ADMIN)
        [welcome] = await server.wait_for_messages(1, within=30)
        assert welcome.thread_id is None and "/watch china" in welcome.plain

        # A watch made in a topic belongs to it.
        server.push_message(
            GROUP, "/watch bulgaria", chat_type="supergroup", user_id=ADMIN, topic=TOPIC
        )
        server.push_message(GROUP, "/watching", chat_type="supergroup", user_id=MEMBER, topic=TOPIC)
        server.push_message(GROUP, "/watching", chat_type="supergroup", user_id=MEMBER)
        await server.wait_for_messages(4, within=30)
        made, listed, general = server.sent[1:4]
        assert made.thread_id == TOPIC and "Bulgaria" in made.plain
        assert listed.thread_id == TOPIC and "Bulgaria — entity" in listed.plain
        assert (
            "watch in a private chat",
            "https://t.me/ClaimWatchBot?start=watch_Bulgaria",
        ) in listed.links
        assert ("add to a group", "https://t.me/ClaimWatchBot?startgroup=watch_Bulgaria") in (
            listed.links
        )
        assert general.thread_id is None and "watches nothing" in general.plain

        # Its alert goes to the topic.
        await ingest_in_another_process(database_url, EXAMPLES / "01_harbourwire_sorna_spill.txt")
        await server.wait_for(lambda: bool(alerts_in(server, GROUP)), within=60)
        [first] = alerts_in(server, GROUP)
        assert first.thread_id == TOPIC

        # Removed from the group: the topic's watch pauses, no alert is queued.
        server.push_membership(GROUP, "member", "left", user_id=ADMIN)
        await wait_until(lambda: _all_paused(services, topic, True))
        await ingest_in_another_process(
            database_url, EXAMPLES / "03_balkanbroadcast_sorna_day2.txt"
        )
        await wait_until(lambda: _no_pending(services))
        assert await services.store.open_alert_count(topic) == 0
        sent_before = len(server.sent)

        # Added back: welcomed again, the watch resumes, alerts reach the topic again.
        server.push_membership(GROUP, "left", "member", user_id=ADMIN)
        await wait_until(lambda: _all_paused(services, topic, False))
        await server.wait_for(lambda: len(server.sent) > sent_before, within=30)
        assert "/watch china" in server.sent[sent_before].plain
        subs = await services.store.chat_subscriptions(topic)
        assert [s.target.name for s in subs] == ["Bulgaria"]  # nothing lost
        await ingest_in_another_process(database_url, EXAMPLES / "05_theledger_sorna_day3.txt")
        await server.wait_for(lambda: len(alerts_in(server, GROUP)) >= 2, within=60)
        later = alerts_in(server, GROUP)[1]
        assert later.thread_id == TOPIC and "Bulgaria" in later.plain
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        await services.close()


def alerts_in(server: FakeTelegramServer, chat_id: int) -> list[SentMessage]:
    """The alerts among what the bot sent to a chat (they have a Sources button)."""
    return [m for m in server.messages_to(chat_id) if "Sources" in dict(m.buttons)]


async def _all_paused(services: Services, chat: ChatRef, paused: bool) -> bool:
    subs = await services.store.chat_subscriptions(chat)
    return bool(subs) and all(s.paused == paused for s in subs)


async def _no_pending(services: Services) -> bool:
    return not await services.store.pending_stories(10)


async def wait_until(check: Callable[[], Awaitable[bool]], within: float = 60.0) -> None:
    """Poll an async ``check()`` until it is true (at most ``within`` seconds)."""
    for _ in range(int(within * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"still not true after {within} s")
