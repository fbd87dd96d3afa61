"""/feeds, /feeds add URL, /feeds remove URL — for the bot's operators
(``ADMIN_USER_IDS``); the router refuses everyone else."""

from __future__ import annotations

from bot.errors import InputError, PermanentError
from bot.ingest.feeds import check_feed_address, feed_line
from bot.models import Command, Reply
from handlers.base import Context, parse_count

MAX_LISTED = 50


def is_operator(cmd: Command, ctx: Context) -> bool:
    """Whether the user is named in ``ADMIN_USER_IDS`` (as ``platform:user_id``)."""
    return f"{cmd.platform}:{cmd.user_id}".casefold() in ctx.settings.operators


async def feeds(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if not args or args[0].casefold() in {"list", "ls"}:
        return await _list(cmd, ctx)
    action, rest = args[0].casefold(), args[1:]
    if action in {"add", "remove", "rm", "del", "delete"} and len(rest) != 1:
        return Reply.error(
            f"Give one feed URL, e.g. {cmd.usage('feeds add https://example.org/rss')}"
        )
    if action == "add":
        try:
            url = await check_feed_address(rest[0], ctx.settings)
        except (InputError, PermanentError) as exc:
            return Reply.error(str(exc))
        feed, new = await ctx.store.add_feed(
            url, ctx.clock(), added_by=f"{cmd.platform}:{cmd.user_id}"
        )
        if not new:
            return Reply.text(f"Already polling {feed.url} ({feed.status}).")
        return Reply.text(
            f"Added {feed.url}. Its first poll is due now; {cmd.usage('feeds')} shows how it went."
        )
    if action in {"remove", "rm", "del", "delete"}:
        target = rest[0].strip().strip("<>")
        known = await ctx.store.list_feeds()
        match = next(
            (f for f in known if f.url == target or f.id == parse_count(target.lstrip("#"))),
            None,
        )
        if match is None or not await ctx.store.remove_feed(match.url):
            return Reply.error(f"No feed {target}. {cmd.usage('feeds')} lists them.")
        return Reply.text(f"Removed {match.url}; it is not polled any more.")
    return Reply.error(
        f"Use {cmd.usage('feeds')}, {cmd.usage('feeds add URL')} "
        f"or {cmd.usage('feeds remove URL')}."
    )


async def _list(cmd: Command, ctx: Context) -> Reply:
    known = await ctx.store.list_feeds()
    if not known:
        return Reply.text(f"No feeds yet. Add one with {cmd.usage('feeds add URL')}.")
    now = ctx.clock()
    failing = sum(1 for f in known if f.status == "failing")
    head = f"{len(known)} feed(s)" + (f", {failing} failing:" if failing else ":")
    lines = [head] + [f"#{f.id} {feed_line(f, now)}" for f in known[:MAX_LISTED]]
    if len(known) > MAX_LISTED:
        lines.append(f"… and {len(known) - MAX_LISTED} more (claimwatch feeds list shows all).")
    return Reply.text(*lines)
