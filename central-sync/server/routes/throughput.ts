import type { Hono } from 'hono';
import { z } from 'zod';
import { safeText } from '../../wire';
import type { RouteContext } from '../http/context';
import { validate } from '../http/validate';
import { PERF_SLOT_MS, type ThroughputBucket, type ThroughputLatest } from '../store';

const HOUR_MS = 3_600_000;
/** The trend: the last 24 hours in half-hour buckets. */
export const TREND_HOURS = 24;
export const TREND_BUCKET_MS = PERF_SLOT_MS;
/** A device handling fewer than this share of the frames its streaming cameras ask for is overloaded. */
export const MIN_FRAME_SHARE = 0.8;
/** A heartbeat older than this no longer tells the device's current load. */
export const STALE_AFTER_MS = 5 * 60_000;

const ThroughputQuery = z.object({ gateway: safeText(z.string().min(1).max(128)).optional() }).strict();

export type OverloadReason = 'cameras' | 'frames';

/**
 * One device's standing. headroom = cameras sustained (its latest bench report's every-frame
 * figure) − cameras streaming now; null without a bench figure or a summary. Overloaded when
 * more cameras stream than the bench sustained ('cameras'), or when it handles (detects or
 * skips by motion) under MIN_FRAME_SHARE of the frames per second its streaming cameras ask for
 * ('frames': it is dropping frames, whatever the bench said).
 */
export function throughputEntry(row: ThroughputLatest, trend: ThroughputBucket[], now: number) {
  const perf = row.perf;
  const sustained = perf?.bench?.camerasSustained ?? null;
  const streaming = perf?.cameras.streaming ?? null;
  const headroom = sustained !== null && streaming !== null ? sustained - streaming : null;
  const reasons: OverloadReason[] = [];
  if (headroom !== null && headroom < 0) reasons.push('cameras');
  if (perf && perf.targetFps > 0 && perf.framesPerSec < MIN_FRAME_SHARE * perf.targetFps) reasons.push('frames');
  const sinceHeartbeatMs = row.heartbeatAt === null ? null : Math.max(0, now - row.heartbeatAt);
  return {
    gatewayId: row.gatewayId,
    name: row.name,
    siteId: row.siteId,
    siteName: row.siteName,
    heartbeatAt: row.heartbeatAt,
    sinceHeartbeatMs,
    stale: sinceHeartbeatMs === null || sinceHeartbeatMs > STALE_AFTER_MS,
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

/** Most headroom first; devices without a figure last, by id. */
export function rankByHeadroom(entries: ThroughputEntry[]): ThroughputEntry[] {
  return [...entries].sort((a, b) => {
    if (a.headroom === null || b.headroom === null) return a.headroom === b.headroom ? a.gatewayId.localeCompare(b.gatewayId) : a.headroom === null ? 1 : -1;
    return b.headroom - a.headroom || a.gatewayId.localeCompare(b.gatewayId);
  });
}

/** GET /v1/throughput (ops and admin): devices ranked by headroom, each with its 24 h trend. */
export function throughputRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/throughput', async (c) => {
    await ctx.user(c, ['ops'], 'read throughput');
    const q = validate(ThroughputQuery, c.req.query(), 'query');
    const now = ctx.now();
    // Buckets aligned to the half hour; the current, partial one is the last.
    const to = now - (now % TREND_BUCKET_MS) + TREND_BUCKET_MS;
    const from = to - TREND_HOURS * HOUR_MS;
    const { latest, trend } = await ctx.store.throughput({ ...(q.gateway !== undefined ? { gatewayId: q.gateway } : {}), from, to });
    const byGateway = new Map<string, ThroughputBucket[]>();
    for (const b of trend) byGateway.set(b.gatewayId, [...(byGateway.get(b.gatewayId) ?? []), b]);
    const devices = rankByHeadroom(latest.map((row) => throughputEntry(row, byGateway.get(row.gatewayId) ?? [], now)));
    return c.json({ serverTime: now, trend: { from, to, bucketMs: TREND_BUCKET_MS }, devices });
  });
}
