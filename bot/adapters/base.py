"""The adapter contract: the only place the core meets a chat platform.

An adapter turns platform updates into :class:`~bot.models.Command` values,
hands them to ``on_command`` and sends back the :class:`~bot.models.Reply`;
it renders and sends alerts for the dispatcher. Button presses arrive as
commands too: a :class:`~bot.models.Button` ``(action, arg)`` is the command
``/{action} {arg}``.

``send_alert`` and ``send_reply`` translate the library's failures into
:mod:`bot.errors`: :class:`~bot.errors.TransientError` (retry, maybe after
``retry_after``) or :class:`~bot.errors.PermanentError` (give up; set
``pause_chat`` when the chat is gone or the bot was blocked or removed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.models import Alert, ChatRef, Command, Reply

CommandSink = Callable[[Command], Awaitable[Reply]]


class Adapter(Protocol):
    platform: str

    async def start(self, on_command: CommandSink) -> None:
        """Connect and begin receiving commands; returns once running."""
        ...

    async def stop(self) -> None:
        """Stop receiving, finish in-flight sends, release the connection."""
        ...

    async def send_alert(self, alert: Alert, reply_to: str | None) -> str | None:
        """Render and send one alert; return the platform message id."""
        ...

    async def send_reply(self, chat: ChatRef, reply: Reply) -> str | None: ...
