import type { Hono } from 'hono';
import { z } from 'zod';
import { safeText, SEVERITIES, startOfLocalDay, timeZoneSchema } from '../../wire';
import type { RouteContext } from '../http/context';
import { decodeArrivalCursor, decodeCursor, encodeArrivalCursor, encodeCursor } from '../http/cursor';
import { initialLiveCursor, liveArrivals } from '../store/arrivals-sql';
import { eventDetailRoutes } from './event-detail';
import { listedEvent } from './event-views';
import { queuesRoutes } from './queues';
import { validate } from '../http/validate';
import { HttpError } from '../http/errors';
import type { CentralEvent } from '../store';
import { footfallBySite } from './footfall-by-site';
import { siteNames } from '../store/site-names-sql';
import { fleetRoutes } from './fleet';
import { throughputRoutes } from './throughput';

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
    /** Live arrivals: events that arrived after this liveCursor, oldest first. */
    since: z.string().min(1).max(2000).optional(),
  })
  .strict()
  .refine(ordered, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.since === undefined || q.cursor === undefined, { message: 'give either since (live arrivals) or cursor (older pages), not both', path: ['since'] });

const QueueStatsQuery = z
  .object({ site: id.optional(), gateway: id.optional(), camera: id.optional(), zone: id.optional(), from: ms.optional(), to: ms.optional(), limit: count(50_000).optional() })
  .strict()
  .refine(ordered, { message: 'must be after from', path: ['to'] });

/** The product's sites are in Viet Nam; central does not know a site's zone, so a caller elsewhere names it (tz). */
const DEFAULT_FOOTFALL_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const MAX_FOOTFALL_RANGE_MS = 92 * DAY_MS;
const MAX_FOOTFALL_SLOTS = 200_000;

const FootfallQuery = z
  .object({ site: id.optional(), from: ms.optional(), to: ms.optional(), tz: timeZoneSchema.optional() })
  .strict()
  .refine(ordered, { message: 'must be after from', path: ['to'] });

/** Read API for people and dashboards (bearer tokens). */
export function queryRoutes(app: Hono, ctx: RouteContext): void {
  throughputRoutes(app, ctx);
  fleetRoutes(app, ctx);
  eventDetailRoutes(app, ctx);
  queuesRoutes(app, ctx);
  /** Listed events: no face crop, no watchlist identity (the detail shows it, audited), and the site's name (the page's few site ids, by the sites primary key). */
  const named = async (events: readonly CentralEvent[]) => {
    const names = await siteNames(ctx.store.sql, [...new Set(events.map((e) => e.siteId))]);
    return events.map((e) => ({ ...listedEvent(e), siteName: names.get(e.siteId) ?? null }));
  };
  app.get('/v1/events', async (c) => {
    await ctx.user(c, ['security'], 'read events');
    const q = validate(EventsQuery, c.req.query(), 'query');
    const limit = q.limit ?? 100;
    const filters = {
      ...(q.site !== undefined ? { siteId: q.site } : {}),
      ...(q.camera !== undefined ? { cameraId: q.camera } : {}),
      ...(q.type !== undefined ? { type: q.type } : {}),
      ...(q.severity !== undefined ? { severity: q.severity } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
    };
    if (q.since !== undefined) {
      const arrived = await liveArrivals(ctx.store.sql, { ...filters, limit }, decodeArrivalCursor(q.since), ctx.now());
      return c.json({ events: await named(arrived.events), liveCursor: encodeArrivalCursor(arrived.cursor), more: arrived.more });
    }
    // Read before the page: an event arriving in between is then offered again by since (the page skips ids it shows).
    const live = await initialLiveCursor(ctx.store.sql, ctx.now());
    const rows = await ctx.store.listEvents({
      ...filters,
      ...(q.cursor !== undefined ? { after: decodeCursor(q.cursor) } : {}),
      // One extra row says whether another page exists.
      limit: limit + 1,
    });
    const events = rows.slice(0, limit);
    const last = events[events.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null;
    return c.json({ events: await named(events), nextCursor, liveCursor: encodeArrivalCursor(live) });
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

  // Footfall: line-zone crossings (entrances) per site and local day; by default the last 7 days.
  app.get('/v1/footfall', async (c) => {
    await ctx.user(c, ['security', 'ops'], 'read footfall');
    const q = validate(FootfallQuery, c.req.query(), 'query');
    const timeZone = q.tz ?? DEFAULT_FOOTFALL_TIME_ZONE;
    const to = q.to ?? ctx.now();
    const from = q.from ?? startOfLocalDay(to - 6 * DAY_MS, timeZone);
    if (from >= to) throw new HttpError(400, 'from: must be before to (the default to is now)', 'from');
    if (to - from > MAX_FOOTFALL_RANGE_MS) throw new HttpError(400, 'to: the range is at most 92 days', 'to');
    const slots = await ctx.store.footfall({ ...(q.site !== undefined ? { siteId: q.site } : {}), from, to, limit: MAX_FOOTFALL_SLOTS + 1 });
    if (slots.length > MAX_FOOTFALL_SLOTS) throw new HttpError(400, 'to: too many line zones and days in the range; name a site or shorten it', 'to');
    return c.json({ timeZone, from, to, sites: footfallBySite(slots, timeZone) });
  });
}
