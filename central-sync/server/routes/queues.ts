import type { Hono } from 'hono';
import { z } from 'zod';
import { localDate, safeText, startOfLocalDay, timeZoneSchema } from '../../wire';
import type { RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';
import { slotsOfSite, zonesOfAllSites } from '../store/queues-today-sql';
import { siteNames } from '../store/site-names-sql';
import { groupBy, mergeSums, seriesOf, sitesToday, zoneToday } from './queues-today';

/** The product's sites are in Viet Nam (as footfall's default). */
const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const HOUR_MS = 3_600_000;

const QueuesTodayQuery = z.object({ tz: timeZoneSchema.optional(), site: safeText(z.string().min(1).max(128)).optional() }).strict();

/** The local day holding `now`: [its midnight, the next midnight), 23 to 25 hours long. */
export function localDay(now: number, timeZone: string): { date: string; from: number; to: number } {
  const from = startOfLocalDay(now, timeZone);
  return { date: localDate(now, timeZone), from, to: startOfLocalDay(from + 25.5 * HOUR_MS, timeZone) };
}

/** Queues across sites today, from the quarter-hour rollup queue_slots (migration 008). */
export function queuesRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/queues/today', async (c) => {
    await ctx.user(c, ['security', 'ops'], 'read queue statistics');
    const q = validate(QueuesTodayQuery, c.req.query(), 'query');
    const timeZone = q.tz ?? DEFAULT_TIME_ZONE;
    const day = localDay(ctx.now(), timeZone);
    const head = { timeZone, date: day.date, from: day.from, to: day.to };
    if (q.site === undefined) {
      const zones = await zonesOfAllSites(ctx.store.sql, day.from, day.to);
      const names = await siteNames(ctx.store.sql, [...new Set(zones.map((z) => z.siteId))]);
      return c.json({ ...head, sites: sitesToday(zones, names) });
    }
    const names = await siteNames(ctx.store.sql, [q.site]);
    if (!names.has(q.site)) throw new HttpError(404, `site: no site ${q.site}`, 'site');
    const slots = await slotsOfSite(ctx.store.sql, q.site, day.from, day.to);
    const zones = [...groupBy(slots, (s) => JSON.stringify([s.cameraId, s.zoneId])).values()].map((list) => ({ list, sums: { ...list[0]!, ...mergeSums(list) } }));
    const [site] = sitesToday(zones.map((z) => z.sums), names);
    return c.json({
      ...head,
      sites: site ? [site] : [],
      zones: zones.map(({ list, sums }) => ({ ...zoneToday(sums), series: seriesOf(list) })),
      series: seriesOf(slots),
    });
  });
}
