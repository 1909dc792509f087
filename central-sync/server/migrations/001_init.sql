-- Central store, shared by SQLite and PostgreSQL. Tokens substituted per dialect before running:
-- {{id}} surrogate key, {{bigint}} 64-bit integer, {{json}} JSON document, {{float}} double.
-- Every time is milliseconds since the epoch. High-volume tables (records, events, nonces) carry no
-- foreign keys: gateways are revoked, never deleted, and a per-row FK check would slow ingest.

CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at {{bigint}} NOT NULL
);

CREATE TABLE gateways (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  name TEXT NOT NULL,
  -- The HMAC key itself: the server must hold it to verify signatures.
  secret TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  revoked_at {{bigint}}
);
CREATE INDEX gateways_site ON gateways (site_id);

CREATE TABLE enrolment_tokens (
  digest TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  created_at {{bigint}} NOT NULL,
  expires_at {{bigint}} NOT NULL,
  used_at {{bigint}},
  gateway_id TEXT
);

CREATE TABLE api_tokens (
  id {{id}},
  digest TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('security', 'ops', 'admin')),
  created_at {{bigint}} NOT NULL,
  revoked_at {{bigint}}
);

CREATE TABLE nonces (
  gateway_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at {{bigint}} NOT NULL,
  PRIMARY KEY (gateway_id, nonce)
);
CREATE INDEX nonces_seen ON nonces (seen_at);

-- Every record as received; the primary key is the idempotency key (UNIQUE (gateway_id, seq)).
CREATE TABLE records (
  gateway_id TEXT NOT NULL,
  seq {{bigint}} NOT NULL,
  kind TEXT NOT NULL,
  at {{bigint}} NOT NULL,
  received_at {{bigint}} NOT NULL,
  payload {{json}} NOT NULL,
  PRIMARY KEY (gateway_id, seq)
);

-- Per gateway: when it last delivered new records (fleet sync lag) without scanning records.
CREATE TABLE gateway_sync (
  gateway_id TEXT PRIMARY KEY,
  highest_seq {{bigint}} NOT NULL,
  last_received_at {{bigint}} NOT NULL,
  records_total {{bigint}} NOT NULL
);

-- Day queries ("events of site X yesterday") are range scans on started_at: B-tree indexes keep
-- them proportional to the rows returned at tens of millions of rows. Partitioning by day is left
-- out on purpose: SQLite has none, the (gateway_id, uid) idempotency key would have to include the
-- partition column, and partitions mainly pay off for dropping old days, which retention can do
-- later (PostgreSQL only) without changing any query. `id` ends each index so the cursor's
-- (started_at, id) order is read straight from the index.
CREATE TABLE events (
  id {{id}},
  site_id TEXT NOT NULL,
  gateway_id TEXT NOT NULL,
  uid TEXT NOT NULL,
  camera_id TEXT NOT NULL,
  zone_id TEXT,
  type TEXT NOT NULL,
  severity TEXT NOT NULL,
  started_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  ended_at {{bigint}},
  data {{json}} NOT NULL,
  UNIQUE (gateway_id, uid)
);
CREATE INDEX events_started ON events (started_at, id);
CREATE INDEX events_site_started ON events (site_id, started_at, id);
CREATE INDEX events_type_started ON events (type, started_at, id);

-- Updates delivered before their event (a resend or parallel delivery can reorder batches): held
-- here and applied, in seq order, when the event arrives.
CREATE TABLE pending_event_updates (
  gateway_id TEXT NOT NULL,
  uid TEXT NOT NULL,
  seq {{bigint}} NOT NULL,
  at {{bigint}} NOT NULL,
  phase TEXT NOT NULL,
  data {{json}} NOT NULL,
  received_at {{bigint}} NOT NULL,
  PRIMARY KEY (gateway_id, uid, seq)
);

CREATE TABLE queue_stats (
  site_id TEXT NOT NULL,
  camera_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  minute {{bigint}} NOT NULL,
  gateway_id TEXT NOT NULL,
  avg_count {{float}} NOT NULL,
  max_count INTEGER NOT NULL,
  departures INTEGER NOT NULL,
  est_wait_s INTEGER,
  occupied_ratio {{float}},
  received_at {{bigint}} NOT NULL,
  PRIMARY KEY (site_id, camera_id, zone_id, minute)
);
CREATE INDEX queue_stats_minute ON queue_stats (minute);

-- Latest state per camera, from camera_health records and heartbeats, whichever is newer.
CREATE TABLE camera_health (
  gateway_id TEXT NOT NULL,
  camera_id TEXT NOT NULL,
  state TEXT NOT NULL,
  reason TEXT,
  at {{bigint}} NOT NULL,
  received_at {{bigint}} NOT NULL,
  PRIMARY KEY (gateway_id, camera_id)
);

CREATE TABLE heartbeats (
  gateway_id TEXT PRIMARY KEY,
  at {{bigint}} NOT NULL,
  received_at {{bigint}} NOT NULL,
  backlog {{bigint}} NOT NULL,
  oldest_unsent_at {{bigint}},
  dropped {{bigint}} NOT NULL,
  cameras {{json}} NOT NULL
);
