"""The dispatcher on both stores (SQLite, and PostgreSQL when configured): a
platform pause outlives a restart, a worker's lease expires, a flood folds,
a restart keeps each chat's pace."""

from __future__ import annotations

from datetime import timedelta

from bot.adapters.telegram import telegram_limits
from bot.config import load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.models import ChatRef
from storage.base import Store
from tests.delivery.conftest import Clock, alert
from tests.fakes.chat import FakeAdapter
from tests.storage.conftest import Backend

ALICE = ChatRef("fake", "alice")
BOB = ChatRef("fake", "bob")


async def test_a_pause_outlives_a_restart_and_a_dead_lease_expires(
    store: Store, backend: Backend, clock: Clock
) -> None:
    config = load_settings(_env_file=None, delivery_lease_seconds=30)
    platform = FakeAdapter(clock=clock.mono)
    await store.enqueue_alerts([alert(ALICE, "a1"), alert(BOB, "b1")], clock())
    [leased, _] = await store.claim_due_alerts(clock(), 10, 30)  # a worker that dies
    assert leased.alert.key == "a1"
    platform.rate_limit(retry_after=120, scope="platform")
    d = Dispatcher(store, {"fake": platform}, config, clock=clock, sleep=clock.sleep)
    clock.advance(31)  # both leases expired; bob's send is refused for the whole platform
    await d.drain()
    assert platform.sent == []

    again = await backend.open()  # the next start
    try:
        d = Dispatcher(again, {"fake": platform}, config, clock=clock, sleep=clock.sleep)
        await again.enqueue_alerts([alert(ChatRef("fake", "carol"), "c1")], clock())
        clock.advance(60)
        assert await d.drain() == 0
        clock.advance(61)
        await d.drain()
    finally:
        await again.close()
    assert sorted(s.alert.key for s in platform.sent if s.alert) == ["a1", "b1", "c1"]


async def test_a_flood_folds_into_one_digest(store: Store, clock: Clock) -> None:
    config = load_settings(_env_file=None, flood_max_alerts=2, flood_window_seconds=60)
    platform = FakeAdapter(clock=clock.mono)
    await store.enqueue_alerts(
        [alert(ALICE, f"a{n}", event=f"ev-{n % 2}") for n in range(6)], clock()
    )
    d = Dispatcher(store, {"fake": platform}, config, clock=clock, sleep=clock.sleep)
    await d.drain()
    clock.advance(60)
    await d.drain()
    texts = [s.text for s in platform.messages_to("alice")]
    assert len(texts) == 3
    assert texts[2].startswith("Digest: 4 alerts about 2 events")
    assert (await store.outbox_counts())["sent"] == 6


async def test_a_restart_keeps_a_groups_minute(
    store: Store, backend: Backend, clock: Clock
) -> None:
    config = load_settings(_env_file=None, telegram_group_per_minute=3)
    group = ChatRef("telegram", "-100")
    platform = FakeAdapter(platform="telegram", clock=clock.mono, limits=telegram_limits)
    await store.enqueue_alerts([alert(group, f"g{n}") for n in range(3)], clock())
    await Dispatcher(store, {"telegram": platform}, config, clock=clock, sleep=clock.sleep).drain()
    first = platform.sent[0].at
    assert len(platform.sent) == 3

    again = await backend.open()  # restarted within the minute: the group's budget is spent
    try:
        d = Dispatcher(again, {"telegram": platform}, config, clock=clock, sleep=clock.sleep)
        await again.enqueue_alerts([alert(group, "g3"), alert(group, "g4")], clock())
        clock.advance(5)
        await d.drain()
        assert len(platform.sent) == 3
        clock.set(clock() + timedelta(seconds=first + 60 - clock.mono()))
        await d.drain()
        clock.advance(2)
        await d.drain()
    finally:
        await again.close()
    assert [s.alert.key for s in platform.sent if s.alert] == ["g0", "g1", "g2", "g3", "g4"]
    assert platform.sent[3].at >= first + 60
