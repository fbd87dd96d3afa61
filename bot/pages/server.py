"""The page routes on the service's HTTP server.

``GET /event/{id}`` and ``GET /entity/{id}``, each with ``?until=…&sig=…`` when
``PAGES=signed``. Every answer, errors included, carries a strict
Content-Security-Policy, ``X-Content-Type-Options: nosniff``,
``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store``. In order:

1. a client over ``PAGES_RATE_PER_MINUTE`` gets 429 with ``Retry-After``;
2. a missing, wrong or expired signature gets 403, the same answer whether or
   not the event or entity exists;
3. an unknown event or entity gets 404;
4. else 200 with the page.

The pages read stories, claims and events only: no chat, user or subscription.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web

from bot.config import Settings
from bot.pages.links import ENTITY_PREFIX, EVENT_PREFIX, PageLinks
from bot.pages.render import CONTENT_SECURITY_POLICY, entity_html, error_page, event_html
from bot.pages.timeline import build_timeline
from storage.base import Store

log = logging.getLogger(__name__)

MAX_CLIENTS = 10_000
ENTITY_EVENTS = 10
EVENT_ENTITIES = 6
ENTITY_CLAIMS = 20

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class ClientLimiter:
    """At most ``per_minute`` requests per client in any minute (a token bucket
    per client that refills continuously), for up to ``MAX_CLIENTS`` clients at
    once; the least recently seen are forgotten first."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        now = self.clock()
        tokens, at = self._buckets.pop(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self._buckets[client] = (tokens, now)
        while len(self._buckets) > MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return wait


class PageRoutes:
    """The event and entity pages of one service (one limiter per object)."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        links: PageLinks,
        clock: Callable[[], datetime],
        limiter: ClientLimiter | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.links = links
        self.clock = clock
        self.limiter = limiter or ClientLimiter(settings.pages_rate_per_minute)

    def routes(self) -> list[tuple[str, str, Callable[[web.Request], Awaitable[web.Response]]]]:
        return [
            ("GET", EVENT_PREFIX + "{event_id}", self.event),
            ("GET", ENTITY_PREFIX + "{entity_id}", self.entity),
        ]

    def client(self, request: web.Request) -> str:
        header = self.settings.pages_client_header
        if header:
            value = request.headers.get(header, "")
            # the address the nearest proxy added comes last
            last = value.rsplit(",", 1)[-1].strip()
            if last:
                return last
        return request.remote or "unknown"

    @staticmethod
    def _html(status: int, text: str, **extra: str) -> web.Response:
        return web.Response(
            status=status,
            body=text.encode("utf-8"),
            content_type="text/html",
            charset="utf-8",
            headers={**HEADERS, **extra},
        )

    def _refused(self, request: web.Request) -> web.Response | None:
        """The answer for a request that may not see the page, else None."""
        wait = self.limiter.take(self.client(request))
        if wait > 0:
            log.info("pages: %s over the rate limit", self.client(request))
            return self._html(
                429,
                error_page(429, "Too many requests. Try again in a minute."),
                **{"Retry-After": str(max(1, math.ceil(wait)))},
            )
        query = request.rel_url.query
        if not self.links.check(request.path, query.get("until"), query.get("sig")):
            log.info("pages: %s refused (missing, wrong or expired link)", request.path)
            return self._html(
                403,
                error_page(
                    403,
                    "This link is not valid, or it has expired. Ask the bot "
                    "for a new one with /event.",
                ),
            )
        return None

    async def event(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        view = await self.store.event_view(request.match_info["event_id"])
        if view is None:
            return self._html(404, error_page(404, "No such event."))
        origins = await self.store.claim_origins([c.id for c in view.claims])
        about = await self.store.event_entities(view.id, EVENT_ENTITIES)
        text = event_html(build_timeline(view, origins), self.clock(), about, self.links.entity)
        return self._html(200, text)

    async def entity(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        entity = await self.store.entity(request.match_info["entity_id"])
        if entity is None:
            return self._html(404, error_page(404, "No such entity."))
        events = await self.store.entity_events(
            entity.id, ENTITY_EVENTS, self.settings.min_salience
        )
        claims = await self.store.claims_about(entity.id, ENTITY_CLAIMS)
        ids = [c.id for c in claims] + [c.id for ev in events for c in ev.latest]
        origins = await self.store.claim_origins(ids)
        text = entity_html(entity, events, claims, origins, self.links.event, self.clock())
        return self._html(200, text)
