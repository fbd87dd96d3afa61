"""The ``claimwatch`` commands for live sources: ``feeds add|list|remove|import|export|poll``
and ``ingest https://…`` (one article per URL)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import metrics
from bot.config import Settings
from bot.errors import ClaimWatchError, InputError, PermanentError
from bot.exchange import feeds_opml
from bot.ingest.feed_parsing import parse_opml
from bot.ingest.feeds import FeedPoller, check_feed_address, feed_line
from bot.ingest.web import fetch_article
from bot.models import Story
from bot.net import Fetcher
from bot.net_address import check_url_address
from bot.net_errors import error_kind
from bot.runtime import Services

BAR_MIN_URLS = 2
BAR_MIN_ENTRIES = 20


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def add_feeds_parser(sub: Any) -> None:
    f = sub.add_parser("feeds", help="the RSS/Atom feeds the service polls")
    fa = f.add_subparsers(dest="feeds_action", required=True, metavar="ACTION")
    fa.add_parser("list", help="every feed with its status")
    add = fa.add_parser("add", help="poll a feed from now on (first poll at once)")
    add.add_argument("url")
    rm = fa.add_parser("remove", help="stop polling a feed")
    rm.add_argument("url")
    imp = fa.add_parser("import", help="add every feed in an OPML file")
    imp.add_argument("file")
    fa.add_parser("export", help="print every feed as OPML (what `feeds import` reads)")
    ref = fa.add_parser("refresh", help="make the running service poll feeds now (all, or one URL)")
    ref.add_argument("url", nargs="?")
    poll = fa.add_parser("poll", help="poll feeds now, here (all, or one URL), with progress")
    poll.add_argument("url", nargs="?")
    poll.add_argument(
        "--queue-only", action="store_true", help="only record the stories; the service analyses"
    )


async def cmd_feeds(settings: Settings, args: argparse.Namespace) -> int:
    services = await Services.open(settings)
    try:
        action = args.feeds_action
        now = services.pipeline.clock()
        store = services.store
        if action == "list":
            feeds = await store.list_feeds()
            if not feeds:
                print("no feeds; add one with: claimwatch feeds add URL")
            for feed in feeds:
                print(f"#{feed.id} {feed_line(feed, now)}")
            return 0
        if action == "add":
            checked = await check_feed_address(args.url, settings)
            feed, new = await store.add_feed(checked, now, added_by="cli")
            print(f"{'added' if new else 'already polling'} #{feed.id} {feed.url}")
            return 0
        if action == "remove":
            if await store.remove_feed(args.url.strip()):
                print(f"removed {args.url}")
                return 0
            print(f"claimwatch: no feed {args.url}", file=sys.stderr)
            return 1
        if action == "refresh":
            url = None if args.url is None else args.url.strip()
            n = await store.schedule_feeds(now, url)
            if url is not None and not n:
                print(f"claimwatch: no feed {url}", file=sys.stderr)
                return 1
            print(f"{n} feed(s) due now; a running service polls them within seconds")
            return 0
        if action == "import":
            return await _import(services, Path(args.file))
        if action == "export":
            sys.stdout.write(feeds_opml(await store.list_feeds(), now))
            return 0
        return await _poll(services, args.url, args.queue_only, args.quiet)
    finally:
        await services.close()


async def _import(services: Services, path: Path) -> int:
    try:
        text = (await asyncio.to_thread(path.read_bytes)).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    added = known = bad = 0
    for url, title in parse_opml(text, str(path)):
        try:
            url = await check_feed_address(url, services.settings)
        except (InputError, PermanentError) as exc:
            print(f"claimwatch: skipped {url}: {exc}", file=sys.stderr)
            bad += 1
            continue
        _, new = await services.store.add_feed(
            url, services.pipeline.clock(), added_by="opml", title=title
        )
        added += new
        known += not new
    print(f"{added} feeds added, {known} already polled, {bad} skipped from {path}")
    return 0 if added or known else 1


async def _poll(services: Services, url: str | None, queue_only: bool, quiet: bool) -> int:
    from tqdm import tqdm

    store = services.store
    feeds = await store.list_feeds()
    if url is not None:
        feeds = [f for f in feeds if f.url == url.strip()]
        if not feeds:
            raise InputError(f"no feed {url}; add it with: claimwatch feeds add {url}")

    async def sink(story: Story) -> bool:
        if queue_only:
            return await services.ingest(story)
        outcome = await services.pipeline.process(story)
        return outcome.status != "seen-before"

    failed = 0
    async with Fetcher(services.settings) as fetcher:
        poller = FeedPoller(store, services.settings, fetcher, sink)
        for feed in feeds:
            bar: Any = None

            def progress(done: int, total: int, feed_url: str = feed.url) -> None:
                nonlocal bar
                if bar is None:
                    disable = quiet or total < BAR_MIN_ENTRIES
                    bar = tqdm(total=total, unit="story", desc=feed_url, disable=disable)
                bar.update(done - bar.n)

            report = await poller.poll(feed, progress)
            if bar is not None:
                bar.close()
            if report.poll.error:
                failed += 1
                print(f"{feed.url}: failed: {report.poll.error}", file=sys.stderr)
            elif report.unchanged:
                print(f"{feed.url}: not modified")
            else:
                print(f"{feed.url}: {report.new} new stories, {report.seen} seen before")
            for problem in report.failed:
                print(f"claimwatch: {feed.url}: entry failed: {problem}", file=sys.stderr)
    return 1 if failed and failed == len(feeds) else 0


async def ingest_urls(
    services: Services, urls: Sequence[str], queue_only: bool, quiet: bool
) -> tuple[int, int, int]:
    """Fetch and extract each URL's article, then ingest it; (added, seen, problems)."""
    from tqdm import tqdm

    added = seen = problems = 0
    async with Fetcher(services.settings) as fetcher:
        bar = tqdm(urls, unit="url", disable=quiet or len(urls) < BAR_MIN_URLS, file=sys.stderr)
        for url in bar:
            try:
                await check_url_address(url, services.settings.allow_private_urls)
                story = await fetch_article(url, fetcher)
            except ClaimWatchError as exc:
                metrics.SOURCE_ERRORS.inc(kind=error_kind(exc))
                print(f"claimwatch: skipped {url}: {exc}", file=sys.stderr)
                problems += 1
                continue
            try:
                if queue_only:
                    fresh = await services.ingest(story)
                else:
                    fresh = (await services.pipeline.process(story)).status != "seen-before"
            except Exception as exc:  # one article never stops the others
                print(f"claimwatch: {url}: could not be recorded: {exc}", file=sys.stderr)
                problems += 1
                continue
            if fresh:
                metrics.STORIES_INGESTED.inc(kind="url")
            added += fresh
            seen += not fresh
    return added, seen, problems
