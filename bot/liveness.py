"""Who holds a lease, whether it is still alive, and taking over when it is not.

Every process that takes leases (``claimwatch run``, each ``claimwatch work``,
and ``claimwatch ingest`` while it analyses) registers itself in the store as
a *lease owner*: its id (the store's ``instance_id``, a random hex id, which
its story and outbox leases carry),
its host (host name, boot id and process namespace, so two containers or a
reboot never look like the same machine), its pid and the pid's start time
(so a reused pid is not taken for the old process). It renews its heartbeat
every ``LEASE_HEARTBEAT_SECONDS`` and, with it, writes its metric counters for
``/metrics`` to add up across processes.

An owner is **gone** when

* it runs on this host and its process does not exist any more (or is a
  zombie, or the pid now belongs to a process started at another time), or
* its heartbeat is older than ``LEASE_STALE_SECONDS``.

A starting process takes over the leases of gone owners before it analyses
or delivers anything, and every live process checks again with each
heartbeat, so the stories and alerts a killed process held are analysed and
sent again within seconds, not when their leases (``DELIVERY_LEASE_SECONDS``,
the story lease) run out. A process that stops cleanly gives its own leases
back. Delivery stays at-least-once: an alert that was on its way when its
sender died is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from bot import metrics
from bot.config import Settings
from bot.models import LeaseOwner
from storage.base import Store

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None


@lru_cache(maxsize=1)
def this_host() -> str:
    """This machine as lease owners name it: host name, boot id, pid namespace."""
    parts = [socket.gethostname()]
    boot = _read("/proc/sys/kernel/random/boot_id")
    if boot:
        parts.append(boot[:8])
    with contextlib.suppress(OSError):
        parts.append(os.readlink("/proc/self/ns/pid").removeprefix("pid:").strip("[]"))
    return "/".join(parts)


def _stat(pid: int) -> tuple[str, str] | None:
    """``(state, start time)`` of a process from ``/proc``, None when unknown."""
    text = _read(f"/proc/{pid}/stat")
    if not text or ")" not in text:
        return None
    fields = text.rsplit(")", 1)[1].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]  # state, starttime (clock ticks after boot)


def process_start(pid: int) -> str | None:
    found = _stat(pid)
    return None if found is None else found[1]


def process_gone(owner: LeaseOwner, *, host: str, me: str) -> bool:
    """Whether ``owner``'s process certainly no longer exists (same host only)."""
    if owner.host != host or owner.id == me:
        return False
    found = _stat(owner.pid)
    if found is not None:
        state, start = found
        if state in ("Z", "X"):
            return True
        return owner.pid_start is not None and start != owner.pid_start
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class Liveness:
    """This process as a lease owner: ``await start()``, ``run(stop)``, ``await stop()``."""

    store: Store
    settings: Settings
    role: str
    clock: Callable[[], datetime] = utcnow

    def __post_init__(self) -> None:
        self.beats = 0
        self.taken_over = 0  # leases taken from gone owners so far
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def running(cls, store: Store, settings: Settings, role: str) -> Liveness:
        """Registered, with its heartbeat running in a task until :meth:`close`
        (for commands such as ``claimwatch ingest`` that analyse stories)."""
        live = cls(store, settings, role)
        await live.start()
        live._task = asyncio.create_task(live.run(live._stop), name=f"heartbeat-{role}")
        return live

    async def close(self) -> None:
        """End the heartbeat started by :meth:`running` and give the leases back."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self.stop()

    @property
    def owner_id(self) -> str:
        return self.store.instance_id

    def _me(self, now: datetime) -> LeaseOwner:
        pid = os.getpid()
        return LeaseOwner(
            id=self.owner_id,
            host=this_host(),
            pid=pid,
            pid_start=process_start(pid),
            role=self.role,
            started_at=now,
            heartbeat_at=now,
        )

    async def start(self) -> None:
        """Register, then take over the leases of owners that are gone."""
        await self.store.register_lease_owner(self._me(self.clock()))
        await self.take_over()

    async def take_over(self) -> int:
        """Release the leases of gone owners; the number of leases released."""
        now = await self.store.database_time()  # the clock the heartbeats are in
        stale = now - timedelta(seconds=self.settings.lease_stale_seconds)
        host = this_host()
        gone: list[LeaseOwner] = []
        for owner in await self.store.lease_owners():
            if owner.id == self.owner_id:
                continue
            if process_gone(owner, host=host, me=self.owner_id) or owner.heartbeat_at < stale:
                gone.append(owner)
        if not gone:
            return 0
        stories, alerts = await self.store.release_leases_of([o.id for o in gone])
        for owner in gone:
            log.warning(
                "lease owner %s (%s, pid %d on %s) is gone (last heartbeat %s); taking over",
                owner.id[:8],
                owner.role,
                owner.pid,
                owner.host.split("/")[0],
                owner.heartbeat_at.isoformat(timespec="seconds"),
            )
        if stories or alerts:
            log.warning("took over %d story and %d alert leases", stories, alerts)
        self.taken_over += stories + alerts
        return stories + alerts

    async def beat(self) -> None:
        """Renew the heartbeat, write this process's counters, take over gone owners."""
        now = self.clock()
        if not await self.store.renew_lease_owner(self.owner_id, now):
            log.warning(
                "lease owner %s: another process took this one for gone (a stall longer"
                " than LEASE_STALE_SECONDS?); registering again",
                self.owner_id[:8],
            )
            await self.store.register_lease_owner(self._me(now))
        await self.store.save_process_metrics(self.owner_id, metrics.samples())
        await self.take_over()
        self.beats += 1

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.lease_heartbeat_seconds)
            if stop.is_set():
                break
            try:
                await self.beat()
            except Exception:
                log.exception("heartbeat failed; retrying")

    async def stop(self) -> None:
        """Give this process's leases back and keep its counters (a clean stop)."""
        try:
            await self.store.save_process_metrics(self.owner_id, metrics.samples())
            await self.store.release_leases_of([self.owner_id])
        except Exception:
            log.exception("could not give the leases back; they expire or are taken over")
