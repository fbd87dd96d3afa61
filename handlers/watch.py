"""/watch, /unwatch, /watching."""

from __future__ import annotations

from bot.models import Command, Reply
from handlers.base import Context, did_you_mean, resolve


async def watch(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if not args:
        return Reply.error(f"Tell me what to watch, e.g. {cmd.usage('watch china')}")
    name = " ".join(args)
    found = await resolve(ctx, name)
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
    for sub in sorted(subs, key=lambda s: s.target.name.casefold()):
        kind = "phrase" if sub.target.kind == "keyword" else "entity"
        paused = " (paused)" if sub.paused else ""
        lines.append(f"• {sub.target.name} — {kind}{paused}")
    return Reply.text(*lines)
