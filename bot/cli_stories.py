"""``claimwatch stories failed|retry``: the stories whose analysis failed, and
putting them back in the queue once the cause is fixed (an upgrade, a model
that loads again). A quarantined story is never retried on its own."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings
from bot.errors import InputError
from bot.runtime import Services

#: How many failed stories ``stories failed`` lists at most.
LIST_LIMIT = 200


def add_stories_parser(sub: Any) -> None:
    s = sub.add_parser("stories", help="stories whose analysis failed: list them, retry them")
    sa = s.add_subparsers(dest="stories_action", required=True, metavar="ACTION")
    sa.add_parser("failed", help="list failed and quarantined stories with their last error")
    r = sa.add_parser("retry", help="analyse failed stories again, from a clean slate")
    r.add_argument("ids", nargs="*", type=int, metavar="ID", help="story ids (see `failed`)")
    r.add_argument(
        "--quarantined", action="store_true", help="every quarantined story instead of IDs"
    )


async def cmd_stories(settings: Settings, args: argparse.Namespace) -> int:
    if args.stories_action == "retry" and bool(args.ids) == bool(args.quarantined):
        raise InputError("stories retry needs story IDs or --quarantined (not both)")
    services = await Services.open(settings)
    try:
        if args.stories_action == "failed":
            return await _list(services)
        return await _retry(services, list(args.ids) if args.ids else None)
    finally:
        await services.close()


async def _list(services: Services) -> int:
    records = await services.store.failed_stories(LIST_LIMIT + 1)
    if not records:
        print("no failed stories")
        return 0
    for record in records[:LIST_LIMIT]:
        extra = record.extra
        when = extra.get("quarantined_at") or f"retry at {extra.get('retry_at', '?')}"
        state = "quarantined " + when if record.status == "quarantined" else when
        print(
            f"{record.id}\t{record.status}\tattempts {extra.get('attempts', '0')}\t{state}\t"
            f"{record.story.source}\t{extra.get('failure', '')}"
        )
    if len(records) > LIST_LIMIT:
        print(f"… and more: only the first {LIST_LIMIT} are listed")
    return 0


async def _retry(services: Services, ids: list[int] | None) -> int:
    retried = await services.store.retry_stories(ids)
    missing = sorted(set(ids or ()) - set(retried))
    for story_id in missing:
        print(f"claimwatch: story {story_id} has not failed (or does not exist)")
    print(
        f"{len(retried)} stories queued again for analysis"
        + (f": {', '.join(map(str, retried))}" if retried else "")
        + " (a running service takes them within seconds; or run `claimwatch work`)"
    )
    return 1 if missing else 0
