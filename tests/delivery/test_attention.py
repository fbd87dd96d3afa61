"""Alerts that respect attention, as a user sees them in Telegram and Slack.

The first alert of an event is its living summary; a major development is a
notified reply in its thread; lesser news edits the summary in place, or, where
it cannot be edited, is a silent reply. The watch's level decides what is
major. Real python-telegram-bot and slack-sdk clients talk to the fake servers;
the dispatcher and the outbox are the real ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

import pytest
import pytest_asyncio

from bot.adapters.base import Adapter
from bot.adapters.slack import SlackAdapter
from bot.adapters.telegram import TelegramAdapter
from bot.config import Settings, load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.models import (
    Alert,
    AlertClaim,
    Button,
    ChatRef,
    Command,
    Link,
    Reply,
    Stance,
    WatchLevel,
)
from storage.base import Store
from tests.delivery.conftest import Clock
from tests.fakes.chat import FakeAdapter
from tests.fakes.slack_server import FakeSlack
from tests.fakes.telegram_server import FakeTelegramServer

A = TypeVar("A", bound=Adapter)
PRIVATE = 1001
CHANNEL = "C0ATTN"


def story(
    chat: ChatRef,
    n: int,
    *,
    speaker: str = "Volodymyr Zelensky",
    text: str | None = None,
    tag: str = "NEW",
    major: bool = False,
    level: WatchLevel = WatchLevel.MAJOR,
) -> Alert:
    """The alert a chat gets for the ``n``-th story of one event (the first: a new event)."""
    first = n == 1
    return Alert(
        chat=chat,
        watch="China",
        watch_key="gpe:china",
        event_id="ev-1",
        event_title="Chinese citizens fighting for Russia",
        story_title=f"Story {n}",
        claims=(
            AlertClaim(
                f"c{n}",
                speaker,
                text or f"claim number {n} about the fighting",
                tag,
                Stance.DENY if tag == "DENIAL" else Stance.ASSERT,
            ),
        ),
        links=(Link(f"Outlet {n}", f"https://outlet{n}.example/story"),),
        outlets=n,
        new_event=first,
        key=f"k{n}",
        buttons=(Button("Sources", "sources", "ev-1"),),
        level=level,
        major=first or major,
    )


def repeat(chat: ChatRef, n: int, *, level: WatchLevel = WatchLevel.MAJOR) -> Alert:
    """The outlet update a chat gets for the ``n``-th outlet repeating known claims."""
    return replace(
        story(chat, n, level=level),
        claims=(),
        key=f"outlet-{n}",
        major=False,
        new_event=False,
        outlets_only=True,
    )


async def deliver(store: Store, dispatcher: Dispatcher, clock: Clock, *alerts: Alert) -> None:
    """Queue the alerts one story at a time and deliver each, as stories come in."""
    for one in alerts:
        await store.enqueue_alerts([one], clock())
        await dispatcher.drain()
        clock.advance(5)


def dispatcher_for(store: Store, adapter: Adapter, settings: Settings, clock: Clock) -> Dispatcher:
    return Dispatcher(store, {adapter.platform: adapter}, settings, clock=clock, sleep=clock.sleep)


@asynccontextmanager
async def running(adapter: A) -> AsyncIterator[A]:
    """The adapter started (it only sends here: a command would be a bug) and stopped."""

    async def no_commands(cmd: Command) -> Reply:
        raise AssertionError(f"no commands in these tests: {cmd.text}")

    await adapter.start(no_commands)
    try:
        yield adapter
    finally:
        await adapter.stop()


# --------------------------------------------------------------------------- Telegram


@pytest_asyncio.fixture
async def telegram(
    store: Store, clock: Clock
) -> AsyncIterator[tuple[FakeTelegramServer, Dispatcher]]:
    async with FakeTelegramServer() as server:
        settings = load_settings(
            _env_file=None,
            telegram_bot_token=server.token,
            telegram_api_url=server.api_url,
            per_chat_per_second=100.0,
            global_per_second=100.0,
        )
        adapter = TelegramAdapter(settings, poll_timeout=1)
        async with running(adapter):
            yield server, dispatcher_for(store, adapter, settings, clock)


TgRig = tuple[FakeTelegramServer, Dispatcher]
TG = ChatRef("telegram", str(PRIVATE))


async def test_telegram_default_level_edits_lesser_news_and_replies_to_a_denial(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    await deliver(store, dispatcher, clock, story(TG, 1))
    [first] = server.messages_to(PRIVATE)
    assert first.notified and first.reply_to_message_id is None
    assert "New event · China" in first.plain

    # a further fresh claim from a side already heard: the first alert changes, no message
    await deliver(store, dispatcher, clock, story(TG, 2, text="more volunteers were recruited"))
    assert len(server.messages_to(PRIVATE)) == 1
    assert first.edits == 1
    assert "more volunteers were recruited" in first.plain  # the latest development
    assert "claim number 1 about the fighting" in first.plain  # and what it said first
    assert "2 outlets" in first.plain
    assert ("Outlet 2", "https://outlet2.example/story") in first.links
    assert dict(first.buttons)["Sources"] == "sources:ev-1"  # the buttons stay

    # a denial: a reply in the thread, with notification
    denial = story(
        TG, 3, speaker="Lin Jian", text="the claims are baseless", tag="DENIAL", major=True
    )
    await deliver(store, dispatcher, clock, denial)
    first_msg, reply = server.messages_to(PRIVATE)
    assert reply.notified and reply.reply_to_message_id == first_msg.message_id
    assert "the claims are baseless" in reply.plain
    # the summary caught up too: every development is in it
    assert "the claims are baseless" in first_msg.plain and "3 outlets" in first_msg.plain
    assert sum(m.notified for m in server.messages_to(PRIVATE)) == 2


async def test_telegram_updated_figure_and_new_side_notify(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    update = story(TG, 2, text="at least 300 citizens are fighting", tag="UPDATE", major=True)
    side = story(TG, 3, speaker="Kremlin", text="no foreigners serve in the army", major=True)
    await deliver(store, dispatcher, clock, story(TG, 1), update, side)
    first, *replies = server.messages_to(PRIVATE)
    assert [(r.notified, r.reply_to_message_id) for r in replies] == [
        (True, first.message_id),
        (True, first.message_id),
    ]
    assert "[UPDATE]" in replies[0].plain and "Kremlin" in replies[1].plain


async def test_telegram_events_level_notifies_only_the_new_event(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    level = WatchLevel.EVENTS
    await deliver(
        store,
        dispatcher,
        clock,
        story(TG, 1, level=level),
        story(TG, 2, tag="DENIAL", text="it never happened", major=True, level=level),
        story(TG, 3, text="talks are planned", level=level),
    )
    [first] = server.messages_to(PRIVATE)
    assert first.notified and first.edits == 2
    assert "it never happened" in first.plain and "talks are planned" in first.plain


async def test_telegram_all_level_notifies_every_fresh_claim(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    level = WatchLevel.ALL
    await deliver(store, dispatcher, clock, *(story(TG, n, level=level) for n in (1, 2, 3)))
    sent = server.messages_to(PRIVATE)
    assert len(sent) == 3 and all(m.notified for m in sent)
    assert [m.reply_to_message_id for m in sent[1:]] == [sent[0].message_id] * 2


@pytest.mark.parametrize("how", ["deleted", "too old"])
async def test_telegram_an_edit_that_cannot_be_made_becomes_a_silent_reply(
    store: Store, clock: Clock, telegram: TgRig, how: str
) -> None:
    server, dispatcher = telegram
    await deliver(store, dispatcher, clock, story(TG, 1))
    [first] = server.messages_to(PRIVATE)
    if how == "deleted":
        server.delete_message(PRIVATE, first.message_id)
    else:
        first.editable = False
    await deliver(store, dispatcher, clock, story(TG, 2), story(TG, 3))
    _, quiet2, quiet3 = server.messages_to(PRIVATE)
    for quiet, n in ((quiet2, 2), (quiet3, 3)):
        assert not quiet.notified and quiet.reply_to_message_id == first.message_id
        assert f"claim number {n}" in quiet.plain
    assert first.edits == 0
    assert len(server.called("editMessageText")) == 1  # after a refusal, no more tries


async def test_telegram_a_rate_limited_edit_waits_and_a_repeated_edit_is_harmless(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    await deliver(store, dispatcher, clock, story(TG, 1))
    server.flood("editMessageText", retry_after=30)
    await deliver(store, dispatcher, clock, story(TG, 2))
    [first] = server.messages_to(PRIVATE)
    assert first.edits == 0 and (await store.outbox_counts())["retry"] == 1
    clock.advance(30)
    await dispatcher.drain()
    assert first.edits == 1 and len(server.messages_to(PRIVATE)) == 1

    # a crash after the edit, before the row was marked sent: the next worker
    # makes the same edit again, which changes nothing the user sees
    adapter = dispatcher.adapters["telegram"]
    await store.enqueue_alerts([story(TG, 3)], clock())
    [leased] = await store.claim_due_alerts(clock(), 10, lease_seconds=60)
    summary = await dispatcher._summary(leased)
    assert await adapter.edit_alert(summary, first_id := str(first.message_id))
    assert first.edits == 2
    clock.advance(61)  # the dead worker's lease runs out
    await dispatcher.drain()
    assert first.edits == 2 and len(server.messages_to(PRIVATE)) == 1
    assert (await store.outbox_counts())["sent"] == 3
    assert first_id == str(server.messages_to(PRIVATE)[0].message_id)


@pytest.mark.parametrize("level", [WatchLevel.MAJOR, WatchLevel.EVENTS, WatchLevel.ALL])
async def test_telegram_a_new_outlet_repeating_known_claims_edits_the_first_alert(
    store: Store, clock: Clock, telegram: TgRig, level: WatchLevel
) -> None:
    server, dispatcher = telegram
    await deliver(store, dispatcher, clock, story(TG, 1, level=level))
    [first] = server.messages_to(PRIVATE)
    await deliver(store, dispatcher, clock, repeat(TG, 2, level=level))
    assert first.edits == 0  # within a minute of the first alert: the edit waits
    clock.advance(60)
    await dispatcher.drain()
    assert len(server.messages_to(PRIVATE)) == 1 and first.edits == 1
    assert "2 outlets" in first.plain
    assert ("Outlet 2", "https://outlet2.example/story") in first.links
    assert "claim number 1 about the fighting" in first.plain  # the claims stay

    clock.advance(60)
    await deliver(store, dispatcher, clock, repeat(TG, 3, level=level))
    [only] = server.messages_to(PRIVATE)
    assert only.edits == 2 and "3 outlets" in only.plain
    assert ("Outlet 3", "https://outlet3.example/story") in only.links
    assert only.notified and len(server.called("sendMessage")) == 1


async def test_telegram_a_wire_story_in_many_outlets_is_a_few_edits(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    await deliver(store, dispatcher, clock, story(TG, 1))
    # 29 outlets pick the story up within two and a half minutes (one each 5 s)
    await deliver(store, dispatcher, clock, *(repeat(TG, n) for n in range(2, 31)))
    clock.advance(60)
    await dispatcher.drain()
    [first] = server.messages_to(PRIVATE)
    assert 1 <= first.edits <= 3
    assert "30 outlets" in first.plain
    assert ("Outlet 30", "https://outlet30.example/story") in first.links
    assert len(server.called("sendMessage")) == 1


async def test_telegram_a_repeat_whose_first_alert_cannot_be_edited_sends_nothing(
    store: Store, clock: Clock, telegram: TgRig
) -> None:
    server, dispatcher = telegram
    await deliver(store, dispatcher, clock, story(TG, 1))
    [first] = server.messages_to(PRIVATE)
    first.editable = False
    clock.advance(60)
    await deliver(store, dispatcher, clock, repeat(TG, 2))
    clock.advance(60)
    await deliver(store, dispatcher, clock, repeat(TG, 3))
    assert server.messages_to(PRIVATE) == [first] and first.edits == 0
    assert len(server.called("editMessageText")) == 1  # after a refusal, no more tries
    # fresh news after that still reaches the chat, as a silent reply
    await deliver(store, dispatcher, clock, story(TG, 4))
    _, quiet = server.messages_to(PRIVATE)
    assert not quiet.notified and "claim number 4" in quiet.plain


# --------------------------------------------------------------------------- Slack


@pytest_asyncio.fixture
async def slack(store: Store, clock: Clock) -> AsyncIterator[tuple[FakeSlack, Dispatcher]]:
    fake = FakeSlack()
    await fake.start()
    settings = load_settings(
        _env_file=None,
        slack_bot_token=fake.bot_token,
        slack_signing_secret="attention-test-secret",
        slack_api_url=fake.api_url,
        http_host="127.0.0.1",
        http_port=0,
        per_chat_per_second=100.0,
        global_per_second=100.0,
    )
    try:
        async with running(SlackAdapter(settings)) as adapter:
            yield fake, dispatcher_for(store, adapter, settings, clock)
    finally:
        await fake.stop()


SLACK = ChatRef("slack", CHANNEL)


async def test_slack_summary_updates_in_place_and_major_news_is_broadcast_from_the_thread(
    store: Store, clock: Clock, slack: tuple[FakeSlack, Dispatcher]
) -> None:
    fake, dispatcher = slack
    await deliver(store, dispatcher, clock, story(SLACK, 1), story(SLACK, 2))
    [first] = fake.messages
    assert first.thread_ts is None
    [update] = fake.updates
    assert update.ts == first.ts
    blocks = str(update.blocks)
    assert "claim number 2" in blocks and "2 outlets" in blocks

    denial = story(SLACK, 3, speaker="Lin Jian", text="it is groundless", tag="DENIAL", major=True)
    await deliver(store, dispatcher, clock, denial)
    _, reply = fake.messages
    assert reply.thread_ts == first.ts and reply.reply_broadcast
    assert "it is groundless" in str(fake.updates[-1].blocks)  # the summary caught up

    fake.fail("chat.update", "edit_window_closed")
    await deliver(store, dispatcher, clock, story(SLACK, 4))
    quiet = fake.messages[-1]
    assert len(fake.messages) == 3
    assert quiet.thread_ts == first.ts and not quiet.reply_broadcast
    assert "claim number 4" in str(quiet.blocks)


async def test_slack_a_new_outlet_updates_the_first_alert_or_sends_nothing(
    store: Store, clock: Clock, slack: tuple[FakeSlack, Dispatcher]
) -> None:
    fake, dispatcher = slack
    await deliver(store, dispatcher, clock, story(SLACK, 1), repeat(SLACK, 2), repeat(SLACK, 3))
    clock.advance(60)
    await dispatcher.drain()
    [first] = fake.messages
    [update] = fake.updates  # the two outlets folded into one edit
    assert update.ts == first.ts
    blocks = str(update.blocks)
    assert "3 outlets" in blocks and "https://outlet3.example/story" in blocks

    fake.fail("chat.update", "message_not_found")
    clock.advance(60)
    await deliver(store, dispatcher, clock, repeat(SLACK, 4))
    assert len(fake.messages) == 1 and len(fake.updates) == 1


# --------------------------------------------------------------------------- any platform


async def test_a_repeat_never_makes_a_message_or_a_digest_item(store: Store, clock: Clock) -> None:
    platform = FakeAdapter(platform="telegram", editable=False)
    settings = load_settings(_env_file=None)
    dispatcher = dispatcher_for(store, platform, settings, clock)
    # no first alert of the event in the chat: nothing to update, nothing queued
    assert await store.enqueue_alerts([repeat(TG, 2)], clock()) == []
    await deliver(store, dispatcher, clock, story(TG, 1))
    # a platform without edits: a new outlet alone sends nothing
    await deliver(store, dispatcher, clock, repeat(TG, 2))
    assert len(platform.sent) == 1
    # the chat's digest holds fresh claims only, never the outlet update waiting with them
    await store.enqueue_alerts([story(TG, 3), repeat(TG, 4), story(TG, 5)], clock())
    for item in await store.open_alerts(TG, 10):
        await store.defer_alert(item.id, clock(), "held: digest", "digest")
    await dispatcher.drain()
    digest = platform.sent[1]
    assert digest.is_digest and "claim number 3" in digest.text and "claim number 5" in digest.text
    assert "Outlet 4" not in digest.text and len(platform.sent) == 2
    assert (await store.outbox_counts())["sent"] == 5


async def test_a_platform_that_cannot_edit_gets_silent_replies(store: Store, clock: Clock) -> None:
    platform = FakeAdapter(platform="telegram", editable=False)
    settings = load_settings(_env_file=None)
    dispatcher = dispatcher_for(store, platform, settings, clock)
    await deliver(store, dispatcher, clock, story(TG, 1), story(TG, 2))
    first, second = platform.sent
    assert not first.silent and second.silent and second.reply_to == first.message_id


async def test_a_digest_is_never_edited_into_a_summary(store: Store, clock: Clock) -> None:
    platform = FakeAdapter(platform="telegram")
    settings = load_settings(_env_file=None)
    dispatcher = dispatcher_for(store, platform, settings, clock)
    await store.enqueue_alerts([story(TG, 1), story(TG, 0)], clock())
    [head] = await store.claim_due_alerts(clock(), 10, 60)  # held for the chat's digest
    await store.defer_alert(head.id, clock(), "held: digest", "digest")
    await dispatcher.drain()
    [digest] = platform.sent
    assert digest.is_digest
    clock.advance(timedelta(minutes=5).total_seconds())
    await deliver(store, dispatcher, clock, story(TG, 2))
    assert platform.edits == []
    assert platform.sent[-1].silent and platform.sent[-1].reply_to == digest.message_id
