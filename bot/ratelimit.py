"""One rate limiter for every platform: a global rate per bot, a rate per chat,
a budget per group or channel, and pauses after a 429 — without busy waiting.

Each platform's :class:`PlatformLimits` are declared by its adapter
(:meth:`bot.adapters.base.Adapter.rate_limits`); this module knows no
platform by name. A message to a chat takes a slot with
:meth:`RateLimiter.acquire`: the next free slot of the platform's global rate,
then the chat's own spacing, its group budget (at most ``group_budget``
messages in any ``group_window`` seconds) and any pause of the chat or the
platform. The caller sleeps once until its slot; nothing polls.

The dispatcher asks :meth:`RateLimiter.ready_at` first: a chat that cannot
take a message for a while (a group that used its budget, a paused chat) is
given back to the outbox until then instead of holding a worker. The
adapters pace their own sends (command replies, the later parts of a long
message) through the same limiter, so alerts and replies share one budget;
the dispatcher tells an adapter when it already took a message's slot, so that
no message is counted twice.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.models import ChatRef

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

_FORGET_AFTER = 4096  # prune per-chat state beyond this many chats
#: Added to every per-chat gap: one message a second per chat arrives as one a
#: second even when the network delays one message a little more than the next.
CHAT_MARGIN = 0.05
#: How late after its slot a sender may wake and still send (seconds).
LATE_TOLERANCE = 0.015
MAX_LATE_RETRIES = 2


GroupTest = Callable[[str], bool]


def never_group(chat_id: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class PlatformLimits:
    global_per_second: float
    chat_per_second: float
    group_budget: int | None = None  # messages per group_window to one group or channel
    group_window: float = 60.0
    is_group: GroupTest = never_group
    chat_margin: float = 0.0  # seconds added to every per-chat gap


@dataclass
class _ChatState:
    next_at: float = 0.0
    sent: deque[float] = field(default_factory=deque)  # group slots within the window


class RateLimiter:
    """Slots per platform, chat and group; pauses per platform or chat."""

    def __init__(
        self,
        limits: Mapping[str, PlatformLimits],
        default: PlatformLimits,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = dict(limits)
        self.default = default
        self.clock = clock
        self.sleep = sleep
        self._global_next: dict[str, float] = {}
        self._chats: dict[ChatRef, _ChatState] = {}
        self._paused: dict[str, float] = {}  # scope → until (limiter clock)

    def rules(self, platform: str) -> PlatformLimits:
        return self.limits.get(platform, self.default)

    # ------------------------------------------------------------------ pauses

    @staticmethod
    def chat_scope(chat: ChatRef) -> str:
        """A chat's pause scope: the whole chat, also for an address of one of its parts."""
        return f"{chat.platform}:{chat.whole.chat_id}"

    def pause(self, scope: str, until: float) -> None:
        """No message to ``scope`` (a platform, or ``platform:chat``) before ``until``."""
        if until > self._paused.get(scope, 0.0):
            self._paused[scope] = until

    def paused_until(self, chat: ChatRef) -> float:
        return max(
            self._paused.get(chat.platform, 0.0), self._paused.get(self.chat_scope(chat), 0.0)
        )

    # ------------------------------------------------------------------ slots

    def _state(self, chat: ChatRef) -> _ChatState:
        chat = chat.whole  # a chat's parts (forum topics) share its budget
        state = self._chats.get(chat)
        if state is None:
            if len(self._chats) > _FORGET_AFTER:
                self._forget(self.clock())
            state = self._chats[chat] = _ChatState()
        return state

    def _forget(self, now: float) -> None:
        for chat, state in list(self._chats.items()):
            rules = self.rules(chat.platform)
            if state.next_at <= now and (
                not state.sent or state.sent[-1] + rules.group_window <= now
            ):
                del self._chats[chat]
        for scope, until in list(self._paused.items()):
            if until <= now:
                del self._paused[scope]

    def _chat_ready(self, chat: ChatRef, state: _ChatState, at: float) -> float:
        """The earliest time ≥ ``at`` that the chat's own limits allow."""
        rules = self.rules(chat.platform)
        at = max(at, state.next_at, self.paused_until(chat))
        if rules.group_budget and rules.is_group(chat.chat_id):
            window = state.sent
            now = self.clock()
            while window and window[0] + rules.group_window <= now:
                window.popleft()
            if len(window) >= rules.group_budget:
                at = max(at, window[-rules.group_budget] + rules.group_window)
        return at

    def ready_at(self, chat: ChatRef) -> float:
        """When ``chat`` could take its next message (global rate aside); no slot is taken."""
        return self._chat_ready(chat, self._state(chat), self.clock())

    def record(self, chat: ChatRef, at: float) -> None:
        """A message went to ``chat`` at ``at`` (before this limiter existed: a
        previous run), so the chat's gap and its group budget count it."""
        rules = self.rules(chat.platform)
        state = self._state(chat)
        state.next_at = max(state.next_at, at + 1.0 / rules.chat_per_second + rules.chat_margin)
        if rules.group_budget and rules.is_group(chat.chat_id):
            state.sent.append(at)

    def reserve(self, chat: ChatRef) -> float:
        """Take the next slot for a message to ``chat``; return its time."""
        rules = self.rules(chat.platform)
        now = self.clock()
        slot = max(now, self._global_next.get(chat.platform, 0.0))
        self._global_next[chat.platform] = slot + 1.0 / rules.global_per_second
        state = self._state(chat)
        at = self._chat_ready(chat, state, slot)
        state.next_at = at + 1.0 / rules.chat_per_second + rules.chat_margin
        if rules.group_budget and rules.is_group(chat.chat_id):
            state.sent.append(at)
        return at

    async def acquire(self, chat: ChatRef) -> None:
        """Wait for and take the next slot for a message to ``chat``.

        A sender that wakes up well after its slot (the event loop was busy)
        takes a new one instead of sending late: a late message followed by
        punctual ones would arrive bunched and break the platform's rate."""
        for attempt in range(MAX_LATE_RETRIES + 1):
            at = self.reserve(chat)
            delay = at - self.clock()
            if delay > 0:
                await self.sleep(delay)
            if self.clock() - at <= LATE_TOLERANCE or attempt == MAX_LATE_RETRIES:
                return
