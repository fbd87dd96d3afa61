"""Telegram, through python-telegram-bot 22, driven by our own event loop.

Updates (long polling by default, a webhook when ``TELEGRAM_WEBHOOK_URL`` is
set) become :class:`~bot.models.Command` values; the :class:`~bot.models.Reply`
goes back as an HTML message (:mod:`.rendering`), with link previews off by
default and inline buttons whose presses come back as commands. The command
menu (setMyCommands) is the router's registry, handed to :meth:`start`.

Nothing Telegram-specific leaves this package: PTB's exceptions are translated
into :class:`~bot.errors.TransientError` / :class:`~bot.errors.PermanentError`
(:mod:`.errors`), and the token never reaches a log line (PTB and httpx log
request URLs, which contain it; a :class:`~bot.redaction.LogRedactor` takes it
out while the adapter runs).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hmac
import logging
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
    CallbackQuery,
    Chat,
    ChatMember,
    ChatMemberRestricted,
    ChatMemberUpdated,
    Document,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, CallbackContext, TypeHandler

from bot.adapters.base import Adapter, CommandSink, MigrateHook
from bot.adapters.telegram.errors import edit_outcome, translate_error
from bot.adapters.telegram.rendering import inline_keyboard, read_callback_data, render_messages
from bot.adapters.telegram.transport import (
    PLATFORM,
    ChatPacer,
    QuietFloodRequest,
    is_group_chat,
    telegram_limits,
)
from bot.analysis.summary import alert_message
from bot.config import Settings
from bot.errors import ClaimWatchError, ConfigError, PermanentError, TransientError
from bot.models import (
    Alert,
    Button,
    ChatRef,
    Command,
    FileData,
    Line,
    MenuEntry,
    Reply,
    StartLinks,
)
from bot.ratelimit import PlatformLimits, RateLimiter
from bot.redaction import LogRedactor
from bot.start_links import decode_payload

log = logging.getLogger(__name__)

CALLBACK_ANSWER_LIMIT = 200  # characters of a callback query answer
MAX_FILE_BYTES = 1024 * 1024
"""The largest document downloaded with a command; a larger one arrives as a problem."""
ADMIN_CACHE_SECONDS = 60.0
ALLOWED_UPDATES = ("message", "channel_post", "callback_query", "my_chat_member")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's limit on a menu command's description.
MENU_DESCRIPTION_LIMIT = 256

_CHAT_TYPES = {
    Chat.PRIVATE: "private",
    Chat.GROUP: "group",
    Chat.SUPERGROUP: "group",
    Chat.CHANNEL: "channel",
}
_ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
_PRESENT_STATUSES = _ADMIN_STATUSES | {ChatMember.MEMBER}
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)(.*)", re.S)


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


def address_of(message: Message) -> ChatRef:
    """Where a message was posted: its chat, or the forum topic of it
    (``{chat id}/{message_thread_id}``). General, the forum's default topic,
    is the chat itself; outside forums a thread id only marks a reply chain."""
    chat = ChatRef(PLATFORM, str(message.chat.id))
    if message.is_topic_message and message.message_thread_id:
        return chat.with_part(str(message.message_thread_id))
    return chat


def menu_scopes(menu: Sequence[MenuEntry]) -> list[tuple[BotCommandScope, list[MenuEntry]]]:
    """Which commands each menu scope shows (Telegram picks the narrowest scope
    that applies: a group's admins see theirs, its other members the group one)."""
    everyone = [entry for entry in menu if not entry.admins_only]
    return [
        (BotCommandScopeDefault(), list(menu)),
        (BotCommandScopeAllPrivateChats(), list(menu)),
        (BotCommandScopeAllGroupChats(), everyone),
        (BotCommandScopeAllChatAdministrators(), list(menu)),
    ]


def _present(member: ChatMember) -> bool:
    """Whether the bot is in the chat as ``member`` says (a restricted member is)."""
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in _PRESENT_STATUSES


def topic_of(chat: ChatRef) -> int | None:
    """The forum topic an address names (its ``message_thread_id``), if any."""
    part = chat.part
    return int(part) if part is not None and part.isdigit() else None


@dataclass(frozen=True, slots=True)
class _Sender:
    user_id: str
    user_name: str | None
    is_admin: bool | None  # None: ask the Bot API


class TelegramAdapter(Adapter):
    """The Telegram side of ClaimWatch (see the module docstring)."""

    platform = PLATFORM

    def __init__(
        self,
        settings: Settings,
        *,
        base_url: str | None = None,
        on_migrate: MigrateHook | None = None,
        poll_timeout: float = 30.0,
        webhook_port: int | None = None,
        redactor: LogRedactor | None = None,
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
        self._redactor = redactor or LogRedactor()
        self._redactor.add(self._token, self._webhook_secret)
        self._on_command: CommandSink | None = None
        self._admins: dict[tuple[int, int], tuple[float, bool]] = {}
        self._moved: dict[int, int] = {}
        self._username: str | None = None
        self._linkable: frozenset[str] = frozenset()  # commands a start link may run
        self._file_commands: frozenset[str] = frozenset()  # commands that read a document
        self._requests = (
            QuietFloodRequest(connection_pool_size=64),
            QuietFloodRequest(connection_pool_size=1),  # getUpdates
        )
        limits = self.rate_limits(settings)
        self.limiter = RateLimiter({PLATFORM: limits}, limits)  # until the dispatcher's
        self._pacer = ChatPacer(self.limiter)
        # PTB logs the API URL, token included, as soon as the bot is built.
        self._redactor.attach()
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

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        self._on_command = on_command
        self._redactor.attach()  # again: stop() may have removed it
        try:
            await self._app.initialize()  # getMe
        except InvalidToken:
            await self._shutdown_quietly()
            raise ConfigError("TELEGRAM_BOT_TOKEN was rejected by the Bot API") from None
        except TelegramError as exc:
            await self._shutdown_quietly()
            raise TransientError(f"cannot reach the Telegram Bot API: {self._clean(exc)}") from None
        self._username = self._app.bot.username
        self._linkable = frozenset(entry.name for entry in menu if entry.linkable)
        self._file_commands = frozenset(entry.name for entry in menu if entry.takes_file)
        await self._register_commands(menu)
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
            self._redactor.detach()

    async def _shutdown_quietly(self) -> None:
        # A failed initialize() leaves the app "not initialized", so its
        # shutdown() does nothing; close the HTTP clients it opened ourselves.
        with contextlib.suppress(Exception):
            await self._app.shutdown()
        for request in self._requests:
            with contextlib.suppress(Exception):
                await request.shutdown()
        self._redactor.detach()

    def _clean(self, exc: BaseException) -> str:
        return self._redactor.redact(str(exc))

    async def _register_commands(self, menu: Sequence[MenuEntry]) -> None:
        """The command menus, from the router's registry: every command in private
        chats, for a group's admins and by default; in groups, for the members who
        are no admins, only the commands they may use (none that changes state)."""
        if not menu:
            return
        for scope, entries in menu_scopes(menu):
            commands = [
                BotCommand(entry.name, entry.description[:MENU_DESCRIPTION_LIMIT])
                for entry in entries
            ]
            try:
                await self._app.bot.set_my_commands(commands, scope=scope)
            except TelegramError as exc:  # the bot works without a menu
                log.warning("telegram: setMyCommands (%s) failed: %s", scope.type, self._clean(exc))

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

    async def _on_error(self, update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        error = context.error
        log.error(
            "telegram: handling update %s failed: %s",
            update.update_id if isinstance(update, Update) else "?",
            self._clean(error) if error is not None else error,
            exc_info=error,
        )

    # ------------------------------------------------------------------ updates

    async def _on_update(self, update: Update, context: Any) -> None:
        if update.callback_query is not None:
            await self._on_callback(update.callback_query)
            return
        if update.my_chat_member is not None:
            await self._on_membership(update.my_chat_member)
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
        await self._answer(command.chat, reply, reply_to=message.message_id)

    async def _command_from(self, message: Message) -> Command | None:
        # a document's caption can be a command (``/import``), like a message's text
        text = parse_command(message.text or message.caption or "", self._username)
        if text is None:
            return None
        text = self._from_start_link(text)
        replied = message.reply_to_message
        document = message.document or (replied.document if replied is not None else None)
        chat = message.chat
        sender = self._sender(message)
        is_admin = sender.is_admin
        if is_admin is None:
            assert message.from_user is not None
            is_admin = await self.is_admin(chat.id, message.from_user.id)
        command = Command(
            platform=PLATFORM,
            chat_id=address_of(message).chat_id,
            user_id=sender.user_id,
            text=text,
            chat_type=_CHAT_TYPES.get(chat.type, "group"),
            is_admin=is_admin,
            user_name=sender.user_name,
            reply_to=str(replied.message_id) if replied is not None else None,
            received=message.date,
            start_links=self.start_links,
        )
        if document is not None and command.name in self._file_commands:
            # only a command that reads a file downloads the one sent or replied to
            command = dataclasses.replace(command, file=await self._download(document))
        return command

    @property
    def start_links(self) -> StartLinks | None:
        """``https://t.me/<bot>?start=`` and ``?startgroup=``, once the username is known."""
        if self._username is None:
            return None
        base = f"https://t.me/{self._username}"
        return StartLinks(f"{base}?start=", f"{base}?startgroup=")

    def _from_start_link(self, text: str) -> str:
        """``/start PAYLOAD`` (a start link was opened) → the command it carries, when
        it is one a link may run; anything else is left for /start to answer."""
        name, _, payload = text.partition(" ")
        if name != "/start" or not payload:
            return text
        decoded = decode_payload(payload.strip())
        if decoded is None or decoded[0] not in self._linkable:
            log.info("telegram: a start link with an unknown payload %r", payload[:80])
            return text
        command, args = decoded
        return f"/{command} {args}".rstrip()

    async def _download(self, document: Document) -> FileData:
        """A document sent with a command (or replied to by one), read into memory
        when it is at most :data:`MAX_FILE_BYTES`; otherwise, or when the
        download fails, a :class:`FileData` that says why."""
        name = document.file_name or "document"
        mime = document.mime_type or "application/octet-stream"
        size = document.file_size or 0
        if size > MAX_FILE_BYTES:
            return FileData(
                name,
                b"",
                mime,
                f"it is {size // 1024} KB; I read files up to {MAX_FILE_BYTES // 1024} KB",
            )
        try:
            found = await document.get_file()
            data = bytes(await found.download_as_bytearray())
        except TelegramError as exc:
            log.warning("telegram: downloading %r failed: %s", name, self._clean(exc))
            return FileData(name, b"", mime, "Telegram did not let me download it")
        if len(data) > MAX_FILE_BYTES:
            return FileData(name, b"", mime, f"it is over {MAX_FILE_BYTES // 1024} KB")
        return FileData(name, data, mime)

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
        pressed = read_callback_data(query.data or "")
        message = query.message
        answer: str | None = None
        alert = True  # a refusal is a dialog the presser closes; a refresh's note a toast
        try:
            if pressed is None or message is None:
                return
            chat = message.chat
            if chat.type == Chat.PRIVATE:
                is_admin = True
            else:  # in groups and channels anyone who sees the button can press it
                is_admin = await self.is_admin(chat.id, query.from_user.id)
            where = (
                address_of(message)
                if isinstance(message, Message)
                else ChatRef(PLATFORM, str(chat.id))
            )
            command = Command(
                platform=PLATFORM,
                chat_id=where.chat_id,
                user_id=str(query.from_user.id),
                text=f"/{pressed.action} {pressed.arg}".rstrip(),
                chat_type=_CHAT_TYPES.get(chat.type, "group"),
                is_admin=is_admin,
                user_name=query.from_user.username or query.from_user.full_name,
                reply_to=str(message.message_id),
                start_links=self.start_links,
            )
            reply = await self._dispatch(command)
            if not reply.ok:  # a refusal is shown to the presser only, not posted to the chat
                answer = reply.plain[:CALLBACK_ANSWER_LIMIT]
            elif pressed.refresh and await self._refresh(
                where, message.message_id, dataclasses.replace(command, text=f"/{pressed.refresh}")
            ):
                answer, alert = reply.plain[:CALLBACK_ANSWER_LIMIT], False
            else:
                await self._answer(where, reply, reply_to=message.message_id)
        finally:
            try:
                await query.answer(text=answer, show_alert=alert and answer is not None)
            except TelegramError as exc:
                log.warning("telegram: answerCallbackQuery failed: %s", self._clean(exc))

    async def _refresh(self, chat: ChatRef, message_id: int, command: Command) -> bool:
        """The message a button is on replaced by ``command``'s answer (a settings
        panel after one of its buttons changed a setting); False when it could not
        be (the answer is refused or too long, Telegram will not edit the message)."""
        reply = await self._dispatch(command)
        if not reply.ok:
            return False
        try:
            return await self._edit(chat, str(message_id), reply.lines, reply.buttons)
        except (PermanentError, TransientError) as exc:
            log.warning(
                "telegram: chat %s: refreshing message %s failed: %s", chat, message_id, exc
            )
            return False

    async def _dispatch(self, command: Command) -> Reply:
        assert self._on_command is not None, "start() first"
        try:
            return await self._on_command(command)
        except Exception:
            log.exception("telegram: command %r in chat %s failed", command.text, command.chat_id)
            return Reply.error("Sorry, that failed on our side. Please try again in a minute.")

    async def _answer(self, chat: ChatRef, reply: Reply, reply_to: int | None) -> None:
        reply_id = str(reply_to) if reply_to is not None else None
        try:
            await self._send(chat, reply.lines, reply.buttons, reply_id)
            if reply.file is not None:
                await self.send_file(chat, reply.file, reply_to=reply_id)
        except ClaimWatchError as exc:
            log.warning("telegram: reply to chat %s not sent: %s", chat.chat_id, exc)

    async def _on_membership(self, change: ChatMemberUpdated) -> None:
        """The bot was added to or removed from a chat, or a user blocked or
        unblocked it: pause or resume the chat's watches, and greet a group or
        channel that just added it (the reply to ``/start``, on behalf of whoever
        added it)."""
        was, now = _present(change.old_chat_member), _present(change.new_chat_member)
        if was == now:
            return  # promoted, demoted, restricted: still there
        chat = change.chat
        where = ChatRef(PLATFORM, str(chat.id))
        private = chat.type == Chat.PRIVATE
        if now:
            why = "unblocked by the user" if private else "added to the chat"
        else:
            kicked = change.new_chat_member.status == ChatMember.BANNED
            why = (
                "blocked by the user"
                if private
                else ("kicked from the chat" if kicked else "removed from the chat")
            )
        log.info("telegram: chat %s: the bot was %s", chat.id, why)
        self._admins = {k: v for k, v in self._admins.items() if k[0] != chat.id}
        if self.on_presence is not None:
            try:
                await self.on_presence(where, now, why)
            except Exception:
                log.exception("telegram: recording that chat %s %s failed", chat.id, why)
        if not now or private or chat.id in self._moved.values():
            return  # nobody to greet (a migrated group's supergroup knows the bot)
        adder = change.from_user
        reply = await self._dispatch(
            Command(
                platform=PLATFORM,
                chat_id=where.chat_id,
                user_id=str(adder.id),
                text="/start",
                chat_type=_CHAT_TYPES.get(chat.type, "group"),
                is_admin=chat.type == Chat.CHANNEL,  # /start changes nothing
                user_name=adder.username or adder.full_name,
                received=change.date,
                start_links=self.start_links,
            )
        )
        await self._answer(where, reply, reply_to=None)

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

    # ------------------------------------------------------------------ pacing

    def rate_limits(self, settings: Settings) -> PlatformLimits:
        return telegram_limits(settings)

    def is_group_chat(self, chat_id: str) -> bool:
        return is_group_chat(chat_id)

    def use_limiter(self, limiter: RateLimiter) -> None:
        """Pace through ``limiter`` (the dispatcher's), so that alerts and replies share it."""
        super().use_limiter(limiter)
        self._pacer.limiter = limiter

    # ------------------------------------------------------------------ sending

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        lines, buttons = alert_message(alert)
        return await self._send(alert.chat, lines, buttons, reply_to, slot_taken=slot_taken)

    async def send_quiet_alert(
        self, alert: Alert, reply_to: str, *, slot_taken: bool = False
    ) -> str | None:
        """A reply to the event's first alert with ``disable_notification``."""
        lines, buttons = alert_message(alert)
        return await self._send(
            alert.chat, lines, buttons, reply_to, slot_taken=slot_taken, silent=True
        )

    def can_edit(self) -> bool:
        return True

    async def edit_alert(self, alert: Alert, message_id: str, *, slot_taken: bool = False) -> bool:
        """``editMessageText`` of the first alert with the living summary. A
        summary longer than one message, a message Telegram will not edit (too
        old, deleted, not ours) → False; "message is not modified" (the same
        edit again, after a crash) → True."""
        if alert.chat.platform != PLATFORM:
            raise PermanentError(f"not a telegram chat: {alert.chat}")
        if not message_id.isdigit():
            return False
        lines, buttons = alert_message(alert)
        return await self._edit(alert.chat, message_id, lines, buttons, slot_taken=slot_taken)

    async def _edit(
        self,
        chat: ChatRef,
        message_id: str,
        lines: tuple[Line, ...],
        buttons: Sequence[Button],
        *,
        slot_taken: bool = False,
    ) -> bool:
        """``editMessageText`` with ``lines`` and ``buttons``; False when they need
        more than one message or Telegram will not edit it (too old, deleted, not
        ours); "message is not modified" → True."""
        parts = render_messages(lines)
        if len(parts) != 1:
            log.info("telegram: chat %s: the edit needs %d messages", chat, len(parts))
            return False
        target = self._target(chat)
        try:
            await self._app.bot.edit_message_text(
                parts[0],
                chat_id=target,
                message_id=int(message_id),
                parse_mode=ParseMode.HTML,
                link_preview_options=self._preview,
                reply_markup=inline_keyboard(buttons),
                rate_limit_args=slot_taken,
            )
        except TelegramError as exc:
            edited = edit_outcome(exc)
            if edited is not None:
                log.info("telegram: chat %s: message %s: %s", target, message_id, exc.message)
                return edited
            raise translate_error(exc, str(target)) from None
        return True

    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        return await self._send(chat, reply.lines, reply.buttons, None, slot_taken=slot_taken)

    async def send_file(
        self, chat: ChatRef, file: FileData, *, reply_to: str | None = None
    ) -> str | None:
        """``sendDocument``: the file as a multipart upload, replying to ``reply_to``."""
        if chat.platform != PLATFORM:
            raise PermanentError(f"not a telegram chat: {chat}")
        target = self._target(chat)
        reply_id = int(reply_to) if reply_to and reply_to.lstrip("-").isdigit() else None
        reply = (
            ReplyParameters(reply_id, allow_sending_without_reply=True)
            if reply_id is not None
            else None
        )
        try:
            message = await self._app.bot.send_document(
                target,
                InputFile(file.data, filename=file.name),
                message_thread_id=topic_of(chat),
                reply_parameters=reply,
            )
        except TelegramError as exc:
            raise translate_error(exc, str(target)) from None
        return str(message.message_id)

    async def _send(
        self,
        chat: ChatRef,
        lines: tuple[Line, ...],
        buttons: Sequence[Button],
        reply_to: str | None,
        *,
        slot_taken: bool = False,
        silent: bool = False,
    ) -> str | None:
        """Send ``lines`` as one or more messages; the id of the first is returned.
        ``silent``: every part with ``disable_notification``.

        The first part is paced unless ``slot_taken`` (the dispatcher took its
        slot); the others always are. Buttons go under the last part. A failure
        of the first part is raised (nothing was delivered, the caller retries);
        a later part is retried here, because retrying the whole alert would
        repeat the parts already delivered.
        """
        if chat.platform != PLATFORM:
            raise PermanentError(f"not a telegram chat: {chat}")
        parts = render_messages(lines)
        if not parts:
            log.warning("telegram: nothing to send to chat %s", chat.chat_id)
            return None
        markup = inline_keyboard(buttons)
        reply_id = int(reply_to) if reply_to and reply_to.lstrip("-").isdigit() else None
        first = await self._send_part(
            chat, parts[0], reply_id, markup if len(parts) == 1 else None, slot_taken, silent
        )
        for index, part in enumerate(parts[1:], start=2):
            last = index == len(parts)
            if not await self._send_continuation(chat, part, markup if last else None, silent):
                log.warning(
                    "telegram: chat %s got part 1..%d of %d of a message",
                    chat.chat_id,
                    index - 1,
                    len(parts),
                )
                break
        return str(first.message_id)

    async def _send_continuation(
        self,
        chat: ChatRef,
        text: str,
        markup: InlineKeyboardMarkup | None,
        silent: bool = False,
        attempts: int = 3,
    ) -> bool:
        for attempt in range(attempts):
            try:
                await self._send_part(chat, text, None, markup, silent=silent)
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
        whole = chat.whole.chat_id
        try:
            chat_id = int(whole)
        except ValueError:
            return whole  # @channelusername
        return self._moved.get(chat_id, chat_id)

    async def _send_part(
        self,
        chat: ChatRef,
        text: str,
        reply_to: int | None,
        markup: InlineKeyboardMarkup | None,
        slot_taken: bool = False,
        silent: bool = False,
    ) -> Message:
        target = self._target(chat)
        topic = topic_of(chat)
        try:
            return await self._send_message(
                target, topic, text, reply_to, markup, slot_taken, silent
            )
        except ChatMigrated as exc:
            # The group became a supergroup: move its subscriptions (hook) and
            # deliver this message to the new chat right away.
            if isinstance(target, int):
                await self._migrated(target, exc.new_chat_id)
            try:
                return await self._send_message(
                    exc.new_chat_id, topic, text, reply_to, markup, silent=silent
                )
            except TelegramError as again:
                raise translate_error(again, str(exc.new_chat_id)) from None
        except TelegramError as exc:
            raise translate_error(exc, str(target)) from None

    async def _send_message(
        self,
        chat_id: int | str,
        topic: int | None,
        text: str,
        reply_to: int | None,
        markup: InlineKeyboardMarkup | None,
        slot_taken: bool = False,
        silent: bool = False,
    ) -> Message:
        reply = (
            ReplyParameters(reply_to, allow_sending_without_reply=True)
            if reply_to is not None
            else None
        )
        message: Message = await self._app.bot.send_message(
            chat_id,
            text,
            message_thread_id=topic,
            parse_mode=ParseMode.HTML,
            link_preview_options=self._preview,
            reply_parameters=reply,
            reply_markup=markup,
            disable_notification=silent,
            rate_limit_args=slot_taken,
        )
        return message
