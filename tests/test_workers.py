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
