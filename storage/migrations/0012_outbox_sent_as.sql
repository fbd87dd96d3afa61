-- How a sent outbox row reached its chat: 'message' (a message of its own: the
-- first alert of an event, which later news may edit), 'reply' (a notified
-- reply in the event's thread), 'quiet' (a silent reply), 'edit' (it updated
-- the first alert in place) or 'digest'. NULL: sent before this column existed.
ALTER TABLE outbox ADD COLUMN sent_as TEXT;
