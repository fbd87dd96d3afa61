"""Feeds and the feed entries already taken (the :class:`~storage.base.FeedStore`).

:meth:`Feeds.due_feeds` leases the feeds it returns by moving their next poll
ahead; on PostgreSQL it skips the rows another instance is leasing right now,
so two instances never poll the same feed at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.sources import Feed, FeedPoll
from storage.db import Db, Row, as_dt, marks, opt_dt

_COLUMNS = (
    "id, url, title, added_at, added_by, interval_seconds, etag, last_modified, next_poll,"
    " last_polled, last_ok, errors, last_error, entries"
)


def _feed(row: Row) -> Feed:
    return Feed(
        id=int(row["id"]),
        url=row["url"],
        title=row["title"],
        added=as_dt(row["added_at"]),
        added_by=row["added_by"],
        interval_seconds=row["interval_seconds"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_poll=as_dt(row["next_poll"]),
        last_polled=opt_dt(row["last_polled"]),
        last_ok=opt_dt(row["last_ok"]),
        errors=int(row["errors"]),
        last_error=row["last_error"],
        entries=int(row["entries"]),
    )


class Feeds:
    db: Db

    async def add_feed(
        self, url: str, now: datetime, added_by: str | None = None, title: str | None = None
    ) -> tuple[Feed, bool]:
        async with self.db.write() as tx:
            added = await tx.run(
                "INSERT INTO feeds (url, title, added_at, added_by, next_poll)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                url,
                title,
                now,
                added_by,
                now,
            )
            row = await tx.one(f"SELECT {_COLUMNS} FROM feeds WHERE url = ?", url)
        return _feed(row), added > 0

    async def remove_feed(self, url: str) -> bool:
        async with self.db.write() as tx:
            return await tx.run("DELETE FROM feeds WHERE url = ?", url) > 0

    async def list_feeds(self) -> list[Feed]:
        async with self.db.read() as tx:
            rows = await tx.all(f"SELECT {_COLUMNS} FROM feeds ORDER BY id")
        return [_feed(row) for row in rows]

    async def due_feeds(self, now: datetime, limit: int, lease_seconds: float) -> list[Feed]:
        if limit <= 0:
            return []
        async with self.db.write() as tx:
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM feeds WHERE next_poll <= ?"
                f" ORDER BY next_poll, id LIMIT ?{tx.dialect.skip_locked}",
                now,
                limit,
            )
            if rows:
                await tx.run(
                    f"UPDATE feeds SET next_poll = ? WHERE id IN ({marks(len(rows))})",
                    now + timedelta(seconds=lease_seconds),
                    *(row["id"] for row in rows),
                )
        return [_feed(row) for row in rows]

    async def record_poll(self, poll: FeedPoll) -> None:
        async with self.db.write() as tx:
            if poll.ok:
                await tx.run(
                    "UPDATE feeds SET next_poll = ?, last_polled = ?, last_ok = ?, errors = 0,"
                    " last_error = NULL, etag = COALESCE(?, etag),"
                    " last_modified = COALESCE(?, last_modified), title = COALESCE(?, title),"
                    " entries = entries + ? WHERE id = ?",
                    poll.next_poll,
                    poll.at,
                    poll.at,
                    poll.etag,
                    poll.last_modified,
                    poll.title,
                    poll.new_entries,
                    poll.feed_id,
                )
            else:
                await tx.run(
                    "UPDATE feeds SET next_poll = ?, last_polled = ?, errors = errors + 1,"
                    " last_error = ?, entries = entries + ? WHERE id = ?",
                    poll.next_poll,
                    poll.at,
                    poll.error,
                    poll.new_entries,
                    poll.feed_id,
                )

    async def schedule_feeds(self, at: datetime, url: str | None = None) -> int:
        async with self.db.write() as tx:
            if url is None:
                return await tx.run("UPDATE feeds SET next_poll = ?", at)
            return await tx.run("UPDATE feeds SET next_poll = ? WHERE url = ?", at, url)

    async def seen_entry(self, keys: Sequence[str]) -> bool:
        keys = [k for k in keys if k]
        if not keys:
            return False
        async with self.db.read() as tx:
            found = await tx.val(
                f"SELECT 1 FROM feed_entries WHERE key IN ({marks(len(keys))}) LIMIT 1", *keys
            )
        return found is not None

    async def mark_entry_seen(
        self, feed_id: int | None, keys: Sequence[str], now: datetime
    ) -> None:
        keys = [k for k in keys if k]
        if not keys:
            return
        async with self.db.write() as tx:
            await tx.many(
                "INSERT INTO feed_entries (key, feed_id, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO NOTHING",
                [(key, feed_id, now) for key in keys],
            )

    async def forget_entries(self, before: datetime) -> int:
        async with self.db.write() as tx:
            return await tx.run("DELETE FROM feed_entries WHERE seen_at < ?", before)
