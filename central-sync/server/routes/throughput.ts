import type { Hono } from 'hono';
import { z } from 'zod';
import { safeText } from '../../wire';
import type { RouteContext } from '../http/context';
import { validate } from '../http/validate';
import { PERF_SLOT_MS, type ThroughputBucket, type ThroughputLatest } from '../store';
import { throughputLatestOfQuery, throughputRankQuery, throughputTrendOfQuery, toThroughputBuckets, toThroughputLatest, toThroughputRank } from '../store/perf-sql';
import { isStale, STALE_AFTER_MS } from './stale';

const HOUR_MS = 3_600_000;
/** The trend: the last 24 hours in half-hour buckets. */
export const TREND_HOURS = 24;
export const TREND_BUCKET_MS = PERF_SLOT_MS;
/** A device handling fewer than this share of the frames its streaming cameras ask for is overloaded. */
export const MIN_FRAME_SHARE = 0.8;
/** A heartbeat older than this no longer tells the device's current load (one definition with the fleet: stale.ts). */
export { STALE_AFTER_MS };
export const THROUGHPUT_PAGE_DEFAULT = 50;
export const THROUGHPUT_PAGE_MAX = 200;

const ThroughputQuery = z
  .object({
    gateway: safeText(z.string().min(1).max(128)).optional(),
    site: safeText(z.string().min(1).max(128)).optional(),
    limit: z.coerce.number().int().min(1).max(THROUGHPUT_PAGE_MAX).optional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

export type OverloadReason = 'cameras' | 'frames';

/**
 * One device's standing. headroom = cameras sustained (its latest bench report's every-frame
 * figure) − cameras streaming now; null without a bench figure or a summary. Overloaded when
 * more cameras stream than the bench sustained ('cameras'), or when it handles (detects or
 * skips by motion) under MIN_FRAME_SHARE of the frames per second its streaming cameras ask for
 * ('frames': it is dropping frames, whatever the bench said).
 */
export function standing(f: { camerasSustained: number | null; camerasStreaming: number | null; framesPerSec: number | null; targetFps: number | null }) {
  const headroom = f.camerasSustained !== null && f.camerasStreaming !== null ? f.camerasSustained - f.camerasStreaming : null;
  const reasons: OverloadReason[] = [];
  if (headroom !== null && headroom < 0) reasons.push('cameras');
  if (f.targetFps !== null && f.framesPerSec !== null && f.targetFps > 0 && f.framesPerSec < MIN_FRAME_SHARE * f.targetFps) reasons.push('frames');
  return { headroom, reasons };
}

export function throughputEntry(row: ThroughputLatest, trend: ThroughputBucket[], now: number) {
  const perf = row.perf;
  const sustained = perf?.bench?.camerasSustained ?? null;
  const streaming = perf?.cameras.streaming ?? null;
  const { headroom, reasons } = standing({ camerasSustained: sustained, camerasStreaming: streaming, framesPerSec: perf?.framesPerSec ?? null, targetFps: perf?.targetFps ?? null });
  const sinceHeartbeatMs = row.heartbeatAt === null ? null : Math.max(0, now - row.heartbeatAt);
  return {
    gatewayId: row.gatewayId,
    name: row.name,
    siteId: row.siteId,
    siteName: row.siteName,
    heartbeatAt: row.heartbeatAt,
    sinceHeartbeatMs,
    stale: isStale(row.heartbeatAt, now),
    camerasSustained: sustained,
    camerasStreaming: streaming,
    headroom,
    overloaded: reasons.length > 0,
    overloadReasons: reasons,
    perf,
    trend: trendColumns(trend),
  };
}
export type ThroughputEntry = ReturnType<typeof throughputEntry>;

/**
 * A device's trend column by column (index i of every array is one half hour): half-hour buckets
 * with samples only, oldest first; a missing bucket had no heartbeat with a summary. Columns, not
 * one object per point: 1,000 devices' 24 h answer in a third of the bytes.
 */
export function trendColumns(points: readonly ThroughputBucket[]) {
  return {
    at: points.map((p) => p.at),
    samples: points.map((p) => p.samples),
    detectionsPerSec: points.map((p) => p.detectionsPerSec),
    framesPerSec: points.map((p) => p.framesPerSec),
    targetFps: points.map((p) => p.targetFps),
    cpu: points.map((p) => p.cpu),
    camerasStreaming: points.map((p) => p.camerasStreaming),
  };
}

type Ranked = { headroom: number | null; gatewayId: string };
/** Most headroom first; devices without a figure last, by id. */
export function byHeadroom(a: Ranked, b: Ranked): number {
  if (a.headroom === null || b.headroom === null) return a.headroom === b.headroom ? a.gatewayId.localeCompare(b.gatewayId) : a.headroom === null ? 1 : -1;
  return b.headroom - a.headroom || a.gatewayId.localeCompare(b.gatewayId);
}

export function rankByHeadroom(entries: ThroughputEntry[]): ThroughputEntry[] {
  return [...entries].sort(byHeadroom);
}

/**
 * One page of the ranking: every device's figures are read (one row each, no summaries, no trends)
 * and ranked, then only the page's devices are read whole with their trends. The ranking is live
 * (recomputed from the latest heartbeats on every request, ties broken by gateway id): a device
 * whose headroom changes between two page requests can move across pages and be seen twice or not
 * at all. The console says so on the page; its refresh re-reads the page shown.
 */
async function rankedPage(ctx: RouteContext, q: { site?: string; limit: number; offset: number }, from: number, to: number, now: number) {
  const sql = ctx.store.sql;
  const rank = throughputRankQuery(sql.dialect, q.site);
  const ranked = (await sql.all(rank.text, rank.params)).map(toThroughputRank).map((r) => ({ ...r, ...standing(r) }));
  ranked.sort(byHeadroom);
  const ids = ranked.slice(q.offset, q.offset + q.limit).map((r) => r.gatewayId);
  const counts = { total: ranked.length, overloaded: ranked.filter((r) => r.reasons.length > 0).length, stale: ranked.filter((r) => isStale(r.heartbeatAt, now)).length };
  if (ids.length === 0) return { ...counts, devices: [] };
  const latestSql = throughputLatestOfQuery(ids);
  const trendSql = throughputTrendOfQuery(ids, from, to, sql.dialect);
  const [latest, trend] = await Promise.all([sql.all(latestSql.text, latestSql.params), sql.all(trendSql.text, trendSql.params)]);
  const byId = new Map(latest.map((r) => [String(r.id), toThroughputLatest(r)]));
  const trends = new Map(trend.map((r) => [String(r.gateway_id), toThroughputBuckets(r)]));
  const devices = ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [throughputEntry(row, trends.get(id) ?? [], now)] : [];
  });
  return { ...counts, devices };
}

/**
 * GET /v1/throughput (ops and admin): devices ranked by headroom, each with its 24 h trend. All of
 * them (or ?gateway=one), as existing clients read it; with limit, offset or site, one page of the
 * ranking (rank offset .. offset + limit) with the totals, trends only for the page's devices.
 */
export function throughputRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/throughput', async (c) => {
    await ctx.user(c, ['ops'], 'read throughput');
    const q = validate(ThroughputQuery, c.req.query(), 'query');
    const now = ctx.now();
    // Buckets aligned to the half hour; the current, partial one is the last.
    const to = now - (now % TREND_BUCKET_MS) + TREND_BUCKET_MS;
    const from = to - TREND_HOURS * HOUR_MS;
    if (q.gateway === undefined && (q.limit !== undefined || q.offset !== undefined || q.site !== undefined)) {
      const limit = q.limit ?? THROUGHPUT_PAGE_DEFAULT;
      const offset = q.offset ?? 0;
      const page = await rankedPage(ctx, { ...(q.site !== undefined ? { site: q.site } : {}), limit, offset }, from, to, now);
      return c.json({ serverTime: now, trend: { from, to, bucketMs: TREND_BUCKET_MS }, staleAfterMs: STALE_AFTER_MS, offset, limit, ...page });
    }
    const { latest, trend } = await ctx.store.throughput({ ...(q.gateway !== undefined ? { gatewayId: q.gateway } : {}), from, to });
    const byGateway = new Map<string, ThroughputBucket[]>();
    for (const b of trend) {
      const list = byGateway.get(b.gatewayId);
      if (list) list.push(b);
      else byGateway.set(b.gatewayId, [b]);
    }
    const devices = rankByHeadroom(latest.map((row) => throughputEntry(row, byGateway.get(row.gatewayId) ?? [], now)));
    return c.json({ serverTime: now, trend: { from, to, bucketMs: TREND_BUCKET_MS }, devices });
  });
}
