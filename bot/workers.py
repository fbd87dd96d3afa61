"""Extra analysis processes beside `claimwatch run` (``ANALYSIS_WORKERS``).

spaCy holds the GIL for most of a parse, so one process analyses on one core.
With ``ANALYSIS_WORKERS=N`` the service starts N-1 `claimwatch work`
processes on the same database: each leases waiting stories (a story is
analysed once) and decides events and novelty under the store's decision
lock, so the result is the same as with one process, only sooner. A worker
that dies is started again; on shutdown they get SIGTERM and finish the story
in hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

log = logging.getLogger(__name__)

RESTART_DELAY_SECONDS = 2.0
STOP_GRACE_SECONDS = 30.0


async def supervise(count: int, stop: asyncio.Event) -> None:
    """Keep ``count`` worker processes running until ``stop`` is set."""
    if count <= 0:
        return
    await asyncio.gather(*(_keep_one(n, stop) for n in range(1, count + 1)))


async def _keep_one(number: int, stop: asyncio.Event) -> None:
    while not stop.is_set():
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "work")
        log.info("analysis worker %d started (pid %d)", number, proc.pid)
        waiter = asyncio.create_task(proc.wait())
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if waiter.done():
            log.warning(
                "analysis worker %d exited with %s; starting it again", number, proc.returncode
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RESTART_DELAY_SECONDS)
            continue
        proc.terminate()
        try:
            await asyncio.wait_for(waiter, STOP_GRACE_SECONDS)
        except TimeoutError:
            log.warning("analysis worker %d did not stop in time; killing it", number)
            proc.kill()
            await waiter
        log.info("analysis worker %d stopped", number)
