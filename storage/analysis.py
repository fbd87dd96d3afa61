"""What the contextual analysis reads (recent events, fingerprints, an event's
claims) and the one transaction that writes a story's analysis with its
alerts (the :class:`~storage.base.AnalysisStore`).

The store writes what the analysis decided and decides nothing: the event a
story joins, the novelty of each claim and the canonical claim each belongs to
all arrive in the :class:`~storage.base.AnalysisRecord`. On PostgreSQL the
story and event rows are locked as they are changed, so two instances saving
into one event lose no update.
"""

from __future__ import annotations

import json
import logging
from datetime import date

from bot.analysis.canonical import EarlierMention
from bot.models import (
    Alert,
    CanonicalClaim,
    Entity,
    EventCandidate,
    Stance,
    Story,
    StoryFingerprint,
    normalise_body,
)
from storage.base import AnalysisRecord
from storage.db import Db, Tx, as_date, as_dt
from storage.outbox import insert_alerts
from storage.stories import from_signed64, to_signed64

log = logging.getLogger(__name__)

MAX_EVENT_TERMS = 200
"""How many of an event's heaviest terms are kept."""


def top_terms(terms: dict[str, float]) -> dict[str, float]:
    """The ``MAX_EVENT_TERMS`` heaviest terms (ties broken by the term, for stability)."""
    ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:MAX_EVENT_TERMS])


def _terms(text: str) -> dict[str, float]:
    return {str(k): float(v) for k, v in json.loads(text).items()}


async def _save_event(tx: Tx, record: AnalysisRecord) -> None:
    terms = record.analysis.features.terms
    at = record.analysed_at
    created = await tx.val(
        "INSERT INTO events (id, title, first_seen, last_seen, terms) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING RETURNING id",
        record.event_id,
        record.event_title,
        at,
        at,
        json.dumps(top_terms(terms)),
    )
    if created is not None:
        return
    row = await tx.one(
        f"SELECT terms FROM events WHERE id = ?{tx.dialect.for_update}", record.event_id
    )
    assert row is not None
    merged = _terms(row["terms"])
    for term, weight in terms.items():
        merged[term] = merged.get(term, 0.0) + weight
    await tx.run(
        "UPDATE events SET last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END,"
        " terms = ? WHERE id = ?",
        at,
        at,
        json.dumps(top_terms(merged)),
        record.event_id,
    )


async def _save_entities(tx: Tx, record: AnalysisRecord) -> None:
    analysis = record.analysis
    entities: dict[str, Entity] = {}
    for stat in analysis.entities:
        entities[stat.entity.id] = stat.entity
    for mention in analysis.mentions:
        entities.setdefault(mention.entity.id, mention.entity)
    # Sorted, so that two instances upserting the same entities lock them in
    # the same order and never deadlock.
    ordered = sorted(entities.values(), key=lambda e: e.id)
    await tx.many(
        "INSERT INTO entities (id, name, name_norm, type) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " name_norm = excluded.name_norm, type = excluded.type",
        [(e.id, e.name, e.name.casefold().strip(), e.type) for e in ordered],
    )
    aliases = {(e.name.casefold().strip(), e.id): e.name for e in entities.values()}
    for mention in analysis.mentions:
        aliases.setdefault((mention.text.casefold().strip(), mention.entity.id), mention.text)
    await tx.many(
        "INSERT INTO entity_aliases (alias_norm, entity_id, alias) VALUES (?, ?, ?)"
        " ON CONFLICT (alias_norm, entity_id) DO NOTHING",
        [(norm, entity_id, alias) for (norm, entity_id), alias in sorted(aliases.items()) if norm],
    )
    await tx.many(
        "INSERT INTO mentions (story_id, entity_id, surface, start_char, end_char, sentence)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (record.story_id, m.entity.id, m.text, m.start, m.end, m.sentence)
            for m in analysis.mentions
        ],
    )
    await tx.many(
        "INSERT INTO story_entities (story_id, entity_id, mentions, salience, in_title)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id, entity_id) DO UPDATE SET"
        " mentions = excluded.mentions, salience = excluded.salience,"
        " in_title = excluded.in_title",
        [
            (record.story_id, s.entity.id, s.mentions, s.salience, s.in_title)
            for s in analysis.entities
        ],
    )


async def _save_claims(tx: Tx, record: AnalysisRecord) -> None:
    for claim, canonical in zip(record.claims, record.canonical, strict=True):
        if claim.id is None:
            raise ValueError(f"story {record.story_id}: a claim without its id")
        text_norm = normalise_body(claim.text)
        if canonical == claim.id:
            await tx.run(
                "INSERT INTO claims (id, event_id, speaker, speaker_id, stance, text, entities,"
                " numbers, first_seen, first_story_id, text_norm, speaker_side)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                claim.id,
                record.event_id,
                claim.speaker,
                claim.speaker_id,
                claim.stance.value,
                claim.text,
                json.dumps(list(claim.entities)),
                json.dumps(list(claim.numbers)),
                record.analysed_at,
                record.story_id,
                text_norm,
                claim.speaker_side,
            )
            await tx.many(
                "INSERT INTO claim_entities (claim_id, entity_id) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                [(claim.id, entity_id) for entity_id in claim.entities],
            )
        mention_id = claim.id
        taken = await tx.val("SELECT story_id FROM claim_mentions WHERE id = ?", mention_id)
        if taken is not None:
            mention_id = f"{claim.id}@{record.story_id}"
        await tx.run(
            "INSERT INTO claim_mentions (id, story_id, canonical_id, speaker, cue, stance,"
            " direct, text, sentence, novelty, matches, why, text_norm, speaker_side)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET story_id = excluded.story_id,"
            " canonical_id = excluded.canonical_id, speaker = excluded.speaker,"
            " cue = excluded.cue, stance = excluded.stance, direct = excluded.direct,"
            " text = excluded.text, sentence = excluded.sentence,"
            " novelty = excluded.novelty, matches = excluded.matches, why = excluded.why,"
            " text_norm = excluded.text_norm, speaker_side = excluded.speaker_side",
            mention_id,
            record.story_id,
            canonical,
            claim.speaker,
            claim.cue,
            claim.stance.value,
            claim.direct,
            claim.text,
            claim.sentence,
            None if claim.novelty is None else claim.novelty.value,
            claim.matches,
            claim.why,
            text_norm,
            claim.speaker_side,
        )


class Analyses:
    db: Db

    async def recent_events(self, since: date) -> list[EventCandidate]:
        async with self.db.read() as tx:
            day = tx.dialect.story_day("s")
            rows = await tx.all(
                f"SELECT e.id, e.title, e.terms, MIN({day}) AS first_day, MAX({day}) AS last_day,"
                " COUNT(s.id) AS stories"
                " FROM events e JOIN stories s ON s.event_id = e.id"
                f" GROUP BY e.id HAVING MAX({day}) >= ?"
                " ORDER BY last_day DESC, e.first_seen DESC",
                since,
            )
        out: list[EventCandidate] = []
        for row in rows:
            last_day = as_date(row["last_day"])
            assert last_day is not None
            out.append(
                EventCandidate(
                    id=row["id"],
                    title=row["title"],
                    terms=_terms(row["terms"]),
                    last_seen=last_day,
                    stories=int(row["stories"]),
                    first_seen=as_date(row["first_day"]),
                )
            )
        return out

    async def recent_fingerprints(self, since: date) -> list[StoryFingerprint]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT s.id, s.fingerprint, s.event_id FROM stories s"
                f" WHERE s.fingerprint IS NOT NULL AND {tx.dialect.story_day('s')} >= ?"
                " ORDER BY s.id",
                since,
            )
        return [
            StoryFingerprint(int(row["id"]), from_signed64(row["fingerprint"]), row["event_id"])
            for row in rows
        ]

    async def event_claims(self, event_id: str) -> list[CanonicalClaim]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT c.*, (SELECT COUNT(DISTINCT m.story_id) FROM claim_mentions m"
                "  WHERE m.canonical_id = c.id) AS sources"
                f" FROM claims c WHERE c.event_id = ? ORDER BY c.first_seen, c.{tx.dialect.seq}",
                event_id,
            )
        return [
            CanonicalClaim(
                id=row["id"],
                event_id=row["event_id"],
                speaker=row["speaker"],
                speaker_id=row["speaker_id"],
                stance=Stance(row["stance"]),
                text=row["text"],
                entities=tuple(json.loads(row["entities"])),
                numbers=tuple(float(n) for n in json.loads(row["numbers"])),
                first_seen=as_dt(row["first_seen"]),
                sources=max(1, int(row["sources"])),
                speaker_side=row["speaker_side"],
            )
            for row in rows
        ]

    async def event_wordings(self, event_id: str) -> list[CanonicalClaim]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT c.id, c.event_id, c.speaker AS c_speaker, c.speaker_id, c.entities,"
                " c.numbers, c.first_seen, m.speaker, m.speaker_side, m.stance, m.text"
                " FROM claim_mentions m JOIN claims c ON c.id = m.canonical_id"
                " WHERE c.event_id = ? AND m.novelty = 'repeat'"
                f" ORDER BY c.first_seen, m.{tx.dialect.seq}",
                event_id,
            )
        return [
            CanonicalClaim(
                id=row["id"],
                event_id=row["event_id"],
                speaker=row["speaker"],
                # the mention keeps no entity id of its own speaker
                speaker_id=row["speaker_id"] if row["speaker"] == row["c_speaker"] else None,
                stance=Stance(row["stance"]),
                text=row["text"],
                entities=tuple(json.loads(row["entities"])),
                numbers=tuple(float(n) for n in json.loads(row["numbers"])),
                first_seen=as_dt(row["first_seen"]),
                speaker_side=row["speaker_side"],
            )
            for row in rows
        ]

    async def event_outlets(self, event_id: str) -> int:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT source, url, outlet FROM stories WHERE event_id = ?", event_id
            )
        names = {
            Story(
                source=r["source"], title="", body="", url=r["url"], outlet=r["outlet"]
            ).outlet_name
            for r in rows
        }
        return len(names)

    async def event_mentions(self, event_id: str, story_id: int) -> list[EarlierMention]:
        async with self.db.read() as tx:
            rows = await tx.all(
                "SELECT m.canonical_id, m.speaker, m.text_norm FROM claim_mentions m"
                " JOIN claims c ON c.id = m.canonical_id"
                f" WHERE c.event_id = ? AND m.story_id <> ? ORDER BY m.{tx.dialect.seq}",
                event_id,
                story_id,
            )
        return [EarlierMention(r["canonical_id"], r["speaker"], r["text_norm"]) for r in rows]

    async def save_analysis(self, record: AnalysisRecord) -> list[Alert]:
        features = record.analysis.features
        story_id = record.story_id
        async with self.db.write() as tx:
            known = await tx.val(
                f"SELECT id FROM stories WHERE id = ?{tx.dialect.for_update}", story_id
            )
            if known is None:
                raise LookupError(f"no story {story_id} to save an analysis for")
            await _save_event(tx, record)
            await tx.run(
                "UPDATE stories SET status = ?, event_id = ?, duplicate_of = ?, fingerprint = ?,"
                " failure = NULL, analysed_at = ?, event_day = ?, lease_owner = NULL,"
                " lease_until = NULL WHERE id = ?",
                "duplicate" if record.duplicate_of is not None else "analysed",
                record.event_id,
                record.duplicate_of,
                to_signed64(features.fingerprint),
                record.analysed_at,
                features.published,
                story_id,
            )
            # Analysing a story again replaces what the earlier analysis stored.
            for table in ("mentions", "story_entities", "claim_mentions"):
                await tx.run(f"DELETE FROM {table} WHERE story_id = ?", story_id)
            await _save_entities(tx, record)
            await _save_claims(tx, record)
            queued = await insert_alerts(tx, record.alerts, record.analysed_at)
        log.debug(
            "saved analysis of story %d: event %s, %d claims, %d of %d alerts queued",
            story_id,
            record.event_id,
            len(record.claims),
            len(queued),
            len(record.alerts),
        )
        return queued
