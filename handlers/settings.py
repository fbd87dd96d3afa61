"""/mute, /digest, /quiet, /timezone, /status: how and when a chat gets its alerts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.schedule import DIGEST_MODES, describe, next_digest, parse_hhmm, zone
from bot.errors import InputError
from bot.models import ChatRef, Command, DeliveryPrefs, Line, Reply, Span
from handlers.base import Context
from handlers.feeds import is_operator
from handlers.watch import LEVEL_SHORT

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400}
MAX_MUTE = timedelta(days=30)


def parse_duration(text: str) -> timedelta | None:
    m = re.fullmatch(r"([0-9]{1,4})\s*(m|min|h|d)", text.strip().casefold())
    if not m:
        return None
    return timedelta(seconds=int(m.group(1)) * _UNITS[m.group(2)])


def read_mute(text: str) -> timedelta | None:
    """How long to mute (``24h``, ``30m``, ``2d``), or None for ``off``;
    :class:`InputError` saying why otherwise."""
    if text.casefold() in {"off", "0", "none"}:
        return None
    span = parse_duration(text)
    if span is None or span <= timedelta(0) or span > MAX_MUTE:
        raise InputError("Give a duration from 1m to 30d (30m, 24h, 2d), or off.")
    return span


async def apply_mute(ctx: Context, chat: ChatRef, span: timedelta | None) -> str:
    """Mute ``chat`` for ``span`` (None: unmute); what to tell the chat."""
    if span is None:
        await ctx.store.mute_chat(chat, None)
        return "Alerts are on again."
    until = ctx.clock() + span
    await ctx.store.mute_chat(chat, until)
    prefs = await ctx.store.chat_delivery(chat)
    return f"Muted until {local_time(until, prefs)}. Alerts wait and arrive after that."


async def mute(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if len(args) != 1:
        return Reply.error("Say how long, e.g. /mute 24h, /mute 30m, /mute 2d, or /mute off")
    try:
        span = read_mute(args[0])
    except InputError as exc:
        return Reply.error(f"{exc} E.g. {cmd.usage('mute 24h')}")
    return Reply.text(await apply_mute(ctx, cmd.chat, span))


# --------------------------------------------------------------------------- delivery


def local_time(at: datetime, prefs: DeliveryPrefs) -> str:
    tz = zone(prefs.timezone) or UTC
    return f"{at.astimezone(tz):%Y-%m-%d %H:%M} {prefs.timezone}"


async def _save(cmd: Command, ctx: Context, prefs: DeliveryPrefs) -> None:
    await save_delivery(ctx, cmd.chat, prefs)


async def save_delivery(ctx: Context, chat: ChatRef, prefs: DeliveryPrefs) -> None:
    """Store the chat's delivery settings; alerts held under the old ones go out now
    (as one digest, unless quiet hours hold them)."""
    await ctx.store.set_chat_delivery(chat, prefs)
    await ctx.store.release_held(chat, ctx.clock())


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
        return Reply.text(digest_said(prefs))
    return Reply.text(
        digest_said(prefs), f"Change the time zone with {cmd.usage('timezone Europe/Kyiv')}."
    )


def digest_said(prefs: DeliveryPrefs) -> str:
    if prefs.digest == "off":
        return "Digest off: each alert arrives as it comes."
    when = (
        "every hour, on the hour"
        if prefs.digest == "hourly"
        else f"every day at {prefs.digest_time or '08:00'}"
    )
    return f"Digest on: alerts arrive together {when} ({prefs.timezone} time), grouped by event."


def read_quiet(text: str) -> tuple[str, str] | None:
    """Quiet hours ``22:00-07:00`` (also ``22:00 - 07:00``, ``22:00–07:00``) as
    (start, end), or None for ``off`` or nothing; :class:`InputError` otherwise."""
    words = text.replace("–", "-").replace(" - ", "-").split()
    if not words or (len(words) == 1 and words[0].casefold() in {"off", "none"}):
        return None
    parts = words[0].split("-") if len(words) == 1 else words
    start = parse_hhmm(parts[0]) if len(parts) == 2 else None
    end = parse_hhmm(parts[1]) if len(parts) == 2 else None
    if start is None or end is None or start == end:
        raise InputError("Give two different times of day, like 22:00-07:00, or off.")
    return start, end


def read_timezone(text: str) -> ZoneInfo:
    """The time zone named ``text``; :class:`InputError` when there is none such."""
    tz = zone(text.strip())
    if tz is None:
        raise InputError(
            f"“{text.strip()}” is no time zone I know. Use a name like Europe/Kyiv, "
            "America/New_York or UTC."
        )
    return tz


def quiet_said(prefs: DeliveryPrefs) -> str:
    if not prefs.quiet_start or not prefs.quiet_end:
        return "Quiet hours off."
    return (
        f"Quiet hours {prefs.quiet_start}-{prefs.quiet_end} ({prefs.timezone} time): alerts "
        f"wait and arrive as one digest at {prefs.quiet_end}."
    )


def timezone_said(prefs: DeliveryPrefs, now: datetime) -> str:
    tz = zone(prefs.timezone) or UTC
    return (
        f"Time zone {prefs.timezone}: it is {now.astimezone(tz):%H:%M} there now. "
        "Digest times and quiet hours are read in it."
    )


async def quiet(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    usage = f"Say {cmd.usage('quiet 22:00-07:00')} or {cmd.usage('quiet off')}"
    try:
        hours = read_quiet(" ".join(args))
    except InputError as exc:
        return Reply.error(f"{exc} {usage}")
    if hours is None and not args:
        return Reply.error(usage)
    start, end = hours or (None, None)
    prefs = replace(await ctx.store.chat_delivery(cmd.chat), quiet_start=start, quiet_end=end)
    await _save(cmd, ctx, prefs)
    return Reply.text(quiet_said(prefs))


async def timezone(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if len(args) != 1:
        return Reply.error(f"Give a time zone name, e.g. {cmd.usage('timezone Europe/Kyiv')}")
    try:
        tz = read_timezone(args[0])
    except InputError as exc:
        return Reply.error(str(exc))
    prefs = replace(await ctx.store.chat_delivery(cmd.chat), timezone=tz.key)
    await _save(cmd, ctx, prefs)
    return Reply.text(timezone_said(prefs, ctx.clock()))


async def status(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    chat = cmd.chat
    now = ctx.clock()
    prefs = await ctx.store.chat_delivery(chat)
    pending = await ctx.store.open_alert_count(chat)
    pauses = await ctx.store.delivery_pauses(now)
    lines = [f"Pending alerts: {pending}"]
    if pending and (due := next_digest(prefs, now)) is not None:
        lines.append(f"Next digest: {local_time(due, prefs)}")
    paused = max(
        (until for scope, until in pauses.items() if scope in {chat.platform, f"{chat}"}),
        default=None,
    )
    if paused is not None:
        lines.append(f"Rate limited by {chat.platform} until {local_time(paused, prefs)}")
    if is_operator(cmd, ctx):
        lines.extend(await _service_health(ctx))
    return Reply((*await summary_lines(ctx, chat), *((Span(line),) for line in lines)))


async def summary_lines(ctx: Context, chat: ChatRef) -> tuple[Line, ...]:
    """A chat's watches and settings, one per line (for /settings and the overview)."""
    now = ctx.clock()
    subs = await ctx.store.chat_subscriptions(chat)
    prefs = await ctx.store.chat_delivery(chat)
    muted = await ctx.store.chat_muted_until(chat)
    mode, quiet_hours = describe(prefs)
    names = ", ".join(
        f"{s.target.name} ({LEVEL_SHORT[s.level]}{', paused' if s.paused else ''})"
        for s in sorted(subs, key=lambda s: s.target.name.casefold())
    )
    rows = (
        ("Watching", names or "nothing yet"),
        ("Delivery", mode),
        ("Quiet hours", quiet_hours),
        ("Time zone", prefs.timezone),
        ("Muted", f"until {local_time(muted, prefs)}" if muted and muted > now else "no"),
    )
    return tuple((Span(f"{label}: ", bold=True), Span(value)) for label, value in rows)


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
