"""A fake chat platform for tests: commands in one line, alerts recorded,
failures on demand — like errbot's test backend, but for our adapter contract."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

from bot.adapters.base import CommandSink
from bot.models import Alert, ChatRef, Command, Reply


@dataclass
class Sent:
    chat: ChatRef
    alert: Alert | None
    reply: Reply | None
    message_id: str
    reply_to: str | None = None

    @property
    def text(self) -> str:
        if self.alert is not None:
            return self.alert.text
        assert self.reply is not None
        return self.reply.plain


@dataclass
class FakeAdapter:
    """Accepts, fails or rate-limits sends on command; records what it sent."""

    platform: str = "fake"
    sent: list[Sent] = field(default_factory=list)
    failures: deque[Exception] = field(default_factory=deque)
    on_command: CommandSink | None = None
    started: bool = False
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    async def start(self, on_command: CommandSink) -> None:
        self.on_command = on_command
        self.started = True

    async def stop(self) -> None:
        self.started = False

    def fail_next(self, *errors: Exception) -> None:
        self.failures.extend(errors)

    async def send_alert(self, alert: Alert, reply_to: str | None) -> str | None:
        if self.failures:
            raise self.failures.popleft()
        msg = Sent(alert.chat, alert, None, str(next(self._ids)), reply_to)
        self.sent.append(msg)
        return msg.message_id

    async def send_reply(self, chat: ChatRef, reply: Reply) -> str | None:
        msg = Sent(chat, None, reply, str(next(self._ids)))
        self.sent.append(msg)
        return msg.message_id

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
        self, text: str, *, user: str = "u1", chat_type: str = "private", is_admin: bool = True
    ) -> Reply:
        cmd = Command(
            platform=self.platform,
            chat_id=self.chat_id,
            user_id=user,
            text=text,
            chat_type=chat_type,
            is_admin=is_admin,
        )
        return await self.router(cmd)
