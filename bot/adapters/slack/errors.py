"""Slack and transport failures as :mod:`bot.errors` values, by what the caller should do."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse as SlackResponse

from bot.errors import PermanentError, TransientError

logger = logging.getLogger(__name__)

#: Errors that mean the bot cannot post into the channel any more.
PAUSE_ERRORS: Mapping[str, str] = {
    "channel_not_found": "the channel no longer exists or the bot cannot see it",
    "not_in_channel": "the bot is not a member of the channel",
    "is_archived": "the channel is archived",
    "account_inactive": "the bot's account or workspace is inactive",
}
#: Slack errors worth retrying.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def translate_error(exc: BaseException, chat: str) -> TransientError | PermanentError:
    """A Slack/transport failure as one of ours; logs why a channel gets paused."""
    if isinstance(exc, SlackApiError):
        response = exc.response if isinstance(exc.response, SlackResponse) else None
        status = response.status_code if response is not None else 200
        error = str(response.get("error") or "unknown_error") if response is not None else ""
        if status == 429 or error == "ratelimited":
            retry_after = _retry_after(response.headers if response is not None else {})
            logger.warning("slack: rate limited posting to %s; retry after %ss", chat, retry_after)
            return TransientError(f"slack rate limited ({chat})", retry_after=retry_after)
        if error in PAUSE_ERRORS:
            logger.warning(
                "slack: pausing %s: %s (%s); its subscriptions should be paused",
                chat,
                PAUSE_ERRORS[error],
                error,
            )
            return PermanentError(f"slack: {error} ({chat})", pause_chat=True)
        if status >= 500 or error in TRANSIENT_ERRORS:
            return TransientError(f"slack: {error or status} ({chat})")
        logger.warning("slack: giving up on a message to %s: %s", chat, error)
        return PermanentError(f"slack: {error} ({chat})")
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        return TransientError(f"slack unreachable ({type(exc).__name__}) ({chat})")
    return PermanentError(f"slack: unexpected {type(exc).__name__} ({chat})")


def _retry_after(headers: Mapping[str, Any]) -> float:
    value: Any = None
    for key, item in headers.items():
        if str(key).lower() == "retry-after":
            value = item[0] if isinstance(item, list) and item else item
            break
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 1.0
