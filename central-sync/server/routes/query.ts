import type { Hono } from 'hono';
import { z } from 'zod';
import { safeText, SEVERITIES } from '../../wire';
import type { RouteContext } from '../http/context';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { validate } from '../http/validate';
import type { FleetRow } from '../store';

const DAY_MS = 86_400_000;
const id = safeText(z.string().min(1).max(128));
const ms = z.string().regex(/^\d{1,15}$/, 'expected milliseconds since the epoch').transform(Number);
const count = (max: number) => z.string().regex(/^\d{1,6}$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(1).max(max));
const ordered = <T extends { from?: number; to?: number }>(q: T) => q.from === undefined || q.to === undefined || q.from < q.to;

const EventsQuery = z
  .object({
    site: id.optional(),
    camera: id.optional(),
    type: safeText(z.string().min(1).max(64)).optional(),
    severity: z.enum(SEVERITIES).optional(),
    from: ms.optional(),
    to: ms.optional(),
    limit: count(1000).optional(),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine(ordered, { message: 'must be after from', path: ['to'] });

const QueueStatsQuery = z
  .object({ site: id.optional(), gateway: id.optional(), camera: id.optional(), zone: id.optional(), from: ms.optional(), to: ms.optional(), limit: count(50_000).optional() })
  .strict()
  .refine(ordered, { message: 'must be after from', path: ['to'] });

/** Fleet view of one gateway: the stored row plus how far behind it is, as of `now`. */
export function fleetEntry(row: FleetRow, now: number) {
  const hb = row.heartbeat;
  return {
    ...row,
    backlog: hb?.backlog ?? null,
    /** Age of the oldest record the gateway still holds unsent; 0 when it reports none; null before its first heartbeat. */
    syncLagMs: hb === null ? null : hb.oldestUnsentAt !== null ? Math.max(0, now - hb.oldestUnsentAt) : 0,
    sinceLastRecordMs: row.sync ? Math.max(0, now - row.sync.lastReceivedAt) : null,
    sinceHeartbeatMs: hb ? Math.max(0, now - hb.receivedAt) : null,
  };
}

/** Read API for people and dashboards (bearer tokens). */
export function queryRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/events', async (c) => {
    await ctx.user(c, ['security'], 'read events');
    const q = validate(EventsQuery, c.req.query(), 'query');
    const limit = q.limit ?? 100;
    const rows = await ctx.store.listEvents({
      ...(q.site !== undefined ? { siteId: q.site } : {}),
      ...(q.camera !== undefined ? { cameraId: q.camera } : {}),
      ...(q.type !== undefined ? { type: q.type } : {}),
      ...(q.severity !== undefined ? { severity: q.severity } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      ...(q.cursor !== undefined ? { after: decodeCursor(q.cursor) } : {}),
      // One extra row says whether another page exists.
      limit: limit + 1,
    });
    const events = rows.slice(0, limit);
    const last = events[events.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null;
    return c.json({ events, nextCursor });
  });

  app.get('/v1/fleet', async (c) => {
    await ctx.user(c, ['ops'], 'read the fleet');
    const now = ctx.now();
    const rows = await ctx.store.fleet();
    return c.json({ serverTime: now, gateways: rows.map((r) => fleetEntry(r, now)) });
  });

  app.get('/v1/queue-stats', async (c) => {
    await ctx.user(c, ['security', 'ops'], 'read queue statistics');
    const q = validate(QueueStatsQuery, c.req.query(), 'query');
    const to = q.to ?? ctx.now();
    const series = await ctx.store.queueStats({
      ...(q.site !== undefined ? { siteId: q.site } : {}),
      ...(q.camera !== undefined ? { cameraId: q.camera } : {}),
      ...(q.zone !== undefined ? { zoneId: q.zone } : {}),
      ...(q.gateway !== undefined ? { gatewayId: q.gateway } : {}),
      from: q.from ?? to - DAY_MS,
      to,
      limit: q.limit ?? 10_000,
    });
    return c.json({ series });
  });
}
