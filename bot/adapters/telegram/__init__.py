"""Telegram: the adapter (:mod:`.adapter`), HTML rendering (:mod:`.rendering`),
PTB's errors as ours (:mod:`.errors`) and the paced HTTP transport (:mod:`.transport`)."""

from bot.adapters.telegram.adapter import TelegramAdapter, parse_command
from bot.adapters.telegram.errors import translate_error
from bot.adapters.telegram.rendering import render_html, render_messages
from bot.adapters.telegram.transport import ChatPacer, is_group_chat, telegram_limits

__all__ = [
    "ChatPacer",
    "TelegramAdapter",
    "is_group_chat",
    "parse_command",
    "render_html",
    "render_messages",
    "telegram_limits",
    "translate_error",
]
