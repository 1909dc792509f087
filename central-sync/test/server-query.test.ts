import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, batch, enrolGateway, sendSigned, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';

const dbs = useDatabases();
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
type Ev = { id: number; uid: string; siteId: string; cameraId: string; type: string; severity: string; startedAt: number };

function eventRecords(from: number, count: number, site: string): SyncRecord[] {
  return Array.from({ length: count }, (_, i): SyncRecord => {
    const seq = from + i;
    // Several events share a start time so the cursor has to break ties by id.
    const at = T0 + Math.floor(seq / 3) * 60_000;
    return {
      seq,
      kind: 'event',
      at,
      payload: { uid: `${site}-${seq}`, cameraId: `cam${seq % 2}`, type: seq % 3 === 0 ? 'intrusion' : 'loitering', severity: seq % 5 === 0 ? 'high' : 'low', at, data: {} },
    };
  });
}

describe.each(BACKENDS)('central query API on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let north: TestGateway;
  let south: TestGateway;
  const tokens: Record<'security' | 'ops' | 'admin', string> = { security: '', ops: '', admin: '' };

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend));
    north = await enrolGateway(server.url, 'north');
    south = await enrolGateway(server.url, 'south');
    expect((await sendSigned(server.url, PATHS.ingest, north, batch(north.id, eventRecords(1, 120, 'north')))).status).toBe(200);
    expect((await sendSigned(server.url, PATHS.ingest, south, batch(south.id, eventRecords(1, 30, 'south')))).status).toBe(200);
    for (const role of ['security', 'ops', 'admin'] as const) {
      const r = await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: `${role}-user`, role });
      expect(r.status).toBe(201);
      tokens[role] = String(r.json.token);
    }
  });
  afterAll(() => server?.close());

  const get = (path: string, token = tokens.security) => api(server.url, 'GET', path, token);

  it('filters events by site, camera, type, severity and time, newest first', async () => {
    const all = (await get('/v1/events?limit=1000')).json.events as Ev[];
    expect(all).toHaveLength(150);
    const order = all.map((e) => [e.startedAt, e.id] as const);
    expect(order).toEqual([...order].sort((a, b) => b[0] - a[0] || b[1] - a[1]));

    const north = (await get('/v1/events?site=north&limit=1000')).json.events as Ev[];
    expect(north).toHaveLength(120);
    expect(north.every((e) => e.siteId === 'north')).toBe(true);

    const filtered = (await get('/v1/events?site=north&camera=cam1&type=intrusion&severity=high&limit=1000')).json.events as Ev[];
    const expected = eventRecords(1, 120, 'north').filter((r) => r.seq % 2 === 1 && r.seq % 3 === 0 && r.seq % 5 === 0);
    expect(filtered.map((e) => e.uid).sort()).toEqual(expected.map((r) => `north-${r.seq}`).sort());

    const from = T0 + 10 * 60_000;
    const to = T0 + 20 * 60_000;
    const window = (await get(`/v1/events?site=south&from=${from}&to=${to}`)).json.events as Ev[];
    // south's seqs 1..30 start at minutes 0..10: only seq 30 falls in [10, 20).
    expect(window.map((e) => e.uid)).toEqual(['south-30']);
    expect(window.every((e) => e.startedAt >= from && e.startedAt < to)).toBe(true);
  });

  it('pages with an opaque cursor that stays stable while events arrive', async () => {
    const seen: Ev[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(`/v1/events?site=north&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...(r.json.events as Ev[]));
      cursor = r.json.nextCursor as string | null;
      pages += 1;
      if (pages === 2) {
        // New events, both newer and older than the page boundary, arrive mid-pagination.
        const late: SyncRecord[] = [
          { seq: 1000, kind: 'event', at: T0 + 10 * HOUR, payload: { uid: 'late-new', cameraId: 'cam0', type: 'loitering', severity: 'low', at: T0 + 10 * HOUR, data: {} } },
          { seq: 1001, kind: 'event', at: T0 - HOUR, payload: { uid: 'late-old', cameraId: 'cam0', type: 'loitering', severity: 'low', at: T0 - HOUR, data: {} } },
        ];
        expect((await sendSigned(server.url, PATHS.ingest, north, batch(north.id, late))).status).toBe(200);
      }
    } while (cursor);
    const uids = seen.map((e) => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    // Every original event exactly once; the newer late one is above the pages already served,
    // the older one below them, so it appears on a later page.
    expect(uids.filter((u) => u.startsWith('north-'))).toHaveLength(120);
    expect(uids).toContain('late-old');
    expect(uids).not.toContain('late-new');
    expect(pages).toBe(5);
    const bad = await get('/v1/events?cursor=not-a-cursor');
    expect(bad).toMatchObject({ status: 400, json: { field: 'cursor' } });
  });

  it('validates query parameters and names the bad one', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=5000', 'limit'],
      ['limit=ten', 'limit'],
      ['severity=apocalyptic', 'severity'],
      ['from=yesterday', 'from'],
      ['from=2000&to=1000', 'to'],
      ['colour=red', 'colour'],
    ] as const) {
      const r = await get(`/v1/events?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json.field, query).toBe(field);
    }
    expect((await get('/v1/queue-stats?zone=', tokens.ops)).json.field).toBe('zone');
  });

  it('serves queue statistics by site, camera, zone and minute, upserted per minute', async () => {
    const minute = T0 - (T0 % 60_000);
    const stat = (seq: number, m: number, avgCount: number, zoneId = 'q1'): SyncRecord => ({
      seq,
      kind: 'queue_stat',
      at: m + 60_000,
      payload: { cameraId: 'cam0', zoneId, minute: m, avgCount, maxCount: 5, departures: 2, estWaitS: 120, occupiedRatio: 0.75 },
    });
    const r = await sendSigned(server.url, PATHS.ingest, south, batch(south.id, [stat(2000, minute, 1.5), stat(2001, minute + 60_000, 2), stat(2002, minute, 3.25), stat(2003, minute, 9, 'q2')]));
    expect(r.json).toMatchObject({ stored: 4 });
    const series = (await get(`/v1/queue-stats?site=south&camera=cam0&zone=q1&from=${minute}&to=${minute + 5 * 60_000}`, tokens.ops)).json.series as Array<Record<string, unknown>>;
    // The later record for the same minute replaced the earlier one; a queue zone has no crossings (null).
    const row = { siteId: 'south', gatewayId: south.id, cameraId: 'cam0', zoneId: 'q1', maxCount: 5, departures: 2, estWaitS: 120, occupiedRatio: 0.75, crossingsIn: null, crossingsOut: null };
    expect(series).toEqual([
      { ...row, minute, avgCount: 3.25 },
      { ...row, minute: minute + 60_000, avgCount: 2 },
    ]);
    const later = (await get(`/v1/queue-stats?site=south&from=${minute + 60_000}&to=${minute + 5 * 60_000}`)).json.series as unknown[];
    expect(later).toHaveLength(1);
    expect((await get(`/v1/queue-stats?site=north&from=${minute}&to=${minute + 5 * 60_000}`)).json.series).toEqual([]);
  });

  it('gives each role only its routes', async () => {
    const matrix: Array<[string, string, unknown, Record<'security' | 'ops' | 'admin', number>]> = [
      ['GET', '/v1/events', undefined, { security: 200, ops: 403, admin: 200 }],
      ['GET', '/v1/fleet', undefined, { security: 403, ops: 200, admin: 200 }],
      ['GET', '/v1/queue-stats', undefined, { security: 200, ops: 200, admin: 200 }],
      ['GET', '/v1/footfall', undefined, { security: 200, ops: 200, admin: 200 }],
      ['POST', '/v1/admin/tokens', { name: 'x', role: 'ops' }, { security: 403, ops: 403, admin: 201 }],
      ['POST', '/v1/admin/enrolments', { siteId: 'x', siteName: 'X' }, { security: 403, ops: 403, admin: 201 }],
      ['POST', '/v1/admin/gateways/gw-none/revoke', undefined, { security: 403, ops: 403, admin: 404 }],
    ];
    for (const [method, path, body, expected] of matrix) {
      for (const role of ['security', 'ops', 'admin'] as const) {
        const r = await api(server.url, method, path, tokens[role], body);
        expect(r.status, `${role} ${method} ${path}`).toBe(expected[role]);
        if (r.status === 403) expect(r.json.error).toMatch(new RegExp(`role ${role}`));
      }
      const anonymous = await api(server.url, method, path, undefined, body);
      expect(anonymous).toMatchObject({ status: 401, json: { field: 'authorization' } });
      expect((await api(server.url, method, path, 'made-up-token', body)).status).toBe(401);
    }
    // The token created by the admin API works on the admin routes like the bootstrap one.
    const created = await api(server.url, 'POST', '/v1/admin/tokens', tokens.admin, { name: 'second-admin', role: 'admin' });
    expect((await api(server.url, 'GET', '/v1/fleet', String(created.json.token))).status).toBe(200);
    const badRole = await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: 'x', role: 'root' });
    expect(badRole).toMatchObject({ status: 400, json: { field: 'role' } });
  });

  it('reports health without auth and 404s unknown routes as JSON', async () => {
    const health = await api(server.url, 'GET', '/healthz', undefined);
    expect(health).toMatchObject({ status: 200, json: { status: 'ok', database: backend } });
    const missing = await api(server.url, 'GET', '/v1/nothing', undefined);
    expect(missing.status).toBe(404);
    expect(typeof missing.json.error).toBe('string');

    // With its database gone, a server says so on /healthz and answers 500 without internals.
    const broken = await startTestServer(await dbs.fresh(backend));
    try {
      await broken.store.close();
      expect((await api(broken.url, 'GET', '/healthz', undefined)).status).toBe(503);
      const failed = await api(broken.url, 'GET', '/v1/events', tokens.security);
      expect(failed).toMatchObject({ status: 500, json: { error: 'internal error' } });
      expect(Object.keys(failed.json).sort()).toEqual(['error', 'serverTime']);
    } finally {
      await broken.close().catch(() => undefined);
    }
  });
});
