"""Delivery throughput against Telegram's limits.

    .venv/bin/python bench/delivery.py [--alerts 3000] [--chats 1000] [--groups 20]
                                       [--per-group 30] [--timeline]

Queues ``--alerts`` alerts for ``--chats`` chats in a fresh SQLite outbox:
first a burst of ``--per-group`` alerts into each of ``--groups`` groups (more
than the 20 a minute Telegram allows a group, so the group limit matters),
then the private chats share the rest, round-robin; then runs
the real pieces in one process: the dispatcher and the Telegram adapter
(python-telegram-bot over HTTP) against the fake Bot API with Telegram's
limits enforced (:mod:`tests.fakes.telegram_limits`: 30 messages a second per
bot, one a second per chat, 20 a minute per group — a violation is a 429;
the fake runs as a process of its own, like a remote server).

Prints: messages accepted, wall time, the sustained rate (messages between
the first and the last arrival), 429s per limit, the busiest 1-second window,
the busiest 60-second window of any group, and the outbox at the end. The
flood guard is off here (FLOOD_MAX_ALERTS=0): this measures pacing, not folding.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import logging
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.telegram_fake import TOKEN, FakeTelegramProcess
from bot.adapters.telegram import TelegramAdapter
from bot.config import load_settings
from bot.delivery.dispatcher import Dispatcher
from bot.models import Alert, ChatRef, Command, Link, Reply, Span
from storage.sqlite import SqliteStore


def make_alert(chat: ChatRef, n: int) -> Alert:
    key = f"bench-{n}"
    return Alert(
        chat=chat,
        watch="China",
        watch_key="gpe:china",
        event_id=f"ev-{n % 97}",
        event_title=f"Event {n % 97}",
        story_title=f"Story {n}",
        claims=(),
        links=(Link("Reuters", f"https://example.com/{n}"),),
        outlets=1,
        new_event=True,
        key=key,
        lines=((Span("China", bold=True), Span(f": alert {key}")),),
    )


def plan(alerts: int, chats: int, groups: int, per_group: int) -> list[ChatRef]:
    """Which chat each alert goes to, in queue order: first a burst of
    ``per_group`` alerts into each group (round-robin over the groups), then
    the private chats, round-robin, sharing the rest."""
    group_refs = [ChatRef("telegram", str(-1000 - g)) for g in range(groups)]
    order = [chat for _ in range(per_group) for chat in group_refs]
    private = chats - groups
    rest = alerts - len(order)
    if private <= 0 or rest < private:
        raise SystemExit("not enough alerts for that many chats")
    counts = [rest // private + (1 if p < rest % private else 0) for p in range(private)]
    for round_ in range(max(counts)):
        order.extend(
            ChatRef("telegram", str(10_000 + p)) for p, n in enumerate(counts) if n > round_
        )
    return order


def busiest(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(
        (bisect.bisect_right(times, t + window - 1e-9) - i for i, t in enumerate(times)),
        default=0,
    )


async def answer(command: Command) -> Reply:
    return Reply.text("ok")


async def run(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="claimwatch-bench-") as tmp:
        async with FakeTelegramProcess() as server:
            settings = load_settings(
                _env_file=None,
                database_url=f"sqlite:///{tmp}/bench.db",
                telegram_bot_token=TOKEN,
                telegram_api_url=server.api_url,
                flood_max_alerts=0,
                log_level="WARNING",
            )
            store = await SqliteStore.open(Path(tmp) / "bench.db")
            await store.upgrade()
            order = plan(args.alerts, args.chats, args.groups, args.per_group)
            await store.enqueue_alerts(
                [make_alert(chat, n) for n, chat in enumerate(order)], datetime.now(UTC)
            )
            tg = TelegramAdapter(settings, poll_timeout=1)
            await tg.start(answer)
            dispatcher = Dispatcher(store, {"telegram": tg}, settings)
            stop = asyncio.Event()
            started = time.monotonic()
            loop = asyncio.create_task(dispatcher.run(stop))
            while True:
                counts = await store.outbox_counts()
                if counts["pending"] + counts["retry"] == 0:
                    break
                await asyncio.sleep(0.5)
            elapsed = time.monotonic() - started
            stop.set()
            await loop
            await tg.stop()
            await store.close()

    accepted: list[tuple[float, int]] = [(t, c) for t, c in server.stats["accepted"]]
    refused: dict[str, int] = server.stats["refused"]
    arrivals = [t for t, _ in accepted]
    groups: dict[int, list[float]] = defaultdict(list)
    for t, chat in accepted:
        if chat < 0:
            groups[chat].append(t)
    span = max(arrivals) - min(arrivals)
    print(f"alerts queued          {len(order)} to {args.chats} chats ({args.groups} groups)")
    print(f"messages accepted      {len(arrivals)}")
    print(f"wall time              {elapsed:.1f} s")
    print(f"sustained rate         {(len(arrivals) - 1) / span:.2f} messages/s (first to last)")
    print(f"429s                   {sum(refused.values())} {refused}")
    print(f"busiest 1 s window     {busiest(arrivals, 1.0)} messages (limit 30)")
    worst = max((busiest(ts, 60.0) for ts in groups.values()), default=0)
    print(f"busiest group minute   {worst} messages (limit 20)")
    print(f"outbox at the end      {counts}")
    first = min(arrivals)
    if args.timeline:
        buckets: dict[int, int] = defaultdict(int)
        for t in arrivals:
            buckets[int((t - first) // 10)] += 1
        print("per 10 s:", " ".join(f"{buckets[b]}" for b in range(max(buckets) + 1)))
    for t, chat, limit in server.stats["refused_at"] if args.timeline else []:
        print(f"  429 ({limit}) to chat {chat} at +{t - first:.3f} s")
        before = [round(a - first, 3) for a, c in accepted if c == chat and a < t][-3:]
        print(f"    earlier messages to that chat at {before}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--alerts", type=int, default=3000)
    p.add_argument("--chats", type=int, default=1000)
    p.add_argument("--groups", type=int, default=20)
    p.add_argument("--per-group", type=int, default=30, help="alerts queued at once per group")
    p.add_argument("--timeline", action="store_true", help="messages per 10 s, and each 429")
    asyncio.run(run(p.parse_args()))


if __name__ == "__main__":
    main()
