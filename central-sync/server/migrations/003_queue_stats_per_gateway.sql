-- Queue statistics keyed by gateway too: two gateways of one site (say an entrance and an exit
-- camera server) reporting the same camera id, zone id and minute each keep their own row instead
-- of overwriting each other's. A gateway belongs to one site, so the site stays first in the key
-- and the per-site queries still read the primary key in order. Existing rows are kept as they
-- are, under the gateway that wrote them last (the gateway_id they already carry).
-- Rebuilt rather than altered: SQLite cannot change a primary key in place.

CREATE TABLE queue_stats_by_gateway (
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
  PRIMARY KEY (site_id, camera_id, zone_id, minute, gateway_id)
);
INSERT INTO queue_stats_by_gateway (site_id, camera_id, zone_id, minute, gateway_id, avg_count, max_count, departures, est_wait_s, occupied_ratio, received_at)
  SELECT site_id, camera_id, zone_id, minute, gateway_id, avg_count, max_count, departures, est_wait_s, occupied_ratio, received_at FROM queue_stats;
DROP TABLE queue_stats;
ALTER TABLE queue_stats_by_gateway RENAME TO queue_stats;
CREATE INDEX queue_stats_minute ON queue_stats (minute);
