-- Throughput per device (wire version 3): the performance summary of each gateway's heartbeat.
-- The latest summary sits with the latest heartbeat (NULL from gateways of wire version 1 or 2, and
-- cleared by a heartbeat without one). Trends are kept downsampled: one row per gateway and
-- half-hour slot (the trend's bucket), holding sums over the heartbeats of the slot (averages are
-- sum / samples), so 24 hours of one gateway are at most 48 rows however often it beats (1,000
-- gateways: 48,000 rows per day, 336,000 in the 7 days kept). Read by the primary key
-- (gateway_id, slot) for one gateway and by gateway_perf_slot for all of them and for retention,
-- which keeps 7 days.
ALTER TABLE heartbeats ADD COLUMN perf {{json}};

CREATE TABLE gateway_perf (
  gateway_id TEXT NOT NULL,
  slot {{bigint}} NOT NULL,
  samples INTEGER NOT NULL,
  detections_sum {{float}} NOT NULL,
  frames_sum {{float}} NOT NULL,
  target_fps_sum {{float}} NOT NULL,
  cpu_sum {{float}} NOT NULL,
  streaming_sum INTEGER NOT NULL,
  received_at {{bigint}} NOT NULL,
  PRIMARY KEY (gateway_id, slot)
);
CREATE INDEX gateway_perf_slot ON gateway_perf (slot);
