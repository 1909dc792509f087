import type pg from 'pg';
import { startOfLocalDay } from '../../central-sync/wire';
import { encodeCursor } from '../../central-sync/server/http/cursor';
import { eventsQuery, FLEET_CAMERAS_SQL, FLEET_GATEWAYS_SQL, footfallQuery, numbered, queueStatsQuery } from '../../central-sync/server/store/queries';
import type { SqlRunner } from '../../central-sync/server/store/sql-runner';
import type { EventCursor, EventQuery } from '../../central-sync/server/store/types';
import type { SeedResult } from './scale-seed';

/** One API answer a console page reads: the request per run, and the SQL behind it (for EXPLAIN). */
export interface ScaleCase {
  name: string;
  page: 'events' | 'event' | 'fleet' | 'throughput' | 'queues' | 'admin';
  /** Run i's request path (runs vary the site, window or cursor so that one cached page is not timed 20 times). */
  path(i: number): string;
  sql(i: number): Array<{ label: string; text: string; params: unknown[] }>;
  /** Or: run 0's statements, recorded by calling the store module the route calls (scale-recorder.ts). */
  record?(sql: SqlRunner, i: number): Promise<unknown>;
  /** Rows in the answer. */
  count(body: Record<string, unknown>): number;
}

const DAY = 86_400_000;
const PAGE = 100; // the API's default page
const TZ = 'Asia/Ho_Chi_Minh';

const qs = (params: Record<string, string | number | undefined>) => {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
};
const len = (key: string) => (b: Record<string, unknown>) => (Array.isArray(b[key]) ? (b[key] as unknown[]).length : 0);

function eventsCase(name: string, params: (i: number) => { query: Omit<EventQuery, 'limit'>; url: Record<string, string | number | undefined> }): ScaleCase {
  return {
    name,
    page: 'events',
    path: (i) => `/v1/events${qs(params(i).url)}`,
    sql: (i) => {
      const s = eventsQuery({ ...params(i).query, limit: PAGE + 1 });
      return [{ label: 'events', text: numbered(s.text), params: s.params }];
    },
    count: len('events'),
  };
}

export async function scaleCases(client: pg.Client, seeded: SeedResult): Promise<ScaleCase[]> {
  const { sites, queueSites, gateways, now } = seeded;
  const site = (i: number) => sites[(i * 37 + 11) % sites.length]!;
  const qsite = (i: number) => queueSites[(i * 7 + 3) % queueSites.length]!;
  // A camera of the run's site: the site's first gateway, camera i % 10.
  const camera = (i: number) => gateways.find((g) => g.siteId === site(i))!.cameras[i % 10]!;
  // Deep pages: cursors 10 to 25 days back (thousands of pages of 100 in).
  const deep: EventCursor[] = [];
  const deepSite: EventCursor[] = [];
  for (let k = 0; k < 5; k++) {
    const before = now - (10 + 4 * k) * DAY;
    const all = await client.query('SELECT started_at, id FROM events WHERE started_at < $1 ORDER BY started_at DESC, id DESC LIMIT 1', [before]);
    deep.push({ startedAt: Number(all.rows[0].started_at), id: Number(all.rows[0].id) });
    const one = await client.query('SELECT started_at, id FROM events WHERE site_id = $1 AND started_at < $2 ORDER BY started_at DESC, id DESC LIMIT 1', [site(k), before]);
    deepSite.push({ startedAt: Number(one.rows[0].started_at), id: Number(one.rows[0].id) });
  }
  const window = (i: number) => {
    const from = now - ((i % 28) + 1) * DAY;
    return { from, to: from + 2 * 3_600_000 };
  };
  const week = (i: number) => ({ from: now - 7 * DAY - (i % 5) * DAY, to: now - (i % 5) * DAY });
  const cases: ScaleCase[] = [
    eventsCase('events: first page', () => ({ query: {}, url: {} })),
    eventsCase('events: by site', (i) => ({ query: { siteId: site(i) }, url: { site: site(i) } })),
    eventsCase('events: by site and camera', (i) => ({ query: { siteId: site(i), cameraId: camera(i) }, url: { site: site(i), camera: camera(i) } })),
    eventsCase('events: by camera alone', (i) => ({ query: { cameraId: camera(i) }, url: { camera: camera(i) } })),
    eventsCase('events: by type (35%)', () => ({ query: { type: 'loitering' }, url: { type: 'loitering' } })),
    eventsCase('events: by type (2%)', () => ({ query: { type: 'watchlist_match' }, url: { type: 'watchlist_match' } })),
    eventsCase('events: by severity high (12%)', () => ({ query: { severity: 'high' }, url: { severity: 'high' } })),
    eventsCase('events: 2 h window', (i) => ({ query: window(i), url: window(i) })),
    eventsCase('events: site+type+severity, 7 days', (i) => ({
      query: { siteId: site(i), type: 'queue_long', severity: 'medium', ...week(i) },
      url: { site: site(i), type: 'queue_long', severity: 'medium', ...week(i) },
    })),
    eventsCase('events: severity high, 7 days', (i) => ({ query: { severity: 'high', ...week(i) }, url: { severity: 'high', ...week(i) } })),
    eventsCase('events: deep cursor', (i) => ({ query: { after: deep[i % 5]! }, url: { cursor: encodeCursor(deep[i % 5]!) } })),
    eventsCase('events: deep cursor, by site', (i) => ({ query: { siteId: site(i % 5), after: deepSite[i % 5]! }, url: { site: site(i % 5), cursor: encodeCursor(deepSite[i % 5]!) } })),
  ];
  cases.push({
    name: 'fleet: all gateways (unpaged API)',
    page: 'fleet',
    path: () => '/v1/fleet',
    sql: () => [
      { label: 'fleet gateways', text: FLEET_GATEWAYS_SQL, params: [] },
      { label: 'fleet cameras', text: FLEET_CAMERAS_SQL, params: [] },
    ],
    count: len('gateways'),
  });
  const queueStats = (name: string, siteOf: ((i: number) => string) | undefined): ScaleCase => ({
    name,
    page: 'queues',
    path: (i) => `/v1/queue-stats${qs({ site: siteOf?.(i) })}`,
    sql: (i) => {
      const s = queueStatsQuery({ ...(siteOf ? { siteId: siteOf(i) } : {}), from: Date.now() - DAY, to: Date.now(), limit: 10_000 });
      return [{ label: 'queue_stats', text: numbered(s.text), params: s.params }];
    },
    count: len('series'),
  });
  // lastDay: the console's "today" at its fullest (just before local midnight): from 24 h back.
  const footfall = (name: string, siteOf: ((i: number) => string) | undefined, lastDay = false): ScaleCase => ({
    name,
    page: 'queues',
    path: (i) => `/v1/footfall${qs({ site: siteOf?.(i), from: lastDay ? Date.now() - DAY : undefined })}`,
    sql: (i) => {
      const to = Date.now();
      const s = footfallQuery({ ...(siteOf ? { siteId: siteOf(i) } : {}), from: lastDay ? to - DAY : startOfLocalDay(to - 6 * DAY, TZ), to, limit: 200_001 });
      return [{ label: 'footfall', text: numbered(s.text), params: s.params }];
    },
    count: len('sites'),
  });
  cases.push(
    queueStats('queue-stats: a site, last day', qsite),
    queueStats('queue-stats: all sites, last day', undefined),
    footfall('footfall: a site, 7 days', qsite),
    footfall('footfall: all sites, 7 days', undefined),
    footfall('footfall: all sites, last 24 h', undefined, true),
  );
  return cases;
}
