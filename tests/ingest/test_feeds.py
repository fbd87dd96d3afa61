"""Feeds against a local web server: good, unchanged, missing, broken, slow,
huge, bombs, entity bombs, wrong charsets, duplicates across feeds,
summary-only entries, OPML."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from pathlib import Path

import pytest

from bot import metrics
from bot.config import Settings
from bot.errors import InputError
from bot.ingest.feed_parsing import FeedRefused, NotAFeedError, parse_feed, parse_opml
from bot.ingest.feeds import FeedPoller, PollReport, feed_line
from bot.models import Story
from bot.net import Fetcher
from bot.sources import Feed
from storage import open_store
from storage.base import Store
from tests.fakes.web import LocalWeb, Page, article_html, rss
from tests.ingest.test_web import PARAS, local_settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LONG = " ".join(PARAS) * 2  # well over the summary-only threshold

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"""


class Sink:
    """Records stories as the pipeline would: new unless the URL was seen."""

    def __init__(self) -> None:
        self.stories: list[Story] = []

    async def __call__(self, story: Story) -> bool:
        if story.url and any(s.url == story.url for s in self.stories):
            return False
        self.stories.append(story)
        return True


class Rig:
    def __init__(self, site: LocalWeb, store: Store, settings: Settings, fetcher: Fetcher) -> None:
        self.site = site
        self.store = store
        self.settings = settings
        self.sink = Sink()
        self.now = NOW
        self.poller = FeedPoller(
            store, settings, fetcher, self.sink, clock=lambda: self.now, rng=lambda: 0.5
        )

    async def add(self, path: str) -> Feed:
        feed, _ = await self.store.add_feed(self.site.url(path), self.now)
        return feed

    async def feed(self, path: str) -> Feed:
        (feed,) = [f for f in await self.store.list_feeds() if f.url == self.site.url(path)]
        return feed

    async def poll(self, path: str) -> PollReport:
        return await self.poller.poll(await self.feed(path))


@pytest.fixture
async def site() -> AsyncIterator[LocalWeb]:
    server = LocalWeb()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def rig(site: LocalWeb, tmp_path: Path) -> AsyncIterator[Rig]:
    settings = local_settings(tmp_path, fetch_timeout_seconds=1.0)
    store = await open_store(settings.database_url)
    fetcher = Fetcher(settings)
    yield Rig(site, store, settings, fetcher)
    await fetcher.aclose()
    await store.close()


def feed_page(title: str, items: list[dict[str, str]], etag: str | None = None) -> Page:
    return Page(rss(title, items).encode(), content_type="application/rss+xml", etag=etag)


def item(n: int, **extra: str) -> dict[str, str]:
    return {
        "title": f"Story {n}",
        "link": f"http://news.example/{n}",
        "guid": f"tag:news.example,2026:{n}",
        "content": f"<p>Story {n}.</p><p>{LONG}</p>",
        "date": formatdate(1744190000 + n * 3600),
        **extra,
    }


async def test_a_feed_is_read_then_not_modified(rig: Rig) -> None:
    rig.site.pages["/rss"] = feed_page("Harbourwire", [item(2), item(1)], etag='"v1"')
    await rig.add("/rss")
    report = await rig.poll("/rss")
    assert (report.new, report.seen) == (2, 0)
    assert [s.title for s in rig.sink.stories] == ["Story 1", "Story 2"]  # oldest first
    first = rig.sink.stories[0]
    assert first.outlet == "Harbourwire" and first.url == "http://news.example/1"
    assert first.body.startswith("Story 1.\n\nOfficials in Sorna")
    assert first.published is not None
    feed = await rig.feed("/rss")
    assert (feed.status, feed.etag, feed.title, feed.entries) == ("ok", '"v1"', "Harbourwire", 2)
    assert feed.next_poll == NOW + timedelta(seconds=300)  # the interval, jitter centred

    rig.now += timedelta(minutes=5)
    again = await rig.poll("/rss")
    assert again.unchanged and again.new == 0
    assert rig.site.hits("/rss")[-1].headers["If-None-Match"] == '"v1"'

    rig.site.pages["/rss"] = feed_page("Harbourwire", [item(3), item(2), item(1)], etag='"v2"')
    third = await rig.poll("/rss")
    assert (third.new, third.seen) == (1, 2)
    assert (await rig.feed("/rss")).entries == 3


async def test_duplicates_across_two_feeds_become_one_story(rig: Rig) -> None:
    rig.site.pages["/a"] = feed_page("A", [item(1), item(2)])
    # the same article in another feed: other GUID, same link (with a fragment)
    rig.site.pages["/b"] = feed_page(
        "B", [item(2, guid="b-2", link="http://NEWS.example/2#top"), item(9)]
    )
    await rig.add("/a")
    await rig.add("/b")
    reports = await rig.poller.poll_due()
    assert sum(r.new for r in reports) == 3
    assert sorted(s.url or "" for s in rig.sink.stories) == [
        "http://news.example/1",
        "http://news.example/2",
        "http://news.example/9",
    ]


@pytest.mark.parametrize(
    ("setup", "kind", "message"),
    [
        (lambda site: None, "http_4xx", "404"),
        (lambda site: site.pages.__setitem__("/bad", Page(b"", status=500)), "http_5xx", "500"),
        (lambda site: site.slow("/bad"), "timeout", "longer than 1 s"),
        (lambda site: site.endless("/bad", 50_000_000), "too_large", "limit"),
        (lambda site: site.gzip_bomb("/bad", 100 << 20), "too_large", "decompressed"),
        (
            lambda site: site.pages.__setitem__(
                "/bad", Page(BILLION_LAUGHS.encode(), content_type="application/xml")
            ),
            "xml_entities",
            "ENTITY",
        ),
        (
            lambda site: site.pages.__setitem__("/bad", Page(b"<html><p>hi</p></html>")),
            "not_a_feed",
            "not an RSS or Atom feed",
        ),
    ],
    ids=["404", "500", "slow", "50MB", "gzip-bomb", "billion-laughs", "html"],
)
async def test_a_bad_feed_fails_alone_with_one_log_line_and_a_status(
    rig: Rig, caplog: pytest.LogCaptureFixture, setup: object, kind: str, message: str
) -> None:
    assert callable(setup)
    setup(rig.site)
    rig.site.pages["/good"] = feed_page("Good", [item(1)])
    await rig.add("/bad")
    await rig.add("/good")
    errors_before = metrics.SOURCE_ERRORS.value(kind=kind)
    reports = {r.feed.url: r for r in await rig.poller.poll_due()}
    assert reports[rig.site.url("/good")].new == 1  # the other feed is not held up
    bad = await rig.feed("/bad")
    assert bad.status == "failing" and bad.errors == 1
    assert bad.last_error is not None and bad.last_error.startswith(f"[{kind}]")
    assert message in bad.last_error
    assert bad.next_poll == NOW + timedelta(seconds=600)  # backoff: twice the interval
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "/bad" in r.getMessage()]
    assert len(warnings) == 1
    assert metrics.SOURCE_ERRORS.value(kind=kind) == errors_before + 1
    line = feed_line(bad, NOW)
    assert line.startswith("[failing]") and "1 failure(s) in a row" in line


async def test_backoff_doubles_up_to_the_maximum_and_recovers(rig: Rig) -> None:
    rig.site.pages["/rss"] = Page(b"", status=503)
    await rig.add("/rss")
    waits = []
    for _ in range(8):
        await rig.poll("/rss")
        waits.append(((await rig.feed("/rss")).next_poll - rig.now).total_seconds())
    assert waits == [600, 1200, 2400, 4800, 9600, 19200, 21600, 21600]
    rig.site.pages["/rss"] = feed_page("Back", [item(1)])
    await rig.poll("/rss")
    feed = await rig.feed("/rss")
    assert (feed.status, feed.errors, feed.last_error) == ("ok", 0, None)


async def test_a_feed_with_a_wrong_charset_is_read(rig: Rig) -> None:
    text = rss("Café Wire", [item(1, title="Café owners say “no”")], encoding="utf-8")
    rig.site.pages["/rss"] = Page(
        text.encode("cp1252"), content_type="application/rss+xml; charset=utf-8"
    )
    await rig.add("/rss")
    assert (await rig.poll("/rss")).new == 1
    [story] = rig.sink.stories
    assert story.title == "Café owners say “no”" and story.outlet == "Café Wire"


async def test_summary_only_entries_have_their_articles_fetched(rig: Rig) -> None:
    site = rig.site
    site.pages["/news/1"] = Page(article_html("Sorna spill contained", PARAS).encode())
    entries = [
        {
            "title": "Sorna spill contained",
            "link": site.url("/news/1"),
            "description": "Officials say the spill is contained.",
        },
        {  # its page is gone: the summary is long enough to keep
            "title": "Port closes",
            "link": site.url("/news/gone"),
            "description": "The port authority closed the harbour on Tuesday after the spill, "
            "officials said, and fishermen were told to stay ashore.",
        },
        {"title": "Teaser", "link": site.url("/news/gone2"), "description": "Read more."},
    ]
    site.pages["/rss"] = feed_page("Harbourwire", entries)
    await rig.add("/rss")
    report = await rig.poll("/rss")
    assert report.new == 2 and report.skipped == [site.url("/news/gone2")]
    spill, port = rig.sink.stories
    assert spill.url == site.url("/news/1")
    assert spill.body.startswith("Officials in Sorna said on Tuesday")
    assert "fishermen said the damage to the bay would last for years" in spill.body
    assert spill.outlet == "Harbourwire"
    assert port.body.startswith("The port authority closed the harbour")
    assert len(site.hits("/news/1")) == 1


def test_entity_declarations_are_refused_before_parsing() -> None:
    with pytest.raises(FeedRefused, match="ENTITY"):
        parse_feed(BILLION_LAUGHS.encode(), "test")
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss/>'
    with pytest.raises(FeedRefused):
        parse_feed(xxe, "test")


def test_a_body_that_looks_like_a_path_or_url_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(rss("Secret", [item(1)]))
    for body in (str(secret).encode(), b"http://127.0.0.1:9/feed"):
        with pytest.raises(NotAFeedError):
            parse_feed(body, "test")


def test_atom_is_read() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><id>urn:uuid:1</id><title>Hello</title><link href="https://a.example/1"/>
<updated>2025-04-09T10:00:00Z</updated><content type="html">&lt;p&gt;Body text&lt;/p&gt;</content>
</entry></feed>"""
    parsed = parse_feed(atom, "atom")
    [entry] = parsed.entries
    assert parsed.title == "Atom Wire"
    assert entry.keys == ("guid:urn:uuid:1", "url:https://a.example/1")
    assert entry.text == "Body text" and entry.published is not None


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
<outline text="News">
  <outline type="rss" text="Harbourwire" xmlUrl="https://harbourwire.example/rss"/>
  <outline type="rss" title="Atom Wire" text="aw" xmlUrl="https://atom.example/feed"/>
  <outline type="rss" text="again" xmlUrl="https://harbourwire.example/rss"/>
</outline>
<outline text="no feed here" htmlUrl="https://example.org/"/>
</body></opml>"""


def test_opml() -> None:
    assert parse_opml(OPML) == [
        ("https://harbourwire.example/rss", "Harbourwire"),
        ("https://atom.example/feed", "Atom Wire"),
    ]
    with pytest.raises(InputError, match="not valid OPML"):
        parse_opml("<opml><body>")
    with pytest.raises(FeedRefused):
        parse_opml(BILLION_LAUGHS)


async def test_the_poll_loop_polls_due_feeds_and_stops_with_slow_ones_in_flight(
    rig: Rig,
) -> None:
    rig.site.slow("/slow")
    rig.site.pages["/rss"] = feed_page("Wire", [item(1)])
    await rig.add("/slow")
    await rig.add("/rss")
    await rig.store.mark_entry_seen(None, ["guid:ancient"], NOW - timedelta(days=400))
    stop = asyncio.Event()
    loop = asyncio.create_task(rig.poller.run(stop, tick=0.05))
    while not rig.sink.stories or not rig.site.hits("/slow"):  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    stop.set()
    await loop  # the slow poll is cancelled, not waited for
    assert [s.title for s in rig.sink.stories] == ["Story 1"]
    assert not await rig.store.seen_entry(["guid:ancient"])  # pruned
    slow = await rig.feed("/slow")
    assert slow.last_polled is None and slow.next_poll > NOW  # still leased; due again later
