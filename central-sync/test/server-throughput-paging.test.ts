import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS, type PerfSummary } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { perfSummary } from './perf-fixtures';

const dbs = useDatabases();

interface Device {
  gatewayId: string;
  headroom: number | null;
  overloaded: boolean;
  overloadReasons: string[];
  perf: PerfSummary | null;
  trend: { at: number[] };
}
interface Answer {
  devices: Device[];
  total?: number;
  overloaded?: number;
  offset?: number;
  limit?: number;
}

describe.each(BACKENDS)('throughput ranking by page on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  const clock = new TestClock();
  const gws: TestGateway[] = [];
  // Headroom per gateway (sustained 10 − streaming): 6, 2, -1 (overloaded: cameras), 6 (tie, by id),
  // 4 but dropping frames (overloaded: frames), and one without a summary (ranked last).
  const SETUP: Array<{ site: string; perf?: PerfSummary }> = [
    { site: 'site-a', perf: perfSummary({ cameras: { configured: 4, streaming: 4 } }) },
    { site: 'site-b', perf: perfSummary({ cameras: { configured: 8, streaming: 8 } }) },
    { site: 'site-a', perf: perfSummary({ cameras: { configured: 11, streaming: 11 } }) },
    { site: 'site-c', perf: perfSummary({ cameras: { configured: 4, streaming: 4 } }) },
    { site: 'site-b', perf: perfSummary({ cameras: { configured: 6, streaming: 6 }, framesPerSec: 9, targetFps: 30 }) },
    { site: 'site-c' },
  ];
  const get = async (query: string) => {
    const r = await api(server.url, 'GET', `/v1/throughput${query}`, ADMIN_TOKEN);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as unknown as Answer;
  };

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend), { now: clock.now });
    for (const s of SETUP) {
      const g = await enrolGateway(server.url, s.site);
      gws.push(g);
      const body = { version: 3, gatewayId: g.id, at: clock.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0, ...(s.perf ? { perf: s.perf } : {}) };
      expect((await sendSigned(server.url, PATHS.heartbeat, g, body, { now: clock.now() })).status).toBe(200);
    }
  });
  afterAll(() => server?.close());

  it('pages the same ranking as the whole answer, without repeats or gaps, with the totals and trends for the page only', async () => {
    const whole = await get('');
    expect(whole.total).toBeUndefined();
    const order = whole.devices.map((d) => d.gatewayId);
    expect(order).toHaveLength(6);
    expect(whole.devices.map((d) => d.headroom)).toEqual([6, 6, 4, 2, -1, null]);
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      for (let offset = 0; offset < 8; offset += limit) {
        const p = await get(`?limit=${limit}&offset=${offset}`);
        expect(p).toMatchObject({ total: 6, overloaded: 2, offset, limit });
        seen.push(...p.devices.map((d) => d.gatewayId));
        // Each device of the page arrives whole: its summary and its trend (one half-hour point).
        for (const d of p.devices) expect(d.trend.at.length).toBe(d.perf ? 1 : 0);
      }
      expect(seen, `limit ${limit}`).toEqual(order);
    }
    const flagged = (await get('?limit=6')).devices.filter((d) => d.overloaded);
    expect(flagged.map((d) => [d.gatewayId, d.overloadReasons])).toEqual([
      [gws[4]!.id, ['frames']],
      [gws[2]!.id, ['cameras']],
    ]);
    expect((await get('?offset=6')).devices).toEqual([]);
  });

  it('ranks one site on its own, leaves revoked gateways out, and refuses bad paging naming the parameter', async () => {
    const siteA = await get('?site=site-a');
    expect(siteA.devices.map((d) => d.gatewayId)).toEqual([gws[0]!.id, gws[2]!.id]);
    expect(siteA).toMatchObject({ total: 2, overloaded: 1, offset: 0, limit: 50 });
    expect((await api(server.url, 'POST', `/v1/admin/gateways/${gws[2]!.id}/revoke`, ADMIN_TOKEN)).status).toBe(200);
    expect(await get('?limit=10')).toMatchObject({ total: 5, overloaded: 1 });
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?offset=-1', 'offset'],
      ['?offset=x', 'offset'],
      ['?sort=name', 'sort'],
    ] as const) {
      const r = await api(server.url, 'GET', `/v1/throughput${query}`, ADMIN_TOKEN);
      expect(r.status, query).toBe(400);
      expect(r.json.field, query).toBe(field);
    }
  });
});
