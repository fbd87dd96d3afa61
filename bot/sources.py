"""The value types of live sources: a feed as stored, and what one poll of it found.

They cross from the feed poller (:mod:`bot.ingest.feeds`) to the store and
from the store to ``/feeds`` and ``claimwatch feeds list``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Feed:
    """One RSS or Atom feed the service polls."""

    id: int
    url: str
    added: datetime
    next_poll: datetime
    title: str | None = None
    added_by: str | None = None  # platform:user_id, or "cli"
    interval_seconds: float | None = None  # None: FEED_INTERVAL_SECONDS
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_ok: datetime | None = None
    errors: int = 0  # failures in a row; 0 after a good poll
    last_error: str | None = None
    entries: int = 0  # stories taken from it so far

    @property
    def status(self) -> str:
        """``new`` (never polled), ``ok`` or ``failing``."""
        if self.errors:
            return "failing"
        return "ok" if self.last_ok is not None else "new"

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """What one poll of a feed found; :meth:`storage.base.Store.record_poll` keeps it.

    On success (``error`` None) the validators (``etag``, ``last_modified``)
    replace the stored ones when given, and the error count goes back to 0;
    on failure the count goes up and the validators stay."""

    feed_id: int
    at: datetime
    next_poll: datetime
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    new_entries: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None
