"""The outbox dispatcher against a fake platform that accepts, fails and rate-limits on command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.errors import PermanentError, TransientError
from bot.models import ChatRef, WatchTarget
from bot.ratelimit import PlatformLimits, RateLimiter
from storage.sqlite import SqliteStore
from tests.fakes.chat import FakeAdapter
from tests.storage.builders import T0, make_alert, make_record, make_story

ALICE = ChatRef("fake", "alice")
BOB = ChatRef("fake", "bob")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def fast(tmp_path: Path) -> Settings:
    return load_settings(
        database_url=f"sqlite:///{tmp_path / 'd.db'}",
        per_chat_per_second=1000.0,
        global_per_second=1000.0,
        delivery_max_attempts=3,
        _env_file=None,
    )


@pytest.fixture
async def store(fast: Settings) -> AsyncIterator[SqliteStore]:
    s = await SqliteStore.open(str(fast.database_url).removeprefix("sqlite:///"))
    await s.upgrade()
    yield s
    await s.close()


async def queue(store: SqliteStore, n: int, *alerts: tuple[ChatRef, str, str]) -> None:
    sid = await store.add_story(make_story(n), T0)
    await store.save_analysis(
        make_record(
            sid,
            event_id="ev-1",
            new_event=n == 1,
            alerts=tuple(make_alert(chat, key, event_id=ev) for chat, key, ev in alerts),
        )
    )


async def test_alerts_are_sent_in_order_and_follow_ups_reply_to_the_first(
    store: SqliteStore, fast: Settings
) -> None:
    platform = FakeAdapter()
    clock = Clock()
    d = Dispatcher(store, {"fake": platform}, fast, clock=clock)
    await queue(store, 1, (ALICE, "a1", "ev-1"), (BOB, "b1", "ev-1"))
    await queue(store, 2, (ALICE, "a2", "ev-1"))
    assert await d.drain() == 3
    alice = platform.alerts_for("alice")
    assert [s.alert.key for s in alice if s.alert] == ["a1", "a2"]
    assert alice[0].reply_to is None
    assert alice[1].reply_to == alice[0].message_id
    assert (await store.outbox_counts()).get("sent") == 3
    assert await d.drain() == 0  # nothing is sent twice


async def test_retry_after_waits_and_loses_nothing(store: SqliteStore, fast: Settings) -> None:
    platform = FakeAdapter()
    clock = Clock()
    d = Dispatcher(store, {"fake": platform}, fast, clock=clock)
    await queue(store, 1, (ALICE, "a1", "ev-1"))
    platform.fail_next(TransientError("Too Many Requests", retry_after=30))
    await d.run_once()
    assert platform.sent == []
    clock.advance(29)
    assert await d.run_once() == 0  # still waiting out retry_after
    clock.advance(2)
    assert await d.run_once() == 1
    assert len(platform.alerts_for("alice")) == 1


async def test_network_errors_back_off_then_give_up(store: SqliteStore, fast: Settings) -> None:
    platform = FakeAdapter()
    clock = Clock()
    d = Dispatcher(store, {"fake": platform}, fast, clock=clock)
    await queue(store, 1, (ALICE, "a1", "ev-1"))
    platform.fail_next(*(TransientError("connection reset") for _ in range(5)))
    for _ in range(5):
        await d.run_once()
        clock.advance(3600)
    counts = await store.outbox_counts()
    assert counts.get("undeliverable") == 1 and not counts.get("sent")


async def test_blocked_chat_is_paused_and_alert_undeliverable(
    store: SqliteStore, fast: Settings
) -> None:
    platform = FakeAdapter()
    d = Dispatcher(store, {"fake": platform}, fast, clock=Clock())
    await store.add_subscription(ALICE, WatchTarget("entity", "gpe:china", "China"), T0)
    await queue(store, 1, (ALICE, "a1", "ev-1"), (BOB, "b1", "ev-1"))
    platform.fail_next(PermanentError("Forbidden: bot was blocked by the user", pause_chat=True))
    await d.drain()
    assert (await store.outbox_counts()).get("undeliverable") == 1
    assert [s.paused for s in await store.chat_subscriptions(ALICE)] == [True]
    assert len(platform.sent) == 1  # the other chat still got its alert


async def test_an_adapter_bug_does_not_lose_the_alert(store: SqliteStore, fast: Settings) -> None:
    platform = FakeAdapter()
    clock = Clock()
    d = Dispatcher(store, {"fake": platform}, fast, clock=clock)
    await queue(store, 1, (ALICE, "a1", "ev-1"))
    platform.fail_next(RuntimeError("boom"))
    await d.run_once()
    clock.advance(600)
    await d.run_once()
    assert len(platform.alerts_for("alice")) == 1


async def test_the_limiter_spaces_messages_per_chat_and_globally() -> None:
    waits: list[float] = []

    async def sleep(delay: float) -> None:
        waits.append(round(delay, 3))

    limits = PlatformLimits(global_per_second=10.0, chat_per_second=1.0)
    limiter = RateLimiter({}, limits, clock=lambda: 0.0, sleep=sleep)
    for chat in (ALICE, ALICE, BOB, ALICE):
        await limiter.acquire(chat)
    # alice: now, +1 s, +2 s; bob waits only for the next global slot
    assert waits == [1.0, 0.2, 2.0]
