"""Health that tells the truth: /healthz answers 503 with the reason when
analysis is stuck, the dispatcher stopped or an adapter is down; /metrics
adds up the counters of every process (`claimwatch work` helpers too) and
shows how old the oldest waiting story and the oldest due alert are."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import metrics
from bot.config import Settings, load_settings
from bot.errors import TransientError
from bot.liveness import Liveness
from bot.models import ChatRef, Story
from bot.runtime import Services, http_server, serve
from storage import open_store
from tests.conftest import ROOT
from tests.fakes.chat import FakeAdapter, FakeChat
from tests.storage.builders import make_alert
from tests.test_http import free_port

EXAMPLE = ROOT / "examples" / "01_harbourwire_sorna_spill.txt"


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'cw.db'}",
        "http_port": free_port(),
        "delivery_poll_seconds": 0.1,
        "delivery_backoff_seconds": 0.05,
        "lease_heartbeat_seconds": 0.2,
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


class Service:
    """``serve`` with the HTTP server, in this process."""

    def __init__(self, services: Services, task: asyncio.Task[None], stop: asyncio.Event) -> None:
        self.services = services
        self.task = task
        self.stop = stop
        port = services.settings.http_port
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")

    async def health(self) -> httpx.Response:
        return await self.client.get("/healthz")

    async def until(self, status: int, within: float = 20.0) -> dict[str, Any]:
        """The /healthz body once it answers ``status``."""
        async with asyncio.timeout(within):
            while True:
                try:
                    response = await self.health()
                    if response.status_code == status:
                        body: dict[str, Any] = response.json()
                        return body
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)


async def running(settings: Settings, adapter: FakeAdapter) -> AsyncIterator[Service]:
    services = await Services.open(settings, [adapter])
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False, http=True, feeds=False))
    service = Service(services, task, stop)
    try:
        await service.until(200)
        yield service
    finally:
        stop.set()
        await task
        await service.client.aclose()
        await services.close()


@pytest.fixture
def adapter() -> FakeAdapter:
    return FakeAdapter()


async def test_healthy_says_what_runs(tmp_path: Path, adapter: FakeAdapter) -> None:
    async for svc in running(settings_for(tmp_path), adapter):
        body = (await svc.health()).json()
        assert body["status"] == "ok" and body["reasons"] == []
        assert body["adapters"] == {"fake": {"status": "up", "down_seconds": None}}
        assert body["dispatcher"]["status"] == "running"
        assert body["analysis"]["oldest_pending_story_age_seconds"] is None
        assert [p["role"] for p in body["processes"]] == ["run"]
        assert [p["pid"] for p in body["processes"]] == [os.getpid()]


async def test_analysis_that_makes_no_progress_is_unhealthy(
    tmp_path: Path, adapter: FakeAdapter
) -> None:
    settings = settings_for(tmp_path, health_analysis_stall_seconds=1.0)
    # a worker (alive, heartbeating) that took the story and never finishes it
    stuck = await open_store(settings.database_url)
    stuck_live = Liveness(stuck, settings, "work")
    await stuck_live.start()
    beat = asyncio.Event()
    heartbeat = asyncio.create_task(stuck_live.run(beat))
    try:
        story_id = await stuck.add_story(
            Story("push#1", "Sorna spill", "Officials in Sorna said the spill was contained."),
            datetime.now(UTC),
        )
        assert [r.id for r in await stuck.pending_stories(1)] == [story_id]
        async for svc in running(settings, adapter):
            body = await svc.until(503)
            assert body["status"] == "unavailable"
            assert "analysis has made no progress" in body["reason"]
            assert body["analysis"]["oldest_pending_story_age_seconds"] > 1.0
            assert sorted(p["role"] for p in body["processes"]) == ["run", "work"]
    finally:
        beat.set()
        await heartbeat
        await stuck.close()


async def test_a_stopped_dispatcher_is_unhealthy(tmp_path: Path, adapter: FakeAdapter) -> None:
    async for svc in running(settings_for(tmp_path), adapter):
        [dispatching] = [t for t in asyncio.all_tasks() if t.get_name() == "dispatcher"]
        dispatching.cancel()  # as if it had died
        body = await svc.until(503)
        assert body["dispatcher"]["status"] == "stopped"
        assert "dispatcher has stopped" in body["reason"]


async def test_an_adapter_down_for_long_is_unhealthy_and_recovers(
    tmp_path: Path, adapter: FakeAdapter
) -> None:
    settings = settings_for(tmp_path, health_adapter_down_seconds=0.5, delivery_max_attempts=100)
    adapter.fail_next(*(TransientError("fake platform unreachable") for _ in range(60)))
    async for svc in running(settings, adapter):
        await svc.services.store.enqueue_alerts(
            [make_alert(ChatRef("fake", "c1"), "k1")], datetime.now(UTC)
        )
        svc.services.dispatcher.wake.set()
        body = await svc.until(503)
        assert body["adapters"]["fake"]["status"] == "failing"
        assert body["adapters"]["fake"]["down_seconds"] > 0.5
        assert "adapter fake has been failing" in body["reason"]
        adapter.failures.clear()  # the platform is back
        body = await svc.until(200)
        assert body["adapters"]["fake"]["status"] == "up"
    assert [s.chat.chat_id for s in adapter.sent] == ["c1"]


async def test_a_store_that_does_not_answer_is_unhealthy(
    tmp_path: Path, adapter: FakeAdapter
) -> None:
    async for svc in running(settings_for(tmp_path), adapter):
        await svc.services.store.close()
        response = await svc.health()
        assert response.status_code == 503
        assert "store does not answer" in response.json()["reason"]
        svc.services.store = await open_store(svc.services.settings.database_url)


def sample(text: str, name: str) -> float:
    m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert m, f"{name} not in /metrics"
    return float(m.group(1))


async def test_a_worker_process_counts_reach_metrics(services: Services, tmp_path: Path) -> None:
    """With ANALYSIS_WORKERS>1 the analysis runs in `claimwatch work` processes:
    their counters reach /metrics through the store."""
    await FakeChat(services.router).say("/watch bulgaria")
    server = http_server(services)
    port = await server.start(port=0)
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
    env = {
        **os.environ,
        "DATABASE_URL": services.settings.database_url,
        "LEASE_HEARTBEAT_SECONDS": "0.2",
    }
    try:
        before = (await client.get("/metrics")).text
        queued = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "ingest", "--queue-only", str(EXAMPLE),
            env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        _, err = await queued.communicate()
        assert queued.returncode == 0, err.decode()
        waiting = (await client.get("/metrics")).text
        assert sample(waiting, "claimwatch_oldest_pending_story_age_seconds") > 0
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "work",
            env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            async with asyncio.timeout(90):
                while True:
                    text = (await client.get("/metrics")).text
                    if sample(text, "claimwatch_alerts_queued_total") > sample(
                        before, "claimwatch_alerts_queued_total"
                    ):
                        break
                    await asyncio.sleep(0.2)
            assert sample(text, "claimwatch_analysis_seconds_count") >= (
                sample(before, "claimwatch_analysis_seconds_count") + 1
            )
            assert sample(text, 'claimwatch_processes{role="work"}') == 1
            assert sample(text, "claimwatch_oldest_pending_story_age_seconds") == 0
            assert sample(text, "claimwatch_outbox_oldest_due_age_seconds") > 0
        finally:
            worker.send_signal(signal.SIGTERM)
            _, err = await worker.communicate()
        assert worker.returncode == 0, err.decode()
        # the worker is gone; what it counted is still counted
        after = (await client.get("/metrics")).text
        assert sample(after, "claimwatch_alerts_queued_total") == sample(
            text, "claimwatch_alerts_queued_total"
        )
        assert sample(after, 'claimwatch_processes{role="work"}') == 0
    finally:
        await client.aclose()
        await server.stop()


async def test_metrics_add_up_other_processes_samples() -> None:
    own = metrics.samples()
    text = await metrics.render(
        others={
            "claimwatch_alerts_queued_total": 5.0,
            'claimwatch_alerts_sent_total{platform="elsewhere"}': 2.0,
            'claimwatch_analysis_seconds_bucket{le="+Inf"}': 3.0,
            "claimwatch_analysis_seconds_count": 3.0,
        }
    )
    assert (
        sample(text, "claimwatch_alerts_queued_total") == own["claimwatch_alerts_queued_total"] + 5
    )
    assert sample(text, 'claimwatch_alerts_sent_total{platform="elsewhere"}') == 2
    assert (
        sample(text, "claimwatch_analysis_seconds_count")
        == own["claimwatch_analysis_seconds_count"] + 3
    )
    assert (
        sample(text, 'claimwatch_analysis_seconds_bucket{le="+Inf"}')
        == own['claimwatch_analysis_seconds_bucket{le="+Inf"}'] + 3
    )
    lines = text.splitlines()
    at = lines.index("# TYPE claimwatch_alerts_sent_total counter")
    assert 'claimwatch_alerts_sent_total{platform="elsewhere"} 2' in lines[at : at + 10]
