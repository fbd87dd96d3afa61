"""/settings and /set: a chat's delivery settings at a glance, changed with
buttons, a form (where the platform has forms) or one typed command; and the
same summary for several chats at once (:func:`overview`, Slack's App Home)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.delivery.schedule import DIGEST_MODES, parse_hhmm
from bot.errors import InputError
from bot.models import (
    Button,
    ChatRef,
    ChatSummary,
    Choice,
    Command,
    DeliveryPrefs,
    Form,
    FormField,
    Line,
    Reply,
    Span,
    Subscription,
    WatchLevel,
)
from bot.watch import watch_label, watch_spec
from handlers.base import Context
from handlers.settings import (
    apply_mute,
    digest_said,
    local_time,
    quiet_said,
    read_mute,
    read_quiet,
    read_timezone,
    save_delivery,
    summary_lines,
    timezone_said,
)
from handlers.watch import LEVEL_BUTTON_WATCHES, LEVEL_SHORT, LEVEL_SUMMARY

#: What ``/set`` changes, in the order it reads them; and ``level_ID=LEVEL``
#: for the watch whose id is ID (the form's names for the watches' levels).
FIELDS = ("digest", "digest_time", "quiet", "timezone", "mute")
LEVEL_FIELD = re.compile(r"level_([0-9]{1,12})")
FORM_LEVELS = 10  # the form offers the levels of this many watches
_ALIASES = {"time": "digest_time", "tz": "timezone", "zone": "timezone"}
KEEP = "keep"  # the form's mute choice that leaves the mute as it is
MUTE_CHOICES = (
    ("off", "Unmute"),
    ("1h", "Mute 1 hour"),
    ("8h", "Mute 8 hours"),
    ("24h", "Mute 24 hours"),
    ("7d", "Mute 7 days"),
)
DEFAULT_DAILY = "08:00"
DEFAULT_QUIET = "22:00-07:00"
PANEL = "settings"  # the command whose answer a pressed button refreshes in place


def _mark(label: str, current: bool) -> str:
    return f"✓ {label}" if current else label


def _level_buttons(subs: Sequence[Subscription]) -> tuple[Button, ...]:
    """A row per watch (the first few): its three levels, the current one marked."""
    return tuple(
        Button(
            _mark(
                f"{watch_label(sub.target, sub.filters)}: {LEVEL_SHORT[level]}", level == sub.level
            ),
            "watch",
            f"{watch_spec(sub.target, sub.filters)} {level}",
            row=3 + n,
        )
        for n, sub in enumerate(subs[:LEVEL_BUTTON_WATCHES])
        for level in WatchLevel
    )


def _buttons(prefs: DeliveryPrefs, muted: bool) -> tuple[Button, ...]:
    daily = prefs.digest_time or DEFAULT_DAILY
    quiet = f"{prefs.quiet_start}-{prefs.quiet_end}" if prefs.quiet_start else DEFAULT_QUIET
    return (
        Button(_mark("Each alert", prefs.digest == "off"), "digest", "off", row=0),
        Button(_mark("Hourly digest", prefs.digest == "hourly"), "digest", "hourly", row=0),
        Button(_mark(f"Daily {daily}", prefs.digest == "daily"), "digest", f"daily {daily}", row=0),
        Button(_mark(f"Quiet {quiet}", bool(prefs.quiet_start)), "quiet", quiet, row=1),
        Button(_mark("No quiet hours", not prefs.quiet_start), "quiet", "off", row=1),
        Button("Mute 1h", "mute", "1h", row=2),
        Button("Mute 24h", "mute", "24h", row=2),
        Button(_mark("Unmuted", not muted), "mute", "off", row=2),
    )


def _form(prefs: DeliveryPrefs, muted_until: str | None, subs: Sequence[Subscription]) -> Form:
    keep = f"As it is: muted until {muted_until}" if muted_until else "As it is: not muted"
    return Form(
        title="Chat settings",
        command="set",
        fields=(
            FormField(
                "digest",
                "Delivery",
                prefs.digest,
                (
                    Choice("Each alert as it comes", "off"),
                    Choice("An hourly digest", "hourly"),
                    Choice("A daily digest", "daily"),
                ),
            ),
            FormField(
                "digest_time",
                "Daily digest at",
                prefs.digest_time or DEFAULT_DAILY,
                hint="HH:MM, for the daily digest",
                optional=True,
            ),
            FormField(
                "quiet",
                "Quiet hours",
                f"{prefs.quiet_start}-{prefs.quiet_end}" if prefs.quiet_start else "",
                hint="HH:MM-HH:MM, e.g. 22:00-07:00; empty for none",
                optional=True,
            ),
            FormField(
                "timezone",
                "Time zone",
                prefs.timezone,
                hint="a name like Europe/Kyiv, America/New_York or UTC",
            ),
            FormField(
                "mute",
                "Mute",
                KEEP,
                (Choice(keep, KEEP), *(Choice(label, value) for value, label in MUTE_CHOICES)),
            ),
            *(
                FormField(
                    f"level_{sub.id}",
                    f"Level of {watch_label(sub.target, sub.filters)}",
                    sub.level.value,
                    tuple(
                        Choice(LEVEL_SHORT[level].capitalize(), level.value) for level in WatchLevel
                    ),
                )
                for sub in subs[:FORM_LEVELS]
            ),
        ),
    )


async def settings(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    """The chat's settings, with buttons to change them and the same as a form."""
    if args:
        return Reply.error(
            f"{cmd.usage('settings')} shows the settings; change them with its buttons "
            f"or with {cmd.usage('set quiet=22:00-07:00 timezone=Europe/Kyiv')}."
        )
    prefs = await ctx.store.chat_delivery(cmd.chat)
    muted = await ctx.store.chat_muted_until(cmd.chat)
    muted_until = local_time(muted, prefs) if muted and muted > ctx.clock() else None
    lines: tuple[Line, ...] = (
        (Span("Settings of this chat", bold=True),),
        *await summary_lines(ctx, cmd.chat),
        (
            Span("Time zone: send "),
            Span(cmd.usage("timezone Europe/Kyiv"), code=True),
            Span("; everything at once: "),
            Span(cmd.usage("set digest=daily digest_time=08:00 quiet=off"), code=True),
        ),
    )
    subs = sorted(
        await ctx.store.chat_subscriptions(cmd.chat), key=lambda s: s.target.name.casefold()
    )
    # a press changes the setting, then the panel shows its new state (where it can)
    buttons = tuple(
        replace(button, refresh=PANEL)
        for button in _buttons(prefs, muted_until is not None) + _level_buttons(subs)
    )
    return Reply(lines, buttons=buttons, form=_form(prefs, muted_until, subs))


@dataclass
class _Changes:
    """What one ``/set`` asks for, read and checked before anything is saved."""

    prefs: DeliveryPrefs
    mute: str = KEEP
    levels: list[tuple[Subscription, WatchLevel]] | None = None
    errors: list[tuple[str, str]] | None = None

    def refuse(self, name: str, why: str) -> None:
        self.errors = [*(self.errors or []), (name, why)]


def _pairs(args: list[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``NAME=VALUE`` words as {name: value}; a word that starts no known NAME
    belongs to the value before it (``quiet=22:00 - 07:00``)."""
    pairs: dict[str, str] = {}
    errors: list[tuple[str, str]] = []
    current: str | None = None
    for word in args:
        name, sep, value = word.partition("=")
        key = _ALIASES.get(name.casefold(), name.casefold())
        if sep and (key in FIELDS or LEVEL_FIELD.fullmatch(key)):
            if key in pairs:
                errors.append((key, f"{key} is given twice."))
            pairs[key], current = value, key
        elif current is not None:
            pairs[current] = f"{pairs[current]} {word}".strip()
        else:
            errors.append(("", f"“{word}” is no setting. Settings: {', '.join(FIELDS)}."))
    return pairs, errors


def _read_levels(pairs: dict[str, str], subs: Sequence[Subscription], out: _Changes) -> None:
    by_id = {str(sub.id): sub for sub in subs}
    out.levels = []
    for name, value in pairs.items():
        m = LEVEL_FIELD.fullmatch(name)
        if m is None:
            continue
        sub = by_id.get(m.group(1))
        word = value.strip().casefold()
        if sub is None:
            out.refuse(name, "This chat no longer watches that; open the settings again.")
        elif word not in WatchLevel.__members__.values():
            out.refuse(name, f"A level is one of {', '.join(WatchLevel)}.")
        elif WatchLevel(word) != sub.level:
            out.levels.append((sub, WatchLevel(word)))


def _read(pairs: dict[str, str], prefs: DeliveryPrefs) -> _Changes:
    out = _Changes(prefs)
    if "timezone" in pairs:
        try:
            out.prefs = replace(out.prefs, timezone=read_timezone(pairs["timezone"]).key)
        except InputError as exc:
            out.refuse("timezone", str(exc))
    if "quiet" in pairs:
        try:
            start, end = read_quiet(pairs["quiet"]) or (None, None)
            out.prefs = replace(out.prefs, quiet_start=start, quiet_end=end)
        except InputError as exc:
            out.refuse("quiet", str(exc))
    at = pairs.get("digest_time", "").strip()
    if at and parse_hhmm(at) is None:
        out.refuse("digest_time", f"“{at}” is no time of day; give HH:MM, like 08:00.")
    mode = pairs.get("digest", prefs.digest).strip().casefold()
    if mode not in DIGEST_MODES:
        out.refuse("digest", f"Delivery is one of {', '.join(DIGEST_MODES)}.")
    elif mode == "daily":
        time = parse_hhmm(at) if at else prefs.digest_time
        if time is None and not at:
            out.refuse("digest_time", "Give the time of the daily digest, like 08:00.")
        out.prefs = replace(out.prefs, digest="daily", digest_time=time)
    else:
        out.prefs = replace(out.prefs, digest=mode, digest_time=None)
    out.mute = pairs.get("mute", KEEP).strip().casefold() or KEEP
    if out.mute != KEEP:
        try:
            read_mute(out.mute)
        except InputError as exc:
            out.refuse("mute", str(exc))
    return out


async def set_(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    """Change several settings at once; when any value is wrong, nothing changes."""
    usage = cmd.usage("set digest=hourly quiet=22:00-07:00 timezone=Europe/Kyiv mute=off")
    if not args:
        return Reply.error(f"Say what to change, e.g. {usage}")
    pairs, errors = _pairs(args)
    prefs = await ctx.store.chat_delivery(cmd.chat)
    changes = _read(pairs, prefs)
    _read_levels(pairs, await ctx.store.chat_subscriptions(cmd.chat), changes)
    errors += changes.errors or []
    if errors:
        return Reply(
            ((Span("Nothing was changed:", bold=True),), *((Span(why),) for _, why in errors)),
            ok=False,
            errors=tuple(errors),
        )
    said: list[str] = []
    new = changes.prefs
    if new != prefs:
        await save_delivery(ctx, cmd.chat, new)
        if (new.digest, new.digest_time) != (prefs.digest, prefs.digest_time):
            said.append(digest_said(new))
        if (new.quiet_start, new.quiet_end) != (prefs.quiet_start, prefs.quiet_end):
            said.append(quiet_said(new))
        if new.timezone != prefs.timezone:
            said.append(timezone_said(new, ctx.clock()))
    if changes.mute != KEEP:
        said.append(await apply_mute(ctx, cmd.chat, read_mute(changes.mute)))
    for sub, level in changes.levels or []:
        changed = await ctx.store.set_subscription_level(
            cmd.chat, sub.target.key, level, sub.filters
        )
        if changed is not None:
            said.append(f"{watch_label(sub.target, sub.filters)}: {LEVEL_SUMMARY[level]}.")
    if changes.levels:
        await ctx.subscriptions_changed()
    if not said:
        return Reply.text("Nothing to change: the settings are as they were.")
    who = f"{cmd.user_name} changed" if cmd.user_name else "Changed"
    return Reply(((Span(f"{who} this chat's settings:", bold=True),), *((Span(s),) for s in said)))


async def overview(ctx: Context, chats: Sequence[ChatRef]) -> list[ChatSummary]:
    """For each of ``chats`` (in their order) that watches something, its watches
    and settings; the others are left out."""
    known = set(await ctx.store.chats())
    out: list[ChatSummary] = []
    for chat in chats:
        if chat in known and await ctx.store.chat_subscriptions(chat):
            out.append(ChatSummary(chat, await summary_lines(ctx, chat)))
    return out
