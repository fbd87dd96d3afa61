"""Maps command names to handlers and applies the cross-cutting rules
(input limits, admin-only commands in groups, per-user rate) before a handler runs."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import replace

from bot.models import Command, Reply
from handlers import claims, exchange, feeds, help, panel, settings, watch
from handlers.base import Context
from handlers.registry import Registry, Spec

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def default_registry() -> Registry:
    """ClaimWatch's commands, in the order /help and the menus list them."""
    return Registry(
        (
            Spec("start", help.start, "", "what ClaimWatch does"),
            Spec("help", help.help_, "[command]", "the commands, or one in detail", linkable=True),
            Spec(
                "watch",
                watch.watch,
                "NAME [-NAME] [+NAME] [events|major|all]",
                "alert this chat about an entity or phrase (-NAME: skip stories about that, "
                '+NAME: only with that too; "quote" names of several words)',
                True,
                linkable=True,
            ),
            Spec("unwatch", watch.unwatch, "NAME [-NAME] [+NAME]", "stop that watch", True),
            Spec("watching", watch.watching, "", "what this chat watches", linkable=True),
            Spec(
                "claims",
                claims.claims,
                "NAME [N]",
                "the latest claims about it, with sources",
                linkable=True,
            ),
            Spec("event", claims.event, "ID", "an event's claims and sources", linkable=True),
            Spec("sources", claims.sources, "ID", "every outlet covering an event", in_menu=False),
            Spec(
                "mute",
                settings.mute,
                "DURATION|off",
                "pause this chat's alerts (24h, 30m, 2d)",
                True,
            ),
            Spec(
                "digest",
                settings.digest,
                "off|hourly|daily HH:MM",
                "alerts one by one, or together every hour or day",
                True,
            ),
            Spec(
                "quiet", settings.quiet, "HH:MM-HH:MM|off", "hold alerts during these hours", True
            ),
            Spec(
                "timezone", settings.timezone, "ZONE", "this chat's time zone (Europe/Kyiv)", True
            ),
            Spec(
                "settings",
                panel.settings,
                "",
                "this chat's delivery settings, with buttons to change them",
            ),
            Spec(
                "set",
                panel.set_,
                "NAME=VALUE ...",
                "change several settings at once (digest, quiet, timezone, mute, level)",
                True,
                in_menu=False,
            ),
            Spec("status", settings.status, "", "watches, delivery mode, mutes, pending alerts"),
            Spec(
                "export",
                exchange.export,
                "",
                "this chat's watches and settings as a file for /import",
            ),
            Spec(
                "import",
                exchange.import_,
                "[FILE|TEXT]",
                "set this chat up from an /export file (sent with it, or pasted)",
                True,
                max_chars=exchange.MAX_IMPORT_BYTES,
                takes_file=True,
            ),
            Spec(
                "feeds",
                feeds.feeds,
                "[add|remove URL]",
                "the news feeds polled (operators only)",
                in_menu=False,
                operator_only=True,
            ),
        )
    )


class RateLimiter:
    """At most ``limit`` commands per user in ``window`` seconds."""

    def __init__(
        self, limit: int = 20, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = self.clock()
        seen = self._seen[key]
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True


class Router:
    """Runs commands against the commands of ``ctx.registry``."""

    def __init__(self, ctx: Context, rate: RateLimiter | None = None) -> None:
        self.ctx = ctx
        self.rate = rate or RateLimiter()

    @property
    def registry(self) -> Registry:
        return self.ctx.registry

    async def __call__(self, cmd: Command) -> Reply:
        return await self.dispatch(cmd)

    async def dispatch(self, cmd: Command) -> Reply:
        text = cmd.text.strip()
        if not text:
            return Reply.error(f"Empty command. Send {cmd.usage('help')} to see what I can do.")
        name = cmd.name
        spec = self.registry.get(name) if name else None
        if spec is not None and spec.max_chars is not None:
            text = text.replace("\r\n", "\n")  # a pasted document
            cmd = dataclasses.replace(cmd, text=text)
        limit = self.ctx.settings.command_max_chars
        if spec is not None and spec.max_chars is not None:
            limit = max(limit, spec.max_chars)
        if len(text) > limit:
            return Reply.error(
                f"That command is too long ({len(text)} characters; the limit is {limit})."
            )
        if _CONTROL.search(text):
            return Reply.error("That command contains control characters; please type it plainly.")
        words = text.split()
        if not name:
            return Reply.error(
                f"Commands look like {cmd.usage('watch china')}. "
                f"Send {cmd.usage('help')} for the list."
            )
        if spec is None:
            return Reply.error(
                f"Unknown command {cmd.usage(name)}. Send {cmd.usage('help')} for the list."
            )
        if not self.rate.allow(f"{cmd.platform}:{cmd.user_id}"):
            return Reply.error("Too many commands; please wait a minute.")
        if spec.operator_only and not feeds.is_operator(cmd, self.ctx):
            log.info("command /%s refused for user %s: not an operator", spec.name, cmd.user_id)
            return Reply.error(f"Only the bot's operators may use {cmd.usage(spec.name)}.")
        if spec.changes_state and cmd.chat_type != "private" and not cmd.is_admin:
            return Reply.error(f"Only admins of this chat may use /{spec.name} here.")
        log.info("command /%s in %s by user %s", spec.name, cmd.chat, cmd.user_id)
        try:
            reply = await spec.handler(cmd, self.ctx, words[1:])
        except Exception:
            log.exception("command /%s in %s failed", spec.name, cmd.chat)
            return Reply.error(
                "Something went wrong on our side; the error is logged. Please try again."
            )
        # what changed the chat is for the chat to see; anything else, only the asker
        return replace(reply, changed=spec.changes_state and reply.ok)
