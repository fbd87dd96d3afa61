-- The PostgreSQL schema has had claims.text_norm, claim_mentions.text_norm and
-- leases since 0001; this number keeps both dialects in step with the SQLite
-- migration that adds them there.
SELECT 1;
