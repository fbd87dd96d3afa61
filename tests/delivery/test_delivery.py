"""Delivery as a chat sees it, on a fake platform and a virtual clock: order,
pacing, 429s and network errors, worker death, restarts, the flood guard,
digests and quiet hours, and the commands that set them."""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.analysis.aliases import default_gazetteer
from bot.config import Settings, load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.errors import PermanentError, TransientError
from bot.models import Alert, ChatRef, WatchTarget
from handlers.base import Context
from handlers.router import Router
from storage.sqlite import SqliteStore
from tests.delivery.conftest import Clock, alert
from tests.fakes.chat import FakeAdapter, FakeChat

ALICE = ChatRef("fake", "alice")
BOB = ChatRef("fake", "bob")


def make_settings(tmp_path: Path, **extra: Any) -> Settings:
    return load_settings(
        database_url=f"sqlite:///{tmp_path / 'delivery.db'}",
        _env_file=None,
        delivery_max_attempts=3,
        delivery_poll_seconds=0.05,
        **extra,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def platform(clock: Clock) -> FakeAdapter:
    return FakeAdapter(clock=clock.mono)


async def open_db(settings: Settings) -> SqliteStore:
    store = await SqliteStore.open(settings.database_url.removeprefix("sqlite:///"))
    await store.upgrade()
    return store


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[SqliteStore]:
    store = await open_db(settings)
    yield store
    await store.close()


def dispatcher(
    store: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> Dispatcher:
    return Dispatcher(store, {"fake": platform}, settings, clock=clock, sleep=clock.sleep)


def keys(sent: list[Any]) -> list[str]:
    return [s.alert.key for s in sent if s.alert is not None]


async def queue(store: SqliteStore, clock: Clock, *alerts: Alert) -> None:
    await store.enqueue_alerts(alerts, clock())


# --------------------------------------------------------------------------- order and pace


async def test_each_chat_gets_its_alerts_in_order_one_a_second(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(
        db,
        clock,
        alert(ALICE, "a1"),
        alert(BOB, "b1"),
        alert(ALICE, "a2"),
        alert(BOB, "b2"),
        alert(ALICE, "a3"),
    )
    assert await dispatcher(db, platform, settings, clock).drain() == 5
    alice = platform.alerts_for("alice")
    assert keys(alice) == ["a1", "a2", "a3"]
    assert keys(platform.alerts_for("bob")) == ["b1", "b2"]
    gaps = [b.at - a.at for a, b in itertools.pairwise(alice)]
    assert all(gap >= 0.999 for gap in gaps), gaps
    assert (await db.outbox_counts())["sent"] == 5


async def test_the_bot_never_exceeds_its_global_rate(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(db, clock, *(alert(ChatRef("fake", f"c{n}"), f"k{n}") for n in range(90)))
    await dispatcher(db, platform, settings, clock).drain()
    stamps = sorted(s.at for s in platform.sent)
    assert len(stamps) == 90
    most = math.ceil(settings.global_per_second)  # 29 at the default 28.5 a second
    busiest = max(bisect.bisect_left(stamps, t + 1.0) - i for i, t in enumerate(stamps))
    assert busiest == most


# --------------------------------------------------------------------------- failures


async def test_a_429_pauses_only_that_chat_and_costs_no_attempt(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"), alert(BOB, "b1"))
    d = dispatcher(db, platform, settings, clock)
    platform.rate_limit(retry_after=30, times=5, chat="alice")  # more than attempts allowed
    await d.drain()
    pauses = await db.delivery_pauses(clock())
    assert list(pauses) == ["fake:alice"]
    assert pauses["fake:alice"] >= clock() + timedelta(seconds=29)
    for _ in range(6):
        clock.advance(31)
        await d.drain()
    assert keys(platform.alerts_for("alice")) == ["a1", "a2"]
    assert keys(platform.alerts_for("bob")) == ["b1"]
    assert (await db.outbox_counts())["undeliverable"] == 0


async def test_while_a_chat_is_paused_other_chats_are_served(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(db, clock, alert(ALICE, "a1"), alert(BOB, "b1"))
    d = dispatcher(db, platform, settings, clock)
    platform.rate_limit(retry_after=30)
    await d.run_once()  # alice is refused, bob gets through
    assert keys(platform.sent) == ["b1"]
    await queue(db, clock, alert(BOB, "b2"))
    clock.advance(2)
    await d.drain()
    assert keys(platform.sent) == ["b1", "b2"]
    clock.advance(30)
    await d.drain()
    assert keys(platform.sent) == ["b1", "b2", "a1"]


async def test_a_platform_wide_429_pauses_every_chat_of_the_platform(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(db, clock, alert(ALICE, "a1"))
    d = dispatcher(db, platform, settings, clock)
    platform.rate_limit(retry_after=10, scope="platform")
    await d.drain()
    await queue(db, clock, alert(BOB, "b1"))
    clock.advance(5)
    assert await d.drain() == 0
    clock.advance(5)
    await d.drain()
    assert sorted(keys(platform.sent)) == ["a1", "b1"]


async def test_429s_from_several_chats_at_once_pause_the_platform(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    chats = [ChatRef("fake", f"c{n}") for n in range(3)]
    await queue(db, clock, *(alert(chat, f"k{i}") for i, chat in enumerate(chats)))
    d = dispatcher(db, platform, settings, clock)
    platform.rate_limit(retry_after=20, times=3)
    await d.run_once()
    assert "fake" in await db.delivery_pauses(clock())
    await queue(db, clock, alert(ALICE, "late"))
    assert await d.drain() == 0
    clock.advance(21)
    await d.drain()
    assert sorted(keys(platform.sent)) == ["k0", "k1", "k2", "late"]


async def test_network_errors_are_retried_with_backoff_and_sent_once(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"))
    d = dispatcher(db, platform, settings, clock)
    platform.fail_next(TransientError("connection reset"), TransientError("timed out"))
    await d.drain()
    assert platform.sent == []
    clock.advance(1)  # the first retry is due after ~2 s, not yet
    assert await d.drain() == 0
    for _ in range(3):
        clock.advance(5)
        await d.drain()
    assert keys(platform.sent) == ["a1", "a2"]


async def test_an_undeliverable_alert_is_recorded_and_the_next_still_arrives(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await db.add_subscription(ALICE, WatchTarget("entity", "gpe:china", "China"), clock())
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"))
    platform.fail_next(PermanentError("Bad Request: message is too long"))
    await dispatcher(db, platform, settings, clock).drain()
    assert keys(platform.sent) == ["a2"]
    counts = await db.outbox_counts()
    assert counts["undeliverable"] == 1 and counts["sent"] == 1
    assert [s.paused for s in await db.chat_subscriptions(ALICE)] == [False]


# --------------------------------------------------------------------------- crashes


class Hanging(FakeAdapter):
    """A platform call that never returns: the worker dies while sending."""

    def __init__(self) -> None:
        super().__init__()
        self.sending = asyncio.Event()

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        self.sending.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_dead_workers_alerts_are_sent_once_its_lease_expires(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"), alert(BOB, "b1"))
    hanging = Hanging()
    dead = Dispatcher(db, {"fake": hanging}, settings, clock=clock, sleep=clock.sleep)
    worker = asyncio.create_task(dead.run_once(limit=1))
    await hanging.sending.wait()
    worker.cancel()  # killed mid-send: alice's head stays leased
    with pytest.raises(asyncio.CancelledError):
        await worker

    survivor = dispatcher(db, platform, settings, clock)
    await survivor.drain()
    assert keys(platform.sent) == ["b1"]  # alice waits behind her leased head
    clock.advance(settings.delivery_lease_seconds)
    await survivor.drain()
    assert keys(platform.alerts_for("alice")) == ["a1", "a2"]


async def test_a_restart_resumes_where_it_stopped_and_sends_nothing_twice(
    settings: Settings, platform: FakeAdapter, clock: Clock
) -> None:
    batch = [alert(ALICE, f"a{n}") for n in range(4)]
    store = await open_db(settings)
    try:
        await queue(store, clock, *batch)
        d = dispatcher(store, platform, settings, clock)
        await d.run_once()
        clock.advance(1)
        await d.run_once()
    finally:
        await store.close()
    assert keys(platform.sent) == ["a0", "a1"]

    store = await open_db(settings)  # the next start
    try:
        assert await store.enqueue_alerts(batch, clock()) == []  # ingested twice: no new rows
        clock.advance(1)
        await dispatcher(store, platform, settings, clock).drain()
    finally:
        await store.close()
    assert keys(platform.sent) == ["a0", "a1", "a2", "a3"]


async def test_a_rate_limit_pause_survives_a_restart(
    settings: Settings, platform: FakeAdapter, clock: Clock
) -> None:
    store = await open_db(settings)
    try:
        await queue(store, clock, alert(ALICE, "a1"))
        platform.rate_limit(retry_after=120, scope="platform")
        await dispatcher(store, platform, settings, clock).drain()
    finally:
        await store.close()

    store = await open_db(settings)  # restarted; bob's alert is new
    try:
        await queue(store, clock, alert(BOB, "b1"))
        d = dispatcher(store, platform, settings, clock)
        clock.advance(60)
        assert await d.drain() == 0
        assert platform.sent == []
        clock.advance(61)
        await d.drain()
    finally:
        await store.close()
    assert sorted(keys(platform.sent)) == ["a1", "b1"]


async def test_the_service_loop_delivers_and_stops_cleanly(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock
) -> None:
    d = dispatcher(db, platform, settings, clock)
    stop = asyncio.Event()
    loop = asyncio.create_task(d.run(stop))
    await queue(db, clock, *(alert(ChatRef("fake", f"c{n}"), f"k{n}") for n in range(5)))
    d.wake.set()
    async with asyncio.timeout(10):
        while len(platform.sent) < 5:  # noqa: ASYNC110 - watching the fake's record
            await asyncio.sleep(0.01)
    stop.set()
    await loop
    assert sorted(keys(platform.sent)) == [f"k{n}" for n in range(5)]


# --------------------------------------------------------------------------- flood guard


async def test_a_flood_is_folded_into_one_digest(
    tmp_path: Path, platform: FakeAdapter, clock: Clock
) -> None:
    settings = make_settings(tmp_path, flood_max_alerts=3, flood_window_seconds=600)
    store = await open_db(settings)
    try:
        await queue(
            store,
            clock,
            *(alert(ALICE, f"a{n}", event="ev-1", title="Strike on Kyiv") for n in range(3)),
            alert(ALICE, "a3", event="ev-1", claim="the oldest held claim"),
            alert(ALICE, "a4", event="ev-2", title="Grain deal", source="https://ap.example/1"),
            alert(ALICE, "a5", event="ev-1", claim="the newest claim", outlet="AP"),
            alert(BOB, "b1"),
        )
        d = dispatcher(store, platform, settings, clock)
        await d.drain()
        assert keys(platform.alerts_for("alice")) == ["a0", "a1", "a2"]
        assert keys(platform.alerts_for("bob")) == ["b1"]  # another chat is not held
        clock.advance(599)
        assert await d.drain() == 0
        clock.advance(1)
        await d.drain()
        counts = await store.outbox_counts()
    finally:
        await store.close()
    alice = platform.messages_to("alice")
    assert len(alice) == 4
    digest = alice[-1]
    assert digest.is_digest
    text = digest.text
    assert text.startswith("Digest: 3 alerts about 2 events")
    # Grouped by event, the latest event first; in it, the newest claim first.
    assert text.index("Event ev-1") < text.index("Grain deal")
    assert text.index("the newest claim") < text.index("the oldest held claim")
    assert "https://ap.example/1" in text and "AP" in text
    assert counts["sent"] == 7 and counts["pending"] == 0 and counts["retry"] == 0


# --------------------------------------------------------------------------- digests, quiet hours


@pytest.fixture
def chat(db: SqliteStore, settings: Settings, clock: Clock) -> FakeChat:
    ctx = Context(store=db, settings=settings, gazetteer=default_gazetteer(), clock=clock)
    return FakeChat(Router(ctx), chat_id="alice")


async def test_an_hourly_digest_arrives_on_the_hour(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock, chat: FakeChat
) -> None:
    clock.set(datetime(2026, 11, 23, 10, 20, tzinfo=UTC))
    assert (await chat.say("/digest hourly")).ok
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2", event="ev-2"))
    d = dispatcher(db, platform, settings, clock)
    await d.drain()
    clock.set(datetime(2026, 11, 23, 10, 59, 59, tzinfo=UTC))
    await queue(db, clock, alert(ALICE, "a3"))
    await d.drain()
    assert platform.sent == []
    clock.set(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    await d.drain()
    [digest] = platform.messages_to("alice")
    assert digest.text.startswith("Digest: 3 alerts about 2 events (your digest)")
    await queue(db, clock, alert(ALICE, "a4"))
    clock.advance(300)
    await d.drain()
    assert len(platform.sent) == 1  # the next one waits for 12:00


async def test_a_daily_digest_follows_the_chats_time_zone(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock, chat: FakeChat
) -> None:
    clock.set(datetime(2026, 11, 23, 5, 0, tzinfo=UTC))  # 07:00 in Kyiv
    assert (await chat.say("/timezone Europe/Kyiv")).ok
    assert (await chat.say("/digest daily 08:00")).ok
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"))
    d = dispatcher(db, platform, settings, clock)
    await d.drain()
    clock.set(datetime(2026, 11, 23, 5, 59, tzinfo=UTC))
    await d.drain()
    assert platform.sent == []
    clock.set(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))  # 08:00 in Kyiv
    await d.drain()
    [digest] = platform.sent
    assert digest.is_digest and "2 alerts" in digest.text


async def test_quiet_hours_hold_alerts_until_they_end(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock, chat: FakeChat
) -> None:
    clock.set(datetime(2026, 11, 23, 21, 30, tzinfo=UTC))
    assert (await chat.say("/quiet 22:00-07:00")).ok
    await queue(db, clock, alert(ALICE, "before"))
    d = dispatcher(db, platform, settings, clock)
    await d.drain()
    assert keys(platform.sent) == ["before"]  # not quiet yet
    clock.set(datetime(2026, 11, 23, 23, 10, tzinfo=UTC))
    await queue(db, clock, alert(ALICE, "n1"), alert(ALICE, "n2"))
    await d.drain()
    clock.set(datetime(2026, 11, 24, 6, 59, tzinfo=UTC))
    await d.drain()
    assert len(platform.sent) == 1
    clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    await d.drain()
    digest = platform.sent[-1]
    assert digest.is_digest and "(held during quiet hours)" in digest.text
    assert (await db.outbox_counts())["sent"] == 3


async def test_one_alert_held_overnight_arrives_as_itself(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock, chat: FakeChat
) -> None:
    clock.set(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))
    await chat.say("/quiet 22:00-07:00")
    await queue(db, clock, alert(ALICE, "n1"))
    d = dispatcher(db, platform, settings, clock)
    await d.drain()
    clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    await d.drain()
    assert keys(platform.sent) == ["n1"]


async def test_turning_the_digest_off_sends_what_waits_at_once(
    db: SqliteStore, platform: FakeAdapter, settings: Settings, clock: Clock, chat: FakeChat
) -> None:
    clock.set(datetime(2026, 11, 23, 10, 20, tzinfo=UTC))
    await chat.say("/digest hourly")
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"))
    d = dispatcher(db, platform, settings, clock)
    await d.drain()
    assert platform.sent == []
    assert (await chat.say("/digest off")).ok
    await d.drain()
    [digest] = platform.sent
    assert digest.is_digest
    await queue(db, clock, alert(ALICE, "a3"))
    clock.advance(1)
    await d.drain()
    assert keys(platform.sent) == ["a3"]  # one by one again


# --------------------------------------------------------------------------- commands


async def test_digest_command(chat: FakeChat) -> None:
    assert "every hour" in (await chat.say("/digest hourly")).plain
    assert "08:30" in (await chat.say("/digest daily 8:30")).plain
    assert "off" in (await chat.say("/digest off")).plain.casefold()
    assert not (await chat.say("/digest weekly")).ok
    assert not (await chat.say("/digest daily")).ok
    assert not (await chat.say("/digest daily 25:00")).ok


async def test_quiet_command(chat: FakeChat) -> None:
    assert "22:00-07:00" in (await chat.say("/quiet 22:00-07:00")).plain
    assert "23:00-06:30" in (await chat.say("/quiet 23:00 - 6:30")).plain
    assert "off" in (await chat.say("/quiet off")).plain
    assert not (await chat.say("/quiet 22:00")).ok
    assert not (await chat.say("/quiet 22:00-22:00")).ok
    assert not (await chat.say("/quiet 22-7")).ok


async def test_timezone_command(chat: FakeChat) -> None:
    assert "Europe/Kyiv" in (await chat.say("/timezone Europe/Kyiv")).plain
    assert not (await chat.say("/timezone Mars/Olympus_Mons")).ok
    assert not (await chat.say("/timezone ../../etc/passwd")).ok
    assert not (await chat.say("/timezone")).ok


async def test_only_admins_change_delivery_in_a_group(chat: FakeChat) -> None:
    for text in ("/digest hourly", "/quiet 22:00-07:00", "/timezone UTC", "/mute 1h"):
        reply = await chat.say(text, chat_type="group", is_admin=False)
        assert not reply.ok and "Only admins" in reply.plain
    assert (await chat.say("/status", chat_type="group", is_admin=False)).ok


async def test_status_shows_watches_mode_mutes_and_pending_alerts(
    db: SqliteStore, clock: Clock, chat: FakeChat
) -> None:
    clock.set(datetime(2026, 11, 23, 10, 20, tzinfo=UTC))
    assert "Watching: nothing yet" in (await chat.say("/status")).plain
    await db.add_subscription(ALICE, WatchTarget("entity", "gpe:china", "China"), clock())
    await chat.say("/timezone Europe/Kyiv")
    await chat.say("/digest hourly")
    await chat.say("/quiet 22:00-07:00")
    await chat.say("/mute 2h")
    await queue(db, clock, alert(ALICE, "a1"), alert(ALICE, "a2"))
    lines = (await chat.say("/status")).plain.splitlines()
    assert lines == [
        "Watching: China (major developments)",  # each watch with its level
        "Delivery: hourly digest",
        "Quiet hours: 22:00-07:00",
        "Time zone: Europe/Kyiv",
        "Muted: until 2026-11-23 14:20 Europe/Kyiv",
        "Pending alerts: 2",
        "Next digest: 2026-11-23 13:00 Europe/Kyiv",
    ]
