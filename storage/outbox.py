"""The outbox: queued alerts, their leases and outcomes, rate-limit pauses,
held rows and digests, and each chat's delivery settings (the
:class:`~storage.base.OutboxStore`).

:meth:`Outbox.claim_due_alerts` leases the oldest open row of each chat. On
PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``: an instance
leasing at the same moment skips them, and after our commit it sees our
lease; on SQLite the write transaction holds the file's write lock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.models import Alert, ChatRef, DeliveryPrefs, OutboxItem
from storage.base import OUTBOX_CHANNEL
from storage.codec import decode_alert, encode_alert
from storage.db import Db, Row, Tx, as_dt, marks

OUTBOX_STATUSES = ("pending", "sent", "retry", "undeliverable")

_OPEN = "status IN ('pending', 'retry')"
#: not an outlet update (a story of repeats only, held as ``outlets``)
_NOT_OUTLETS = "COALESCE(hold, '') <> 'outlets'"
#: the row went out as something (an outlet update whose edit was impossible did not)
_SENT_SOMETHING = "COALESCE(sent_as, '') <> 'skipped'"


def _item(row: Row, reply_to: str | None = None) -> OutboxItem:
    chat = ChatRef(row["platform"], row["chat_id"])
    return OutboxItem(
        id=int(row["id"]),
        alert=replace(decode_alert(row["payload"]), chat=chat),
        attempts=int(row["attempts"]),
        reply_to=reply_to,
        hold=row["hold"],
    )


async def insert_alerts(tx: Tx, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
    """Queue alerts in the caller's transaction (a key already queued is skipped)
    and, when any was queued, notify the listening instances as the transaction
    commits, so idle dispatchers wake at once. Returns the alerts queued."""
    queued: list[Alert] = []
    for alert in alerts:
        if alert.outlets_only:
            if await _outlet_update(tx, alert, now):
                queued.append(alert)
            continue
        added = await tx.run(
            "INSERT INTO outbox (key, platform, chat_id, event_id, payload, status,"
            " attempts, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)"
            " ON CONFLICT (key) DO NOTHING",
            alert.key,
            alert.chat.platform,
            alert.chat.chat_id,
            alert.event_id,
            encode_alert(alert),
            now,
        )
        if added:
            queued.append(alert)
    if queued:
        await tx.notify(OUTBOX_CHANNEL, str(len(queued)))
    return queued


async def _outlet_update(tx: Tx, alert: Alert, now: datetime) -> bool:
    """Queue an outlet update (a story of repeats only) for a chat that has the
    event's first alert (queued or sent). At most one waits per chat and event:
    a later one folds its links and count into the waiting row unless a sender
    holds that row. The row is held as ``outlets``, never part of a digest."""
    chat, event_id = alert.chat, alert.event_id
    first = await tx.val(
        "SELECT MIN(id) FROM outbox WHERE platform = ? AND chat_id = ? AND event_id = ?"
        f" AND status <> 'undeliverable' AND {_NOT_OUTLETS}",
        chat.platform,
        chat.chat_id,
        event_id,
    )
    if first is None:
        return False  # nothing in this chat to update
    waiting = await tx.one(
        "SELECT id, payload FROM outbox WHERE platform = ? AND chat_id = ? AND event_id = ?"
        f" AND hold = 'outlets' AND {_OPEN} AND (lease_until IS NULL OR lease_until <= ?)"
        " ORDER BY id LIMIT 1",
        chat.platform,
        chat.chat_id,
        event_id,
        now,
    )
    if waiting is not None:
        held = decode_alert(waiting["payload"])
        urls = {link.url for link in held.links}
        merged = replace(
            held,
            links=(*held.links, *(link for link in alert.links if link.url not in urls)),
            outlets=max(held.outlets, alert.outlets),
        )
        await tx.run(
            "UPDATE outbox SET payload = ? WHERE id = ?", encode_alert(merged), waiting["id"]
        )
        return True
    return bool(
        await tx.run(
            "INSERT INTO outbox (key, platform, chat_id, event_id, payload, status,"
            " attempts, created_at, next_attempt_at, hold)"
            " VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, 'outlets') ON CONFLICT (key) DO NOTHING",
            alert.key,
            chat.platform,
            chat.chat_id,
            event_id,
            encode_alert(alert),
            now,
            now,
        )
    )


class Outbox:
    db: Db
    instance_id: str  # the owner its leases carry
    _platforms: frozenset[str] | None = None

    def set_delivery_platforms(self, platforms: Collection[str] | None) -> None:
        """Lease only alerts for these platforms from now on (None: every platform).

        An instance that cannot send to a platform (its adapter runs elsewhere)
        leaves that platform's alerts to the instances that can."""
        self._platforms = None if platforms is None else frozenset(platforms)

    async def enqueue_alerts(self, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
        async with self.db.write() as tx:
            return await insert_alerts(tx, alerts, now)

    async def claim_due_alerts(
        self, now: datetime, limit: int, lease_seconds: float
    ) -> list[OutboxItem]:
        """Lease the next alert of up to ``limit`` chats.

        Per chat only its oldest undelivered row is considered, so alerts reach a
        chat in the order they were queued: while that row waits for its retry
        time, or is leased to a sender, nothing newer goes to the chat."""
        if limit <= 0:
            return []
        platforms = sorted(self._platforms) if self._platforms is not None else None
        only = "" if platforms is None else f" AND o.platform IN ({marks(len(platforms))})"
        async with self.db.write() as tx:
            rows = await tx.all(
                "SELECT o.id, o.platform, o.chat_id, o.event_id, o.payload, o.attempts, o.hold"
                f" FROM outbox o WHERE o.id IN (SELECT MIN(id) FROM outbox WHERE {_OPEN}"
                # an outlet update waiting for its interval does not hold up the chat
                f"  AND ({_NOT_OUTLETS} OR next_attempt_at <= ?)"
                f"  GROUP BY platform, chat_id) AND o.{_OPEN}{only}"
                " AND (o.lease_until IS NULL OR o.lease_until <= ?)"
                " AND (o.status = 'pending' OR o.next_attempt_at IS NULL"
                "  OR o.next_attempt_at <= ?)"
                " AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.platform = o.platform"
                "  AND c.chat_id = o.chat_id"
                "  AND (c.paused OR (c.muted_until IS NOT NULL AND c.muted_until > ?)))"
                " AND NOT EXISTS (SELECT 1 FROM delivery_pauses p WHERE p.until > ?"
                "  AND p.scope IN (o.platform, o.platform || ':' || o.chat_id))"
                f" ORDER BY o.id LIMIT ?{tx.dialect.skip_locked}",
                now,
                *(platforms or ()),
                now,
                now,
                now,
                now,
                limit,
            )
            if not rows:
                return []
            ids = [row["id"] for row in rows]
            await tx.run(
                "UPDATE outbox SET lease_until = ?, lease_owner = ?, attempts = attempts + 1"
                f" WHERE id IN ({marks(len(ids))})",
                now + timedelta(seconds=lease_seconds),
                self.instance_id,
                *ids,
            )
            keys = {(row["platform"], row["chat_id"], row["event_id"]) for row in rows}
            found = await tx.all(
                "SELECT platform, chat_id, event_id, message_id, sent_as FROM outbox"
                " WHERE status = 'sent' AND message_id IS NOT NULL"
                " AND (platform, chat_id, event_id) IN"
                f" (VALUES {', '.join(['(?, ?, ?)'] * len(keys))}) ORDER BY sent_at, id",
                *(value for key in sorted(keys) for value in key),
            )
        firsts: dict[tuple[str, str, str], tuple[str, bool]] = {}
        for f in found:
            key = (f["platform"], f["chat_id"], f["event_id"])
            if key not in firsts:
                firsts[key] = (f["message_id"], f["sent_as"] == "message")
            elif f["sent_as"] in ("quiet", "unedited"):  # an edit of the first failed
                firsts[key] = (firsts[key][0], False)
        out: list[OutboxItem] = []
        for row in rows:
            first, editable = firsts.get(
                (row["platform"], row["chat_id"], row["event_id"]), (None, False)
            )
            out.append(
                replace(
                    _item(row, first),
                    attempts=int(row["attempts"]) + 1,
                    first_editable=editable,
                )
            )
        return out

    async def event_alerts(self, chat: ChatRef, event_id: str) -> list[tuple[Alert, str | None]]:
        """The alerts of an event sent to ``chat``, the first first, each with how
        it was sent: what its living summary is made of."""
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT payload, sent_as FROM outbox WHERE platform = ? AND chat_id = ?"
                " AND event_id = ? AND status = 'sent' ORDER BY sent_at, id",
                chat.platform,
                chat.chat_id,
                event_id,
            )
        return [(replace(decode_alert(row["payload"]), chat=chat), row["sent_as"]) for row in rows]

    async def mark_sent(
        self, item_id: int, message_id: str | None, now: datetime, sent_as: str = "message"
    ) -> None:
        await self.mark_sent_many([item_id], message_id, now, sent_as)

    async def mark_sent_many(
        self,
        item_ids: Sequence[int],
        message_id: str | None,
        now: datetime,
        sent_as: str = "digest",
    ) -> None:
        """Mark rows sent together (a digest) in one transaction."""
        if not item_ids:
            return
        async with self.db.write() as tx:
            await tx.run(
                "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, sent_as = ?,"
                f" lease_until = NULL, next_attempt_at = NULL WHERE id IN ({marks(len(item_ids))})",
                message_id,
                now,
                sent_as,
                *item_ids,
            )

    async def mark_retry(self, item_id: int, at: datetime, error: str) -> None:
        async with self.db.write() as tx:
            await tx.run(
                "UPDATE outbox SET status = 'retry', next_attempt_at = ?, last_error = ?,"
                f" lease_until = NULL WHERE id = ? AND {_OPEN}",
                at,
                error,
                item_id,
            )

    async def mark_undeliverable(self, item_id: int, reason: str, now: datetime) -> None:
        async with self.db.write() as tx:
            await tx.run(
                "UPDATE outbox SET status = 'undeliverable', last_error = ?, failed_at = ?,"
                " lease_until = NULL, next_attempt_at = NULL WHERE id = ?",
                reason,
                now,
                item_id,
            )

    async def defer_alert(
        self, item_id: int, at: datetime, reason: str, hold: str | None = None
    ) -> None:
        async with self.db.write() as tx:
            await tx.run(
                "UPDATE outbox SET status = 'retry', next_attempt_at = ?, last_error = ?,"
                " lease_until = NULL,"
                " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
                f" hold = COALESCE(?, hold) WHERE id = ? AND {_OPEN}",
                at,
                reason,
                hold,
                item_id,
            )

    async def release_held(self, chat: ChatRef, now: datetime) -> int:
        async with self.db.write() as tx:
            return await tx.run(
                "UPDATE outbox SET next_attempt_at = ? WHERE platform = ? AND chat_id = ?"
                f" AND {_OPEN} AND hold IS NOT NULL AND next_attempt_at > ?",
                now,
                chat.platform,
                chat.chat_id,
                now,
            )

    async def hold_open_alerts(self, chat: ChatRef, hold: str, at: datetime) -> int:
        async with self.db.write() as tx:
            return await tx.run(
                "UPDATE outbox SET hold = ?, next_attempt_at = ? WHERE platform = ?"
                f" AND chat_id = ? AND {_OPEN} AND (lease_until IS NULL OR lease_until <= ?)"
                f" AND {_NOT_OUTLETS}",
                hold,
                at,
                chat.platform,
                chat.chat_id,
                at,
            )

    async def open_alerts(self, chat: ChatRef, limit: int) -> list[OutboxItem]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT id, platform, chat_id, payload, attempts, hold FROM outbox"
                f" WHERE platform = ? AND chat_id = ? AND {_OPEN} AND {_NOT_OUTLETS}"
                " ORDER BY id LIMIT ?",
                chat.platform,
                chat.chat_id,
                limit,
            )
        return [_item(row) for row in rows]

    async def event_last_sent(self, chat: ChatRef, event_id: str) -> datetime | None:
        async with self.db.read() as tx:
            value = await tx.val(
                "SELECT MAX(sent_at) FROM outbox WHERE platform = ? AND chat_id = ?"
                f" AND event_id = ? AND status = 'sent' AND {_SENT_SOMETHING}",
                chat.platform,
                chat.chat_id,
                event_id,
            )
        return None if value is None else as_dt(value)

    async def open_alert_count(self, chat: ChatRef) -> int:
        async with self.db.read() as tx:
            value = await tx.val(
                "SELECT COUNT(*) FROM outbox WHERE platform = ? AND chat_id = ?"
                f" AND {_OPEN} AND {_NOT_OUTLETS}",
                chat.platform,
                chat.chat_id,
            )
        return int(value or 0)

    async def outbox_counts(self) -> dict[str, int]:
        async with self.db.read() as tx:
            rows = await tx.all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        counts = dict.fromkeys(OUTBOX_STATUSES, 0)
        for row in rows:
            counts[row["status"]] = int(row["n"])
        return counts

    async def messages_sent_since(self, chat: ChatRef, since: datetime) -> int:
        async with self.db.read() as tx:
            value = await tx.val(
                "SELECT COUNT(DISTINCT COALESCE(message_id, 'row:' || CAST(id AS TEXT)))"
                " FROM outbox WHERE platform = ? AND chat_id = ? AND sent_at >= ?"
                f" AND {_SENT_SOMETHING}",
                chat.platform,
                chat.chat_id,
                since,
            )
        return int(value or 0)

    async def recent_sends(self, since: datetime) -> list[tuple[ChatRef, datetime]]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT platform, chat_id, MIN(sent_at) AS at FROM outbox"
                f" WHERE status = 'sent' AND sent_at >= ? AND {_SENT_SOMETHING}"
                " GROUP BY platform, chat_id, COALESCE(message_id, 'row:' || CAST(id AS TEXT))"
                " ORDER BY at",
                since,
            )
        return [(ChatRef(row["platform"], row["chat_id"]), as_dt(row["at"])) for row in rows]

    async def pause_delivery(self, scope: str, until: datetime, reason: str) -> None:
        async with self.db.write() as tx:
            await tx.run(
                "INSERT INTO delivery_pauses (scope, until, reason) VALUES (?, ?, ?)"
                " ON CONFLICT (scope) DO UPDATE SET until = CASE"
                " WHEN excluded.until > delivery_pauses.until THEN excluded.until"
                " ELSE delivery_pauses.until END, reason = excluded.reason",
                scope,
                until,
                reason,
            )

    async def delivery_pauses(self, now: datetime) -> dict[str, datetime]:
        async with self.db.write() as tx:
            await tx.run("DELETE FROM delivery_pauses WHERE until <= ?", now)
            rows = await tx.all("SELECT scope, until FROM delivery_pauses")
        return {row["scope"]: as_dt(row["until"]) for row in rows}

    async def chat_delivery(self, chat: ChatRef) -> DeliveryPrefs:
        async with self.db.read() as tx:
            row = await tx.one(
                "SELECT digest_mode, digest_time, quiet_start, quiet_end, timezone FROM chats"
                " WHERE platform = ? AND chat_id = ?",
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
        async with self.db.write() as tx:
            await tx.run(
                "INSERT INTO chats (platform, chat_id, digest_mode, digest_time, quiet_start,"
                " quiet_end, timezone) VALUES (?, ?, ?, ?, ?, ?, ?)"
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
