"""`claimwatch work`: an extra analysis process on the same database."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.runtime import Services
from tests.conftest import ROOT
from tests.fakes.chat import FakeChat

EXAMPLE = ROOT / "examples" / "01_harbourwire_sorna_spill.txt"


async def test_a_worker_analyses_waiting_stories_and_stops_on_sigterm(
    services: Services, chat: FakeChat, tmp_path: Path
) -> None:
    await chat.say("/watch bulgaria")
    env = {**os.environ, "DATABASE_URL": services.settings.database_url}
    queued = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "ingest",
        "--queue-only",
        str(EXAMPLE),
        env=env,
        cwd=str(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, queue_err = await queued.communicate()
    assert queued.returncode == 0, queue_err.decode()
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "work",
        env=env,
        cwd=str(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(90):
            while (await services.store.outbox_counts()).get("pending", 0) == 0:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = await worker.communicate()
    assert worker.returncode == 0, err.decode()


async def test_a_killed_ingest_leaves_no_story_behind(
    services: Services, chat: FakeChat, tmp_path: Path
) -> None:
    """`claimwatch ingest` leases the story it analyses; killed with -9 halfway, its
    lease is taken over at once by the service, not after the 5-minute story lease."""
    from bot.runtime import serve

    await chat.say("/watch bulgaria")
    env = {**os.environ, "DATABASE_URL": services.settings.database_url}
    ingest = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "ingest", str(EXAMPLE),
        env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        async with asyncio.timeout(60):
            while await services.store.story(1) is None:  # noqa: ASYNC110 - another process
                await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # leased; the model is still loading
        assert [r.id for r in await services.store.pending_stories(5)] == []  # it is leased
    finally:
        ingest.send_signal(signal.SIGKILL)
        await ingest.communicate()
    killed = await services.store.story(1)
    assert killed is not None and killed.status == "pending"  # it died analysing it
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False, feeds=False))
    try:
        async with asyncio.timeout(60):
            while (await services.store.outbox_counts()).get("sent", 0) == 0:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await task
    record = await services.store.story(1)
    assert record is not None and record.status == "analysed"
