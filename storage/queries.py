"""What the chat commands read: entities, claims about them, events with their
sources (the :class:`~storage.base.QueryStore`). Read-only."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.models import ClaimView, Entity, EventView, Source, Stance, Story, normalise_body
from storage.db import Db, Row, Tx, as_date, as_dt, marks

# the verb a canonical claim was said with, from the mention whose words it keeps
CLAIM_CUE = (
    "COALESCE((SELECT m.cue FROM claim_mentions m WHERE m.canonical_id = c.id"
    " AND m.text = c.text ORDER BY m.id LIMIT 1), '') AS cue"
)
_CLAIM_COLUMNS = (
    f"c.id, c.event_id, c.speaker, c.text, c.stance, c.first_seen, c.numbers, {CLAIM_CUE}"
)


def story_source(row: Row) -> Source:
    """A story row as the source a chat is shown: linked by URL, else by its file."""
    story = Story(row["source"], row["title"], "", url=row["url"], outlet=row["outlet"])
    published = as_date(row["published"])
    return Source(title=row["title"], url=story.link, outlet=story.outlet_name, published=published)


def claim_view(row: Row, sources: list[Source]) -> ClaimView:
    return ClaimView(
        id=row["id"],
        event_id=row["event_id"],
        speaker=row["speaker"],
        text=row["text"],
        stance=Stance(row["stance"]),
        first_seen=as_dt(row["first_seen"]),
        sources=tuple(sources),
        figures=tuple(float(n) for n in json.loads(row["numbers"])),
        cue=row["cue"],
    )


async def _claim_sources(tx: Tx, claim_ids: Sequence[str]) -> dict[str, list[Source]]:
    out: dict[str, list[Source]] = {claim_id: [] for claim_id in claim_ids}
    if not claim_ids:
        return out
    rows = await tx.all(
        "SELECT DISTINCT m.canonical_id, s.id, s.source, s.url, s.title, s.outlet,"
        f" s.published, {tx.dialect.story_day('s')} AS day"
        " FROM claim_mentions m JOIN stories s ON s.id = m.story_id"
        f" WHERE m.canonical_id IN ({marks(len(claim_ids))}) ORDER BY day, s.id",
        *claim_ids,
    )
    for row in rows:
        out[row["canonical_id"]].append(story_source(row))
    return out


class Queries:
    db: Db

    async def find_entity(self, name: str) -> Entity | None:
        folded = name.casefold().strip()
        if not folded:
            return None
        async with self.db.read() as tx:
            row = await tx.one(
                "SELECT id, name, type FROM ("
                " SELECT e.id, e.name, e.type, 0 AS rank FROM entities e"
                "  WHERE e.name_norm = ? OR e.id = ?"
                " UNION ALL"
                " SELECT e.id, e.name, e.type, 1 AS rank FROM entity_aliases a"
                "  JOIN entities e ON e.id = a.entity_id WHERE a.alias_norm = ?"
                ") AS found ORDER BY rank,"
                " (SELECT COUNT(*) FROM story_entities se WHERE se.entity_id = found.id) DESC,"
                " id LIMIT 1",
                folded,
                name.strip(),
                folded,
            )
        return None if row is None else Entity(row["id"], row["name"], row["type"])

    async def entity(self, entity_id: str) -> Entity | None:
        async with self.db.read() as tx:
            row = await tx.one("SELECT id, name, type FROM entities WHERE id = ?", entity_id)
        return None if row is None else Entity(row["id"], row["name"], row["type"])

    async def entity_names(self) -> list[tuple[str, str]]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT name, name_norm AS norm, id FROM entities"
                " UNION ALL SELECT alias, alias_norm, entity_id FROM entity_aliases"
            )
        seen: set[tuple[str, str]] = set()
        out: list[tuple[str, str]] = []
        for row in rows:
            if (row["norm"], row["id"]) in seen:
                continue
            seen.add((row["norm"], row["id"]))
            out.append((row["name"], row["id"]))
        out.sort(key=lambda pair: (pair[0].casefold(), pair[1]))
        return out

    async def claims_about(self, entity_key: str, limit: int) -> list[ClaimView]:
        """Newest canonical claims by or about the entity ``entity_key``; when no
        entity has that key (a keyword watch), claims whose text contains the
        phrase as whole words, ignoring case and punctuation."""
        async with self.db.read() as tx:
            order = f"ORDER BY c.first_seen DESC, c.{tx.dialect.seq} DESC LIMIT ?"
            known = await tx.val(
                "SELECT EXISTS (SELECT 1 FROM entities WHERE id = ?)"
                " OR EXISTS (SELECT 1 FROM claims WHERE speaker_id = ?)"
                " OR EXISTS (SELECT 1 FROM claim_entities WHERE entity_id = ?)",
                entity_key,
                entity_key,
                entity_key,
            )
            if known:
                rows = await tx.all(
                    f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE c.speaker_id = ?"
                    " OR c.id IN (SELECT claim_id FROM claim_entities WHERE entity_id = ?)"
                    f" {order}",
                    entity_key,
                    entity_key,
                    limit,
                )
            else:
                phrase = normalise_body(entity_key)
                if not phrase:
                    return []
                found = tx.dialect.contains("' ' || c.text_norm || ' '", "' ' || ? || ' '")
                rows = await tx.all(
                    f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE {found} > 0 {order}",
                    phrase,
                    limit,
                )
            sources = await _claim_sources(tx, [row["id"] for row in rows])
        return [claim_view(row, sources[row["id"]]) for row in rows]

    async def event_view(self, event_id: str) -> EventView | None:
        async with self.db.read() as tx:
            event = await tx.one(
                "SELECT id, title, first_seen, last_seen FROM events WHERE id = ?", event_id
            )
            if event is None:
                return None
            claims = await tx.all(
                f"SELECT {_CLAIM_COLUMNS} FROM claims c WHERE c.event_id = ?"
                f" ORDER BY c.first_seen, c.{tx.dialect.seq}",
                event_id,
            )
            claim_sources = await _claim_sources(tx, [row["id"] for row in claims])
            stories = await tx.all(
                "SELECT s.id, s.source, s.url, s.title, s.outlet, s.published,"
                f" {tx.dialect.story_day('s')} AS day"
                " FROM stories s WHERE s.event_id = ? ORDER BY day, s.id",
                event_id,
            )
        return EventView(
            id=event["id"],
            title=event["title"],
            first_seen=as_dt(event["first_seen"]),
            last_seen=as_dt(event["last_seen"]),
            claims=tuple(claim_view(row, claim_sources[row["id"]]) for row in claims),
            sources=tuple(story_source(row) for row in stories),
        )
