"""Telegram's transport: the HTTP client under python-telegram-bot, and pacing of
every call that posts to a chat through the one :class:`~bot.ratelimit.RateLimiter`."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.warnings import PTBDeprecationWarning

from bot.config import Settings
from bot.models import ChatRef
from bot.ratelimit import CHAT_MARGIN, PlatformLimits, RateLimiter

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput  # the type of PTB's timeout arguments

PLATFORM = "telegram"
# Endpoints that post to a chat: these are paced.
_PACED = ("send", "edit", "copy", "forward")


def is_group_chat(chat_id: str) -> bool:
    """Telegram groups, supergroups and channels have negative ids (or ``@name``)."""
    return chat_id.startswith(("-", "@"))


def telegram_limits(settings: Settings) -> PlatformLimits:
    """Telegram's limits: ``TELEGRAM_GLOBAL_PER_SECOND`` (else ``GLOBAL_PER_SECOND``),
    ``TELEGRAM_CHAT_PER_SECOND`` (else ``PER_CHAT_PER_SECOND``) and
    ``TELEGRAM_GROUP_PER_MINUTE`` messages a minute to a group or channel."""
    return PlatformLimits(
        settings.telegram_global_per_second or settings.global_per_second,
        settings.telegram_chat_per_second or settings.per_chat_per_second,
        settings.telegram_group_per_minute or None,
        60.0,
        is_group_chat,
        CHAT_MARGIN,
    )


class QuietFloodRequest(HTTPXRequest):
    """PTB's HTTPX transport, raising ``RetryAfter`` without a deprecation warning.

    PTB 22.2+ builds ``RetryAfter`` by reading its own deprecated int
    ``retry_after`` attribute, so every 429 emits a ``PTBDeprecationWarning``
    unless ``PTB_TIMEDELTA`` is set in the process environment (which we do
    not touch). Here a 429 with ``parameters.retry_after`` is turned into the
    same ``RetryAfter`` (from a timedelta), with that one warning silenced in
    a synchronous block; PTB passes a ``TelegramError`` from the transport
    through unchanged, so its own handling (the polling loop) still works.
    """

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code == 429:
            seconds = _retry_after_in(payload)
            if seconds is not None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", PTBDeprecationWarning)
                    raise RetryAfter(timedelta(seconds=seconds))
        return code, payload


def _retry_after_in(payload: bytes) -> float | None:
    try:
        value = json.loads(payload)["parameters"]["retry_after"]
    except (ValueError, KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) and value >= 0 else None


class ChatPacer(BaseRateLimiter[bool]):
    """PTB rate limiter for the endpoints that post to a chat, on ``limiter``.

    Run by ``claimwatch run``, the dispatcher hands its own limiter to the
    adapter (:meth:`~bot.adapters.base.Adapter.use_limiter`), so alerts,
    command replies and the later parts of a long message share one budget. A
    call made with ``rate_limit_args=True`` already has its slot (the
    dispatcher took it for an alert's first message) and is not paced twice.
    Unlike PTB's ``AIORateLimiter`` it never retries a 429 itself (the
    dispatcher owns retries) and paces private chats too.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: bool | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        paced = chat_id is not None and endpoint.lower().startswith(_PACED)
        if paced and not rate_limit_args:
            await self.limiter.acquire(ChatRef(PLATFORM, str(chat_id)))
        return await callback(*args, **kwargs)
