-- Zones drawn in the dashboard: for their camera they replace the config file's zones, at start and live.
CREATE TABLE camera_zones (
  camera_id TEXT PRIMARY KEY,
  zones TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The cameras table is written at start from the configuration, disabled cameras included.
ALTER TABLE cameras ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
