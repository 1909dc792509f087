import { FOOTFALL_SLOT_MINUTES } from '../../wire';

/** The quarter hour of the rollup (migration 008's queue_slots), in ms. */
export const QUEUE_SLOT_MS = FOOTFALL_SLOT_MINUTES * 60_000;

export const slotOf = (minute: number): number => minute - (minute % QUEUE_SLOT_MS);

const COLUMNS = `site_id, camera_id, zone_id, slot, minutes, crossing_rows, crossings_in, crossings_out, wait_sum, wait_n, wait_max, peak, count_sum, last_minute, received_at`;

/** Every column recomputed from the slot's queue_stats rows (the same sums as migration 008's backfill). */
const AGGREGATES = `COUNT(*), SUM(CASE WHEN q.crossings_in IS NOT NULL OR q.crossings_out IS NOT NULL THEN 1 ELSE 0 END),
    COALESCE(SUM(q.crossings_in), 0), COALESCE(SUM(q.crossings_out), 0),
    COALESCE(SUM(q.est_wait_s), 0), COUNT(q.est_wait_s), MAX(q.est_wait_s), MAX(q.max_count), SUM(q.avg_count), MAX(q.minute), MAX(q.received_at)`;

const REPLACE = `ON CONFLICT (site_id, camera_id, zone_id, slot) DO UPDATE SET minutes = excluded.minutes, crossing_rows = excluded.crossing_rows,
    crossings_in = excluded.crossings_in, crossings_out = excluded.crossings_out, wait_sum = excluded.wait_sum, wait_n = excluded.wait_n,
    wait_max = excluded.wait_max, peak = excluded.peak, count_sum = excluded.count_sum, last_minute = excluded.last_minute, received_at = excluded.received_at`;

/**
 * SQLite: recomputes one slot (params site, camera, zone, slot start, slot end) from queue_stats,
 * reading its primary-key range (site_id, camera_id, zone_id, minute). Run after the batch's stats
 * are upserted, in the same transaction, so a re-sent stat replaces its old values exactly.
 */
export const SQLITE_RECOMPUTE_SLOT = `INSERT INTO queue_slots (${COLUMNS})
  SELECT q.site_id, q.camera_id, q.zone_id, q.minute - q.minute % ${QUEUE_SLOT_MS}, ${AGGREGATES}
  FROM queue_stats q WHERE q.site_id = ? AND q.camera_id = ? AND q.zone_id = ? AND q.minute >= ? AND q.minute < ?
  GROUP BY q.site_id, q.camera_id, q.zone_id, q.minute - q.minute % ${QUEUE_SLOT_MS}
  ${REPLACE}`;

/** PostgreSQL: the same for every slot of a batch at once ($1 site, $2 cameras, $3 zones, $4 slot starts). */
export const POSTGRES_RECOMPUTE_SLOTS = `INSERT INTO queue_slots (${COLUMNS})
  SELECT q.site_id, q.camera_id, q.zone_id, q.minute - q.minute % ${QUEUE_SLOT_MS}, ${AGGREGATES}
  FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(camera_id, zone_id, slot)
  JOIN queue_stats q ON q.site_id = $1 AND q.camera_id = t.camera_id AND q.zone_id = t.zone_id AND q.minute >= t.slot AND q.minute < t.slot + ${QUEUE_SLOT_MS}
  GROUP BY q.site_id, q.camera_id, q.zone_id, q.minute - q.minute % ${QUEUE_SLOT_MS}
  ${REPLACE}`;

/**
 * Two gateways of one site may report the same camera and zone: their batches recompute the same
 * slot, so on PostgreSQL they take this per-site lock before upserting stats (each recompute then
 * sees the other's committed rows). Taken after the per-gateway ingest lock, always in that order.
 */
export const POSTGRES_LOCK_SITE_SLOTS = `SELECT pg_advisory_xact_lock(hashtextextended('queue_slots:' || $1, 0))`;

/** The distinct (camera, zone, slot) a batch's stats touch. */
export function touchedSlots(stats: ReadonlyArray<{ cameraId: string; zoneId: string; minute: number }>): Array<{ cameraId: string; zoneId: string; slot: number }> {
  const seen = new Map<string, { cameraId: string; zoneId: string; slot: number }>();
  for (const s of stats) {
    const slot = slotOf(s.minute);
    seen.set(JSON.stringify([s.cameraId, s.zoneId, slot]), { cameraId: s.cameraId, zoneId: s.zoneId, slot });
  }
  return [...seen.values()];
}
