-- The PostgreSQL schema has had stories.lease_owner and lease_until since 0001;
-- this number keeps both dialects in step with the SQLite migration.
SELECT 1;
