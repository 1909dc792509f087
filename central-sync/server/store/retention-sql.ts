import { FACE_CROP_TEST } from './migrations';
import { QUEUE_SLOT_MS } from './queue-rollup-sql';
import type { RetentionStep } from './types';

/** Every step but `records`, which also raises the watermark (see the stores). */
export type PlainRetentionStep = Exclude<RetentionStep, 'records'>;

const sq = FACE_CROP_TEST.sqlite;
const pg = FACE_CROP_TEST.postgres;

/**
 * SQLite, named parameters @before and @limit. Each statement touches at most @limit rows, picked by
 * the index on the age column (the face-crop ones by the partial indexes of migration 002).
 */
export const SQLITE_RETENTION: Record<PlainRetentionStep, string> = {
  eventFaceCrops: `UPDATE events SET data = json_remove(data, '$.faceCrop')
    WHERE id IN (SELECT id FROM events WHERE ${sq.event} AND started_at < @before LIMIT @limit)`,
  recordFaceCrops: `UPDATE records SET payload = json_remove(payload, '$.data.faceCrop')
    WHERE rowid IN (SELECT rowid FROM records WHERE ${sq.record} AND at < @before LIMIT @limit)`,
  pendingFaceCrops: `UPDATE pending_event_updates SET data = json_remove(data, '$.faceCrop')
    WHERE rowid IN (SELECT rowid FROM pending_event_updates WHERE ${sq.event} AND at < @before LIMIT @limit)`,
  // An event still being updated inside the window stays until its last update is old too.
  events: `DELETE FROM events
    WHERE id IN (SELECT id FROM events WHERE started_at < @before AND updated_at < @before ORDER BY started_at LIMIT @limit)`,
  pendingUpdates: `DELETE FROM pending_event_updates WHERE rowid IN (SELECT rowid FROM pending_event_updates WHERE at < @before LIMIT @limit)`,
  queueStats: `DELETE FROM queue_stats WHERE rowid IN (SELECT rowid FROM queue_stats WHERE minute < @before ORDER BY minute LIMIT @limit)`,
  // The quarter-hour rollup (migration 008) of the stats just deleted: slots that end by the cutoff (the quarter hour
  // straddling it keeps its row while some of its minutes are kept), by queue_slots_slot.
  queueSlots: `DELETE FROM queue_slots WHERE rowid IN (SELECT rowid FROM queue_slots WHERE slot <= @before - ${QUEUE_SLOT_MS} ORDER BY slot LIMIT @limit)`,
};

export const SQLITE_PURGE_RECORDS = `DELETE FROM records
  WHERE rowid IN (SELECT rowid FROM records WHERE at < @before ORDER BY at LIMIT @limit) RETURNING gateway_id, seq`;
export const SQLITE_RAISE_WATERMARK = 'UPDATE gateway_sync SET purged_through_seq = max(purged_through_seq, ?) WHERE gateway_id = ?';

/**
 * PostgreSQL, $1 before and $2 limit. Rows another transaction holds are skipped (FOR UPDATE SKIP
 * LOCKED) and picked up by the next batch or run: retention never waits for ingest, so the two
 * cannot deadlock.
 */
export const POSTGRES_RETENTION: Record<PlainRetentionStep, string> = {
  eventFaceCrops: `UPDATE events SET data = data - 'faceCrop'
    WHERE id IN (SELECT id FROM events WHERE ${pg.event} AND started_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  recordFaceCrops: `UPDATE records SET payload = jsonb_set(payload, '{data}', (payload -> 'data') - 'faceCrop')
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM records WHERE ${pg.record} AND at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  pendingFaceCrops: `UPDATE pending_event_updates SET data = data - 'faceCrop'
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM pending_event_updates WHERE ${pg.event} AND at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  events: `DELETE FROM events
    WHERE id IN (SELECT id FROM events WHERE started_at < $1 AND updated_at < $1 ORDER BY started_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  pendingUpdates: `DELETE FROM pending_event_updates
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM pending_event_updates WHERE at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  queueStats: `DELETE FROM queue_stats
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM queue_stats WHERE minute < $1 ORDER BY minute LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  queueSlots: `DELETE FROM queue_slots
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM queue_slots WHERE slot <= $1::bigint - ${QUEUE_SLOT_MS} ORDER BY slot LIMIT $2 FOR UPDATE SKIP LOCKED))`,
};

/**
 * Records are deleted under the same per-gateway advisory locks ingest takes (in key order, so two
 * instances purging at once cannot deadlock): a batch being stored either commits before the purge
 * takes its gateway's lock or waits for the purge to commit and then sees the raised watermark.
 */
export const POSTGRES_PURGE_RECORDS = {
  candidates: 'SELECT gateway_id, seq FROM records WHERE at < $1 ORDER BY at LIMIT $2',
  lockGateways: `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(g, 0) AS k FROM unnest($1::text[]) AS g ORDER BY k) AS keys`,
  delete: `DELETE FROM records AS r USING unnest($1::text[], $2::bigint[]) AS t(gateway_id, seq)
    WHERE r.gateway_id = t.gateway_id AND r.seq = t.seq RETURNING r.gateway_id, r.seq`,
  raiseWatermarks: `UPDATE gateway_sync AS gs SET purged_through_seq = GREATEST(gs.purged_through_seq, t.seq)
    FROM unnest($1::text[], $2::bigint[]) AS t(gateway_id, seq) WHERE gs.gateway_id = t.gateway_id`,
} as const;

/** The highest deleted seq per gateway, as parallel arrays for unnest. */
export function watermarks(rows: ReadonlyArray<Record<string, unknown>>): { gateways: string[]; seqs: number[] } {
  const top = new Map<string, number>();
  for (const r of rows) {
    const g = String(r.gateway_id);
    top.set(g, Math.max(top.get(g) ?? 0, Number(r.seq)));
  }
  return { gateways: [...top.keys()], seqs: [...top.values()] };
}
