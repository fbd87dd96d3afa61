"""Stories as ingested, and their analysis leases (the :class:`~storage.base.StoryStore`).

A pending story is leased to one process (``lease_owner``/``lease_until``)
before it is analysed, so a running service and ``claimwatch ingest`` — or
several instances on PostgreSQL, which also skip the rows another instance is
leasing right now — never analyse (and alert) the same story twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.models import Story, StoryRecord
from storage.db import Db, Row, as_date, as_dt, iso, marks

log = logging.getLogger(__name__)

STORY_LEASE_SECONDS = 300.0
"""How long a process holds a story it is analysing before another may take it."""

_COLUMNS = (
    "id, source, url, body_hash, title, outlet, published, body, status, event_id,"
    " duplicate_of, fingerprint, failure, ingested_at, analysed_at, attempts, retry_at,"
    " quarantined_at"
)

_TOP = 2**63
_WRAP = 2**64


def to_signed64(value: int) -> int:
    """A 64-bit fingerprint as a signed integer column."""
    value %= _WRAP
    return value - _WRAP if value >= _TOP else value


def from_signed64(value: int) -> int:
    return value % _WRAP


def _record(row: Row) -> StoryRecord:
    story = Story(
        source=row["source"],
        title=row["title"],
        body=row["body"],
        url=row["url"],
        outlet=row["outlet"],
        published=as_date(row["published"]),
    )
    extra: dict[str, str] = {"body_hash": row["body_hash"]}
    if row["duplicate_of"] is not None:
        extra["duplicate_of"] = str(row["duplicate_of"])
    if row["fingerprint"] is not None:
        extra["fingerprint"] = str(from_signed64(row["fingerprint"]))
    if row["failure"] is not None:
        extra["failure"] = row["failure"]
    if row["analysed_at"] is not None:
        extra["analysed_at"] = iso(as_dt(row["analysed_at"]))
    status = row["status"]
    if row["attempts"]:
        extra["attempts"] = str(row["attempts"])
    if row["retry_at"] is not None:
        extra["retry_at"] = iso(as_dt(row["retry_at"]))
    if row["quarantined_at"] is not None:
        extra["quarantined_at"] = iso(as_dt(row["quarantined_at"]))
        status = "quarantined"
    return StoryRecord(
        id=int(row["id"]),
        story=story,
        status=status,
        event_id=row["event_id"],
        ingested=as_dt(row["ingested_at"]),
        extra=extra,
    )


class Stories:
    db: Db
    instance_id: str  # this process (store), as the owner of its leases
    story_lease_seconds: float = STORY_LEASE_SECONDS

    async def find_story(self, url: str | None, body_hash: str) -> StoryRecord | None:
        async with self.db.read() as tx:
            if url:
                row = await tx.one(f"SELECT {_COLUMNS} FROM stories WHERE url = ?", url)
                if row is not None:
                    return _record(row)
            row = await tx.one(
                f"SELECT {_COLUMNS} FROM stories WHERE body_hash = ? ORDER BY id LIMIT 1",
                body_hash,
            )
        return None if row is None else _record(row)

    async def add_story(self, story: Story, now: datetime) -> int:
        """Record a story as ``pending``. A story whose URL is already stored (another
        process may have added it meanwhile) is not added twice: its id is returned."""
        async with self.db.write() as tx:
            if story.url:
                known = await tx.val("SELECT id FROM stories WHERE url = ?", story.url)
                if known is not None:
                    return int(known)
            await tx.run(
                "INSERT INTO sources (name, first_seen) VALUES (?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                story.outlet_name,
                now,
            )
            source_id = await tx.val("SELECT id FROM sources WHERE name = ?", story.outlet_name)
            story_id = await tx.val(
                "INSERT INTO stories (source, source_id, url, body_hash, title, outlet, published,"
                " body, status, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)"
                " ON CONFLICT (url) WHERE url IS NOT NULL DO NOTHING RETURNING id",
                story.source,
                source_id,
                story.url,
                story.body_hash,
                story.title,
                story.outlet,
                story.published,
                story.body,
                now,
            )
            if story_id is None:  # the same URL, committed by another instance just now
                story_id = await tx.val("SELECT id FROM stories WHERE url = ?", story.url)
        assert story_id is not None
        log.debug("stored story %d from %s", story_id, story.source)
        return int(story_id)

    async def pending_stories(self, limit: int) -> list[StoryRecord]:
        """Stories awaiting analysis (and failed ones whose retry time has come),
        oldest first, leased to this store for ``story_lease_seconds``: another
        process skips them until the lease expires (this one gets them again
        until they are analysed)."""
        if limit <= 0:
            return []
        now = datetime.now(UTC)
        async with self.db.write() as tx:
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM stories WHERE (status = 'pending'"
                "  OR (status = 'failed' AND quarantined_at IS NULL AND retry_at <= ?))"
                " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)"
                f" ORDER BY id LIMIT ?{tx.dialect.skip_locked}",
                now,
                self.instance_id,
                now,
                limit,
            )
            if rows:
                await tx.run(
                    "UPDATE stories SET lease_owner = ?, lease_until = ?"
                    f" WHERE id IN ({marks(len(rows))})",
                    self.instance_id,
                    now + timedelta(seconds=self.story_lease_seconds),
                    *(row["id"] for row in rows),
                )
        return [_record(row) for row in rows]

    async def lease_story(self, story_id: int) -> bool:
        now = datetime.now(UTC)
        async with self.db.write() as tx:
            taken = await tx.run(
                "UPDATE stories SET lease_owner = ?, lease_until = ? WHERE id = ?"
                " AND status = 'pending'"
                " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)",
                self.instance_id,
                now + timedelta(seconds=self.story_lease_seconds),
                story_id,
                self.instance_id,
                now,
            )
        return taken == 1

    async def mark_story_failed(
        self, story_id: int, reason: str, retry_at: datetime | None = None
    ) -> int:
        """One more failed attempt: retried from ``retry_at``, or quarantined."""
        now = datetime.now(UTC)
        async with self.db.write() as tx:
            attempts = await tx.val(
                "UPDATE stories SET status = 'failed', failure = ?, attempts = attempts + 1,"
                " retry_at = ?, quarantined_at = ?, lease_owner = NULL, lease_until = NULL"
                " WHERE id = ? RETURNING attempts",
                reason,
                retry_at,
                now if retry_at is None else None,
                story_id,
            )
        return 0 if attempts is None else int(attempts)

    async def story_failure_counts(self) -> dict[str, int]:
        async with self.db.read() as tx:
            row = await tx.one(
                "SELECT COUNT(*) FILTER (WHERE quarantined_at IS NULL) AS failed,"
                " COUNT(*) FILTER (WHERE quarantined_at IS NOT NULL) AS quarantined"
                " FROM stories WHERE status = 'failed'"
            )
        assert row is not None
        return {"failed": int(row["failed"]), "quarantined": int(row["quarantined"])}

    async def failed_stories(self, limit: int) -> list[StoryRecord]:
        async with self.db.read() as tx:
            rows = await tx.all(
                f"SELECT {_COLUMNS} FROM stories WHERE status = 'failed' ORDER BY id LIMIT ?",
                limit,
            )
        return [_record(row) for row in rows]

    async def retry_stories(self, story_ids: Sequence[int] | None) -> list[int]:
        where = "status = 'failed'"
        args: list[object] = []
        if story_ids is None:
            where += " AND quarantined_at IS NOT NULL"
        else:
            if not story_ids:
                return []
            where += f" AND id IN ({marks(len(story_ids))})"
            args = list(story_ids)
        async with self.db.write() as tx:
            rows = await tx.all(
                "UPDATE stories SET status = 'pending', attempts = 0, failure = NULL,"
                " retry_at = NULL, quarantined_at = NULL, lease_owner = NULL,"
                f" lease_until = NULL WHERE {where} RETURNING id",
                *args,
            )
        return sorted(int(row["id"]) for row in rows)

    async def recent_story_texts(self, limit: int) -> list[str]:
        async with self.db.read() as tx:
            rows = await tx.all("SELECT title, body FROM stories ORDER BY id DESC LIMIT ?", limit)
        return [f"{row['title']}\n\n{row['body']}" for row in rows]

    async def story(self, story_id: int) -> StoryRecord | None:
        async with self.db.read() as tx:
            row = await tx.one(f"SELECT {_COLUMNS} FROM stories WHERE id = ?", story_id)
        return None if row is None else _record(row)
