-- A story whose analysis or decision fails is retried a few times with backoff
-- (STORY_MAX_ATTEMPTS, STORY_RETRY_SECONDS), then quarantined, so the stories
-- after it go on. `attempts` counts the failures, `failure` keeps the last reason,
-- `retry_at` is when it is offered again. A quarantined story keeps status
-- 'failed' with `quarantined_at` set (the store reports it as 'quarantined'):
-- SQLite cannot widen the CHECK on stories.status without rebuilding a table
-- that five others reference.
ALTER TABLE stories ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN retry_at TEXT;
ALTER TABLE stories ADD COLUMN quarantined_at TEXT;
-- a failure recorded by an earlier release was final
UPDATE stories SET attempts = 1, quarantined_at = COALESCE(analysed_at, ingested_at)
WHERE status = 'failed';
CREATE INDEX stories_retry ON stories(retry_at) WHERE status = 'failed' AND quarantined_at IS NULL;
