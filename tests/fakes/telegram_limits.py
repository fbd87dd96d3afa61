"""The fake Bot API with Telegram's message limits enforced, for delivery benches.

:class:`LimitedTelegramServer` refuses a ``sendMessage`` with 429 (and
``retry_after``) when it would break one of Telegram's published limits,
measured on the times the server receives the calls:

* more than ``global_per_second`` messages from the bot in any 1-second window;
* a message to a chat less than ``chat_interval`` seconds after the previous one;
* more than ``group_per_minute`` messages to one group or channel (negative id)
  in any 60-second window.

It counts the refusals per limit and keeps every accepted message's arrival
time, so a bench can report the sustained rate and the worst windows.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from tests.fakes.telegram_server import ApiError, FakeTelegramServer


@dataclass
class LimitedTelegramServer(FakeTelegramServer):
    global_per_second: int = 30
    chat_interval: float = 1.0
    group_per_minute: int = 20

    accepted: list[tuple[float, int]] = field(default_factory=list)  # (arrival, chat id)
    refused: Counter[str] = field(default_factory=Counter)  # limit → 429s
    refused_at: list[tuple[float, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._recent: deque[float] = deque()
        self._chat_last: dict[int, float] = {}
        self._group_recent: dict[int, deque[float]] = {}

    def _refuse(self, limit: str, chat_id: int) -> None:
        self.refused[limit] += 1
        self.refused_at.append((time.monotonic(), chat_id, limit))
        raise ApiError(
            429,
            f"Too Many Requests: retry after {self.retry_after}",
            {"retry_after": self.retry_after},
        )

    def _check_rate(self, chat_id: int) -> None:
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.global_per_second:
            self._refuse("global", chat_id)
        last = self._chat_last.get(chat_id)
        if last is not None and now - last < self.chat_interval:
            self._refuse("chat", chat_id)
        if chat_id < 0:
            window = self._group_recent.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= self.group_per_minute:
                self._refuse("group", chat_id)
            window.append(now)
        self._recent.append(now)
        self._chat_last[chat_id] = now
        self.accepted.append((now, chat_id))


def stats(server: LimitedTelegramServer) -> dict[str, object]:
    """What a bench needs to know afterwards, as JSON-able values."""
    return {
        "accepted": server.accepted,
        "refused": dict(server.refused),
        "refused_at": server.refused_at,
        "sent": [[m.chat_id, m.text] for m in server.sent],
    }


async def _serve(retry_after: int) -> None:
    """Serve until stdin closes; print ``PORT n`` first and the stats as JSON last."""
    server = LimitedTelegramServer(retry_after=retry_after)
    await server.start()
    print(f"PORT {server.port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await server.stop()
    print(json.dumps(stats(server)), flush=True)


if __name__ == "__main__":
    # python -m tests.fakes.telegram_limits: the limited fake as a process of its own,
    # so that a bench measures the bot without the server competing for its loop.
    asyncio.run(_serve(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
