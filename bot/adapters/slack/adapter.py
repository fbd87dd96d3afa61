"""Slack: team-channel alerts and commands through slack-bolt.

Two ways in, one app:

* **Socket Mode** (default when ``SLACK_APP_TOKEN`` is set): bolt's
  ``AsyncSocketModeHandler`` opens a WebSocket from ``apps.connections.open``;
  no public URL is needed.
* **HTTP mode** (``SLACK_SIGNING_SECRET`` set, no app token): ``POST
  /slack/events`` on ``HTTP_HOST``/``HTTP_PORT`` takes events, slash commands
  and interactivity. The v0 signature and a numeric timestamp within 5 minutes
  are checked before anything is parsed, and a replayed request runs once
  (:mod:`bot.adapters.slack.guard`); bolt checks the signature again. The runtime may mount
  :meth:`SlackAdapter.handle_http` on its own aiohttp app instead
  (``serve_http=False``).

Incoming: ``/claimwatch watch china`` → ``/watch china``; ``@ClaimWatch claims
china`` and a DM ``claims china`` → ``/claims china``; a button with value
``mute:24h`` → ``/mute 24h``. Every request is acknowledged at once; the
command runs after the ack. A reply the router marks ``changed`` (the registry
says the command changes the chat) is posted with ``chat.postMessage`` into the
channel (in the thread, for a mention in a thread or a button on an alert), so
everyone sees who changed its watches; every other reply only the asker sees
(``response_url`` or ``chat.postEphemeral``), with a "Share in channel" button;
a leading ``share`` word posts it for the channel at once. A reply with a form
(``/settings``) opens as a modal where there is a ``trigger_id``; its
submission runs before the ack so that a refusal shows in the modal. On
``app_home_opened`` the Home tab is published (:meth:`SlackAdapter.publish_home`).

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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError

from bot.adapters.base import Adapter, CommandSink, Route
from bot.adapters.slack.errors import translate_error
from bot.adapters.slack.guard import RequestRefused, SlackGuard
from bot.adapters.slack.incoming import as_command_text, chat_type, clean_incoming, split_share
from bot.adapters.slack.rendering import (
    ACTION_PREFIX,
    MAX_BLOCKS,
    SHARE_ACTION,
    render_alert,
    reply_blocks,
    reply_fallback,
    share_button,
    shared_by,
)
from bot.adapters.slack.transport import (
    CALL_ERRORS,
    download_file,
    post_ephemeral,
    post_message,
    respond,
    update_message,
    upload_file,
    web_client,
)
from bot.adapters.slack.views import SETTINGS_VIEW, form_view, home_view, submitted, view_errors
from bot.config import Settings
from bot.errors import ConfigError, PermanentError, TransientError
from bot.models import Alert, ChatRef, ChatSummary, Command, FileData, MenuEntry, Reply, Span
from bot.ratelimit import CHAT_MARGIN, PlatformLimits, RateLimiter

logger = logging.getLogger(__name__)
_LOGGER = "bot.adapters.slack"  # the loggers of bolt and the socket client are named under it

PLATFORM = "slack"
SLASH_COMMAND = "/claimwatch"
EVENTS_PATH = "/slack/events"

ADMIN_CACHE_SECONDS = 600.0
SEEN_EVENTS_SIZE = 1000
MAX_FILE_BYTES = 1024 * 1024
"""The largest file downloaded with a command; a larger one arrives as a problem."""

NOT_IN_CHANNEL_HINT = (
    "I can't post in this channel yet: invite me with /invite @ClaimWatch "
    "so that replies and alerts can arrive here."
)

Mode = Literal["socket", "http"]

#: The conversations the App Home tab looks through (``users.conversations``).
CONVERSATION_TYPES = "public_channel,private_channel,mpim,im"
MAX_CONVERSATION_PAGES = 20  # of 200 conversations each


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a command came from, which decides where its answer goes."""

    thread_ts: str | None = None  # answer in this thread
    response_url: str | None = None  # a slash command's or a button's
    trigger_id: str | None = None  # opens a modal, for a few seconds
    share: bool = False  # the asker wants the channel to see the answer
    on_ephemeral: bool = False  # a button on a message only the presser sees
    file: dict[str, Any] | None = None  # the first file shared with the message (/import)


def slack_limits(settings: Settings) -> PlatformLimits:
    """Slack's limits: ``SLACK_GLOBAL_PER_SECOND`` (else ``GLOBAL_PER_SECOND``) and
    ``SLACK_CHAT_PER_SECOND`` (else ``PER_CHAT_PER_SECOND``) per channel."""
    return PlatformLimits(
        settings.slack_global_per_second or settings.global_per_second,
        settings.slack_chat_per_second or settings.per_chat_per_second,
        chat_margin=CHAT_MARGIN,
    )


class SlackAdapter(Adapter):
    """The Slack adapter (see the module docstring)."""

    platform = PLATFORM

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
        self.client = web_client(settings)
        bolt_logger = logging.getLogger(f"{_LOGGER}.bolt")
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
        self._seen_events: OrderedDict[str, None] = OrderedDict()
        self._guard = SlackGuard(secret.get_secret_value() if secret is not None else "")
        limits = self.rate_limits(settings)
        self.limiter = RateLimiter({PLATFORM: limits}, limits)  # until the dispatcher's
        self.http_port: int | None = None  # the bound port in HTTP mode
        self.ready = asyncio.Event()  # set once start() has connected or is listening
        self._file_commands: frozenset[str] = frozenset()  # commands that read a shared file

    # ------------------------------------------------------------------ lifecycle

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        self._on_command = on_command
        self._file_commands = frozenset(entry.name for entry in menu if entry.takes_file)
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
            socket_logger = logging.getLogger(f"{_LOGGER}.socket")
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

    def http_routes(self) -> Sequence[Route]:
        """Routes for the service's shared HTTP server: ``POST /slack/events`` in
        HTTP mode when this adapter does not serve a port of its own."""
        if self.mode == "http" and not self._serve_http:
            return [("POST", EVENTS_PATH, self.handle_http)]
        return []

    async def handle_http(self, request: web.Request) -> web.Response:
        """``POST /slack/events``: the signature is checked before anything is
        parsed, a replay is answered once (:mod:`bot.adapters.slack.guard`),
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
        self.app.action(SHARE_ACTION)(self._on_share)
        self.app.view(SETTINGS_VIEW)(self._on_view_submission)
        self.app.event("app_home_opened")(self._on_home_opened)
        self._register_membership()

    def _spawn(self, command: Command, origin: Origin, *, resolve_type: bool = False) -> None:
        """Run the command after the ack. The listener returns at once; the
        lookups (channel type, admin) happen in the task."""
        self._track(self._run(command, origin, resolve_type))

    def _track(self, work: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_slash(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        channel = str(body.get("channel_id") or "")
        user = str(body.get("user_id") or "")
        if not channel or not user:
            return
        words, share = split_share(clean_incoming(str(body.get("text") or ""), self._bot_user_id))
        private = channel.startswith("D") or body.get("channel_name") == "directmessage"
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=as_command_text(words),
            chat_type="private" if private else chat_type(channel),
            user_name=body.get("user_name"),
        )
        origin = Origin(
            response_url=_text_or_none(body.get("response_url")),
            trigger_id=_text_or_none(body.get("trigger_id")),
            share=share,
        )
        self._spawn(command, origin, resolve_type=not private)

    async def _first_delivery(self, body: dict[str, Any]) -> bool:
        """False for an event Slack delivers again (a retry after a slow ack),
        whether this process or another one on the database had it first."""
        event_id = body.get("event_id")
        if not isinstance(event_id, str):
            return True
        if event_id in self._seen_events:
            logger.info("slack: ignoring a repeated delivery of event %s", event_id)
            return False
        self._seen_events[event_id] = None
        while len(self._seen_events) > SEEN_EVENTS_SIZE:
            self._seen_events.popitem(last=False)
        if not await self.first_seen(event_id):
            logger.info("slack: event %s was handled by another instance", event_id)
            return False
        return True

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not await self._first_delivery(body):
            return
        channel = str(event.get("channel") or "")
        user = str(event.get("user") or "")
        if not channel or not user or event.get("bot_id"):
            return
        command, share = self._event_command(
            event, channel, user, chat_type(channel, event.get("channel_type"))
        )
        origin = Origin(thread_ts=event.get("thread_ts"), share=share, file=_first_file(event))
        self._spawn(command, origin)

    def _event_command(
        self, event: dict[str, Any], channel: str, user: str, kind: str
    ) -> tuple[Command, bool]:
        """The command a mention or a DM carries, and whether it asked to be shared."""
        words, share = split_share(clean_incoming(str(event.get("text") or ""), self._bot_user_id))
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=as_command_text(words),
            chat_type=kind,
            reply_to=event.get("ts"),
        )
        return command, share

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        # only direct messages; mentions in channels arrive as app_mention; a file
        # shared in the DM with the command as its message is subtype file_share
        subtype = event.get("subtype")
        if event.get("channel_type") != "im" or subtype not in (None, "file_share"):
            return
        if event.get("bot_id"):
            return
        if not await self._first_delivery(body):
            return
        channel = str(event.get("channel") or "")
        user = str(event.get("user") or "")
        if not channel or not user or user == self._bot_user_id:
            return
        # a DM is private: "share" changes nothing there, and is dropped
        command, _ = self._event_command(event, channel, user, "private")
        self._spawn(command, Origin(thread_ts=event.get("thread_ts"), file=_first_file(event)))

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
        self._spawn_action(body, channel, user, f"/{action} {arg}".strip(), share=False)

    def _spawn_action(
        self, body: dict[str, Any], channel: str, user: str, text: str, *, share: bool
    ) -> None:
        """A button's command: answered in the thread of the message it is on,
        or through its ``response_url`` when that message is ephemeral."""
        container = body.get("container") or {}
        on_ephemeral = bool(container.get("is_ephemeral"))
        message = {} if on_ephemeral else (body.get("message") or {})
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=text,
            chat_type=chat_type(channel),
            user_name=(body.get("user") or {}).get("username"),
            reply_to=message.get("ts"),
        )
        origin = Origin(
            thread_ts=message.get("thread_ts") or message.get("ts"),
            response_url=_text_or_none(body.get("response_url")),
            trigger_id=_text_or_none(body.get("trigger_id")),
            share=share,
            on_ephemeral=on_ephemeral,
        )
        self._spawn(command, origin, resolve_type=not channel.startswith("D"))

    async def _on_share(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """ "Share in channel" under an answer only its asker saw: the command
        runs again and its answer is posted for the channel."""
        await ack()
        actions = body.get("actions") or []
        text = str(actions[0].get("value") or "") if actions else ""
        channel = str((body.get("channel") or {}).get("id") or "")
        channel = channel or str((body.get("container") or {}).get("channel_id") or "")
        user = str((body.get("user") or {}).get("id") or "")
        if text.startswith("/") and channel and user:
            self._spawn_action(body, channel, user, text, share=True)

    async def _on_view_submission(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A settings modal submitted: its command runs before the ack, so that
        a refusal is shown in the modal (``response_action: errors``) and
        changes nothing; an accepted change is announced in the channel."""
        view = body.get("view") or {}
        found = submitted(view)
        user = str((body.get("user") or {}).get("id") or "")
        if found is None or not user:
            await ack()
            return
        channel, text, first = found
        command = Command(
            platform=self.platform,
            chat_id=channel,
            user_id=user,
            text=text,
            chat_type=chat_type(channel),
            user_name=(body.get("user") or {}).get("username"),
        )
        command = await self._prepare(command, resolve_type=not channel.startswith("D"))
        reply = await self._dispatch(command)
        if not reply.ok:
            await ack(response_action="errors", errors=view_errors(reply, view, first))
            return
        await ack()
        self._track(self._deliver(command, reply, Origin()))

    async def _on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab") != "home" or not await self._first_delivery(body):
            return
        user = str(event.get("user") or "")
        if user:
            self._track(self.publish_home(user))

    async def publish_home(self, user: str) -> None:
        """``views.publish`` the user's Home tab: every conversation the user
        and the bot are both members of (channels, private channels, group
        DMs, the user's DM with the bot; not archived ones) that watches
        something, by name, with its watches and settings."""
        try:
            theirs = await self._conversations(user)
            ours = await self._conversations(None)
        except CALL_ERRORS as exc:
            logger.warning("slack: could not list the conversations of %s: %s", user, exc)
            return
        shared = sorted((label, cid) for cid, label in theirs.items() if cid in ours)
        summaries: Sequence[ChatSummary] = ()
        if self.chat_overview is not None and shared:
            summaries = await self.chat_overview([ChatRef(PLATFORM, cid) for _, cid in shared])
        labels = {cid: label for label, cid in shared}
        view = home_view([(labels[s.chat.chat_id], s) for s in summaries], SLASH_COMMAND)
        try:
            await self.client.views_publish(user_id=user, view=view)
        except CALL_ERRORS as exc:
            logger.warning("slack: could not publish the Home tab of %s: %s", user, exc)

    async def _conversations(self, user: str | None) -> dict[str, str]:
        """``users.conversations`` of ``user`` (None: the bot's own), not
        archived, as {id: label}, every page."""
        found: dict[str, str] = {}
        cursor: str | None = None
        for _ in range(MAX_CONVERSATION_PAGES):
            kwargs: dict[str, Any] = {
                "types": CONVERSATION_TYPES,
                "exclude_archived": True,
                "limit": 200,
            }
            if user is not None:
                kwargs["user"] = user
            if cursor:
                kwargs["cursor"] = cursor
            response = await self.client.users_conversations(**kwargs)
            for channel in response.get("channels") or []:
                cid = str(channel.get("id") or "")
                if cid:
                    found[cid] = _label(channel)
            cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
        return found

    async def _prepare(self, command: Command, *, resolve_type: bool) -> Command:
        """The command with its chat type (when asked), admin flag and prefix."""
        if resolve_type:
            command = dataclasses.replace(
                command, chat_type=await self._channel_type(command.chat_id)
            )
        return dataclasses.replace(
            command,
            is_admin=await self._is_admin(command.user_id, command.chat_type),
            prefix=f"{SLASH_COMMAND} ",
        )

    async def _dispatch(self, command: Command) -> Reply:
        assert self._on_command is not None
        logger.info(
            "slack: %s from %s in %s", command.text.split(" ")[0], command.user_id, command.chat_id
        )
        try:
            return await self._on_command(command)
        except Exception:
            logger.exception("slack: command %r in %s failed", command.text, command.chat_id)
            return Reply.error("Sorry, that failed. Please try again later.")

    async def _run(self, command: Command, origin: Origin, resolve_type: bool) -> None:
        command = await self._prepare(command, resolve_type=resolve_type)
        if origin.file is not None and command.name in self._file_commands:
            # only a command that reads a file downloads the one shared with it
            command = dataclasses.replace(command, file=await self._download(origin.file))
        reply = await self._dispatch(command)
        await self._deliver(command, reply, origin)
        if reply.ok and reply.file is not None:
            # a file cannot be ephemeral: it is shared where the command was given
            chat = ChatRef(PLATFORM, command.chat_id)
            try:
                await self.send_file(chat, reply.file, reply_to=origin.thread_ts)
            except (PermanentError, TransientError) as exc:
                logger.warning("slack: could not share a file in %s: %s", command.chat_id, exc)

    async def _download(self, info: dict[str, Any]) -> FileData:
        """The first file shared with a command (``url_private_download`` with the
        bot token; needs the ``files:read`` scope), or a FileData saying why not."""
        name = str(info.get("name") or info.get("title") or "file")
        mime = str(info.get("mimetype") or "application/octet-stream")
        size = info.get("size")
        if isinstance(size, int) and size > MAX_FILE_BYTES:
            return FileData(
                name,
                b"",
                mime,
                f"it is {size // 1024} KB; I read files up to {MAX_FILE_BYTES // 1024} KB",
            )
        url = info.get("url_private_download") or info.get("url_private")
        if not isinstance(url, str):
            return FileData(name, b"", mime, "Slack gave no address to download it from")
        data, problem = await download_file(self.client, url, MAX_FILE_BYTES)
        return FileData(name, data, mime, problem)

    async def _deliver(self, command: Command, reply: Reply, origin: Origin) -> None:
        """Where an answer goes. A form opens as a modal where there is a
        trigger. In a DM: posted. A change (or an answer the asker shares):
        posted for the channel. Anything else — what only reads, a refusal —
        only the asker sees (``ephemeral``), with a "Share in channel" button."""
        channel = command.chat_id
        form = reply.ok and reply.form is not None and origin.trigger_id is not None
        if form and await self._open_form(str(origin.trigger_id), reply, channel):
            return
        if command.chat_type == "private":
            await self._post_reply(channel, reply, origin)
        elif reply.ok and origin.share and not reply.changed and origin.response_url:
            await self._share(command, reply, origin.response_url, origin.on_ephemeral)
        elif reply.ok and (reply.changed or origin.share):
            await self._post_reply(channel, reply, origin)
        else:
            await self._answer_privately(command, reply, origin)

    async def _post_reply(self, channel: str, reply: Reply, origin: Origin) -> None:
        try:
            await self._post(channel, reply_fallback(reply), reply_blocks(reply), origin.thread_ts)
        except PermanentError as exc:
            logger.warning("slack: could not answer in %s: %s", channel, exc)
            if exc.pause_chat and origin.response_url:
                await self._respond_privately(origin.response_url, reply, channel)
        except TransientError as exc:
            logger.warning("slack: could not answer in %s: %s", channel, exc)

    async def _answer_privately(self, command: Command, reply: Reply, origin: Origin) -> None:
        """An answer only the asker sees: through the ``response_url`` when there
        is one and Slack takes it, else ``chat.postEphemeral``."""
        channel = command.chat_id
        blocks = reply_blocks(reply)
        if reply.ok and not reply.changed:
            blocks = [*blocks[: MAX_BLOCKS - 1], share_button(command.text)]
        text = reply_fallback(reply)
        if origin.response_url and await respond(
            origin.response_url,
            channel,
            text=text,
            blocks=blocks,
            response_type="ephemeral",
            replace_original=False,
        ):
            return  # else (the URL expired or was used up) as without one
        await self.pace(ChatRef(PLATFORM, channel))
        try:
            await post_ephemeral(
                self.client, channel, command.user_id, text, blocks, origin.thread_ts
            )
        except (PermanentError, TransientError) as exc:
            logger.warning("slack: could not answer %s in %s: %s", command.user_id, channel, exc)

    async def _share(
        self, command: Command, reply: Reply, response_url: str, on_ephemeral: bool
    ) -> None:
        """Post a read-only answer for the channel (``in_channel``), saying who
        shared it; the private copy it was shared from goes away."""
        blocks = reply_blocks(reply)
        shared = await respond(
            response_url,
            command.chat_id,
            text=reply_fallback(reply),
            blocks=[*blocks[: MAX_BLOCKS - 1], shared_by(command.user_id)],
            response_type="in_channel",
            replace_original=False,
        )
        if shared and on_ephemeral:
            await respond(response_url, command.chat_id, delete_original=True)

    async def _open_form(self, trigger_id: str, reply: Reply, channel: str) -> bool:
        """``views.open`` the reply's form; False (logged) when Slack refused,
        e.g. the trigger expired: the reply is then shown as a message."""
        assert reply.form is not None
        try:
            await self.client.views_open(
                trigger_id=trigger_id, view=form_view(reply.form, reply, channel)
            )
        except CALL_ERRORS as exc:
            logger.warning("slack: could not open the settings form in %s: %s", channel, exc)
            return False
        return True

    async def _respond_privately(self, response_url: str, reply: Reply, channel: str) -> None:
        """The reply to a slash command as an ephemeral message through its
        ``response_url``, with a hint to invite the bot: for channels the bot
        cannot post in."""
        hinted = Reply(((Span(NOT_IN_CHANNEL_HINT),), *reply.lines), reply.ok, reply.buttons)
        await respond(
            response_url,
            channel,
            text=reply_fallback(hinted),
            blocks=reply_blocks(hinted),
            response_type="ephemeral",
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
        except CALL_ERRORS as exc:
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
        kind = chat_type(channel)
        try:
            response = await self.client.conversations_info(channel=channel)
            info = response.get("channel") or {}
            if info.get("is_im"):
                kind = "private"
            elif info.get("is_mpim") or info.get("is_private"):
                kind = "group"
            else:
                kind = "channel"
            self._chat_types[channel] = kind
        except CALL_ERRORS as exc:
            logger.debug("slack: conversations.info for %s failed: %s", channel, exc)
        return kind

    # ------------------------------------------------------------------ outgoing

    def rate_limits(self, settings: Settings) -> PlatformLimits:
        return slack_limits(settings)

    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        return await self._post(
            chat.chat_id, reply_fallback(reply), reply_blocks(reply), None, slot_taken=slot_taken
        )

    async def send_file(
        self, chat: ChatRef, file: FileData, *, reply_to: str | None = None
    ) -> str | None:
        """Share ``file`` in the channel (in the thread ``reply_to``) with the
        upload flow: ``files.getUploadURLExternal``, the upload, then
        ``files.completeUploadExternal``; returns the file id."""
        await self.pace(chat)
        return await upload_file(self.client, chat.chat_id, file, reply_to)

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        """Post an alert. With ``reply_to`` (the ts of the event's first alert in
        this channel) it goes into that thread and is also sent to the channel
        (``reply_broadcast``): a follow-up that notifies."""
        text, blocks = render_alert(alert)
        return await self._post(
            alert.chat.chat_id, text, blocks, reply_to, slot_taken=slot_taken, broadcast=True
        )

    async def send_quiet_alert(
        self, alert: Alert, reply_to: str, *, slot_taken: bool = False
    ) -> str | None:
        """A follow-up in the first alert's thread only (not broadcast to the channel)."""
        text, blocks = render_alert(alert)
        return await self._post(alert.chat.chat_id, text, blocks, reply_to, slot_taken=slot_taken)

    def can_edit(self) -> bool:
        return True

    async def edit_alert(self, alert: Alert, message_id: str, *, slot_taken: bool = False) -> bool:
        """``chat.update`` of the first alert with the living summary; False when
        Slack will not update it (``message_not_found``, ``cant_update_message``,
        ``edit_window_closed``)."""
        channel = alert.chat.chat_id
        if not slot_taken:
            await self.pace(alert.chat)
        text, blocks = render_alert(alert)
        return await update_message(self.client, channel, message_id, text, blocks)

    async def _post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        thread_ts: str | None,
        *,
        slot_taken: bool = False,
        broadcast: bool = False,
    ) -> str | None:
        """``chat.postMessage``, paced through the limiter unless the caller took
        the slot (Slack allows about one message a second per channel);
        ``broadcast``: a thread reply shown in the channel too."""
        if not slot_taken:
            await self.pace(ChatRef(PLATFORM, channel))
        return await post_message(self.client, channel, text, blocks, thread_ts, broadcast)

    # ------------------------------------------------------------------ membership

    def _register_membership(self) -> None:
        """The bot joining a channel (greet it, resume its watches) or leaving it
        (pause them): ``member_joined_channel`` / ``member_left_channel`` about the
        bot user, and ``channel_left`` / ``group_left``, which Slack sends the bot
        when it is removed from a public or private channel."""
        self.app.event("member_joined_channel")(self._on_member_joined)
        self.app.event("member_left_channel")(self._on_member_left)
        self.app.event("channel_left")(self._on_channel_left)
        self.app.event("group_left")(self._on_channel_left)

    async def _on_member_joined(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        channel = str(event.get("channel") or "")
        if (
            not channel
            or event.get("user") != self._bot_user_id
            or not await self._first_delivery(body)
        ):
            return
        await self._presence(channel, True, "added to the channel")
        inviter = str(event.get("inviter") or self._bot_user_id)
        welcome = Command(platform=self.platform, chat_id=channel, user_id=inviter, text="/start")
        self._spawn(welcome, Origin(share=True), resolve_type=True)  # posted for all to see

    async def _on_member_left(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        channel = str(event.get("channel") or "")
        if channel and event.get("user") == self._bot_user_id and await self._first_delivery(body):
            await self._presence(channel, False, "removed from the channel")

    async def _on_channel_left(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        channel = str(event.get("channel") or "")
        if channel and await self._first_delivery(body):
            await self._presence(channel, False, "removed from the channel")

    async def _presence(self, channel: str, present: bool, why: str) -> None:
        logger.info("slack: %s: the bot was %s", channel, why)
        if self.on_presence is None:
            return
        try:
            await self.on_presence(ChatRef(PLATFORM, channel), present, why)
        except Exception:
            logger.exception("slack: recording that %s was %s failed", channel, why)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _label(channel: dict[str, Any]) -> str:
    """How the Home tab names a conversation."""
    if channel.get("is_im"):
        return "Your direct messages with ClaimWatch"
    name = str(channel.get("name") or channel.get("id") or "")
    if channel.get("is_mpim"):
        return f"Group DM {name}"
    return f"#{name}"


def _first_file(event: dict[str, Any]) -> dict[str, Any] | None:
    """The first file shared with a message event, if any."""
    files = event.get("files")
    if isinstance(files, list) and files and isinstance(files[0], dict):
        return files[0]
    return None
