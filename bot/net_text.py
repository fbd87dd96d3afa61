"""Fetched bodies as text: the charset the headers declare, else the one the
document declares (``<meta charset>``, ``<?xml encoding?>``), else a detected
one; a declared charset that does not fit the bytes gives way to detection."""

from __future__ import annotations

import codecs
import logging
import re

log = logging.getLogger(__name__)

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset the headers declare, else the one the document declares."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (name := _codec(m.group(1))):
            return name
    head = body[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and (name := _codec(found.group(1).decode("ascii", "replace"))):
            return name
    return None


_SINGLE_BYTE = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"})


def decode_text(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, charset)``: a byte order mark wins, then the declared charset
    (when the bytes fit it), then detection, then UTF-8 with replacements."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    declared = declared_charset(content_type, body)
    if declared in _SINGLE_BYTE and not body.isascii():
        # any bytes "fit" a single-byte charset; text that is valid UTF-8 is UTF-8
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if declared is not None:
        try:
            return body.decode(declared), declared
        except UnicodeDecodeError:
            log.debug("declared charset %s does not fit the bytes; detecting", declared)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(body[:200_000])
    matches = list(results)
    detected: str | None = None
    if matches:
        least = min(m.chaos for m in matches)
        calm = [m for m in matches if m.chaos <= least + 0.01]
        # several code pages read the bytes equally well: the web's default
        # (windows-1252, what a "latin-1" label means to browsers) wins a tie
        pick = next((m for m in calm if _codec(m.encoding) == "cp1252"), None)
        detected = _codec((pick or results.best() or calm[0]).encoding)
    if detected is not None:
        return body.decode(detected, errors="replace"), detected
    return body.decode("utf-8", errors="replace"), "utf-8"
