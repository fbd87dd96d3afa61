"""What the event pages read, on PostgreSQL: mixed into
:class:`storage.postgres.PostgresStore`.

Read-only queries (plus the one secret the pages sign links with); the pages
also use :meth:`event_view`, :meth:`claims_about` and :meth:`entity`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.models import ClaimOrigin, ClaimView, Entity, EventSummary, Novelty, Stance, Story

_DAY = "COALESCE(s.published, s.event_day, (s.ingested_at AT TIME ZONE 'UTC')::date)"


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PostgresPages:
    """The event-page part of the Store protocol (see :mod:`storage.base`)."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[Any]: ...

        def _read(self) -> AbstractAsyncContextManager[Any]: ...

    async def claim_origins(self, claim_ids: Sequence[str]) -> dict[str, ClaimOrigin]:
        ids = list(dict.fromkeys(claim_ids))
        if not ids:
            return {}
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT c.id, c.first_seen, m.novelty, m.matches, MIN(" + _DAY + ") AS day"
                " FROM claims c LEFT JOIN claim_mentions m ON m.id = c.id"
                " LEFT JOIN claim_mentions x ON x.canonical_id = c.id"
                " LEFT JOIN stories s ON s.id = x.story_id"
                " WHERE c.id = ANY($1::text[])"
                " GROUP BY c.id, c.first_seen, m.novelty, m.matches",
                ids,
            )
        return {
            row["id"]: ClaimOrigin(
                novelty=Novelty(row["novelty"]) if row["novelty"] else None,
                matches=row["matches"],
                day=row["day"] if row["day"] is not None else _utc(row["first_seen"]).date(),
            )
            for row in rows
        }

    async def entity_events(
        self, entity_id: str, limit: int, min_salience: float
    ) -> list[EventSummary]:
        async with self._read() as db:
            events = await db.fetch(
                "WITH hits AS ("
                "  SELECT s.event_id AS id FROM story_entities se"
                "   JOIN stories s ON s.id = se.story_id"
                "   WHERE se.entity_id = $1 AND (se.salience >= $2 OR se.in_title)"
                "  UNION SELECT event_id FROM claims WHERE speaker_id = $1"
                "  UNION SELECT c.event_id FROM claim_entities ce"
                "   JOIN claims c ON c.id = ce.claim_id WHERE ce.entity_id = $1)"
                f" SELECT e.id, e.title, e.last_seen, MIN({_DAY}) AS first_day,"
                f" MAX({_DAY}) AS last_day, COUNT(s.id) AS stories"
                " FROM events e JOIN stories s ON s.event_id = e.id"
                " WHERE e.id IN (SELECT id FROM hits)"
                " GROUP BY e.id, e.title, e.last_seen"
                " ORDER BY last_day DESC, e.last_seen DESC, e.id LIMIT $3",
                entity_id,
                min_salience,
                limit,
            )
            ids = [row["id"] for row in events]
            if not ids:
                return []
            count_rows = await db.fetch(
                "SELECT event_id, COUNT(*) AS n FROM claims WHERE event_id = ANY($1::text[])"
                " GROUP BY event_id",
                ids,
            )
            latest_rows = await db.fetch(
                "SELECT * FROM (SELECT id, event_id, speaker, text, stance, first_seen, numbers,"
                "  ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY first_seen DESC, seq DESC)"
                "  AS n FROM claims WHERE event_id = ANY($1::text[])) ranked"
                " WHERE n <= 3 ORDER BY event_id, n",
                ids,
            )
            story_rows = await db.fetch(
                "SELECT event_id, source, url, outlet FROM stories"
                " WHERE event_id = ANY($1::text[])",
                ids,
            )
        counts = {row["event_id"]: int(row["n"]) for row in count_rows}
        outlets: dict[str, set[str]] = {}
        for row in story_rows:
            story = Story(source=row["source"], title="", body="", url=row["url"])
            name = row["outlet"] or story.outlet_name
            outlets.setdefault(row["event_id"], set()).add(name)
        latest: dict[str, list[ClaimView]] = {}
        for row in latest_rows:
            latest.setdefault(row["event_id"], []).append(
                ClaimView(
                    id=row["id"],
                    event_id=row["event_id"],
                    speaker=row["speaker"],
                    text=row["text"],
                    stance=Stance(row["stance"]),
                    first_seen=_utc(row["first_seen"]),
                    figures=tuple(float(n) for n in json.loads(row["numbers"])),
                )
            )
        return [
            EventSummary(
                id=row["id"],
                title=row["title"],
                first_day=row["first_day"],
                last_day=row["last_day"],
                stories=int(row["stories"]),
                outlets=len(outlets.get(row["id"], ())),
                claims=counts.get(row["id"], 0),
                latest=tuple(latest.get(row["id"], ())),
            )
            for row in events
        ]

    async def event_entities(self, event_id: str, limit: int) -> list[Entity]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT e.id, e.name, e.type FROM story_entities se"
                " JOIN stories s ON s.id = se.story_id JOIN entities e ON e.id = se.entity_id"
                " WHERE s.event_id = $1 GROUP BY e.id, e.name, e.type"
                " ORDER BY SUM(se.salience) DESC, e.id LIMIT $2",
                event_id,
                limit,
            )
        return [Entity(row["id"], row["name"], row["type"]) for row in rows]

    async def pages_secret(self, candidate: str, now: datetime) -> str:
        async with self._write() as db:
            await db.execute(
                "INSERT INTO service_secrets (name, value, created) VALUES ('pages', $1, $2)"
                " ON CONFLICT (name) DO NOTHING",
                candidate,
                _utc(now),
            )
            value = await db.fetchval("SELECT value FROM service_secrets WHERE name = 'pages'")
        return str(value)
