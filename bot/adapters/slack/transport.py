"""Slack's transport: the Web API client (no retry handlers: 429s and network
errors surface as :class:`~bot.errors.TransientError` and the dispatcher owns
the retries), ``chat.postMessage``, a slash command's ``response_url``, and
files: the upload flow for a reply's file, the download of one shared with a command."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.errors import translate_error
from bot.config import Settings
from bot.errors import ConfigError, TransientError
from bot.models import FileData

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
    broadcast: bool = False,
) -> str | None:
    """``chat.postMessage``; the message's ``ts``, or one of our errors.
    ``broadcast``: a reply in ``thread_ts`` also shown in the channel."""
    kwargs: dict[str, Any] = {"channel": channel, "text": text, "blocks": blocks}
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
        if broadcast:
            kwargs["reply_broadcast"] = True
    try:
        response = await client.chat_postMessage(**kwargs)
    except CALL_ERRORS as exc:
        raise translate_error(exc, f"slack:{channel}") from None
    ts = response.get("ts")
    return str(ts) if ts else None


#: chat.update errors that mean the message cannot be edited (for good).
CANNOT_UPDATE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


async def update_message(
    client: AsyncWebClient, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]
) -> bool:
    """``chat.update``: True when done, False when Slack will not update that
    message (:data:`CANNOT_UPDATE`), else one of our errors."""
    try:
        await client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        if error in CANNOT_UPDATE:
            logger.info("slack: message %s in %s cannot be updated: %s", ts, channel, error)
            return False
        raise translate_error(exc, f"slack:{channel}") from None
    except CALL_ERRORS as exc:
        raise translate_error(exc, f"slack:{channel}") from None
    return True


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


async def upload_file(
    client: AsyncWebClient, channel: str, file: FileData, thread_ts: str | None
) -> str | None:
    """Share ``file`` in ``channel`` (``files_upload_v2``: files.getUploadURLExternal,
    the upload to the URL it gives, files.completeUploadExternal); the file's id."""
    kwargs: dict[str, Any] = {
        "channel": channel,
        "content": file.data,
        "filename": file.name,
        "title": file.name,
    }
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    try:
        response = await client.files_upload_v2(**kwargs)
    except (*CALL_ERRORS, SlackClientError) as exc:
        if isinstance(exc, SlackClientError) and not isinstance(exc, SlackApiError):
            raise TransientError(f"slack:{channel}: the file upload failed: {exc}") from None
        raise translate_error(exc, f"slack:{channel}") from None
    shared = response.get("file") or {}
    file_id = shared.get("id") if isinstance(shared, dict) else None
    return str(file_id) if file_id else None


SLACK_FILE_HOSTS = frozenset({"files.slack.com"})


def from_slack(url: str, api_url: str) -> bool:
    """Whether a shared file's address is on Slack's file server (or on the host
    of the configured Web API, e.g. a test's fake): the bot token is sent with
    the download, so it must go nowhere else."""
    parts = urlsplit(url)
    api = urlsplit(api_url)
    if parts.hostname is None:
        return False
    if parts.scheme == "https" and parts.hostname in SLACK_FILE_HOSTS:
        return True
    return (parts.scheme, parts.hostname, parts.port) == (api.scheme, api.hostname, api.port)


async def download_file(client: AsyncWebClient, url: str, limit: int) -> tuple[bytes, str | None]:
    """A shared file's content from its ``url_private_download`` (the bot token
    in the Authorization header), at most ``limit`` bytes: ``(data, None)``, or
    ``(b"", why)``. Slack answers a request it does not authorise with its
    sign-in page (HTML), not an error status."""
    if not from_slack(url, client.base_url):
        logger.warning("slack: refused to download a shared file from another host")
        return b"", "its address is not on Slack's file server"
    token = client.token or ""
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, headers=headers, allow_redirects=False) as response,
        ):
            if response.status != 200:
                return b"", f"Slack answered HTTP {response.status} to the download"
            if response.content_type == "text/html":
                return b"", "Slack did not let me download it (the app needs files:read)"
            data = await response.content.read(limit + 1)
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        logger.warning("slack: downloading a shared file failed: %s", type(exc).__name__)
        return b"", "the download from Slack failed"
    if len(data) > limit:
        return b"", f"it is over {limit // 1024} KB"
    return data, None
