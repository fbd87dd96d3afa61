"""The delivery part of the SQLite store: pauses, held rows, digests, chat settings.

A mixin of :class:`storage.sqlite.SqliteStore`, kept in its own module; it uses
the store's transactions (``_write``/``_read``) and nothing else of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.models import Alert, ChatRef, DeliveryPrefs, OutboxItem
from storage.codec import decode_alert, encode_alert


def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def _all(db: aiosqlite.Connection, sql: str, params: Any = ()) -> list[sqlite3.Row]:
    async with db.execute(sql, params) as cur:
        return list(await cur.fetchall())


async def _one(db: aiosqlite.Connection, sql: str, params: Any = ()) -> sqlite3.Row | None:
    async with db.execute(sql, params) as cur:
        row: sqlite3.Row | None = await cur.fetchone()
        return row


async def _run(db: aiosqlite.Connection, sql: str, params: Any = ()) -> int:
    async with db.execute(sql, params) as cur:
        return int(cur.rowcount)


def _item(row: sqlite3.Row) -> OutboxItem:
    chat = ChatRef(row["platform"], row["chat_id"])
    return OutboxItem(
        id=int(row["id"]),
        alert=replace(decode_alert(row["payload"]), chat=chat),
        attempts=int(row["attempts"]),
        hold=row["hold"],
    )


async def insert_alerts(
    db: aiosqlite.Connection, alerts: Sequence[Alert], stamp: str
) -> list[Alert]:
    """Queue alerts in the caller's transaction; a key already queued is skipped.
    Returns the alerts actually queued."""
    queued: list[Alert] = []
    for alert in alerts:
        changed = await _run(
            db,
            "INSERT OR IGNORE INTO outbox (key, platform, chat_id, event_id, payload,"
            " status, attempts, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)",
            (
                alert.key,
                alert.chat.platform,
                alert.chat.chat_id,
                alert.event_id,
                encode_alert(alert),
                stamp,
            ),
        )
        if changed:
            queued.append(alert)
    return queued


class SqliteDelivery:
    """Delivery methods of the :class:`~storage.base.Store` on SQLite."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

        def _read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

    async def enqueue_alerts(self, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
        async with self._write() as db:
            return await insert_alerts(db, alerts, _ts(now))

    async def defer_alert(
        self, item_id: int, at: datetime, reason: str, hold: str | None = None
    ) -> None:
        async with self._write() as db:
            await db.execute(
                "UPDATE outbox SET status = 'retry', next_attempt_at = ?, last_error = ?,"
                " lease_until = NULL, attempts = MAX(attempts - 1, 0),"
                " hold = COALESCE(?, hold) WHERE id = ? AND status IN ('pending', 'retry')",
                (_ts(at), reason, hold, item_id),
            )

    async def release_held(self, chat: ChatRef, now: datetime) -> int:
        async with self._write() as db:
            return await _run(
                db,
                "UPDATE outbox SET next_attempt_at = ? WHERE platform = ? AND chat_id = ?"
                " AND status IN ('pending', 'retry') AND hold IS NOT NULL"
                " AND next_attempt_at > ?",
                (_ts(now), chat.platform, chat.chat_id, _ts(now)),
            )

    async def hold_open_alerts(self, chat: ChatRef, hold: str, at: datetime) -> int:
        async with self._write() as db:
            return await _run(
                db,
                "UPDATE outbox SET hold = ?, next_attempt_at = ? WHERE platform = ?"
                " AND chat_id = ? AND status IN ('pending', 'retry')"
                " AND (lease_until IS NULL OR lease_until <= ?)",
                (hold, _ts(at), chat.platform, chat.chat_id, _ts(at)),
            )

    async def open_alerts(self, chat: ChatRef, limit: int) -> list[OutboxItem]:
        async with self._read() as db:
            rows = await _all(
                db,
                "SELECT id, platform, chat_id, payload, attempts, hold FROM outbox"
                " WHERE platform = ? AND chat_id = ? AND status IN ('pending', 'retry')"
                " ORDER BY id LIMIT ?",
                (chat.platform, chat.chat_id, limit),
            )
        return [_item(row) for row in rows]

    async def open_alert_count(self, chat: ChatRef) -> int:
        async with self._read() as db:
            row = await _one(
                db,
                "SELECT COUNT(*) FROM outbox WHERE platform = ? AND chat_id = ?"
                " AND status IN ('pending', 'retry')",
                (chat.platform, chat.chat_id),
            )
        return 0 if row is None else int(row[0])

    async def mark_sent_many(
        self, item_ids: Sequence[int], message_id: str | None, now: datetime
    ) -> None:
        async with self._write() as db:
            await db.executemany(
                "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?,"
                " lease_until = NULL, next_attempt_at = NULL WHERE id = ?",
                [(message_id, _ts(now), item_id) for item_id in item_ids],
            )

    async def messages_sent_since(self, chat: ChatRef, since: datetime) -> int:
        async with self._read() as db:
            row = await _one(
                db,
                "SELECT COUNT(DISTINCT COALESCE(message_id, 'row:' || id)) FROM outbox"
                " WHERE platform = ? AND chat_id = ? AND sent_at >= ?",
                (chat.platform, chat.chat_id, _ts(since)),
            )
        return 0 if row is None else int(row[0])

    async def recent_sends(self, since: datetime) -> list[tuple[ChatRef, datetime]]:
        async with self._read() as db:
            rows = await _all(
                db,
                "SELECT platform, chat_id, MIN(sent_at) AS at FROM outbox"
                " WHERE status = 'sent' AND sent_at >= ?"
                " GROUP BY platform, chat_id, COALESCE(message_id, 'row:' || id) ORDER BY at",
                (_ts(since),),
            )
        return [(ChatRef(row["platform"], row["chat_id"]), _dt(row["at"])) for row in rows]

    async def pause_delivery(self, scope: str, until: datetime, reason: str) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO delivery_pauses (scope, until, reason) VALUES (?, ?, ?)"
                " ON CONFLICT(scope) DO UPDATE SET until = MAX(until, excluded.until),"
                " reason = excluded.reason",
                (scope, _ts(until), reason),
            )

    async def delivery_pauses(self, now: datetime) -> dict[str, datetime]:
        async with self._write() as db:
            await db.execute("DELETE FROM delivery_pauses WHERE until <= ?", (_ts(now),))
            rows = await _all(db, "SELECT scope, until FROM delivery_pauses")
        return {row["scope"]: _dt(row["until"]) for row in rows}

    async def chat_delivery(self, chat: ChatRef) -> DeliveryPrefs:
        async with self._read() as db:
            row = await _one(
                db,
                "SELECT digest_mode, digest_time, quiet_start, quiet_end, timezone FROM chats"
                " WHERE platform = ? AND chat_id = ?",
                (chat.platform, chat.chat_id),
            )
        if row is None:
            return DeliveryPrefs()
        return DeliveryPrefs(
            digest=row["digest_mode"],
            digest_time=row["digest_time"],
            quiet_start=row["quiet_start"],
            quiet_end=row["quiet_end"],
            timezone=row["timezone"],
        )

    async def set_chat_delivery(self, chat: ChatRef, prefs: DeliveryPrefs) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO chats (platform, chat_id, digest_mode, digest_time, quiet_start,"
                " quiet_end, timezone) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(platform, chat_id) DO UPDATE SET digest_mode = excluded.digest_mode,"
                " digest_time = excluded.digest_time, quiet_start = excluded.quiet_start,"
                " quiet_end = excluded.quiet_end, timezone = excluded.timezone",
                (
                    chat.platform,
                    chat.chat_id,
                    prefs.digest,
                    prefs.digest_time,
                    prefs.quiet_start,
                    prefs.quiet_end,
                    prefs.timezone,
                ),
            )
