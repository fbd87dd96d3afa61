-- A story awaiting analysis is leased to one process at a time, so a running
-- service and a `claimwatch ingest` never analyse (and alert) the same story twice.
ALTER TABLE stories ADD COLUMN lease_owner TEXT;
ALTER TABLE stories ADD COLUMN lease_until TEXT;
