"""A local web server for fetch and feed tests: pages, feeds and misbehaviour
(slow, huge, gzip bombs, redirects) on 127.0.0.1, changed while it runs."""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 to a matching If-None-Match


class LocalWeb:
    """``await web.start()``; ``web.url("/feed")``; ``web.pages["/feed"] = Page(...)``."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.handlers: dict[str, Handler] = {}
        self.requests: list[web.Request] = []
        self.never = asyncio.Event()  # what a slow handler waits for
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self.never.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[web.Request]:
        return [r for r in self.requests if r.path == path]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request)
        handler = self.handlers.get(request.path)
        if handler is not None:
            return await handler(request)
        page = self.pages.get(request.path)
        if page is None:
            return web.Response(status=404, text="not here")
        headers = dict(page.headers)
        if page.etag is not None:
            headers["ETag"] = page.etag
            if request.headers.get("If-None-Match") == page.etag:
                return web.Response(status=304, headers=headers)
        headers["Content-Type"] = page.content_type
        return web.Response(status=page.status, body=page.body, headers=headers)

    # ------------------------------------------------------------ misbehaviour

    def slow(self, path: str) -> None:
        """Answer ``path`` never (until the server stops)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            await self.never.wait()
            return web.Response(text="too late")

        self.handlers[path] = handler

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, headers={"Location": location})

        self.handlers[path] = handler

    def endless(self, path: str, total: int, content_length: bool = False) -> None:
        """Stream ``total`` bytes of XML-ish filler (chunked unless ``content_length``)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            if content_length:
                response.content_length = total
            await response.prepare(request)
            chunk = b"<!-- filler -->" * 4096
            sent = 0
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while sent < total:
                    piece = chunk[: total - sent]
                    await response.write(piece)
                    sent += len(piece)
            return response

        self.handlers[path] = handler

    def gzip_bomb(self, path: str, expands_to: int) -> None:
        """A small gzip body that expands to ``expands_to`` bytes."""
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\0" * (1 << 20)
        parts = [z.compress(block) for _ in range(expands_to >> 20)]
        parts.append(z.flush())
        bomb = b"".join(parts)

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(
                body=bomb,
                headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
            )

        self.handlers[path] = handler


def rss(title: str, items: list[dict[str, str]], encoding: str = "utf-8") -> str:
    """An RSS 2.0 document; each item may give title, link, guid, description, content, date."""
    out = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{title}</title><link>http://example.org/</link>",
    ]
    for n, item in enumerate(items):
        out.append("<item>")
        out.append(f"<title>{item.get('title', f'Item {n}')}</title>")
        if "link" in item:
            out.append(f"<link>{item['link']}</link>")
        if "guid" in item:
            out.append(f'<guid isPermaLink="false">{item["guid"]}</guid>')
        if "description" in item:
            out.append(f"<description><![CDATA[{item['description']}]]></description>")
        if "content" in item:
            out.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        out.append(f"<pubDate>{item.get('date', formatdate(1744190000 + n * 60))}</pubDate>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def article_html(title: str, paragraphs: list[str], site: str = "Harbourwire") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title} | {site}</title>"
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="2025-04-09T10:00:00Z">'
        f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>© Harbourwire. All rights reserved.</footer></body></html>"
    )
