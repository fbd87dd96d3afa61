"""Escaping for the pages' HTML: every piece of story text goes through these."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# characters HTML forbids or that render as nothing useful: C0/C1 controls
# (tab and newline kept), lone surrogates, noncharacters
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_SPACE = re.compile(r"\s")


def esc(text: str) -> str:
    """Text for an element or a quoted attribute: ``& < > " '`` escaped and
    characters HTML cannot carry dropped."""
    return html.escape(_BAD.sub("", text), quote=True)


def safe_href(url: str) -> str | None:
    """An http(s) address fit for ``href`` (escaped), or None: anything else
    (``javascript:``, ``data:``, a file path) is shown as text, never linked."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if _SPACE.search(url) or _BAD.search(url):
        return None
    return esc(url)
