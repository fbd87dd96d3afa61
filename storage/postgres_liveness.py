"""Lease owners, heartbeats, per-process metrics and health figures on
PostgreSQL. Mixed into :class:`storage.postgres.PostgresStore`; the same
contract as :mod:`storage.sqlite_liveness` (read its docstring)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.models import HealthFigures, LeaseOwner

RETIRED = ""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _opt(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)


class PostgresLiveness:
    """Lease-owner methods of the :class:`~storage.base.Store` on PostgreSQL."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[Any]: ...

        def _read(self) -> AbstractAsyncContextManager[Any]: ...

    async def register_lease_owner(self, owner: LeaseOwner) -> None:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO lease_owners (owner, host, pid, pid_start, role, started_at,"
                " heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (owner) DO"
                " UPDATE SET host = excluded.host, pid = excluded.pid,"
                " pid_start = excluded.pid_start, role = excluded.role,"
                " heartbeat_at = excluded.heartbeat_at",
                owner.id,
                owner.host,
                owner.pid,
                owner.pid_start,
                owner.role,
                _utc(owner.started_at),
            )

    async def renew_lease_owner(self, owner_id: str, now: datetime) -> bool:
        """Heartbeats are in the database's clock (``now()``), so instances on
        hosts whose clocks differ still agree on whose heartbeat is old."""
        async with self._write() as db:
            found = await db.fetchval(
                "UPDATE lease_owners SET heartbeat_at = now() WHERE owner = $1 RETURNING owner",
                owner_id,
            )
        return found is not None

    async def database_time(self) -> datetime:
        async with self._read() as db:
            value = await db.fetchval("SELECT now()")
        return _utc(value)

    async def lease_owners(self) -> list[LeaseOwner]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT owner, host, pid, pid_start, role, started_at, heartbeat_at"
                " FROM lease_owners ORDER BY started_at"
            )
        return [
            LeaseOwner(
                id=r["owner"],
                host=r["host"],
                pid=int(r["pid"]),
                pid_start=r["pid_start"],
                role=r["role"],
                started_at=_utc(r["started_at"]),
                heartbeat_at=_utc(r["heartbeat_at"]),
            )
            for r in rows
        ]

    async def release_leases_of(self, owner_ids: Sequence[str]) -> tuple[int, int]:
        ids = [o for o in owner_ids if o != RETIRED]
        if not ids:
            return 0, 0
        async with self._write() as db:
            stories = await db.fetchval(
                "WITH r AS (UPDATE stories SET lease_owner = NULL, lease_until = NULL"
                " WHERE lease_until IS NOT NULL AND lease_owner = ANY($1::text[]) RETURNING 1)"
                " SELECT count(*) FROM r",
                ids,
            )
            alerts = await db.fetchval(
                "WITH r AS (UPDATE outbox SET lease_owner = NULL, lease_until = NULL"
                " WHERE lease_until IS NOT NULL AND lease_owner = ANY($1::text[]) RETURNING 1)"
                " SELECT count(*) FROM r",
                ids,
            )
            await db.execute(
                "INSERT INTO process_metrics (owner, sample, value)"
                " SELECT $1, sample, SUM(value) FROM process_metrics"
                " WHERE owner = ANY($2::text[]) GROUP BY sample"
                " ON CONFLICT (owner, sample) DO UPDATE"
                " SET value = process_metrics.value + excluded.value",
                RETIRED,
                ids,
            )
            await db.execute("DELETE FROM process_metrics WHERE owner = ANY($1::text[])", ids)
            await db.execute("DELETE FROM lease_owners WHERE owner = ANY($1::text[])", ids)
        return int(stories or 0), int(alerts or 0)

    async def leased_alerts(self) -> list[tuple[int, str, str | None]]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT id, key, lease_owner FROM outbox WHERE lease_until IS NOT NULL"
                " AND status IN ('pending', 'retry') ORDER BY id"
            )
        return [(int(r["id"]), str(r["key"]), r["lease_owner"]) for r in rows]

    async def save_process_metrics(self, owner_id: str, samples: Mapping[str, float]) -> None:
        if not samples:
            return
        async with self._write() as db:
            await db.execute(
                "INSERT INTO process_metrics (owner, sample, value)"
                " SELECT $1, s, v FROM unnest($2::text[], $3::float8[]) AS t(s, v)"
                " ON CONFLICT (owner, sample) DO UPDATE SET value = excluded.value",
                owner_id,
                list(samples),
                [float(v) for v in samples.values()],
            )

    async def process_metric_totals(self, exclude: str | None = None) -> dict[str, float]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT sample, SUM(value) AS total FROM process_metrics"
                " WHERE owner IS DISTINCT FROM $1 GROUP BY sample",
                exclude,
            )
        return {str(r["sample"]): float(r["total"]) for r in rows}

    async def health_figures(self, now: datetime) -> HealthFigures:
        stamp = _utc(now)
        async with self._read() as db:
            pending = await db.fetchval(
                "SELECT MIN(ingested_at) FROM stories WHERE status = 'pending'"
            )
            analysed = await db.fetchval(
                "SELECT MAX(analysed_at) FROM stories WHERE status IN ('analysed', 'duplicate')"
            )
            due = await db.fetchval(
                "SELECT MIN(COALESCE(o.next_attempt_at, o.created_at)) FROM outbox o"
                " LEFT JOIN chats c ON c.platform = o.platform AND c.chat_id = o.chat_id"
                " WHERE o.status IN ('pending', 'retry')"
                "  AND COALESCE(o.next_attempt_at, o.created_at) <= $1"
                "  AND NOT COALESCE(c.paused, false)"
                "  AND (c.muted_until IS NULL OR c.muted_until <= $1)",
                stamp,
            )
        return HealthFigures(_opt(pending), _opt(analysed), _opt(due))
