"""Safe fetching (bot.net, bot.net_address) and article extraction (bot.ingest.web) against a
local web server; private-address refusal with the setting off."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from bot.config import Settings, load_settings
from bot.errors import InputError, PermanentError
from bot.ingest.web import NoArticleError, fetch_article, html_to_text
from bot.net import Fetcher
from bot.net_address import Resolver, check_url, is_public_address, resolve_checked
from bot.net_errors import (
    FetchTimeout,
    HTTPStatusError,
    ServerError,
    TooLargeError,
    UnsafeURLError,
    error_kind,
)
from bot.net_text import decode_text
from tests.fakes.web import LocalWeb, Page, article_html

PARAS = [
    "Officials in Sorna said on Tuesday that the spill from the harbour pipeline had been "
    "contained, but fishermen said the damage to the bay would last for years.",
    "The port authority said at least 40 tonnes of diesel had leaked before the valve was "
    "closed, a figure that environmental groups called a serious underestimate.",
    "Bulgaria's environment minister said the government would seek compensation from the "
    "operator, which denied that maintenance had been skipped.",
]


def local_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'cw.db'}",
        "allow_private_urls": True,
        "fetch_timeout_seconds": 5.0,
        "fetch_max_bytes": 1_000_000,
        "user_agent": "ClaimWatch-test/1",
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@pytest.fixture
async def site() -> AsyncIterator[LocalWeb]:
    server = LocalWeb()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def fetcher(tmp_path: Path) -> AsyncIterator[Fetcher]:
    async with Fetcher(local_settings(tmp_path)) as f:
        yield f


async def test_a_page_is_fetched_with_our_user_agent(site: LocalWeb, fetcher: Fetcher) -> None:
    site.pages["/a"] = Page(b"<p>hello</p>")
    result = await fetcher.get(site.url("/a"))
    assert (result.status, result.text()) == (200, "<p>hello</p>")
    assert site.hits("/a")[0].headers["User-Agent"] == "ClaimWatch-test/1"


async def test_statuses_become_error_types(site: LocalWeb, fetcher: Fetcher) -> None:
    site.pages["/gone"] = Page(b"", status=410)
    site.pages["/broken"] = Page(b"", status=503, headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError) as gone:
        await fetcher.get(site.url("/gone"))
    assert gone.value.status == 410 and error_kind(gone.value) == "http_4xx"
    with pytest.raises(HTTPStatusError, match="404"):
        await fetcher.get(site.url("/nothing"))
    with pytest.raises(ServerError) as broken:
        await fetcher.get(site.url("/broken"))
    assert broken.value.retry_after == 120.0


async def test_not_modified_is_a_result(site: LocalWeb, fetcher: Fetcher) -> None:
    site.pages["/f"] = Page(b"x", etag='"v1"')
    first = await fetcher.get(site.url("/f"))
    assert first.headers["etag"] == '"v1"'
    second = await fetcher.get(site.url("/f"), headers={"If-None-Match": '"v1"'})
    assert second.not_modified and second.body == b""


async def test_a_slow_server_hits_the_time_cap(site: LocalWeb, tmp_path: Path) -> None:
    site.slow("/slow")
    async with Fetcher(local_settings(tmp_path, fetch_timeout_seconds=0.3)) as f:
        with pytest.raises(FetchTimeout, match=r"longer than 0\.3 s"):
            await f.get(site.url("/slow"))


async def test_a_50_mb_body_is_cut_at_the_cap(site: LocalWeb, fetcher: Fetcher) -> None:
    site.endless("/huge", 50_000_000)
    site.endless("/huge-declared", 50_000_000, content_length=True)
    with pytest.raises(TooLargeError, match="over the limit of 1,000,000 bytes"):
        await fetcher.get(site.url("/huge"))
    with pytest.raises(TooLargeError, match="50,000,000 bytes"):
        await fetcher.get(site.url("/huge-declared"))


async def test_a_gzip_bomb_is_stopped_while_it_expands(site: LocalWeb, fetcher: Fetcher) -> None:
    site.gzip_bomb("/bomb", 200 << 20)  # ~200 KB on the wire, 200 MB expanded
    with pytest.raises(TooLargeError, match="once decompressed"):
        await fetcher.get(site.url("/bomb"))


async def test_gzip_within_the_cap_is_decoded(site: LocalWeb, fetcher: Fetcher) -> None:
    import gzip

    site.pages["/z"] = Page(gzip.compress(b"<p>small</p>"), headers={"Content-Encoding": "gzip"})
    assert (await fetcher.get(site.url("/z"))).body == b"<p>small</p>"


async def test_redirects_are_followed_and_counted(site: LocalWeb, fetcher: Fetcher) -> None:
    site.pages["/end"] = Page(b"end")
    site.redirect("/r1", "/r2")
    site.redirect("/r2", site.url("/end"), 301)
    result = await fetcher.get(site.url("/r1"))
    assert result.body == b"end" and len(result.redirects) == 2
    for n in range(7):
        site.redirect(f"/loop{n}", f"/loop{n + 1}")
    with pytest.raises(PermanentError, match="more than 5 redirects"):
        await fetcher.get(site.url("/loop0"))


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("ff02::1", False),
        ("not an address", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public


async def test_private_addresses_are_refused_by_default(site: LocalWeb, tmp_path: Path) -> None:
    site.pages["/a"] = Page(b"secret")
    async with Fetcher(local_settings(tmp_path, allow_private_urls=False)) as f:
        with pytest.raises(UnsafeURLError, match="ALLOW_PRIVATE_URLS"):
            await f.get(site.url("/a"))
    assert site.hits("/a") == []  # never even asked


async def test_a_name_that_resolves_to_a_private_address_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return {"intranet.example": ["93.184.216.34", "10.0.0.5"]}.get(host, ["93.184.216.34"])

    monkeypatch.setattr("bot.net_address.resolve_host", resolve)
    async with Fetcher(local_settings(tmp_path, allow_private_urls=False)) as f:
        with pytest.raises(UnsafeURLError, match=r"intranet\.example.*10\.0\.0\.5"):
            await f.get("http://intranet.example/admin")


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/x", "http://10.0.0.7/x", "/x-on-lo"])
async def test_redirects_to_private_addresses_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        return {"news.example": ["93.184.216.34"], "lo.example": ["127.0.0.1"]}.get(host, [host])

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.url.host} for {request.headers['host']}{request.url.path}")
        location = target if target.startswith("http") else "http://lo.example" + target
        return httpx.Response(302, headers={"Location": location})

    monkeypatch.setattr("bot.net_address.resolve_host", resolve)
    settings = local_settings(tmp_path, allow_private_urls=False)
    async with Fetcher(settings, transport=httpx.MockTransport(answer)) as f:
        with pytest.raises(UnsafeURLError, match="non-public address"):
            await f.get("http://news.example/story")
    # only the checked address of the first host was asked; the redirect target never
    assert asked == ["93.184.216.34 for news.example/story"]


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "http://", "x"])
async def test_only_http_urls(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(InputError):
        await fetcher.get(url)


# --------------------------------------------------------------------------- charsets


def test_charset_from_header_document_or_detection() -> None:
    text = "Café “quoted” — naïve"
    cp = text.encode("cp1252")
    assert decode_text(cp, "text/html; charset=windows-1252")[0] == text
    assert decode_text(b'<meta charset="windows-1252">' + cp)[0].endswith(text)
    assert decode_text(text.encode("utf-8"), "text/html")[0] == text
    # declared UTF-8, but the bytes are cp1252: detection takes over
    wrong, charset = decode_text(cp * 20, "text/html; charset=utf-8")
    assert "Café" in wrong and charset != "utf-8"
    # declared Latin-1, but the bytes are valid UTF-8
    assert decode_text(text.encode("utf-8"), "text/plain; charset=iso-8859-1")[0] == text


async def test_a_page_with_a_wrong_charset_is_read(site: LocalWeb, fetcher: Fetcher) -> None:
    html = article_html("Café owners protest", [p + " Café naïve." for p in PARAS])
    site.pages["/wrong"] = Page(html.encode("cp1252"), content_type="text/html; charset=utf-8")
    story = await fetch_article(site.url("/wrong"), fetcher)
    assert "Café naïve." in story.body


# --------------------------------------------------------------------------- articles


async def test_an_article_is_extracted(site: LocalWeb, fetcher: Fetcher) -> None:
    site.pages["/news/spill"] = Page(article_html("Sorna spill contained", PARAS).encode())
    story = await fetch_article(site.url("/news/spill"), fetcher)
    assert story.title == "Sorna spill contained"
    assert story.body.startswith("Officials in Sorna said on Tuesday")
    assert "Home" not in story.body and "All rights reserved" not in story.body
    assert story.outlet == "Harbourwire"
    assert story.url == site.url("/news/spill") and story.source == story.url
    assert story.published is not None and story.published.isoformat() == "2025-04-09"


async def test_an_article_fetched_again_is_extracted_whole(
    site: LocalWeb, fetcher: Fetcher
) -> None:
    # A feed that is polled again, or an article pushed twice, must not lose its
    # paragraphs because the extractor saw them before in this process.
    site.pages["/news/again"] = Page(article_html("Sorna spill contained", PARAS).encode())
    bodies = [(await fetch_article(site.url("/news/again"), fetcher)).body for _ in range(6)]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0].startswith("Officials in Sorna said on Tuesday")


async def test_a_page_without_an_article_is_refused(site: LocalWeb, fetcher: Fetcher) -> None:
    site.pages["/index"] = Page(b"<html><body><a href='/a'>A</a></body></html>")
    site.pages["/img"] = Page(b"\x89PNG", content_type="image/png")
    with pytest.raises(NoArticleError, match="no article text"):
        await fetch_article(site.url("/index"), fetcher)
    with pytest.raises(NoArticleError, match="image/png"):
        await fetch_article(site.url("/img"), fetcher)


def test_html_to_text() -> None:
    html = "<p>One &amp; two</p><script>x()</script><ul><li>three</li></ul>four<br>five"
    assert html_to_text(html) == "One & two\n\nthree\n\nfour\nfive"
    assert html_to_text("plain &lt;text&gt;") == "plain <text>"


def page(text: str) -> httpx.Response:
    """A response whose body the fetcher streams, as from a server."""
    return httpx.Response(200, stream=httpx.ByteStream(text.encode()))


class RebindingWorld(httpx.AsyncBaseTransport):
    """The network as a fetch sees it, without leaving this machine: names are
    resolved by ``dns`` (the attacker's resolver, the same one the fetcher is
    given), "public" addresses are answered by ``public`` in memory, and
    loopback goes to the real local server through the real transport."""

    def __init__(
        self,
        dns: Callable[[str, int], Awaitable[list[str]]],
        public: Callable[[httpx.Request], httpx.Response],
    ) -> None:
        self.dns = dns
        self.public = public
        self.connected: list[str] = []
        self.real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        try:
            address = str(ipaddress.ip_address(host))
        except ValueError:  # the client resolves the name itself
            address = (await self.dns(host, request.url.port or 80))[0]
        self.connected.append(address)
        if ipaddress.ip_address(address).is_loopback:
            if address != host:  # connect where the name resolved to, as a client does
                request = httpx.Request(
                    request.method,
                    request.url.copy_with(host=address),
                    headers=request.headers,
                    extensions=request.extensions,
                )
            return await self.real.handle_async_request(request)
        return self.public(request)

    async def aclose(self) -> None:
        await self.real.aclose()


def rebinding(answers: dict[str, list[list[str]]]) -> Callable[[str, int], Awaitable[list[str]]]:
    """A resolver whose answers for a name change from one query to the next
    (the last answer repeats)."""
    asked: dict[str, int] = {}

    async def resolve(host: str, port: int) -> list[str]:
        n = asked.get(host, 0)
        asked[host] = n + 1
        series = answers.get(host, [["93.184.216.34"]])
        return series[min(n, len(series) - 1)]

    return resolve


async def test_a_name_that_rebinds_to_loopback_never_reaches_it(
    site: LocalWeb, tmp_path: Path
) -> None:
    """DNS rebinding: public for the check, loopback for the next query."""
    site.pages["/internal"] = Page(b"internal secrets")
    dns = rebinding({"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    world = RebindingWorld(dns, lambda r: page("the public page"))
    settings = local_settings(tmp_path, allow_private_urls=False)
    async with Fetcher(settings, resolver=dns, transport=world) as f:
        result = await f.get(f"http://rebind.example:{site.port}/internal")
    assert site.hits("/internal") == []
    assert world.connected == ["93.184.216.34"]  # the address that was checked
    assert result.body == b"the public page"
    assert result.url == f"http://rebind.example:{site.port}/internal"


async def test_a_redirect_to_a_name_that_rebinds_never_reaches_loopback(
    site: LocalWeb, tmp_path: Path
) -> None:
    site.pages["/internal"] = Page(b"internal secrets")
    dns = rebinding({"rebind.example": [["93.184.216.34"], ["127.0.0.1"]]})
    target = f"http://rebind.example:{site.port}/internal"

    def public(request: httpx.Request) -> httpx.Response:
        if request.headers["host"] == "news.example":
            return httpx.Response(302, headers={"Location": target})
        return page(f"public page for {request.headers['host']}")

    world = RebindingWorld(dns, public)
    settings = local_settings(tmp_path, allow_private_urls=False)
    async with Fetcher(settings, resolver=dns, transport=world) as f:
        result = await f.get("http://news.example/story")
    assert site.hits("/internal") == []
    assert world.connected == ["93.184.216.34", "93.184.216.34"]
    assert result.body == f"public page for rebind.example:{site.port}".encode()
    assert result.redirects == ("http://news.example/story",)


async def test_https_keeps_the_name_for_sni_and_the_host_header(tmp_path: Path) -> None:
    seen: list[tuple[str, str, object]] = []

    def public(request: httpx.Request) -> httpx.Response:
        seen.append(
            (str(request.url), request.headers["host"], request.extensions.get("sni_hostname"))
        )
        return page("ok")

    dns = rebinding({"news.example": [["2606:4700::1111", "93.184.216.34"]]})
    settings = local_settings(tmp_path, allow_private_urls=False)
    async with Fetcher(settings, resolver=dns, transport=httpx.MockTransport(public)) as f:
        await f.get("https://news.example/a?x=1")
        await f.get("https://news.example:8443/b")
    assert seen == [
        ("https://[2606:4700::1111]/a?x=1", "news.example", "news.example"),
        ("https://[2606:4700::1111]:8443/b", "news.example:8443", "news.example"),
    ]


async def test_the_next_checked_address_is_tried_when_one_does_not_connect(
    site: LocalWeb, tmp_path: Path
) -> None:
    def public(request: httpx.Request) -> httpx.Response:
        if request.url.host == "93.184.216.34":
            raise httpx.ConnectError("no route", request=request)
        return page(f"from {request.url.host}")

    dns = rebinding({"news.example": [["93.184.216.34", "93.184.216.35"]]})
    settings = local_settings(tmp_path, allow_private_urls=False)
    async with Fetcher(settings, resolver=dns, transport=httpx.MockTransport(public)) as f:
        result = await f.get("http://news.example/a")
    assert result.body == b"from 93.184.216.35"


async def check_address(
    url: str, *, allow_private: bool = False, resolver: Resolver | None = None
) -> list[str]:
    _, host, port = check_url(url)
    return await resolve_checked(host, port, allow_private=allow_private, resolver=resolver)


async def test_the_fetch_time_check_refuses_without_fetching(site: LocalWeb) -> None:
    site.pages["/feed"] = Page(b"<rss/>")
    dns = rebinding({"intranet.example": [["10.0.0.5"]], "news.example": [["93.184.216.34"]]})
    assert await check_address("https://news.example/rss", resolver=dns) == ["93.184.216.34"]
    with pytest.raises(UnsafeURLError, match=r"10\.0\.0\.5"):
        await check_address("http://intranet.example/rss", resolver=dns)
    for url in (site.url("/feed"), "http://169.254.169.254/latest/meta-data/", "http://[::1]/"):
        with pytest.raises(UnsafeURLError):
            await check_address(url, resolver=dns)
    with pytest.raises(InputError):
        await check_address("ftp://news.example/rss", resolver=dns)
    assert await check_address(site.url("/feed"), allow_private=True) == ["127.0.0.1"]
    assert site.requests == []


async def test_a_feed_is_not_taken_for_an_article(site: LocalWeb, fetcher: Fetcher) -> None:
    feed = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>W</title></channel></rss>'
    site.pages["/rss"] = Page(feed, content_type="text/xml")
    with pytest.raises(NoArticleError, match="claimwatch feeds add"):
        await fetch_article(site.url("/rss"), fetcher)


async def test_requests_to_one_host_are_limited(site: LocalWeb, tmp_path: Path) -> None:
    gate = asyncio.Event()

    async def held(request: web.Request) -> web.StreamResponse:
        await gate.wait()
        return web.Response(text="done")

    site.handlers["/held"] = held
    async with Fetcher(local_settings(tmp_path, feed_per_host=1)) as f:
        first = asyncio.create_task(f.get(site.url("/held")))
        second = asyncio.create_task(f.get(site.url("/held")))
        while not site.hits("/held"):  # noqa: ASYNC110 - waiting for the server to see it
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # give the second request every chance to go out
        assert len(site.hits("/held")) == 1
        gate.set()
        assert [(await t).body for t in (first, second)] == [b"done", b"done"]
    assert len(site.hits("/held")) == 2
