-- Cameras as configured, with their latest health.
CREATE TABLE cameras (
  id TEXT PRIMARY KEY,
  name TEXT,
  role TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'stopped',
  reason TEXT,
  updated_at INTEGER NOT NULL
);

-- Events with a start / update / end lifecycle.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  camera_id TEXT NOT NULL,
  zone_id TEXT,
  track_id INTEGER,
  type TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  ended_at INTEGER,
  data TEXT NOT NULL DEFAULT '{}',
  review_state TEXT NOT NULL DEFAULT 'open' CHECK (review_state IN ('open', 'acknowledged', 'false_positive'))
);
CREATE INDEX events_started ON events (started_at DESC, id DESC);
CREATE INDEX events_camera_started ON events (camera_id, started_at DESC);
CREATE INDEX events_type_started ON events (type, started_at DESC);

CREATE TABLE event_updates (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  phase TEXT NOT NULL CHECK (phase IN ('start', 'update', 'end')),
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX event_updates_event ON event_updates (event_id, at);

CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  event_id INTEGER REFERENCES events (id) ON DELETE CASCADE,
  camera_id TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  path TEXT NOT NULL,
  blurred_path TEXT,
  has_faces INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX snapshots_taken ON snapshots (taken_at);

-- Per zone per minute.
CREATE TABLE queue_stats (
  camera_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  minute INTEGER NOT NULL,
  avg_count REAL NOT NULL,
  max_count INTEGER NOT NULL,
  departures INTEGER NOT NULL,
  est_wait_s INTEGER,
  occupied_ratio REAL,
  PRIMARY KEY (camera_id, zone_id, minute)
);
CREATE INDEX queue_stats_minute ON queue_stats (minute);

CREATE TABLE tracks (
  camera_id TEXT NOT NULL,
  track_id INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  zones TEXT NOT NULL DEFAULT '[]',
  best_snapshot_id INTEGER REFERENCES snapshots (id) ON DELETE SET NULL,
  PRIMARY KEY (camera_id, track_id, first_seen)
);
CREATE INDEX tracks_last_seen ON tracks (last_seen);

CREATE TABLE watchlist_persons (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  note TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE watchlist_embeddings (
  id INTEGER PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES watchlist_persons (id) ON DELETE CASCADE,
  embedding BLOB NOT NULL,
  face_crop BLOB,
  created_at INTEGER NOT NULL
);

CREATE TABLE review_actions (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('acknowledge', 'false_positive', 'comment', 'reopen')),
  comment TEXT,
  at INTEGER NOT NULL
);

CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);

-- Every read of face data: who, what, when.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Store-and-forward queue for central sync, written in the same transaction as the record it carries.
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  priority INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX sync_outbox_priority ON sync_outbox (priority, seq);
