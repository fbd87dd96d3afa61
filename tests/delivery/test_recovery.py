"""Fast recovery after a kill -9: the leases of a dead process are taken over
within seconds, not when they expire (DELIVERY_LEASE_SECONDS), on SQLite and
on PostgreSQL — by the next start, or by another instance running beside it.

A real ``claimwatch run`` delivers through the real python-telegram-bot client
to the fake Bot API, whose sendMessage is held, so the process dies holding
leases; then the fake answers again and we measure how long the dead
process's alerts wait.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.config import Settings, load_settings
from bot.liveness import Liveness, process_gone, this_host
from bot.models import Alert, ChatRef, LeaseOwner, Link, Span
from bot.runtime import Services, serve
from storage.base import Store
from tests.fakes.telegram_server import FakeTelegramServer
from tests.storage.conftest import Backend

LEASE = 60.0  # DELIVERY_LEASE_SECONDS: a dead process's leases would hold this long
RESUME_WITHIN = 5.0
CHATS = [ChatRef("telegram", str(1000 + n)) for n in range(6)]


def make_alert(chat: ChatRef, n: int) -> Alert:
    return Alert(
        chat=chat,
        watch="China",
        watch_key="gpe:china",
        event_id=f"ev-{n}",
        event_title=f"Event {n}",
        story_title=f"Story {n}",
        claims=(),
        links=(Link("Reuters", f"https://example.com/{n}"),),
        outlets=1,
        new_event=True,
        key=f"recovery-{n}",
        lines=((Span("China", bold=True), Span(f": alert #{n}")),),
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    server = FakeTelegramServer(hold=asyncio.Event())
    await server.start()
    yield server
    await server.stop()


def settings_for(backend: Backend, fake: FakeTelegramServer) -> Settings:
    return load_settings(
        _env_file=None,
        database_url=backend.url,
        telegram_bot_token=fake.token,
        telegram_api_url=fake.api_url,
        delivery_lease_seconds=LEASE,
        delivery_poll_seconds=0.2,
        per_chat_per_second=100.0,
        flood_max_alerts=0,
    )


async def start_run(
    backend: Backend, fake: FakeTelegramServer, cwd: Path
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DATABASE_URL": backend.url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.api_url,
        "DELIVERY_LEASE_SECONDS": str(LEASE),
        "PER_CHAT_PER_SECOND": "100",
        "FLOOD_MAX_ALERTS": "0",
        "HTTP_PORT": "0",
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=str(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def kill_while_holding_leases(
    store: Store, backend: Backend, fake: FakeTelegramServer, cwd: Path
) -> set[str]:
    """Start ``claimwatch run``, let it lease alerts whose sends hang, kill -9 it;
    the keys of the alerts it held."""
    proc = await start_run(backend, fake, cwd)
    try:
        async with asyncio.timeout(60):
            while fake.holding < len(CHATS):
                if proc.returncode is not None:
                    _, err = await proc.communicate()
                    raise AssertionError(f"claimwatch run exited: {err.decode()[-2000:]}")
                await asyncio.sleep(0.05)
        held = {key for _, key, _ in await store.leased_alerts()}
        assert len(held) == len(CHATS)
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.communicate()
    return held


def release(fake: FakeTelegramServer) -> None:
    """The platform answers again; what the dead process had sent is lost with it."""
    assert fake.hold is not None
    fake.drop_held = True
    fake.hold.set()


async def wait_for_keys(fake: FakeTelegramServer, count: int) -> float:
    """Seconds until the fake has accepted ``count`` messages."""
    started = time.monotonic()
    async with asyncio.timeout(LEASE + 30):
        while len(fake.sent) < count:  # noqa: ASYNC110 - the fake records sends
            await asyncio.sleep(0.02)
    return time.monotonic() - started


async def run_instance(settings: Settings) -> tuple[Services, asyncio.Event, asyncio.Task[None]]:
    services = await Services.open(settings, [TelegramAdapter(settings, poll_timeout=1)])
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False, feeds=False))
    return services, stop, task


async def stop_instance(services: Services, stop: asyncio.Event, task: asyncio.Task[None]) -> None:
    stop.set()
    await task
    await services.close()


async def test_a_restart_resumes_a_killed_process_deliveries_within_seconds(
    store: Store, backend: Backend, fake: FakeTelegramServer, tmp_path: Path
) -> None:
    alerts = [make_alert(chat, n) for n, chat in enumerate(CHATS)]
    await store.enqueue_alerts(alerts, datetime.now(UTC))
    await kill_while_holding_leases(store, backend, fake, tmp_path)
    release(fake)

    restarted = time.monotonic()
    running = await run_instance(settings_for(backend, fake))
    try:
        await wait_for_keys(fake, len(CHATS))
        waited = time.monotonic() - restarted
    finally:
        await stop_instance(*running)
    assert waited <= RESUME_WITHIN, f"delivery resumed {waited:.1f} s after the restart"
    assert sorted(m.chat_id for m in fake.sent) == sorted(int(c.chat_id) for c in CHATS)


async def test_another_instance_takes_over_a_killed_ones_alerts_within_seconds(
    store: Store, backend: Backend, fake: FakeTelegramServer, tmp_path: Path
) -> None:
    alerts = [make_alert(chat, n) for n, chat in enumerate(CHATS)]
    await store.enqueue_alerts(alerts, datetime.now(UTC))
    proc = await start_run(backend, fake, tmp_path)
    running: tuple[Services, asyncio.Event, asyncio.Task[None]] | None = None
    try:
        async with asyncio.timeout(60):
            while fake.holding < len(CHATS):  # noqa: ASYNC110 - the fake counts held sends
                await asyncio.sleep(0.05)
        running = await run_instance(settings_for(backend, fake))  # the survivor
        await asyncio.sleep(1.0)  # it is up, and the other one's leases still hold
        assert fake.sent == []
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.communicate()
    killed = time.monotonic()
    release(fake)
    try:
        await wait_for_keys(fake, len(CHATS))
        waited = time.monotonic() - killed
    finally:
        if running is not None:
            await stop_instance(*running)
    assert waited <= RESUME_WITHIN, f"the survivor resumed {waited:.1f} s after the kill"


async def test_a_stale_heartbeat_is_gone_and_a_live_one_is_not(store: Store) -> None:
    settings = load_settings(_env_file=None, lease_stale_seconds=1.0)
    now = datetime.now(UTC)
    # an instance on another host: only its heartbeat can tell whether it lives
    far = LeaseOwner("far-away", "elsewhere/boot/ns", os.getpid(), None, "run", now, now)
    await store.register_lease_owner(far)
    await store.enqueue_alerts([make_alert(CHATS[0], 0)], now)
    assert await _claim_as(store, "far-away") == 1
    me = Liveness(store, settings, "run")
    await me.start()
    assert await store.leased_alerts() != []  # a fresh heartbeat elsewhere: kept
    await asyncio.sleep(1.2)  # it stops beating
    assert await me.take_over() == 1
    assert await store.leased_alerts() == []
    assert [o.id for o in await store.lease_owners()] == [store.instance_id]
    await me.stop()
    assert await store.lease_owners() == []


async def _claim_as(store: Store, owner: str) -> int:
    """Lease the due alerts as the owner ``owner`` would (its store's instance id)."""
    mine = store.instance_id
    store.instance_id = owner
    try:
        return len(await store.claim_due_alerts(datetime.now(UTC), 10, LEASE))
    finally:
        store.instance_id = mine


def test_a_dead_process_on_this_host_is_gone_and_a_live_one_is_not() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(done.stdout)
    now = datetime.now(UTC)
    host = this_host()

    def owner(pid: int, pid_start: str | None, where: str = host) -> LeaseOwner:
        return LeaseOwner(f"o{pid}", where, pid, pid_start, "run", now, now)

    from bot.liveness import process_start

    parent = os.getppid()
    assert process_gone(owner(dead, None), host=host, me="me")
    assert not process_gone(owner(parent, process_start(parent)), host=host, me="me")
    # the pid lives, but it is another process than the one registered
    assert process_gone(owner(parent, "1"), host=host, me="me")
    # our own pid: another store of this process is alive; an earlier process
    # that had this pid (another start time) is gone
    assert not process_gone(owner(os.getpid(), process_start(os.getpid())), host=host, me="me")
    assert process_gone(owner(os.getpid(), "1"), host=host, me="me")
    # another host: only its heartbeat can tell
    assert not process_gone(owner(dead, None, "elsewhere/x/y"), host=host, me="me")
