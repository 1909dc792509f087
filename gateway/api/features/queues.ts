import { z } from 'zod';
import type { ApiDeps } from '../deps';
import type { OpenAlertRow } from '../../store';
import { jsonError, validate } from '../errors';
import type { ApiFeature } from '../feature';

/** The event types a supervisor's queue board shows (the same ones the live feed gives supervisors). */
const QUEUE_ALERT_TYPES = ['queue_long', 'crowding'] as const;

/** Open alerts older than this are left out by default: an event open across a gateway restart is never ended. */
const DEFAULT_ALERT_WINDOW_MS = 24 * 3_600_000;

const StatsQuery = z
  .object({ camera: z.string().max(64).optional(), zone: z.string().max(64).optional(), from: z.coerce.number().int().min(0).optional(), to: z.coerce.number().int().min(0).optional() })
  .strict();

const AlertsQuery = z
  .object({
    camera: z.string().max(64).optional(),
    from: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

export interface QueueZoneInfo {
  id: string;
  name: string | null;
  type: 'queue' | 'counter' | 'count';
  /** queue_long fires at or above these (queue zones). */
  maxLength?: number;
  maxWaitSeconds?: number;
  /** crowding fires above this (count zones). */
  crowdingAbove?: number | null;
}

export interface QueueAlert extends OpenAlertRow {
  /** A face-blurred snapshot exists (GET /api/events/:id/snapshot as supervisor). */
  hasSnapshot: boolean;
}

/**
 * The supervisor's queue board: zone thresholds (the live feed carries counts, not limits) and the
 * open queue_long / crowding alerts, never any other event type; and the per-minute statistics.
 */
export const queuesFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'GET', path: '/api/queues/stats', summary: 'Per-minute queue statistics as time series', roles: ['supervisor', 'ops'] },
    { method: 'GET', path: '/api/queues/zones', summary: 'Queue, counter and count zones per camera with their alert thresholds', roles: ['supervisor', 'ops'] },
    { method: 'GET', path: '/api/queues/alerts', summary: 'Open queue_long and crowding events, newest first (one per zone)', roles: ['supervisor', 'ops'] },
  ],
  handlers: (deps, { now }) => {
    return {
      'GET /api/queues/stats': (c) => {
        const q = validate(StatsQuery, c.req.query(), 'query');
        const series = deps.queueStats.series({
          ...(q.camera ? { camera: q.camera } : {}),
          ...(q.zone ? { zone: q.zone } : {}),
          fromMinute: Math.floor((q.from ?? now() - 86_400_000) / 60_000),
          toMinute: Math.floor((q.to ?? now()) / 60_000),
        });
        return c.json({ series });
      },
      'GET /api/queues/zones': (c) => {
        if (!deps.cameraConfigs) return jsonError(c, 503, 'zone configuration is not available on this server');
        const cameras = deps.cameraConfigs()
          .filter((cam) => cam.enabled)
          .map((cam) => ({
            id: cam.id,
            name: cam.name ?? null,
            zones: cam.zones.flatMap((zone): QueueZoneInfo[] => {
              const base = { id: zone.id, name: zone.name ?? null };
              if (zone.type === 'queue') return [{ ...base, type: 'queue', maxLength: zone.maxLength, maxWaitSeconds: zone.maxWaitSeconds }];
              if (zone.type === 'counter') return [{ ...base, type: 'counter' }];
              if (zone.type === 'count') return [{ ...base, type: 'count', crowdingAbove: zone.crowdingAbove ?? null }];
              return [];
            }),
          }))
          .filter((cam) => cam.zones.length > 0);
        return c.json({ cameras });
      },
      'GET /api/queues/alerts': (c) => {
        const q = validate(AlertsQuery, c.req.query(), 'query');
        const limit = q.limit ?? 50;
        // A zone has at most one open alert of a type at a time, so an older open one is left over
        // from before a restart: keep the newest per zone and type. Fetch more than asked for that.
        const rows = deps.openAlerts.list({ types: QUEUE_ALERT_TYPES, from: q.from ?? now() - DEFAULT_ALERT_WINDOW_MS, ...(q.camera ? { camera: q.camera } : {}), limit: limit * 4 });
        const seen = new Set<string>();
        const newest = rows.filter((r) => {
          const key = `${r.cameraId}\u0000${r.zoneId ?? ''}\u0000${r.type}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        }).slice(0, limit);
        const withSnapshot = deps.snapshots.withBlurred(newest.map((r) => r.id));
        const items: QueueAlert[] = newest.map((r) => ({ ...r, hasSnapshot: withSnapshot.has(r.id) }));
        return c.json({ items });
      },
    };
  },
};
