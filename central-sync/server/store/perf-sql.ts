import { PerfSummarySchema, type Heartbeat } from '../../wire';
import { json, type Sql } from './queries';
import { PERF_SLOT_MS, type ThroughputBucket, type ThroughputLatest, type ThroughputQuery } from './types';

type Row = Record<string, unknown>;

/** One heartbeat's summary added to its gateway's 5-minute slot (`?` placeholders: the PostgreSQL store numbers them). */
export const UPSERT_PERF_SLOT_SQL = `INSERT INTO gateway_perf (gateway_id, slot, samples, detections_sum, frames_sum, target_fps_sum, cpu_sum, streaming_sum, received_at)
  VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (gateway_id, slot) DO UPDATE SET samples = gateway_perf.samples + 1,
    detections_sum = gateway_perf.detections_sum + excluded.detections_sum, frames_sum = gateway_perf.frames_sum + excluded.frames_sum,
    target_fps_sum = gateway_perf.target_fps_sum + excluded.target_fps_sum, cpu_sum = gateway_perf.cpu_sum + excluded.cpu_sum,
    streaming_sum = gateway_perf.streaming_sum + excluded.streaming_sum, received_at = excluded.received_at`;

/** The slot row's values in UPSERT_PERF_SLOT_SQL's order; undefined for a heartbeat without a summary. */
export function perfSlotValues(gatewayId: string, hb: Heartbeat, receivedAt: number): unknown[] | undefined {
  const p = hb.perf;
  if (!p) return undefined;
  return [gatewayId, receivedAt - (receivedAt % PERF_SLOT_MS), p.detectionsPerSec, p.framesPerSec, p.targetFps, p.cpu, p.cameras.streaming, receivedAt];
}

/**
 * Every gateway not revoked with its latest heartbeat (one row each: gateways' and heartbeats'
 * primary keys; with a gateway, one primary-key lookup).
 */
export function throughputLatestQuery(q: ThroughputQuery): Sql {
  const one = q.gatewayId !== undefined;
  return {
    text: `SELECT g.id, g.name, g.site_id, s.name AS site_name, h.received_at AS hb_received_at, h.perf
      FROM gateways g JOIN sites s ON s.id = g.site_id LEFT JOIN heartbeats h ON h.gateway_id = g.id
      WHERE g.revoked_at IS NULL${one ? ' AND g.id = ?' : ''} ORDER BY g.id`,
    params: one ? [q.gatewayId] : [],
  };
}

/**
 * Trend buckets: the slots of [from, to) summed per gateway and bucket. Reads an index range:
 * gateway_perf's primary key (gateway_id, slot) for one gateway, gateway_perf_slot for all.
 * bucketMs is a whole number checked here and written into the text, so that the GROUP BY
 * expression is the very one in the select list (PostgreSQL compares them as text).
 */
export function throughputTrendQuery(q: ThroughputQuery): Sql {
  if (!Number.isSafeInteger(q.bucketMs) || q.bucketMs < PERF_SLOT_MS || q.bucketMs % PERF_SLOT_MS !== 0) throw new Error(`bucketMs ${q.bucketMs} is not a multiple of ${PERF_SLOT_MS}`);
  const bucket = `slot - slot % ${q.bucketMs}`;
  const params: unknown[] = [q.from, q.to];
  if (q.gatewayId !== undefined) params.unshift(q.gatewayId);
  return {
    text: `SELECT gateway_id, ${bucket} AS bucket, SUM(samples) AS samples, SUM(detections_sum) AS detections, SUM(frames_sum) AS frames,
        SUM(target_fps_sum) AS target_fps, SUM(cpu_sum) AS cpu, SUM(streaming_sum) AS streaming
      FROM gateway_perf WHERE ${q.gatewayId !== undefined ? 'gateway_id = ? AND ' : ''}slot >= ? AND slot < ?
      GROUP BY gateway_id, ${bucket} ORDER BY gateway_id, bucket`,
    params,
  };
}

const num = (v: unknown): number => Number(v);
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** A stored summary is read back through the wire schema: anything else reads as none. */
export function toThroughputLatest(r: Row): ThroughputLatest {
  const stored = r.perf === null || r.perf === undefined ? null : PerfSummarySchema.safeParse(json<unknown>(r.perf));
  return {
    gatewayId: String(r.id),
    name: String(r.name),
    siteId: String(r.site_id),
    siteName: String(r.site_name),
    heartbeatAt: r.hb_received_at === null || r.hb_received_at === undefined ? null : num(r.hb_received_at),
    perf: stored?.success ? stored.data : null,
  };
}

export function toThroughputBucket(r: Row): ThroughputBucket {
  const samples = num(r.samples);
  const avg = (v: unknown) => (samples > 0 ? round(num(v) / samples) : 0);
  return {
    gatewayId: String(r.gateway_id),
    at: num(r.bucket),
    samples,
    detectionsPerSec: avg(r.detections),
    framesPerSec: avg(r.frames),
    targetFps: avg(r.target_fps),
    cpu: avg(r.cpu),
    camerasStreaming: avg(r.streaming),
  };
}

export const SQLITE_PURGE_PERF = 'DELETE FROM gateway_perf WHERE rowid IN (SELECT rowid FROM gateway_perf WHERE slot < @before ORDER BY slot LIMIT @limit)';
/** Slots another transaction holds are skipped (as the other retention steps do). */
export const POSTGRES_PURGE_PERF = `DELETE FROM gateway_perf
  WHERE ctid = ANY(ARRAY(SELECT ctid FROM gateway_perf WHERE slot < $1 ORDER BY slot LIMIT $2 FOR UPDATE SKIP LOCKED))`;
