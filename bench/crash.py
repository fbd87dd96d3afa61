"""Crash safety of delivery: SIGKILL the real ``claimwatch run`` while it delivers.

    .venv/bin/python bench/crash.py [--alerts 2000] [--chats 500] [--kills 20]
                                    [--lease 15] [--seed 7] [--postgres DSN]

Queues ``--alerts`` alerts for ``--chats`` chats (a tenth of them groups) in a
fresh SQLite file (or, with ``--postgres DSN``, a fresh schema on that server)
through the Store API, starts the fake Bot API with
Telegram's limits (:mod:`tests.fakes.telegram_limits`, its own process), then
``--kills`` times: starts ``claimwatch run`` (``DATABASE_URL`` on that file,
``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_URL`` on the fake), waits a random
1-5 s and kills it with SIGKILL. A last run delivers what is left and is
stopped with SIGTERM once the outbox is empty.

Reports alerts lost (never received by the fake; goal 0), duplicates (an
alert received more than once; goal at most one per kill), the most
duplicates any one kill caused, 429s, the wall time, and the **stall after a
restart**: each kill leaves the alerts the dead process was sending leased to
it; the next start takes them over (:mod:`bot.liveness`: the dead pid's leases
are released at once) instead of waiting ``--lease`` seconds
(DELIVERY_LEASE_SECONDS). For every restart the bench measures the time from
starting the process to the first message the fake accepted, and to the first
re-send of an alert the killed process held (goal ≤ 5 s); a restart killed
again before it re-sent any is counted as cut short.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.telegram_fake import TOKEN, FakeTelegramProcess
from bot.models import Alert, ChatRef, Link, Span
from storage import open_store
from tests.storage.pg import fresh_schema, schema_url

CLAIMWATCH = Path(sys.executable).with_name("claimwatch")
MARK = re.compile(r"alert #(\d+)\b")


def make_alert(chat: ChatRef, n: int) -> Alert:
    return Alert(
        chat=chat,
        watch="China",
        watch_key="gpe:china",
        event_id=f"ev-{n % 53}",
        event_title=f"Event {n % 53}",
        story_title=f"Story {n}",
        claims=(),
        links=(Link("Reuters", f"https://example.com/{n}"),),
        outlets=1,
        new_event=True,
        key=f"crash-{n}",
        lines=((Span("China", bold=True), Span(f": alert #{n}")),),
    )


def chats(count: int) -> list[ChatRef]:
    groups = count // 10
    return [ChatRef("telegram", str(-2000 - g)) for g in range(groups)] + [
        ChatRef("telegram", str(20_000 + p)) for p in range(count - groups)
    ]


async def start(env: dict[str, str], cwd: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        str(CLAIMWATCH),
        "-q",
        "run",
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


@asynccontextmanager
async def database(postgres: str | None, folder: Path) -> AsyncIterator[str]:
    """A fresh database: a SQLite file in ``folder``, or a new schema on ``postgres``."""
    if postgres is None:
        yield f"sqlite:///{folder / 'crash.db'}"
        return
    async with fresh_schema(postgres) as schema:
        yield schema_url(postgres, schema)


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="claimwatch-crash-") as tmp:
        async with database(args.postgres, Path(tmp)) as url:
            store = await open_store(url)
            targets = chats(args.chats)
            alerts = [make_alert(targets[n % len(targets)], n) for n in range(args.alerts)]
            await store.enqueue_alerts(alerts, datetime.now(UTC))

            async with FakeTelegramProcess() as fake:
                env = {
                    "PATH": os.environ.get("PATH", ""),
                    "HOME": os.environ.get("HOME", tmp),
                    "DATABASE_URL": url,
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_URL": fake.api_url,
                    "DELIVERY_LEASE_SECONDS": str(args.lease),
                    "HTTP_PORT": "0",
                    "LOG_LEVEL": "WARNING",
                }
                started = time.monotonic()
                kills: list[float] = []
                starts: list[float] = []
                held: list[set[int]] = []  # per kill: the alerts the dead process held
                for _ in range(args.kills):
                    starts.append(time.monotonic())
                    proc = await start(env, tmp)
                    await asyncio.sleep(rng.uniform(1.0, 5.0))
                    proc.send_signal(signal.SIGKILL)
                    await proc.wait()
                    kills.append(time.monotonic())
                    held.append(
                        {int(key.split("-")[1]) for _, key, _ in await store.leased_alerts()}
                    )
                    counts = await store.outbox_counts()
                    print(
                        f"kill {len(kills):2d} at +{kills[-1] - started:6.1f} s: "
                        f"{counts['sent']} sent, {counts['pending'] + counts['retry']} open, "
                        f"{len(held[-1])} leased by the dead process",
                        flush=True,
                    )
                starts.append(time.monotonic())
                proc = await start(env, tmp)
                while True:
                    counts = await store.outbox_counts()
                    if counts["pending"] + counts["retry"] == 0:
                        break
                    if proc.returncode is not None:
                        raise SystemExit(f"claimwatch run exited with {proc.returncode}")
                    await asyncio.sleep(0.5)
                proc.send_signal(signal.SIGTERM)
                await asyncio.wait_for(proc.wait(), 60)
                elapsed = time.monotonic() - started
            await store.close()

    received: Counter[int] = Counter()
    first_seen: dict[int, float] = {}
    arrivals = iter(t for t, _ in fake.stats["accepted"])
    for (_chat, text), at in zip(fake.stats["sent"], arrivals, strict=True):
        m = MARK.search(text)
        if m:
            n = int(m.group(1))
            received[n] += 1
            first_seen.setdefault(n, at)
    lost = [n for n in range(args.alerts) if received[n] == 0]
    dupes = {n: c - 1 for n, c in received.items() if c > 1}
    per_kill: Counter[int] = Counter()
    for n, extra in dupes.items():  # charged to the first kill after the first copy arrived
        k = next((i for i, t in enumerate(kills) if t >= first_seen[n]), len(kills))
        per_kill[k] += extra
    # the stall after each restart: start → first message, start → first re-send of
    # an alert the killed process held (within that run, else cut short)
    arrivals: list[tuple[float, int]] = []
    arrival_times = iter(t for t, _ in fake.stats["accepted"])
    for (_chat, text), at in zip(fake.stats["sent"], arrival_times, strict=True):
        m = MARK.search(text)
        if m:
            arrivals.append((at, int(m.group(1))))
    first_message: list[float] = []
    resumed: list[float] = []
    cut_short = 0
    for i, kill_held in enumerate(held):
        begin = starts[i + 1]
        end = kills[i + 1] if i + 1 < len(kills) else float("inf")
        window = [(t, n) for t, n in arrivals if begin <= t < end]
        if window:
            first_message.append(window[0][0] - begin)
        again = [t for t, n in window if n in kill_held]
        if again:
            resumed.append(again[0] - begin)
        elif kill_held:
            cut_short += 1
    refused: dict[str, int] = fake.stats["refused"]
    print(f"alerts queued        {args.alerts} for {args.chats} chats")
    print(f"kills (SIGKILL)      {len(kills)}, then one run to the end (SIGTERM)")
    print(f"alerts received      {len(received)} distinct, {sum(received.values())} messages")
    print(f"alerts lost          {len(lost)}{' ' + str(lost[:10]) if lost else ''}")
    print(
        f"duplicates           {sum(dupes.values())} (most from one kill: "
        f"{max(per_kill.values(), default=0)})"
    )
    print(f"outbox at the end    {counts}")
    print(f"429s                 {sum(refused.values())} {refused}")
    print(
        f"restart → 1st message longest {max(first_message, default=0):.1f} s, "
        f"median {sorted(first_message)[len(first_message) // 2] if first_message else 0:.1f} s"
    )
    print(
        f"stall after a restart longest {max(resumed, default=0):.1f} s (start → first re-send "
        f"of a held alert; {len(resumed)} restarts measured, {cut_short} killed before any)"
    )
    print(f"wall time            {elapsed:.1f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--alerts", type=int, default=2000)
    p.add_argument("--chats", type=int, default=500)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--lease", type=float, default=15.0, help="DELIVERY_LEASE_SECONDS")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--postgres", metavar="DSN", help="run on PostgreSQL (a fresh schema) instead of SQLite"
    )
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
