-- Delivery: persisted rate-limit pauses, per-chat digest/quiet-hour settings,
-- and alerts held for a digest.

-- A 429 pauses one scope until a time: a platform ("telegram") or one chat
-- ("telegram:12345"). Rows outlive a restart; expired rows are ignored.
CREATE TABLE delivery_pauses (
    scope   TEXT PRIMARY KEY,
    until   TEXT NOT NULL,
    reason  TEXT
);

ALTER TABLE chats ADD COLUMN digest_mode TEXT NOT NULL DEFAULT 'off';
ALTER TABLE chats ADD COLUMN digest_time TEXT;
ALTER TABLE chats ADD COLUMN quiet_start TEXT;
ALTER TABLE chats ADD COLUMN quiet_end TEXT;
ALTER TABLE chats ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';

-- Why an open row waits for a digest (digest, quiet, flood); NULL: sent on its own.
ALTER TABLE outbox ADD COLUMN hold TEXT;
CREATE INDEX outbox_chat_sent ON outbox(platform, chat_id, sent_at);
