"""FETCH_PROXY: feeds and articles fetched through a local HTTP proxy. The target's
name is still checked here before each request (private targets refused unless
ALLOW_PRIVATE_URLS); the proxy's own loopback address is allowed, being the
operator's setting; the proxy does the connecting."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import ConfigError
from bot.ingest.feeds import FeedPoller
from bot.ingest.web import fetch_article
from bot.models import Story
from bot.net import Fetcher
from bot.net_errors import NetworkError, UnsafeURLError
from storage import open_store
from tests.fakes.proxy import LocalProxy
from tests.fakes.web import LocalWeb, Page, article_html, rss
from tests.ingest.test_web import local_settings
from tests.test_sources_cli import claimwatch, env_for

PUBLIC = "93.184.216.34"


def paragraphs(place: str) -> list[str]:
    """An article of its own per test: trafilatura drops paragraphs it has seen
    several times in one process (its deduplication cache is global)."""
    return [
        f"Officials in {place} said on Tuesday that the spill from the harbour pipeline had "
        "been contained, but fishermen said the damage to the bay would last for years.",
        f"The port authority of {place} said at least 40 tonnes of diesel had leaked before "
        "the valve was closed, a figure that environmental groups called an underestimate.",
        f"The environment minister said the government would seek compensation for {place} "
        "from the operator, which denied that maintenance had been skipped.",
    ]


DNS = {"news.example": [PUBLIC], "intranet.example": [PUBLIC, "10.0.0.5"]}


@pytest.fixture
async def site() -> AsyncIterator[LocalWeb]:
    server = LocalWeb()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def proxy(site: LocalWeb) -> AsyncIterator[LocalProxy]:
    """A proxy whose own DNS sends news.example and intranet.example to the site."""
    server = LocalProxy(
        hosts={
            "news.example": ("127.0.0.1", site.port),
            "intranet.example": ("127.0.0.1", site.port),
        }
    )
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names the fetcher resolved to check them (a public DNS of our own)."""
    names: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        names.append(host)
        return DNS.get(host, [host])

    monkeypatch.setattr("bot.net_address.resolve_host", resolve)
    return names


def proxied(tmp_path: Path, proxy: LocalProxy, **overrides: object) -> Settings:
    values: dict[str, object] = {"allow_private_urls": False, "fetch_proxy": proxy.url}
    values.update(overrides)
    return local_settings(tmp_path, **values)


async def test_a_fetch_goes_through_the_proxy_after_the_name_is_checked(
    tmp_path: Path, site: LocalWeb, proxy: LocalProxy, checked: list[str]
) -> None:
    site.pages["/a"] = Page(b"<p>through the proxy</p>")
    async with Fetcher(proxied(tmp_path, proxy)) as fetcher:
        result = await fetcher.get("http://news.example/a")
    assert result.text() == "<p>through the proxy</p>"
    assert result.url == "http://news.example/a"
    assert checked == ["news.example"]  # checked here, by name
    assert proxy.targets() == ["http://news.example/a"]  # asked by name; the proxy connected
    assert site.hits("/a")[0].headers["User-Agent"] == "ClaimWatch-test/1"


async def test_private_targets_are_refused_before_the_proxy_is_asked(
    tmp_path: Path, site: LocalWeb, proxy: LocalProxy, checked: list[str]
) -> None:
    site.pages["/admin"] = Page(b"secret")
    site.redirect("/r", "http://intranet.example/admin")
    async with Fetcher(proxied(tmp_path, proxy)) as fetcher:
        with pytest.raises(UnsafeURLError, match=r"intranet\.example.*10\.0\.0\.5"):
            await fetcher.get("http://intranet.example/admin")
        with pytest.raises(UnsafeURLError, match=r"127\.0\.0\.1"):
            await fetcher.get(site.url("/admin"))  # the proxy's own address is no pass
        with pytest.raises(UnsafeURLError, match=r"intranet\.example"):
            await fetcher.get("http://news.example/r")  # a redirect is checked as well
    assert proxy.targets() == ["http://news.example/r"]
    assert site.hits("/admin") == []


async def test_allow_private_urls_lets_private_targets_through_the_proxy(
    tmp_path: Path, site: LocalWeb, proxy: LocalProxy
) -> None:
    site.pages["/internal"] = Page(b"<p>intranet news</p>")
    async with Fetcher(proxied(tmp_path, proxy, allow_private_urls=True)) as fetcher:
        result = await fetcher.get(site.url("/internal"))
    assert result.text() == "<p>intranet news</p>"
    assert proxy.targets() == [site.url("/internal")]


async def test_https_is_tunnelled_by_name(
    tmp_path: Path, proxy: LocalProxy, checked: list[str]
) -> None:
    """CONNECT names the host (TLS and the certificate check stay end to end); the
    site here speaks no TLS, so the handshake fails — as a network error."""
    async with Fetcher(proxied(tmp_path, proxy, fetch_timeout_seconds=3.0)) as fetcher:
        with pytest.raises(NetworkError):
            await fetcher.get("https://news.example/secure")
    assert checked == ["news.example"]
    assert [(a.method, a.target) for a in proxy.asked] == [("CONNECT", "news.example:443")]


async def test_feeds_and_their_articles_come_through_the_proxy(
    tmp_path: Path, site: LocalWeb, proxy: LocalProxy, checked: list[str]
) -> None:
    site.pages["/story"] = Page(article_html("Sorna spill contained", paragraphs("Vela")).encode())
    feed_xml = rss(
        "Harbourwire",
        [{"title": "Sorna spill contained", "link": "http://news.example/story", "guid": "1"}],
    )
    site.pages["/feed"] = Page(feed_xml.encode(), content_type="application/rss+xml")
    settings = proxied(tmp_path, proxy)
    store = await open_store(settings.database_url)
    stories: list[Story] = []

    async def sink(story: Story) -> bool:
        stories.append(story)
        return True

    try:
        feed, _ = await store.add_feed("http://news.example/feed", datetime.now(UTC))
        async with Fetcher(settings) as fetcher:
            report = await FeedPoller(store, settings, fetcher, sink).poll(feed)
    finally:
        await store.close()
    assert report.poll.error is None and report.new == 1
    assert "40 tonnes of diesel" in stories[0].body  # the article, not the summary
    assert proxy.targets() == ["http://news.example/feed", "http://news.example/story"]


async def test_proxy_credentials_are_sent_and_never_shown(
    tmp_path: Path, site: LocalWeb, proxy: LocalProxy, caplog: pytest.LogCaptureFixture
) -> None:
    site.pages["/story"] = Page(article_html("Sorna spill contained", paragraphs("Orsk")).encode())
    address = f"http://bot:s3cret-pw@127.0.0.1:{proxy.port}"
    settings = local_settings(tmp_path, allow_private_urls=True, fetch_proxy=address)
    with caplog.at_level(logging.DEBUG):
        async with Fetcher(settings) as fetcher:
            story = await fetch_article(site.url("/story"), fetcher)
        logging.getLogger("test").info("settings: %r", settings)
    assert story.title == "Sorna spill contained"
    assert proxy.asked[0].credentials == "bot:s3cret-pw"
    assert "s3cret" not in caplog.text and "s3cret" not in repr(settings)


@pytest.mark.parametrize("value", ["proxy.internal:3128", "socks5://proxy:1080", "http://:3128"])
def test_a_bad_proxy_setting_is_refused_without_repeating_it(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="FETCH_PROXY") as refused:
        local_settings(tmp_path, fetch_proxy=value.replace("proxy", "user:pw@proxy", 1))
    assert "pw" not in str(refused.value)


async def test_the_cli_fetches_through_fetch_proxy(
    tmp_path: Path, site: LocalWeb, proxy: LocalProxy
) -> None:
    site.pages["/news/spill"] = Page(
        article_html("Sorna spill contained", paragraphs("Brestak")).encode()
    )
    env = env_for(tmp_path, FETCH_PROXY=proxy.url, ALLOW_PRIVATE_URLS="true")
    code, _, err = await claimwatch(
        tmp_path, "ingest", "--queue-only", site.url("/news/spill"), env=env
    )
    assert code == 0, err
    assert "1 stories queued" in err
    assert proxy.targets() == [site.url("/news/spill")]
