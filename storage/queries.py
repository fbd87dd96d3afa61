"""What the chat commands read: entities, claims about them, events with their
sources (the :class:`~storage.base.QueryStore`). Read-only."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.models import (
    ClaimsAnswer,
    ClaimView,
    Entity,
    EventClaims,
    EventView,
    Novelty,
    Source,
    Stance,
    Story,
    normalise_body,
)
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


PHRASE_WINDOW = 5000
"""How many of the newest claims a phrase (a keyword, no entity) is looked for in:
claim texts have no word index, so the search is bounded, never a scan of all claims."""

# The first claim of its side (the entity its speaker speaks for) in an event
# where someone spoke before it: no earlier claim had that side, or was said by
# that side itself or by the same speaker.
_NEW_SIDE = (
    "(c.speaker_side IS NOT NULL"
    " AND EXISTS (SELECT 1 FROM claims p WHERE p.event_id = c.event_id"
    "  AND p.first_seen < c.first_seen)"
    " AND NOT EXISTS (SELECT 1 FROM claims p WHERE p.event_id = c.event_id"
    "  AND p.first_seen < c.first_seen AND (p.speaker_side = c.speaker_side"
    "  OR p.speaker_id = c.speaker_side OR p.speaker_id = c.speaker_id)))"
)
# What /claims shows first in an event: denials and contradictions, updated
# figures, sides heard for the first time, then the rest.
_RANK = (
    "CASE WHEN x.stance = 'deny' OR x.novelty = 'contradiction' THEN 0"
    " WHEN x.novelty = 'update' THEN 1 WHEN x.new_side THEN 2 ELSE 3 END"
)


def claim_view(row: Row, sources: list[Source]) -> ClaimView:
    keys = row.keys()
    novelty = row["novelty"] if "novelty" in keys else None
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
        novelty=Novelty(novelty) if novelty else None,
        new_side=bool(row["new_side"]) if "new_side" in keys else False,
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


async def _subject_claims(tx: Tx, subject: str) -> tuple[str, tuple[object, ...]] | None:
    """A query of the ids of the claims about ``subject`` (with its arguments):
    said by or about the entity with that id (the claims_speaker and
    claim_entities indexes); when no entity has it, claims among the newest
    :data:`PHRASE_WINDOW` whose words contain the phrase. None for a phrase
    with no words."""
    known = await tx.val(
        "SELECT EXISTS (SELECT 1 FROM entities WHERE id = ?)"
        " OR EXISTS (SELECT 1 FROM claims WHERE speaker_id = ?)"
        " OR EXISTS (SELECT 1 FROM claim_entities WHERE entity_id = ?)",
        subject,
        subject,
        subject,
    )
    if known:
        return (
            "SELECT c.id FROM claims c WHERE c.speaker_id = ?"
            " UNION SELECT claim_id FROM claim_entities WHERE entity_id = ?",
            (subject, subject),
        )
    phrase = normalise_body(subject)
    if not phrase:
        return None
    found = tx.dialect.contains("' ' || w.text_norm || ' '", "' ' || ? || ' '")
    return (
        "SELECT w.id FROM (SELECT c.id, c.text_norm FROM claims c"
        f" ORDER BY c.first_seen DESC LIMIT {PHRASE_WINDOW}) w WHERE {found} > 0",
        (phrase,),
    )


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
        entity has that key (a keyword watch), claims among the newest
        :data:`PHRASE_WINDOW` whose text contains the phrase as whole words,
        ignoring case and punctuation."""
        async with self.db.read() as tx:
            found = await _subject_claims(tx, entity_key)
            if found is None:
                return []
            hit, hit_args = found
            rows = await tx.all(
                f"WITH hit AS ({hit}) SELECT {_CLAIM_COLUMNS} FROM hit"
                " JOIN claims c ON c.id = hit.id"
                f" ORDER BY c.first_seen DESC, c.{tx.dialect.seq} DESC LIMIT ?",
                *hit_args,
                limit,
            )
            sources = await _claim_sources(tx, [row["id"] for row in rows])
        return [claim_view(row, sources[row["id"]]) for row in rows]

    async def claims_by_event(self, subject: str, max_events: int, per_event: int) -> ClaimsAnswer:
        """Claims by or about the entity ``subject`` (or, when no entity has that
        key, claims among the newest :data:`PHRASE_WINDOW` whose text contains the
        phrase), grouped by event: the ``max_events`` events whose latest such
        claim was published last, and in each the ``per_event`` claims shown
        first (denials and contradictions, updated figures, sides heard for
        the first time, then the newest)."""
        async with self.db.read() as tx:
            found = await _subject_claims(tx, subject)
            if found is None:
                return ClaimsAnswer((), 0)
            hit, hit_args = found
            total = await tx.val(
                f"WITH hit AS ({hit}) SELECT COUNT(DISTINCT c.event_id)"
                " FROM hit JOIN claims c ON c.id = hit.id",
                *hit_args,
            )
            events = await tx.all(
                f"WITH hit AS ({hit}) SELECT c.event_id, e.title, COUNT(*) AS claims,"
                f" MAX({tx.dialect.story_day('s')}) AS latest, MAX(c.first_seen) AS seen"
                " FROM hit JOIN claims c ON c.id = hit.id JOIN events e ON e.id = c.event_id"
                " JOIN stories s ON s.id = c.first_story_id"
                " GROUP BY c.event_id, e.title ORDER BY latest DESC, seen DESC, c.event_id"
                " LIMIT ?",
                *hit_args,
                max_events,
            )
            if not events:
                return ClaimsAnswer((), int(total or 0))
            ids = [row["event_id"] for row in events]
            rows = await tx.all(
                f"WITH hit AS ({hit}) SELECT * FROM ("
                f" SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.event_id ORDER BY {_RANK},"
                "  x.first_seen DESC, x.seq_ DESC) AS place FROM ("
                f"  SELECT {_CLAIM_COLUMNS}, o.novelty, {_NEW_SIDE} AS new_side,"
                f"   c.{tx.dialect.seq} AS seq_"
                "   FROM hit JOIN claims c ON c.id = hit.id"
                "   LEFT JOIN claim_mentions o ON o.id = c.id"
                f"   WHERE c.event_id IN ({marks(len(ids))})) x"
                ") y WHERE y.place <= ? ORDER BY y.place",
                *hit_args,
                *ids,
                per_event,
            )
            sources = await _claim_sources(tx, [row["id"] for row in rows])
        shown: dict[str, list[ClaimView]] = {event_id: [] for event_id in ids}
        for row in rows:
            shown[row["event_id"]].append(claim_view(row, sources[row["id"]]))
        return ClaimsAnswer(
            tuple(
                EventClaims(
                    row["event_id"], row["title"], tuple(shown[row["event_id"]]), int(row["claims"])
                )
                for row in events
            ),
            int(total or 0),
        )

    async def event_view(self, event_id: str) -> EventView | None:
        async with self.db.read() as tx:
            event = await tx.one(
                "SELECT id, title, first_seen, last_seen FROM events WHERE id = ?", event_id
            )
            if event is None:
                return None
            claims = await tx.all(
                f"SELECT {_CLAIM_COLUMNS}, o.novelty, {_NEW_SIDE} AS new_side FROM claims c"
                " LEFT JOIN claim_mentions o ON o.id = c.id WHERE c.event_id = ?"
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
