import type pg from 'pg';
import { encodeArrivalCursor } from '../../central-sync/server/http/cursor';
import { encodeFleetCursor } from '../../central-sync/server/routes/fleet';
import { localDay } from '../../central-sync/server/routes/queues';
import { staleBefore } from '../../central-sync/server/routes/stale';
import { arrivedEvents } from '../../central-sync/server/store/arrivals-sql';
import { listAudit } from '../../central-sync/server/store/audit-sql';
import { listConsoleUsers } from '../../central-sync/server/store/console-sql';
import { listEnrolments } from '../../central-sync/server/store/enrolments-sql';
import { eventById, eventTimeline } from '../../central-sync/server/store/event-detail-sql';
import { fleetPage, fleetSummary, type FleetPageQuery } from '../../central-sync/server/store/fleet-sql';
import { throughputLatestOfQuery, throughputLatestQuery, throughputRankQuery, throughputTrendOfQuery, throughputTrendQuery } from '../../central-sync/server/store/perf-sql';
import { API_TOKENS_SQL, GATEWAYS_SQL } from '../../central-sync/server/store/queries';
import { siteNames, slotsOfSite, zonesOfAllSites } from '../../central-sync/server/store/queues-today-sql';
import type { SqlRunner } from '../../central-sync/server/store/sql-runner';
import type { ScaleCase } from './scale-cases';
import type { SeedResult } from './scale-seed';

const TZ = 'Asia/Ho_Chi_Minh';
const HOUR = 3_600_000;
const len = (key: string) => (b: Record<string, unknown>) => (Array.isArray(b[key]) ? (b[key] as unknown[]).length : 0);

/** A case whose statements are recorded from the store module the route calls (scale-recorder.ts). */
function recorded(c: Omit<ScaleCase, 'sql'> & { record: NonNullable<ScaleCase['record']> }): ScaleCase {
  return { ...c, sql: () => [] };
}

/**
 * The console pages' answers added by issue 16 (fleet, throughput, event detail, live arrivals,
 * queues today, admin lists), each with the statements behind it for EXPLAIN.
 */
export async function consoleCases(client: pg.Client, seeded: SeedResult): Promise<ScaleCase[]> {
  const { sites, queueSites, gateways } = seeded;
  const ordered = [...gateways].sort((a, b) => a.siteId.localeCompare(b.siteId) || a.id.localeCompare(b.id));
  // Cursors 20% to 90% into the (site, gateway) order (200 to 900 gateways at 1,000).
  const deep = (i: number) => ordered[Math.floor(ordered.length * 0.2) + ((i * 137) % Math.floor(ordered.length * 0.7))]!;
  const site = (i: number) => sites[(i * 37 + 11) % sites.length]!;
  const qsite = (i: number) => queueSites[(i * 7 + 3) % queueSites.length]!;
  // Ranks 900 to 700 at 1,000 devices.
  const deepOffset = (i: number) => Math.max(0, Math.floor(gateways.length * 0.9) - (i % 5) * 50);
  const maxId = Number((await client.query('SELECT MAX(id) AS id FROM events')).rows[0].id);
  const fleet = (name: string, url: (i: number) => string, q: (i: number) => Omit<FleetPageQuery, 'staleBefore'>): ScaleCase =>
    recorded({ name, page: 'fleet', path: (i) => `/v1/fleet/gateways${url(i)}`, count: len('gateways'), record: (sql, i) => fleetPage(sql, { ...q(i), staleBefore: staleBefore(Date.now()) }) });
  const throughputPage = (sql: SqlRunner, q: { site?: string; offset: number; limit: number }) => recordThroughput(sql, q);
  const cases: ScaleCase[] = [
    fleet('fleet: first page (50)', () => '?limit=50', () => ({ state: 'all', limit: 50 })),
    recorded({ name: 'fleet: summary', page: 'fleet', path: () => '/v1/fleet/summary', count: () => 1, record: (sql) => fleetSummary(sql, staleBefore(Date.now())) }),
    fleet('fleet: deep page (cursor)', (i) => `?limit=50&cursor=${encodeFleetCursor({ siteId: deep(i).siteId, gatewayId: deep(i).id })}`, (i) => ({ state: 'all', limit: 50, after: { siteId: deep(i).siteId, gatewayId: deep(i).id } })),
    fleet('fleet: stale', () => '?state=stale&limit=50', () => ({ state: 'stale', limit: 50 })),
    fleet('fleet: failing cameras', () => '?state=failing&limit=50', () => ({ state: 'failing', limit: 50 })),
    fleet('fleet: a site', (i) => `?site=${site(i)}`, (i) => ({ state: 'all', siteId: site(i), limit: 50 })),
    fleet('fleet: search', (i) => `?search=${encodeURIComponent(`chi nhánh ${100 + (i % 50)}`)}&limit=50`, (i) => ({ state: 'all', search: `chi nhánh ${100 + (i % 50)}`, limit: 50 })),
    recorded({ name: 'throughput: first page (50)', page: 'throughput', path: () => '/v1/throughput?limit=50', count: len('devices'), record: (sql) => throughputPage(sql, { offset: 0, limit: 50 }) }),
    recorded({ name: 'throughput: deep page', page: 'throughput', path: (i) => `/v1/throughput?limit=50&offset=${deepOffset(i)}`, count: len('devices'), record: (sql, i) => throughputPage(sql, { offset: deepOffset(i), limit: 50 }) }),
    recorded({
      name: 'throughput: all devices (unpaged API)',
      page: 'throughput',
      path: () => '/v1/throughput',
      count: len('devices'),
      record: async (sql) => {
        const to = Date.now() + HOUR;
        for (const s of [throughputLatestQuery({ from: to - 24 * HOUR, to }), throughputTrendQuery({ from: to - 24 * HOUR, to }, 'postgres')]) await sql.all(s.text, s.params);
      },
    }),
    recorded({ name: 'throughput: a site', page: 'throughput', path: (i) => `/v1/throughput?site=${site(i)}`, count: len('devices'), record: (sql, i) => throughputPage(sql, { site: site(i), offset: 0, limit: 50 }) }),
    recorded({
      name: 'event: detail with timeline',
      page: 'event',
      path: (i) => `/v1/events/${1 + ((i * 48_611) % maxId)}`,
      count: () => 1,
      record: async (sql, i) => {
        const e = await eventById(sql, 1 + ((i * 48_611) % maxId));
        if (e) await eventTimeline(sql, e.gatewayId, e.uid);
      },
    }),
    recorded({ name: 'events: live since', page: 'events', path: (i) => `/v1/events?since=${encodeArrivalCursor(maxId - 20 - i)}`, count: len('events'), record: (sql, i) => arrivedEvents(sql, { afterId: maxId - 20 - i, limit: 101 }) }),
    recorded({ name: 'events: live poll, nothing new', page: 'events', path: () => `/v1/events?since=${encodeArrivalCursor(maxId)}`, count: len('events'), record: (sql) => arrivedEvents(sql, { afterId: maxId, limit: 101 }) }),
    recorded({ name: 'events: live since, by site', page: 'events', path: (i) => `/v1/events?since=${encodeArrivalCursor(maxId - 20 - i)}&site=${site(i)}`, count: len('events'), record: (sql, i) => arrivedEvents(sql, { siteId: site(i), afterId: maxId - 20 - i, limit: 101 }) }),
    recorded({
      name: 'queues: today, all sites',
      page: 'queues',
      path: () => '/v1/queues/today',
      count: len('sites'),
      record: async (sql) => {
        const day = localDay(Date.now(), TZ);
        const zones = await zonesOfAllSites(sql, day.from, day.to);
        await siteNames(sql, [...new Set(zones.map((z) => z.siteId))]);
      },
    }),
    recorded({
      name: 'queues: today, a site',
      page: 'queues',
      path: (i) => `/v1/queues/today?site=${qsite(i)}`,
      count: len('zones'),
      record: async (sql, i) => {
        const day = localDay(Date.now(), TZ);
        await siteNames(sql, [qsite(i)]);
        await slotsOfSite(sql, qsite(i), day.from, day.to);
      },
    }),
    recorded({ name: 'admin: enrolments', page: 'admin', path: () => '/v1/admin/enrolments', count: len('enrolments'), record: (sql) => listEnrolments(sql, Date.now(), 100) }),
    recorded({ name: 'admin: gateways', page: 'admin', path: () => '/v1/admin/gateways', count: len('gateways'), record: (sql) => sql.all(GATEWAYS_SQL) }),
    recorded({ name: 'admin: API tokens', page: 'admin', path: () => '/v1/admin/tokens', count: len('tokens'), record: (sql) => sql.all(API_TOKENS_SQL) }),
    recorded({ name: 'admin: users', page: 'admin', path: () => '/v1/admin/users', count: len('users'), record: (sql) => listConsoleUsers(sql) }),
    recorded({ name: 'admin: audit, first page', page: 'admin', path: () => '/v1/admin/audit', count: len('entries'), record: (sql) => listAudit(sql, { limit: 101 }) }),
    recorded({ name: 'admin: audit, by actor', page: 'admin', path: () => '/v1/admin/audit?actor=ops-7', count: len('entries'), record: (sql) => listAudit(sql, { actor: 'ops-7', limit: 101 }) }),
  ];
  return cases;
}

/** The statements of one throughput page (routes/throughput.ts rankedPage): the ranking's figures, then the page's summaries and trends. */
async function recordThroughput(sql: SqlRunner, q: { site?: string; offset: number; limit: number }): Promise<void> {
  const rank = throughputRankQuery('postgres', q.site);
  const rows = await sql.all(rank.text, rank.params);
  const ids = rows.slice(q.offset, q.offset + q.limit).map((r) => String(r.id));
  if (ids.length === 0) return;
  const to = Date.now() + HOUR;
  const latest = throughputLatestOfQuery(ids);
  const trend = throughputTrendOfQuery(ids, to - 24 * HOUR, to, 'postgres');
  await sql.all(latest.text, latest.params);
  await sql.all(trend.text, trend.params);
}
