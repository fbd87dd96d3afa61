"""Slack's side of the one alert layout: Block Kit with mrkdwn, every piece of
story text escaped. An alert's parts (:class:`~bot.analysis.summary.AlertLayout`)
go into a header, one section per claim line, a context block with the links
and the outlet count, and the buttons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.analysis.summary import alert_layout
from bot.models import Alert, Button, Line, Reply, Span

ACTION_PREFIX = "claimwatch"

# Slack's limits (https://docs.slack.dev/reference/block-kit/blocks)
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_URL = 3000
MAX_CONTEXT_CHARS = 2000
MAX_FALLBACK_CHARS = 3000
MAX_ALERT_CLAIMS = 10
MAX_ALERT_LINKS = 5


_MARKER = re.compile(r"[*_~`]")
_URL_TOKEN = re.compile(r"(?i)\bhttps?://\S+")
ZWSP = "\u200b"


def _literal_marker(match: re.Match[str]) -> str:
    """A formatting character that shows as itself: Slack mrkdwn has no backslash
    escape, but a marker only opens or closes formatting next to a word boundary,
    so one between zero-width spaces is shown literally. One inside a word
    (``snake_case``, ``2*3``) never formats and is left alone."""
    text, at = match.string, match.start()
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    if before.isalnum() and after.isalnum():
        return match.group()
    return f"{ZWSP}{match.group()}{ZWSP}"


def escape(text: str) -> str:
    """Escape text for Slack mrkdwn: ``&``, ``<`` and ``>`` as entities, and the
    formatting characters ``* _ ~ ` `` made literal (see :func:`_literal_marker`);
    web addresses in the text are left whole so that Slack still links them."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out: list[str] = []
    last = 0
    for url in _URL_TOKEN.finditer(text):
        out.append(_MARKER.sub(_literal_marker, text[last : url.start()]))
        out.append(url.group())
        last = url.end()
    out.append(_MARKER.sub(_literal_marker, text[last:]))
    return "".join(out)


def _safe_url(url: str) -> str:
    """A URL that cannot break out of ``<url|label>``."""
    url = url.strip()
    for char, code in (("|", "%7C"), ("<", "%3C"), (">", "%3E"), (" ", "%20"), ("\n", "")):
        url = url.replace(char, code)
    return url.replace("&", "&amp;")


def link(url: str, label: str) -> str:
    """``<url|label>`` for web links; other targets (file paths) as plain text."""
    if re.match(r"(?i)^https?://", url.strip()):
        return f"<{_safe_url(url)}|{escape(label.replace('|', '/'))}>"
    return escape(label)


def _wrap(text: str, mark: str) -> str:
    """``*text*`` keeping surrounding spaces outside the markers (else Slack ignores them)."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def render_span(span: Span) -> str:
    if span.url:
        out = link(span.url, span.text or span.url)
        return _wrap(out, "*") if span.bold else out
    out = escape(span.text)
    if span.code:
        out = _wrap(out.replace("`", "'"), "`")
    if span.bold:
        out = _wrap(out, "*")
    return out


def render_line(line: Line) -> str:
    return "".join(render_span(span) for span in line)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _truncate(text, MAX_SECTION_CHARS)},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def button_value(button: Button) -> str:
    return _truncate(f"{button.action}:{button.arg}", MAX_BUTTON_VALUE)


def render_buttons(buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"{ACTION_PREFIX}_actions",
        "elements": [_button_element(i, b) for i, b in enumerate(buttons[:25])],
    }


def render_button_rows(buttons: Sequence[Button]) -> list[dict[str, Any]]:
    """Buttons as one actions block per row (:attr:`Button.row`), rows in order."""
    rows: dict[int, list[tuple[int, Button]]] = {}
    for i, button in enumerate(buttons):
        rows.setdefault(button.row, []).append((i, button))
    return [
        {
            "type": "actions",
            "block_id": f"{ACTION_PREFIX}_actions" + (f"_{row}" if n else ""),
            "elements": [_button_element(i, b) for i, b in members[:25]],
        }
        for n, (row, members) in enumerate(sorted(rows.items()))
    ]


def _button_element(i: int, b: Button) -> dict[str, Any]:
    """A button; one with a web ``url`` opens it and carries no command (its
    press still reaches us, with an empty value, and is ignored)."""
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": _truncate(b.label, MAX_BUTTON_LABEL), "emoji": True},
        "action_id": f"{ACTION_PREFIX}:{b.action}:{i}",
    }
    if b.url and re.match(r"(?i)^https?://", b.url) and len(b.url) <= MAX_BUTTON_URL:
        element["url"] = b.url
    else:
        element["value"] = button_value(b)
    return element


def render_blocks(lines: Sequence[Line], buttons: Sequence[Button] = ()) -> list[dict[str, Any]]:
    """Rich text as Block Kit: mrkdwn sections of up to 3000 characters, then
    the buttons as an actions block."""
    blocks: list[dict[str, Any]] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        text = render_line(line)
        if chunk and size + len(text) + 1 > MAX_SECTION_CHARS:
            blocks.append(_section("\n".join(chunk)))
            chunk, size = [], 0
        chunk.append(text)
        size += len(text) + 1
    if chunk and "".join(chunk).strip():
        blocks.append(_section("\n".join(chunk)))
    rows = render_button_rows(buttons)
    return blocks[: MAX_BLOCKS - len(rows)] + rows


def _plain(line: Line) -> str:
    return "".join(span.text for span in line)


def render_alert(alert: Alert) -> tuple[str, list[dict[str, Any]]]:
    """An alert as ``(fallback text, blocks)``, from its layout.

    A header with the title (``plain_text``: Slack shows it literally, so it
    is not entity-escaped), the story's own title in italics when it differs,
    one section per fresh claim line, a context block with the source links
    and the outlet count, and the buttons."""
    shown = alert_layout(alert)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "block_id": f"{ACTION_PREFIX}_event",
            "text": {"type": "plain_text", "text": _truncate(shown.title, MAX_HEADER_CHARS)},
        }
    ]
    if shown.subtitle is not None:
        blocks.append(_section(f"_{render_line(shown.subtitle).strip()}_"))
    claims = shown.claims[:MAX_ALERT_CLAIMS]
    blocks.extend(_section(render_line(line)) for line in claims)
    if len(shown.claims) > len(claims):
        blocks.append(_section(f"…and {len(shown.claims) - len(claims)} more claims"))
    if shown.more:
        blocks.append(_section(escape(shown.more)))
    elements: list[dict[str, Any]] = []
    links = render_line(shown.links[: 2 * MAX_ALERT_LINKS - 1])  # a link, " · ", a link, ...
    if links:
        elements.append({"type": "mrkdwn", "text": _truncate(links, MAX_CONTEXT_CHARS)})
    elements.append({"type": "mrkdwn", "text": shown.coverage})
    blocks.append({"type": "context", "block_id": f"{ACTION_PREFIX}_sources", "elements": elements})
    blocks.append(render_buttons(shown.buttons))
    parts = [_plain(shown.headline)] + [_plain(line) for line in shown.claims[:3]]
    if len(shown.claims) > 3:
        parts.append(f"…and {len(shown.claims) - 3} more")
    if shown.more:
        parts.append(shown.more)
    parts.append(shown.coverage)
    # the plain-text ``text`` for notifications and clients without blocks (escaped:
    # Slack parses it as mrkdwn)
    return _truncate(escape("\n".join(parts)), MAX_FALLBACK_CHARS), blocks


def reply_fallback(reply: Reply) -> str:
    text = reply.plain.strip() or ("Done." if reply.ok else "Something went wrong.")
    return _truncate(escape(text), MAX_FALLBACK_CHARS)


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    return render_blocks(reply.lines, reply.buttons)


SHARE_ACTION = f"{ACTION_PREFIX}_share"
_USER_ID = re.compile(r"[UW][A-Z0-9]{1,20}")


def share_button(command_text: str) -> dict[str, Any]:
    """The "Share in channel" button under an answer only its asker sees: its
    value is the command, run again and posted for the channel when pressed."""
    return {
        "type": "actions",
        "block_id": SHARE_ACTION,
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Share in channel", "emoji": True},
                "action_id": SHARE_ACTION,
                "value": _truncate(command_text, MAX_BUTTON_VALUE),
            }
        ],
    }


def shared_by(user_id: str) -> dict[str, Any]:
    """A context block naming who shared an answer (a user mention)."""
    who = f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape(user_id)
    return {
        "type": "context",
        "block_id": f"{ACTION_PREFIX}_shared",
        "elements": [{"type": "mrkdwn", "text": f"Shared by {who}"}],
    }
