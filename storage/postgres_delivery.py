"""The delivery part of the PostgreSQL store: pauses, held rows, digests, chat
settings. Mixed into :class:`storage.postgres.PostgresStore`; the same contract
as :mod:`storage.sqlite_delivery` (see :mod:`storage.base`)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.models import Alert, ChatRef, DeliveryPrefs, OutboxItem
from storage.base import OUTBOX_CHANNEL
from storage.codec import decode_alert, encode_alert


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _item(row: Any) -> OutboxItem:
    chat = ChatRef(row["platform"], row["chat_id"])
    return OutboxItem(
        id=int(row["id"]),
        alert=replace(decode_alert(row["payload"]), chat=chat),
        attempts=int(row["attempts"]),
        hold=row["hold"],
    )


async def insert_alerts(
    db: Any, alerts: Sequence[Alert], stamp: datetime, channel: str
) -> list[Alert]:
    """Queue alerts in the caller's transaction (a key already queued is skipped)
    and, when any was queued, notify ``channel`` as the transaction commits, so
    idle dispatchers of every instance wake at once. Returns the alerts queued."""
    queued: list[Alert] = []
    for alert in alerts:
        row_id = await db.fetchval(
            "INSERT INTO outbox (key, platform, chat_id, event_id, payload, status,"
            " attempts, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6)"
            " ON CONFLICT (key) DO NOTHING RETURNING id",
            alert.key,
            alert.chat.platform,
            alert.chat.chat_id,
            alert.event_id,
            encode_alert(alert),
            stamp,
        )
        if row_id is not None:
            queued.append(alert)
    if queued:
        await db.execute("SELECT pg_notify($1, $2)", channel, str(len(queued)))
    return queued


class PostgresDelivery:
    """Delivery methods of the :class:`~storage.base.Store` on PostgreSQL."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[Any]: ...

        def _read(self) -> AbstractAsyncContextManager[Any]: ...

        def _channel(self, channel: str) -> str: ...

    async def enqueue_alerts(self, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
        async with self._write() as db:
            return await insert_alerts(db, alerts, _utc(now), self._channel(OUTBOX_CHANNEL))

    async def defer_alert(
        self, item_id: int, at: datetime, reason: str, hold: str | None = None
    ) -> None:
        async with self._write() as db:
            await db.execute(
                "UPDATE outbox SET status = 'retry', next_attempt_at = $1, last_error = $2,"
                " lease_until = NULL, attempts = GREATEST(attempts - 1, 0),"
                " hold = COALESCE($3, hold) WHERE id = $4 AND status IN ('pending', 'retry')",
                _utc(at),
                reason,
                hold,
                item_id,
            )

    async def release_held(self, chat: ChatRef, now: datetime) -> int:
        async with self._write() as db:
            result: str = await db.execute(
                "UPDATE outbox SET next_attempt_at = $1 WHERE platform = $2 AND chat_id = $3"
                " AND status IN ('pending', 'retry') AND hold IS NOT NULL"
                " AND next_attempt_at > $1",
                _utc(now),
                chat.platform,
                chat.chat_id,
            )
        return int(result.split()[-1])

    async def hold_open_alerts(self, chat: ChatRef, hold: str, at: datetime) -> int:
        async with self._write() as db:
            result: str = await db.execute(
                "UPDATE outbox SET hold = $1, next_attempt_at = $2 WHERE platform = $3"
                " AND chat_id = $4 AND status IN ('pending', 'retry')"
                " AND (lease_until IS NULL OR lease_until <= $2)",
                hold,
                _utc(at),
                chat.platform,
                chat.chat_id,
            )
        return int(result.split()[-1])

    async def open_alerts(self, chat: ChatRef, limit: int) -> list[OutboxItem]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT id, platform, chat_id, payload, attempts, hold FROM outbox"
                " WHERE platform = $1 AND chat_id = $2 AND status IN ('pending', 'retry')"
                " ORDER BY id LIMIT $3",
                chat.platform,
                chat.chat_id,
                limit,
            )
        return [_item(row) for row in rows]

    async def open_alert_count(self, chat: ChatRef) -> int:
        async with self._read() as db:
            value = await db.fetchval(
                "SELECT COUNT(*) FROM outbox WHERE platform = $1 AND chat_id = $2"
                " AND status IN ('pending', 'retry')",
                chat.platform,
                chat.chat_id,
            )
        return int(value or 0)

    async def mark_sent_many(
        self, item_ids: Sequence[int], message_id: str | None, now: datetime
    ) -> None:
        async with self._write() as db:
            await db.execute(
                "UPDATE outbox SET status = 'sent', message_id = $1, sent_at = $2,"
                " lease_until = NULL, next_attempt_at = NULL WHERE id = ANY($3::bigint[])",
                message_id,
                _utc(now),
                list(item_ids),
            )

    async def messages_sent_since(self, chat: ChatRef, since: datetime) -> int:
        async with self._read() as db:
            value = await db.fetchval(
                "SELECT COUNT(DISTINCT COALESCE(message_id, 'row:' || id::text)) FROM outbox"
                " WHERE platform = $1 AND chat_id = $2 AND sent_at >= $3",
                chat.platform,
                chat.chat_id,
                _utc(since),
            )
        return int(value or 0)

    async def recent_sends(self, since: datetime) -> list[tuple[ChatRef, datetime]]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT platform, chat_id, MIN(sent_at) AS at FROM outbox"
                " WHERE status = 'sent' AND sent_at >= $1"
                " GROUP BY platform, chat_id, COALESCE(message_id, 'row:' || id::text)"
                " ORDER BY at",
                _utc(since),
            )
        return [(ChatRef(row["platform"], row["chat_id"]), _utc(row["at"])) for row in rows]

    async def pause_delivery(self, scope: str, until: datetime, reason: str) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO delivery_pauses (scope, until, reason) VALUES ($1, $2, $3)"
                " ON CONFLICT (scope) DO UPDATE SET"
                " until = GREATEST(delivery_pauses.until, excluded.until),"
                " reason = excluded.reason",
                scope,
                _utc(until),
                reason,
            )

    async def delivery_pauses(self, now: datetime) -> dict[str, datetime]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT scope, until FROM delivery_pauses WHERE until > $1", _utc(now)
            )
        return {row["scope"]: _utc(row["until"]) for row in rows}

    async def chat_delivery(self, chat: ChatRef) -> DeliveryPrefs:
        async with self._read() as db:
            row = await db.fetchrow(
                "SELECT digest_mode, digest_time, quiet_start, quiet_end, timezone FROM chats"
                " WHERE platform = $1 AND chat_id = $2",
                chat.platform,
                chat.chat_id,
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
                " quiet_end, timezone) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT (platform, chat_id) DO UPDATE SET"
                " digest_mode = excluded.digest_mode, digest_time = excluded.digest_time,"
                " quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,"
                " timezone = excluded.timezone",
                chat.platform,
                chat.chat_id,
                prefs.digest,
                prefs.digest_time,
                prefs.quiet_start,
                prefs.quiet_end,
                prefs.timezone,
            )
