import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS } from '../wire';
import { fleetPageQuery } from '../server/store/fleet-sql';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();
const MIN = 60_000;

interface Camera {
  cameraId: string;
  state: string;
  reason: string | null;
}
interface Gateway {
  gatewayId: string;
  siteId: string;
  siteName: string;
  stale: boolean;
  revokedAt: number | null;
  heartbeat: unknown;
  cameras: Camera[];
}
interface Page {
  gateways: Gateway[];
  nextCursor: string | null;
}

describe.each(BACKENDS)('fleet summary and pages on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  const clock = new TestClock();
  // Sites enrolled out of order, so that (site, gateway) order is the server's doing.
  const SITES = ['site-c', 'site-a', 'site-b', 'site-a', 'site-c', 'site-d', 'site-a', 'site-b', 'site-d'];
  const gws: TestGateway[] = [];
  let ops = '';
  let url = '';

  const beat = (g: TestGateway, cameras: Array<{ id: string; state: string; reason: string | null }>) =>
    sendSigned(server.url, PATHS.heartbeat, g, { version: 3, gatewayId: g.id, at: clock.now(), cameras, backlog: 3, oldestUnsentAt: null, dropped: 1 }, { now: clock.now() });
  const get = async (path: string, token = ops) => api(server.url, 'GET', path, token);
  const page = async (query: string) => {
    const r = await get(`/v1/fleet/gateways${query}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as unknown as Page;
  };
  /** Every page of a filter, `limit` at a time. */
  const walk = async (query: string, limit: number) => {
    const seen: Gateway[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const p: Page = await page(`?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.gateways.length).toBeLessThanOrEqual(limit);
      seen.push(...p.gateways);
      cursor = p.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    return seen;
  };
  const siteOrder = (list: TestGateway[]) => [...list].sort((a, b) => a.siteId.localeCompare(b.siteId) || a.id.localeCompare(b.id)).map((g) => g.id);

  beforeAll(async () => {
    url = await dbs.fresh(backend);
    server = await startTestServer(url, { now: clock.now });
    for (const site of SITES) gws.push(await enrolGateway(server.url, site));
    ops = String((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: 'ops', role: 'ops' })).json.token);
  });
  afterAll(() => server?.close());

  it('counts gateways and cameras for the tiles, with one stale rule (no heartbeat for 5 min, or never) and revoked apart', async () => {
    const streaming = (n: number) => Array.from({ length: n }, (_, k) => ({ id: `cam${k}`, state: 'streaming', reason: null }));
    // gws[0] beats first; 4 minutes later it is not stale yet, 6 minutes later it is.
    expect((await beat(gws[0]!, streaming(2))).status).toBe(200);
    clock.offsetMs += 4 * MIN;
    for (const g of gws.slice(1, 7)) expect((await beat(g, streaming(2))).status).toBe(200);
    expect((await beat(gws[1]!, [...streaming(1), { id: 'cam9', state: 'failed', reason: 'rtsp: 401 Unauthorized' }])).status).toBe(200);
    expect((await beat(gws[2]!, [...streaming(2), { id: 'cam8', state: 'reconnecting', reason: 'no frames for 10 s' }])).status).toBe(200);
    // gws[7] and gws[8] never beat; gws[6] is revoked (its 2 cameras no longer count).
    expect((await api(server.url, 'POST', `/v1/admin/gateways/${gws[6]!.id}/revoke`, ADMIN_TOKEN)).status).toBe(200);

    const first = (await get('/v1/fleet/summary')).json;
    expect(first.gateways).toEqual({ total: 9, active: 8, stale: 2, neverSeen: 2, revoked: 1 });
    // 6 beating gateways not revoked (a camera's latest state is kept until it reports another):
    // gws[0] 2, gws[1] 2 + cam9 failed, gws[2] 2 + cam8 reconnecting, gws[3..5] 2 each.
    expect(first.cameras).toEqual({ total: 14, streaming: 12, reconnecting: 1, failed: 1, other: 0 });

    clock.offsetMs += 2 * MIN;
    const later = (await get('/v1/fleet/summary')).json;
    expect(later.gateways).toMatchObject({ stale: 3, neverSeen: 2, revoked: 1 });
    const stale = await walk('&state=stale', 10);
    expect(stale.map((g) => g.gatewayId)).toEqual(siteOrder([gws[0]!, gws[7]!, gws[8]!]));
    expect(stale.every((g) => g.stale)).toBe(true);
    // The unpaged answer (existing clients) applies the same rule.
    const all = (await get('/v1/fleet')).json.gateways as Gateway[];
    expect(all.filter((g) => g.stale).map((g) => g.gatewayId).sort()).toEqual([gws[0]!.id, gws[7]!.id, gws[8]!.id].sort());
    expect(all.find((g) => g.gatewayId === gws[6]!.id)?.stale).toBe(false);
  });

  it('pages every gateway in (site, gateway) order without repeats or gaps, and each filter likewise', async () => {
    for (const limit of [1, 2, 4, 9, 200]) {
      const ids = (await walk('', limit)).map((g) => g.gatewayId);
      expect(ids, `limit ${limit}`).toEqual(siteOrder(gws));
    }
    const one = await page('?limit=9');
    expect(one.nextCursor).toBeNull();
    const revoked = await walk('&state=revoked', 1);
    expect(revoked.map((g) => [g.gatewayId, g.revokedAt !== null])).toEqual([[gws[6]!.id, true]]);
    const failing = await walk('&state=failing', 1);
    expect(failing.map((g) => g.gatewayId)).toEqual(siteOrder([gws[1]!, gws[2]!]));
    const failed = failing.find((g) => g.gatewayId === gws[1]!.id)!.cameras.find((c) => c.cameraId === 'cam9');
    expect(failed).toMatchObject({ state: 'failed', reason: 'rtsp: 401 Unauthorized' });
    const siteA = await walk('&site=site-a', 2);
    expect(siteA.map((g) => g.gatewayId)).toEqual(siteOrder(gws.filter((g) => g.siteId === 'site-a')));
    const staleInA = await walk('&site=site-a&state=stale', 2);
    expect(staleInA.map((g) => g.gatewayId)).toEqual([]);
    // Search: a substring of the site, any case; LIKE's wildcards are literal.
    const searched = await walk('&search=TE-D', 1);
    expect(searched.map((g) => g.gatewayId)).toEqual(siteOrder(gws.filter((g) => g.siteId === 'site-d')));
    // ... or of a gateway's id (the page's hint says "name or id").
    expect((await walk(`&search=${gws[3]!.id.slice(3, 15).toUpperCase()}`, 5)).map((g) => g.gatewayId)).toEqual([gws[3]!.id]);
    expect((await walk('&search=%25', 5)).length).toBe(0);
    expect((await walk('&search=_', 5)).length).toBe(0);
  });

  it('answers cameras with their gateway, and refuses bad parameters naming them (400) and the security role (403)', async () => {
    const p = await page(`?site=${gws[2]!.siteId}&limit=5`);
    const g2 = p.gateways.find((g) => g.gatewayId === gws[2]!.id)!;
    expect(g2.cameras.map((c) => [c.cameraId, c.state])).toEqual([['cam0', 'streaming'], ['cam1', 'streaming'], ['cam8', 'reconnecting']]);
    // Never-seen gateways of the page come without cameras.
    expect(p.gateways.find((g) => g.gatewayId === gws[7]!.id)).toMatchObject({ heartbeat: null, cameras: [], stale: true });
    for (const [query, field] of [
      ['?state=broken', 'state'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      [`?cursor=${Buffer.from(JSON.stringify([1, 2])).toString('base64url')}`, 'cursor'],
      ['?colour=red', 'colour'],
    ] as const) {
      const r = await get(`/v1/fleet/gateways${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json.field, query).toBe(field);
    }
    expect((await get('/v1/fleet/summary?x=1')).status).toBe(400);
    const security = String((await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: 'sec', role: 'security' })).json.token);
    expect((await get('/v1/fleet/gateways', security)).status).toBe(403);
    expect((await get('/v1/fleet/summary', security)).status).toBe(403);
    expect((await get('/v1/fleet/summary', ADMIN_TOKEN)).status).toBe(200);
  });

  it.runIf(backend === 'sqlite')('seeks gateways_site_id to the cursor (a row-value range), not scanning the index from its start', async () => {
    const q = fleetPageQuery({ state: 'all', staleBefore: 0, limit: 2, after: { siteId: 'site-b', gatewayId: gws[2]!.id } });
    const plan = (await rawQuery(url, `EXPLAIN QUERY PLAN ${q.text}`, [...(q.params ?? [])])).map((r) => String(r.detail)).join(' | ');
    expect(plan).toMatch(/SEARCH g USING (COVERING )?INDEX gateways_site_id \(\(site_id,id\)>\(\?,\?\)\)/);
  });
});
