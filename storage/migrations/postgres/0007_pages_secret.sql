-- Secrets the service generates for itself and keeps (one row per name): the key
-- event page links are signed with when PAGES_SECRET is unset, shared by every
-- instance that uses this database.
CREATE TABLE service_secrets (
    name     TEXT PRIMARY KEY,
    value    TEXT NOT NULL,
    created  TIMESTAMPTZ NOT NULL
);
