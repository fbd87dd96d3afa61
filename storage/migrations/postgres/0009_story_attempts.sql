-- A story whose analysis or decision fails is retried a few times with backoff
-- (STORY_MAX_ATTEMPTS, STORY_RETRY_SECONDS), then quarantined, so the stories
-- after it go on. Same columns as the SQLite migration: a quarantined story
-- keeps status 'failed' with quarantined_at set (reported as 'quarantined').
ALTER TABLE stories ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN retry_at TIMESTAMPTZ;
ALTER TABLE stories ADD COLUMN quarantined_at TIMESTAMPTZ;
-- a failure recorded by an earlier release was final
UPDATE stories SET attempts = 1, quarantined_at = COALESCE(analysed_at, ingested_at)
WHERE status = 'failed';
CREATE INDEX stories_retry ON stories(retry_at) WHERE status = 'failed' AND quarantined_at IS NULL;
