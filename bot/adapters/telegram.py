"""Telegram, through python-telegram-bot 22, driven by our own event loop.

Updates (long polling by default, a webhook when ``TELEGRAM_WEBHOOK_URL`` is
set) become :class:`~bot.models.Command` values; the :class:`~bot.models.Reply`
goes back as an HTML message. Alerts and replies are rendered to Telegram's
HTML parse mode with every piece of text escaped, split below the 4096
character limit at line boundaries, with link previews off by default and
inline buttons whose presses come back as commands.

Nothing Telegram-specific leaves this module: PTB's exceptions are translated
into :class:`~bot.errors.TransientError` / :class:`~bot.errors.PermanentError`,
and the token never reaches a log line (PTB and httpx log request URLs, which
contain it; a filter redacts it while the adapter runs).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import ipaddress
import json
import logging
import re
import secrets
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import (
    BotCommand,
    CallbackQuery,
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
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
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, TypeHandler
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.base import CommandSink
from bot.config import Settings
from bot.delivery.ratelimit import (
    CHAT_MARGIN,
    PREPAID,
    PlatformLimits,
    RateLimiter,
)
from bot.errors import ClaimWatchError, ConfigError, PermanentError, TransientError
from bot.models import Alert, Button, ChatRef, Command, Line, Reply, Span

log = logging.getLogger(__name__)

PLATFORM = "telegram"
#: Telegram's limit is 4096 characters after entity parsing; we measure the
#: HTML source (always at least as long) and keep a margin below it.
MESSAGE_LIMIT = 4000
CALLBACK_DATA_LIMIT = 64  # bytes
CALLBACK_ANSWER_LIMIT = 200  # characters of a callback query answer
ADMIN_CACHE_SECONDS = 60.0
ALLOWED_UPDATES = ("message", "channel_post", "callback_query")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

#: The command menu registered with setMyCommands on start.
BOT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Start ClaimWatch in this chat"),
    ("help", "What ClaimWatch can do"),
    ("watch", "Watch a person, country, organisation or keyword: /watch china"),
    ("unwatch", "Stop watching: /unwatch china"),
    ("watching", "What this chat watches"),
    ("claims", "Recent claims about something: /claims china"),
    ("event", "One event: its claims and sources"),
    ("mute", "Pause this chat's alerts: /mute 24h, /mute off"),
)

_CHAT_TYPES = {
    Chat.PRIVATE: "private",
    Chat.GROUP: "group",
    Chat.SUPERGROUP: "group",
    Chat.CHANNEL: "channel",
}
_ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)(.*)", re.S)
# BadRequest descriptions that mean the chat itself is unreachable for us.
_CHAT_GONE = (
    "chat not found",
    "not enough rights to send",
    "have no rights to send",
    "chat_write_forbidden",
    "bot was kicked",
    "user is deactivated",
    "peer_id_invalid",
)
# Endpoints that post to a chat: these are paced.
_PACED = ("send", "edit", "copy", "forward")

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput  # the type of PTB's timeout arguments

MigrateHook = Callable[[ChatRef, ChatRef], Awaitable[None]]


# --------------------------------------------------------------------------- rendering


def is_web_url(url: str) -> bool:
    """Only http(s) URLs become links; anything else stays text."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def is_button_url(url: str) -> bool:
    """A web address Telegram accepts on a URL button: it refuses ``localhost``
    and addresses it cannot reach, so those buttons fall back to their command."""
    if not is_web_url(url):
        return False
    host = (urlsplit(url.strip()).hostname or "").lower()
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:  # a name
        return "." in host and not host.endswith((".localhost", ".local", ".internal"))


def render_span(span: Span) -> str:
    text = html.escape(span.text, quote=False)
    if span.code:
        text = f"<code>{text}</code>"
    if span.bold:
        text = f"<b>{text}</b>"
    if span.url and is_web_url(span.url):
        text = f'<a href="{html.escape(span.url.strip(), quote=True)}">{text}</a>'
    return text


def render_line(line: Line) -> str:
    """One line; neighbouring spans with the same formatting share their tags."""
    merged: list[Span] = []
    for span in line:
        last = merged[-1] if merged else None
        if last and (last.url, last.bold, last.code) == (span.url, span.bold, span.code):
            merged[-1] = Span(last.text + span.text, span.url, span.bold, span.code)
        else:
            merged.append(span)
    return "".join(render_span(span) for span in merged)


def render_html(lines: tuple[Line, ...]) -> str:
    """Telegram HTML for ``lines``: text escaped, bold, code and http(s) links."""
    return "\n".join(render_line(line) for line in lines)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _split_text(text: str, limit: int) -> list[str]:
    """Pieces of ``text`` whose escaped form fits ``limit``, cut at spaces when possible."""
    pieces: list[str] = []
    start = size = 0
    space = -1  # last space in the current piece
    for i, ch in enumerate(text):
        width = _utf16_len(html.escape(ch, quote=False))
        if size + width > limit and i > start:
            cut = space + 1 if space > start + (i - start) // 2 else i
            pieces.append(text[start:cut])
            start, space = cut, -1
            size = _utf16_len(html.escape(text[start:i], quote=False))
        size += width
        if ch == " ":
            space = i
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _split_line(line: Line, limit: int) -> list[str]:
    """A line too long for one message, as several rendered lines that each fit."""
    # Room for the markup around a piece: <a href="..."><b><code>...</code></b></a>.
    out: list[str] = []
    current = ""
    for span in line:
        overhead = len(render_span(Span("", span.url, span.bold, span.code)))
        room = max(limit - overhead, 16)
        for piece in _split_text(span.text, room):
            rendered = render_span(Span(piece, span.url, span.bold, span.code))
            if current and _utf16_len(current) + _utf16_len(rendered) > limit:
                out.append(current)
                current = ""
            current += rendered
    if current:
        out.append(current)
    return out


def render_messages(lines: tuple[Line, ...], limit: int = MESSAGE_LIMIT) -> list[str]:
    """``lines`` rendered and packed into messages of at most ``limit`` characters,
    split at line boundaries (a single over-long line is cut between words)."""
    rendered: list[str] = []
    for line in lines:
        text = render_line(line)
        rendered.extend([text] if _utf16_len(text) <= limit else _split_line(line, limit))
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for text in rendered:
        extra = _utf16_len(text) + (1 if current else 0)
        if current and size + extra > limit:
            messages.append("\n".join(current))
            current, size = [], 0
            extra = _utf16_len(text)
        current.append(text)
        size += extra
    if current:
        messages.append("\n".join(current))
    # Telegram trims whitespace and refuses empty messages.
    return [m for m in (m.strip("\n") for m in messages) if m.strip()]


def callback_data(button: Button) -> str | None:
    """``action:arg`` when it fits Telegram's 64 bytes, else None."""
    data = f"{button.action}:{button.arg}"
    return data if len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT else None


def inline_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One row of inline buttons (a button with a public web ``url`` opens it,
    else it is its command); a button whose data is too long is left out."""
    row: list[InlineKeyboardButton] = []
    for button in buttons:
        if button.url and is_button_url(button.url):
            row.append(InlineKeyboardButton(button.label, url=button.url.strip()))
            continue
        data = callback_data(button)
        if data is None:
            log.warning("button %r left out: callback data over 64 bytes", button.label)
            continue
        row.append(InlineKeyboardButton(button.label, callback_data=data))
    return InlineKeyboardMarkup([row]) if row else None


def alert_message_lines(alert: Alert) -> tuple[Line, ...]:
    """The lines to send for ``alert``: its own, or a plain layout of its fields."""
    if alert.lines:
        return alert.lines
    lines: list[Line] = [
        (Span(alert.watch, bold=True), Span(": "), Span(alert.event_title or alert.story_title)),
    ]
    lines.extend(
        (Span(f"{c.tag} ", bold=True), Span(f"{c.speaker}: {c.text}")) for c in alert.claims
    )
    if alert.links:
        lines.append(
            tuple(
                span
                for i, link in enumerate(alert.links)
                for span in ((Span(" · "),) if i else ()) + (Span(link.label, url=link.url),)
            )
        )
    return tuple(lines)


def parse_command(text: str, bot_username: str | None) -> str | None:
    """``/cmd@bot args`` → ``/cmd args``; None when it is no command or is
    addressed to another bot."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    name, target, rest = match.group(1), match.group(2), match.group(3).strip()
    if target and (bot_username is None or target.lower() != bot_username.lower()):
        return None
    return f"/{name.lower()} {rest}" if rest else f"/{name.lower()}"


# --------------------------------------------------------------------------- errors


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


# --------------------------------------------------------------------------- HTTP


def is_group_chat(chat_id: str) -> bool:
    """Telegram groups, supergroups and channels have negative ids (or ``@name``)."""
    return chat_id.startswith(("-", "@"))


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


# --------------------------------------------------------------------------- pacing


class ChatPacer(BaseRateLimiter[int]):
    """PTB rate limiter for the endpoints that post to a chat, on the one
    :class:`~bot.delivery.ratelimit.RateLimiter`: a global rate, ``per_chat``
    messages a second per chat and ``group_per_minute`` per group or channel.

    Run by ``claimwatch run``, the dispatcher hands its own limiter to the
    adapter (:meth:`TelegramAdapter.use_limiter`), so alerts, command replies
    and the later parts of a long message share one budget; an alert's first
    message already has its slot (:data:`~bot.delivery.ratelimit.PREPAID`) and
    is not paced twice. Unlike PTB's ``AIORateLimiter`` it never retries a 429
    itself (the dispatcher owns retries) and paces private chats too.
    """

    def __init__(
        self,
        global_per_second: float,
        per_chat: float,
        group_per_minute: int = 20,
        group_period: float = 60.0,
        limiter: RateLimiter | None = None,
    ):
        rules = PlatformLimits(
            global_per_second,
            per_chat,
            group_per_minute or None,
            group_period,
            is_group_chat,
            CHAT_MARGIN,
        )
        self.limiter = limiter or RateLimiter({PLATFORM: rules}, rules)

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
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        if chat_id is None or not endpoint.lower().startswith(_PACED):
            return await callback(*args, **kwargs)
        prepaid = PREPAID.get()
        if prepaid is not None and prepaid.platform == PLATFORM:
            PREPAID.set(None)  # the dispatcher took this message's slot
        else:
            await self.limiter.acquire(ChatRef(PLATFORM, str(chat_id)))
        return await callback(*args, **kwargs)


# --------------------------------------------------------------------------- logging


class TokenRedactor(logging.Filter):
    """Replaces secrets in log records of the loggers it is attached to."""

    def __init__(self, *secrets_: str) -> None:
        super().__init__()
        forms = set()
        for secret in secrets_:
            if secret:
                forms.update({secret, secret.replace(":", "%3A"), secret.replace(":", "%3a")})
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: let logging report it as usual
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


_LOGGER_PREFIXES = ("telegram", "httpx", "httpcore", "aiohttp", "hpack", "h2", "bot", "asyncio")


def _third_party_loggers() -> list[logging.Logger]:
    names = {"telegram", "httpx", "httpcore", "asyncio", __name__}
    names.update(
        name
        for name in logging.Logger.manager.loggerDict
        if name.split(".", 1)[0] in _LOGGER_PREFIXES
    )
    return [logging.getLogger(name) for name in sorted(names)]


# --------------------------------------------------------------------------- the adapter


@dataclass(frozen=True, slots=True)
class _Sender:
    user_id: str
    user_name: str | None
    is_admin: bool | None  # None: ask the Bot API


class TelegramAdapter:
    """The Telegram side of ClaimWatch (see the module docstring)."""

    platform = PLATFORM
    is_group_chat = staticmethod(is_group_chat)  # for the dispatcher's per-group budget

    def __init__(
        self,
        settings: Settings,
        *,
        base_url: str | None = None,
        on_migrate: MigrateHook | None = None,
        poll_timeout: float = 30.0,
        webhook_port: int | None = None,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
        self._token = settings.telegram_bot_token.get_secret_value()
        if not re.fullmatch(r"[0-9]+:[A-Za-z0-9_-]+", self._token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC...)")
        api_url = (base_url or settings.telegram_api_url).rstrip("/")
        self.on_migrate = on_migrate
        self._settings = settings
        self._poll_timeout = poll_timeout
        self._webhook_url = settings.telegram_webhook_url
        secret = settings.telegram_webhook_secret
        self._webhook_secret = secret.get_secret_value() if secret else secrets.token_urlsafe(32)
        self._webhook_listen = settings.telegram_webhook_listen
        self._webhook_port = (
            webhook_port if webhook_port is not None else settings.telegram_webhook_port
        )
        self._webhook_runner: web.AppRunner | None = None
        self._preview = LinkPreviewOptions(is_disabled=not settings.telegram_link_previews)
        self._redactor = TokenRedactor(self._token, self._webhook_secret)
        self._filtered: list[logging.Logger] = []
        self._on_command: CommandSink | None = None
        self._admins: dict[tuple[int, int], tuple[float, bool]] = {}
        self._moved: dict[int, int] = {}
        self._username: str | None = None
        self._requests = (
            QuietFloodRequest(connection_pool_size=64),
            QuietFloodRequest(connection_pool_size=1),  # getUpdates
        )
        self._pacer = ChatPacer(
            settings.global_per_second,
            settings.per_chat_per_second,
            limiter=RateLimiter.from_settings(settings),
        )
        # PTB logs the API URL, token included, as soon as the bot is built.
        self._redact_logs()
        builder = (
            ApplicationBuilder()
            .token(self._token)
            .base_url(f"{api_url}/bot")
            .base_file_url(f"{api_url}/file/bot")
            .request(self._requests[0])
            .get_updates_request(self._requests[1])
            .rate_limiter(self._pacer)
        )
        if self._webhook_url:
            builder = builder.updater(None)
        self._app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self._app.add_handler(TypeHandler(Update, self._on_update))
        self._app.add_error_handler(self._on_error)

    def __repr__(self) -> str:
        return f"TelegramAdapter(bot={self._username or '?'})"

    @property
    def username(self) -> str | None:
        """The bot's @username, known after :meth:`start`."""
        return self._username

    # ------------------------------------------------------------------ lifecycle

    async def start(self, on_command: CommandSink) -> None:
        self._on_command = on_command
        self._redact_logs()  # again: stop() may have removed it
        try:
            await self._app.initialize()  # getMe
        except InvalidToken:
            await self._shutdown_quietly()
            raise ConfigError("TELEGRAM_BOT_TOKEN was rejected by the Bot API") from None
        except TelegramError as exc:
            await self._shutdown_quietly()
            raise TransientError(f"cannot reach the Telegram Bot API: {self._clean(exc)}") from None
        self._username = self._app.bot.username
        await self._register_commands()
        try:
            await self._app.start()
            if self._webhook_url:
                await self._start_webhook(self._webhook_url)
                mode = "webhook"
            else:
                updater = self._app.updater
                assert updater is not None
                await updater.start_polling(
                    timeout=timedelta(seconds=self._poll_timeout),
                    allowed_updates=ALLOWED_UPDATES,
                    error_callback=self._on_polling_error,
                )
                mode = "long polling"
        except BaseException:
            await self.stop()
            raise
        log.info("telegram adapter started as @%s (%s)", self._username, mode)

    async def stop(self) -> None:
        try:
            updater = self._app.updater
            if updater is not None and updater.running:
                await updater.stop()
            if self._webhook_runner is not None:
                await self._webhook_runner.cleanup()
                self._webhook_runner = None
            if self._app.running:
                await self._app.stop()
            await self._app.shutdown()
            log.info("telegram adapter stopped")
        finally:
            for logger in self._filtered:
                logger.removeFilter(self._redactor)
            self._filtered = []

    async def _shutdown_quietly(self) -> None:
        # A failed initialize() leaves the app "not initialized", so its
        # shutdown() does nothing; close the HTTP clients it opened ourselves.
        with contextlib.suppress(Exception):
            await self._app.shutdown()
        for request in self._requests:
            with contextlib.suppress(Exception):
                await request.shutdown()
        for logger in self._filtered:
            logger.removeFilter(self._redactor)
        self._filtered = []

    def _redact_logs(self) -> None:
        for logger in _third_party_loggers():
            if self._redactor not in logger.filters:
                logger.addFilter(self._redactor)
                self._filtered.append(logger)

    def _clean(self, exc: BaseException) -> str:
        return self._redactor.redact(str(exc))

    async def _register_commands(self) -> None:
        commands = [BotCommand(name, description) for name, description in BOT_COMMANDS]
        try:
            await self._app.bot.set_my_commands(commands)
        except TelegramError as exc:  # the bot works without a menu
            log.warning("telegram: setMyCommands failed: %s", self._clean(exc))

    async def _start_webhook(self, url: str) -> None:
        path = urlsplit(url).path or "/"
        app = web.Application()
        app.router.add_post(path, self._on_webhook)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, self._webhook_listen, self._webhook_port).start()
        self._webhook_runner = runner
        try:
            await self._app.bot.set_webhook(
                url, secret_token=self._webhook_secret, allowed_updates=ALLOWED_UPDATES
            )
        except TelegramError as exc:
            raise ConfigError(f"telegram: setWebhook {url} failed: {self._clean(exc)}") from None
        log.info(
            "telegram webhook listening on %s:%s%s", self._webhook_listen, self._webhook_port, path
        )

    async def _on_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._webhook_secret.encode()):
            log.warning(
                "telegram webhook: request from %s without the secret token", request.remote
            )
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), self._app.bot)
        except Exception:
            log.warning("telegram webhook: unreadable update from %s", request.remote)
            return web.Response(status=400)
        await self._app.update_queue.put(update)
        return web.Response(status=200)

    def _on_polling_error(self, exc: TelegramError) -> None:
        log.warning("telegram: getUpdates failed: %s: %s", type(exc).__name__, self._clean(exc))

    async def _on_error(self, update: object, context: Any) -> None:
        error = getattr(context, "error", None)
        log.error(
            "telegram: handling update %s failed: %s",
            getattr(update, "update_id", "?"),
            self._clean(error) if isinstance(error, BaseException) else error,
            exc_info=error if isinstance(error, BaseException) else None,
        )

    # ------------------------------------------------------------------ updates

    async def _on_update(self, update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await self._on_callback(update.callback_query)
            return
        message = update.message or update.channel_post
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            await self._migrated(message.chat.id, message.migrate_to_chat_id)
            return
        command = await self._command_from(message)
        if command is None:
            return
        reply = await self._dispatch(command)
        await self._answer(message.chat.id, reply, reply_to=message.message_id)

    async def _command_from(self, message: Message) -> Command | None:
        text = parse_command(message.text or "", self._username)
        if text is None:
            return None
        chat = message.chat
        sender = self._sender(message)
        is_admin = sender.is_admin
        if is_admin is None:
            assert message.from_user is not None
            is_admin = await self.is_admin(chat.id, message.from_user.id)
        return Command(
            platform=PLATFORM,
            chat_id=str(chat.id),
            user_id=sender.user_id,
            text=text,
            chat_type=_CHAT_TYPES.get(chat.type, "group"),
            is_admin=is_admin,
            user_name=sender.user_name,
            reply_to=str(message.reply_to_message.message_id) if message.reply_to_message else None,
            received=message.date,
        )

    @staticmethod
    def _sender(message: Message) -> _Sender:
        chat = message.chat
        if chat.type == Chat.CHANNEL:  # only the channel's admins can post
            return _Sender(str(chat.id), chat.title, True)
        if message.sender_chat is not None:
            # Posted "as the group" by an anonymous admin, or as some channel.
            anonymous_admin = message.sender_chat.id == chat.id
            return _Sender(str(message.sender_chat.id), message.sender_chat.title, anonymous_admin)
        user = message.from_user
        if user is None:
            return _Sender(str(chat.id), chat.title, False)
        name = user.username or user.full_name
        if chat.type == Chat.PRIVATE:
            return _Sender(str(user.id), name, True)
        return _Sender(str(user.id), name, None)

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        """Whether ``user_id`` administers group ``chat_id`` (getChatMember, cached briefly)."""
        now = time.monotonic()
        cached = self._admins.get((chat_id, user_id))
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            member = await self._app.bot.get_chat_member(chat_id, user_id)
        except TelegramError as exc:
            log.warning(
                "telegram: getChatMember chat %s user %s failed: %s",
                chat_id,
                user_id,
                self._clean(exc),
            )
            return False
        admin = member.status in _ADMIN_STATUSES
        if len(self._admins) > 4096:
            self._admins = {k: v for k, v in self._admins.items() if v[0] > now}
        self._admins[(chat_id, user_id)] = (now + ADMIN_CACHE_SECONDS, admin)
        return admin

    async def _on_callback(self, query: CallbackQuery) -> None:
        action, sep, arg = (query.data or "").partition(":")
        message = query.message
        answer: str | None = None
        try:
            if not sep or not action or message is None:
                return
            chat = message.chat
            if chat.type == Chat.PRIVATE:
                is_admin = True
            else:  # in groups and channels anyone who sees the button can press it
                is_admin = await self.is_admin(chat.id, query.from_user.id)
            command = Command(
                platform=PLATFORM,
                chat_id=str(chat.id),
                user_id=str(query.from_user.id),
                text=f"/{action} {arg}".rstrip(),
                chat_type=_CHAT_TYPES.get(chat.type, "group"),
                is_admin=is_admin,
                user_name=query.from_user.username or query.from_user.full_name,
                reply_to=str(message.message_id),
            )
            reply = await self._dispatch(command)
            if reply.ok:
                await self._answer(chat.id, reply, reply_to=message.message_id)
            else:  # a refusal is shown to the presser only, not posted to the chat
                answer = reply.plain[:CALLBACK_ANSWER_LIMIT]
        finally:
            try:
                await query.answer(text=answer, show_alert=answer is not None)
            except TelegramError as exc:
                log.warning("telegram: answerCallbackQuery failed: %s", self._clean(exc))

    async def _dispatch(self, command: Command) -> Reply:
        assert self._on_command is not None, "start() first"
        try:
            return await self._on_command(command)
        except Exception:
            log.exception("telegram: command %r in chat %s failed", command.text, command.chat_id)
            return Reply.error("Sorry, that failed on our side. Please try again in a minute.")

    async def _answer(self, chat_id: int, reply: Reply, reply_to: int) -> None:
        try:
            await self._send(
                ChatRef(PLATFORM, str(chat_id)), reply.lines, reply.buttons, str(reply_to)
            )
        except ClaimWatchError as exc:
            log.warning("telegram: reply to chat %s not sent: %s", chat_id, exc)

    async def _migrated(self, old: int, new: int) -> None:
        if self._moved.get(old) == new:
            return
        self._moved[old] = new
        self._admins = {k: v for k, v in self._admins.items() if k[0] != old}
        log.info("telegram: chat %s migrated to supergroup %s", old, new)
        if self.on_migrate is None:
            log.warning("telegram: no migration hook; chat %s keeps its old id", old)
            return
        try:
            await self.on_migrate(ChatRef(PLATFORM, str(old)), ChatRef(PLATFORM, str(new)))
        except Exception:
            log.exception("telegram: moving chat %s to %s failed", old, new)

    def use_limiter(self, limiter: RateLimiter) -> None:
        """Pace through ``limiter`` (the dispatcher's), so that alerts and replies share it."""
        self._pacer.limiter = limiter

    # ------------------------------------------------------------------ sending

    async def send_alert(self, alert: Alert, reply_to: str | None) -> str | None:
        return await self._send(alert.chat, alert_message_lines(alert), alert.buttons, reply_to)

    async def send_reply(self, chat: ChatRef, reply: Reply) -> str | None:
        return await self._send(chat, reply.lines, reply.buttons, None)

    async def _send(
        self,
        chat: ChatRef,
        lines: tuple[Line, ...],
        buttons: Sequence[Button],
        reply_to: str | None,
    ) -> str | None:
        """Send ``lines`` as one or more messages; the id of the first is returned.

        Buttons go under the last part. A failure of the first part is raised
        (nothing was delivered, the caller retries); a later part is retried
        here, because retrying the whole alert would repeat the parts already
        delivered.
        """
        if chat.platform != PLATFORM:
            raise PermanentError(f"not a telegram chat: {chat}")
        parts = render_messages(lines)
        if not parts:
            log.warning("telegram: nothing to send to chat %s", chat.chat_id)
            return None
        markup = inline_keyboard(buttons)
        reply_id = int(reply_to) if reply_to and reply_to.lstrip("-").isdigit() else None
        first = await self._send_part(chat, parts[0], reply_id, markup if len(parts) == 1 else None)
        for index, part in enumerate(parts[1:], start=2):
            last = index == len(parts)
            if not await self._send_continuation(chat, part, markup if last else None):
                log.warning(
                    "telegram: chat %s got part 1..%d of %d of a message",
                    chat.chat_id,
                    index - 1,
                    len(parts),
                )
                break
        return str(first.message_id)

    async def _send_continuation(
        self, chat: ChatRef, text: str, markup: InlineKeyboardMarkup | None, attempts: int = 3
    ) -> bool:
        for attempt in range(attempts):
            try:
                await self._send_part(chat, text, None, markup)
                return True
            except TransientError as exc:
                wait = exc.retry_after if exc.retry_after is not None else 2.0**attempt
                log.info("telegram: chat %s: %s; next part in %.1fs", chat.chat_id, exc, wait)
                await asyncio.sleep(wait)
            except PermanentError as exc:
                log.warning("telegram: chat %s: %s", chat.chat_id, exc)
                return False
        return False

    def _target(self, chat: ChatRef) -> int | str:
        try:
            chat_id = int(chat.chat_id)
        except ValueError:
            return chat.chat_id  # @channelusername
        return self._moved.get(chat_id, chat_id)

    async def _send_part(
        self,
        chat: ChatRef,
        text: str,
        reply_to: int | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        target = self._target(chat)
        try:
            return await self._send_message(target, text, reply_to, markup)
        except ChatMigrated as exc:
            # The group became a supergroup: move its subscriptions (hook) and
            # deliver this message to the new chat right away.
            if isinstance(target, int):
                await self._migrated(target, exc.new_chat_id)
            try:
                return await self._send_message(exc.new_chat_id, text, reply_to, markup)
            except TelegramError as again:
                raise translate_error(again, str(exc.new_chat_id)) from None
        except TelegramError as exc:
            raise translate_error(exc, str(target)) from None

    async def _send_message(
        self,
        chat_id: int | str,
        text: str,
        reply_to: int | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        reply = (
            ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        message: Message = await self._app.bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=self._preview,
            reply_parameters=reply,
            reply_markup=markup,
        )
        return message

    async def edit(self, chat: ChatRef, message_id: str, reply: Reply) -> None:
        """Replace the text (and buttons) of a message the bot sent."""
        parts = render_messages(reply.lines)
        if not parts:
            return
        target = self._target(chat)
        try:
            await self._app.bot.edit_message_text(
                parts[0],
                chat_id=target,
                message_id=int(message_id),
                parse_mode=ParseMode.HTML,
                link_preview_options=self._preview,
                reply_markup=inline_keyboard(reply.buttons),
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return
            raise translate_error(exc, str(target)) from None
        except TelegramError as exc:
            raise translate_error(exc, str(target)) from None
