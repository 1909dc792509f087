import { z } from 'zod';
import { dailyTotals, FOOTFALL_SLOT_MINUTES, startOfLocalDay, type DayTotal } from '../../../central-sync/wire';
import type { CameraConfig } from '../../config';
import type { CrossingSlot } from '../../store';
import type { ApiDeps } from '../deps';
import { ApiError, validate } from '../errors';
import type { ApiFeature } from '../feature';

/** The config schema's default site time zone: used when the API runs without a site (tests). */
export const DEFAULT_SITE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Per-minute answers cover at most this much; daily ones at most MAX_DAY_RANGE_MS. */
const MAX_MINUTE_RANGE_MS = 2 * DAY_MS;
const MAX_DAY_RANGE_MS = 92 * DAY_MS;

const ms = z.coerce.number().int().min(0).max(8.64e15);
const FootfallQuery = z
  .object({
    camera: z.string().min(1).max(64).optional(),
    zone: z.string().min(1).max(64).optional(),
    from: ms.optional(),
    to: ms.optional(),
    detail: z.enum(['minute', 'day']).optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be after from', path: ['to'] });

export interface FootfallMinute {
  /** Start of the minute, ms since the epoch. */
  at: number;
  in: number;
  out: number;
}

export interface FootfallZone {
  camera: string;
  zone: string;
  name: string | null;
  /** Per local day (the site's time zone) in the range, oldest first; days with no counted minute are left out. */
  days: DayTotal[];
  total: { in: number; out: number };
  /** detail=minute only: the minutes in the range that the zone counted (quiet minutes are rows of 0 / 0). */
  minutes?: FootfallMinute[];
}

export interface FootfallAnswer {
  site: { id: string | null; timeZone: string };
  from: number;
  to: number;
  detail: 'minute' | 'day';
  /** Every line zone of the enabled cameras, and any other zone with counted crossings in the range. */
  zones: FootfallZone[];
  /** The site: all its line zones together, per local day. */
  days: DayTotal[];
  total: { in: number; out: number };
}

const isLineZone = (zone: { type: string }): boolean => zone.type === 'line';

/** Configured line zones of enabled cameras, in config order, filtered like the query. */
function configuredLines(cameras: ReadonlyArray<CameraConfig>, camera?: string, zone?: string): Array<{ camera: string; zone: string; name: string | null }> {
  return cameras
    .filter((c) => c.enabled && (camera === undefined || c.id === camera))
    .flatMap((c) => c.zones.filter((z) => isLineZone(z) && (zone === undefined || z.id === zone)).map((z) => ({ camera: c.id, zone: z.id, name: z.name ?? null })));
}

const sum = (days: readonly DayTotal[]) => days.reduce((t, d) => ({ in: t.in + d.in, out: t.out + d.out }), { in: 0, out: 0 });

/**
 * Footfall: people who crossed line zones (entrances) inwards and outwards, per minute and per day
 * of the site's time zone, per line zone and for the whole site. By default today so far.
 */
export const footfallFeature: ApiFeature<ApiDeps> = {
  routes: [
    {
      method: 'GET',
      path: '/api/footfall',
      summary:
        'Line-zone crossings (in / out): per zone and for the site, daily totals in the site time zone, and per minute with detail=minute (range up to 2 days; detail=day up to 92). Query: camera, zone, from, to (ms; default today so far), detail',
      roles: ['supervisor', 'ops'],
    },
  ],
  handlers: (deps, { now }) => ({
    'GET /api/footfall': (c) => {
      const q = validate(FootfallQuery, c.req.query(), 'query');
      const timeZone = deps.site?.timeZone ?? DEFAULT_SITE_TIME_ZONE;
      const detail = q.detail ?? 'minute';
      const to = q.to ?? now();
      const from = q.from ?? startOfLocalDay(to, timeZone);
      if (from >= to) throw new ApiError(400, 'query from: must be before to (the default to is now)', 'from');
      const limit = detail === 'minute' ? MAX_MINUTE_RANGE_MS : MAX_DAY_RANGE_MS;
      if (to - from > limit) throw new ApiError(400, `query to: detail=${detail} covers at most ${limit / DAY_MS} days from from`, 'to');

      // Minutes whose start lies in [from, to).
      const range = { fromMinute: Math.ceil(from / MINUTE_MS), toMinute: Math.ceil(to / MINUTE_MS) - 1 };
      const filter = { ...(q.camera ? { camera: q.camera } : {}), ...(q.zone ? { zone: q.zone } : {}), ...range };
      // The WHERE keeps minutes in the range, so a slot cut by from or to sums only its minutes inside;
      // a quarter-hour slot never straddles a local midnight.
      const slots = deps.queueStats.crossings({ ...filter, slotMinutes: detail === 'minute' ? 1 : FOOTFALL_SLOT_MINUTES });

      const byZone = new Map<string, { camera: string; zone: string; name: string | null; slots: CrossingSlot[] }>();
      const keyOf = (camera: string, zone: string) => JSON.stringify([camera, zone]);
      for (const line of configuredLines(deps.cameraConfigs?.() ?? [], q.camera, q.zone)) byZone.set(keyOf(line.camera, line.zone), { ...line, slots: [] });
      for (const s of slots) {
        const key = keyOf(s.camera, s.zone);
        const entry = byZone.get(key) ?? { camera: s.camera, zone: s.zone, name: null, slots: [] };
        entry.slots.push(s);
        byZone.set(key, entry);
      }

      const counts = (list: readonly CrossingSlot[]) => list.map((s) => ({ at: s.minute * MINUTE_MS, in: s.crossingsIn, out: s.crossingsOut }));
      const zones: FootfallZone[] = [...byZone.values()].map((z) => {
        const days = dailyTotals(counts(z.slots), timeZone);
        return {
          camera: z.camera,
          zone: z.zone,
          name: z.name,
          days,
          total: sum(days),
          ...(detail === 'minute' ? { minutes: counts(z.slots).sort((a, b) => a.at - b.at) } : {}),
        };
      });
      const days = dailyTotals(counts(slots), timeZone);
      const answer: FootfallAnswer = { site: { id: deps.site?.id ?? null, timeZone }, from, to, detail, zones, days, total: sum(days) };
      return c.json(answer);
    },
  }),
};
