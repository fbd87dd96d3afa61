-- What PostgreSQL has had since 0001, so that both dialects run the same queries:
-- the normalised text of a claim and of a claim mention (bot.models.normalise_body,
-- computed by the store's cw_norm function), and named, expiring leases shared
-- by the processes using the file.
ALTER TABLE claims ADD COLUMN text_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE claim_mentions ADD COLUMN text_norm TEXT NOT NULL DEFAULT '';
UPDATE claims SET text_norm = cw_norm(text);
UPDATE claim_mentions SET text_norm = cw_norm(text);

CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    owner  TEXT NOT NULL,
    until  TEXT NOT NULL
);
