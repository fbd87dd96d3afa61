"""Feeds and seen feed entries on PostgreSQL: mixed into
:class:`storage.postgres.PostgresStore`. :meth:`PostgresFeeds.due_feeds`
claims feeds with ``FOR UPDATE SKIP LOCKED``, so two instances never poll the
same feed at once."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.sources import Feed, FeedPoll

_FEED_COLUMNS = (
    "id, url, title, added_at, added_by, interval_seconds, etag, last_modified, next_poll,"
    " last_polled, last_ok, errors, last_error, entries"
)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _opt(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


def _feed(row: Any) -> Feed:
    return Feed(
        id=int(row["id"]),
        url=row["url"],
        title=row["title"],
        added=_utc(row["added_at"]),
        added_by=row["added_by"],
        interval_seconds=row["interval_seconds"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_poll=_utc(row["next_poll"]),
        last_polled=_opt(row["last_polled"]),
        last_ok=_opt(row["last_ok"]),
        errors=int(row["errors"]),
        last_error=row["last_error"],
        entries=int(row["entries"]),
    )


class PostgresFeeds:
    """The feed part of the Store protocol (see :mod:`storage.base`)."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[Any]: ...

        def _read(self) -> AbstractAsyncContextManager[Any]: ...

    async def add_feed(
        self,
        url: str,
        now: datetime,
        added_by: str | None = None,
        title: str | None = None,
    ) -> tuple[Feed, bool]:
        async with self._write() as db:
            new_id = await db.fetchval(
                "INSERT INTO feeds (url, title, added_at, added_by, next_poll)"
                " VALUES ($1, $2, $3, $4, $3) ON CONFLICT (url) DO NOTHING RETURNING id",
                url,
                title,
                _utc(now),
                added_by,
            )
            row = await db.fetchrow(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = $1", url)
        return _feed(row), new_id is not None

    async def remove_feed(self, url: str) -> bool:
        async with self._write() as db:
            gone = await db.fetchval("DELETE FROM feeds WHERE url = $1 RETURNING id", url)
        return gone is not None

    async def feed_by_url(self, url: str) -> Feed | None:
        async with self._read() as db:
            row = await db.fetchrow(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = $1", url)
        return None if row is None else _feed(row)

    async def list_feeds(self) -> list[Feed]:
        async with self._read() as db:
            rows = await db.fetch(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")
        return [_feed(row) for row in rows]

    async def due_feeds(self, now: datetime, limit: int, lease_seconds: float) -> list[Feed]:
        if limit <= 0:
            return []
        async with self._write() as db:
            rows = await db.fetch(
                "WITH picked AS ("
                "  SELECT id FROM feeds WHERE next_poll <= $1"
                "  ORDER BY next_poll, id LIMIT $2 FOR UPDATE SKIP LOCKED)"
                " UPDATE feeds f SET next_poll = $3 FROM picked WHERE f.id = picked.id"
                " RETURNING f.id, f.url, f.title, f.added_at, f.added_by, f.interval_seconds,"
                " f.etag, f.last_modified, $1::timestamptz AS next_poll, f.last_polled,"
                " f.last_ok, f.errors, f.last_error, f.entries",
                _utc(now),
                limit,
                _utc(now) + timedelta(seconds=lease_seconds),
            )
        return sorted((_feed(row) for row in rows), key=lambda f: f.id)

    async def record_poll(self, poll: FeedPoll) -> None:
        async with self._write() as db:
            if poll.ok:
                await db.execute(
                    "UPDATE feeds SET next_poll = $1, last_polled = $2, last_ok = $2, errors = 0,"
                    " last_error = NULL, etag = COALESCE($3, etag),"
                    " last_modified = COALESCE($4, last_modified), title = COALESCE($5, title),"
                    " entries = entries + $6 WHERE id = $7",
                    _utc(poll.next_poll),
                    _utc(poll.at),
                    poll.etag,
                    poll.last_modified,
                    poll.title,
                    poll.new_entries,
                    poll.feed_id,
                )
            else:
                await db.execute(
                    "UPDATE feeds SET next_poll = $1, last_polled = $2, errors = errors + 1,"
                    " last_error = $3, entries = entries + $4 WHERE id = $5",
                    _utc(poll.next_poll),
                    _utc(poll.at),
                    poll.error,
                    poll.new_entries,
                    poll.feed_id,
                )

    async def schedule_feeds(self, at: datetime, url: str | None = None) -> int:
        async with self._write() as db:
            if url is None:
                status = await db.execute("UPDATE feeds SET next_poll = $1", _utc(at))
            else:
                status = await db.execute(
                    "UPDATE feeds SET next_poll = $1 WHERE url = $2", _utc(at), url
                )
        return int(str(status).rsplit(" ", 1)[-1])

    async def seen_entry(self, keys: Sequence[str]) -> bool:
        keys = [k for k in keys if k]
        if not keys:
            return False
        async with self._read() as db:
            found = await db.fetchval(
                "SELECT 1 FROM feed_entries WHERE key = ANY($1::text[]) LIMIT 1", keys
            )
        return found is not None

    async def mark_entry_seen(
        self, feed_id: int | None, keys: Sequence[str], now: datetime
    ) -> None:
        keys = [k for k in keys if k]
        if not keys:
            return
        async with self._write() as db:
            await db.executemany(
                "INSERT INTO feed_entries (key, feed_id, seen_at) VALUES ($1, $2, $3)"
                " ON CONFLICT (key) DO NOTHING",
                [(key, feed_id, _utc(now)) for key in keys],
            )

    async def forget_entries(self, before: datetime) -> int:
        async with self._write() as db:
            status = await db.execute("DELETE FROM feed_entries WHERE seen_at < $1", _utc(before))
        return int(str(status).rsplit(" ", 1)[-1])
