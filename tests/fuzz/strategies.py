"""Input generators shared by the fuzz tests: hostile text, dates, story records."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bot.ingest.text import strip_invisible

NASTY = [
    "",
    " ",
    "\u200b",
    "\u202e",
    "\u2066x\u2069",
    "\ufeff",
    "²",
    "①",
    "٣",
    "３",
    "-1",
    "1e999",
    "0x10",
    "💥",
    "👩\u200d💻",
    "<b>",
    "</a>",
    "&amp;",
    "*bold*",
    "_it_",
    "~s~",
    "`c`",
    "```",
    "<@U123>",
    "<!channel>",
    "'; DROP TABLE stories; --",
    "%s%n",
    "{}",
    "\\",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\u2028",
    "ﷺ",
    "𝕏",
    "a" * 300,
]
"""Strings that have broken parsers and renderers elsewhere."""

text = st.one_of(st.text(max_size=60), st.sampled_from(NASTY))
words = st.lists(text, max_size=4).map(" ".join)

DATES = [
    "2025-04-09",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2999-01-01",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 +1400",
    "Wed, 09 Apr 2025 10:30:00 GMT",
    "2025-02-30",
    "2025-04-09T25:00:00Z",
    "-0001-01-01",
    "now",
    "",
    "²⁰²⁵-04-09",
]
dates = st.one_of(st.sampled_from(DATES), st.dates().map(str), st.text(max_size=30))


def visible(value: str) -> bool:
    return bool(strip_invisible(value.replace("\r\n", "\n").replace("\r", "\n")).strip())


good_records: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {"body": st.text(min_size=1, max_size=400).filter(visible)},
    optional={
        "title": text,
        "url": st.one_of(text, st.just("https://news.example/a"), st.just("file:///etc/passwd")),
        "outlet": text,
        "published": dates,
    },
)
"""A record every reader must take (a body with visible text; the rest anything)."""

bad_records: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.text(max_size=20),
    st.fixed_dictionaries({"title": text}),
    st.fixed_dictionaries({"body": st.one_of(st.integers(), st.lists(st.text(), max_size=2))}),
    st.fixed_dictionaries(
        {"body": st.sampled_from(["", "   ", "\n\t", "\u200b\u202e", "\ufeff "])}
    ),
    st.fixed_dictionaries({"body": st.just("fine body"), "title": st.integers()}),
)
"""A record every reader must refuse, with a reason."""

batches = st.lists(
    st.one_of(good_records.map(lambda r: (True, r)), bad_records.map(lambda r: (False, r))),
    min_size=1,
    max_size=8,
)
