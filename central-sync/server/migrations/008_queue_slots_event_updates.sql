-- Queues across sites (GET /v1/queues/today) and footfall (GET /v1/footfall) read a quarter-hour
-- rollup of queue_stats instead of aggregating minutes: one row per site, camera, zone and
-- quarter hour (FOOTFALL_SLOT_MINUTES; a slot never straddles a local midnight), summed over the
-- gateways that report that camera and zone. The province-scale benchmark measured the footfall
-- aggregation over queue_stats at p95 439 ms for all sites and 7 days, the same rows from this
-- rollup at p95 92 ms (benchmarks/results/central-scale-2026-12-01-vm.md, "footfall_slots").
-- Ingest keeps it exact in the same transaction: after upserting a batch's queue stats it
-- recomputes each slot those stats touch from queue_stats (a primary-key range of at most 15
-- minutes per gateway), so a stat re-sent with new values replaces its old contribution, maxima
-- included. Retention deletes slots older than its cutoff (step queueSlots, after queueStats).
--   minutes        queue_stats rows in the slot
--   crossing_rows  rows of a line zone (crossings_in or crossings_out not NULL); 0 = no line zone
--   wait_sum/n/max est_wait_s summed over the n rows that carry one, and its maximum (NULL: none)
--   peak           the largest max_count; count_sum the sum of avg_count (average = count_sum / minutes)
CREATE TABLE queue_slots (
  site_id TEXT NOT NULL,
  camera_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  slot {{bigint}} NOT NULL,
  minutes INTEGER NOT NULL,
  crossing_rows INTEGER NOT NULL,
  crossings_in {{bigint}} NOT NULL,
  crossings_out {{bigint}} NOT NULL,
  wait_sum {{bigint}} NOT NULL,
  wait_n INTEGER NOT NULL,
  wait_max INTEGER,
  peak INTEGER NOT NULL,
  count_sum {{float}} NOT NULL,
  last_minute {{bigint}} NOT NULL,
  received_at {{bigint}} NOT NULL,
  PRIMARY KEY (site_id, camera_id, zone_id, slot)
);
-- All sites for a range of slots (queues today, retention).
CREATE INDEX queue_slots_slot ON queue_slots (slot, site_id);
-- Footfall without a site: only the line zones' slots (the footfall query repeats crossing_rows > 0).
CREATE INDEX queue_slots_lines ON queue_slots (slot) WHERE crossing_rows > 0;

INSERT INTO queue_slots (site_id, camera_id, zone_id, slot, minutes, crossing_rows, crossings_in, crossings_out, wait_sum, wait_n, wait_max, peak, count_sum, last_minute, received_at)
  SELECT site_id, camera_id, zone_id, minute - minute % 900000, COUNT(*),
    SUM(CASE WHEN crossings_in IS NOT NULL OR crossings_out IS NOT NULL THEN 1 ELSE 0 END),
    COALESCE(SUM(crossings_in), 0), COALESCE(SUM(crossings_out), 0),
    COALESCE(SUM(est_wait_s), 0), COUNT(est_wait_s), MAX(est_wait_s), MAX(max_count), SUM(avg_count), MAX(minute), MAX(received_at)
  FROM queue_stats
  GROUP BY site_id, camera_id, zone_id, minute - minute % 900000;

-- An event's timeline (GET /v1/events/:id): its record and its updates as received, in seq order,
-- read from records (which keep every synced record) by gateway and uid. Partial: only the two
-- kinds that carry an event uid. The expression is written the same way in both dialects
-- (SQLite 3.38+ and PostgreSQL both read `payload ->> 'uid'`), and the query repeats it.
CREATE INDEX records_event_uid ON records (gateway_id, (payload ->> 'uid'), seq) WHERE kind IN ('event', 'event_update');
