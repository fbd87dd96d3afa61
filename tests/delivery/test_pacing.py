"""The rate limiter per platform, digest and quiet-hour times, and one budget
shared by the dispatcher and the Telegram adapter (through the fake Bot API)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter, is_group_chat
from bot.config import load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.schedule import hold_until, next_digest, parse_hhmm, quiet_end, zone
from bot.models import ChatRef, Command, DeliveryPrefs, Reply
from bot.ratelimit import CHAT_MARGIN, PlatformLimits, RateLimiter
from storage.sqlite import SqliteStore
from tests.delivery.conftest import Clock, alert
from tests.fakes.telegram_server import FakeTelegramServer

GROUP = ChatRef("telegram", "-1001")
PRIVATE = ChatRef("telegram", "42")


def limiter(clock: Clock, **rules: float) -> RateLimiter:
    telegram = PlatformLimits(
        rules.get("global", 30.0),
        rules.get("chat", 1.0),
        int(rules.get("group", 20)),
        60.0,
        is_group_chat,
    )
    return RateLimiter({"telegram": telegram}, telegram, clock.mono, clock.sleep)


async def test_a_group_gets_at_most_its_budget_per_minute(clock: Clock) -> None:
    pace = limiter(clock, group=20)
    stamps = []
    for _ in range(45):
        await pace.acquire(GROUP)
        stamps.append(clock.mono())
    start = stamps[0]
    assert stamps[19] - start < 20  # the first 20 one a second
    assert all(b - a >= 60.0 for a, b in zip(stamps, stamps[20:], strict=False))
    assert pace.ready_at(PRIVATE) <= clock.mono()  # a private chat is not held back


async def test_a_pause_holds_its_scope_only(clock: Clock) -> None:
    pace = limiter(clock)
    now = clock.mono()
    pace.pause("telegram:42", now + 30)
    assert pace.ready_at(PRIVATE) == now + 30
    assert pace.ready_at(GROUP) == now
    pace.pause("telegram", now + 50)
    assert pace.ready_at(GROUP) == now + 50
    assert limiter(clock).rules("slack").chat_per_second == 1.0


def test_digest_times_in_the_chats_zone() -> None:
    kyiv = DeliveryPrefs("daily", "08:00", timezone="Europe/Kyiv")
    # 23 Nov: Kyiv is UTC+2, so 08:00 there is 06:00 UTC
    assert next_digest(kyiv, datetime(2026, 11, 23, 5, 0, tzinfo=UTC)) == datetime(
        2026, 11, 23, 6, 0, tzinfo=UTC
    )
    assert next_digest(kyiv, datetime(2026, 11, 23, 6, 0, tzinfo=UTC)) == datetime(
        2026, 11, 24, 6, 0, tzinfo=UTC
    )
    # summer time: UTC+3
    assert next_digest(kyiv, datetime(2026, 7, 1, 4, 0, tzinfo=UTC)) == datetime(
        2026, 7, 1, 5, 0, tzinfo=UTC
    )
    india = DeliveryPrefs("hourly", timezone="Asia/Kolkata")  # UTC+5:30
    assert next_digest(india, datetime(2026, 11, 23, 5, 10, tzinfo=UTC)) == datetime(
        2026, 11, 23, 5, 30, tzinfo=UTC
    )
    assert next_digest(DeliveryPrefs(), datetime(2026, 11, 23, tzinfo=UTC)) is None


def test_quiet_hours_wrap_midnight_and_push_a_digest_past_them() -> None:
    quiet = DeliveryPrefs(quiet_start="22:00", quiet_end="07:00")
    assert quiet_end(quiet, datetime(2026, 11, 23, 21, 59, tzinfo=UTC)) is None
    assert quiet_end(quiet, datetime(2026, 11, 23, 23, 0, tzinfo=UTC)) == datetime(
        2026, 11, 24, 7, 0, tzinfo=UTC
    )
    assert quiet_end(quiet, datetime(2026, 11, 24, 3, 0, tzinfo=UTC)) == datetime(
        2026, 11, 24, 7, 0, tzinfo=UTC
    )
    assert quiet_end(quiet, datetime(2026, 11, 24, 7, 0, tzinfo=UTC)) is None
    day = DeliveryPrefs(quiet_start="12:00", quiet_end="13:00")
    assert quiet_end(day, datetime(2026, 11, 23, 12, 30, tzinfo=UTC)) == datetime(
        2026, 11, 23, 13, 0, tzinfo=UTC
    )
    late_digest = DeliveryPrefs("daily", "23:30", "22:00", "07:00")
    assert hold_until(late_digest, datetime(2026, 11, 23, 20, 0, tzinfo=UTC)) == (
        datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
        "digest",
    )
    assert hold_until(DeliveryPrefs(), datetime(2026, 11, 23, tzinfo=UTC)) is None


def test_times_and_zones_are_validated() -> None:
    assert parse_hhmm("7:05") == "07:05"
    assert parse_hhmm("24:00") is None and parse_hhmm("7") is None and parse_hhmm("7:5") is None
    assert zone("Europe/Kyiv") is not None and zone("UTC") is not None
    assert zone("Nowhere/Special") is None and zone("../etc/passwd") is None


# --------------------------------------------------------------------------- Telegram


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as fake:
        yield fake


async def answer(command: Command) -> Reply:
    return Reply.text("ok")


async def test_alerts_and_replies_share_one_budget_without_double_counting(
    server: FakeTelegramServer, tmp_path: Path, clock: Clock
) -> None:
    settings = load_settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'd.db'}",
        telegram_bot_token=server.token,
        telegram_api_url=server.api_url,
    )
    store = await SqliteStore.open(tmp_path / "d.db")
    await store.upgrade()
    tg = TelegramAdapter(settings, poll_timeout=1)
    await tg.start(answer)
    try:
        d = Dispatcher(store, {"telegram": tg}, settings, clock=clock, sleep=clock.sleep)
        await store.enqueue_alerts([alert(PRIVATE, "a1")], clock())
        await d.drain()
        assert clock.slept == []  # the alert's slot was taken once, by the dispatcher
        await tg.send_reply(PRIVATE, Reply.text("a command's answer"))
        # The reply to the same chat waited for the chat's next slot, a second later.
        assert clock.slept == [pytest.approx(1.0 + CHAT_MARGIN, abs=0.01)]
    finally:
        await tg.stop()
        await store.close()
    assert [m.chat_id for m in server.sent] == [42, 42]


async def test_slack_alerts_take_one_slot_and_replies_share_the_budget(
    tmp_path: Path, clock: Clock
) -> None:
    from bot.adapters.slack import SlackAdapter
    from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, FakeSlack

    fake = FakeSlack()
    await fake.start()
    store = await SqliteStore.open(tmp_path / "d.db")
    try:
        await store.upgrade()
        settings = load_settings(
            _env_file=None,
            database_url=f"sqlite:///{tmp_path / 'd.db'}",
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
            http_host="127.0.0.1",
            http_port=0,
        )
        channel = ChatRef("slack", "C0PACED")
        slack = SlackAdapter(settings)
        await slack.start(answer)
        try:
            d = Dispatcher(store, {"slack": slack}, settings, clock=clock, sleep=clock.sleep)
            await store.enqueue_alerts([alert(channel, "s1")], clock())
            await d.drain()
            assert clock.slept == []  # the dispatcher's slot only: Slack does not pace it again
            await slack.send_reply(channel, Reply.text("a command's answer"))
            # the reply to the same channel waited for the channel's next slot
            assert clock.slept == [pytest.approx(1.0 + CHAT_MARGIN, abs=0.01)]
        finally:
            await slack.stop()
    finally:
        await store.close()
        await fake.stop()
    assert [m.channel for m in fake.messages] == ["C0PACED", "C0PACED"]
