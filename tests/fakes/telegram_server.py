"""A fake Telegram Bot API server on 127.0.0.1 for the real python-telegram-bot client.

It serves ``/bot{token}/{method}`` like https://api.telegram.org does, for the
methods ClaimWatch uses, and behaves like Telegram where it matters to us:

* ``getUpdates`` long-polls with ``offset``/``timeout``; the test injects
  updates with :meth:`FakeTelegramServer.push_message`,
  :meth:`~FakeTelegramServer.push_channel_post`,
  :meth:`~FakeTelegramServer.push_callback`,
  :meth:`~FakeTelegramServer.push_migration` and
  :meth:`~FakeTelegramServer.push_membership` (``my_chat_member``: the bot
  added, removed or blocked; sends to a chat the bot left answer 403 after it).
  When a webhook is set, ``getUpdates`` answers 409 and pushed updates are
  POSTed to the webhook with the secret token header instead.
* ``sendMessage``/``editMessageText`` validate ``parse_mode=HTML`` the way
  Telegram does (only its tags, properly nested and closed, only its
  entities) and answer 400 "can't parse entities" otherwise; more than 4096
  characters after entity parsing is 400 "message is too long".
* Forum topics: a message pushed with ``topic=`` is a topic message
  (``message_thread_id``, ``is_topic_message``, a chat with ``is_forum``);
  ``sendMessage`` with a ``message_thread_id`` the forum has no such topic
  for (never seen, or :meth:`~FakeTelegramServer.delete_topic`) is 400
  "message thread not found".
* ``setMyCommands``/``getMyCommands`` keep one menu per ``scope``
  (:attr:`FakeTelegramServer.menus`; ``commands`` is the default scope's).
* Files: :meth:`FakeTelegramServer.push_document` sends the bot a document
  (with a caption, or for a later reply to it); ``getFile`` and
  ``/file/bot{token}/{file_path}`` serve it back. ``sendDocument`` takes a
  multipart upload and records it in :attr:`FakeTelegramServer.documents`.
* Failure modes the test switches on: a per-chat message rate (429 with
  ``parameters.retry_after``), :meth:`~FakeTelegramServer.fail_next` for any
  method, blocked/kicked chats (403), missing chats (400 "chat not found"),
  and migrated groups (400 with ``parameters.migrate_to_chat_id``).

Use it as an async context manager or with ``start()``/``stop()``; the
``telegram_server`` fixture in :mod:`tests.fakes` does that for a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import pytest_asyncio
from aiohttp import ClientSession, web

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly-0123456789ab"
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile serves files up to 20 MB
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-spoiler",
        "span",
        "tg-emoji",
    }
)
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*>"
)
_ATTR = re.compile(r"([A-Za-z-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")

# Fields whose form-encoded values are JSON (PTB sends nested objects as JSON strings).
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
    }
)


class HTMLError(ValueError):
    """What Telegram answers as 400 "can't parse entities"."""


@dataclass(frozen=True)
class ParsedHTML:
    text: str  # the text as the user sees it
    links: tuple[tuple[str, str], ...]  # (anchor text, href)
    tags: tuple[str, ...]  # every start tag, in order


def parse_telegram_html(source: str) -> ParsedHTML:
    """Parse ``source`` like Telegram's HTML parse mode, or raise :class:`HTMLError`."""
    out: list[str] = []
    stack: list[tuple[str, str | None, int]] = []  # tag, href, start of its text in out
    links: list[tuple[str, str]] = []
    tags: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        offset = len(source[:i].encode("utf-8"))
        if ch == "<":
            match = _TAG.match(source, i)
            if not match:
                raise HTMLError(f"Unexpected end of name token at byte offset {offset}")
            closing, name, attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
            if closing:
                if not stack or stack[-1][0] != name:
                    raise HTMLError(f'Unexpected end tag "{name}" at byte offset {offset}')
                _, href, start = stack.pop()
                if name == "a" and href is not None:
                    links.append(("".join(out)[start:], href))
            else:
                if name not in ALLOWED_TAGS:
                    raise HTMLError(f'Unsupported start tag "{name}" at byte offset {offset}')
                href = None
                for attr in _ATTR.finditer(attrs):
                    if attr.group(1).lower() == "href":
                        raw = attr.group(2) if attr.group(2) is not None else attr.group(3)
                        href = _unescape_checked(raw or "", offset)
                tags.append(name)
                stack.append((name, href, len("".join(out))))
            i = match.end()
        elif ch == "&":
            match = _ENTITY.match(source, i)
            if not match:
                raise HTMLError(f"Character entity expected at byte offset {offset}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif ch == ">":
            # Telegram: "All <, > and & symbols that are not a part of a tag or an
            # HTML entity must be replaced with the corresponding HTML entities."
            raise HTMLError(f"Unexpected character '>' at byte offset {offset}")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise HTMLError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return ParsedHTML("".join(out), tuple(links), tuple(tags))


def _unescape_checked(value: str, offset: int) -> str:
    for amp in re.finditer("&", value):
        if not _ENTITY.match(value, amp.start()):
            raise HTMLError(f"Character entity expected at byte offset {offset}")
    if "<" in value:
        raise HTMLError(f"Unexpected character '<' at byte offset {offset}")
    return html.unescape(value)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity Telegram marks at the start of ``text``."""
    length = len(text.split(maxsplit=1)[0])
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(text[:length])}]


@dataclass
class SentMessage:
    """A message the bot sent, as the fake server recorded it."""

    message_id: int
    chat_id: int
    text: str  # as sent (HTML source when parse_mode is HTML)
    parse_mode: str | None
    reply_to_message_id: int | None
    reply_markup: dict[str, Any] | None
    link_preview_disabled: bool
    date: int
    edits: int = 0
    thread_id: int | None = None  # the forum topic it was posted in
    disable_notification: bool = False  # sent silently: no sound, no banner
    deleted: bool = False  # deleted by a user: gone from the chat, cannot be edited
    editable: bool = True  # False: Telegram answers "message can't be edited"

    @property
    def notified(self) -> bool:
        """Whether the chat was notified of the message (it was not sent silently)."""
        return not self.disable_notification

    @property
    def parsed(self) -> ParsedHTML:
        if (self.parse_mode or "").upper() == "HTML":
            return parse_telegram_html(self.text)
        return ParsedHTML(self.text, (), ())

    @property
    def plain(self) -> str:
        """What the user reads."""
        return self.parsed.text

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        return self.parsed.links

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data or url) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            (b["text"], b.get("callback_data") or b.get("url", "")) for row in rows for b in row
        ]


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class SentDocument:
    """A document the bot sent (sendDocument)."""

    message_id: int
    chat_id: int
    file_name: str
    mime_type: str
    data: bytes
    caption: str | None
    reply_to_message_id: int | None


class ApiError(Exception):
    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class _Failure:
    code: int
    description: str
    parameters: dict[str, Any] | None
    times: int


@dataclass
class FakeTelegramServer:
    """The fake Bot API. ``api_url`` is what ``TELEGRAM_API_URL`` should be."""

    token: str = DEFAULT_TOKEN
    bot_username: str = "ClaimWatchBot"
    bot_id: int = 123456789
    per_chat_interval: float | None = None  # seconds between messages to one chat, or off
    retry_after: int = 1  # what a rate-limit 429 tells the client to wait

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    documents: list[SentDocument] = field(default_factory=list)  # sendDocument
    commands: list[dict[str, Any]] = field(default_factory=list)  # the default scope's menu
    # setMyCommands per scope: "all_private_chats", "chat_administrators:-100123", ...
    menus: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    topics: dict[int, set[int]] = field(default_factory=dict)  # forum → its topics' thread ids
    answered: list[dict[str, Any]] = field(default_factory=list)  # answerCallbackQuery calls
    admins: dict[int, set[int]] = field(default_factory=dict)
    creators: dict[int, int] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)  # 403 bot was blocked by the user
    kicked: set[int] = field(default_factory=set)  # 403 bot was kicked
    missing: set[int] = field(default_factory=set)  # 400 chat not found
    migrated: dict[int, int] = field(default_factory=dict)  # old group id -> supergroup id
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # set: sendMessage requests wait for this event before they are answered (a stall)
    hold: asyncio.Event | None = None
    holding: int = 0  # sendMessage requests waiting on ``hold`` now
    drop_held: bool = False  # when ``hold`` is set, the held requests fail (the sender died)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callback_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._existing: set[tuple[int, int]] = set()
        self._pushed: dict[tuple[int, int], dict[str, Any]] = {}  # messages users sent
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self._last_send: dict[int, float] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._webhook_tasks: set[asyncio.Task[None]] = set()
        self.webhook_deliveries: list[int] = []  # HTTP status of each webhook POST
        self.port = 0
        self._closing = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._closing = True  # end pending long polls now
        if self.hold is not None:
            self.hold.set()
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()
        for task in list(self._webhook_tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ test controls

    def set_admins(self, chat_id: int, *user_ids: int, creator: int | None = None) -> None:
        self.admins[chat_id] = set(user_ids)
        if creator is not None:
            self.creators[chat_id] = creator

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with this error."""
        self._failures.setdefault(method, []).append(_Failure(code, description, parameters, times))

    def flood(self, method: str = "sendMessage", retry_after: int = 3, times: int = 1) -> None:
        """The next calls of ``method`` get 429 Too Many Requests."""
        self.fail_next(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
            times,
        )

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def edits_to(self, chat_id: int) -> int:
        """How many times messages of the chat were edited."""
        return sum(m.edits for m in self.messages_to(chat_id))

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """A user deleted the message: it can no longer be edited or replied to."""
        for m in self.messages_to(chat_id):
            if m.message_id == message_id:
                m.deleted = True
                self._existing.discard((chat_id, message_id))

    def called(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        user_name: str = "alice",
        reply_to: int | None = None,
        sender_chat: dict[str, Any] | None = None,
        title: str = "Test group",
        topic: int | None = None,
    ) -> dict[str, Any]:
        """A user sends ``text`` (``chat_type`` private, group or supergroup), in
        forum topic ``topic`` (its thread id) when given."""
        chat = self._chat(chat_id, chat_type, title, forum=topic is not None)
        uid = user_id if user_id is not None else chat_id
        message = self._message(chat, text)
        if topic is not None:
            self.topics.setdefault(chat_id, set()).add(topic)
            message["message_thread_id"] = topic
            message["is_topic_message"] = True
        message["from"] = {"id": uid, "is_bot": False, "first_name": user_name}
        if sender_chat is not None:
            message["sender_chat"] = sender_chat
        if reply_to is not None:
            message["reply_to_message"] = self._reply_stub(chat, reply_to)
        self._push({"message": message})
        return message

    def push_document(
        self,
        chat_id: int,
        file_name: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/json",
        chat_type: str = "private",
        user_id: int | None = None,
        user_name: str = "alice",
        title: str = "Test group",
    ) -> dict[str, Any]:
        """A user sends a document (optionally with a caption, which may be a command)."""
        chat = self._chat(chat_id, chat_type, title)
        message = self._message(chat, None)
        uid = user_id if user_id is not None else chat_id
        message["from"] = {"id": uid, "is_bot": False, "first_name": user_name}
        message["document"] = self._store_file(file_name, mime_type, content)
        if caption is not None:
            message["caption"] = caption
            if caption.startswith("/"):
                message["caption_entities"] = _command_entities(caption)
        self._push({"message": message})
        return message

    def push_channel_post(self, chat_id: int, text: str, title: str = "News") -> dict[str, Any]:
        chat = self._chat(chat_id, "channel", title)
        message = self._message(chat, text)
        message["sender_chat"] = chat
        self._push({"channel_post": message})
        return message

    def push_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        user_name: str = "alice",
    ) -> str:
        """A user presses an inline button on message ``message_id``; returns the query id."""
        chat = self._known_chat(chat_id)
        original = next(
            (m for m in self.sent if m.chat_id == chat_id and m.message_id == message_id), None
        )
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self._me(),
            "text": original.plain if original else "",
        }
        if original is not None and original.thread_id is not None:
            message["message_thread_id"] = original.thread_id
            message["is_topic_message"] = True
        query_id = str(next(self._callback_ids))
        uid = user_id if user_id is not None else chat_id
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": uid, "is_bot": False, "first_name": user_name},
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def push_migration(self, old_chat_id: int, new_chat_id: int) -> None:
        """Group ``old_chat_id`` becomes supergroup ``new_chat_id``."""
        self.migrated[old_chat_id] = new_chat_id
        old = self._chat(old_chat_id, "group", "Test group")
        message = self._message(old, None)
        message["migrate_to_chat_id"] = new_chat_id
        message["from"] = {"id": 1, "is_bot": False, "first_name": "owner"}
        self._push({"message": message})
        new = self._chat(new_chat_id, "supergroup", old.get("title", "Test group"))
        message = self._message(new, None)
        message["migrate_from_chat_id"] = old_chat_id
        message["sender_chat"] = new
        self._push({"message": message})

    def push_membership(
        self,
        chat_id: int,
        old: str,
        new: str,
        *,
        chat_type: str = "supergroup",
        user_id: int = 1,
        title: str = "Test group",
    ) -> None:
        """The bot's status in ``chat_id`` changes from ``old`` to ``new`` ("member",
        "administrator", "left", "kicked"), done by ``user_id``: added to or removed
        from a group or channel, or blocked ("kicked") or unblocked in a private
        chat. From then on sends to a chat the bot is no longer in answer 403."""
        chat = self._chat(chat_id, chat_type, title)
        self.kicked.discard(chat_id)
        self.blocked.discard(chat_id)
        if new in ("left", "kicked"):
            (self.blocked if chat_type == "private" else self.kicked).add(chat_id)
        self._push(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
                    "date": int(time.time()),
                    "old_chat_member": self._bot_member(old),
                    "new_chat_member": self._bot_member(new),
                }
            }
        )

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """An admin deletes a forum topic: sends to it fail from now on."""
        self.topics.get(chat_id, set()).discard(thread_id)

    async def wait_for(self, predicate: Any, within: float = 5.0) -> None:
        """Wait until ``predicate()`` is true (checked whenever the server changes)."""
        assert self._changed is not None
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(predicate)

    async def wait_for_messages(self, count: int, within: float = 5.0) -> list[SentMessage]:
        await self.wait_for(lambda: len(self.sent) >= count, within)
        return self.sent

    # ------------------------------------------------------------------ internals

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "ClaimWatch",
            "username": self.bot_username,
        }

    def _chat(
        self, chat_id: int, chat_type: str, title: str, *, forum: bool = False
    ) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "alice"
        else:
            chat["title"] = title
        if forum or self._chats.get(chat_id, {}).get("is_forum"):
            chat["is_forum"] = True
        self._chats[chat_id] = chat
        return chat

    def _bot_member(self, status: str) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": self._me()}
        if status == "kicked":
            member["until_date"] = 0
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, False))
            member.update(can_manage_chat=True, can_post_messages=True)
        return member

    def _known_chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._chats:
            return self._chats[chat_id]
        return self._chat(chat_id, "private" if chat_id > 0 else "supergroup", "Test group")

    def _next_message_id(self, chat_id: int) -> int:
        message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1)))
        self._existing.add((chat_id, message_id))
        return message_id

    def _message(self, chat: dict[str, Any], text: str | None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = _command_entities(text)
        return message

    def _store_file(self, name: str, mime_type: str, content: bytes) -> dict[str, Any]:
        """Keep ``content`` for getFile and the download; its Document object."""
        number = len(self._files) + 1
        file_id = f"BQACAgIAAxk{number:04d}"
        self._files[file_id] = (f"documents/file_{number}", content)
        return {
            "file_id": file_id,
            "file_unique_id": f"AgAD{number:04d}",
            "file_name": name,
            "mime_type": mime_type,
            "file_size": len(content),
        }

    def _reply_stub(self, chat: dict[str, Any], message_id: int) -> dict[str, Any]:
        """The replied-to message as Telegram includes it (without its own reply)."""
        known = self._pushed.get((chat["id"], message_id))
        if known is not None:
            return {k: v for k, v in known.items() if k != "reply_to_message"}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat}

    def _push(self, update: dict[str, Any]) -> None:
        message = update.get("message")
        if isinstance(message, dict) and "message_id" in message:
            self._pushed[(message["chat"]["id"], message["message_id"])] = message
        update["update_id"] = next(self._update_ids)
        if self.webhook_url:
            task = asyncio.get_running_loop().create_task(self._post_webhook(update))
            self._webhook_tasks.add(task)
            task.add_done_callback(self._webhook_tasks.discard)
            return
        self._updates.append(update)
        self._notify()

    async def _post_webhook(self, update: dict[str, Any]) -> None:
        assert self.webhook_url is not None
        if self._client is None:
            self._client = ClientSession()
        headers = {}
        if self.webhook_secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
        async with self._client.post(self.webhook_url, json=update, headers=headers) as resp:
            self.webhook_deliveries.append(resp.status)
        self._notify()

    def _notify(self) -> None:
        changed = self._changed
        if changed is None:
            return

        async def notify() -> None:
            async with changed:
                changed.notify_all()

        task = asyncio.get_running_loop().create_task(notify())
        self._webhook_tasks.add(task)
        task.add_done_callback(self._webhook_tasks.discard)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, str):
                        params[key] = value
                    elif isinstance(value, bytes | bytearray):
                        params[key] = bytes(value)
                    else:  # an uploaded file
                        params[key] = Upload(value.filename, value.content_type, value.file.read())
        for key in _JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        handler = getattr(self, f"_api_{method}", None)
        try:
            self._maybe_fail(method)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as exc:
            return _error(exc)
        finally:
            self._notify()
        return web.json_response({"ok": True, "result": result})

    def _maybe_fail(self, method: str) -> None:
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        raise ApiError(failure.code, failure.description, failure.parameters)

    def _check_target(self, chat_id: int) -> None:
        if chat_id in self.missing:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.kicked:
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if chat_id in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[chat_id]},
            )

    def _check_rate(self, chat_id: int) -> None:
        if self.per_chat_interval is None:
            return
        now = time.monotonic()
        last = self._last_send.get(chat_id)
        if last is not None and now - last < self.per_chat_interval:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        self._last_send[chat_id] = now

    @staticmethod
    def _check_text(text: str, parse_mode: str | None) -> ParsedHTML:
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                parsed = parse_telegram_html(text)
            except HTMLError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        elif parse_mode:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r}")
        else:
            parsed = ParsedHTML(text, (), ())
        if not parsed.text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(parsed.text) > MAX_MESSAGE_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        return parsed

    @staticmethod
    def _chat_id(params: dict[str, Any]) -> int:
        try:
            return int(params["chat_id"])
        except (KeyError, ValueError):
            raise ApiError(400, "Bad Request: chat_id is empty") from None

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": self._known_chat(message.chat_id),
            "from": self._me(),
            "text": message.plain,
        }
        if message.reply_markup:
            out["reply_markup"] = message.reply_markup
        if message.edits:
            out["edit_date"] = int(time.time())
        if message.thread_id is not None:
            out["message_thread_id"] = message.thread_id
            out["is_topic_message"] = True
        return out

    # ------------------------------------------------------------------ Bot API methods

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**self._me(), "can_join_groups": True, "can_read_all_group_messages": False}

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = None
        self.webhook_secret = None
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._updates.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url", ""))
        if not url:
            return await self._api_deleteWebhook(params)
        self.webhook_url = url
        self.webhook_secret = params.get("secret_token")
        pending, self._updates = self._updates, []
        for update in pending:
            self._push({k: v for k, v in update.items() if k != "update_id"})
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            assert self._changed is not None
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout), self._changed:
                    await self._changed.wait_for(lambda: bool(self._updates) or self._closing)
        return self._updates[:limit]

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.hold is not None and not self.hold.is_set():
            self.holding += 1
            try:
                await self.hold.wait()
            finally:
                self.holding -= 1
            if self.drop_held:
                raise ApiError(502, "Bad Gateway: the connection was lost")
        chat_id = self._chat_id(params)
        self._check_target(chat_id)
        text = str(params.get("text", ""))
        parse_mode = params.get("parse_mode")
        self._check_text(text, parse_mode)
        self._check_rate(chat_id)
        reply_id = self._reply_id(params, chat_id)
        silent = str(params.get("disable_notification", "")).lower() == "true"
        thread = params.get("message_thread_id")
        thread_id = int(thread) if thread not in (None, "") else None
        if thread_id is not None and thread_id not in self.topics.get(chat_id, set()):
            raise ApiError(400, "Bad Request: message thread not found")
        preview = params.get("link_preview_options")
        disabled = str(params.get("disable_web_page_preview", "")).lower() == "true"
        if isinstance(preview, dict):
            disabled = bool(preview.get("is_disabled"))
        message = SentMessage(
            message_id=self._next_message_id(chat_id),
            chat_id=chat_id,
            text=text,
            parse_mode=parse_mode,
            reply_to_message_id=reply_id,
            reply_markup=params.get("reply_markup"),
            link_preview_disabled=disabled,
            date=int(time.time()),
            thread_id=thread_id,
            disable_notification=silent,
        )
        self.sent.append(message)
        return self._message_json(message)

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        self._check_target(chat_id)
        document = params.get("document")
        if not isinstance(document, Upload):
            # a file_id or URL string would be a file Telegram has; we only take uploads
            raise ApiError(400, "Bad Request: there is no document in the request")
        if not document.data:
            raise ApiError(400, "Bad Request: file must be non-empty")
        caption = params.get("caption")
        if caption:
            parsed = self._caption(str(caption), params.get("parse_mode"))
            caption = parsed
        self._check_rate(chat_id)
        reply_id = self._reply_id(params, chat_id)
        message_id = self._next_message_id(chat_id)
        name = document.filename or "document"
        sent = SentDocument(
            message_id, chat_id, name, document.content_type, document.data, caption, reply_id
        )
        self.documents.append(sent)
        out: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._known_chat(chat_id),
            "from": self._me(),
            "document": self._store_file(name, document.content_type, document.data),
        }
        if caption:
            out["caption"] = caption
        return out

    def _caption(self, caption: str, parse_mode: str | None) -> str:
        text = self._check_text(caption, parse_mode).text
        if utf16_len(text) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        return text

    def _reply_id(self, params: dict[str, Any], chat_id: int) -> int | None:
        reply_to = params.get("reply_to_message_id")
        allow_without = str(params.get("allow_sending_without_reply", "")).lower() == "true"
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_to = reply_parameters.get("message_id")
            allow_without = bool(reply_parameters.get("allow_sending_without_reply"))
        reply_id = int(reply_to) if reply_to is not None else None
        if reply_id is not None and not allow_without and (chat_id, reply_id) not in self._existing:
            raise ApiError(400, "Bad Request: message to be replied not found")
        return reply_id

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        known = self._files.get(file_id)
        if known is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, content = known
        if len(content) > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": path,
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        self.calls.append(("download", {"file_path": path}))
        for known_path, content in self._files.values():
            if known_path == path:
                return web.Response(body=content, content_type="application/octet-stream")
        return _error(ApiError(404, "Not Found"))

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        self._check_target(chat_id)
        message_id = int(params.get("message_id", 0))
        message = next(
            (
                m
                for m in self.sent
                if m.chat_id == chat_id and m.message_id == message_id and not m.deleted
            ),
            None,
        )
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message.editable:
            raise ApiError(400, "Bad Request: message can't be edited")
        text = str(params.get("text", ""))
        parse_mode = params.get("parse_mode")
        self._check_text(text, parse_mode)
        self._check_rate(chat_id)  # edits count against the chat's rate too
        markup = params.get("reply_markup")
        if text == message.text and markup == message.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message.text = text
        message.parse_mode = parse_mode
        message.reply_markup = markup
        message.edits += 1
        return self._message_json(message)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.answered.append(params)
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = self._scope(params)
        self.menus[scope] = list(commands)
        if scope == "default":
            self.commands = list(commands)
        return True

    async def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.menus.get(self._scope(params), [])

    @staticmethod
    def _scope(params: dict[str, Any]) -> str:
        """The key of a ``BotCommandScope``: its type, and its chat (and user) if it has one."""
        scope = params.get("scope") or {"type": "default"}
        kind = scope.get("type") if isinstance(scope, dict) else None
        if kind in _CHATLESS_SCOPES:
            return str(kind)
        if kind in ("chat", "chat_administrators", "chat_member") and "chat_id" in scope:
            user = f":{scope['user_id']}" if kind == "chat_member" else ""
            return f"{kind}:{scope['chat_id']}{user}"
        raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")

    def _member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"}
        if self.creators.get(chat_id) == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in self.admins.get(chat_id, set()):
            return {
                "status": "administrator",
                "user": user,
                **dict.fromkeys(_ADMIN_RIGHTS, False),
                "can_manage_chat": True,
            }
        return {"status": "member", "user": user}

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        self._check_target(chat_id)
        return self._member(chat_id, int(params.get("user_id", 0)))

    async def _api_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = self._chat_id(params)
        self._check_target(chat_id)
        ids: Iterable[int] = sorted(self.admins.get(chat_id, set()))
        creator = self.creators.get(chat_id)
        if creator is not None:
            ids = [creator, *(i for i in ids if i != creator)]
        return [self._member(chat_id, uid) for uid in ids]


_ADMIN_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


_CHATLESS_SCOPES = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.code)


@pytest_asyncio.fixture
async def telegram_server() -> AsyncIterator[FakeTelegramServer]:
    """A running fake Bot API; import this fixture into a test module or conftest."""
    async with FakeTelegramServer() as server:
        yield server
