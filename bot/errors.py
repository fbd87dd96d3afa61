"""Failures, split by what the caller should do about them."""

from __future__ import annotations


class ClaimWatchError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(ClaimWatchError):
    """The configuration is wrong: stop with a clear message."""


class InputError(ClaimWatchError):
    """The user's input is wrong: tell them why."""


class TransientError(ClaimWatchError):
    """Worth retrying, after ``retry_after`` seconds when the platform said so.

    ``scope`` says what a rate limit (``retry_after``) concerns: ``"chat"`` (the
    default: only that chat waits) or ``"platform"`` (every chat of the bot)."""

    def __init__(self, message: str, retry_after: float | None = None, scope: str = "chat") -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.scope = scope


class PermanentError(ClaimWatchError):
    """Give up on this target (blocked, chat gone, bad request) and say why.

    ``pause_chat`` is true when the chat itself is unreachable, so its
    subscriptions should be paused."""

    def __init__(self, message: str, pause_chat: bool = False) -> None:
        super().__init__(message)
        self.pause_chat = pause_chat
