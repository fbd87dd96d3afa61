-- Leases with an owner and a heartbeat. Every running process (`claimwatch run`,
-- `claimwatch work`) registers here and renews its heartbeat every couple of
-- seconds; the leases of an owner that is gone (its process died on this host,
-- or its heartbeat stopped) are taken over at once instead of waiting for them
-- to expire.
CREATE TABLE lease_owners (
    owner        TEXT PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    pid_start    TEXT,
    role         TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
CREATE INDEX outbox_leased ON outbox(lease_owner) WHERE lease_until IS NOT NULL;
CREATE INDEX stories_leased ON stories(lease_owner) WHERE lease_until IS NOT NULL;

-- The counters of every process, written with its heartbeat, so /metrics can add
-- them up. A gone owner's counts are folded into owner '' (totals never go down).
CREATE TABLE process_metrics (
    owner   TEXT NOT NULL,
    sample  TEXT NOT NULL,
    value   REAL NOT NULL,
    PRIMARY KEY (owner, sample)
);
