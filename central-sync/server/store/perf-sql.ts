import { PerfSummarySchema, type Heartbeat } from '../../wire';
import { json, type Sql } from './queries';
import { PERF_SLOT_MS, type Dialect, type ThroughputBucket, type ThroughputLatest, type ThroughputQuery } from './types';

type Row = Record<string, unknown>;

/** One heartbeat's summary added to its gateway's half-hour slot (`?` placeholders: the PostgreSQL store numbers them). */
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
 * Trend points: the half-hour slots of [from, to), one row per gateway with its slots as a JSON
 * array of [slot, samples, detections, frames, targetFps, cpu, streaming] sums (1,000 gateways: 1,000
 * rows to send and parse instead of 48,000). Reads an index range: gateway_perf's primary key
 * (gateway_id, slot) for one gateway, gateway_perf_slot for all.
 */
export function throughputTrendQuery(q: ThroughputQuery, dialect: Dialect): Sql {
  const one = q.gatewayId !== undefined;
  const where = `${one ? 'gateway_id = ? AND ' : ''}slot >= ? AND slot < ?`;
  const point = 'slot, samples, detections_sum, frames_sum, target_fps_sum, cpu_sum, streaming_sum';
  const text =
    dialect === 'postgres'
      ? `SELECT gateway_id, json_agg(json_build_array(${point}) ORDER BY slot) AS points FROM gateway_perf WHERE ${where} GROUP BY gateway_id`
      : `SELECT gateway_id, json_group_array(json_array(${point})) AS points FROM gateway_perf WHERE ${where} GROUP BY gateway_id`;
  return { text, params: one ? [q.gatewayId, q.from, q.to] : [q.from, q.to] };
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

/** One gateway's points, oldest first (SQLite's json_group_array promises no order). */
export function toThroughputBuckets(r: Row): ThroughputBucket[] {
  const gatewayId = String(r.gateway_id);
  const points = json<number[][]>(r.points).map((p) => p.map(Number));
  points.sort((a, b) => a[0]! - b[0]!);
  return points.map(([at, samples, detections, frames, target, cpu, streaming]) => {
    const avg = (v: number | undefined) => (samples! > 0 ? round(v! / samples!) : 0);
    return { gatewayId, at: at!, samples: samples!, detectionsPerSec: avg(detections), framesPerSec: avg(frames), targetFps: avg(target), cpu: avg(cpu), camerasStreaming: avg(streaming) };
  });
}

export const SQLITE_PURGE_PERF = 'DELETE FROM gateway_perf WHERE rowid IN (SELECT rowid FROM gateway_perf WHERE slot < @before ORDER BY slot LIMIT @limit)';
/** Slots another transaction holds are skipped (as the other retention steps do). */
export const POSTGRES_PURGE_PERF = `DELETE FROM gateway_perf
  WHERE ctid = ANY(ARRAY(SELECT ctid FROM gateway_perf WHERE slot < $1 ORDER BY slot LIMIT $2 FOR UPDATE SKIP LOCKED))`;

/** The figures the ranking needs, one row per gateway, without the summaries themselves. */
export interface ThroughputRankRow {
  gatewayId: string;
  heartbeatAt: number | null;
  camerasSustained: number | null;
  camerasStreaming: number | null;
  framesPerSec: number | null;
  targetFps: number | null;
}

/**
 * The ranking's figures of every gateway not revoked (or one site's), taken out of the latest
 * summary in SQL so that 1,000 summaries are neither sent nor parsed: gateways whole (gateways_site_id,
 * migration 009, for a site) with heartbeats by primary key.
 */
export function throughputRankQuery(dialect: Dialect, siteId?: string): Sql {
  const field = (path: string[]) =>
    dialect === 'postgres' ? `CAST(h.perf #>> '{${path.join(',')}}' AS DOUBLE PRECISION)` : `json_extract(h.perf, '$.${path.join('.')}')`;
  return {
    text: `SELECT g.id, h.received_at AS hb_received_at, ${field(['bench', 'camerasSustained'])} AS sustained, ${field(['cameras', 'streaming'])} AS streaming,
      ${field(['framesPerSec'])} AS frames, ${field(['targetFps'])} AS target
      FROM gateways g LEFT JOIN heartbeats h ON h.gateway_id = g.id
      WHERE g.revoked_at IS NULL${siteId !== undefined ? ' AND g.site_id = ?' : ''}`,
    params: siteId !== undefined ? [siteId] : [],
  };
}

const numOrNull = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));

export function toThroughputRank(r: Row): ThroughputRankRow {
  return {
    gatewayId: String(r.id),
    heartbeatAt: numOrNull(r.hb_received_at),
    camerasSustained: numOrNull(r.sustained),
    camerasStreaming: numOrNull(r.streaming),
    framesPerSec: numOrNull(r.frames),
    targetFps: numOrNull(r.target),
  };
}

/** The latest summaries of the page's gateways: gateways' and heartbeats' primary keys. */
export function throughputLatestOfQuery(gatewayIds: readonly string[]): Sql {
  return {
    text: `SELECT g.id, g.name, g.site_id, s.name AS site_name, h.received_at AS hb_received_at, h.perf
      FROM gateways g JOIN sites s ON s.id = g.site_id LEFT JOIN heartbeats h ON h.gateway_id = g.id
      WHERE g.id IN (${gatewayIds.map(() => '?').join(', ')})`,
    params: [...gatewayIds],
  };
}

/**
 * The page's trends: one range of gateway_perf's primary key (gateway_id, slot) per gateway, written
 * as one range each (OR) so that both planners read those ranges (a BitmapOr of primary-key scans
 * on PostgreSQL, a multi-index OR on SQLite). Written as `gateway_id IN (...) AND slot range`,
 * PostgreSQL read the whole window of gateway_perf_slot (46,000 entries for 50 devices' 2,400).
 */
export function throughputTrendOfQuery(gatewayIds: readonly string[], from: number, to: number, dialect: Dialect): Sql {
  const point = 'slot, samples, detections_sum, frames_sum, target_fps_sum, cpu_sum, streaming_sum';
  const where = gatewayIds.map(() => '(gateway_id = ? AND slot >= ? AND slot < ?)').join(' OR ');
  const text =
    dialect === 'postgres'
      ? `SELECT gateway_id, json_agg(json_build_array(${point}) ORDER BY slot) AS points FROM gateway_perf WHERE ${where} GROUP BY gateway_id`
      : `SELECT gateway_id, json_group_array(json_array(${point})) AS points FROM gateway_perf WHERE ${where} GROUP BY gateway_id`;
  return { text, params: gatewayIds.flatMap((id) => [id, from, to]) };
}
