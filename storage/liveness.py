"""Lease owners, heartbeats, per-process metrics and health figures (the
:class:`~storage.base.LivenessStore`; :mod:`bot.liveness` drives them).

* ``lease_owners`` lists the running processes that can hold leases; each
  renews its ``heartbeat_at``.
* :meth:`Liveness.release_leases_of` takes over the leases of owners that are
  gone: their outbox and story leases are cleared (claimable at once), their
  row is removed and their counters folded into owner ``''``.
* ``process_metrics`` holds each process's counters, so ``/metrics`` adds
  them up across processes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.models import HealthFigures, LeaseOwner
from storage.db import Db, Row, Tx, as_dt, marks, opt_dt

RETIRED = ""
"""The owner under which gone processes' counters are kept."""


def _owner(row: Row) -> LeaseOwner:
    return LeaseOwner(
        id=row["owner"],
        host=row["host"],
        pid=int(row["pid"]),
        pid_start=row["pid_start"],
        role=row["role"],
        started_at=as_dt(row["started_at"]),
        heartbeat_at=as_dt(row["heartbeat_at"]),
    )


async def _clock(tx: Tx, given: datetime) -> datetime:
    """When a heartbeat happens: the database's clock where instances on several
    hosts share it (PostgreSQL ``now()``, the transaction's time), so hosts whose
    clocks differ still agree on whose heartbeat is old; else ``given``."""
    if tx.dialect.clock is None:
        return given
    return as_dt(await tx.val(f"SELECT {tx.dialect.clock}"))


class Liveness:
    db: Db

    async def register_lease_owner(self, owner: LeaseOwner) -> None:
        async with self.db.write() as tx:
            await tx.run(
                "INSERT INTO lease_owners (owner, host, pid, pid_start, role, started_at,"
                " heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner) DO UPDATE SET"
                " host = excluded.host, pid = excluded.pid, pid_start = excluded.pid_start,"
                " role = excluded.role, heartbeat_at = excluded.heartbeat_at",
                owner.id,
                owner.host,
                owner.pid,
                owner.pid_start,
                owner.role,
                owner.started_at,
                await _clock(tx, owner.heartbeat_at),
            )

    async def renew_lease_owner(self, owner_id: str, now: datetime) -> bool:
        """Renew the heartbeat; False when the row is gone (others took our leases)."""
        async with self.db.write() as tx:
            changed = await tx.run(
                "UPDATE lease_owners SET heartbeat_at = ? WHERE owner = ?",
                await _clock(tx, now),
                owner_id,
            )
        return changed == 1

    async def database_time(self) -> datetime:
        """The clock heartbeats are written in (PostgreSQL: the server's ``now()``;
        every process sharing a SQLite file runs on this machine: its clock)."""
        async with self.db.read() as tx:
            return await _clock(tx, datetime.now(UTC))

    async def lease_owners(self) -> list[LeaseOwner]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT owner, host, pid, pid_start, role, started_at, heartbeat_at"
                " FROM lease_owners ORDER BY started_at"
            )
        return [_owner(row) for row in rows]

    async def release_leases_of(self, owner_ids: Sequence[str]) -> tuple[int, int]:
        """Take over the leases of gone owners: ``(stories, alerts)`` released."""
        ids = [o for o in owner_ids if o != RETIRED]
        if not ids:
            return 0, 0
        among = f"IN ({marks(len(ids))})"
        async with self.db.write() as tx:
            stories = await tx.run(
                "UPDATE stories SET lease_owner = NULL, lease_until = NULL"
                f" WHERE lease_until IS NOT NULL AND lease_owner {among}",
                *ids,
            )
            alerts = await tx.run(
                "UPDATE outbox SET lease_owner = NULL, lease_until = NULL"
                f" WHERE lease_until IS NOT NULL AND lease_owner {among}",
                *ids,
            )
            await tx.run(
                "INSERT INTO process_metrics (owner, sample, value)"
                f" SELECT ?, sample, SUM(value) FROM process_metrics WHERE owner {among}"
                " GROUP BY sample ON CONFLICT (owner, sample) DO UPDATE"
                " SET value = process_metrics.value + excluded.value",
                RETIRED,
                *ids,
            )
            await tx.run(f"DELETE FROM process_metrics WHERE owner {among}", *ids)
            await tx.run(f"DELETE FROM lease_owners WHERE owner {among}", *ids)
        return stories, alerts

    async def leased_alerts(self) -> list[tuple[int, str, str | None]]:
        """``(id, key, owner)`` of every open outbox row under a lease."""
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT id, key, lease_owner FROM outbox WHERE lease_until IS NOT NULL"
                " AND status IN ('pending', 'retry') ORDER BY id"
            )
        return [(int(r["id"]), str(r["key"]), r["lease_owner"]) for r in rows]

    async def save_process_metrics(self, owner_id: str, samples: Mapping[str, float]) -> None:
        if not samples:
            return
        async with self.db.write() as tx:
            await tx.many(
                "INSERT INTO process_metrics (owner, sample, value) VALUES (?, ?, ?)"
                " ON CONFLICT (owner, sample) DO UPDATE SET value = excluded.value",
                [(owner_id, sample, float(value)) for sample, value in samples.items()],
            )

    async def process_metric_totals(self, exclude: str | None = None) -> dict[str, float]:
        """Each sample summed over every process (and the gone ones), but ``exclude``."""
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT sample, SUM(value) AS total FROM process_metrics"
                " WHERE owner IS DISTINCT FROM ? GROUP BY sample",
                exclude,
            )
        return {str(r["sample"]): float(r["total"]) for r in rows}

    async def health_figures(self, now: datetime) -> HealthFigures:
        async with self.db.read() as tx:
            pending = await tx.val("SELECT MIN(ingested_at) FROM stories WHERE status = 'pending'")
            analysed = await tx.val(
                "SELECT MAX(analysed_at) FROM stories WHERE status IN ('analysed', 'duplicate')"
            )
            due = await tx.val(
                "SELECT MIN(COALESCE(o.next_attempt_at, o.created_at)) FROM outbox o"
                " WHERE o.status IN ('pending', 'retry')"
                "  AND COALESCE(o.next_attempt_at, o.created_at) <= ?"
                "  AND NOT EXISTS (SELECT 1 FROM chats c WHERE c.platform = o.platform"
                "   AND c.chat_id = o.chat_id"
                "   AND (c.paused OR (c.muted_until IS NOT NULL AND c.muted_until > ?)))",
                now,
                now,
            )
        return HealthFigures(opt_dt(pending), opt_dt(analysed), opt_dt(due))
