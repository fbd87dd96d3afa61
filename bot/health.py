"""What ``GET /healthz`` says, and why: health that tells the truth.

The service is **unavailable** (503, with the reasons in the JSON body) when

* the store does not answer;
* analysis has made no progress for ``HEALTH_ANALYSIS_STALL_SECONDS``: a
  story has waited that long and no story was analysed meanwhile (nor since
  this process started — a restart gets the same time to catch up);
* the dispatcher has stopped (its task ended while the service runs) or has
  not gone round its loop for :data:`DISPATCHER_STALL_SECONDS`;
* an adapter has been down for ``HEALTH_ADAPTER_DOWN_SECONDS``: it is not
  running although it should (not standing by for another instance), an
  optional ``down_since()`` of the adapter says so, or its sends have failed
  without a ``retry_after`` (unreachable, 5xx) since then with no success.

The body always lists the adapters, the dispatcher, analysis and outbox
figures and the processes holding leases (``run`` and ``work``), so an
operator sees what is wrong and where.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.adapters.base import Adapter
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from storage.base import Store

DISPATCHER_STALL_SECONDS = 60.0
"""The dispatcher goes round its loop every DELIVERY_POLL_SECONDS at most; this long
without a turn means it hangs."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def _age(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else round(max((now - then).total_seconds(), 0.0), 3)


@dataclass
class HealthMonitor:
    """Filled in by :func:`bot.runtime.serve` as the pieces start."""

    settings: Settings
    store: Store
    adapters: Sequence[Adapter] = ()
    dispatcher: Dispatcher | None = None
    dispatcher_task: asyncio.Task[None] | None = None
    started: list[Adapter] | None = None  # running adapters (None: serve is not running)
    standby: list[Adapter] = field(default_factory=list)  # another instance receives
    clock: Callable[[], datetime] = utcnow
    monotonic: Callable[[], float] = time.monotonic
    since: datetime = field(default_factory=utcnow)  # when this process started serving
    _down: dict[str, float] = field(default_factory=dict)

    def serving(self, started: list[Adapter], standby: list[Adapter]) -> None:
        self.started = started
        self.standby = standby
        self.since = self.clock()

    # ------------------------------------------------------------------ parts

    def _adapter(self, adapter: Adapter) -> tuple[str, float | None]:
        """``(status, down since (monotonic))``."""
        platform = adapter.platform
        if self.started is None:
            return "not started", None
        if any(a is adapter for a in self.standby) and not any(a is adapter for a in self.started):
            self._down.pop(platform, None)
            return "standby", None
        if not any(a is adapter for a in self.started):
            return "down", self._down.setdefault(platform, self.monotonic())
        self._down.pop(platform, None)
        hook = getattr(adapter, "down_since", None)
        since = hook() if callable(hook) else None
        if isinstance(since, int | float):
            return "down", float(since)
        if self.dispatcher is not None and platform in self.dispatcher.failing_since:
            return "failing", self.dispatcher.failing_since[platform]
        return "up", None

    def _dispatcher(self) -> tuple[str, float | None]:
        if self.dispatcher_task is None or self.dispatcher is None:
            return "not started", None
        if self.dispatcher_task.done():
            return "stopped", None
        last = self.dispatcher.last_pass
        idle = None if last is None else self.monotonic() - last
        if idle is not None and idle > DISPATCHER_STALL_SECONDS:
            return "stalled", idle
        return "running", idle

    # ------------------------------------------------------------------ report

    async def report(self) -> dict[str, Any]:
        """The /healthz body; ``status`` is ``ok`` or ``unavailable`` with ``reasons``."""
        now = self.clock()
        reasons: list[str] = []
        figures = await self.store.health_figures(now)
        schema = await self.store.schema_version()

        waiting = _age(now, figures.oldest_pending_story_at)
        analysed = _age(now, figures.last_analysed_at)
        stall_limit = self.settings.health_analysis_stall_seconds
        if figures.oldest_pending_story_at is not None:
            progress_from = max(
                t
                for t in (figures.oldest_pending_story_at, figures.last_analysed_at, self.since)
                if t is not None
            )
            stalled = (now - progress_from).total_seconds()
            if stalled > stall_limit:
                reasons.append(
                    f"analysis has made no progress for {stalled:.0f} s: a story has waited "
                    f"{waiting:.0f} s (HEALTH_ANALYSIS_STALL_SECONDS={stall_limit:g})"
                )

        d_status, d_idle = self._dispatcher()
        if d_status in ("stopped", "stalled"):
            reasons.append(f"the dispatcher has {d_status}: alerts are not being delivered")

        adapters: dict[str, Any] = {}
        down_limit = self.settings.health_adapter_down_seconds
        for adapter in self.adapters:
            status, since = self._adapter(adapter)
            down_for = None if since is None else round(self.monotonic() - since, 3)
            adapters[adapter.platform] = {"status": status, "down_seconds": down_for}
            if down_for is not None and down_for > down_limit:
                reasons.append(
                    f"adapter {adapter.platform} has been {status} for {down_for:.0f} s "
                    f"(HEALTH_ADAPTER_DOWN_SECONDS={down_limit:g})"
                )

        owners = await self.store.lease_owners()
        return {
            "status": "unavailable" if reasons else "ok",
            "reasons": reasons,
            "schema": schema,
            "analysis": {
                "oldest_pending_story_age_seconds": waiting,
                "last_analysed_seconds_ago": analysed,
            },
            "dispatcher": {"status": d_status, "last_pass_seconds_ago": d_idle},
            "adapters": adapters,
            "outbox": {"oldest_due_alert_age_seconds": _age(now, figures.oldest_due_alert_at)},
            "processes": [
                {
                    "role": o.role,
                    "pid": o.pid,
                    "host": o.host.split("/")[0],
                    "heartbeat_seconds_ago": _age(now, o.heartbeat_at),
                }
                for o in owners
            ],
        }
