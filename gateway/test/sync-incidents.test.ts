/**
 * Issue 13 through the real uplink to a real central: an incident travels as one ordinary event
 * with its updates (central keeps one row, with the latest full state), and a line zone's minute
 * carries its crossings (wire version 2) into central's queue statistics and daily footfall.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, skipBackend, startTestServer, useDatabases } from '../../central-sync/test/helpers/central';
import { localDate } from '../../central-sync/wire';
import { OutboxWriter } from '../sync';
import { startUplinkForTest } from './uplink-harness';

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-incidents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const dbs = useDatabases();
let n = 0;

describe.each(BACKENDS)('incidents and footfall from a gateway to central on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  it('stores an incident as one event with its latest state and a line zone minute with its crossings', async () => {
    const server = await startTestServer(await dbs.fresh(backend));
    cleanups.push(() => server.close());
    const gw = await enrolGateway(server.url, 'site-inc');
    const t = startUplinkForTest({ dbFile: join(dir, `g${n++}.sqlite`), url: server.url, credentials: { gatewayId: gw.id, secret: gw.secret, siteId: gw.siteId, url: server.url } });
    cleanups.push(() => t.stop());

    const t0 = Date.now() - 5 * 60_000;
    const base = { zone: 'Staff room', incident: true };
    t.events.start({ uid: 'inc', cameraId: 'street', zoneId: 'staff', type: 'restricted_zone_entry', severity: 'high', at: t0, data: { ...base, inside: 1, total: 1, people: [{ trackId: 12, enteredAt: t0, leftAt: null }], change: { kind: 'entered', trackId: 12, at: t0 } } });
    const both = [{ trackId: 12, enteredAt: t0, leftAt: null }, { trackId: 15, enteredAt: t0 + 5000, leftAt: null }];
    t.events.update('inc', t0 + 5000, { ...base, inside: 2, total: 2, people: both, change: { kind: 'entered', trackId: 15, at: t0 + 5000 } });
    const gone = both.map((p) => ({ ...p, leftAt: t0 + 20_000 }));
    t.events.end('inc', t0 + 50_000, { ...base, inside: 0, total: 2, people: gone, durationSeconds: 50 });
    const minute = Math.floor(t0 / 60_000);
    t.db.transaction(() => new OutboxWriter(t.db).queueStat({ cameraId: 'door', zoneId: 'entrance', minute, avgCount: 0, maxCount: 1, departures: 0, estWaitSeconds: null, occupiedRatio: null, crossingsIn: 6, crossingsOut: 2 }))();
    t.sync.uplink!.wake();
    expect(await waitFor(() => t.sync.status().backlog === 0, 20_000, 20)).toBe(true);
    expect(t.sync.status().deadLettered).toBe(0);

    const events = (await api(server.url, 'GET', '/v1/events?site=site-inc', ADMIN_TOKEN)).json.events as Array<{ uid: string; endedAt: number | null; data: Record<string, unknown> }>;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ uid: 'inc', endedAt: t0 + 50_000, data: { incident: true, inside: 0, total: 2, people: gone, durationSeconds: 50 } });

    const series = (await api(server.url, 'GET', `/v1/queue-stats?site=site-inc&from=${minute * 60_000}&to=${minute * 60_000 + 60_000}`, ADMIN_TOKEN)).json.series;
    expect(series).toEqual([expect.objectContaining({ zoneId: 'entrance', crossingsIn: 6, crossingsOut: 2 })]);
    const footfall = (await api(server.url, 'GET', '/v1/footfall?site=site-inc', ADMIN_TOKEN)).json.sites as Array<{ days: unknown }>;
    expect(footfall[0]!.days).toEqual([{ date: localDate(minute * 60_000, 'Asia/Ho_Chi_Minh'), in: 6, out: 2 }]);
  });
});
