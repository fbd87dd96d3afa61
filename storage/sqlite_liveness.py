"""Lease owners, heartbeats, per-process metrics and health figures on SQLite.

A mixin of :class:`storage.sqlite.SqliteStore`, kept in its own module (the
same contract as :mod:`storage.postgres_liveness`); it uses the store's
transactions (``_write``/``_read``) and nothing else of it.

* ``lease_owners`` lists the running processes that can hold leases; each
  renews its ``heartbeat_at`` (:mod:`bot.liveness`).
* :meth:`SqliteLiveness.release_leases_of` takes over the leases of owners
  that are gone: their outbox and story leases are cleared (claimable at
  once), their row is removed and their counters folded into owner ``''``.
* ``process_metrics`` holds each process's counters, so ``/metrics`` adds
  them up across processes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.models import HealthFigures, LeaseOwner

RETIRED = ""
"""The owner under which gone processes' counters are kept."""


def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _owner(row: sqlite3.Row) -> LeaseOwner:
    started, beat = _dt(row["started_at"]), _dt(row["heartbeat_at"])
    assert started is not None and beat is not None
    return LeaseOwner(
        id=row["owner"],
        host=row["host"],
        pid=int(row["pid"]),
        pid_start=row["pid_start"],
        role=row["role"],
        started_at=started,
        heartbeat_at=beat,
    )


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class SqliteLiveness:
    """Lease-owner methods of the :class:`~storage.base.Store` on SQLite."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

        def _read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

    async def register_lease_owner(self, owner: LeaseOwner) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO lease_owners (owner, host, pid, pid_start, role, started_at,"
                " heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(owner) DO UPDATE SET"
                " host = excluded.host, pid = excluded.pid, pid_start = excluded.pid_start,"
                " role = excluded.role, heartbeat_at = excluded.heartbeat_at",
                (
                    owner.id,
                    owner.host,
                    owner.pid,
                    owner.pid_start,
                    owner.role,
                    _ts(owner.started_at),
                    _ts(owner.heartbeat_at),
                ),
            )

    async def renew_lease_owner(self, owner_id: str, now: datetime) -> bool:
        """Renew the heartbeat; False when the row is gone (others took our leases)."""
        async with (
            self._write() as db,
            db.execute(
                "UPDATE lease_owners SET heartbeat_at = ? WHERE owner = ?", (_ts(now), owner_id)
            ) as cur,
        ):
            return int(cur.rowcount) == 1

    async def database_time(self) -> datetime:
        """Every process sharing a SQLite file runs on this machine: its clock."""
        return datetime.now(UTC)

    async def lease_owners(self) -> list[LeaseOwner]:
        async with (
            self._read() as db,
            db.execute(
                "SELECT owner, host, pid, pid_start, role, started_at, heartbeat_at"
                " FROM lease_owners ORDER BY started_at"
            ) as cur,
        ):
            rows = list(await cur.fetchall())
        return [_owner(row) for row in rows]

    async def release_leases_of(self, owner_ids: Sequence[str]) -> tuple[int, int]:
        """Take over the leases of gone owners: ``(stories, alerts)`` released."""
        ids = [o for o in owner_ids if o != RETIRED]
        if not ids:
            return 0, 0
        marks = _marks(len(ids))
        async with self._write() as db:
            async with db.execute(
                "UPDATE stories SET lease_owner = NULL, lease_until = NULL"
                f" WHERE lease_until IS NOT NULL AND lease_owner IN ({marks})",
                ids,
            ) as cur:
                stories = int(cur.rowcount)
            async with db.execute(
                "UPDATE outbox SET lease_owner = NULL, lease_until = NULL"
                f" WHERE lease_until IS NOT NULL AND lease_owner IN ({marks})",
                ids,
            ) as cur:
                alerts = int(cur.rowcount)
            await db.execute(
                "INSERT INTO process_metrics (owner, sample, value)"
                f" SELECT ?, sample, SUM(value) FROM process_metrics WHERE owner IN ({marks})"
                " GROUP BY sample"
                " ON CONFLICT(owner, sample) DO UPDATE SET value = value + excluded.value",
                [RETIRED, *ids],
            )
            await db.execute(f"DELETE FROM process_metrics WHERE owner IN ({marks})", ids)
            await db.execute(f"DELETE FROM lease_owners WHERE owner IN ({marks})", ids)
        return stories, alerts

    async def leased_alerts(self) -> list[tuple[int, str, str | None]]:
        """``(id, key, owner)`` of every open outbox row under a lease."""
        async with (
            self._read() as db,
            db.execute(
                "SELECT id, key, lease_owner FROM outbox WHERE lease_until IS NOT NULL"
                " AND status IN ('pending', 'retry') ORDER BY id"
            ) as cur,
        ):
            rows = list(await cur.fetchall())
        return [(int(r["id"]), str(r["key"]), r["lease_owner"]) for r in rows]

    async def save_process_metrics(self, owner_id: str, samples: Mapping[str, float]) -> None:
        async with self._write() as db:
            await db.executemany(
                "INSERT INTO process_metrics (owner, sample, value) VALUES (?, ?, ?)"
                " ON CONFLICT(owner, sample) DO UPDATE SET value = excluded.value",
                [(owner_id, sample, float(value)) for sample, value in samples.items()],
            )

    async def process_metric_totals(self, exclude: str | None = None) -> dict[str, float]:
        """Each sample summed over every process (and the gone ones), but ``exclude``."""
        async with (
            self._read() as db,
            db.execute(
                "SELECT sample, SUM(value) AS total FROM process_metrics"
                " WHERE owner IS NOT ? GROUP BY sample",
                (exclude,),
            ) as cur,
        ):
            rows = list(await cur.fetchall())
        return {str(r["sample"]): float(r["total"]) for r in rows}

    async def health_figures(self, now: datetime) -> HealthFigures:
        stamp = _ts(now)
        async with self._read() as db:
            rows: list[Any] = []
            for sql, params in (
                ("SELECT MIN(ingested_at) FROM stories WHERE status = 'pending'", ()),
                (
                    "SELECT MAX(analysed_at) FROM stories"
                    " WHERE status IN ('analysed', 'duplicate')",
                    (),
                ),
                (
                    "SELECT MIN(COALESCE(o.next_attempt_at, o.created_at)) FROM outbox o"
                    " LEFT JOIN chats c ON c.platform = o.platform AND c.chat_id = o.chat_id"
                    " WHERE o.status IN ('pending', 'retry')"
                    "  AND COALESCE(o.next_attempt_at, o.created_at) <= ?"
                    "  AND COALESCE(c.paused, 0) = 0"
                    "  AND (c.muted_until IS NULL OR c.muted_until <= ?)",
                    (stamp, stamp),
                ),
            ):
                async with db.execute(sql, params) as cur:
                    row = await cur.fetchone()
                rows.append(None if row is None else row[0])
        return HealthFigures(_dt(rows[0]), _dt(rows[1]), _dt(rows[2]))
