"""Slack: team-channel alerts and commands through slack-bolt.

Two ways in, one app:

* **Socket Mode** (default when ``SLACK_APP_TOKEN`` is set): bolt's
  ``AsyncSocketModeHandler`` opens a WebSocket from ``apps.connections.open``;
  no public URL is needed.
* **HTTP mode** (``SLACK_SIGNING_SECRET`` set, no app token): ``POST
  /slack/events`` on ``HTTP_HOST``/``HTTP_PORT`` takes events, slash commands
  and interactivity. The v0 signature and a numeric timestamp within 5 minutes
  are checked before anything is parsed, and a replayed request runs once
  (:mod:`bot.adapters.slack_guard`); bolt checks the signature again. The runtime may mount
  :meth:`SlackAdapter.handle_http` on its own aiohttp app instead
  (``serve_http=False``).

Incoming: ``/claimwatch watch china`` → ``/watch china``; ``@ClaimWatch claims
china`` and a DM ``claims china`` → ``/claims china``; a button with value
``mute:24h`` → ``/mute 24h``. Every request is acknowledged at once; the
command runs after the ack and its reply is posted with ``chat.postMessage``
into the channel (in the thread, for a mention in a thread or a button on an
alert) — visible to the channel, so everyone sees who changed its watches.

Outgoing: Block Kit (:func:`render_blocks`, :func:`render_alert`); every piece
of story text is escaped for mrkdwn. The Web API client has no retry handlers:
429s and network errors surface as :class:`~bot.errors.TransientError` and the
dispatcher owns the retries.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.base import CommandSink
from bot.adapters.slack_guard import RequestRefused, SlackGuard
from bot.config import Settings
from bot.errors import ConfigError, PermanentError, TransientError
from bot.models import Alert, Button, ChatRef, Command, Line, Reply, Span

logger = logging.getLogger(__name__)

SLASH_COMMAND = "/claimwatch"
EVENTS_PATH = "/slack/events"
ACTION_PREFIX = "claimwatch"

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

ADMIN_CACHE_SECONDS = 600.0
PARENT_CACHE_SIZE = 2000
SEEN_EVENTS_SIZE = 1000

NOT_IN_CHANNEL_HINT = (
    "I can't post in this channel yet: invite me with /invite @ClaimWatch "
    "so that replies and alerts can arrive here."
)

Mode = Literal["socket", "http"]


# --------------------------------------------------------------------------- rendering


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
    limit = MAX_BLOCKS - (1 if buttons else 0)
    blocks = blocks[:limit]
    if buttons:
        blocks.append(render_buttons(buttons))
    return blocks


def alert_buttons(alert: Alert) -> tuple[Button, ...]:
    """The alert's own buttons, else Sources, Mute 24h and Unwatch."""
    if alert.buttons:
        return alert.buttons
    return (
        Button("Sources", "sources", alert.event_id),
        Button("Mute 24h", "mute", "24h"),
        Button("Unwatch", "unwatch", alert.watch_key),
    )


def _outlets(count: int) -> str:
    return f"{count} outlet" + ("" if count == 1 else "s")


def render_alert(alert: Alert) -> tuple[str, list[dict[str, Any]]]:
    """An alert as ``(fallback text, blocks)``.

    A header with the event title (``plain_text``: Slack shows it literally,
    so it is not entity-escaped), one section per fresh claim ("*Speaker* —
    claim `TAG`"), a context block with the source links and the outlet count,
    and the buttons."""
    title = alert.event_title or alert.story_title or alert.watch
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "block_id": f"{ACTION_PREFIX}_event",
            "text": {"type": "plain_text", "text": _truncate(title, MAX_HEADER_CHARS)},
        }
    ]
    if alert.story_title and alert.story_title != title:
        blocks.append(_section(f"_{escape(alert.story_title.strip())}_"))
    claims = alert.claims[:MAX_ALERT_CLAIMS]
    for claim in claims:
        blocks.append(
            _section(
                f"*{escape(claim.speaker.strip())}* — {escape(claim.text.strip())} "
                f"`{escape(claim.tag)}`"
            )
        )
    if len(alert.claims) > len(claims):
        blocks.append(_section(f"…and {len(alert.claims) - len(claims)} more claims"))
    elements: list[dict[str, Any]] = []
    links = " · ".join(link(li.url, li.label) for li in alert.links[:MAX_ALERT_LINKS])
    if links:
        elements.append({"type": "mrkdwn", "text": _truncate(links, MAX_CONTEXT_CHARS)})
    elements.append({"type": "mrkdwn", "text": _outlets(alert.outlets)})
    blocks.append({"type": "context", "block_id": f"{ACTION_PREFIX}_sources", "elements": elements})
    blocks.append(render_buttons(alert_buttons(alert)))
    return alert_fallback(alert), blocks


def alert_fallback(alert: Alert) -> str:
    """The plain-text ``text`` for notifications and clients without blocks (escaped:
    Slack parses it as mrkdwn)."""
    title = alert.event_title or alert.story_title
    parts = [f"{alert.watch}: {title}"]
    parts += [f"{c.speaker} — {c.text} [{c.tag}]" for c in alert.claims[:3]]
    if len(alert.claims) > 3:
        parts.append(f"…and {len(alert.claims) - 3} more")
    parts.append(_outlets(alert.outlets))
    return _truncate(escape("\n".join(parts)), MAX_FALLBACK_CHARS)


def reply_fallback(reply: Reply) -> str:
    text = reply.plain.strip() or ("Done." if reply.ok else "Something went wrong.")
    return _truncate(escape(text), MAX_FALLBACK_CHARS)


# --------------------------------------------------------------------------- incoming text

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


def _chat_type(channel_id: str, channel_type: str | None = None) -> str:
    if channel_type == "im" or (channel_type is None and channel_id.startswith("D")):
        return "private"
    if channel_type in ("mpim", "group") or channel_id.startswith("G"):
        return "group"
    return "channel"


# --------------------------------------------------------------------------- errors


def translate_error(exc: BaseException, chat: str) -> TransientError | PermanentError:
    """A Slack/transport failure as one of ours; logs why a channel gets paused."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", 200)
        error = str(response.get("error") or "unknown_error") if response is not None else ""
        if status == 429 or error == "ratelimited":
            headers = getattr(response, "headers", None) or {}
            retry_after = _retry_after(headers)
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


# --------------------------------------------------------------------------- the adapter


class SlackAdapter:
    """The Slack adapter (see the module docstring)."""

    platform = "slack"

    def __init__(self, settings: Settings, *, serve_http: bool = True) -> None:
        if settings.slack_bot_token is None:
            raise ConfigError("SLACK_BOT_TOKEN is not set")
        app_token = settings.slack_app_token
        secret = settings.slack_signing_secret
        if app_token is None and secret is None:
            raise ConfigError("Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET")
        self.settings = settings
        self.mode: Mode = "socket" if app_token is not None else "http"
        self._serve_http = serve_http
        self._app_token = app_token
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            retry_handlers=[],  # the dispatcher owns retries, with retry_after
            logger=logging.getLogger(f"{__name__}.web"),
        )
        bolt_logger = logging.getLogger(f"{__name__}.bolt")
        if bolt_logger.level == logging.NOTSET:
            # bolt logs whole request bodies at INFO (e.g. on a bad signature)
            bolt_logger.setLevel(logging.WARNING)
        self.app = AsyncApp(
            client=self.client,
            # listeners only ack and hand the work to a task, so they end at once;
            # answering after they end means no request is in limbo on stop()
            process_before_response=True,
            signing_secret=secret.get_secret_value() if secret is not None else "unused",
            request_verification_enabled=self.mode == "http",
            logger=bolt_logger,
            name="claimwatch",
        )
        self._register()
        self._on_command: CommandSink | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._bot_user_id: str | None = None
        self._admins: dict[str, tuple[bool, float]] = {}
        self._chat_types: dict[str, str] = {}
        self._parents: OrderedDict[tuple[str, str], Alert] = OrderedDict()
        self._seen_events: OrderedDict[str, None] = OrderedDict()
        self._guard = SlackGuard(secret.get_secret_value() if secret is not None else "")
        self._pace_locks: dict[str, asyncio.Lock] = {}
        self._last_post: dict[str, float] = {}
        self._interval = 1.0 / settings.per_chat_per_second
        self.http_port: int | None = None  # the bound port in HTTP mode
        self.ready = asyncio.Event()  # set once start() has connected or is listening

    # ------------------------------------------------------------------ lifecycle

    async def start(self, on_command: CommandSink) -> None:
        self._on_command = on_command
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error in ("invalid_auth", "not_authed", "token_revoked", "account_inactive"):
                raise ConfigError(f"Slack refused SLACK_BOT_TOKEN ({error})") from None
            raise translate_error(exc, "auth.test") from None
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise translate_error(exc, "auth.test") from None
        self._bot_user_id = str(auth.get("user_id") or "") or None
        if self.mode == "socket":
            assert self._app_token is not None
            socket_logger = logging.getLogger(f"{__name__}.socket")
            if socket_logger.level == logging.NOTSET:
                # at DEBUG the client logs every envelope, verification token included
                socket_logger.setLevel(logging.INFO)
            self._socket = AsyncSocketModeHandler(
                self.app,
                self._app_token.get_secret_value(),
                logger=socket_logger,
                web_client=self.client,
            )
            try:
                # ask for the WebSocket URL ourselves, so a bad app token fails start
                self._socket.client.wss_uri = await self._socket.client.issue_new_wss_url()
            except SlackApiError as exc:
                await self._socket.close_async()  # type: ignore[no-untyped-call]
                self._socket = None
                error = exc.response.get("error") if exc.response is not None else None
                if error in (
                    "invalid_auth",
                    "not_authed",
                    "token_revoked",
                    "not_allowed_token_type",
                ):
                    raise ConfigError(f"Slack refused SLACK_APP_TOKEN ({error})") from None
                raise translate_error(exc, "apps.connections.open") from None
            try:
                await asyncio.wait_for(self._socket.connect_async(), timeout=30)  # type: ignore[no-untyped-call]
            except TimeoutError:
                await self._socket.close_async()  # type: ignore[no-untyped-call]
                self._socket = None
                raise TransientError("slack: could not open a Socket Mode connection") from None
            logger.info("slack: connected in Socket Mode as %s", self._bot_user_id)
        elif self._serve_http:
            web_app = web.Application()
            web_app.router.add_post(EVENTS_PATH, self.handle_http)
            self._runner = web.AppRunner(web_app, access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port)
            await site.start()
            self.http_port = int(self._runner.addresses[0][1])
            logger.info(
                "slack: HTTP mode, listening on %s:%s%s",
                self.settings.http_host,
                self.http_port,
                EVENTS_PATH,
            )
        else:
            logger.info("slack: HTTP mode, %s mounted by the runtime", EVENTS_PATH)
        self.ready.set()

    async def stop(self) -> None:
        self.ready.clear()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=10)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    def http_routes(self) -> list[tuple[str, str, Any]]:
        """Routes for the service's shared HTTP server: ``POST /slack/events`` in
        HTTP mode when this adapter does not serve a port of its own."""
        if self.mode == "http" and not self._serve_http:
            return [("POST", EVENTS_PATH, self.handle_http)]
        return []

    async def handle_http(self, request: web.Request) -> web.Response:
        """``POST /slack/events``: the signature is checked before anything is
        parsed, a replay is answered once (:mod:`bot.adapters.slack_guard`),
        then bolt dispatches it."""
        raw = await request.read()
        try:
            admitted = self._guard.admit(request.headers, raw)
        except RequestRefused as exc:
            if exc.status == 401:
                logger.warning(
                    "slack: refused a request with a bad or stale signature from %s (%s)",
                    request.remote,
                    exc.reason,
                )
            else:
                logger.warning("slack: refused a request from %s: %s", request.remote, exc.reason)
            return web.json_response({"error": exc.reason}, status=exc.status)
        if not self._guard.first_time(admitted.key):
            logger.info(
                "slack: answered a repeated request from %s once%s",
                request.remote,
                f" (Slack retry {admitted.retry})" if admitted.retry else "",
            )
            return web.Response(status=200)
        try:
            bolt_request = AsyncBoltRequest(
                body=admitted.text,
                query=request.query_string,
                headers=dict(request.headers),
            )
        except Exception as exc:  # a signed body bolt cannot make sense of
            self._guard.forget(admitted.key)
            logger.warning("slack: refused a request bolt cannot read: %s", type(exc).__name__)
            return web.json_response({"error": "the body cannot be read"}, status=400)
        try:
            bolt_response = await self.app.async_dispatch(bolt_request)
        except BaseException:
            self._guard.forget(admitted.key)
            raise
        if bolt_response.status >= 500:
            self._guard.forget(admitted.key)  # Slack retries it; let the retry run
        return await to_aiohttp_response(bolt_response)

    async def wait_idle(self) -> None:
        """Wait until the commands received so far have been answered (for tests)."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------------ incoming

    def _register(self) -> None:
        self.app.command(SLASH_COMMAND)(self._on_slash)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.action(re.compile(rf"^{ACTION_PREFIX}:"))(self._on_action)

    def _spawn(
        self,
        command: Command,
        thread_ts: str | None,
        *,
        resolve_type: bool = False,
        response_url: str | None = None,
    ) -> None:
        """Run the command after the ack. The listener returns at once; the
        lookups (channel type, admin) happen in the task."""
        task = asyncio.create_task(self._run(command, thread_ts, resolve_type, response_url))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_slash(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        channel = str(body.get("channel_id") or "")
        user = str(body.get("user_id") or "")
        if not channel or not user:
            return
        text = as_command_text(clean_incoming(str(body.get("text") or ""), self._bot_user_id))
        private = channel.startswith("D") or body.get("channel_name") == "directmessage"
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=text,
            chat_type="private" if private else _chat_type(channel),
            user_name=body.get("user_name"),
        )
        response_url = body.get("response_url")
        self._spawn(
            command,
            None,
            resolve_type=not private,
            response_url=response_url if isinstance(response_url, str) else None,
        )

    def _first_delivery(self, body: dict[str, Any]) -> bool:
        """False for an event Slack delivers again (a retry after a slow ack)."""
        event_id = body.get("event_id")
        if not isinstance(event_id, str):
            return True
        if event_id in self._seen_events:
            logger.info("slack: ignoring a repeated delivery of event %s", event_id)
            return False
        self._seen_events[event_id] = None
        while len(self._seen_events) > SEEN_EVENTS_SIZE:
            self._seen_events.popitem(last=False)
        return True

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not self._first_delivery(body):
            return
        channel = str(event.get("channel") or "")
        user = str(event.get("user") or "")
        if not channel or not user or event.get("bot_id"):
            return
        text = as_command_text(clean_incoming(str(event.get("text") or ""), self._bot_user_id))
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=text,
            chat_type=_chat_type(channel, event.get("channel_type")),
            reply_to=event.get("ts"),
        )
        self._spawn(command, event.get("thread_ts"))

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        # only direct messages; mentions in channels arrive as app_mention
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if not self._first_delivery(body):
            return
        channel = str(event.get("channel") or "")
        user = str(event.get("user") or "")
        if not channel or not user or user == self._bot_user_id:
            return
        text = as_command_text(clean_incoming(str(event.get("text") or ""), self._bot_user_id))
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=text,
            chat_type="private",
            reply_to=event.get("ts"),
        )
        self._spawn(command, event.get("thread_ts"))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        actions = body.get("actions") or []
        value = str(actions[0].get("value") or "") if actions else ""
        action, _, arg = value.partition(":")
        if not action:
            return
        channel = str((body.get("channel") or {}).get("id") or "")
        if not channel:
            channel = str((body.get("container") or {}).get("channel_id") or "")
        user = str((body.get("user") or {}).get("id") or "")
        if not channel or not user:
            return
        message = body.get("message") or {}
        thread_ts = message.get("thread_ts") or message.get("ts")
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=f"/{action} {arg}".strip(),
            chat_type=_chat_type(channel),
            user_name=(body.get("user") or {}).get("username"),
            reply_to=message.get("ts"),
        )
        self._spawn(command, thread_ts, resolve_type=not channel.startswith("D"))

    async def _run(
        self,
        command: Command,
        thread_ts: str | None,
        resolve_type: bool,
        response_url: str | None,
    ) -> None:
        assert self._on_command is not None
        channel = command.chat_id
        if resolve_type:
            command = dataclasses.replace(command, chat_type=await self._channel_type(channel))
        command = dataclasses.replace(
            command,
            is_admin=await self._is_admin(command.user_id, command.chat_type),
            prefix=f"{SLASH_COMMAND} ",
        )
        logger.info("slack: %s from %s in %s", command.text.split(" ")[0], command.user_id, channel)
        try:
            reply = await self._on_command(command)
        except Exception:
            logger.exception("slack: command %r in %s failed", command.text, channel)
            reply = Reply.error("Sorry, that failed. Please try again later.")
        try:
            await self._post(channel, reply_fallback(reply), _reply_blocks(reply), thread_ts)
        except PermanentError as exc:
            logger.warning("slack: could not answer in %s: %s", channel, exc)
            if exc.pause_chat and response_url:
                await self._respond_privately(response_url, reply, channel)
        except TransientError as exc:
            logger.warning("slack: could not answer in %s: %s", channel, exc)

    async def _respond_privately(self, response_url: str, reply: Reply, channel: str) -> None:
        """The reply to a slash command as an ephemeral message through its
        ``response_url``, with a hint to invite the bot: for channels the bot
        cannot post in."""
        hinted = Reply(((Span(NOT_IN_CHANNEL_HINT),), *reply.lines), reply.ok, reply.buttons)
        webhook = AsyncWebhookClient(
            response_url, retry_handlers=[], logger=logging.getLogger(f"{__name__}.web")
        )
        try:
            response = await webhook.send(
                text=reply_fallback(hinted),
                blocks=_reply_blocks(hinted),
                response_type="ephemeral",
            )
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            logger.warning("slack: could not answer privately in %s: %s", channel, exc)
            return
        if response.status_code != 200:
            logger.warning(
                "slack: could not answer privately in %s: HTTP %s", channel, response.status_code
            )

    async def _is_admin(self, user_id: str, chat_type: str) -> bool:
        """Everyone, unless SLACK_ADMIN_ONLY: then workspace admins and owners
        (``users.info``, cached for 10 minutes). A DM is the user's own chat."""
        if not self.settings.slack_admin_only or chat_type == "private":
            return True
        now = time.monotonic()
        cached = self._admins.get(user_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            response = await self.client.users_info(user=user_id)
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
            logger.warning(
                "slack: users.info for %s failed (%s); treating as non-admin", user_id, exc
            )
            return False
        user = response.get("user") or {}
        admin = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        self._admins[user_id] = (admin, now + ADMIN_CACHE_SECONDS)
        return admin

    async def _channel_type(self, channel: str) -> str:
        """private | group | channel, from ``conversations.info`` (cached)."""
        if channel.startswith("D"):
            return "private"
        cached = self._chat_types.get(channel)
        if cached is not None:
            return cached
        chat_type = _chat_type(channel)
        try:
            response = await self.client.conversations_info(channel=channel)
            info = response.get("channel") or {}
            if info.get("is_im"):
                chat_type = "private"
            elif info.get("is_mpim") or info.get("is_private"):
                chat_type = "group"
            else:
                chat_type = "channel"
            self._chat_types[channel] = chat_type
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
            logger.debug("slack: conversations.info for %s failed: %s", channel, exc)
        return chat_type

    # ------------------------------------------------------------------ outgoing

    async def send_reply(self, chat: ChatRef, reply: Reply) -> str | None:
        return await self._post(chat.chat_id, reply_fallback(reply), _reply_blocks(reply), None)

    async def send_alert(self, alert: Alert, reply_to: str | None) -> str | None:
        """Post an alert. With ``reply_to`` (the ts of the event's first alert in
        this channel) it goes into that thread and the first alert is updated
        with the new outlet count and links (``chat.update``). The first alert
        is re-rendered from what this adapter posted; after a restart, from
        the new alert's data. A failed update is logged, never raised: the
        follow-up itself was delivered."""
        channel = alert.chat.chat_id
        text, blocks = render_alert(alert)
        ts = await self._post(channel, text, blocks, reply_to)
        if reply_to is None:
            if ts is not None:
                self._remember_parent(channel, ts, alert)
            return ts
        parent = self._parents.get((channel, reply_to))
        merged = _merge_parent(parent, alert)
        try:
            p_text, p_blocks = render_alert(merged)
            await self.client.chat_update(
                channel=channel, ts=reply_to, text=p_text, blocks=p_blocks
            )
            self._remember_parent(channel, reply_to, merged)
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
            logger.warning(
                "slack: could not update the first alert %s in %s: %s", reply_to, channel, exc
            )
        return ts

    def _remember_parent(self, channel: str, ts: str, alert: Alert) -> None:
        self._parents[(channel, ts)] = alert
        self._parents.move_to_end((channel, ts))
        while len(self._parents) > PARENT_CACHE_SIZE:
            self._parents.popitem(last=False)

    async def _post(
        self, channel: str, text: str, blocks: list[dict[str, Any]], thread_ts: str | None
    ) -> str | None:
        """``chat.postMessage``, one at a time per channel and at most
        ``PER_CHAT_PER_SECOND`` (Slack allows about one a second per channel)."""
        chat = f"slack:{channel}"
        lock = self._pace_locks.setdefault(channel, asyncio.Lock())
        async with lock:
            wait = self._last_post.get(channel, float("-inf")) + self._interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_post[channel] = time.monotonic()
            kwargs: dict[str, Any] = {"channel": channel, "text": text, "blocks": blocks}
            if thread_ts:
                kwargs["thread_ts"] = thread_ts
            try:
                response = await self.client.chat_postMessage(**kwargs)
            except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
                raise translate_error(exc, chat) from None
        ts = response.get("ts")
        return str(ts) if ts else None


def _reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    return render_blocks(reply.lines, reply.buttons)


def _merge_parent(parent: Alert | None, follow_up: Alert) -> Alert:
    if parent is None:
        return follow_up
    links = list(parent.links)
    seen = {li.url for li in links}
    links += [li for li in follow_up.links if li.url not in seen]
    return dataclasses.replace(
        parent, links=tuple(links), outlets=max(parent.outlets, follow_up.outlets)
    )


__all__ = [
    "SlackAdapter",
    "alert_fallback",
    "clean_incoming",
    "escape",
    "render_alert",
    "render_blocks",
    "translate_error",
]
