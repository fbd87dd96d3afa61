-- ClaimWatch schema, version 1.
-- Times are ISO-8601 UTC text (fixed width, so they compare as text);
-- dates are ISO text (YYYY-MM-DD). JSON columns hold compact JSON.

-- Outlets that stories come from.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    first_seen  TEXT NOT NULL
);

CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    terms       TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE stories (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    source_id    INTEGER REFERENCES sources(id),
    url          TEXT,
    body_hash    TEXT NOT NULL,
    title        TEXT NOT NULL,
    outlet       TEXT,
    published    TEXT,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'analysed', 'duplicate', 'failed')),
    event_id     TEXT REFERENCES events(id),
    duplicate_of INTEGER REFERENCES stories(id),
    fingerprint  INTEGER,
    failure      TEXT,
    ingested_at  TEXT NOT NULL,
    analysed_at  TEXT
);
CREATE UNIQUE INDEX stories_url ON stories(url) WHERE url IS NOT NULL;
CREATE INDEX stories_body_hash ON stories(body_hash);
CREATE INDEX stories_status ON stories(status, id);
CREATE INDEX stories_event ON stories(event_id);

CREATE TABLE entities (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_norm   TEXT NOT NULL,
    type        TEXT NOT NULL
);
CREATE INDEX entities_name_norm ON entities(name_norm);

CREATE TABLE entity_aliases (
    alias_norm  TEXT NOT NULL,
    entity_id   TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias       TEXT NOT NULL,
    PRIMARY KEY (alias_norm, entity_id)
);
CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL REFERENCES entities(id),
    surface     TEXT NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    sentence    INTEGER NOT NULL
);
CREATE INDEX mentions_story ON mentions(story_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE story_entities (
    story_id    INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL REFERENCES entities(id),
    mentions    INTEGER NOT NULL,
    salience    REAL NOT NULL,
    in_title    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, entity_id)
);
CREATE INDEX story_entities_entity ON story_entities(entity_id);

-- Canonical claims: one row per proposition.
CREATE TABLE claims (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events(id),
    speaker         TEXT NOT NULL,
    speaker_id      TEXT,
    stance          TEXT NOT NULL,
    text            TEXT NOT NULL,
    entities        TEXT NOT NULL DEFAULT '[]',
    numbers         TEXT NOT NULL DEFAULT '[]',
    first_seen      TEXT NOT NULL,
    first_story_id  INTEGER REFERENCES stories(id)
);
CREATE INDEX claims_event ON claims(event_id, first_seen);
CREATE INDEX claims_speaker ON claims(speaker_id);
CREATE INDEX claims_first_seen ON claims(first_seen);

-- The entities a canonical claim is about, for /claims lookups.
CREATE TABLE claim_entities (
    claim_id    TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,
    PRIMARY KEY (claim_id, entity_id)
);
CREATE INDEX claim_entities_entity ON claim_entities(entity_id);

-- Every occurrence of a claim in a story, pointing at its canonical claim.
CREATE TABLE claim_mentions (
    id            TEXT PRIMARY KEY,
    story_id      INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    canonical_id  TEXT NOT NULL REFERENCES claims(id),
    speaker       TEXT NOT NULL,
    cue           TEXT NOT NULL,
    stance        TEXT NOT NULL,
    direct        INTEGER NOT NULL,
    text          TEXT NOT NULL,
    sentence      INTEGER NOT NULL DEFAULT 0,
    novelty       TEXT,
    matches       TEXT,
    why           TEXT
);
CREATE INDEX claim_mentions_story ON claim_mentions(story_id);
CREATE INDEX claim_mentions_canonical ON claim_mentions(canonical_id);

CREATE TABLE chats (
    platform       TEXT NOT NULL,
    chat_id        TEXT NOT NULL,
    paused         INTEGER NOT NULL DEFAULT 0,
    paused_reason  TEXT,
    muted_until    TEXT,
    PRIMARY KEY (platform, chat_id)
);

CREATE TABLE subscriptions (
    id        INTEGER PRIMARY KEY,
    platform  TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('entity', 'keyword')),
    key       TEXT NOT NULL,
    name      TEXT NOT NULL,
    paused    INTEGER NOT NULL DEFAULT 0,
    created   TEXT NOT NULL,
    UNIQUE (platform, chat_id, key)
);
CREATE INDEX subscriptions_key ON subscriptions(key);

-- Append-only log of subscription changes; its version is the row id.
CREATE TABLE subscription_changes (
    version          INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id  INTEGER NOT NULL,
    op               TEXT NOT NULL CHECK (op IN ('upsert', 'remove'))
);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    platform         TEXT NOT NULL,
    chat_id          TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sent', 'retry', 'undeliverable')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    lease_until      TEXT,
    message_id       TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    failed_at        TEXT
);
CREATE INDEX outbox_open ON outbox(status, platform, chat_id, id);
CREATE INDEX outbox_chat_event ON outbox(platform, chat_id, event_id, status);
