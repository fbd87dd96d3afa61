"""A fake chat platform for tests: commands in one line, alerts recorded,
failures on demand — like errbot's test backend, but for our adapter contract."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.adapters.base import Adapter, CommandSink
from bot.config import Settings
from bot.errors import TransientError
from bot.models import Alert, ChatRef, Command, FileData, MenuEntry, Reply
from bot.ratelimit import PlatformLimits


@dataclass
class Sent:
    chat: ChatRef
    alert: Alert | None
    reply: Reply | None
    message_id: str
    reply_to: str | None = None
    at: float = 0.0  # the adapter's clock when it was sent
    silent: bool = False  # sent without notification

    @property
    def is_digest(self) -> bool:
        return self.alert is None and self.text.startswith("Digest:")

    @property
    def text(self) -> str:
        if self.alert is not None:
            return self.alert.text
        assert self.reply is not None
        return self.reply.plain


@dataclass(eq=False)
class FakeAdapter(Adapter):
    """Accepts, delays, fails or rate-limits sends on command; records what it sent.

    ``fail_next`` queues errors raised by the next sends (alerts or replies),
    to any chat or to one (``chat=``); ``rate_limit`` queues 429s; ``delay``
    makes every send take that long on ``sleep`` (a test's clock), and
    ``clock`` stamps each :class:`Sent`; ``limits`` declares the platform's
    rate limits to the dispatcher (a real adapter's, e.g. Telegram's), else the
    generic ones; ``menu`` is what :meth:`start` was given."""

    platform: str = "fake"
    limits: Callable[[Settings], PlatformLimits] | None = None
    sent: list[Sent] = field(default_factory=list)
    failures: deque[Exception] = field(default_factory=deque)
    chat_failures: dict[str, deque[Exception]] = field(default_factory=dict)
    on_command: CommandSink | None = None
    started: bool = False
    menu: tuple[MenuEntry, ...] = ()
    delay: float = 0.0
    #: the living summaries that replaced a message (``message_id`` is the edited one)
    edits: list[Sent] = field(default_factory=list)
    editable: bool = True  # False: a platform without edits
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = lambda: 0.0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        self.on_command = on_command
        self.menu = tuple(menu)
        self.started = True

    async def stop(self) -> None:
        self.started = False

    def rate_limits(self, settings: Settings) -> PlatformLimits:
        return self.limits(settings) if self.limits is not None else super().rate_limits(settings)

    def fail_next(self, *errors: Exception, chat: str | None = None) -> None:
        queue = self.failures if chat is None else self.chat_failures.setdefault(chat, deque())
        queue.extend(errors)

    def rate_limit(
        self, retry_after: float, times: int = 1, scope: str = "chat", chat: str | None = None
    ) -> None:
        """The next ``times`` sends get a 429 asking to wait ``retry_after`` seconds."""
        self.fail_next(
            *(
                TransientError("Too Many Requests", retry_after=retry_after, scope=scope)
                for _ in range(times)
            ),
            chat=chat,
        )

    async def _sending(self, chat: ChatRef) -> None:
        if self.delay:
            await self.sleep(self.delay)
        if self.chat_failures.get(chat.chat_id):
            raise self.chat_failures[chat.chat_id].popleft()
        if self.failures:
            raise self.failures.popleft()

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        await self._sending(alert.chat)
        msg = Sent(alert.chat, alert, None, str(next(self._ids)), reply_to, self.clock())
        self.sent.append(msg)
        return msg.message_id

    async def send_quiet_alert(
        self, alert: Alert, reply_to: str, *, slot_taken: bool = False
    ) -> str | None:
        await self._sending(alert.chat)
        msg = Sent(alert.chat, alert, None, str(next(self._ids)), reply_to, self.clock(), True)
        self.sent.append(msg)
        return msg.message_id

    def can_edit(self) -> bool:
        return self.editable

    async def edit_alert(self, alert: Alert, message_id: str, *, slot_taken: bool = False) -> bool:
        await self._sending(alert.chat)
        if not self.editable:
            return False
        self.edits.append(Sent(alert.chat, alert, None, message_id, at=self.clock()))
        return True

    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        await self._sending(chat)
        msg = Sent(chat, None, reply, str(next(self._ids)), at=self.clock())
        self.sent.append(msg)
        return msg.message_id

    def messages_to(self, chat_id: str) -> list[Sent]:
        """Everything the chat got: alerts and digests."""
        return [s for s in self.sent if s.chat.chat_id == chat_id]

    def alerts_for(self, chat_id: str) -> list[Sent]:
        return [s for s in self.sent if s.alert is not None and s.chat.chat_id == chat_id]


class FakeChat:
    """One chat on the fake platform: ``await chat.say("/watch china")`` → Reply."""

    def __init__(self, router: CommandSink, chat_id: str = "c1", platform: str = "fake") -> None:
        self.router = router
        self.chat_id = chat_id
        self.platform = platform

    @property
    def ref(self) -> ChatRef:
        return ChatRef(self.platform, self.chat_id)

    async def say(
        self,
        text: str,
        *,
        user: str = "u1",
        chat_type: str = "private",
        is_admin: bool = True,
        file: FileData | None = None,
    ) -> Reply:
        """``text`` as a command from ``user``; ``file``: sent with it (a document)."""
        cmd = Command(
            platform=self.platform,
            chat_id=self.chat_id,
            user_id=user,
            text=text,
            chat_type=chat_type,
            is_admin=is_admin,
            file=file,
        )
        return await self.router(cmd)
