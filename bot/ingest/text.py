"""Invisible characters out of story text, at the edge (:meth:`bot.pipeline.Pipeline.ingest`).

Bidirectional controls (U+202A–202E, U+2066–2069, the marks U+200E, U+200F,
U+061C) can make an alert read differently from what it says ("SEIRDNUOB"
shown reversed), and zero-width characters (U+200B, U+2060–2064, U+FEFF,
U+180E) hide inside names so that "Bul\u200bgaria" is neither matched nor
seen as odd. Both are removed from a story's title, body and outlet before it
is stored, so analysis, alerts and replies on every platform see the same,
visible text. The joiners U+200C and U+200D are kept where they join two
characters of a non-Latin script or an emoji sequence (Persian and Indic
writing need them; "👩\u200d💻" is one emoji), and removed elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.models import Story

INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Every character :func:`strip_invisible` looks at (joiners included)."""
_JOINERS = frozenset("\u200c\u200d")


def _joins(text: str, at: int) -> bool:
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return all(ch and not ch.isascii() and not ch.isspace() for ch in (before, after))


def strip_invisible(text: str) -> str:
    """``text`` without bidi controls and zero-width characters (see the module)."""
    if not INVISIBLE.search(text):
        return text
    return INVISIBLE.sub(
        lambda m: m.group() if m.group() in _JOINERS and _joins(text, m.start()) else "", text
    )


def clean_story(story: Story) -> Story:
    """The story with :func:`strip_invisible` applied to its title, body and outlet."""
    title = strip_invisible(story.title)
    body = strip_invisible(story.body)
    outlet = None if story.outlet is None else strip_invisible(story.outlet).strip() or None
    if (title, body, outlet) == (story.title, story.body, story.outlet):
        return story
    return replace(story, title=title.strip() or story.title, body=body, outlet=outlet)
