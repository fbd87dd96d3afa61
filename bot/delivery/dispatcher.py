"""The outbox dispatcher: lease due alerts, pace them, send, record the outcome.

Delivery is at-least-once: a row is marked sent only after the platform
accepted it, so a crash between the two re-sends that one message. Each row is
leased, so a worker that dies leaves it to be retried when the lease expires.
Failures are acted on by cause (:mod:`bot.errors`): transient → retry with
backoff or the platform's ``retry_after``; permanent → undeliverable, and the
chat's subscriptions paused when the chat is gone or the bot was blocked.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from bot.adapters.base import Adapter
from bot.config import Settings
from bot.errors import PermanentError, TransientError
from bot.models import ChatRef, OutboxItem
from storage.base import Store

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Pacer:
    """Minimum spacing per chat and a global rate, without busy waiting."""

    def __init__(
        self,
        per_chat: float,
        global_rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.chat_gap = 1.0 / per_chat
        self.global_gap = 1.0 / global_rate
        self.clock = clock
        self.sleep = sleep
        self._chat_next: dict[ChatRef, float] = {}
        self._global_next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self, chat: ChatRef) -> None:
        async with self._lock:
            now = self.clock()
            slot = max(now, self._global_next)  # the next global slot, not held up by one slow chat
            self._global_next = slot + self.global_gap
            at = max(slot, self._chat_next.get(chat, 0.0))
            self._chat_next[chat] = at + self.chat_gap
        delay = at - now
        if delay > 0:
            await self.sleep(delay)


class Dispatcher:
    def __init__(
        self,
        store: Store,
        adapters: Mapping[str, Adapter],
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        pacer: Pacer | None = None,
    ) -> None:
        self.store = store
        self.adapters = dict(adapters)
        self.settings = settings
        self.clock = clock
        self.pacer = pacer or Pacer(settings.per_chat_per_second, settings.global_per_second)
        self.wake = asyncio.Event()

    async def run_once(self, limit: int = 50) -> int:
        """Send what is due now; return how many rows were handled."""
        items = await self.store.claim_due_alerts(
            self.clock(), limit, self.settings.delivery_lease_seconds
        )
        if not items:
            return 0
        await asyncio.gather(*(self._deliver(item) for item in items))
        return len(items)

    async def drain(self, limit: int = 50) -> int:
        """Send until nothing is due (used by the demo and tests)."""
        total = 0
        while n := await self.run_once(limit):
            total += n
        return total

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("dispatcher pass failed; retrying")
                handled = 0
            if handled:
                continue
            self.wake.clear()
            waiters = {asyncio.create_task(stop.wait()), asyncio.create_task(self.wake.wait())}
            _done, pending = await asyncio.wait(
                waiters,
                timeout=self.settings.delivery_poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in pending:
                task.cancel()

    async def _deliver(self, item: OutboxItem) -> None:
        alert = item.alert
        adapter = self.adapters.get(alert.chat.platform)
        if adapter is None:
            await self.store.mark_retry(
                item.id,
                self.clock() + timedelta(seconds=60),
                f"no {alert.chat.platform} adapter running",
            )
            return
        await self.pacer.wait(alert.chat)
        try:
            message_id = await adapter.send_alert(alert, item.reply_to)
        except TransientError as exc:
            await self._retry(item, str(exc), exc.retry_after)
        except PermanentError as exc:
            log.warning("alert %d to %s undeliverable: %s", item.id, alert.chat, exc)
            await self.store.mark_undeliverable(item.id, str(exc), self.clock())
            if exc.pause_chat:
                n = await self.store.set_chat_paused(alert.chat, True, str(exc))
                log.warning("paused %d subscriptions of %s: %s", n, alert.chat, exc)
        except Exception as exc:  # an adapter bug must not lose the alert
            log.exception("alert %d to %s: unexpected error", item.id, alert.chat)
            await self._retry(item, f"{type(exc).__name__}: {exc}", None)
        else:
            await self.store.mark_sent(item.id, message_id, self.clock())
            log.info("alert %d sent to %s (message %s)", item.id, alert.chat, message_id)

    async def _retry(self, item: OutboxItem, error: str, retry_after: float | None) -> None:
        if item.attempts >= self.settings.delivery_max_attempts:
            log.warning(
                "alert %d to %s gave up after %d attempts: %s",
                item.id,
                item.alert.chat,
                item.attempts,
                error,
            )
            await self.store.mark_undeliverable(
                item.id, f"gave up after {item.attempts} attempts: {error}", self.clock()
            )
            return
        if retry_after is not None:
            delay = retry_after
        else:
            base = self.settings.delivery_backoff_seconds * 2 ** max(item.attempts - 1, 0)
            delay = min(base, 3600.0) * random.uniform(0.8, 1.2)
        log.info("alert %d to %s retried in %.1fs: %s", item.id, item.alert.chat, delay, error)
        await self.store.mark_retry(item.id, self.clock() + timedelta(seconds=delay), error)
