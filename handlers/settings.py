"""/mute, /digest, /quiet, /timezone, /status: how and when a chat gets its alerts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.delivery.schedule import DIGEST_MODES, describe, next_digest, parse_hhmm, zone
from bot.models import Command, DeliveryPrefs, Reply
from bot.watch import watch_label
from handlers.base import Context
from handlers.feeds import is_operator

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400}
MAX_MUTE = timedelta(days=30)


def parse_duration(text: str) -> timedelta | None:
    m = re.fullmatch(r"([0-9]{1,4})\s*(m|min|h|d)", text.strip().casefold())
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
    prefs = await ctx.store.chat_delivery(cmd.chat)
    return Reply.text(f"Muted until {_local(until, prefs)}. Alerts wait and arrive after that.")


# --------------------------------------------------------------------------- delivery


def _local(at: datetime, prefs: DeliveryPrefs) -> str:
    tz = zone(prefs.timezone) or UTC
    return f"{at.astimezone(tz):%Y-%m-%d %H:%M} {prefs.timezone}"


async def _save(cmd: Command, ctx: Context, prefs: DeliveryPrefs) -> None:
    """Store the chat's delivery settings; alerts held under the old ones go out now
    (as one digest, unless quiet hours hold them)."""
    await ctx.store.set_chat_delivery(cmd.chat, prefs)
    await ctx.store.release_held(cmd.chat, ctx.clock())


async def digest(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    usage = (
        f"Say {cmd.usage('digest off')}, {cmd.usage('digest hourly')} "
        f"or {cmd.usage('digest daily 08:00')}"
    )
    if not args or args[0].casefold() not in DIGEST_MODES:
        return Reply.error(usage)
    mode = args[0].casefold()
    prefs = await ctx.store.chat_delivery(cmd.chat)
    if mode == "daily":
        at = parse_hhmm(args[1]) if len(args) == 2 else None
        if at is None:
            return Reply.error(f"Give the time of day, e.g. {cmd.usage('digest daily 08:00')}")
        prefs = replace(prefs, digest="daily", digest_time=at)
    elif len(args) != 1:
        return Reply.error(usage)
    else:
        prefs = replace(prefs, digest=mode, digest_time=None)
    await _save(cmd, ctx, prefs)
    if mode == "off":
        return Reply.text("Digest off: each alert arrives as it comes.")
    when = "every hour, on the hour" if mode == "hourly" else f"every day at {prefs.digest_time}"
    return Reply.text(
        f"Digest on: alerts arrive together {when} ({prefs.timezone} time), grouped by event.",
        f"Change the time zone with {cmd.usage('timezone Europe/Kyiv')}.",
    )


async def quiet(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    usage = f"Say {cmd.usage('quiet 22:00-07:00')} or {cmd.usage('quiet off')}"
    words = " ".join(args).replace("–", "-").replace(" - ", "-").split()
    prefs = await ctx.store.chat_delivery(cmd.chat)
    if len(words) == 1 and words[0].casefold() in {"off", "none"}:
        await _save(cmd, ctx, replace(prefs, quiet_start=None, quiet_end=None))
        return Reply.text("Quiet hours off.")
    parts = words[0].split("-") if len(words) == 1 else words
    if len(parts) != 2:
        return Reply.error(usage)
    start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
    if start is None or end is None or start == end:
        return Reply.error(f"Give two different times of day. {usage}")
    await _save(cmd, ctx, replace(prefs, quiet_start=start, quiet_end=end))
    return Reply.text(
        f"Quiet hours {start}-{end} ({prefs.timezone} time): alerts wait and arrive "
        f"as one digest at {end}."
    )


async def timezone(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if len(args) != 1:
        return Reply.error(f"Give a time zone name, e.g. {cmd.usage('timezone Europe/Kyiv')}")
    tz = zone(args[0])
    if tz is None:
        return Reply.error(
            f"“{args[0]}” is no time zone I know. Use a name like Europe/Kyiv, "
            "America/New_York or UTC."
        )
    prefs = replace(await ctx.store.chat_delivery(cmd.chat), timezone=tz.key)
    await _save(cmd, ctx, prefs)
    return Reply.text(
        f"Time zone {tz.key}: it is {ctx.clock().astimezone(tz):%H:%M} there now. "
        "Digest times and quiet hours are read in it."
    )


async def status(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    chat = cmd.chat
    now = ctx.clock()
    subs = await ctx.store.chat_subscriptions(chat)
    prefs = await ctx.store.chat_delivery(chat)
    muted = await ctx.store.chat_muted_until(chat)
    pending = await ctx.store.open_alert_count(chat)
    pauses = await ctx.store.delivery_pauses(now)
    mode, quiet_hours = describe(prefs)
    names = ", ".join(
        watch_label(s.target, s.filters) + (" (paused)" if s.paused else "")
        for s in sorted(subs, key=lambda s: s.target.name.casefold())
    )
    lines = [
        f"Watching: {names or 'nothing yet'}",
        f"Delivery: {mode}",
        f"Quiet hours: {quiet_hours}",
        f"Time zone: {prefs.timezone}",
        "Muted: " + (f"until {_local(muted, prefs)}" if muted and muted > now else "no"),
        f"Pending alerts: {pending}",
    ]
    if pending and (due := next_digest(prefs, now)) is not None:
        lines.append(f"Next digest: {_local(due, prefs)}")
    paused = max(
        (until for scope, until in pauses.items() if scope in {chat.platform, f"{chat}"}),
        default=None,
    )
    if paused is not None:
        lines.append(f"Rate limited by {chat.platform} until {_local(paused, prefs)}")
    if is_operator(cmd, ctx):
        lines.extend(await _service_health(ctx))
    return Reply.text(*lines)


async def _service_health(ctx: Context) -> list[str]:
    """For operators: failing feeds and stories whose analysis failed."""
    feeds = await ctx.store.list_feeds()
    failing = [f for f in feeds if f.status == "failing"]
    lines = [f"Feeds: {len(feeds)}, {len(failing)} failing"]
    for feed in failing[:3]:
        lines.append(f"• {feed.url}: {feed.errors} failure(s) in a row: {feed.last_error}")
    if len(failing) > 3:
        lines.append(f"• … and {len(failing) - 3} more (/feeds lists them)")
    counts = await ctx.store.story_failure_counts()
    lines.append(
        f"Stories failed: {counts['failed']} waiting for a retry, "
        f"{counts['quarantined']} quarantined"
    )
    return lines
