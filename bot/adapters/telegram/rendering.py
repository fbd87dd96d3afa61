"""Telegram's side of the one alert layout: lines of spans as Telegram HTML
(every piece of text escaped), split below the 4096-character limit at line
boundaries, and buttons as one row of inline buttons."""

from __future__ import annotations

import html
import ipaddress
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.models import Button, Line, Span

log = logging.getLogger(__name__)

#: Telegram's limit is 4096 characters after entity parsing; we measure the
#: HTML source (always at least as long) and keep a margin below it.
MESSAGE_LIMIT = 4000
CALLBACK_DATA_LIMIT = 64  # bytes


def is_web_url(url: str) -> bool:
    """Only http(s) URLs become links; anything else stays text."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def is_button_url(url: str) -> bool:
    """A web address Telegram accepts on a URL button: it refuses ``localhost``
    and addresses it cannot reach, so those buttons fall back to their command."""
    if not is_web_url(url):
        return False
    host = (urlsplit(url.strip()).hostname or "").lower()
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:  # a name
        return "." in host and not host.endswith((".localhost", ".local", ".internal"))


def render_span(span: Span) -> str:
    text = html.escape(span.text, quote=False)
    if span.code:
        text = f"<code>{text}</code>"
    if span.bold:
        text = f"<b>{text}</b>"
    if span.url and is_web_url(span.url):
        text = f'<a href="{html.escape(span.url.strip(), quote=True)}">{text}</a>'
    return text


def render_line(line: Line) -> str:
    """One line; neighbouring spans with the same formatting share their tags."""
    merged: list[Span] = []
    for span in line:
        last = merged[-1] if merged else None
        if last and (last.url, last.bold, last.code) == (span.url, span.bold, span.code):
            merged[-1] = Span(last.text + span.text, span.url, span.bold, span.code)
        else:
            merged.append(span)
    return "".join(render_span(span) for span in merged)


def render_html(lines: tuple[Line, ...]) -> str:
    """Telegram HTML for ``lines``: text escaped, bold, code and http(s) links."""
    return "\n".join(render_line(line) for line in lines)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _split_text(text: str, limit: int) -> list[str]:
    """Pieces of ``text`` whose escaped form fits ``limit``, cut at spaces when possible."""
    pieces: list[str] = []
    start = size = 0
    space = -1  # last space in the current piece
    for i, ch in enumerate(text):
        width = _utf16_len(html.escape(ch, quote=False))
        if size + width > limit and i > start:
            cut = space + 1 if space > start + (i - start) // 2 else i
            pieces.append(text[start:cut])
            start, space = cut, -1
            size = _utf16_len(html.escape(text[start:i], quote=False))
        size += width
        if ch == " ":
            space = i
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _split_line(line: Line, limit: int) -> list[str]:
    """A line too long for one message, as several rendered lines that each fit."""
    # Room for the markup around a piece: <a href="..."><b><code>...</code></b></a>.
    out: list[str] = []
    current = ""
    for span in line:
        overhead = len(render_span(Span("", span.url, span.bold, span.code)))
        room = max(limit - overhead, 16)
        for piece in _split_text(span.text, room):
            rendered = render_span(Span(piece, span.url, span.bold, span.code))
            if current and _utf16_len(current) + _utf16_len(rendered) > limit:
                out.append(current)
                current = ""
            current += rendered
    if current:
        out.append(current)
    return out


def render_messages(lines: tuple[Line, ...], limit: int = MESSAGE_LIMIT) -> list[str]:
    """``lines`` rendered and packed into messages of at most ``limit`` characters,
    split at line boundaries (a single over-long line is cut between words)."""
    rendered: list[str] = []
    for line in lines:
        text = render_line(line)
        rendered.extend([text] if _utf16_len(text) <= limit else _split_line(line, limit))
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for text in rendered:
        extra = _utf16_len(text) + (1 if current else 0)
        if current and size + extra > limit:
            messages.append("\n".join(current))
            current, size = [], 0
            extra = _utf16_len(text)
        current.append(text)
        size += extra
    if current:
        messages.append("\n".join(current))
    # Telegram trims whitespace and refuses empty messages.
    return [m for m in (m.strip("\n") for m in messages) if m.strip()]


def callback_data(button: Button) -> str | None:
    """``action:arg`` (``refresh>action:arg`` for a button whose message a
    command refreshes) when it fits Telegram's 64 bytes, else None."""
    data = f"{button.action}:{button.arg}"
    if button.refresh:
        data = f"{button.refresh}>{data}"
    return data if len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT else None


@dataclass(frozen=True, slots=True)
class Pressed:
    """What a pressed button's callback data asks: the command ``/{action} {arg}``,
    then the message refreshed with ``/{refresh}`` (when set)."""

    action: str
    arg: str
    refresh: str | None = None


_PRESSED = re.compile(r"(?:([a-z_]{1,32})>)?([^:]+):(.*)", re.DOTALL)


def read_callback_data(data: str) -> Pressed | None:
    """:func:`callback_data` read back; None for data no button of ours carries."""
    match = _PRESSED.fullmatch(data)
    if match is None:
        return None
    return Pressed(match.group(2), match.group(3), match.group(1))


def inline_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """Inline buttons, one keyboard row per :attr:`Button.row` in order (a
    button with a public web ``url`` opens it, else it is its command); a
    button whose data is too long is left out."""
    rows: dict[int, list[InlineKeyboardButton]] = {}
    for button in buttons:
        if button.url and is_button_url(button.url):
            key = InlineKeyboardButton(button.label, url=button.url.strip())
        elif (data := callback_data(button)) is not None:
            key = InlineKeyboardButton(button.label, callback_data=data)
        else:
            log.warning("button %r left out: callback data over 64 bytes", button.label)
            continue
        rows.setdefault(button.row, []).append(key)
    return InlineKeyboardMarkup([rows[n] for n in sorted(rows)]) if rows else None
