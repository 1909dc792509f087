/**
 * A poison record at the gateway: one central cannot store (it answers 5xx for it) or one holding a
 * value PostgreSQL refuses (U+0000 in a watchlist name). Either way the records behind it reach
 * central and the poison one ends in sync_dead_letter, counted in GET /api/sync's deadLettered.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-helpers/processes';
import { FakeCentral, type FakeGateway } from '../../central-sync/test/client-fake-central';
import { ADMIN_TOKEN, api, BACKENDS, enrolGateway, skipBackend, startTestServer, useDatabases } from '../../central-sync/test/helpers/central';
import { createMetrics } from '../metrics';
import { startUplinkForTest, type TestUplink } from './uplink-harness';

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-isolation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const dbs = useDatabases();
let n = 0;

function start(url: string, credentials: FakeGateway & { url: string }): TestUplink {
  const t = startUplinkForTest({ dbFile: join(dir, `g${n++}.sqlite`), url, credentials, batchRecords: 8 });
  cleanups.push(() => t.stop());
  return t;
}

const deadLetters = (t: TestUplink) => t.db.prepare('SELECT seq, kind, error AS reason FROM sync_dead_letter ORDER BY seq').all() as Array<{ seq: number; kind: string; reason: string }>;

describe('gateway uplink and a poison record', () => {
  it('dead-letters the event central answers 500 for, counts it, and delivers the rest', async () => {
    const gateway: FakeGateway = { gatewayId: 'gw-iso', secret: randomBytes(32).toString('hex'), siteId: 'site-1' };
    const central = await FakeCentral.start({ gateways: [gateway] });
    cleanups.push(() => central.stop());
    central.serverError = (r) => r.kind === 'event' && r.payload.uid === 'poison';
    const t = start(central.url, { ...gateway, url: central.url });
    const now = Date.now();
    for (let i = 0; i < 15; i++) t.events.start({ uid: i === 5 ? 'poison' : `e${i}`, cameraId: 'cam1', type: 'loitering', severity: 'low', at: now - 15_000 + i });
    t.sync.uplink!.wake();
    expect(await waitFor(() => t.sync.status().backlog === 0, 20_000, 20)).toBe(true);
    expect(central.arrivals.map((r) => (r.kind === 'event' ? r.payload.uid : '')).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `e${i}`).filter((u) => u !== 'e5').sort());
    const dead = deadLetters(t);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ kind: 'event' });
    expect(dead[0]!.reason).toMatch(/central answered 500 for this record alone/);
    expect(t.sync.status()).toMatchObject({ backlog: 0, deadLettered: 1, sent: 14 });
    const scrape = await createMetrics(() => [], () => undefined, () => t.sync.status()).registry.metrics();
    expect(scrape).toMatch(/^gateway_sync_dead_lettered_total 1$/m);
  });

  describe.each(BACKENDS)('against a real central on %s', (backend) => {
    if (skipBackend(backend)) {
      it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
      return;
    }
    it('dead-letters a watchlist match whose name holds U+0000 and delivers the records behind it', async () => {
      const server = await startTestServer(await dbs.fresh(backend));
      cleanups.push(() => server.close());
      const gw = await enrolGateway(server.url, 'site-nul');
      const t = start(server.url, { gatewayId: gw.id, secret: gw.secret, siteId: gw.siteId, url: server.url });
      const now = Date.now();
      t.events.start({ uid: 'match', cameraId: 'cam1', type: 'watchlist_match', severity: 'high', at: now - 1000, data: { personName: 'Tr\u0000an', watchlist: 'vip' } });
      for (let i = 0; i < 6; i++) t.events.start({ uid: `after-${i}`, cameraId: 'cam1', type: 'loitering', severity: 'high', at: now - 900 + i });
      t.sync.uplink!.wake();
      expect(await waitFor(() => t.sync.status().backlog === 0, 20_000, 20)).toBe(true);
      const stored = (await api(server.url, 'GET', '/v1/events?site=site-nul', ADMIN_TOKEN)).json.events as Array<{ uid: string }>;
      expect(stored.map((e) => e.uid).sort()).toEqual(['after-0', 'after-1', 'after-2', 'after-3', 'after-4', 'after-5']);
      const dead = deadLetters(t);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.reason).toMatch(/payload\.data\.personName: must not contain U\+0000/);
      expect(t.sync.status().deadLettered).toBe(1);
    });
  });
});
