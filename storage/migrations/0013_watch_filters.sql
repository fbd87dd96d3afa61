-- A watch may carry +/- terms (/watch china -taiwan, /watch "north korea" +russia):
-- `filters` holds them as a JSON list in a fixed order ('' for none), and a chat
-- may watch the same target with different terms, so the unique key gains the
-- column. SQLite cannot change a table's UNIQUE constraint in place: the table
-- is rebuilt with the same ids (subscription_changes points at them), and every
-- existing watch gets '' (no terms) and keeps working as before, at its level
-- (0011). A migration that adds a column to subscriptions before this one must
-- add it here too.
CREATE TABLE subscriptions_0013 (
    id        INTEGER PRIMARY KEY,
    platform  TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('entity', 'keyword')),
    key       TEXT NOT NULL,
    name      TEXT NOT NULL,
    paused    INTEGER NOT NULL DEFAULT 0,
    created   TEXT NOT NULL,
    level     TEXT NOT NULL DEFAULT 'major' CHECK (level IN ('events', 'major', 'all')),
    filters   TEXT NOT NULL DEFAULT '',
    UNIQUE (platform, chat_id, key, filters)
);
INSERT INTO subscriptions_0013
    (id, platform, chat_id, kind, key, name, paused, created, level, filters)
    SELECT id, platform, chat_id, kind, key, name, paused, created, level, '' FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_0013 RENAME TO subscriptions;
CREATE INDEX subscriptions_key ON subscriptions(key);
