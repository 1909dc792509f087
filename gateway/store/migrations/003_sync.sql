-- Central sync, gateway side.

-- Outbox priorities (lower is sent first): 0 watchlist matches and high-severity events with their
-- updates, 1 other events with their updates, 2 camera health, 3 queue statistics. The bound drops
-- from 3 down to 1, never 0.

-- The event a row belongs to (event and event_update rows), so dropping an event's start can drop
-- its updates through an index instead of parsing every payload.
ALTER TABLE sync_outbox ADD COLUMN event_uid TEXT;
UPDATE sync_outbox SET event_uid = json_extract(payload, '$.uid') WHERE kind IN ('event', 'event_update');
CREATE INDEX sync_outbox_event_uid ON sync_outbox (event_uid) WHERE event_uid IS NOT NULL;

-- Event payloads carry exactly the wire's fields: rows written before this migration had a phase.
UPDATE sync_outbox SET payload = json_remove(payload, '$.phase') WHERE kind = 'event';

-- The outbox row count, kept by triggers in the writing transaction, so the backlog and the bound
-- check never count a table of a million rows.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  outbox_rows INTEGER NOT NULL
);
INSERT INTO sync_state (id, outbox_rows) SELECT 1, count(*) FROM sync_outbox;
CREATE TRIGGER sync_outbox_counted_insert AFTER INSERT ON sync_outbox
BEGIN
  UPDATE sync_state SET outbox_rows = outbox_rows + 1 WHERE id = 1;
END;
CREATE TRIGGER sync_outbox_counted_delete AFTER DELETE ON sync_outbox
BEGIN
  UPDATE sync_state SET outbox_rows = outbox_rows - 1 WHERE id = 1;
END;

-- Records the outbox bound discarded unsent, per kind.
CREATE TABLE sync_dropped (
  kind TEXT PRIMARY KEY,
  count INTEGER NOT NULL
);

-- Records the central server (or the wire schema) refused: kept for inspection, never resent.
CREATE TABLE sync_dead_letter (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  priority INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  payload TEXT NOT NULL,
  error TEXT NOT NULL,
  dead_at INTEGER NOT NULL
);
