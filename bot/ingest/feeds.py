"""Stories from RSS and Atom feeds.

:class:`FeedPoller` polls the feeds in the store when they are due:

* the feed is fetched here, through :class:`bot.net.Fetcher` (safety rules,
  caps, per-host limit), with ``If-None-Match``/``If-Modified-Since`` from the
  last good poll; a 304 costs nothing more. feedparser only ever parses the
  bytes we fetched (handed over as a stream, so it never opens a URL or file;
  :mod:`bot.ingest.feed_parsing`);
* a document that declares entities (``<!DOCTYPE ... [<!ENTITY ...]>``, the
  "billion laughs") is refused before any parser sees it;
* entries are keyed by GUID and by link; a key seen before, from any feed, is
  skipped, so an article that two feeds carry becomes one story;
* an entry with only a summary (no content, or less than
  :data:`SUMMARY_ONLY_CHARS`) has its page fetched and the article extracted
  (:func:`bot.ingest.web.fetch_article`); when that fails, the summary is used
  if it is long enough to say something, else the entry is skipped;
* the next poll is due after the feed's interval (``FEED_INTERVAL_SECONDS``,
  at least a minute) ±10% jitter; after a failure, after the interval times
  2^failures (at most ``FEED_MAX_BACKOFF_SECONDS``, at least a server's
  ``Retry-After``);
* each due feed is polled in its own task (at most ``FEED_CONCURRENCY`` at
  once): a slow or broken feed never holds up the others, and a failure is one
  log line, a count in ``/metrics`` and a status in ``/feeds`` — never a crash.

:mod:`bot.ingest.feed_parsing` reads the fetched documents (:func:`parse_feed`,
and :func:`parse_opml` for the feed list of an OPML file); their names stay
importable from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot import metrics
from bot.config import Settings
from bot.errors import ClaimWatchError, InputError, PermanentError, TransientError
from bot.ingest.feed_parsing import (
    MAX_ENTRIES,
    SUMMARY_ONLY_CHARS,
    Entry,
    FeedRefused,
    NotAFeedError,
    ParsedFeed,
    normalise_link,
    parse_feed,
    parse_opml,
    refuse_entities,
)
from bot.ingest.files import split_title
from bot.ingest.web import Hints, fetch_article
from bot.models import Story
from bot.net import Fetcher
from bot.net_errors import error_kind
from bot.sources import Feed, FeedPoll
from storage.base import Store

log = logging.getLogger(__name__)

MIN_SUMMARY_CHARS = 80
"""A summary shorter than this is not worth a story when its article cannot be had."""
ARTICLE_CONCURRENCY = 4
ENTRY_MAX_ATTEMPTS = 3
"""Polls in which one entry may fail (other than on bad input) before it is given up."""
SEEN_ENTRY_DAYS = 180
"""Seen-entry keys older than this are forgotten (the pipeline still knows the stories)."""
PRUNE_EVERY_SECONDS = 6 * 3600.0
POLL_LEASE_SECONDS = 900.0
"""How long a claimed feed stays away from other pollers while it is polled."""
JITTER = 0.1
ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)

Sink = Callable[[Story], Awaitable[bool]]
"""Records one story; True when it is new (not seen by URL or body)."""

# --------------------------------------------------------------------------- polling


@dataclass
class PollReport:
    """What one poll did (for logs, the CLI and tests)."""

    feed: Feed
    poll: FeedPoll
    new: int = 0
    seen: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # entries that could not be recorded
    unchanged: bool = False


def utcnow() -> datetime:
    return datetime.now(UTC)


class FeedPoller:
    """Polls due feeds into ``sink`` (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        fetcher: Fetcher,
        sink: Sink,
        *,
        clock: Callable[[], datetime] = utcnow,
        rng: Callable[[], float] = random.random,
        interval: float | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = fetcher
        self.sink = sink
        self.clock = clock
        self.rng = rng
        self.interval = interval  # overrides FEED_INTERVAL_SECONDS (tests, benchmarks)
        self._slots = asyncio.Semaphore(settings.feed_concurrency)
        self._running: dict[int, asyncio.Task[PollReport]] = {}
        self._entry_failures: dict[tuple[str, ...], int] = {}  # entry keys → failed polls
        self.wake = asyncio.Event()

    # ------------------------------------------------------------ scheduling

    def next_poll(
        self, feed: Feed, now: datetime, failures: int, at_least: float = 0.0
    ) -> datetime:
        base = self.interval or feed.interval_seconds or self.settings.feed_interval_seconds
        wait = base
        if failures:
            wait = min(self.settings.feed_max_backoff_seconds, base * 2 ** min(failures, 20))
        wait *= 1 + JITTER * (2 * self.rng() - 1)
        return now + timedelta(seconds=max(wait, at_least))

    async def run(self, stop: asyncio.Event, tick: float = 1.0) -> None:
        """Poll feeds as they come due until ``stop``; polls in flight are
        cancelled at stop (their feeds come due again after the lease)."""
        pruned: datetime | None = None
        try:
            while not stop.is_set():
                try:
                    await self.start_due()
                    now = self.clock()
                    if pruned is None or (now - pruned).total_seconds() >= PRUNE_EVERY_SECONDS:
                        pruned = now
                        gone = await self.store.forget_entries(
                            now - timedelta(days=SEEN_ENTRY_DAYS)
                        )
                        if gone:
                            log.info(
                                "forgot %d feed entries seen before %d days ago",
                                gone,
                                SEEN_ENTRY_DAYS,
                            )
                except Exception:
                    log.exception("looking for due feeds failed; trying again")
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(tick):
                        await _first(stop.wait(), self.wake.wait())
        finally:
            running = list(self._running.values())
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def start_due(self) -> list[asyncio.Task[PollReport]]:
        """Claim the feeds that are due and poll each in a task of its own."""
        free = self.settings.feed_concurrency - len(self._running)
        if free <= 0:
            return []
        feeds = await self.store.due_feeds(self.clock(), free, POLL_LEASE_SECONDS)
        started: list[asyncio.Task[PollReport]] = []
        for feed in feeds:
            if feed.id in self._running:
                continue
            task = asyncio.create_task(self.poll(feed), name=f"feed:{feed.id}")
            self._running[feed.id] = task
            task.add_done_callback(self._forget)
            started.append(task)
        return started

    def _forget(self, task: asyncio.Task[PollReport]) -> None:
        for fid, running in list(self._running.items()):
            if running is task:
                del self._running[fid]

    async def poll_due(self) -> list[PollReport]:
        """Poll every due feed now and wait for them (the CLI, tests)."""
        tasks = await self.start_due()
        return list(await asyncio.gather(*tasks))

    # ------------------------------------------------------------ one poll

    async def poll(
        self, feed: Feed, progress: Callable[[int, int], None] | None = None
    ) -> PollReport:
        """Poll one feed; never raises (but for cancellation). ``progress(done,
        total)`` is called as entries are taken."""
        async with self._slots:
            now = self.clock()
            report = PollReport(feed, FeedPoll(feed.id, now, now))
            try:
                await self._poll(feed, report, progress)
            except ClaimWatchError as exc:
                self._failed(feed, report, exc, now)
            except Exception as exc:  # a parser bug must not end the loop
                log.exception("feed %s (#%d): unexpected failure", feed.url, feed.id)
                self._failed(feed, report, exc, now)
            try:
                await self.store.record_poll(report.poll)
            except ClaimWatchError as exc:
                log.warning("feed %s (#%d): could not record the poll: %s", feed.url, feed.id, exc)
            return report

    def _failed(self, feed: Feed, report: PollReport, exc: BaseException, now: datetime) -> None:
        kind = error_kind(exc)
        failures = feed.errors + 1
        retry_after = getattr(exc, "retry_after", None) or 0.0
        at = self.next_poll(feed, now, failures, retry_after)
        message = str(exc) or type(exc).__name__
        metrics.SOURCE_ERRORS.inc(kind=kind)
        metrics.FEED_POLLS.inc(result="error")
        log.warning(
            "feed %s (#%d) failed [%s]: %s; %d failure(s) in a row, next try %s",
            feed.url,
            feed.id,
            kind,
            message,
            failures,
            at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
        report.poll = FeedPoll(
            feed.id, now, at, error=f"[{kind}] {message}"[:500], new_entries=report.new
        )

    async def _poll(
        self, feed: Feed, report: PollReport, progress: Callable[[int, int], None] | None
    ) -> None:
        now = report.poll.at
        headers: dict[str, str] = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        result = await self.fetcher.get(feed.url, headers=headers, accept=ACCEPT_FEED)
        if result.not_modified:
            report.unchanged = True
            metrics.FEED_POLLS.inc(result="unchanged")
            report.poll = FeedPoll(feed.id, now, self.next_poll(feed, now, 0))
            log.debug("feed %s (#%d): not modified", feed.url, feed.id)
            return
        parsed = await asyncio.to_thread(parse_feed, result, feed.url)
        fresh: list[Entry] = []
        for entry in parsed.entries:
            if await self.store.seen_entry(entry.keys):
                report.seen += 1
            else:
                fresh.append(entry)
        # take entries in the order they appeared: by date when every entry has
        # one, else the reverse of the feed's order (feeds list newest first)
        fresh.reverse()
        if all(e.stamp is not None for e in fresh):
            fresh.sort(key=lambda e: e.stamp or 0.0)
        outlet = parsed.title or urlsplit(feed.url).hostname
        done = 0
        retry = False
        gate = asyncio.Semaphore(ARTICLE_CONCURRENCY)

        async def take(entry: Entry) -> Story | None:
            async with gate:
                return await self._story(feed, entry, outlet, report)

        stories = [asyncio.create_task(take(e)) for e in fresh]
        try:
            for entry, task in zip(fresh, stories, strict=True):
                try:
                    story = await task  # in feed order, fetched concurrently
                    if story is not None and await self.sink(story):
                        report.new += 1
                        metrics.STORIES_INGESTED.inc(kind="feed")
                except TransientError:
                    raise  # the store is busy: the poll fails, unseen entries come again
                except Exception as exc:  # one entry never stops the rest of the feed
                    given_up = self._entry_failed(feed, entry, report, exc)
                else:
                    given_up = True
                    self._entry_failures.pop(entry.keys, None)
                if given_up:
                    await self.store.mark_entry_seen(feed.id, entry.keys, self.clock())
                else:
                    retry = True  # not marked seen: the next poll tries it again
                done += 1
                if progress is not None:
                    progress(done, len(fresh))
        finally:
            for task in stories:
                task.cancel()
        metrics.FEED_POLLS.inc(result="new" if report.new else "unchanged")
        report.poll = FeedPoll(
            feed.id,
            now,
            self.next_poll(feed, now, 0),
            # an entry left for the next poll must not be hidden by a 304
            etag=None if retry else result.headers.get("etag"),
            last_modified=None if retry else result.headers.get("last-modified"),
            title=parsed.title,
            new_entries=report.new,
        )
        log.info(
            "feed %s (#%d): %d new stories, %d entries seen before%s",
            feed.url,
            feed.id,
            report.new,
            report.seen,
            f", {len(report.skipped)} skipped" if report.skipped else "",
        )
        if report.failed:
            log.warning(
                "feed %s (#%d): %d entries could not be recorded",
                feed.url,
                feed.id,
                len(report.failed),
            )

    def _entry_failed(self, feed: Feed, entry: Entry, report: PollReport, exc: Exception) -> bool:
        """An entry that could not be made a story or recorded: logged with the reason
        and counted. True when it is given up on (to be marked seen): at once for
        bad input (:class:`InputError`, it would fail the same way again), else after
        :data:`ENTRY_MAX_ATTEMPTS` polls of this poller; until then the next poll
        of the feed (its interval is the backoff) tries it again."""
        source = entry.link or entry.keys[0]
        attempts = self._entry_failures.get(entry.keys, 0) + 1
        final = isinstance(exc, InputError) or attempts >= ENTRY_MAX_ATTEMPTS
        if final:
            self._entry_failures.pop(entry.keys, None)
        else:
            self._entry_failures[entry.keys] = attempts
        report.failed.append(f"{source}: {type(exc).__name__}: {exc}"[:300])
        metrics.SOURCE_ERRORS.inc(kind="entry")
        log.error(
            "feed %s (#%d): entry %s could not be recorded (attempt %d): %s: %s; %s",
            feed.url,
            feed.id,
            source,
            attempts,
            type(exc).__name__,
            exc,
            "given up" if final else "tried again at the next poll",
            exc_info=exc,
        )
        return final

    async def _story(
        self, feed: Feed, entry: Entry, outlet: str | None, report: PollReport
    ) -> Story | None:
        source = entry.link or f"{feed.url}#{entry.keys[0]}"
        if entry.has_content or not entry.link or not self.settings.fetch_articles:
            return self._from_entry(entry, source, outlet, report)
        hints = Hints(title=entry.title or None, outlet=outlet, published=entry.published)
        try:
            story = await fetch_article(entry.link, self.fetcher, hints)
        except (TransientError, PermanentError, InputError) as exc:
            metrics.SOURCE_ERRORS.inc(kind=error_kind(exc))
            log.warning(
                "feed %s (#%d): article %s could not be fetched [%s]: %s; using the summary",
                feed.url,
                feed.id,
                entry.link,
                error_kind(exc),
                exc,
            )
            return self._from_entry(entry, source, outlet, report)
        # the feed's link is the story's URL (the key other feeds share)
        return Story(
            source=source,
            title=entry.title or story.title,
            body=story.body,
            url=entry.link,
            outlet=outlet or story.outlet,
            published=entry.published or story.published,
        )

    def _from_entry(
        self, entry: Entry, source: str, outlet: str | None, report: PollReport
    ) -> Story | None:
        text = entry.text
        if len(text) < MIN_SUMMARY_CHARS and not entry.has_content:
            report.skipped.append(source)
            log.info("feed entry %s skipped: no article text (%d characters)", source, len(text))
            return None
        title = entry.title
        if not title:
            title, text = split_title(text)
        return Story(
            source=source,
            title=title,
            body=text,
            url=entry.link,
            outlet=outlet,
            published=entry.published,
        )


async def _first(*aws: Awaitable[Any]) -> None:
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def feed_line(feed: Feed, now: datetime | None = None) -> str:
    """One line about a feed for ``/feeds`` and ``claimwatch feeds list``."""
    now = now or utcnow()
    parts = [f"[{feed.status}] {feed.url}"]
    if feed.title:
        parts.append(f"“{feed.title}”")
    parts.append(f"{feed.entries} stories")
    if feed.last_ok is not None:
        parts.append(f"last good poll {_ago(now - feed.last_ok)} ago")
    if feed.errors:
        parts.append(f"{feed.errors} failure(s) in a row: {feed.last_error}")
    return " · ".join(parts)


def _ago(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def check_feed_url(url: str) -> str:
    """A feed URL as given, checked to be http(s) with a host (:class:`InputError` else)."""
    from bot.net_address import check_url

    url = url.strip().strip("<>")
    check_url(url)
    return url


async def check_feed_address(url: str, settings: Settings) -> str:
    """:func:`check_feed_url`, and its host checked to be public (unless
    ``ALLOW_PRIVATE_URLS``) before the feed is stored: an internal address is
    refused when it is added, not at its first poll."""
    from bot.net_address import check_url_address

    url = check_feed_url(url)
    await check_url_address(url, settings.allow_private_urls)
    return url


__all__: Sequence[str] = [
    "MAX_ENTRIES",
    "SUMMARY_ONLY_CHARS",
    "Entry",
    "FeedPoller",
    "FeedRefused",
    "NotAFeedError",
    "ParsedFeed",
    "PollReport",
    "check_feed_address",
    "check_feed_url",
    "feed_line",
    "normalise_link",
    "parse_feed",
    "parse_opml",
    "refuse_entities",
]
