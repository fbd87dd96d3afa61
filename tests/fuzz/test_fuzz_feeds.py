"""Fuzzing feed parsing: generated RSS and Atom documents with hostile titles,
links and dates, and arbitrary bytes. A document is either read — every entry
kept, every date sane — or refused with a :class:`~bot.errors.ClaimWatchError`."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import ClaimWatchError
from bot.ingest.feed_parsing import MAX_ENTRIES, parse_feed
from bot.ingest.files import EARLIEST_DATE, FUTURE_DAYS
from tests.fuzz.strategies import DATES, text

FEEDS = 300
RAW_DOCUMENTS = 300


def xml_text(value: str) -> str:
    """``value`` as XML character data (characters XML 1.0 forbids dropped)."""
    allowed = "".join(
        c
        for c in value
        if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
    )
    return escape(allowed, quote=True)


items = st.lists(
    st.fixed_dictionaries(
        {
            "title": text,
            "body": text,
            "date": st.one_of(st.sampled_from(DATES), st.text(max_size=20)),
            "link": st.one_of(
                st.just(""), st.sampled_from(["https://n.example/a", "javascript:x", "//x"]), text
            ),
        }
    ),
    max_size=6,
)


def rss(channel: str, entries: list[dict[str, str]]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>']
    out.append(f"<title>{xml_text(channel)}</title>")
    for n, e in enumerate(entries):
        out.append(
            f"<item><title>{xml_text(e['title'])}</title><guid>g{n}</guid>"
            f"<link>{xml_text(e['link'])}</link>"
            f"<description>{xml_text(e['body'])}</description>"
            f"<pubDate>{xml_text(e['date'])}</pubDate></item>"
        )
    out.append("</channel></rss>")
    return "".join(out).encode("utf-8")


def atom(channel: str, entries: list[dict[str, str]]) -> bytes:
    out = ['<feed xmlns="http://www.w3.org/2005/Atom">']
    out.append(f"<title>{xml_text(channel)}</title>")
    for n, e in enumerate(entries):
        out.append(
            f"<entry><id>urn:g{n}</id><title>{xml_text(e['title'])}</title>"
            f'<link href="{xml_text(e["link"])}"/>'
            f"<updated>{xml_text(e['date'])}</updated>"
            f'<content type="html">{xml_text(e["body"])}</content></entry>'
        )
    out.append("</feed>")
    return "".join(out).encode("utf-8")


def sane(day: object) -> bool:
    today = datetime.now(UTC).date()
    return day is None or EARLIEST_DATE <= day <= today + timedelta(days=FUTURE_DAYS)  # type: ignore[operator]


def test_generated_feeds_keep_every_entry(tried: Counter[str]) -> None:
    @settings(max_examples=FEEDS)
    @given(channel=text, entries=items, kind=st.sampled_from(["rss", "atom"]))
    def check(channel: str, entries: list[dict[str, str]], kind: str) -> None:
        tried["feeds: generated RSS/Atom document"] += 1
        document = (rss if kind == "rss" else atom)(channel, entries)
        try:
            parsed = parse_feed(document, "https://feed.example/rss")
        except ClaimWatchError:
            assert not entries  # only an empty document may be "not a feed"
            return
        assert len(parsed.entries) == min(len(entries), MAX_ENTRIES)
        assert all(sane(e.published) for e in parsed.entries)
        assert all(
            e.link is None or e.link.startswith(("http://", "https://")) for e in parsed.entries
        )

    check()


def test_arbitrary_bytes_are_read_or_refused(tried: Counter[str]) -> None:
    heads = st.sampled_from(
        [
            b"",
            b"<?xml version='1.0'?>",
            b"<rss version='2.0'><channel>",
            b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
            b"\xff\xfe",
            b"<feed xmlns='http://www.w3.org/2005/Atom'>",
        ]
    )

    @settings(max_examples=RAW_DOCUMENTS)
    @given(head=heads, data=st.binary(max_size=400))
    def check(head: bytes, data: bytes) -> None:
        tried["feeds: arbitrary bytes"] += 1
        try:
            parsed = parse_feed(head + data, "https://feed.example/rss")
        except ClaimWatchError as exc:
            assert str(exc)
            return
        assert all(sane(e.published) for e in parsed.entries)

    check()
