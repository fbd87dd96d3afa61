"""/mute: silence a chat's alerts for a while."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.models import Command, Reply
from handlers.base import Context

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400}
MAX_MUTE = timedelta(days=30)


def parse_duration(text: str) -> timedelta | None:
    m = re.fullmatch(r"(\d{1,4})\s*(m|min|h|d)", text.strip().casefold())
    if not m:
        return None
    return timedelta(seconds=int(m.group(1)) * _UNITS[m.group(2)])


async def mute(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if len(args) != 1:
        return Reply.error("Say how long, e.g. /mute 24h, /mute 30m, /mute 2d, or /mute off")
    if args[0].casefold() in {"off", "0", "none"}:
        await ctx.store.mute_chat(cmd.chat, None)
        return Reply.text("Alerts are on again.")
    span = parse_duration(args[0])
    if span is None or span <= timedelta(0) or span > MAX_MUTE:
        return Reply.error("Give a duration from 1m to 30d, e.g. /mute 24h")
    until = ctx.clock() + span
    await ctx.store.mute_chat(cmd.chat, until)
    return Reply.text(f"Muted until {until:%Y-%m-%d %H:%M} UTC. Alerts wait and arrive after that.")
