-- A watch may carry +/- terms (/watch china -taiwan, /watch "north korea" +russia):
-- `filters` holds them as a JSON list in a fixed order ('' for none), and a chat
-- may watch the same target with different terms, so the unique key gains the
-- column. Every existing watch gets '' (no terms) and keeps working as before.
ALTER TABLE subscriptions ADD COLUMN filters TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_platform_chat_id_key_key;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_platform_chat_id_key_filters_key
    UNIQUE (platform, chat_id, key, filters);
