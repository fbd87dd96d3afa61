"""/watch, /unwatch, /watching."""

from __future__ import annotations

from bot.models import (
    DEFAULT_LEVEL,
    Button,
    Command,
    Line,
    Reply,
    Span,
    StartLinks,
    Subscription,
    WatchLevel,
)
from bot.start_links import encode_payload
from bot.watch import phrase_in
from handlers.base import Context, did_you_mean, resolve

MIN_PHRASE_CHARS = 2
"""The shortest phrase watched (letters and digits, spaces between words not counted)."""
RECENT_STORIES = 200
"""How many of the latest stories a new phrase watch is checked against."""
MIN_RECENT = 20
"""Fewer stories than this say nothing about how common a phrase is."""
COMMON_SHARE = 0.5
"""A phrase in more than this share of the recent stories would alert on nearly all."""
LEVEL_BUTTON_WATCHES = 3
"""/watching offers level buttons for this many watches (the rest change by command)."""

LEVEL_SUMMARY = {
    WatchLevel.EVENTS: "new events only; later news updates the event's first alert",
    WatchLevel.MAJOR: (
        "new events and major developments (denials, updated figures, a side heard "
        "for the first time); other news updates the event's first alert"
    ),
    WatchLevel.ALL: "every new, updated or disputed claim",
}
LEVEL_SHORT = {
    WatchLevel.EVENTS: "new events only",
    WatchLevel.MAJOR: "major developments",
    WatchLevel.ALL: "every claim",
}


def split_level(args: list[str]) -> tuple[list[str], WatchLevel | None]:
    """``china all`` → (``[china]``, ALL): the last word names a level when it is one
    and something to watch comes before it; else the words are left whole."""
    if len(args) >= 2:
        word = args[-1].casefold()
        if word in WatchLevel.__members__.values():
            return args[:-1], WatchLevel(word)
    return args, None


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # a word list; no model is loaded

    return frozenset(STOP_WORDS)


async def phrase_problem(ctx: Context, name: str, phrase: str) -> str | None:
    """Why ``phrase`` (the keyword form of ``name``) cannot be watched, or None."""
    if not phrase:
        return (
            f"“{name}” has no letters or digits to look for in stories. "
            "Watch a name or a phrase of words."
        )
    if all(word in _stopwords() for word in phrase.split()):
        return (
            f"“{name}” is too common a word to watch: it is in nearly every story. "
            "Watch a name or a more specific phrase."
        )
    if len(phrase.replace(" ", "")) < MIN_PHRASE_CHARS:
        return f"“{name}” is too short to watch: use at least {MIN_PHRASE_CHARS} letters."
    texts = await ctx.store.recent_story_texts(RECENT_STORIES)
    if len(texts) >= MIN_RECENT:
        hits = sum(1 for text in texts if phrase_in(phrase, text))
        if hits > COMMON_SHARE * len(texts):
            return (
                f"“{name}” is in {hits} of the last {len(texts)} stories, so watching it "
                "would alert on nearly everything. Watch a name or a more specific phrase."
            )
    return None


def _level_line(cmd: Command, sub: Subscription) -> str:
    others = " or ".join(
        cmd.usage(f"watch {sub.target.name} {level}") for level in WatchLevel if level != sub.level
    )
    return f"Level: {LEVEL_SUMMARY[sub.level]}. Change it with {others}."


async def _change_level(cmd: Command, ctx: Context, sub: Subscription, level: WatchLevel) -> Reply:
    if sub.level == level:
        return Reply.text(f"You already watch {sub.target.name}.", _level_line(cmd, sub))
    changed = await ctx.store.set_subscription_level(cmd.chat, sub.target.key, level)
    if changed is None:  # removed meanwhile
        return Reply.error(f"This chat no longer watches {sub.target.name}.")
    await ctx.subscriptions_changed()
    return Reply.text(f"{changed.target.name}: {LEVEL_SUMMARY[level]}.")


async def watch(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    args, level = split_level(args)
    if not args:
        return Reply.error(f"Tell me what to watch, e.g. {cmd.usage('watch china')}")
    name = " ".join(args)
    found = await resolve(ctx, name)
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    current = next((s for s in subs if s.target.key in {found.target.key, name}), None)
    if current is not None and level is not None:
        return await _change_level(cmd, ctx, current, level)
    if current is None:
        cap = ctx.settings.max_watches_per_chat
        if len(subs) >= cap:
            return Reply.error(
                f"This chat already watches {len(subs)} things, the most it may "
                f"(MAX_WATCHES_PER_CHAT is {cap}). Make room with "
                f"{cmd.usage('unwatch NAME')}; {cmd.usage('watching')} lists them."
            )
        if found.entity is None and (why := await phrase_problem(ctx, name, found.target.key)):
            return Reply.error(why)
    sub, created = await ctx.store.add_subscription(
        cmd.chat, found.target, ctx.clock(), level or DEFAULT_LEVEL
    )
    await ctx.subscriptions_changed()
    if found.entity is None:
        lines = [
            f"No entity called “{name}” is known yet, so I watch the phrase “{found.target.key}” "
            "in stories and claims."
        ]
        if hint := did_you_mean(found.suggestions):
            lines.append(hint)
        if not created:
            lines[0] = f"You already watch the phrase “{found.target.key}”."
        return Reply.text(*lines, _level_line(cmd, sub))
    if not created:
        return Reply.text(f"You already watch {found.entity.name}.", _level_line(cmd, sub))
    return Reply.text(
        f"Watching {found.entity.name}. You will be notified of {LEVEL_SUMMARY[sub.level]}.",
        f"{cmd.usage('claims ' + name)} shows what has been claimed lately.",
        _level_line(cmd, sub),
    )


async def unwatch(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if not args:
        return Reply.error(f"Tell me what to stop watching, e.g. {cmd.usage('unwatch china')}")
    name = " ".join(args)
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    found = await resolve(ctx, name)
    wanted = {found.target.key, name, name.casefold()}
    for sub in subs:
        if sub.target.key in wanted or sub.target.name.casefold() == name.casefold():
            await ctx.store.remove_subscription(cmd.chat, sub.target.key)
            await ctx.subscriptions_changed()
            return Reply.text(f"Stopped watching {sub.target.name}.")
    watched = ", ".join(s.target.name for s in subs)
    return Reply.error(
        f"This chat does not watch “{name}”."
        + (f" It watches: {watched}." if watched else " It watches nothing yet.")
    )


async def watching(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    if not subs:
        return Reply.text(f"This chat watches nothing yet. Try {cmd.usage('watch china')}")
    lines = ["This chat watches:"]
    ordered = sorted(subs, key=lambda s: s.target.name.casefold())
    for sub in ordered:
        kind = "phrase" if sub.target.kind == "keyword" else "entity"
        paused = " (paused)" if sub.paused else ""
        lines.append(f"• {sub.target.name} — {kind}{paused} · {LEVEL_SHORT[sub.level]}")
    lines.append(
        f"Levels: {cmd.usage('watch NAME events')} (new events only), "
        f"{cmd.usage('watch NAME major')} (the default: events and major developments), "
        f"{cmd.usage('watch NAME all')} (every claim)."
    )
    buttons = tuple(
        Button(f"{sub.target.name}: {LEVEL_SHORT[level]}", "watch", f"{sub.target.key} {level}")
        for sub in ordered[:LEVEL_BUTTON_WATCHES]
        for level in WatchLevel
        if level != sub.level
    )
    reply = Reply.text(*lines)
    shared = share_lines(cmd.start_links, ordered) if cmd.start_links is not None else ()
    return Reply(reply.lines + shared, buttons=buttons)


def share_lines(links: StartLinks, subs: list[Subscription]) -> tuple[Line, ...]:
    """Links that start the same watch (at the same level) elsewhere: in a private
    chat with the bot, or in a group the bot is added to. A watch too long for a
    link has none."""
    out: list[Line] = []
    for sub in subs:
        name = sub.target.name
        payload = encode_payload(
            "watch", name if sub.level == DEFAULT_LEVEL else f"{name} {sub.level}"
        )
        if payload is None:
            continue
        out.append(
            (
                Span(f"{name}: "),
                Span("watch in a private chat", url=links.private + payload),
                Span(" · "),
                Span("add to a group", url=links.group + payload),
            )
        )
    if not out:
        return ()
    return ((Span("Share a watch — each link starts it where it is opened:"),), *out)
