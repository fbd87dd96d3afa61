"""Ingest throughput and latency through the whole pipeline.

    .venv/bin/python bench/ingest.py [--stories 200] [--workers 1 2] [--rate 5] [--seconds 30]

Synthetic ~700-word stories are built from the sentences of the sample
stories (``examples/``, and ``../shared/seeds`` when present), seeded, so every
run sees the same text. A console chat watches a few countries, so stories
queue alerts.

* **Throughput** (feeds → outbox): a local RSS feed with ``--stories`` entries
  (full content) is polled into a fresh SQLite database by the feed poller;
  then 1 (and 2, ...) analysis worker *processes* — each the service's
  analysis loop, sharing the work through the story leases — analyse them
  all: entity linking, claims, events, novelty, alerts written to the outbox.
  Workers load spaCy before the clock starts. Reported: stories/s.
* **Latency** (ingest → outbox): ``claimwatch run`` as a subprocess; stories
  are pushed to its ``POST /ingest`` at a steady ``--rate`` for ``--seconds``;
  the latency of a story is the time from its ingest to the commit of its
  analysis and alerts (``stories.analysed_at - stories.ingested_at``, both
  stamped by the service). Reported: p50, p90, p99, max.

Figures vary with the machine; ``docs/benchmarks.md`` has a run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime
from email.utils import formatdate
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from bot.config import Settings, load_settings  # noqa: E402
from bot.ingest.feeds import FeedPoller  # noqa: E402
from bot.ingest.files import read_stories  # noqa: E402
from bot.models import Command, Story  # noqa: E402
from bot.net import Fetcher  # noqa: E402
from bot.runtime import Services  # noqa: E402

WATCHES = ("Bulgaria", "China", "Russia", "Ukraine")
WORDS = 700
TOKEN = "bench-token"


# --------------------------------------------------------------------------- stories


def sentence_pools() -> list[list[str]]:
    """The sentences of each sample story (one list per story)."""
    folders = [ROOT / "examples", ROOT.parent / "shared" / "seeds"]
    pools: list[list[str]] = []
    for item in read_stories([f for f in folders if f.is_dir()]):
        if not isinstance(item, Story):
            continue
        sentences: list[str] = []
        for para in item.body.split("\n"):
            for s in re.split(r"(?<=[.!?\"”’])\s+(?=[A-Z“\"])", para.strip()):
                if 6 <= len(s.split()) <= 60:
                    sentences.append(s)
        if len(sentences) >= 5:
            pools.append(sorted(set(sentences)))
    if not pools:
        raise SystemExit("no sample stories found in examples/")
    return pools


def make_stories(n: int, seed: int = 7, mix: str = "events") -> list[tuple[str, str]]:
    """``n`` (title, body) pairs of about :data:`WORDS` words each. ``events``:
    each story retells one sample story (its sentences, reordered and
    repeated), so the stories spread over as many events as there are samples;
    ``single``: every story mixes sentences of all samples (one big event)."""
    rng = random.Random(seed)
    pools = sentence_pools()
    everything = sorted({s for pool in pools for s in pool})
    out: list[tuple[str, str]] = []
    for i in range(n):
        pool = pools[i % len(pools)] if mix == "events" else everything
        paras: list[str] = []
        words = 0
        while words < WORDS:
            para = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
            paras.append(para)
            words += len(para.split())
        title = f"{rng.choice(pool).split(',')[0][:80]} ({i})"
        out.append((title, "\n\n".join(paras)))
    return out


def rss(stories: list[tuple[str, str]]) -> bytes:
    items = []
    for i, (title, body) in enumerate(stories):
        content = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
        items.append(
            f"<item><title>{escape(title)}</title>"
            f"<link>https://bench.example/{i}</link><guid>bench-{i}</guid>"
            f"<pubDate>{formatdate(1760000000 + i * 60)}</pubDate>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Bench Wire</title>" + "".join(items) + "</channel></rss>"
    ).encode()


def settings_for(db: Path, **extra: object) -> Settings:
    return load_settings(
        _env_file=None,
        database_url=f"sqlite:///{db}",
        allow_private_urls=True,
        fetch_max_bytes=200_000_000,
        fetch_timeout_seconds=300.0,
        **extra,
    )


async def watch(services: Services) -> None:
    for name in WATCHES:
        await services.router(Command("console", "bench", "bench", f"/watch {name}"))


# --------------------------------------------------------------------------- throughput


async def feed_into(db: Path, stories: list[tuple[str, str]]) -> float:
    """Poll a local feed of ``stories`` into a fresh database; seconds taken."""
    body = rss(stories)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed.xml", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    settings = settings_for(db)
    services = await Services.open(settings)
    try:
        await watch(services)
        feed, _ = await services.store.add_feed(
            f"http://127.0.0.1:{port}/feed.xml", services.pipeline.clock()
        )
        async with Fetcher(settings) as fetcher:
            poller = FeedPoller(services.store, settings, fetcher, services.ingest)
            start = time.perf_counter()
            report = await poller.poll(feed)
            took = time.perf_counter() - start
        if report.new != len(stories):
            raise SystemExit(f"feed poll took {report.new} of {len(stories)}: {report.poll.error}")
        return took
    finally:
        await services.close()
        await runner.cleanup()


async def run_workers(db: Path, count: int) -> float:
    """Analyse every pending story with ``count`` worker processes; seconds taken."""
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--worker",
            str(db),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(count)
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = await proc.stdout.readline()
        if line.strip() != b"ready":
            raise SystemExit(f"a worker did not start: {line!r}")
    start = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
    for proc in procs:
        await proc.wait()
    return time.perf_counter() - start


async def worker(db: Path) -> None:
    """One analysis worker: load the model, wait for "go", analyse until nothing waits."""
    import logging

    logging.basicConfig(level=logging.WARNING)
    services = await Services.open(settings_for(db))
    try:
        await asyncio.to_thread(
            services.pipeline.analyser.analyse,
            Story("warm-up", "Warm-up", "The minister said the talks would resume on Monday."),
        )
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        while await services.pipeline.analyse_pending(limit=4):
            pass
    finally:
        await services.close()


def counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        pending = con.execute("SELECT COUNT(*) FROM stories WHERE status = 'pending'").fetchone()
        done = con.execute("SELECT COUNT(*) FROM stories WHERE status != 'pending'").fetchone()
        alerts = con.execute("SELECT COUNT(*) FROM outbox").fetchone()
    finally:
        con.close()
    return int(pending[0]), int(done[0]), int(alerts[0])


# --------------------------------------------------------------------------- latency


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def latency(tmp: Path, stories: list[tuple[str, str]], rate: float) -> list[float]:
    import httpx

    db = tmp / "latency.db"
    services = await Services.open(settings_for(db))
    await watch(services)
    await services.close()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "HTTP_PORT": str(port),
        "INGEST_TOKEN": TOKEN,
        "LOG_LEVEL": "WARNING",
    }
    for name in list(env):
        if name.startswith(("TELEGRAM_", "SLACK_")):
            del env[name]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=str(tmp),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
    )
    headers = {"Authorization": f"Bearer {TOKEN}"}
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            warm = {"title": "Warm-up", "body": "The minister said the talks would resume."}
            await client.post("/ingest", json=warm, headers=headers)
            while counts(db)[0]:  # noqa: ASYNC110 - the model loads on the first story
                await asyncio.sleep(0.2)
            start = time.perf_counter()
            for i, (title, body) in enumerate(stories):
                due = start + i / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                story = {"title": title, "body": body, "url": f"https://bench.example/l{i}"}
                response = await client.post("/ingest", json=story, headers=headers)
                response.raise_for_status()
            while counts(db)[0]:  # noqa: ASYNC110 - another process analyses them
                await asyncio.sleep(0.2)
    finally:
        proc.terminate()
        await proc.wait()
    con = sqlite3.connect(db)
    try:
        rows = con.execute(
            "SELECT ingested_at, analysed_at FROM stories"
            " WHERE url LIKE 'https://bench.example/l%' AND analysed_at IS NOT NULL"
        ).fetchall()
    finally:
        con.close()
    return [
        (datetime.fromisoformat(done) - datetime.fromisoformat(got)).total_seconds()
        for got, done in rows
    ]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --------------------------------------------------------------------------- main


async def main(args: argparse.Namespace) -> None:
    stories = make_stories(args.stories, mix=args.mix)
    words = statistics.mean(len(b.split()) for _, b in stories)
    print(
        f"# ClaimWatch ingest benchmark — {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        f"{len(stories)} synthetic stories ({args.mix}), {words:.0f} words on average; "
        f"watching {', '.join(WATCHES)}\n"
    )
    with tempfile.TemporaryDirectory(prefix="claimwatch-bench-") as name:
        tmp = Path(name)
        if args.workers:
            print("| workers | feed → store | analysis → outbox | stories/s | alerts queued |")
            print("| --- | --- | --- | --- | --- |")
        for count in args.workers:
            db = tmp / f"throughput-{count}.db"
            fed = await feed_into(db, stories)
            took = await run_workers(db, count)
            pending, done, alerts = counts(db)
            assert pending == 0, f"{pending} stories left pending"
            print(
                f"| {count} | {len(stories) / fed:.0f} stories/s | {took:.1f} s "
                f"| **{done / took:.1f}** | {alerts} |",
                flush=True,
            )
        if args.seconds > 0:
            n = int(args.rate * args.seconds)
            steady = make_stories(n, seed=11, mix=args.mix)
            lat = await latency(tmp, steady, args.rate)
            print(
                f"\nLatency ingest → outbox at {args.rate:g} stories/s for {args.seconds} s "
                f"({len(lat)} stories, `claimwatch run`, "
                f"ANALYSIS_WORKERS={os.environ.get('ANALYSIS_WORKERS', '1')}):\n"
            )
            print("| p50 | p90 | p99 | max |")
            print("| --- | --- | --- | --- |")
            print(
                f"| {pct(lat, 0.5):.3f} s | {pct(lat, 0.9):.3f} s | {pct(lat, 0.99):.3f} s "
                f"| {max(lat):.3f} s |"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--mix",
        choices=["events", "single"],
        default="events",
        help="stories over many events (default), or all in one big event (worst case)",
    )
    parser.add_argument("--worker", metavar="DB", help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.worker:
        asyncio.run(worker(Path(ns.worker)))
    else:
        asyncio.run(main(ns))
