-- How much of an event a watch notifies about (bot.models.WatchLevel):
-- 'events' (new events only), 'major' (new events and major developments;
-- the default) or 'all' (every fresh claim).
ALTER TABLE subscriptions ADD COLUMN level TEXT NOT NULL DEFAULT 'major'
    CHECK (level IN ('events', 'major', 'all'));
