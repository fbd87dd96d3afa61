"""The PostgreSQL store: the same :class:`~storage.base.Store` on asyncpg, for
several ClaimWatch instances sharing one database.

What differs from :mod:`storage.sqlite`, and why:

* A connection pool; every operation is one transaction on one pooled
  connection (reads: ``REPEATABLE READ READ ONLY``, one snapshot; writes:
  ``READ COMMITTED`` with row locks where two instances could race).
* :meth:`PostgresStore.claim_due_alerts` locks the head row of each chat with
  ``FOR UPDATE SKIP LOCKED``: two instances never lease the same alert, and a
  chat still gets one alert at a time, in queue order.
* :meth:`PostgresStore.pending_stories` leases the stories it returns to this
  store (``stories.lease_owner``/``lease_until``): other instances skip them
  until the lease expires; the owner sees them again, as with SQLite.
* Subscription changes take an exclusive lock on ``subscription_changes``
  first, so change versions become visible in order and an index that
  follows them never misses one.
* Extras for running several instances (not part of the Store protocol):
  :meth:`~PostgresStore.wait_for_notify` (``LISTEN``; queued alerts send
  ``NOTIFY claimwatch_outbox``), :meth:`~PostgresStore.try_leader` (a session
  advisory lock on a dedicated connection: it is released when the process or
  its connection dies, so another instance takes over) and
  :meth:`~PostgresStore.try_lease` (named, expiring leases, e.g. for feed polls).

Migrations are ``storage/migrations/postgres/NNNN_name.sql``, one per SQLite
migration with the same number, recorded in the same ``schema_migrations``.
Tables live in the first schema of the connection's ``search_path``; choose
another with ``?options=-csearch_path%3Dmyschema`` (or ``?search_path=myschema``)
in the URL or with ``schema=``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import asyncpg

from bot.errors import ConfigError, TransientError
from bot.models import (
    Alert,
    CanonicalClaim,
    Entity,
    EventCandidate,
    Novelty,
    Stance,
    Story,
    StoryFingerprint,
    normalise_body,
)
from storage.base import OUTBOX_CHANNEL, AnalysisRecord
from storage.db import PostgresTx, Tx
from storage.dialect import POSTGRES
from storage.feeds import Feeds
from storage.outbox import Outbox, insert_alerts
from storage.queries import Queries
from storage.sqlite import load_migrations
from storage.stories import STORY_LEASE_SECONDS, Stories, from_signed64, to_signed64
from storage.subscriptions import Subscriptions
from storage.values import top_terms

log = logging.getLogger(__name__)

POOL_MAX_SIZE = 10

_MIGRATION_NAME = re.compile(r"^(\d{4})_(\w+)\.sql$")
_TOP = 2**63
_WRAP = 2**64

Connection = Any  # asyncpg.Connection (asyncpg ships no type information)
Record = Any  # asyncpg.Record

# Failures worth retrying: the server went away, is starting or shutting down,
# too many clients, a serialization failure or a deadlock victim.
_TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.AdminShutdownError,
    # a pooled connection the server dropped while idle can surface as this
    # (protocol state mixed up by the unsolicited error); the pool replaces it
    asyncpg.InternalClientError,
)


# --------------------------------------------------------------------------- helpers


def _utc(value: datetime) -> datetime:
    """An aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _ts(value: datetime) -> str:
    """The same fixed-width ISO-8601 text the SQLite store uses."""
    return _utc(value).isoformat(timespec="microseconds")


def _story_day_sql(alias: str) -> str:
    """The day a story counts for: its publication date, else the UTC day it was ingested."""
    return (
        f"COALESCE({alias}.published, {alias}.event_day,"
        f" ({alias}.ingested_at AT TIME ZONE 'UTC')::date)"
    )


def _advisory_key_sql(param: str) -> str:
    """A 64-bit advisory lock key for a name, scoped to the current schema."""
    return f"hashtextextended(current_schema() || ':' || {param}, 0)"


@dataclass(frozen=True, slots=True)
class PgMigration:
    version: int
    name: str
    sql: str


def load_pg_migrations() -> list[PgMigration]:
    """The PostgreSQL dialect of every numbered SQLite migration, in order.

    Each SQLite migration must have its PostgreSQL twin with the same number
    and name, so both backends stay at the same schema version."""
    folder = resources.files("storage").joinpath("migrations").joinpath("postgres")
    found: dict[int, PgMigration] = {}
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match is None:
            continue
        version = int(match[1])
        found[version] = PgMigration(version, match[2], entry.read_text(encoding="utf-8"))
    out: list[PgMigration] = []
    for lite in load_migrations():
        twin = found.pop(lite.version, None)
        if twin is None or twin.name != lite.name:
            raise ConfigError(
                f"storage migration {lite.version:04d}_{lite.name}.sql has no PostgreSQL "
                f"dialect storage/migrations/postgres/{lite.version:04d}_{lite.name}.sql"
            )
        out.append(twin)
    if found:
        extra = ", ".join(f"{m.version:04d}_{m.name}" for m in found.values())
        raise ConfigError(f"PostgreSQL migrations without a SQLite migration: {extra}")
    return out


class PostgresDb:
    """The :class:`~storage.db.Db` on a pool: every transaction on one pooled
    connection (reads: ``REPEATABLE READ READ ONLY``, one snapshot; writes:
    ``READ COMMITTED`` with row locks where two instances could race)."""

    dialect = POSTGRES

    def __init__(self, pool: Any, schema: str) -> None:
        self.pool = pool
        self.schema = schema
        self._texts: dict[str, str] = {}

    @asynccontextmanager
    async def raw(self, **options: Any) -> AsyncIterator[Connection]:
        try:
            async with self.pool.acquire() as conn, conn.transaction(**options):
                yield conn
        except _TRANSIENT as exc:
            raise TransientError(f"PostgreSQL: {type(exc).__name__}: {exc}") from exc

    @asynccontextmanager
    async def _tx(self, **options: Any) -> AsyncIterator[Tx]:
        async with self.raw(**options) as conn:
            yield PostgresTx(conn, POSTGRES, self._texts, self.schema)

    def read(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx(isolation="repeatable_read", readonly=True)

    def write(self) -> AbstractAsyncContextManager[Tx]:
        return self._tx()


# --------------------------------------------------------------------------- store


class PostgresStore(Stories, Queries, Feeds, Outbox, Subscriptions):
    """The :class:`storage.base.Store` on a PostgreSQL database (asyncpg pool)."""

    db: PostgresDb

    def __init__(
        self,
        pool: Any,
        dsn: str,
        server_settings: dict[str, str],
        *,
        story_lease_seconds: float = STORY_LEASE_SECONDS,
    ) -> None:
        self._pool = pool
        self.db = PostgresDb(pool, "public")
        self._dsn = dsn
        self._server_settings = server_settings
        self._closed = False
        self.story_lease_seconds = story_lease_seconds
        self.instance_id = uuid.uuid4().hex
        self._listener: Connection | None = None
        self._listen_lock = asyncio.Lock()
        self._signals: dict[str, asyncio.Event] = {}
        self._leader_conn: Connection | None = None
        self._leader_lock = asyncio.Lock()
        self._leaders: set[str] = set()
        self.schema = "public"  # where the tables are; set by open()

    @classmethod
    async def open(
        cls,
        dsn: str,
        *,
        schema: str | None = None,
        min_size: int = 1,
        max_size: int = POOL_MAX_SIZE,
        story_lease_seconds: float = STORY_LEASE_SECONDS,
    ) -> PostgresStore:
        """Connect a pool to ``dsn``. Call :meth:`upgrade` next. ``schema`` puts the
        tables in that (existing) schema instead of the URL's ``search_path``."""
        settings: dict[str, str] = {"timezone": "UTC"}
        if schema is not None:
            settings["search_path"] = schema
        try:
            pool = await asyncpg.create_pool(
                dsn, min_size=min_size, max_size=max_size, server_settings=settings
            )
        except asyncpg.InvalidCatalogNameError as exc:
            raise ConfigError(f"PostgreSQL: {exc}") from None
        except asyncpg.InvalidAuthorizationSpecificationError as exc:
            raise ConfigError(f"PostgreSQL refused the login: {exc}") from None
        except _TRANSIENT as exc:
            raise TransientError(f"cannot reach PostgreSQL: {exc}") from exc
        store = cls(pool, dsn, settings, story_lease_seconds=story_lease_seconds)
        try:
            store.schema = store.db.schema = str(await pool.fetchval("SELECT current_schema()"))
        except BaseException:
            await pool.close()
            raise
        return store

    async def close(self) -> None:
        """Close the pool and the listener and leader connections; twice is fine."""
        if self._closed:
            return
        self._closed = True
        for conn in (self._listener, self._leader_conn):
            if conn is not None and not conn.is_closed():
                with suppress(Exception):
                    await conn.close()
        self._listener = None
        self._leader_conn = None
        self._leaders.clear()
        await self._pool.close()

    def __repr__(self) -> str:
        return f"PostgresStore(instance={self.instance_id[:8]})"

    # ------------------------------------------------------------ transactions

    def _write(self) -> AbstractAsyncContextManager[Connection]:
        return self.db.raw()

    def _read(self) -> AbstractAsyncContextManager[Connection]:
        return self.db.raw(isolation="repeatable_read", readonly=True)

    # --------------------------------------------------------------- lifecycle

    async def upgrade(self) -> int:
        """Apply the pending migrations, each in its own transaction; return the version.

        Instances starting together serialise on an advisory lock."""
        migrations = load_pg_migrations()
        latest = migrations[-1].version if migrations else 0
        async with self._write() as db:
            await db.execute(f"SELECT pg_advisory_xact_lock({_advisory_key_sql('$1')})", "migrate")
            await db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        current = await self.schema_version()
        if current > latest:
            raise ConfigError(
                f"the database has schema version {current}, newer than this "
                f"release knows ({latest}); upgrade ClaimWatch"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            async with self._write() as db:
                await db.execute(
                    f"SELECT pg_advisory_xact_lock({_advisory_key_sql('$1')})", "migrate"
                )
                done = await db.fetchval(
                    "SELECT 1 FROM schema_migrations WHERE version = $1", migration.version
                )
                if done is not None:
                    continue
                await db.execute(migration.sql)
                await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    _ts(datetime.now(UTC)),
                )
            log.info("applied migration %04d_%s (PostgreSQL)", migration.version, migration.name)
        return await self.schema_version()

    async def schema_version(self) -> int:
        async with self._read() as db:
            exists = await db.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
            if not exists:
                return 0
            return int(await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))

    # -------------------------------------------------------- analysis context

    async def recent_events(self, since: date) -> list[EventCandidate]:
        day = _story_day_sql("s")
        async with self._read() as db:
            rows = await db.fetch(
                f"SELECT e.id, e.title, e.terms, MAX({day}) AS last_day, COUNT(s.id) AS stories"
                " FROM events e JOIN stories s ON s.event_id = e.id"
                f" GROUP BY e.id HAVING MAX({day}) >= $1"
                " ORDER BY last_day DESC, e.first_seen DESC",
                since,
            )
        return [
            EventCandidate(
                id=row["id"],
                title=row["title"],
                terms={str(k): float(v) for k, v in json.loads(row["terms"]).items()},
                last_seen=row["last_day"],
                stories=int(row["stories"]),
            )
            for row in rows
        ]

    async def recent_fingerprints(self, since: date) -> list[StoryFingerprint]:
        day = _story_day_sql("s")
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT s.id, s.fingerprint, s.event_id FROM stories s"
                f" WHERE s.fingerprint IS NOT NULL AND {day} >= $1 ORDER BY s.id",
                since,
            )
        return [
            StoryFingerprint(int(row["id"]), from_signed64(row["fingerprint"]), row["event_id"])
            for row in rows
        ]

    async def event_claims(self, event_id: str) -> list[CanonicalClaim]:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT c.*, (SELECT COUNT(DISTINCT m.story_id) FROM claim_mentions m"
                "  WHERE m.canonical_id = c.id) AS sources"
                " FROM claims c WHERE c.event_id = $1 ORDER BY c.first_seen, c.seq",
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
                first_seen=_utc(row["first_seen"]),
                sources=max(1, int(row["sources"])),
                speaker_side=row["speaker_side"],
            )
            for row in rows
        ]

    async def event_outlets(self, event_id: str) -> int:
        async with self._read() as db:
            rows = await db.fetch(
                "SELECT source, url, outlet FROM stories WHERE event_id = $1", event_id
            )
        names = {
            Story(
                source=r["source"], title="", body="", url=r["url"], outlet=r["outlet"]
            ).outlet_name
            for r in rows
        }
        return len(names)

    async def save_analysis(self, record: AnalysisRecord) -> list[Alert]:
        analysis = record.analysis
        stamp = _utc(record.analysed_at)
        story_id = record.story_id
        async with self._write() as db:
            known = await db.fetchval("SELECT id FROM stories WHERE id = $1 FOR UPDATE", story_id)
            if known is None:
                raise LookupError(f"no story {story_id} to save an analysis for")

            await self._save_event(db, record, stamp)

            status = "duplicate" if record.duplicate_of is not None else "analysed"
            await db.execute(
                "UPDATE stories SET status = $1, event_id = $2, duplicate_of = $3,"
                " fingerprint = $4, failure = NULL, analysed_at = $5, lease_owner = NULL,"
                " lease_until = NULL, event_day = $7 WHERE id = $6",
                status,
                record.event_id,
                record.duplicate_of,
                to_signed64(analysis.features.fingerprint),
                stamp,
                story_id,
                analysis.features.published,
            )
            # Analysing a story again replaces what the earlier analysis stored.
            for table in ("mentions", "story_entities", "claim_mentions"):
                await db.execute(f"DELETE FROM {table} WHERE story_id = $1", story_id)

            await self._save_entities(db, record)
            await self._save_claims(db, record, stamp)

            queued = await insert_alerts(
                PostgresTx(db, POSTGRES, {}, self.schema), record.alerts, record.analysed_at
            )
        log.debug(
            "saved analysis of story %d: event %s, %d claims, %d of %d alerts queued",
            story_id,
            record.event_id,
            len(record.claims),
            len(queued),
            len(record.alerts),
        )
        return queued

    async def _save_event(self, db: Connection, record: AnalysisRecord, stamp: datetime) -> None:
        terms = record.analysis.features.terms
        created = await db.fetchval(
            "INSERT INTO events (id, title, first_seen, last_seen, terms)"
            " VALUES ($1, $2, $3, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id",
            record.event_id,
            record.event_title,
            stamp,
            json.dumps(top_terms(terms)),
        )
        if created is not None:
            return
        row = await db.fetchrow(
            "SELECT terms FROM events WHERE id = $1 FOR UPDATE", record.event_id
        )
        merged: dict[str, float] = {str(k): float(v) for k, v in json.loads(row["terms"]).items()}
        for term, weight in terms.items():
            merged[term] = merged.get(term, 0.0) + weight
        await db.execute(
            "UPDATE events SET last_seen = GREATEST(last_seen, $1), terms = $2 WHERE id = $3",
            stamp,
            json.dumps(top_terms(merged)),
            record.event_id,
        )

    async def _save_entities(self, db: Connection, record: AnalysisRecord) -> None:
        analysis = record.analysis
        entities: dict[str, Entity] = {}
        for stat in analysis.entities:
            entities[stat.entity.id] = stat.entity
        for mention in analysis.mentions:
            entities.setdefault(mention.entity.id, mention.entity)
        # Sorted, so that two instances upserting the same entities lock them in
        # the same order and never deadlock.
        ordered = sorted(entities.values(), key=lambda e: e.id)
        await db.executemany(
            "INSERT INTO entities (id, name, name_norm, type) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
            " name_norm = excluded.name_norm, type = excluded.type",
            [(e.id, e.name, e.name.casefold().strip(), e.type) for e in ordered],
        )
        aliases = {(e.name.casefold().strip(), e.id): e.name for e in entities.values()}
        for mention in analysis.mentions:
            aliases.setdefault((mention.text.casefold().strip(), mention.entity.id), mention.text)
        await db.executemany(
            "INSERT INTO entity_aliases (alias_norm, entity_id, alias) VALUES ($1, $2, $3)"
            " ON CONFLICT (alias_norm, entity_id) DO NOTHING",
            [
                (norm, entity_id, alias)
                for (norm, entity_id), alias in sorted(aliases.items())
                if norm
            ],
        )
        await db.executemany(
            "INSERT INTO mentions (story_id, entity_id, surface, start_char, end_char, sentence)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            [
                (record.story_id, m.entity.id, m.text, m.start, m.end, m.sentence)
                for m in analysis.mentions
            ],
        )
        await db.executemany(
            "INSERT INTO story_entities (story_id, entity_id, mentions, salience, in_title)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (story_id, entity_id) DO UPDATE SET"
            " mentions = excluded.mentions, salience = excluded.salience,"
            " in_title = excluded.in_title",
            [
                (record.story_id, s.entity.id, s.mentions, s.salience, s.in_title)
                for s in analysis.entities
            ],
        )

    async def _save_claims(self, db: Connection, record: AnalysisRecord, stamp: datetime) -> None:
        for index, claim in enumerate(record.claims):
            claim_id = claim.id or f"{record.story_id}-{index}"
            canonical: str | None = None
            if claim.matches is not None and claim.novelty is Novelty.REPEAT:
                # only a repeat adds a source; an update or contradiction is its own claim
                known = await db.fetchval("SELECT 1 FROM claims WHERE id = $1", claim.matches)
                if known is not None:
                    canonical = claim.matches
                else:
                    log.warning(
                        "story %d: claim %s matches unknown claim %s; stored as a new claim",
                        record.story_id,
                        claim_id,
                        claim.matches,
                    )
            if canonical is None and claim.novelty is Novelty.REPEAT:
                # A repeat without a usable match (a near-duplicate story): the same
                # words by the same speaker already in the event.
                canonical = await db.fetchval(
                    "SELECT m.canonical_id FROM claim_mentions m"
                    " JOIN claims c ON c.id = m.canonical_id"
                    " WHERE c.event_id = $1 AND m.speaker = $2 AND m.text_norm = $3"
                    " ORDER BY m.seq LIMIT 1",
                    record.event_id,
                    claim.speaker,
                    normalise_body(claim.text),
                )
            if canonical is None:
                await db.execute(
                    "INSERT INTO claims (id, event_id, speaker, speaker_id, stance, text,"
                    " entities, numbers, first_seen, first_story_id, text_norm, speaker_side)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                    " ON CONFLICT (id) DO NOTHING",
                    claim_id,
                    record.event_id,
                    claim.speaker,
                    claim.speaker_id,
                    claim.stance.value,
                    claim.text,
                    json.dumps(list(claim.entities)),
                    json.dumps(list(claim.numbers)),
                    stamp,
                    record.story_id,
                    normalise_body(claim.text),
                    claim.speaker_side,
                )
                await db.executemany(
                    "INSERT INTO claim_entities (claim_id, entity_id) VALUES ($1, $2)"
                    " ON CONFLICT DO NOTHING",
                    [(claim_id, entity_id) for entity_id in claim.entities],
                )
                canonical = claim_id
            mention_id = claim_id
            taken = await db.fetchval(
                "SELECT story_id FROM claim_mentions WHERE id = $1", mention_id
            )
            if taken is not None:
                mention_id = f"{claim_id}@{record.story_id}"
            await db.execute(
                "INSERT INTO claim_mentions (id, story_id, canonical_id, speaker, cue, stance,"
                " direct, text, sentence, novelty, matches, why, text_norm, speaker_side)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                " ON CONFLICT (id) DO UPDATE SET story_id = excluded.story_id,"
                " canonical_id = excluded.canonical_id, speaker = excluded.speaker,"
                " cue = excluded.cue, stance = excluded.stance, direct = excluded.direct,"
                " text = excluded.text, sentence = excluded.sentence,"
                " novelty = excluded.novelty, matches = excluded.matches, why = excluded.why,"
                " text_norm = excluded.text_norm, speaker_side = excluded.speaker_side,"
                " seq = DEFAULT",
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
                normalise_body(claim.text),
                claim.speaker_side,
            )

    # ------------------------------------------------- several instances: extras

    async def _connect(self) -> Connection:
        try:
            return await asyncpg.connect(self._dsn, server_settings=self._server_settings)
        except _TRANSIENT as exc:
            raise TransientError(f"cannot reach PostgreSQL: {exc}") from exc

    async def notify(self, channel: str, payload: str = "") -> None:
        """``NOTIFY channel`` (delivered to every listening instance)."""
        async with self._write() as db:
            await db.execute("SELECT pg_notify($1, $2)", self._channel(channel), payload)

    async def wait_for_notify(self, channel: str, timeout: float) -> bool:  # noqa: ASYNC109
        """Wait up to ``timeout`` seconds for a ``NOTIFY`` on ``channel``; True when
        one arrived. The first call starts listening; a notification that arrives
        while nobody waits is kept for the next call, so none is missed.

        Alerts queued by :meth:`save_analysis` notify ``claimwatch_outbox``."""
        signal = await self._listen(channel)
        try:
            await asyncio.wait_for(signal.wait(), timeout)
        except TimeoutError:
            return False
        signal.clear()
        return True

    async def _listen(self, channel: str) -> asyncio.Event:
        async with self._listen_lock:
            if self._listener is None or self._listener.is_closed():
                self._listener = await self._connect()
                for name in list(self._signals):  # listening again after a lost connection
                    await self._add_listener(name)
            if channel not in self._signals:
                await self._add_listener(channel)
            return self._signals[channel]

    def _channel(self, channel: str) -> str:
        """The PostgreSQL channel for ``channel`` in this store's schema: two
        installations sharing a database (schemas) do not wake each other."""
        scoped = f"{channel}@{self.schema}"
        if len(scoped.encode()) > 63:  # longer channel names are cut by the server
            scoped = f"{channel}@{hashlib.sha1(self.schema.encode()).hexdigest()[:16]}"
        return scoped

    async def _add_listener(self, channel: str) -> None:
        signal = self._signals.setdefault(channel, asyncio.Event())

        def on_notify(_conn: Any, _pid: int, _channel: str, _payload: str) -> None:
            signal.set()

        assert self._listener is not None
        await self._listener.add_listener(self._channel(channel), on_notify)

    async def try_leader(self, name: str) -> bool:
        """Try to become (or check that we still are) the one instance doing ``name``
        (e.g. ``adapter:telegram``): a PostgreSQL session advisory lock held on a
        connection of its own. It is released by :meth:`release_leader`, by
        :meth:`close`, or when this process or its connection dies — then the
        next instance to ask gets it."""
        async with self._leader_lock:
            conn = self._leader_conn
            if conn is not None and not conn.is_closed():
                try:
                    await conn.fetchval("SELECT 1")
                except (*_TRANSIENT, asyncpg.PostgresError):
                    conn = None
            else:
                conn = None
            if conn is None:
                if self._leaders:
                    log.warning("lost the leader connection: no longer leading %s", self._leaders)
                self._leaders.clear()
                if self._leader_conn is not None:
                    with suppress(Exception):
                        await self._leader_conn.close()
                self._leader_conn = conn = await self._connect()
            if name in self._leaders:
                return True
            got = bool(
                await conn.fetchval(f"SELECT pg_try_advisory_lock({_advisory_key_sql('$1')})", name)
            )
            if got:
                self._leaders.add(name)
                log.info("this instance (%s) now leads %s", self.instance_id[:8], name)
            return got

    async def release_leader(self, name: str) -> None:
        async with self._leader_lock:
            if name not in self._leaders:
                return
            self._leaders.discard(name)
            conn = self._leader_conn
            if conn is not None and not conn.is_closed():
                with suppress(Exception):
                    await conn.fetchval(
                        f"SELECT pg_advisory_unlock({_advisory_key_sql('$1')})", name
                    )

    @asynccontextmanager
    async def decision_lock(self) -> AsyncIterator[None]:
        """A session advisory lock on a connection of the pool: released on exit,
        or by the server when this process or its connection dies."""
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock(hashtext($1))", self._decide_key)
            try:
                yield
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", self._decide_key)

    @property
    def _decide_key(self) -> str:
        return f"claimwatch:decide:{self.schema or 'public'}"

    async def try_lease(self, name: str, seconds: float, now: datetime | None = None) -> bool:
        """Take or renew the named lease for ``seconds`` (e.g. ``feed:<url>``): True
        when this store holds it now. Another store gets it only after it expires."""
        stamp = _utc(now) if now is not None else datetime.now(UTC)
        async with self._write() as db:
            owner = await db.fetchval(
                "INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3)"
                " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until"
                " WHERE leases.owner = excluded.owner OR leases.until <= $4"
                " RETURNING owner",
                name,
                self.instance_id,
                stamp + timedelta(seconds=seconds),
                stamp,
            )
        return bool(owner == self.instance_id)

    async def release_lease(self, name: str) -> None:
        async with self._write() as db:
            await db.execute(
                "DELETE FROM leases WHERE name = $1 AND owner = $2", name, self.instance_id
            )


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


__all__ = [
    "OUTBOX_CHANNEL",
    "PostgresStore",
    "is_postgres_url",
    "load_pg_migrations",
]
