"""The console chat: commands typed on the terminal, alerts printed as they arrive."""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from bot.adapters.base import Adapter, CommandSink
from bot.analysis.summary import alert_message
from bot.models import Alert, Button, ChatRef, Command, Line, MenuEntry, Reply


def render_text(lines: tuple[Line, ...], buttons: tuple[Button, ...] = ()) -> str:
    out = []
    for line in lines:
        parts = []
        for span in line:
            text = span.text
            if span.url and span.url != span.text:
                text = f"{text} <{span.url}>"
            parts.append(text)
        out.append("".join(parts))
    if buttons:
        out.append(
            "  ".join(
                f"[{b.label} <{b.url}>]" if b.url else f"[{b.label}: /{b.action} {b.arg}]"
                for b in buttons
            )
        )
    return "\n".join(out)


class ConsoleAdapter(Adapter):
    platform = "console"

    def __init__(
        self,
        chat_id: str = "local",
        out: TextIO | None = None,
        read_line: Callable[[], str] | None = None,
        user_id: str = "me",
    ) -> None:
        self.chat_id = chat_id
        self.user_id = user_id
        self.out = out or sys.stdout
        self.read_line = read_line
        self._ids = itertools.count(1)
        self._task: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    @property
    def chat(self) -> ChatRef:
        return ChatRef(self.platform, self.chat_id)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        if self.read_line is not None:
            self._task = asyncio.create_task(self._loop(on_command, self.read_line))

    async def _loop(self, on_command: CommandSink, read_line: Callable[[], str]) -> None:
        try:
            while True:
                line = await asyncio.to_thread(read_line)
                if not line:  # end of input
                    break
                line = line.strip()
                if not line:
                    continue
                if line in {"/quit", "/exit"}:
                    break
                reply = await on_command(self.command(line))
                self._print(render_text(reply.lines, reply.buttons))
                if reply.file is not None:
                    await self.send_file(self.chat, reply.file)
        finally:
            self.closed.set()

    def command(self, text: str) -> Command:
        return Command(
            platform=self.platform, chat_id=self.chat_id, user_id=self.user_id, text=text
        )

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        head = f"── alert for {alert.chat} (watching {alert.watch})"
        if reply_to:
            head += f", follows message {reply_to}"
        return self._show(head, alert)

    async def send_quiet_alert(
        self, alert: Alert, reply_to: str, *, slot_taken: bool = False
    ) -> str | None:
        head = (
            f"── silent follow-up for {alert.chat} (watching {alert.watch}) to message {reply_to}"
        )
        return self._show(head, alert)

    def can_edit(self) -> bool:
        return True

    async def edit_alert(self, alert: Alert, message_id: str, *, slot_taken: bool = False) -> bool:
        """The terminal cannot change what it printed: the summary is printed
        again, marked as the new text of that message."""
        head = f"── message {message_id} for {alert.chat} now reads (edited, no notification)"
        self._show(head, alert)
        return True

    def _show(self, head: str, alert: Alert) -> str:
        self._print(f"{head} ──\n{render_text(*alert_message(alert))}\n")
        return str(next(self._ids))

    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        self._print(render_text(reply.lines, reply.buttons))
        return str(next(self._ids))
