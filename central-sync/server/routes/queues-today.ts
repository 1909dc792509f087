import type { ZoneSlot, ZoneSums } from '../store/queues-today-sql';

/** A camera zone with its figures over the day (waits in seconds; null when no minute carried one). */
export interface ZoneToday {
  cameraId: string;
  zoneId: string;
  footfall: { in: number; out: number } | null;
  avgWaitS: number | null;
  maxWaitS: number | null;
  peakQueue: number;
  avgQueue: number | null;
  minutes: number;
  lastMinute: number;
  lastReceivedAt: number;
}

export interface SiteToday {
  siteId: string;
  siteName: string | null;
  /** Line zones' crossings (null: the site has no line zone reporting today). */
  footfall: { in: number; out: number } | null;
  avgWaitS: number | null;
  maxWaitS: number | null;
  peakQueue: number;
  zoneCount: number;
  /** The zone with the longest wait and the one with the longest queue (null without waits). */
  maxWaitZone: { cameraId: string; zoneId: string } | null;
  peakZone: { cameraId: string; zoneId: string } | null;
  lastMinute: number;
  lastReceivedAt: number;
}

/** One quarter hour of a site (all its zones) or of one zone. */
export interface SlotToday {
  at: number;
  in: number;
  out: number;
  avgWaitS: number | null;
  maxWaitS: number | null;
  peakQueue: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Sums of several zones or slots (maxima taken, waits summed with their counts). */
export function mergeSums(list: readonly ZoneSums[]): Omit<ZoneSums, 'siteId' | 'cameraId' | 'zoneId'> {
  return list.reduce(
    (t, z) => ({
      minutes: t.minutes + z.minutes,
      crossingRows: t.crossingRows + z.crossingRows,
      crossingsIn: t.crossingsIn + z.crossingsIn,
      crossingsOut: t.crossingsOut + z.crossingsOut,
      waitSum: t.waitSum + z.waitSum,
      waitN: t.waitN + z.waitN,
      waitMax: z.waitMax === null ? t.waitMax : Math.max(t.waitMax ?? 0, z.waitMax),
      peak: Math.max(t.peak, z.peak),
      countSum: t.countSum + z.countSum,
      lastMinute: Math.max(t.lastMinute, z.lastMinute),
      receivedAt: Math.max(t.receivedAt, z.receivedAt),
    }),
    { minutes: 0, crossingRows: 0, crossingsIn: 0, crossingsOut: 0, waitSum: 0, waitN: 0, waitMax: null as number | null, peak: 0, countSum: 0, lastMinute: 0, receivedAt: 0 },
  );
}

const avgWait = (s: { waitSum: number; waitN: number }): number | null => (s.waitN > 0 ? round1(s.waitSum / s.waitN) : null);
const footfall = (s: { crossingRows: number; crossingsIn: number; crossingsOut: number }) => (s.crossingRows > 0 ? { in: s.crossingsIn, out: s.crossingsOut } : null);

export function zoneToday(z: ZoneSums): ZoneToday {
  return {
    cameraId: z.cameraId,
    zoneId: z.zoneId,
    footfall: footfall(z),
    avgWaitS: avgWait(z),
    maxWaitS: z.waitMax,
    peakQueue: z.peak,
    avgQueue: z.minutes > 0 ? round1(z.countSum / z.minutes) : null,
    minutes: z.minutes,
    lastMinute: z.lastMinute,
    lastReceivedAt: z.receivedAt,
  };
}

const zoneKey = (z: { cameraId: string; zoneId: string }) => ({ cameraId: z.cameraId, zoneId: z.zoneId });

/** Items grouped by key, in first-seen order (Map.groupBy arrives with Node 21). */
export function groupBy<K, T>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Per site, sorted by average wait (longest first; sites without waits last), then id. */
export function sitesToday(zones: readonly ZoneSums[], names: ReadonlyMap<string, string>): SiteToday[] {
  const bySite = groupBy(zones, (z) => z.siteId);
  const sites = [...bySite].map(([siteId, list]): SiteToday => {
    const all = mergeSums(list);
    const waited = list.filter((z) => z.waitMax !== null);
    const maxWait = waited.reduce<ZoneSums | undefined>((best, z) => (!best || (z.waitMax ?? 0) > (best.waitMax ?? 0) ? z : best), undefined);
    const peak = list.reduce<ZoneSums | undefined>((best, z) => (!best || z.peak > best.peak ? z : best), undefined);
    return {
      siteId,
      siteName: names.get(siteId) ?? null,
      footfall: footfall(all),
      avgWaitS: avgWait(all),
      maxWaitS: all.waitMax,
      peakQueue: all.peak,
      zoneCount: list.length,
      maxWaitZone: maxWait ? zoneKey(maxWait) : null,
      peakZone: peak && peak.peak > 0 ? zoneKey(peak) : null,
      lastMinute: all.lastMinute,
      lastReceivedAt: all.receivedAt,
    };
  });
  return sites.sort((a, b) => (b.avgWaitS ?? -1) - (a.avgWaitS ?? -1) || a.siteId.localeCompare(b.siteId));
}

/** Quarter hours in time order, the given zones' slots merged per slot. */
export function seriesOf(slots: readonly ZoneSlot[]): SlotToday[] {
  const bySlot = groupBy(slots, (s) => s.slot);
  return [...bySlot]
    .sort(([a], [b]) => a - b)
    .map(([at, list]) => {
      const m = mergeSums(list);
      return { at, in: m.crossingsIn, out: m.crossingsOut, avgWaitS: avgWait(m), maxWaitS: m.waitMax, peakQueue: m.peak };
    });
}
