"""Starts and stops the pieces: analysis of waiting stories, the dispatcher,
the adapters and the subscription index; stops cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot import metrics
from bot.adapters.base import Adapter
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from bot.health import HealthMonitor
from bot.http import HttpServer
from bot.ingest.feeds import FeedPoller
from bot.liveness import Liveness
from bot.models import ChatRef, Story
from bot.net import Fetcher
from bot.pages.links import PageLinks, open_page_links
from bot.pages.server import PageRoutes
from bot.pipeline import Pipeline, utcnow
from bot.watch import WatchIndex
from handlers.base import Context
from handlers.panel import overview
from handlers.router import Router
from storage import open_store
from storage.base import OUTBOX_CHANNEL, Store

if TYPE_CHECKING:
    from storage.postgres import PostgresStore

log = logging.getLogger(__name__)

#: How long an inbound event id is remembered across instances (Slack retries
#: a slow delivery three times within about five minutes).
SEEN_EVENT_SECONDS = 3600.0


def adapters_from_settings(settings: Settings, *, shared_http: bool = True) -> list[Adapter]:
    """Every adapter whose settings are present; the console when there is none.
    With ``shared_http``, Slack's HTTP mode is served by the service's HTTP server."""
    adapters: list[Adapter] = []
    if settings.telegram_bot_token is not None:
        from bot.adapters.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(settings))
    if settings.slack_bot_token is not None:
        from bot.adapters.slack import SlackAdapter

        adapters.append(SlackAdapter(settings, serve_http=not shared_http))
    if not adapters:
        from bot.adapters.console import ConsoleAdapter

        adapters.append(ConsoleAdapter())
    return adapters


@dataclass
class Services:
    """The wired core, shared by `run`, `chat`, `demo` and the tests."""

    store: Store
    settings: Settings
    pipeline: Pipeline
    router: Router
    dispatcher: Dispatcher
    adapters: list[Adapter] = field(default_factory=list)
    analysis_wake: asyncio.Event = field(default_factory=asyncio.Event)
    monitor: HealthMonitor | None = None  # what /healthz reports (set by open)
    pages: PageLinks | None = None  # event pages (PUBLIC_URL set, PAGES not off)

    @classmethod
    async def open(cls, settings: Settings, adapters: Sequence[Adapter] = ()) -> Services:
        store = await open_store(settings.database_url)
        try:
            pages = await open_page_links(settings, store, utcnow)
        except BaseException:
            await store.close()
            raise
        index = WatchIndex()
        pipeline = Pipeline(
            store, settings, index, event_page=pages.event if pages is not None else None
        )
        await pipeline.refresh_index()
        ctx = Context(
            store=store,
            settings=settings,
            gazetteer=pipeline.gazetteer,
            clock=utcnow,
            on_subscriptions_changed=pipeline.refresh_index,
            pages=pages,
        )
        router = Router(ctx)
        dispatcher = Dispatcher(store, {a.platform: a for a in adapters}, settings)
        services = cls(store, settings, pipeline, router, dispatcher, list(adapters), pages=pages)
        services.monitor = HealthMonitor(settings, store, list(adapters), dispatcher)
        for adapter in adapters:  # platforms whose chats can change id move them here
            adapter.on_migrate = services.migrate_chat
            adapter.on_presence = services.chat_presence
            adapter.on_seen = services.first_seen
            adapter.chat_overview = functools.partial(overview, ctx)
        return services

    async def close(self) -> None:
        await self.store.close()

    async def ingest(self, story: Story) -> bool:
        """Record a story for the analysis loop; True when it is new."""
        _, new = await self.ingest_story(story)
        return new

    async def ingest_story(self, story: Story) -> tuple[int, bool]:
        """Record a story and wake the analysis loop: ``(id, new)``."""
        story_id, new = await self.pipeline.ingest(story)
        if new:
            self.analysis_wake.set()
        return story_id, new

    async def chat_presence(self, chat: ChatRef, present: bool, why: str) -> None:
        """The bot joined ``chat`` again (its watches resume) or left it: removed,
        kicked or blocked (they pause, and no alert is queued for it meanwhile)."""
        changed = await self.store.set_chat_paused(chat, not present, why, whole=True)
        log.info(
            "chat %s %s (%s): %d watches", chat, "resumed" if present else "paused", why, changed
        )
        if changed:
            await self.pipeline.refresh_index()

    async def first_seen(self, platform: str, event_id: str) -> bool:
        """True for the first instance on the database to see the platform's event
        ``event_id``; its mark is kept for ``SEEN_EVENT_SECONDS`` (longer than a
        platform retries)."""
        return await self.store.claim_once(f"{platform}:{event_id}", SEEN_EVENT_SECONDS)

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> None:
        moved = await self.store.migrate_chat(old, new)
        log.info("chat %s moved to %s with %d subscriptions", old, new, moved)
        await self.pipeline.refresh_index()


def http_server(services: Services) -> HttpServer:
    """The service's HTTP server with every adapter's routes (not started)."""
    store = services.store
    monitor = services.monitor or HealthMonitor(services.settings, store, services.adapters)

    async def outbox() -> list[str]:
        counts = await store.outbox_counts()
        failures = await store.story_failure_counts()
        feeds = await store.list_feeds()
        by_status = {s: sum(1 for f in feeds if f.status == s) for s in ("new", "ok", "failing")}
        now = utcnow()
        figures = await store.health_figures(now)
        owners = await store.lease_owners()
        return (
            metrics.gauge_lines(
                "claimwatch_outbox_alerts",
                "Alerts in the outbox, by status.",
                {(("status", k),): float(v) for k, v in counts.items()},
            )
            + metrics.gauge_lines(
                "claimwatch_feeds",
                "Feeds polled, by status (new, ok, failing).",
                {(("status", k),): float(v) for k, v in by_status.items()},
            )
            + metrics.gauge_lines(
                "claimwatch_stories_failed",
                "Stories whose analysis failed: waiting for a retry (failed) or given up"
                " (quarantined).",
                {(("status", k),): float(v) for k, v in failures.items()},
            )
            + metrics.gauge_lines(
                "claimwatch_oldest_pending_story_age_seconds",
                "Seconds the oldest story waiting for analysis has waited (0: none waits).",
                {(): _age(now, figures.oldest_pending_story_at)},
            )
            + metrics.gauge_lines(
                "claimwatch_outbox_oldest_due_age_seconds",
                "Seconds the oldest due alert in the outbox has been due (0: none is due).",
                {(): _age(now, figures.oldest_due_alert_at)},
            )
            + metrics.gauge_lines(
                "claimwatch_processes",
                "Processes holding leases (run, work, ingest), by role.",
                {
                    (("role", r),): float(sum(o.role == r for o in owners))
                    for r in sorted({"run", "work", *(o.role for o in owners)})
                },
            )
        )

    async def others() -> Mapping[str, float]:
        return await store.process_metric_totals(exclude=store.instance_id)

    server = HttpServer(
        services.settings,
        ingest=services.ingest_story,
        health=monitor.report,
        collectors=[outbox],
        others=others,
    )
    for adapter in services.adapters:
        for method, path, handler in adapter.http_routes():
            server.add_route(method, path, handler)
    if services.pages is not None:
        pages = PageRoutes(services.settings, store, services.pages, utcnow)
        for method, path, handler in pages.routes():
            server.add_route(method, path, handler)
    return server


def _age(now: datetime, then: datetime | None) -> float:
    return 0.0 if then is None else max((now - then).total_seconds(), 0.0)


async def analysis_loop(services: Services, stop: asyncio.Event, poll: float = 0.5) -> None:
    """Analyse stories as they wait in the store: at once when ingested here
    (feeds, HTTP push), within ``poll`` seconds when another process added them."""
    while not stop.is_set():
        services.analysis_wake.clear()
        try:
            outcomes = await services.pipeline.analyse_pending()
        except Exception:
            log.exception("analysis pass failed; retrying")
            outcomes = []
        if any(o.alerts for o in outcomes):
            services.dispatcher.wake.set()
        if not outcomes:
            await wait_any((stop, services.analysis_wake), poll)


async def wait_any(events: Sequence[asyncio.Event], timeout: float) -> None:  # noqa: ASYNC109
    """Until one of ``events`` is set, or ``timeout`` seconds."""
    waiters = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)


async def index_loop(services: Services, stop: asyncio.Event, poll: float = 1.0) -> None:
    """Pick up watches changed by other instances."""
    while not stop.is_set():
        try:
            await services.pipeline.refresh_index()
        except Exception:
            log.exception("subscription index refresh failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), poll)


# ------------------------------------------------ several instances (PostgreSQL)

LEADER_POLL_SECONDS = 5.0


def shared_store(store: Store) -> PostgresStore | None:
    """The store when several instances can share it (PostgreSQL): it elects a
    leader per adapter, leases only the alerts an instance can send and
    notifies the dispatchers of queued alerts."""
    from storage.postgres import PostgresStore

    return store if isinstance(store, PostgresStore) else None


def leader_check(store: Store) -> Callable[[str], Awaitable[bool]] | None:
    """The store's ``try_leader`` when several instances can share it (PostgreSQL)."""
    shared = shared_store(store)
    return shared.try_leader if shared is not None else None


def _deliver_for(services: Services, adapters: Sequence[Adapter]) -> None:
    """Lease only alerts this instance can send (a shared store filters)."""
    shared = shared_store(services.store)
    if shared is not None:
        shared.set_delivery_platforms({a.platform for a in adapters})


async def _start_one(services: Services, adapter: Adapter, started: list[Adapter]) -> None:
    await adapter.start(services.router, services.router.registry.menu())
    started.append(adapter)
    log.info("adapter %s started", adapter.platform)


@dataclass
class Standby:
    """Adapters whose receiving side runs in another instance. Those that can send
    without receiving (``start_sending()`` says so) are started send-only and
    listed in ``sending`` too; they are also in ``started``, to stop with the rest."""

    adapters: list[Adapter] = field(default_factory=list)
    sending: list[Adapter] = field(default_factory=list)


def _among(adapters: Sequence[Adapter], adapter: Adapter) -> bool:
    return any(a is adapter for a in adapters)


def _drop(adapters: list[Adapter], adapter: Adapter) -> None:
    adapters[:] = [a for a in adapters if a is not adapter]


async def _stand_by(adapter: Adapter, standby: Standby, started: list[Adapter]) -> None:
    standby.adapters.append(adapter)
    if await adapter.start_sending():
        standby.sending.append(adapter)
        started.append(adapter)
        log.info("adapter %s: sending only, another instance receives", adapter.platform)
    else:
        log.info("adapter %s runs in another instance; standing by", adapter.platform)


async def start_adapters(services: Services, started: list[Adapter]) -> Standby:
    """Start the adapters; return those standing by.

    With one instance (SQLite) every adapter starts. With several (PostgreSQL),
    an adapter's receiving side (Telegram polling or webhook, Slack Socket Mode,
    the console) runs only in the instance holding the advisory lock
    ``adapter:<platform>``. The others start it send-only when the adapter can
    (:meth:`~bot.adapters.base.Adapter.start_sending`), else leave that
    platform's alerts to the holder; they take over when it dies
    (:func:`standby_loop`)."""
    leader = leader_check(services.store)
    standby = Standby()
    for adapter in services.adapters:
        if leader is None or await leader(f"adapter:{adapter.platform}"):
            await _start_one(services, adapter, started)
        else:
            await _stand_by(adapter, standby, started)
    if leader is not None:
        _deliver_for(services, started)
    return standby


async def standby_loop(
    services: Services,
    standby: Standby,
    started: list[Adapter],
    stop: asyncio.Event,
    poll: float = LEADER_POLL_SECONDS,
) -> None:
    """Take over an adapter whose leader died; give one up whose lock was lost."""
    leader = leader_check(services.store)
    assert leader is not None
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), poll)
        if stop.is_set():
            break
        try:
            for adapter in list(started):
                if _among(standby.sending, adapter):
                    continue
                if not await leader(f"adapter:{adapter.platform}"):
                    log.warning("adapter %s: lost the leader lock; stopping it", adapter.platform)
                    _drop(started, adapter)
                    await adapter.stop()
                    await _stand_by(adapter, standby, started)
            for adapter in list(standby.adapters):
                if await leader(f"adapter:{adapter.platform}"):
                    _drop(standby.adapters, adapter)
                    if _among(standby.sending, adapter):
                        _drop(standby.sending, adapter)
                        _drop(started, adapter)
                        await adapter.stop()
                    await _start_one(services, adapter, started)
            _deliver_for(services, started)
        except Exception:
            log.exception("adapter leadership check failed; retrying")


async def notify_loop(services: Services, store: PostgresStore, stop: asyncio.Event) -> None:
    """Wake the dispatcher as soon as any instance queues alerts (LISTEN/NOTIFY)."""
    wait = store.wait_for_notify
    while not stop.is_set():
        try:
            if await wait(OUTBOX_CHANNEL, 1.0):
                services.dispatcher.wake.set()
        except Exception:
            log.exception("listening for queued alerts failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)


async def serve(
    services: Services,
    stop: asyncio.Event,
    *,
    handle_signals: bool = True,
    http: bool = False,
    feeds: bool = True,
) -> None:
    """Run until ``stop`` is set (or a signal arrives); in-flight work finishes,
    unsent alerts stay in the outbox for the next start. ``http`` starts the
    service's HTTP server (:mod:`bot.http`, with the adapters' routes);
    ``feeds`` polls the feeds in the store (:mod:`bot.ingest.feeds`)."""
    loop = asyncio.get_running_loop()
    if handle_signals:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
    started: list[Adapter] = []
    server: HttpServer | None = None
    fetcher: Fetcher | None = None
    # register as a lease owner and take over what dead processes held, first
    liveness = Liveness(services.store, services.settings, "run")
    await liveness.start()
    monitor = services.monitor
    try:
        standby = await start_adapters(services, started)
        if monitor is not None:
            monitor.serving(started, standby.adapters)
        if http:
            server = http_server(services)
            await server.start()
        dispatching = asyncio.create_task(services.dispatcher.run(stop), name="dispatcher")
        if monitor is not None:
            monitor.dispatcher_task = dispatching
        tasks = [
            asyncio.create_task(analysis_loop(services, stop), name="analysis"),
            dispatching,
            asyncio.create_task(index_loop(services, stop), name="index"),
            asyncio.create_task(liveness.run(stop), name="heartbeat"),
        ]
        if leader_check(services.store) is not None:  # several instances share the database
            tasks.append(
                asyncio.create_task(standby_loop(services, standby, started, stop), name="leader")
            )
        shared = shared_store(services.store)
        if shared is not None:
            tasks.append(asyncio.create_task(notify_loop(services, shared, stop), name="notify"))
        if feeds:
            fetcher = Fetcher(services.settings)
            poller = FeedPoller(services.store, services.settings, fetcher, services.ingest)
            tasks.append(asyncio.create_task(poller.run(stop), name="feeds"))
        await stop.wait()
        log.info("stopping: finishing in-flight work")
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if server is not None:
            await server.stop()
        if fetcher is not None:
            await fetcher.aclose()
        await liveness.stop()
        for adapter in reversed(started):
            try:
                await adapter.stop()
            except Exception:
                log.exception("adapter %s did not stop cleanly", adapter.platform)
        if handle_signals:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(sig)
