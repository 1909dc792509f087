import { localDate, type DayTotal } from '../../wire';
import type { FootfallSlot } from '../store';

const sum = (days: readonly DayTotal[]) => days.reduce((t, d) => ({ in: t.in + d.in, out: t.out + d.out }), { in: 0, out: 0 });

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Site, camera, zone (code-unit order, as SQLite sorts text) and time. */
const bySiteZoneTime = (a: FootfallSlot, b: FootfallSlot) => cmp(a.siteId, b.siteId) || cmp(a.cameraId, b.cameraId) || cmp(a.zoneId, b.zoneId) || a.at - b.at;

/** Day totals in date order. */
const byDate = (days: Iterable<DayTotal>): DayTotal[] => [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

/**
 * Per site: daily footfall (all its line zones together) and per camera and zone. The same sums as
 * wire's dailyTotals (a quarter hour never straddles a local midnight), but each distinct slot time
 * is dated once: across 200 sites the slots share 96 times a day, and dating all 19,400 of them
 * twice (zone and site) took 80-150 ms of the answer.
 */
export function footfallBySite(unordered: readonly FootfallSlot[], timeZone: string) {
  const dates = new Map<number, string>();
  const dateOf = (at: number): string => {
    let date = dates.get(at);
    if (date === undefined) {
      date = localDate(at, timeZone);
      dates.set(at, date);
    }
    return date;
  };
  const add = (days: Map<string, DayTotal>, date: string, i: number, o: number) => {
    const day = days.get(date) ?? { date, in: 0, out: 0 };
    day.in += i;
    day.out += o;
    days.set(date, day);
  };
  type Zone = { cameraId: string; zoneId: string; days: Map<string, DayTotal> };
  const sites = new Map<string, { days: Map<string, DayTotal>; zones: Map<string, Zone> }>();
  for (const s of [...unordered].sort(bySiteZoneTime)) {
    const site = sites.get(s.siteId) ?? { days: new Map<string, DayTotal>(), zones: new Map<string, Zone>() };
    sites.set(s.siteId, site);
    // Ids are safeText (no control characters), so NUL separates them.
    const key = `${s.cameraId}\u0000${s.zoneId}`;
    const zone = site.zones.get(key) ?? { cameraId: s.cameraId, zoneId: s.zoneId, days: new Map<string, DayTotal>() };
    site.zones.set(key, zone);
    const date = dateOf(s.at);
    add(zone.days, date, s.crossingsIn, s.crossingsOut);
    add(site.days, date, s.crossingsIn, s.crossingsOut);
  }
  return [...sites].map(([siteId, site]) => {
    const days = byDate(site.days.values());
    return {
      siteId,
      days,
      total: sum(days),
      zones: [...site.zones.values()].map((z) => {
        const zoneDays = byDate(z.days.values());
        return { cameraId: z.cameraId, zoneId: z.zoneId, days: zoneDays, total: sum(zoneDays) };
      }),
    };
  });
}
