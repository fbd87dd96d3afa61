"""What the event pages read, on SQLite: mixed into :class:`storage.sqlite.SqliteStore`.

Read-only queries (plus the one secret the pages sign links with); the pages
also use :meth:`event_view`, :meth:`claims_about` and :meth:`entity`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import aiosqlite

from bot.models import ClaimOrigin, ClaimView, Entity, EventSummary, Novelty, Stance, Story

_DAY = "COALESCE(s.published, s.event_day, substr(s.ingested_at, 1, 10))"


def _dt(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class SqlitePages:
    """The event-page part of the Store protocol (see :mod:`storage.base`)."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

        def _read(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

    async def claim_origins(self, claim_ids: Sequence[str]) -> dict[str, ClaimOrigin]:
        ids = list(dict.fromkeys(claim_ids))
        if not ids:
            return {}
        async with (
            self._read() as db,
            db.execute(
                "SELECT c.id, c.first_seen, m.novelty, m.matches, MIN(" + _DAY + ") AS day"
                " FROM claims c LEFT JOIN claim_mentions m ON m.id = c.id"
                " LEFT JOIN claim_mentions x ON x.canonical_id = c.id"
                " LEFT JOIN stories s ON s.id = x.story_id"
                f" WHERE c.id IN ({_marks(len(ids))})"
                " GROUP BY c.id, c.first_seen, m.novelty, m.matches",
                ids,
            ) as cur,
        ):
            rows: list[sqlite3.Row] = list(await cur.fetchall())
        return {
            row["id"]: ClaimOrigin(
                novelty=Novelty(row["novelty"]) if row["novelty"] else None,
                matches=row["matches"],
                day=date.fromisoformat(row["day"]) if row["day"] else _dt(row["first_seen"]).date(),
            )
            for row in rows
        }

    async def entity_events(
        self, entity_id: str, limit: int, min_salience: float
    ) -> list[EventSummary]:
        params = {"k": entity_id, "sal": min_salience, "limit": limit}
        async with self._read() as db:
            async with db.execute(
                "WITH hits AS ("
                "  SELECT s.event_id AS id FROM story_entities se"
                "   JOIN stories s ON s.id = se.story_id"
                "   WHERE se.entity_id = :k AND (se.salience >= :sal OR se.in_title = 1)"
                "  UNION SELECT event_id FROM claims WHERE speaker_id = :k"
                "  UNION SELECT c.event_id FROM claim_entities ce"
                "   JOIN claims c ON c.id = ce.claim_id WHERE ce.entity_id = :k)"
                f" SELECT e.id, e.title, e.last_seen, MIN({_DAY}) AS first_day,"
                f" MAX({_DAY}) AS last_day, COUNT(s.id) AS stories"
                " FROM events e JOIN stories s ON s.event_id = e.id"
                " WHERE e.id IN (SELECT id FROM hits)"
                " GROUP BY e.id, e.title, e.last_seen"
                " ORDER BY last_day DESC, e.last_seen DESC, e.id LIMIT :limit",
                params,
            ) as cur:
                events = list(await cur.fetchall())
            ids = [row["id"] for row in events]
            if not ids:
                return []
            marks = _marks(len(ids))
            async with db.execute(
                f"SELECT event_id, COUNT(*) AS n FROM claims WHERE event_id IN ({marks})"
                " GROUP BY event_id",
                ids,
            ) as cur:
                counts = {row["event_id"]: int(row["n"]) for row in await cur.fetchall()}
            async with db.execute(
                "SELECT * FROM (SELECT id, event_id, speaker, text, stance, first_seen, numbers,"
                "  ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY first_seen DESC, rowid DESC)"
                f"  AS n FROM claims WHERE event_id IN ({marks}))"
                " WHERE n <= 3 ORDER BY event_id, n",
                ids,
            ) as cur:
                latest_rows = list(await cur.fetchall())
            async with db.execute(
                f"SELECT event_id, source, url, outlet FROM stories WHERE event_id IN ({marks})",
                ids,
            ) as cur:
                story_rows = list(await cur.fetchall())
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
                    first_seen=_dt(row["first_seen"]),
                    figures=tuple(float(n) for n in json.loads(row["numbers"])),
                )
            )
        return [
            EventSummary(
                id=row["id"],
                title=row["title"],
                first_day=date.fromisoformat(row["first_day"]),
                last_day=date.fromisoformat(row["last_day"]),
                stories=int(row["stories"]),
                outlets=len(outlets.get(row["id"], ())),
                claims=counts.get(row["id"], 0),
                latest=tuple(latest.get(row["id"], ())),
            )
            for row in events
        ]

    async def event_entities(self, event_id: str, limit: int) -> list[Entity]:
        async with (
            self._read() as db,
            db.execute(
                "SELECT e.id, e.name, e.type FROM story_entities se"
                " JOIN stories s ON s.id = se.story_id JOIN entities e ON e.id = se.entity_id"
                " WHERE s.event_id = ? GROUP BY e.id, e.name, e.type"
                " ORDER BY SUM(se.salience) DESC, e.id LIMIT ?",
                (event_id, limit),
            ) as cur,
        ):
            rows = list(await cur.fetchall())
        return [Entity(row["id"], row["name"], row["type"]) for row in rows]

    async def pages_secret(self, candidate: str, now: datetime) -> str:
        async with self._write() as db:
            await db.execute(
                "INSERT OR IGNORE INTO service_secrets (name, value, created)"
                " VALUES ('pages', ?, ?)",
                (candidate, now.astimezone(UTC).isoformat(timespec="microseconds")),
            )
            async with db.execute("SELECT value FROM service_secrets WHERE name = 'pages'") as cur:
                row = await cur.fetchone()
        assert row is not None
        return str(row[0])
