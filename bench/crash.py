"""Crash safety of delivery: SIGKILL the real ``claimwatch run`` while it delivers.

    .venv/bin/python bench/crash.py [--alerts 2000] [--chats 500] [--kills 20]
                                    [--lease 15] [--seed 7]

Queues ``--alerts`` alerts for ``--chats`` chats (a tenth of them groups) in a
fresh SQLite file through the Store API, starts the fake Bot API with
Telegram's limits (:mod:`tests.fakes.telegram_limits`, its own process), then
``--kills`` times: starts ``claimwatch run`` (``DATABASE_URL`` on that file,
``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_URL`` on the fake), waits a random
1-5 s and kills it with SIGKILL. A last run delivers what is left and is
stopped with SIGTERM once the outbox is empty.

Reports alerts lost (never received by the fake; goal 0), duplicates (an
alert received more than once; goal at most one per kill), the most
duplicates any one kill caused, 429s, and the wall time. The kills leave
leased rows behind: their chats wait ``--lease`` seconds (DELIVERY_LEASE_SECONDS)
before another start sends them.
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
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.telegram_fake import TOKEN, FakeTelegramProcess
from bot.models import Alert, ChatRef, Link, Span
from storage.sqlite import SqliteStore

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


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="claimwatch-crash-") as tmp:
        db = Path(tmp) / "crash.db"
        store = await SqliteStore.open(db)
        await store.upgrade()
        targets = chats(args.chats)
        alerts = [make_alert(targets[n % len(targets)], n) for n in range(args.alerts)]
        await store.enqueue_alerts(alerts, datetime.now(UTC))

        async with FakeTelegramProcess() as fake:
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": os.environ.get("HOME", tmp),
                "DATABASE_URL": f"sqlite:///{db}",
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_URL": fake.api_url,
                "DELIVERY_LEASE_SECONDS": str(args.lease),
                "HTTP_PORT": "0",
                "LOG_LEVEL": "WARNING",
            }
            started = time.monotonic()
            kills: list[float] = []
            for _ in range(args.kills):
                proc = await start(env, tmp)
                await asyncio.sleep(rng.uniform(1.0, 5.0))
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
                kills.append(time.monotonic())
                counts = await store.outbox_counts()
                print(
                    f"kill {len(kills):2d} at +{kills[-1] - started:6.1f} s: "
                    f"{counts['sent']} sent, {counts['pending'] + counts['retry']} open",
                    flush=True,
                )
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
    print(f"wall time            {elapsed:.1f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--alerts", type=int, default=2000)
    p.add_argument("--chats", type=int, default=500)
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--lease", type=float, default=15.0, help="DELIVERY_LEASE_SECONDS")
    p.add_argument("--seed", type=int, default=7)
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
