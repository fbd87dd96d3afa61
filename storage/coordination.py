"""Processes sharing one database take turns (the :class:`~storage.base.CoordinationStore`).

The decision lock (held while a story's event and novelty are decided) is
the engine's own — see :mod:`storage.dialect`. Named, expiring leases (a feed
poll, a periodic job) are rows in ``leases``, written once here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Db

_ONCE = "once:"  # the names of claim_once's marks begin so; _ONCE_END bounds their range
_ONCE_END = "once;"


class Leases:
    db: Db
    instance_id: str

    async def try_lease(self, name: str, seconds: float, now: datetime | None = None) -> bool:
        """Take or renew the named lease for ``seconds`` (e.g. ``feed:<url>``): True
        when this store holds it now. Another store gets it only after it expires."""
        at = now if now is not None else datetime.now(UTC)
        async with self.db.write() as tx:
            owner = await tx.val(
                "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until"
                " WHERE leases.owner = excluded.owner OR leases.until <= ?"
                " RETURNING owner",
                name,
                self.instance_id,
                at + timedelta(seconds=seconds),
                at,
            )
        return bool(owner == self.instance_id)

    async def release_lease(self, name: str) -> None:
        async with self.db.write() as tx:
            await tx.run("DELETE FROM leases WHERE name = ? AND owner = ?", name, self.instance_id)

    async def claim_once(self, name: str, seconds: float, now: datetime | None = None) -> bool:
        """Mark ``name`` (an inbound event's id) as handled for ``seconds``: True
        only for the first store that claims it, in any process on this database
        (a platform's retry that reaches another instance is then dropped there).
        Marks whose time is over are removed on the way."""
        at = now if now is not None else datetime.now(UTC)
        async with self.db.write() as tx:
            await tx.run(
                "DELETE FROM leases WHERE name >= ? AND name < ? AND until <= ?",
                _ONCE,
                _ONCE_END,
                at,
            )
            owner = await tx.val(
                "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO NOTHING RETURNING owner",
                _ONCE + name,
                self.instance_id,
                at + timedelta(seconds=seconds),
            )
        return owner is not None
