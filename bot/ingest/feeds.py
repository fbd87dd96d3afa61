"""Stories from RSS and Atom feeds.

:class:`FeedPoller` polls the feeds in the store when they are due:

* the feed is fetched here, through :class:`bot.net.Fetcher` (safety rules,
  caps, per-host limit), with ``If-None-Match``/``If-Modified-Since`` from the
  last good poll; a 304 costs nothing more. feedparser only ever parses the
  bytes we fetched (handed over as a stream, so it never opens a URL or file);
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

:func:`parse_opml` reads the feed list of an OPML file.
"""

from __future__ import annotations

import asyncio
import calendar
import contextlib
import io
import logging
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urldefrag, urlsplit, urlunsplit

from bot import metrics
from bot.config import Settings
from bot.errors import ClaimWatchError, InputError, PermanentError, TransientError
from bot.ingest.files import sane_date, split_title
from bot.ingest.text import strip_invisible
from bot.ingest.web import Hints, fetch_article, html_to_text
from bot.models import Story
from bot.net import Fetcher, FetchResult, error_kind
from bot.sources import Feed, FeedPoll
from storage.base import Store

log = logging.getLogger(__name__)

SUMMARY_ONLY_CHARS = 600
"""An entry whose text is shorter than this is taken to carry only a summary."""
MIN_SUMMARY_CHARS = 80
"""A summary shorter than this is not worth a story when its article cannot be had."""
MAX_ENTRIES = 200
"""Entries read from one poll (newest first); the rest wait for the next poll."""
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


class FeedRefused(PermanentError):
    """A document we will not parse (entity declarations)."""

    kind = "xml_entities"


class NotAFeedError(PermanentError):
    kind = "not_a_feed"


# --------------------------------------------------------------------------- parsing

_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def refuse_entities(text: str, source: str) -> None:
    """Refuse a document that declares entities (entity expansion, XXE)."""
    if _DOCTYPE.search(text) and _ENTITY.search(text):
        raise FeedRefused(
            f"{source}: the document declares XML entities (<!ENTITY>); refused "
            "(entity expansion can exhaust memory)"
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry, as read from the feed."""

    keys: tuple[str, ...]  # guid:..., url:...
    link: str | None
    title: str
    text: str  # plain text of its content, else of its summary
    has_content: bool
    published: date | None
    stamp: float | None = None  # seconds since the epoch, for ordering


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: tuple[Entry, ...]


def normalise_link(url: str) -> str:
    """A link as a dedup key: no fragment, lower-case scheme and host."""
    url, _ = urldefrag(url.strip())
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def parse_feed(result: FetchResult | bytes, source: str) -> ParsedFeed:
    """The entries of an RSS or Atom document (newest first, as the feed lists them)."""
    import feedparser

    if isinstance(result, bytes):
        result = FetchResult(source, 200, {}, result)
    text = result.text()
    refuse_entities(text, source)
    text = _XML_DECL.sub("", text, count=1)
    parsed: Any = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": result.url,
        },
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    channel = parsed.get("feed", {})
    entries = parsed.get("entries", [])
    version = parsed.get("version") or ""
    if not entries and not channel.get("title") and not version:
        problem = parsed.get("bozo_exception")
        why = f" ({problem})" if problem else ""
        raise NotAFeedError(f"{source}: not an RSS or Atom feed{why}")
    out: list[Entry] = []
    for raw in entries[:MAX_ENTRIES]:
        entry = _entry(raw, result.url)
        if entry is not None:
            out.append(entry)
    title = strip_invisible(html_to_text(str(channel.get("title") or ""))).strip() or None
    return ParsedFeed(title, tuple(out))


def _entry(raw: Any, base: str) -> Entry | None:
    link = raw.get("link")
    link = normalise_link(str(link)) if link else None
    if link and urlsplit(link).scheme not in ("http", "https"):
        link = None
    guid = str(raw.get("id") or "").strip()
    keys = [f"guid:{guid}"] if guid else []
    if link:
        keys.append(f"url:{link}")
    content = ""
    for part in raw.get("content") or []:
        value = str(part.get("value") or "")
        if len(value) > len(content):
            content = value
    summary = str(raw.get("summary") or "")
    text = html_to_text(content) if content else ""
    has_content = bool(text)
    if not text:
        text = html_to_text(summary)
    title = html_to_text(str(raw.get("title") or ""))
    stamp = _stamp(raw)
    if not keys:
        if not (title or text):
            return None
        keys.append(f"text:{title}|{text[:200]}")
    return Entry(
        keys=tuple(keys),
        link=link,
        title=title,
        text=text,
        has_content=has_content and len(text) >= SUMMARY_ONLY_CHARS,
        published=_day(stamp, link or (keys[0] if keys else base)),
        stamp=stamp,
    )


def _day(stamp: float | None, source: str) -> date | None:
    """The UTC day of ``stamp``; None (with a warning) outside the dates we take."""
    if stamp is None:
        return None
    try:
        day = datetime.fromtimestamp(stamp, UTC).date()
    except (OverflowError, OSError, ValueError):
        log.warning("feed entry %s: its date (%r seconds) is out of range; undated", source, stamp)
        return None
    return sane_date(day, source)


def _stamp(raw: Any) -> float | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # the stored value itself: feedparser's own lookup maps a missing key to
        # another one with a DeprecationWarning
        value = dict.get(raw, key) if isinstance(raw, dict) else raw.get(key)
        if value:
            with contextlib.suppress(TypeError, ValueError, OverflowError):
                return float(calendar.timegm(value))
    return None


def parse_opml(text: str, source: str = "OPML") -> list[tuple[str, str | None]]:
    """``(feed URL, title)`` of every outline with an ``xmlUrl``, in order, once each."""
    refuse_entities(text, source)
    try:
        root = ET.fromstring(_XML_DECL.sub("", text, count=1).strip())
    except ET.ParseError as exc:
        raise InputError(f"{source}: not valid OPML ({exc})") from None
    seen: set[str] = set()
    out: list[tuple[str, str | None]] = []
    for node in root.iter("outline"):
        url = (node.get("xmlUrl") or node.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = (node.get("title") or node.get("text") or "").strip()
        out.append((url, title if title and title != url else None))  # text=URL: no title
    return out


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
    from bot.net import check_url

    url = url.strip().strip("<>")
    check_url(url)
    return url


async def check_feed_address(url: str, settings: Settings) -> str:
    """:func:`check_feed_url`, and its host checked to be public (unless
    ``ALLOW_PRIVATE_URLS``) before the feed is stored: an internal address is
    refused when it is added, not at its first poll."""
    from bot.net import check_url_address

    url = check_feed_url(url)
    await check_url_address(url, settings.allow_private_urls)
    return url


__all__: Sequence[str] = [
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
