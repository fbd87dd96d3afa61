"""Chats and their watches (the :class:`~storage.base.SubscriptionStore`).

Every change to a subscription is appended to ``subscription_changes``, whose
version the match index follows. On PostgreSQL a writer locks that table
first, so versions commit in the order they are assigned and a reader that has
seen version N has seen every version below it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.models import (
    DEFAULT_LEVEL,
    PART_SEPARATOR,
    ChatRef,
    Subscription,
    WatchLevel,
    WatchTarget,
    WatchTerm,
    canonical_terms,
    term_key,
)
from storage.codec import decode_alert, encode_alert
from storage.db import Db, Row, Tx, as_dt, opt_dt

log = logging.getLogger(__name__)

_COLUMNS = "id, platform, chat_id, kind, key, name, paused, created, level, filters"


def encode_terms(terms: Sequence[WatchTerm]) -> str:
    """The ``filters`` column: '' for none, else a JSON list of [sign, kind, key,
    name] in :func:`~bot.models.canonical_terms` order (one text per set of terms,
    which the table's unique key relies on)."""
    if not terms:
        return ""
    rows = [[t.sign, t.target.kind, t.target.key, t.target.name] for t in canonical_terms(terms)]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode_terms(text: str) -> tuple[WatchTerm, ...]:
    if not text:
        return ()
    return tuple(
        WatchTerm(sign == "+", WatchTarget(kind, key, name))
        for sign, kind, key, name in json.loads(text)
    )


def _subscription(row: Row) -> Subscription:
    return Subscription(
        id=int(row["id"]),
        chat=ChatRef(row["platform"], row["chat_id"]),
        target=WatchTarget(kind=row["kind"], key=row["key"], name=row["name"]),
        paused=bool(row["paused"]),
        created=as_dt(row["created"]),
        level=WatchLevel(row["level"]),
        filters=decode_terms(row["filters"] or ""),
    )


async def _changing(tx: Tx) -> None:
    if tx.dialect.lock_changes:
        await tx.run(tx.dialect.lock_changes)


async def _log_changes(tx: Tx, ids: Iterable[int], op: str) -> None:
    await tx.many(
        "INSERT INTO subscription_changes (subscription_id, op) VALUES (?, ?)",
        [(sub_id, op) for sub_id in ids],
    )


class Subscriptions:
    db: Db

    async def add_subscription(
        self,
        chat: ChatRef,
        target: WatchTarget,
        now: datetime,
        level: WatchLevel = DEFAULT_LEVEL,
        *,
        filters: Sequence[WatchTerm] = (),
    ) -> tuple[Subscription, bool]:
        terms = canonical_terms(filters)
        wanted = [term_key(t) for t in terms]
        async with self.db.write() as tx:
            await _changing(tx)  # writers take turns: the check below cannot race
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM subscriptions"
                " WHERE platform = ? AND chat_id = ? AND key = ?",
                chat.platform,
                chat.chat_id,
                target.key,
            )
            for row in rows:  # the same target and terms, whatever their display names
                sub = _subscription(row)
                if [term_key(t) for t in sub.filters] == wanted:
                    return sub, False
            paused = await tx.val(
                "SELECT paused FROM chats WHERE platform = ? AND chat_id = ?",
                chat.platform,
                chat.chat_id,
            )
            row = await tx.one(
                "INSERT INTO subscriptions"
                " (platform, chat_id, kind, key, name, paused, created, level, filters)"
                f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
                chat.platform,
                chat.chat_id,
                target.kind,
                target.key,
                target.name,
                bool(paused),
                now,
                level.value,
                encode_terms(terms),
            )
            assert row is not None
            await _log_changes(tx, [int(row["id"])], "upsert")
        log.info("chat %s now watches %s (%s, %s)", chat, target.key, target.kind, level)
        return _subscription(row), True

    async def set_subscription_level(
        self, chat: ChatRef, key: str, level: WatchLevel, filters: Sequence[WatchTerm] = ()
    ) -> Subscription | None:
        """Change how much a watch notifies about; None when the chat does not watch
        ``key`` with exactly these terms."""
        async with self.db.write() as tx:
            await _changing(tx)
            row = await tx.one(
                "UPDATE subscriptions SET level = ? WHERE platform = ? AND chat_id = ? AND key = ?"
                f" AND filters = ? RETURNING {_COLUMNS}",
                level.value,
                chat.platform,
                chat.chat_id,
                key,
                encode_terms(filters),
            )
            if row is not None:
                await _log_changes(tx, [int(row["id"])], "upsert")
        if row is not None:
            log.info("chat %s watches %s at level %s", chat, key, level)
        return None if row is None else _subscription(row)

    async def remove_subscription(
        self, chat: ChatRef, key: str, filters: Sequence[WatchTerm] = ()
    ) -> bool:
        async with self.db.write() as tx:
            await _changing(tx)
            rows = await tx.all(
                "DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND key = ?"
                " AND filters = ? RETURNING id",
                chat.platform,
                chat.chat_id,
                key,
                encode_terms(filters),
            )
            await _log_changes(tx, [int(row["id"]) for row in rows], "remove")
        if rows:
            log.info("chat %s no longer watches %s", chat, key)
        return bool(rows)

    async def chat_subscriptions(self, chat: ChatRef) -> list[Subscription]:
        async with self.db.read() as tx:
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM subscriptions"
                " WHERE platform = ? AND chat_id = ? ORDER BY created, id",
                chat.platform,
                chat.chat_id,
            )
        return [_subscription(row) for row in rows]

    async def chats(self) -> list[ChatRef]:
        """Every chat with a subscription (paused too) or stored settings, in order."""
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT platform, chat_id FROM subscriptions"
                " UNION SELECT platform, chat_id FROM chats"
            )
        return sorted(
            (ChatRef(row[0], row[1]) for row in rows), key=lambda c: (c.platform, c.chat_id)
        )

    async def subscriptions_changed_since(
        self, version: int
    ) -> tuple[int, list[Subscription], list[int]]:
        """(current version, active subscriptions added or changed, ids to drop).

        A subscription that was removed *or paused* since ``version`` is in the
        dropped ids; one that was resumed is among the changed ones. Version 0
        gives every active subscription."""
        async with self.db.read() as tx:
            current = int(
                await tx.val("SELECT COALESCE(MAX(version), 0) FROM subscription_changes")
            )
            rows = await tx.all(
                "SELECT c.subscription_id AS changed_id, s.id, s.platform, s.chat_id, s.kind,"
                " s.key, s.name, s.paused, s.created, s.level, s.filters"
                " FROM (SELECT DISTINCT subscription_id FROM subscription_changes"
                "       WHERE version > ? AND version <= ?) c"
                " LEFT JOIN subscriptions s ON s.id = c.subscription_id"
                " ORDER BY c.subscription_id",
                version,
                current,
            )
        changed: list[Subscription] = []
        removed: list[int] = []
        for row in rows:
            if row["id"] is None or row["paused"]:
                removed.append(int(row["changed_id"]))
            else:
                changed.append(_subscription(row))
        return current, changed, removed

    async def set_chat_paused(
        self, chat: ChatRef, paused: bool, reason: str | None, *, whole: bool = False
    ) -> int:
        """Pause or resume a chat's subscriptions (and its undelivered alerts, which
        wait while it is paused); ``whole``: the chat and each of its parts
        (``{chat id}/{part}``, forum topics) alike. Returns how many changed."""
        chat = chat.whole if whole else chat
        prefix = chat.chat_id + PART_SEPARATOR  # its parts' addresses begin so
        same = "chat_id = ?" + (" OR substr(chat_id, 1, ?) = ?" if whole else "")
        keys: tuple[object, ...] = (chat.chat_id, len(prefix), prefix) if whole else (chat.chat_id,)
        async with self.db.write() as tx:
            await _changing(tx)
            addresses = {chat.chat_id}
            if whole:
                rows = await tx.all(
                    f"SELECT chat_id FROM subscriptions WHERE platform = ? AND ({same})"
                    f" UNION SELECT chat_id FROM chats WHERE platform = ? AND ({same})",
                    chat.platform,
                    *keys,
                    chat.platform,
                    *keys,
                )
                addresses.update(str(row["chat_id"]) for row in rows)
            await tx.many(
                "INSERT INTO chats (platform, chat_id, paused, paused_reason) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, chat_id) DO UPDATE SET paused = excluded.paused,"
                " paused_reason = excluded.paused_reason",
                [
                    (chat.platform, address, paused, reason if paused else None)
                    for address in sorted(addresses)
                ],
            )
            rows = await tx.all(
                f"UPDATE subscriptions SET paused = ? WHERE platform = ? AND ({same})"
                " AND paused <> ? RETURNING id",
                paused,
                chat.platform,
                *keys,
                paused,
            )
            await _log_changes(tx, sorted(int(row["id"]) for row in rows), "upsert")
        log.info(
            "chat %s%s %s (%s): %d subscriptions changed",
            chat,
            " and its parts" if whole else "",
            "paused" if paused else "resumed",
            reason or "no reason given",
            len(rows),
        )
        return len(rows)

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> int:
        """Move the subscriptions, chat settings and undelivered alerts of ``old`` to
        ``new``. A watch ``new`` already has is merged. Returns how many subscriptions
        of ``old`` were moved or merged."""
        if old == new:
            return 0
        async with self.db.write() as tx:
            await _changing(tx)
            merged = await tx.all(
                "DELETE FROM subscriptions WHERE platform = ? AND chat_id = ? AND EXISTS"
                " (SELECT 1 FROM subscriptions n WHERE n.platform = ? AND n.chat_id = ?"
                " AND n.key = subscriptions.key AND n.filters = subscriptions.filters)"
                " RETURNING id",
                old.platform,
                old.chat_id,
                new.platform,
                new.chat_id,
            )
            moved = await tx.all(
                "UPDATE subscriptions SET platform = ?, chat_id = ?"
                " WHERE platform = ? AND chat_id = ? RETURNING id",
                new.platform,
                new.chat_id,
                old.platform,
                old.chat_id,
            )
            await _log_changes(tx, sorted(int(row["id"]) for row in moved), "upsert")
            await _log_changes(tx, sorted(int(row["id"]) for row in merged), "remove")

            has_new = await tx.val(
                "SELECT 1 FROM chats WHERE platform = ? AND chat_id = ?", new.platform, new.chat_id
            )
            if has_new is None:
                await tx.run(
                    "UPDATE chats SET platform = ?, chat_id = ? WHERE platform = ? AND chat_id = ?",
                    new.platform,
                    new.chat_id,
                    old.platform,
                    old.chat_id,
                )
            else:
                await tx.run(
                    "DELETE FROM chats WHERE platform = ? AND chat_id = ?",
                    old.platform,
                    old.chat_id,
                )

            open_rows = await tx.all(
                "SELECT id, payload FROM outbox WHERE platform = ? AND chat_id = ?"
                f" AND status IN ('pending', 'retry'){tx.dialect.for_update}",
                old.platform,
                old.chat_id,
            )
            for row in open_rows:
                alert = replace(decode_alert(row["payload"]), chat=new)
                await tx.run(
                    "UPDATE outbox SET platform = ?, chat_id = ?, payload = ? WHERE id = ?",
                    new.platform,
                    new.chat_id,
                    encode_alert(alert),
                    row["id"],
                )
        count = len(moved) + len(merged)
        log.info("migrated chat %s to %s: %d subscriptions", old, new, count)
        return count

    async def mute_chat(self, chat: ChatRef, until: datetime | None) -> None:
        async with self.db.write() as tx:
            await tx.run(
                "INSERT INTO chats (platform, chat_id, muted_until) VALUES (?, ?, ?)"
                " ON CONFLICT (platform, chat_id) DO UPDATE SET muted_until = excluded.muted_until",
                chat.platform,
                chat.chat_id,
                until,
            )

    async def chat_muted_until(self, chat: ChatRef) -> datetime | None:
        async with self.db.read() as tx:
            value = await tx.val(
                "SELECT muted_until FROM chats WHERE platform = ? AND chat_id = ?",
                chat.platform,
                chat.chat_id,
            )
        return opt_dt(value)
