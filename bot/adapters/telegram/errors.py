"""Python-telegram-bot's failures as :mod:`bot.errors` values, by what the caller should do."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.errors import ClaimWatchError, PermanentError, TransientError

# BadRequest descriptions that mean the chat itself is unreachable for us.
_CHAT_GONE = (
    "chat not found",
    "not enough rights to send",
    "have no rights to send",
    "chat_write_forbidden",
    "bot was kicked",
    "user is deactivated",
    "peer_id_invalid",
    "message thread not found",  # a forum topic that was deleted: that topic pauses
)


# BadRequest descriptions that mean a message cannot be edited, for good.
_CANNOT_EDIT = (
    "message to edit not found",
    "message can't be edited",
    "message_id_invalid",
)


def edit_outcome(exc: TelegramError) -> bool | None:
    """What a failed ``editMessageText`` means: True when the message already
    shows that text ("message is not modified": an edit made again), False when
    it cannot be edited (too old, deleted), None for any other failure (then
    :func:`translate_error`)."""
    if not isinstance(exc, BadRequest):
        return None
    message = exc.message.lower()
    if "message is not modified" in message:
        return True
    if any(cannot in message for cannot in _CANNOT_EDIT):
        return False
    return None


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait a 429 asked for, in seconds.

    PTB 22.2 deprecated the int form of ``RetryAfter.retry_after``: reading it
    warns unless ``PTB_TIMEDELTA`` is set in the environment, in which case it
    is a timedelta. We accept both and silence only that one deprecation here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def translate_error(exc: TelegramError, chat: str) -> ClaimWatchError:
    """The :mod:`bot.errors` value for a PTB failure while sending to ``chat``."""
    what = f"telegram chat {chat}: {exc.message}"
    if isinstance(exc, RetryAfter):
        return TransientError(what, retry_after=retry_after_seconds(exc))
    if isinstance(exc, ChatMigrated):
        return TransientError(f"telegram chat {chat} moved to {exc.new_chat_id}", retry_after=0)
    if isinstance(exc, Forbidden):
        return PermanentError(what, pause_chat=True)
    if isinstance(exc, BadRequest):  # before NetworkError: BadRequest subclasses it
        message = exc.message.lower()
        return PermanentError(what, pause_chat=any(gone in message for gone in _CHAT_GONE))
    if isinstance(exc, EndPointNotFound):
        return PermanentError(what)
    if isinstance(exc, InvalidToken):
        return TransientError(f"telegram chat {chat}: the bot token was rejected")
    if isinstance(exc, NetworkError | Conflict):
        return TransientError(what)
    return TransientError(what)
