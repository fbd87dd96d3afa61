"""The adapter contract: the only place the core meets a chat platform.

An adapter turns platform updates into :class:`~bot.models.Command` values,
hands them to ``on_command`` and sends back the :class:`~bot.models.Reply`;
it renders and sends alerts for the dispatcher. Button presses arrive as
commands too: a :class:`~bot.models.Button` ``(action, arg)`` is the command
``/{action} {arg}``.

:class:`Adapter` declares every capability the runtime, the dispatcher and
the HTTP server use, each with a default that fits a platform without it, and
they call it directly: a platform overrides what it has and inherits the rest.

``send_alert`` and ``send_reply`` translate the library's failures into
:mod:`bot.errors`: :class:`~bot.errors.TransientError` (retry, maybe after
``retry_after``) or :class:`~bot.errors.PermanentError` (give up; set
``pause_chat`` when the chat is gone or the bot was blocked or removed).

Pacing: the dispatcher paces alerts through one
:class:`~bot.ratelimit.RateLimiter` built from the limits each adapter
declares (:meth:`Adapter.rate_limits`) and hands it to every adapter
(:meth:`Adapter.use_limiter`), so that what an adapter sends on its own (a
command's reply, the later parts of a long message) shares the same budget.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from bot.config import Settings
from bot.models import Alert, ChatRef, ChatSummary, Command, FileData, MenuEntry, Reply, Span
from bot.ratelimit import PlatformLimits, RateLimiter

_log = logging.getLogger(__name__)

CommandSink = Callable[[Command], Awaitable[Reply]]
#: Called when a chat changes its id (a Telegram group became a supergroup).
MigrateHook = Callable[[ChatRef, ChatRef], Awaitable[None]]
#: Called when the bot joins a chat again (True) or is removed, kicked or
#: blocked (False), with why: the chat's watches resume or pause, its parts
#: (forum topics) with it, and nothing of its settings is lost.
PresenceHook = Callable[[ChatRef, bool, str], Awaitable[None]]
#: True when an inbound event (the platform's id for it) is seen for the first
#: time by any instance sharing the database; False for a repeated delivery.
SeenHook = Callable[[str, str], Awaitable[bool]]
#: The watches and settings of those of the given chats that watch something
#: (:func:`handlers.panel.overview`), for a platform's overview of a user's chats.
ChatOverview = Callable[[Sequence[ChatRef]], Awaitable[Sequence[ChatSummary]]]
HttpHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: ``(method, path, handler)`` served on the service's shared HTTP server.
Route = tuple[str, str, HttpHandler]


class Adapter(ABC):
    """One chat platform. Subclasses set ``platform`` and implement the two sends."""

    platform: str
    #: Set by the runtime: where a chat that changed its id is moved.
    on_migrate: MigrateHook | None = None
    #: Set by the runtime: where the bot's joining or leaving a chat is reported.
    on_presence: PresenceHook | None = None
    #: Set by the runtime: the watches and settings of chats (Slack's App Home).
    chat_overview: ChatOverview | None = None
    #: Set by the runtime: whether an inbound event is new to every instance
    #: (see :meth:`first_seen`).
    on_seen: SeenHook | None = None
    #: The limiter this adapter paces its own sends through (see :meth:`use_limiter`).
    limiter: RateLimiter | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self, on_command: CommandSink, menu: Sequence[MenuEntry] = ()) -> None:
        """Connect and begin receiving commands (and sending); returns once running.
        ``menu`` lists the commands, for platforms that show a command menu (the
        router's registry, :meth:`handlers.registry.Registry.menu`). The default
        receives nothing."""
        return None

    async def start_sending(self) -> bool:
        """Start only the sending side, while another instance receives (several
        instances on one PostgreSQL database). True when this adapter can send
        without receiving; the default cannot, and the alerts of its platform
        are left to the instance that receives."""
        return False

    async def stop(self) -> None:
        """Stop receiving, finish in-flight sends, release the connection."""
        return None

    async def first_seen(self, event_id: str) -> bool:
        """True unless another instance on the database already had the platform's
        event ``event_id`` (a retry that reached a second process). Without the
        runtime's hook, or when the database cannot say, the event counts as new:
        a command is never dropped for want of an answer."""
        if self.on_seen is None:
            return True
        try:
            return await self.on_seen(self.platform, event_id)
        except Exception as exc:
            _log.warning("%s: could not record event %s: %s", self.platform, event_id, exc)
            return True

    def down_since(self) -> float | None:
        """Since when (``time.monotonic()``) the adapter knows its platform is
        unreachable while running (a lost connection it is re-opening), for
        ``/healthz``; None when it knows of no outage (the default)."""
        return None

    # ------------------------------------------------------------------ sending

    @abstractmethod
    async def send_alert(
        self, alert: Alert, reply_to: str | None, *, slot_taken: bool = False
    ) -> str | None:
        """Render and send one alert; return the platform message id.

        ``reply_to`` is the message id of the event's first alert in this chat:
        the follow-up replies to it (or goes into its thread) where the platform
        can. ``slot_taken``: the caller (the dispatcher) has taken the rate-limit
        slot of the first message already; otherwise the adapter paces it. Any
        further message (the parts of a long alert) is paced by the adapter."""

    async def send_quiet_alert(
        self, alert: Alert, reply_to: str, *, slot_taken: bool = False
    ) -> str | None:
        """Send a follow-up into the thread of ``reply_to`` without notification
        (Telegram ``disable_notification``, a Slack thread reply that is not
        broadcast). The default sends it as :meth:`send_alert` does: a platform
        without silent messages notifies."""
        return await self.send_alert(alert, reply_to, slot_taken=slot_taken)

    def can_edit(self) -> bool:
        """Whether this platform edits sent messages (:meth:`edit_alert`); when it
        does not (the default), follow-ups that would edit are silent replies and
        no summary is built for nothing."""
        return False

    async def edit_alert(self, alert: Alert, message_id: str, *, slot_taken: bool = False) -> bool:
        """Replace the message ``message_id`` (an event's first alert) with
        ``alert`` (its living summary). True when the message shows it now
        (also when it already did: an edit retried after a crash is harmless);
        False when the message cannot be edited (too old, deleted, or a platform
        without edits: the default), and the caller replies silently instead.
        Other failures raise as sends do. ``slot_taken`` as for sends: an edit
        counts against the same rate budget."""
        return False

    @abstractmethod
    async def send_reply(
        self, chat: ChatRef, reply: Reply, *, slot_taken: bool = False
    ) -> str | None:
        """Send a reply (or a digest) to ``chat``; return the platform message id.
        ``slot_taken``: the caller has taken the rate-limit slot of the first message
        already (the dispatcher's digests); otherwise the adapter paces it."""

    async def send_file(
        self, chat: ChatRef, file: FileData, *, reply_to: str | None = None
    ) -> str | None:
        """Send ``file`` (a reply's, e.g. ``/export``) to ``chat``, in the thread of
        or as a reply to ``reply_to`` where the platform can; return the message
        id. The default, for platforms without files, sends its text as a
        message of code lines, which the user can copy and paste back
        (``/import`` reads pasted text too)."""
        code = ((Span(line, code=True),) for line in file.text.splitlines() if line.strip())
        lines = ((Span(file.name, bold=True),), *code)
        return await self.send_reply(chat, Reply(lines))

    # ------------------------------------------------------------------ pacing

    def rate_limits(self, settings: Settings) -> PlatformLimits:
        """The platform's limits for the rate limiter: by default the generic
        ``GLOBAL_PER_SECOND`` and ``PER_CHAT_PER_SECOND``."""
        return PlatformLimits(
            settings.global_per_second, settings.per_chat_per_second, is_group=self.is_group_chat
        )

    def is_group_chat(self, chat_id: str) -> bool:
        """Whether ``chat_id`` is a group or channel (for a per-group budget)."""
        return False

    def use_limiter(self, limiter: RateLimiter) -> None:
        """Pace this adapter's own sends through ``limiter`` (the dispatcher's)."""
        self.limiter = limiter

    async def pace(self, chat: ChatRef) -> None:
        """Wait for ``chat``'s next slot, when the adapter has a limiter."""
        if self.limiter is not None:
            await self.limiter.acquire(chat)

    # ------------------------------------------------------------------ HTTP

    def http_routes(self) -> Sequence[Route]:
        """Routes this adapter serves on the service's shared HTTP server
        (Slack's HTTP mode: ``POST /slack/events``); none by default."""
        return ()
