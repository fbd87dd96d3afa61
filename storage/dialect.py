"""What truly differs between SQLite and PostgreSQL, side by side.

Every query in the aggregates is written once; these are the few pieces it
splices in where the engines disagree:

* **the story day**: the date a story counts for in event windows — SQLite
  keeps times as ISO text (the day is its first ten characters), PostgreSQL
  as ``timestamptz``;
* **row locking**: a PostgreSQL write that picks rows another instance could
  pick at the same moment locks them (``FOR UPDATE``, or ``FOR UPDATE SKIP
  LOCKED`` to leave them to that instance); SQLite has no row locks, and needs
  none: every write transaction is ``BEGIN IMMEDIATE``, which holds the
  file's single write lock from its first statement;
* **the subscription change log**: PostgreSQL writers lock the table first, so
  change versions commit in order; SQLite writers are already serialised;
* **insertion order**: SQLite's implicit ``rowid`` against PostgreSQL's
  ``seq`` identity column;
* **the schema**: how to see whether a table exists, and the lock instances
  starting together take before each migration (SQLite: ``BEGIN IMMEDIATE``);
* **the heartbeat clock**: PostgreSQL instances on several hosts write
  heartbeats in the server's ``now()``; processes sharing a SQLite file share
  this machine's clock;
* **the decision lock** (held while a story's event and novelty are decided):
  a lock file next to the SQLite database (every process sharing it is on
  this machine), a session advisory lock on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    ingest_day: str  # the UTC day of {alias}.ingested_at
    for_update: str  # appended to a SELECT whose rows this transaction changes next
    skip_locked: str  # appended to a SELECT that leases rows to this instance
    lock_changes: str | None  # run before writing subscription_changes
    seq: str  # the column that keeps insertion order (claims, claim_mentions)
    find: str  # {hay} contains {needle} at a position > 0
    table_exists: str  # a row when the table named by the one parameter exists
    migration_lock: str | None  # taken by each migration's transaction
    clock: str | None  # the database's own clock for heartbeats (None: the caller's)

    def story_day(self, alias: str) -> str:
        """The day a story counts for: its publication date, else the day the
        analysis placed it in the stream, else the day it was ingested."""
        day = self.ingest_day.format(alias=alias)
        return f"COALESCE({alias}.published, {alias}.event_day, {day})"

    def contains(self, hay: str, needle: str) -> str:
        return self.find.format(hay=hay, needle=needle)


SQLITE = Dialect(
    name="sqlite",
    ingest_day="substr({alias}.ingested_at, 1, 10)",
    for_update="",
    skip_locked="",
    lock_changes=None,
    seq="rowid",
    find="instr({hay}, {needle})",
    table_exists="SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    migration_lock=None,
    clock=None,
)

POSTGRES = Dialect(
    name="postgres",
    ingest_day="({alias}.ingested_at AT TIME ZONE 'UTC')::date",
    for_update=" FOR UPDATE",
    skip_locked=" FOR UPDATE SKIP LOCKED",
    lock_changes="LOCK TABLE subscription_changes IN EXCLUSIVE MODE",
    seq="seq",
    find="strpos({hay}, {needle})",
    table_exists="SELECT 1 FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_name = ?",
    migration_lock="SELECT pg_advisory_xact_lock("
    "hashtextextended(current_schema() || ':migrate', 0))",
    clock="now()",
)


# ------------------------------------------------------------ the decision lock


@asynccontextmanager
async def file_lock(path: str) -> AsyncIterator[None]:
    """SQLite: an exclusive ``flock`` on ``path`` (no lock for ``:memory:``)."""
    if path.startswith(":memory:"):
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@asynccontextmanager
async def advisory_lock(pool: Any, key: str) -> AsyncIterator[None]:
    """PostgreSQL: a session advisory lock on a connection of the pool, released
    on exit, or by the server when this process or its connection dies."""
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock(hashtext($1))", key)
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", key)
