"""What the event pages read (the :class:`~storage.base.PageStore`): read-only
queries, plus the one secret the pages sign their links with. The pages also
use :meth:`~storage.queries.Queries.event_view`, ``claims_about`` and ``entity``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import ClaimOrigin, ClaimView, Entity, EventSummary, Novelty, Story
from storage.db import Db, as_date, as_dt, marks
from storage.queries import CLAIM_CUE, claim_view


class Pages:
    db: Db

    async def claim_origins(self, claim_ids: Sequence[str]) -> dict[str, ClaimOrigin]:
        ids = list(dict.fromkeys(claim_ids))
        if not ids:
            return {}
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT c.id, c.first_seen, m.novelty, m.matches,"
                f" MIN({tx.dialect.story_day('s')}) AS day"
                " FROM claims c LEFT JOIN claim_mentions m ON m.id = c.id"
                " LEFT JOIN claim_mentions x ON x.canonical_id = c.id"
                " LEFT JOIN stories s ON s.id = x.story_id"
                f" WHERE c.id IN ({marks(len(ids))})"
                " GROUP BY c.id, c.first_seen, m.novelty, m.matches",
                *ids,
            )
        return {
            row["id"]: ClaimOrigin(
                novelty=Novelty(row["novelty"]) if row["novelty"] else None,
                matches=row["matches"],
                day=as_date(row["day"]) or as_dt(row["first_seen"]).date(),
            )
            for row in rows
        }

    async def entity_events(
        self, entity_id: str, limit: int, min_salience: float
    ) -> list[EventSummary]:
        async with self.db.read() as tx:
            day = tx.dialect.story_day("s")
            events = await tx.all(
                "WITH hits AS ("
                "  SELECT s.event_id AS id FROM story_entities se"
                "   JOIN stories s ON s.id = se.story_id"
                "   WHERE se.entity_id = ? AND (se.salience >= ? OR se.in_title)"
                "  UNION SELECT event_id FROM claims WHERE speaker_id = ?"
                "  UNION SELECT c.event_id FROM claim_entities ce"
                "   JOIN claims c ON c.id = ce.claim_id WHERE ce.entity_id = ?)"
                f" SELECT e.id, e.title, e.last_seen, MIN({day}) AS first_day,"
                f" MAX({day}) AS last_day, COUNT(s.id) AS stories"
                " FROM events e JOIN stories s ON s.event_id = e.id"
                " WHERE e.id IN (SELECT id FROM hits)"
                " GROUP BY e.id, e.title, e.last_seen"
                " ORDER BY last_day DESC, e.last_seen DESC, e.id LIMIT ?",
                entity_id,
                min_salience,
                entity_id,
                entity_id,
                limit,
            )
            ids = [row["id"] for row in events]
            if not ids:
                return []
            among = f"event_id IN ({marks(len(ids))})"
            count_rows = await tx.all(
                f"SELECT event_id, COUNT(*) AS n FROM claims WHERE {among} GROUP BY event_id",
                *ids,
            )
            latest_rows = await tx.all(
                "SELECT * FROM (SELECT id, event_id, speaker, text, stance, first_seen, numbers,"
                f"  {CLAIM_CUE},"
                "  ROW_NUMBER() OVER (PARTITION BY event_id"
                f"   ORDER BY first_seen DESC, {tx.dialect.seq} DESC)"
                f"  AS n FROM claims c WHERE {among}) ranked"
                " WHERE n <= 3 ORDER BY event_id, n",
                *ids,
            )
            story_rows = await tx.all(
                f"SELECT event_id, source, url, outlet FROM stories WHERE {among}", *ids
            )
        counts = {row["event_id"]: int(row["n"]) for row in count_rows}
        outlets: dict[str, set[str]] = {}
        for row in story_rows:
            story = Story(source=row["source"], title="", body="", url=row["url"])
            outlets.setdefault(row["event_id"], set()).add(row["outlet"] or story.outlet_name)
        latest: dict[str, list[ClaimView]] = {}
        for row in latest_rows:
            latest.setdefault(row["event_id"], []).append(claim_view(row, []))
        out: list[EventSummary] = []
        for row in events:
            first_day, last_day = as_date(row["first_day"]), as_date(row["last_day"])
            assert first_day is not None and last_day is not None
            out.append(
                EventSummary(
                    id=row["id"],
                    title=row["title"],
                    first_day=first_day,
                    last_day=last_day,
                    stories=int(row["stories"]),
                    outlets=len(outlets.get(row["id"], ())),
                    claims=counts.get(row["id"], 0),
                    latest=tuple(latest.get(row["id"], ())),
                )
            )
        return out

    async def event_entities(self, event_id: str, limit: int) -> list[Entity]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT e.id, e.name, e.type FROM story_entities se"
                " JOIN stories s ON s.id = se.story_id JOIN entities e ON e.id = se.entity_id"
                " WHERE s.event_id = ? GROUP BY e.id, e.name, e.type"
                " ORDER BY SUM(se.salience) DESC, e.id LIMIT ?",
                event_id,
                limit,
            )
        return [Entity(row["id"], row["name"], row["type"]) for row in rows]

    async def pages_secret(self, candidate: str, now: datetime) -> str:
        async with self.db.write() as tx:
            await tx.run(
                "INSERT INTO service_secrets (name, value, created) VALUES ('pages', ?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                candidate,
                now,
            )
            value = await tx.val("SELECT value FROM service_secrets WHERE name = 'pages'")
        return str(value)
