"""Slack's wire format back to the command the user typed."""

from __future__ import annotations

import re

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_ANGLE = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def clean_incoming(text: str, bot_user_id: str | None = None) -> str:
    """Slack's wire format back to what the user typed: the bot's own mention
    dropped, ``<url|label>`` → label, ``<#C1|general>`` → ``#general``,
    ``&amp;``/``&lt;``/``&gt;`` unescaped."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)

    def plain(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("@"):
            return "@" + (label or target[1:])
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return label or target

    text = _ANGLE.sub(plain, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def as_command_text(text: str) -> str:
    """``watch china`` → ``/watch china``; empty → ``/help``."""
    text = text.strip()
    if not text:
        return "/help"
    return text if text.startswith("/") else "/" + text


def chat_type(channel_id: str, channel_type: str | None = None) -> str:
    if channel_type == "im" or (channel_type is None and channel_id.startswith("D")):
        return "private"
    if channel_type in ("mpim", "group") or channel_id.startswith("G"):
        return "group"
    return "channel"


SHARE_WORD = "share"


def split_share(text: str) -> tuple[str, bool]:
    """``share claims china`` → (``claims china``, True): a leading ``share``
    asks for an answer the whole channel sees."""
    first, _, rest = text.strip().partition(" ")
    if first.casefold() == SHARE_WORD and rest.strip():
        return rest.strip(), True
    return text, False
