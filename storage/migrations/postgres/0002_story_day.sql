-- The day a story counts for in event windows: its publication date, or, for an
-- undated story, the day the analysis placed it in the stream.
ALTER TABLE stories ADD COLUMN event_day DATE;
