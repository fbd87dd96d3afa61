"""Slack's transport: the Web API client (no retry handlers: 429s and network
errors surface as :class:`~bot.errors.TransientError` and the dispatcher owns
the retries), ``chat.postMessage`` and a slash command's ``response_url``."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.errors import translate_error
from bot.config import Settings
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

#: What a Web API call can fail with, besides the errors Slack answers with.
CALL_ERRORS = (TimeoutError, SlackApiError, aiohttp.ClientError, OSError)


def web_client(settings: Settings) -> AsyncWebClient:
    if settings.slack_bot_token is None:
        raise ConfigError("SLACK_BOT_TOKEN is not set")
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[],  # the dispatcher owns retries, with retry_after
        logger=logging.getLogger("bot.adapters.slack.web"),
    )


async def post_message(
    client: AsyncWebClient,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]],
    thread_ts: str | None,
) -> str | None:
    """``chat.postMessage``; the message's ``ts``, or one of our errors."""
    kwargs: dict[str, Any] = {"channel": channel, "text": text, "blocks": blocks}
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    try:
        response = await client.chat_postMessage(**kwargs)
    except CALL_ERRORS as exc:
        raise translate_error(exc, f"slack:{channel}") from None
    ts = response.get("ts")
    return str(ts) if ts else None


async def post_ephemeral(
    client: AsyncWebClient,
    channel: str,
    user: str,
    text: str,
    blocks: list[dict[str, Any]],
    thread_ts: str | None,
) -> None:
    """``chat.postEphemeral``: a message only ``user`` sees in ``channel``."""
    kwargs: dict[str, Any] = {"channel": channel, "user": user, "text": text, "blocks": blocks}
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    try:
        await client.chat_postEphemeral(**kwargs)
    except CALL_ERRORS as exc:
        raise translate_error(exc, f"slack:{channel}") from None


async def respond(response_url: str, channel: str, **payload: Any) -> bool:
    """Answer through a ``response_url`` (a slash command's or a button's):
    ``response_type`` ``ephemeral`` (only the user sees it) or ``in_channel``,
    ``replace_original`` / ``delete_original`` for the message a button is on.
    False (logged) when Slack refused or could not be reached."""
    webhook = AsyncWebhookClient(
        response_url, retry_handlers=[], logger=logging.getLogger("bot.adapters.slack.web")
    )
    try:
        response = await webhook.send_dict(payload)
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        logger.warning("slack: could not answer through response_url in %s: %s", channel, exc)
        return False
    if response.status_code != 200:
        logger.warning(
            "slack: response_url in %s refused: HTTP %s %s",
            channel,
            response.status_code,
            response.body[:100],
        )
        return False
    return True
