"""The outbox dispatcher: lease due alerts, hold or fold them, pace, send, record.

Lifecycle of an outbox row (see docs/delivery.md):

    pending ─► claimed (lease) ─► sent
                  │  ├─► retry at T        (transient failure; backoff or retry_after)
                  │  ├─► held until T      (digest, quiet hours, flood guard; one digest then)
                  │  └─► undeliverable     (permanent failure, or too many attempts)
                  └─ lease expired ─► claimable again (the worker died)

Delivery is at-least-once: a row is marked sent only after the platform
accepted it, so a crash between the two re-sends that one message. Each row is
leased, so a worker that dies leaves it to be retried when the lease expires.
Per chat only the oldest open row is leased, so a chat gets its alerts in order.

Pacing is one :class:`~bot.ratelimit.RateLimiter` per dispatcher, with the limits
each adapter declares (a global rate, a rate per chat, a budget per group); the
adapters pace their own sends through it too. A 429 pauses the
chat — or the whole platform when the platform says so, or when several chats
are refused at once — for ``retry_after``; the pause is written to the store, so
a restart honours it, and the store does not lease the paused rows until then.
Failures are acted on by cause (:mod:`bot.errors`), never by a library's classes.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta

from bot import metrics
from bot.adapters.base import Adapter
from bot.analysis.summary import living_summary
from bot.config import Settings
from bot.delivery.attention import Delivery, delivery
from bot.delivery.digest import render_digest
from bot.delivery.schedule import hold_until, quiet_end
from bot.errors import PermanentError, TransientError
from bot.models import Alert, ChatRef, OutboxItem, Reply
from bot.ratelimit import PlatformLimits, RateLimiter
from storage.base import Store

log = logging.getLogger(__name__)

#: A chat that cannot take a message within this many seconds (a group that used
#: its budget, a long pause) goes back to the outbox until then, so it does not
#: hold a sender and its lease.
MAX_PACING_WAIT = 5.0
#: How far back a starting dispatcher reads what was sent, to keep each chat's pace.
RECENT_SENDS_SECONDS = 60.0
#: This many chats of one platform refused with a 429 within a second pause the platform.
PLATFORM_FLOOD_CHATS = 3


def utcnow() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    def __init__(
        self,
        store: Store,
        adapters: Mapping[str, Adapter],
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        *,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.adapters = dict(adapters)
        self.settings = settings
        self.clock = clock
        self.sleep = sleep or asyncio.sleep
        if limiter is None:
            # With the wall clock, pace on the monotonic clock; with a test's clock,
            # on that clock, so that pauses and waits follow it.
            lclock: Callable[[], float] = (
                time.monotonic if clock is utcnow else (lambda: self.clock().timestamp())
            )
            limits = {a.platform: a.rate_limits(settings) for a in self.adapters.values()}
            default = PlatformLimits(settings.global_per_second, settings.per_chat_per_second)
            limiter = RateLimiter(limits, default, lclock, self.sleep)
        self.limiter = limiter
        for adapter in self.adapters.values():  # their own sends share this budget
            adapter.use_limiter(limiter)
        self.wake = asyncio.Event()
        self._pauses_loaded = False
        self._refused: dict[str, deque[tuple[float, ChatRef]]] = {}
        self.max_wait = min(MAX_PACING_WAIT, settings.delivery_lease_seconds / 4)
        #: when (monotonic) ``run`` last went round its loop, for /healthz
        self.last_pass: float | None = None
        #: platform → since when (monotonic) its sends fail without a retry_after
        self.failing_since: dict[str, float] = {}

    # ------------------------------------------------------------------ clocks

    def _limiter_time(self, at: datetime) -> float:
        return self.limiter.clock() + (at - self.clock()).total_seconds()

    def _wall_time(self, at: float) -> datetime:
        return self.clock() + timedelta(seconds=max(at - self.limiter.clock(), 0.0))

    async def load_pauses(self) -> None:
        """Honour the rate-limit pauses a previous run stored, and the pace of the
        messages it sent lately (a chat's gap, a group's minute)."""
        now = self.clock()
        for scope, until in (await self.store.delivery_pauses(now)).items():
            self.limiter.pause(scope, self._limiter_time(until))
            log.info("delivery to %s paused until %s (stored)", scope, until.isoformat())
        window = timedelta(seconds=RECENT_SENDS_SECONDS)
        for chat, at in await self.store.recent_sends(now - window):
            self.limiter.record(chat, self._limiter_time(at))
        self._pauses_loaded = True

    # ------------------------------------------------------------------ loops

    async def run_once(self, limit: int = 50) -> int:
        """Send what is due now; return how many rows were handled."""
        if not self._pauses_loaded:
            await self.load_pauses()
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
        """Deliver until ``stop``: up to ``delivery_concurrency`` rows at once; a
        finished row lets its chat's next row be leased. Idle, it sleeps until
        woken (new alerts), a send finishes, or ``delivery_poll_seconds`` pass."""
        inflight: set[asyncio.Task[None]] = set()
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                self.last_pass = time.monotonic()
                self.wake.clear()
                room = self.settings.delivery_concurrency - len(inflight)
                items: list[OutboxItem] = []
                if room > 0:
                    try:
                        if not self._pauses_loaded:
                            await self.load_pauses()
                        items = await self.store.claim_due_alerts(
                            self.clock(), room, self.settings.delivery_lease_seconds
                        )
                    except Exception:
                        log.exception("dispatcher pass failed; retrying")
                for item in items:
                    inflight.add(asyncio.create_task(self._deliver(item)))
                if items and len(items) == room:
                    continue  # more may be due at once
                waking = asyncio.create_task(self.wake.wait())
                done, _ = await asyncio.wait(
                    {stopping, waking, *inflight},
                    timeout=self.settings.delivery_poll_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                waking.cancel()
                for task in done & inflight:
                    inflight.discard(task)
                    if not task.cancelled() and task.exception() is not None:
                        log.error("delivery task failed", exc_info=task.exception())
        finally:
            stopping.cancel()
            if inflight:
                await asyncio.gather(*inflight, return_exceptions=True)

    # ------------------------------------------------------------------ one row

    async def _deliver(self, item: OutboxItem) -> None:
        try:
            await self._deliver_one(item)
        except Exception:  # the row's lease runs out and it is tried again
            log.exception("alert %d to %s: delivery failed", item.id, item.alert.chat)

    async def _deliver_one(self, item: OutboxItem) -> None:
        chat = item.alert.chat
        adapter = self.adapters.get(chat.platform)
        if adapter is None:
            await self.store.mark_retry(
                item.id, self.clock() + timedelta(seconds=60), f"no {chat.platform} adapter running"
            )
            return
        now = self.clock()
        if item.alert.outlets_only:
            await self._update_outlets(adapter, item)
            return
        if item.hold is None:
            if await self._held(item, now):
                return
        else:  # a held row is due: the digest goes now, unless quiet hours began since
            end = quiet_end(await self.store.chat_delivery(chat), now)
            if end is not None:
                await self.store.defer_alert(item.id, end, "held: quiet hours", item.hold)
                return
        if not await self._pace(item):
            return
        if item.hold is None:
            await self._send_alert(adapter, item)
        else:
            await self._flush(adapter, item)

    async def _held(self, item: OutboxItem, now: datetime) -> bool:
        """Hold the row for the chat's digest, its quiet hours or the flood guard."""
        chat = item.alert.chat
        decided = hold_until(await self.store.chat_delivery(chat), now)
        if decided is None and self.settings.flood_max_alerts > 0:
            window = timedelta(seconds=self.settings.flood_window_seconds)
            sent = await self.store.messages_sent_since(chat, now - window)
            if sent >= self.settings.flood_max_alerts:
                decided = (now + window, "flood")
        if decided is None:
            return False
        until, why = decided
        await self.store.defer_alert(item.id, until, f"held: {why}", why)
        log.info("alert %d to %s held (%s) until %s", item.id, chat, why, until.isoformat())
        return True

    async def _pace(self, item: OutboxItem) -> bool:
        """Wait for the chat's slot; a long wait gives the row back until then."""
        chat = item.alert.chat
        ready = self.limiter.ready_at(chat)
        wait = ready - self.limiter.clock()
        if wait > self.max_wait:
            log.debug("alert %d to %s waits %.1fs for its rate limit", item.id, chat, wait)
            await self.store.defer_alert(
                item.id, self._wall_time(ready), "rate limit: waiting for the chat's budget"
            )
            return False
        if wait > 0:
            await self.sleep(wait)
        await self.limiter.acquire(chat)
        paused = self.limiter.paused_until(chat)
        if paused > self.limiter.clock():  # a 429 elsewhere paused the platform meanwhile
            await self.store.defer_alert(item.id, self._wall_time(paused), "rate limit: paused")
            return False
        return True

    async def _send_alert(self, adapter: Adapter, item: OutboxItem) -> None:
        alert = item.alert
        how = delivery(item)
        try:
            if how is Delivery.EDIT:
                message_id, sent_as = await self._edit_or_quiet(adapter, item)
            else:
                message_id = await adapter.send_alert(alert, item.reply_to, slot_taken=True)
                sent_as = how.value
        except TransientError as exc:
            await self._transient(item, exc)
        except PermanentError as exc:
            await self._permanent([item], exc)
        except Exception as exc:  # an adapter bug must not lose the alert
            log.exception("alert %d to %s: unexpected error", item.id, alert.chat)
            await self._retry(item, f"{type(exc).__name__}: {exc}", None)
        else:
            await self.store.mark_sent(item.id, message_id, self.clock(), sent_as)
            self.failing_since.pop(alert.chat.platform, None)
            metrics.ALERTS_SENT.inc(platform=alert.chat.platform)
            log.info("alert %d %s to %s (message %s)", item.id, sent_as, alert.chat, message_id)
            if how is Delivery.REPLY and item.first_editable and adapter.can_edit():
                await self._refresh_summary(adapter, item)

    async def _summary(self, item: OutboxItem) -> Alert:
        """The event's first alert in the chat as it reads with ``item`` delivered."""
        alert = item.alert
        sent = await self.store.event_alerts(alert.chat, alert.event_id)
        thread = [a for a, _ in sent if a.key != alert.key]
        replied = {a.key for a, how in sent if how == Delivery.REPLY.value}
        return living_summary([*thread, alert], replied)

    async def _edit_or_quiet(self, adapter: Adapter, item: OutboxItem) -> tuple[str | None, str]:
        """Update the event's first alert in place; where it cannot be edited (a
        digest, too old, deleted), reply silently in its thread instead. Returns
        the message id and how the row was sent."""
        assert item.reply_to is not None
        if item.first_editable and adapter.can_edit():
            summary = await self._summary(item)
            if await adapter.edit_alert(summary, item.reply_to, slot_taken=True):
                return item.reply_to, "edit"
            log.info(
                "alert %d to %s: message %s cannot be edited; replying silently",
                item.id,
                item.alert.chat,
                item.reply_to,
            )
            await adapter.pace(item.alert.chat)  # the failed edit used this row's slot
        return await adapter.send_quiet_alert(item.alert, item.reply_to, slot_taken=True), "quiet"

    async def _update_outlets(self, adapter: Adapter, item: OutboxItem) -> None:
        """An outlet update (a story of repeats only): edit the event's first alert
        silently, at most once per ``outlet_edit_interval_seconds`` per message
        (the updates that come meanwhile fold into this row). No digest, quiet
        hours or flood guard: an edit is no message. Where the first alert cannot
        be edited, nothing is sent: a new outlet alone is not worth a message."""
        chat = item.alert.chat
        now = self.clock()
        if item.reply_to is None or not item.first_editable or not adapter.can_edit():
            await self.store.mark_sent(item.id, None, now, "skipped")
            log.info("outlet update %d to %s: not editable; nothing sent", item.id, chat)
            return
        last = await self.store.event_last_sent(chat, item.alert.event_id)
        interval = timedelta(seconds=self.settings.outlet_edit_interval_seconds)
        if last is not None and last + interval > now:
            await self.store.defer_alert(
                item.id, last + interval, "outlet update: waiting for the edit interval", "outlets"
            )
            return
        if not await self._pace(item):
            return
        try:
            edited = await adapter.edit_alert(
                await self._summary(item), item.reply_to, slot_taken=True
            )
        except TransientError as exc:
            await self._transient(item, exc)
        except PermanentError as exc:
            await self._permanent([item], exc)
        except Exception as exc:  # an adapter bug must not lose the update
            log.exception("outlet update %d to %s: unexpected error", item.id, chat)
            await self._retry(item, f"{type(exc).__name__}: {exc}", None)
        else:
            # a refused edit sends nothing, and later follow-ups reply (as after "quiet")
            await self.store.mark_sent(
                item.id, item.reply_to, self.clock(), "edit" if edited else "unedited"
            )
            self.failing_since.pop(chat.platform, None)
            log.info(
                "outlet update %d to %s: %s", item.id, chat, "edited" if edited else "not editable"
            )

    async def _refresh_summary(self, adapter: Adapter, item: OutboxItem) -> None:
        """After a notified reply, bring the first alert up to date too (outlets,
        links, the latest claims) when nothing else waits for the chat and its
        budget has room soon; else the next edit catches up. Best effort: the
        reply itself was delivered."""
        chat = item.alert.chat
        if self.limiter.ready_at(chat) - self.limiter.clock() > self.max_wait:
            return
        if await self.store.open_alert_count(chat):
            return  # the chat's queued alerts go first
        assert item.reply_to is not None
        try:
            summary = await self._summary(item)
            await adapter.pace(chat)
            await adapter.edit_alert(summary, item.reply_to, slot_taken=True)
        except Exception as exc:  # ClaimWatchError or an adapter bug: the reply is sent
            log.warning("alert %d to %s: summary not updated: %s", item.id, chat, exc)

    async def _flush(self, adapter: Adapter, head: OutboxItem) -> None:
        """Send the chat's open rows (the head first) as one digest message. When
        more wait than one digest holds, the rest are made due at once, held, so
        the next lease of the chat sends them as the next digest."""
        chat = head.alert.chat
        limit = self.settings.digest_max_alerts
        items = await self.store.open_alerts(chat, limit)
        if head.id not in {i.id for i in items}:
            items = [head, *items[: limit - 1]]
        if len(items) == 1:
            await self._send_alert(adapter, head)
            return
        lines = render_digest([i.alert for i in items], head.hold)
        try:
            message_id = await adapter.send_reply(chat, Reply(lines), slot_taken=True)
        except TransientError as exc:
            await self._transient(head, exc)
            return
        except PermanentError as exc:
            await self._permanent(items, exc)
            return
        except Exception as exc:  # an adapter bug must not lose the alerts
            log.exception("digest to %s: unexpected error", chat)
            await self._retry(head, f"{type(exc).__name__}: {exc}", None)
            return
        now = self.clock()
        await self.store.mark_sent_many([i.id for i in items], message_id, now)
        self.failing_since.pop(chat.platform, None)
        metrics.ALERTS_SENT.inc(len(items), platform=chat.platform)
        log.info("digest of %d alerts sent to %s (message %s)", len(items), chat, message_id)
        if len(items) >= limit:
            await self.store.hold_open_alerts(chat, head.hold or "digest", now)

    # ------------------------------------------------------------------ failures

    async def _transient(self, item: OutboxItem, exc: TransientError) -> None:
        if not exc.retry_after or exc.retry_after <= 0:
            # the platform is unreachable or failing (not pacing us): /healthz tells
            self.failing_since.setdefault(item.alert.chat.platform, time.monotonic())
            await self._retry(item, str(exc), exc.retry_after)
            return
        chat = item.alert.chat
        scope = RateLimiter.chat_scope(chat)
        if exc.scope == "platform" or self._many_refused(chat):
            scope = chat.platform
        until = self.clock() + timedelta(seconds=exc.retry_after)
        self.limiter.pause(scope, self._limiter_time(until))
        await self.store.pause_delivery(scope, until, str(exc))
        await self.store.defer_alert(item.id, until, f"rate limited: {exc}")
        metrics.ALERTS_FAILED.inc(platform=chat.platform, outcome="rate_limited")
        log.warning(
            "rate limited: %s paused for %.1fs (alert %d): %s",
            scope,
            exc.retry_after,
            item.id,
            exc,
        )

    def _many_refused(self, chat: ChatRef) -> bool:
        """Several chats of one platform refused within a second: the bot is over its rate."""
        now = self.limiter.clock()
        recent = self._refused.setdefault(chat.platform, deque())
        recent.append((now, chat.whole))  # the topics of one group are one chat
        while recent and recent[0][0] < now - 1.0:
            recent.popleft()
        return len({c for _, c in recent}) >= PLATFORM_FLOOD_CHATS

    async def _permanent(self, items: list[OutboxItem], exc: PermanentError) -> None:
        chat = items[0].alert.chat
        for item in items:
            log.warning("alert %d to %s undeliverable: %s", item.id, chat, exc)
            await self.store.mark_undeliverable(item.id, str(exc), self.clock())
            metrics.ALERTS_FAILED.inc(platform=chat.platform, outcome="undeliverable")
        if exc.pause_chat:
            n = await self.store.set_chat_paused(chat, True, str(exc))
            log.warning("paused %d subscriptions of %s: %s", n, chat, exc)

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
            metrics.ALERTS_FAILED.inc(platform=item.alert.chat.platform, outcome="undeliverable")
            return
        if retry_after is not None:
            delay = retry_after
        else:
            base = self.settings.delivery_backoff_seconds * 2 ** max(item.attempts - 1, 0)
            delay = min(base, 3600.0) * random.uniform(0.8, 1.2)
        log.info("alert %d to %s retried in %.1fs: %s", item.id, item.alert.chat, delay, error)
        await self.store.mark_retry(item.id, self.clock() + timedelta(seconds=delay), error)
        metrics.ALERTS_FAILED.inc(platform=item.alert.chat.platform, outcome="retry")
