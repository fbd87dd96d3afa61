"""Feeds and seen feed entries on SQLite: mixed into :class:`storage.sqlite.SqliteStore`."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import aiosqlite

from bot.sources import Feed, FeedPoll

_FEED_COLUMNS = (
    "id, url, title, added_at, added_by, interval_seconds, etag, last_modified, next_poll,"
    " last_polled, last_ok, errors, last_error, entries"
)


def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _feed(row: sqlite3.Row) -> Feed:
    added = _dt(row["added_at"])
    next_poll = _dt(row["next_poll"])
    assert added is not None and next_poll is not None
    return Feed(
        id=int(row["id"]),
        url=row["url"],
        title=row["title"],
        added=added,
        added_by=row["added_by"],
        interval_seconds=row["interval_seconds"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        next_poll=next_poll,
        last_polled=_dt(row["last_polled"]),
        last_ok=_dt(row["last_ok"]),
        errors=int(row["errors"]),
        last_error=row["last_error"],
        entries=int(row["entries"]),
    )


class SqliteFeeds:
    """The feed part of the Store protocol (see :mod:`storage.base`)."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

        def _read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

    async def add_feed(
        self,
        url: str,
        now: datetime,
        added_by: str | None = None,
        title: str | None = None,
    ) -> tuple[Feed, bool]:
        async with self._write() as db:
            async with db.execute(
                "INSERT INTO feeds (url, title, added_at, added_by, next_poll)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO NOTHING",
                (url, title, _ts(now), added_by, _ts(now)),
            ) as cur:
                added = cur.rowcount > 0
            async with db.execute(
                f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ?", (url,)
            ) as cur:
                row = await cur.fetchone()
        assert row is not None
        return _feed(row), added

    async def remove_feed(self, url: str) -> bool:
        async with (
            self._write() as db,
            db.execute("DELETE FROM feeds WHERE url = ?", (url,)) as cur,
        ):
            return cur.rowcount > 0

    async def feed_by_url(self, url: str) -> Feed | None:
        async with (
            self._read() as db,
            db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ?", (url,)) as cur,
        ):
            row = await cur.fetchone()
        return None if row is None else _feed(row)

    async def list_feeds(self) -> list[Feed]:
        async with (
            self._read() as db,
            db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id") as cur,
        ):
            rows = await cur.fetchall()
        return [_feed(row) for row in rows]

    async def due_feeds(self, now: datetime, limit: int, lease_seconds: float) -> list[Feed]:
        if limit <= 0:
            return []
        lease = _ts(now + timedelta(seconds=lease_seconds))
        async with self._write() as db:
            async with db.execute(
                f"SELECT {_FEED_COLUMNS} FROM feeds WHERE next_poll <= ?"
                " ORDER BY next_poll, id LIMIT ?",
                (_ts(now), limit),
            ) as cur:
                rows = list(await cur.fetchall())
            if rows:
                marks = ",".join("?" * len(rows))
                await db.execute(
                    f"UPDATE feeds SET next_poll = ? WHERE id IN ({marks})",
                    (lease, *(row["id"] for row in rows)),
                )
        return [_feed(row) for row in rows]

    async def record_poll(self, poll: FeedPoll) -> None:
        async with self._write() as db:
            if poll.ok:
                await db.execute(
                    "UPDATE feeds SET next_poll = ?, last_polled = ?, last_ok = ?, errors = 0,"
                    " last_error = NULL, etag = COALESCE(?, etag),"
                    " last_modified = COALESCE(?, last_modified), title = COALESCE(?, title),"
                    " entries = entries + ? WHERE id = ?",
                    (
                        _ts(poll.next_poll),
                        _ts(poll.at),
                        _ts(poll.at),
                        poll.etag,
                        poll.last_modified,
                        poll.title,
                        poll.new_entries,
                        poll.feed_id,
                    ),
                )
            else:
                await db.execute(
                    "UPDATE feeds SET next_poll = ?, last_polled = ?, errors = errors + 1,"
                    " last_error = ?, entries = entries + ? WHERE id = ?",
                    (
                        _ts(poll.next_poll),
                        _ts(poll.at),
                        poll.error,
                        poll.new_entries,
                        poll.feed_id,
                    ),
                )

    async def schedule_feeds(self, at: datetime, url: str | None = None) -> int:
        async with self._write() as db:
            sql = "UPDATE feeds SET next_poll = ?"
            params: tuple[str, ...] = (_ts(at),)
            if url is not None:
                sql, params = sql + " WHERE url = ?", (_ts(at), url)
            async with db.execute(sql, params) as cur:
                return int(cur.rowcount)

    async def seen_entry(self, keys: Sequence[str]) -> bool:
        keys = [k for k in keys if k]
        if not keys:
            return False
        marks = ",".join("?" * len(keys))
        async with (
            self._read() as db,
            db.execute(
                f"SELECT 1 FROM feed_entries WHERE key IN ({marks}) LIMIT 1", tuple(keys)
            ) as cur,
        ):
            return await cur.fetchone() is not None

    async def mark_entry_seen(
        self, feed_id: int | None, keys: Sequence[str], now: datetime
    ) -> None:
        keys = [k for k in keys if k]
        if not keys:
            return
        async with self._write() as db:
            await db.executemany(
                "INSERT INTO feed_entries (key, feed_id, seen_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO NOTHING",
                [(key, feed_id, _ts(now)) for key in keys],
            )

    async def forget_entries(self, before: datetime) -> int:
        async with (
            self._write() as db,
            db.execute("DELETE FROM feed_entries WHERE seen_at < ?", (_ts(before),)) as cur,
        ):
            return int(cur.rowcount)
