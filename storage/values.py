"""Row → value conversions and limits shared by both store dialects."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.models import Source, Story

MAX_EVENT_TERMS = 200
"""How many of an event's heaviest terms are kept."""


def top_terms(terms: Mapping[str, float]) -> dict[str, float]:
    """The ``MAX_EVENT_TERMS`` heaviest terms (ties broken by the term, for stability)."""
    ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:MAX_EVENT_TERMS])


def source_of(row: Mapping[str, Any] | Any, published: date | None) -> Source:
    """A story row (source, title, url, outlet) as the source a chat is shown:
    linked by URL, else by the file it came from."""
    story = Story(
        source=row["source"], title=row["title"], body="", url=row["url"], outlet=row["outlet"]
    )
    return Source(title=row["title"], url=story.link, outlet=story.outlet_name, published=published)
