-- Evidence clips: one row per event that had a clip-enabled camera. The MP4 lives at `path` under
-- <dataDir>/clips; `path` is NULL when no clip could be made (`reason` says why). Keyed by the
-- event's uid (the clip is written long after the event row, by another path than the batched
-- writer). Never synced: no outbox record is written for a clip. Retention (clipsDays) and the
-- disk bound (clips.maxDiskMiB, oldest first) delete the file and the row; a clip whose event was
-- deleted goes with it.
CREATE TABLE clips (
  id INTEGER PRIMARY KEY,
  event_uid TEXT NOT NULL UNIQUE,
  camera_id TEXT NOT NULL,
  path TEXT,
  -- wall-clock span the clip covers (ms), its duration as read back from the MP4, and its size
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
  reason TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX clips_created ON clips (created_at);
