"""Stories from the web: one URL → one :class:`~bot.models.Story`.

:func:`fetch_article` fetches a page through :class:`bot.net.Fetcher` (every
safety rule applies) and extracts the article's text, title, outlet and date
with trafilatura (in a worker thread: it is CPU work). :func:`html_to_text`
turns the HTML of a feed entry into plain text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from bot.errors import PermanentError
from bot.ingest.files import parse_date, sane_date, split_title
from bot.models import Story
from bot.net import Fetcher

log = logging.getLogger(__name__)

MIN_ARTICLE_CHARS = 200
"""An extraction shorter than this is not an article (a paywall, a cookie wall, an index)."""

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


class NoArticleError(PermanentError):
    """The page holds no article text we can use."""

    kind = "no_article"


@dataclass(frozen=True, slots=True)
class Hints:
    """What a feed already knows about an entry; the page's own values win
    where it has them, except the URL, which stays the feed's."""

    title: str | None = None
    outlet: str | None = None
    published: Any = None  # datetime.date | None


async def fetch_article(url: str, fetcher: Fetcher, hints: Hints | None = None) -> Story:
    """Fetch ``url`` and extract its article (raises the :mod:`bot.net` errors,
    or :class:`NoArticleError`)."""
    result = await fetcher.get(url, accept=ACCEPT_HTML)
    ctype = result.content_type.split(";", 1)[0].strip().lower()
    if "rss" in ctype or "atom" in ctype or _looks_like_feed(result.body):
        raise NoArticleError(
            f"{url} is a news feed, not an article; poll it with: claimwatch feeds add {url}"
        )
    if ctype and not (ctype.startswith("text/") or "html" in ctype or "xml" in ctype):
        raise NoArticleError(f"{url}: not a web page ({ctype})")
    html = await asyncio.to_thread(result.text)  # charset detection is CPU work
    return await asyncio.to_thread(extract_story, html, url, result.url, hints)


def _looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
    while head.startswith(b"<!--") or head.startswith(b"<?"):
        end = head.find(b">")
        head = head[end + 1 :].lstrip() if end >= 0 else b""
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def extract_story(html: str, source: str, final_url: str, hints: Hints | None = None) -> Story:
    """The article in ``html`` as a Story (blocking: call it in a thread)."""
    import trafilatura

    hints = hints or Hints()
    raw = trafilatura.extract(
        html,
        url=final_url,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,  # its cache is process-wide: a refetched article would come back empty
    )
    data: dict[str, Any] = json.loads(raw) if raw else {}
    text = str(data.get("text") or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise NoArticleError(
            f"{source}: no article text found ({len(text)} characters extracted; "
            f"at least {MIN_ARTICLE_CHARS} needed)"
        )
    title = str(data.get("title") or "").strip() or (hints.title or "")
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()  # the headline is the title, not the body's first line
    if not title:
        title, text = split_title(text)
    published = hints.published
    if isinstance(data.get("date"), str):
        published = parse_date(data["date"]) or published
    published = sane_date(published, source)
    outlet = hints.outlet or _clean(data.get("source-hostname")) or _host(final_url)
    return Story(
        source=source,
        title=title,
        body=text,
        url=final_url,
        outlet=outlet,
        published=published,
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname
    return re.sub(r"^www\.", "", host) if host else None


# --------------------------------------------------------------------------- HTML → text

_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "tr",
        "table",
        "pre",
        "figure",
        "header",
        "footer",
    }
)
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "figcaption"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags dropped, blocks on lines of their own."""
    if "<" not in html:
        return re.sub(r"[ \t]+", " ", unescape(html)).strip()
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
