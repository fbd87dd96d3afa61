-- Live sources: the feeds the service polls, with their conditional-GET
-- validators, schedule and health; and the entries already taken from any
-- feed (keyed by GUID or link), so one article in two feeds is taken once.
CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    title            TEXT,
    added_at         TEXT NOT NULL,
    added_by         TEXT,
    interval_seconds REAL,
    etag             TEXT,
    last_modified    TEXT,
    next_poll        TEXT NOT NULL,
    last_polled      TEXT,
    last_ok          TEXT,
    errors           INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    entries          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feeds_next_poll ON feeds(next_poll);

CREATE TABLE feed_entries (
    key       TEXT PRIMARY KEY,
    feed_id   INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    seen_at   TEXT NOT NULL
);
CREATE INDEX feed_entries_seen ON feed_entries(seen_at);
