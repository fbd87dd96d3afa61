"""The service's one HTTP server (``HTTP_HOST``:``HTTP_PORT``).

Routes:

``GET /healthz``
    ``200 {"status": "ok", ...}`` when the service works; 503 with the
    ``reason`` (and ``reasons``) when the store does not answer, analysis has
    stalled, the dispatcher stopped or an adapter is down (:mod:`bot.health`).
    The body lists adapters, dispatcher, analysis and outbox figures and the
    processes holding leases.
``GET /metrics``
    Prometheus text exposition (:mod:`bot.metrics`): counters of every process
    (``claimwatch work`` helpers too, through the store), plus gauges.
``POST /ingest``
    Stories pushed by scrapers and pipelines: one JSON object or a list of
    them (``title``, ``body``/``text``/``content``, ``url``, ``outlet``,
    ``published``/``date``) with ``Authorization: Bearer INGEST_TOKEN``.
    Off (404) while ``INGEST_TOKEN`` is unset; 401 on a missing or wrong
    token; 413 over ``INGEST_MAX_BYTES``; 400 with the reason on bad input
    (nothing of a bad batch is recorded). 202 with what was recorded: the
    stories wait as pending for the analysis loop. A story the store cannot
    take is listed with an ``error`` and the rest are still recorded (503 when
    none could be). Dates outside 1900-01-01 .. today + 2 days are cleared
    (the story is recorded undated, with a warning in the log).

``GET /event/{id}``, ``GET /entity/{id}``
    Event and entity pages when ``PUBLIC_URL`` is set (:mod:`bot.pages.server`,
    added by the runtime).

Adapters add their own routes (Slack's HTTP mode: ``POST /slack/events``)
before the server starts: :meth:`bot.adapters.base.Adapter.http_routes`.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import web

from bot import metrics
from bot.config import Settings
from bot.errors import ConfigError, InputError
from bot.ingest.files import parse_date, sane_date, split_title
from bot.ingest.text import strip_invisible
from bot.models import Story
from bot.net_address import check_url

log = logging.getLogger(__name__)

MAX_BATCH = 1000
BODY_KEYS = ("body", "text", "content")
TEXT_FIELDS = ("title", "url", "outlet", "published", "date", *BODY_KEYS)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Ingest = Callable[[Story], Awaitable[tuple[int, bool]]]
Health = Callable[[], Awaitable[dict[str, Any]]]
Others = Callable[[], Awaitable[Mapping[str, float]]]  # the other processes' metric samples


def story_from_json(record: object, where: str) -> Story:
    """One pushed story; :class:`InputError` naming the field that is wrong."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    fields = {str(k).lower(): v for k, v in record.items()}
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: field {name!r} must be a string")
    body = next((fields[k] for k in BODY_KEYS if fields.get(k)), None)
    if not isinstance(body, str) or not strip_invisible(body).strip():
        raise InputError(f"{where}: missing body (a non-empty 'body', 'text' or 'content')")
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    title = str(fields.get("title") or "").strip()
    if not title:
        title, body = split_title(body)
    url = str(fields.get("url") or "").strip() or None
    if url is not None:
        try:
            check_url(url)
        except InputError as exc:
            raise InputError(f"{where}: url: {exc}") from None
    published = None
    raw_date = fields.get("published") or fields.get("date")
    if isinstance(raw_date, str) and raw_date.strip():
        published = parse_date(raw_date)
        if published is None:
            raise InputError(f"{where}: cannot read the date {raw_date!r} (use 2025-04-09)")
    outlet = str(fields.get("outlet") or "").strip() or None
    source = url or f"http-push{where}"
    return Story(
        source=source,
        title=title,
        body=body,
        url=url,
        outlet=outlet,
        published=sane_date(published, source),
    )


def stories_from_body(data: bytes) -> list[Story]:
    """The stories in a ``POST /ingest`` body (all or none)."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("the body is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"invalid JSON: {exc}") from None
    if isinstance(parsed, dict):
        return [story_from_json(parsed, "")]
    if isinstance(parsed, list):
        if not parsed:
            raise InputError("the list is empty")
        if len(parsed) > MAX_BATCH:
            raise InputError(f"at most {MAX_BATCH} stories per request ({len(parsed)} sent)")
        return [story_from_json(item, f"[{n}]") for n, item in enumerate(parsed)]
    raise InputError("expected a JSON object or a list of objects")


def _error(status: int, reason: str, **headers: str) -> web.Response:
    return web.json_response({"error": reason}, status=status, headers=headers or None)


class HttpServer:
    """``add_route`` what you need, then ``start``; ``stop`` at the end."""

    def __init__(
        self,
        settings: Settings,
        *,
        ingest: Ingest | None = None,
        health: Health | None = None,
        collectors: Sequence[metrics.Collector] = (),
        others: Others | None = None,
    ) -> None:
        self.settings = settings
        self._ingest = ingest
        self._health = health
        self._collectors = list(collectors)
        self._others = others
        # aiohttp's own cap covers every route; /ingest checks its own limit first
        self.app = web.Application(client_max_size=max(settings.ingest_max_bytes, 1 << 20) + 1)
        self.app.router.add_get("/healthz", self.healthz)
        self.app.router.add_get("/metrics", self.metrics)
        self.app.router.add_post("/ingest", self.ingest)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def add_route(self, method: str, path: str, handler: Handler) -> None:
        self.app.router.add_route(method, path, handler)

    async def start(self, host: str | None = None, port: int | None = None) -> int:
        host = host or self.settings.http_host
        port = self.settings.http_port if port is None else port
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise ConfigError(
                f"cannot listen on {host}:{port} (HTTP_HOST/HTTP_PORT): {exc.strerror or exc}"
            ) from None
        self.port = int(self._runner.addresses[0][1])
        paths = sorted({r.resource.canonical for r in self.app.router.routes() if r.resource})
        log.info("HTTP server on %s:%d (%s)", host, self.port, ", ".join(paths))
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ routes

    async def healthz(self, request: web.Request) -> web.Response:
        info: dict[str, Any] = {"status": "ok"}
        if self._health is not None:
            try:
                info.update(await self._health())
            except Exception as exc:
                log.warning("health check failed: %s", exc)
                reason = f"the store does not answer ({type(exc).__name__})"
                return web.json_response(
                    {"status": "unavailable", "reason": reason, "error": type(exc).__name__},
                    status=503,
                )
        if info.get("status") == "ok":
            return web.json_response(info)
        reasons = info.get("reasons") or ["unavailable"]
        info["reason"] = "; ".join(str(r) for r in reasons)
        log.debug("GET /healthz: 503 (%s)", info["reason"])
        return web.json_response(info, status=503)

    async def metrics(self, request: web.Request) -> web.Response:
        others: Mapping[str, float] | None = None
        if self._others is not None:
            try:
                others = await self._others()
            except Exception as exc:  # still serve this process's own figures
                log.warning("reading other processes' metrics failed: %s", exc)
        text = await metrics.render(self._collectors, others)
        return web.Response(
            body=text.encode("utf-8"), headers={"Content-Type": metrics.CONTENT_TYPE}
        )

    async def ingest(self, request: web.Request) -> web.Response:
        token = self.settings.ingest_token
        if token is None or self._ingest is None:
            raise web.HTTPNotFound()
        given = request.headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        expected = token.get_secret_value().encode("utf-8")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            value.strip().encode("utf-8"), expected
        ):
            log.warning("POST /ingest from %s refused: bad or missing token", request.remote)
            return _error(401, "a valid bearer token is required", **{"WWW-Authenticate": "Bearer"})
        limit = self.settings.ingest_max_bytes
        if request.content_length is not None and request.content_length > limit:
            return _error(413, f"the body is over the limit of {limit} bytes")
        parts: list[bytes] = []
        size = 0
        while chunk := await request.content.read(64 * 1024):
            size += len(chunk)
            if size > limit:
                return _error(413, f"the body is over the limit of {limit} bytes")
            parts.append(chunk)
        data = b"".join(parts)
        try:
            stories = stories_from_body(data)
        except InputError as exc:
            return _error(400, str(exc))
        results: list[dict[str, Any]] = []
        failed = 0
        for story in stories:
            try:
                story_id, new = await self._ingest(story)
            except Exception as exc:  # one story that cannot be recorded never drops the rest
                log.exception("POST /ingest: story %s could not be recorded", story.source)
                failed += 1
                reason = str(exc) if isinstance(exc, InputError) else "could not be recorded"
                results.append({"source": story.source, "error": reason})
                continue
            if new:
                metrics.STORIES_INGESTED.inc(kind="http")
            results.append({"id": story_id, "new": new, "source": story.source})
        accepted = sum(1 for r in results if r.get("new"))
        duplicates = len(results) - accepted - failed
        log.info(
            "POST /ingest from %s: %d stories recorded, %d seen before, %d failed",
            request.remote,
            accepted,
            duplicates,
            failed,
        )
        body = {"accepted": accepted, "duplicates": duplicates, "stories": results}
        if failed:
            body["failed"] = failed
        return web.json_response(body, status=503 if failed == len(results) else 202)
