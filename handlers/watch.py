"""/watch, /unwatch, /watching."""

from __future__ import annotations

from bot.models import Command, Line, Reply, Span, StartLinks
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


async def watch(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if not args:
        return Reply.error(f"Tell me what to watch, e.g. {cmd.usage('watch china')}")
    name = " ".join(args)
    found = await resolve(ctx, name)
    subs = await ctx.store.chat_subscriptions(cmd.chat)
    if not any(s.target.key == found.target.key for s in subs):
        cap = ctx.settings.max_watches_per_chat
        if len(subs) >= cap:
            return Reply.error(
                f"This chat already watches {len(subs)} things, the most it may "
                f"(MAX_WATCHES_PER_CHAT is {cap}). Make room with "
                f"{cmd.usage('unwatch NAME')}; {cmd.usage('watching')} lists them."
            )
        if found.entity is None and (why := await phrase_problem(ctx, name, found.target.key)):
            return Reply.error(why)
    _, created = await ctx.store.add_subscription(cmd.chat, found.target, ctx.clock())
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
        return Reply.text(*lines)
    if not created:
        return Reply.text(f"You already watch {found.entity.name}.")
    return Reply.text(
        f"Watching {found.entity.name}. You will get an alert when a new event about it starts, "
        "or when a new, updated or disputed claim about it appears.",
        f"{cmd.usage('claims ' + name)} shows what has been claimed lately.",
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
    shown = sorted(subs, key=lambda s: s.target.name.casefold())
    for sub in shown:
        kind = "phrase" if sub.target.kind == "keyword" else "entity"
        paused = " (paused)" if sub.paused else ""
        lines.append(f"• {sub.target.name} — {kind}{paused}")
    reply = Reply.text(*lines)
    if cmd.start_links is None:
        return reply
    return Reply(reply.lines + share_lines(cmd.start_links, [s.target.name for s in shown]))


def share_lines(links: StartLinks, names: list[str]) -> tuple[Line, ...]:
    """Links that start watching each name elsewhere: in a private chat with the
    bot, or in a group the bot is added to. A name too long for a link has none."""
    out: list[Line] = []
    for name in names:
        payload = encode_payload("watch", name)
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
