"""Reading RSS, Atom and OPML documents: a fetched feed as its entries
(:func:`parse_feed`: feedparser over the bytes we fetched, never a URL;
links normalised as dedup keys, dates read and checked), the feed list of an
OPML file (:func:`parse_opml`), and the refusal of any document that declares
XML entities (:func:`refuse_entities`). Polling is :mod:`bot.ingest.feeds`."""

from __future__ import annotations

import calendar
import contextlib
import io
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urldefrag, urlsplit, urlunsplit

from bot.errors import InputError, PermanentError
from bot.ingest.files import sane_date
from bot.ingest.text import strip_invisible
from bot.ingest.web import html_to_text
from bot.net import FetchResult

log = logging.getLogger(__name__)

SUMMARY_ONLY_CHARS = 600
"""An entry whose text is shorter than this is taken to carry only a summary."""
MAX_ENTRIES = 200
"""Entries read from one poll (newest first); the rest wait for the next poll."""


class FeedRefused(PermanentError):
    """A document we will not parse (entity declarations)."""

    kind = "xml_entities"


class NotAFeedError(PermanentError):
    kind = "not_a_feed"


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
