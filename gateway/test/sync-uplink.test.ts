import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../../test-helpers/processes';
import { FakeCentral, type FakeGateway } from '../../central-sync/test/client-fake-central';
import { createApi, LiveEventBus, TokenRegistry } from '../api';
import { ROLES, type Role } from '../config';
import { createMetrics } from '../metrics';
import { AuditLog, EventStore, gatewayStores, openDatabase, UserStore, type Db } from '../store';
import { OutboxWriter } from '../sync';
import { startUplinkForTest, type TestUplink } from './uplink-harness';
import { WatchlistStore } from '../watchlist';

const dir = mkdtempSync(join(tmpdir(), 'gw-sync-uplink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const gateway: FakeGateway = { gatewayId: 'gw-sqlite', secret: randomBytes(32).toString('hex'), siteId: 'site-1' };
let n = 0;

async function central(): Promise<FakeCentral> {
  const c = await FakeCentral.start({ gateways: [gateway] });
  cleanups.push(() => c.stop());
  return c;
}

/** A backlog written before the uplink starts: every kind, every priority, interleaved. */
function writeBacklog(db: Db, count: number): void {
  const events = new EventStore(db);
  const writer = new OutboxWriter(db);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const severity = i % 7 === 0 ? 'high' : i % 2 ? 'low' : 'medium';
      events.start({ uid: `e${i}`, cameraId: 'cam1', type: 'loitering', severity, at: 1_000_000 + i });
      events.end(`e${i}`, 1_000_500 + i);
      writer.queueStat({ cameraId: 'cam1', zoneId: 'line', minute: 29_000_000 + i, avgCount: 1, maxCount: 2, departures: 0, estWaitSeconds: null, occupiedRatio: null });
      if (i % 5 === 0) writer.cameraHealth({ cameraId: 'cam1', state: i % 10 ? 'streaming' : 'stalled', reason: null, at: 1_000_000 + i });
    }
  })();
}

const outboxOrder = (db: Db) => (db.prepare('SELECT seq FROM sync_outbox ORDER BY priority, seq').pluck().all() as number[]);

function start(dbFile: string, url: string, options: { batchRecords?: number } = {}): TestUplink {
  const t = startUplinkForTest({ dbFile, url, credentials: { ...gateway, url }, ...options });
  cleanups.push(() => t.stop());
  return t;
}

describe('gateway uplink over SQLite', () => {
  it('delivers a SQLite backlog in priority-then-seq order, each record once, and empties the outbox', async () => {
    const c = await central();
    const dbFile = join(dir, `g${n++}.sqlite`);
    const setup = openDatabase(dbFile);
    writeBacklog(setup, 60);
    const expected = outboxOrder(setup);
    setup.close();
    const t = start(dbFile, c.url, { batchRecords: 25 });
    expect(await waitFor(() => t.sync.status().backlog === 0, 10_000, 20)).toBe(true);
    expect(c.arrivals.map((r) => r.seq)).toEqual(expected);
    expect(new Set(c.arrivals.map((r) => `${r.kind}`))).toEqual(new Set(['event', 'event_update', 'queue_stat', 'camera_health']));
    const kindsInOrder = c.arrivals.map((r) => r.kind);
    expect(kindsInOrder.lastIndexOf('camera_health')).toBeLessThan(kindsInOrder.indexOf('queue_stat'));
    expect(t.sync.status()).toMatchObject({ enabled: true, connected: true, backlog: 0, oldestUnsentAgeSeconds: null, sent: expected.length, deadLettered: 0 });
  });

  it('loses nothing and stores nothing twice when the gateway stops after the server stored a batch it never acknowledged', async () => {
    const c = await central();
    const dbFile = join(dir, `g${n++}.sqlite`);
    const setup = openDatabase(dbFile);
    writeBacklog(setup, 30);
    const total = outboxOrder(setup).length;
    setup.close();
    c.cutAfterStore = 1;
    const first = start(dbFile, c.url, { batchRecords: 20 });
    expect(await waitFor(() => c.batches.length >= 1, 5000, 5)).toBe(true);
    await first.stop();
    expect(c.arrivals).toHaveLength(20);
    // The stored-but-unacknowledged batch is still in the outbox.
    const reopened = openDatabase(dbFile);
    expect(reopened.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(total);
    reopened.close();

    const second = start(dbFile, c.url, { batchRecords: 20 });
    expect(await waitFor(() => second.sync.status().backlog === 0, 10_000, 20)).toBe(true);
    expect(c.arrivals).toHaveLength(total);
    expect(new Set(c.arrivals.map((r) => r.seq)).size).toBe(total);
    expect(c.duplicates).toBe(20);
  });
});

describe('GET /api/sync and sync metrics', () => {
  it('answers ops and admin with live figures, supervisors with 403; metrics carry gateway_sync_*', async () => {
    const c = await central();
    const dbFile = join(dir, `g${n++}.sqlite`);
    const t = start(dbFile, c.url);
    c.ingestStatus = 503;
    const writer = new OutboxWriter(t.db);
    t.db.prepare("INSERT INTO sync_dropped (kind, count) VALUES ('queue_stat', 12)").run();
    writer.cameraHealth({ cameraId: 'cam1', state: 'failed', reason: 'unauthorized', at: Date.now() - 90_000 });
    t.events.start({ uid: 'x1', cameraId: 'cam1', type: 'loitering', severity: 'low', at: Date.now() });
    expect(await waitFor(() => /503/.test(t.sync.status().lastError ?? ''), 5000, 20)).toBe(true);

    const token = (role: Role) => `${role}-sync-token-0123456789abcdef`;
    const users = new UserStore(t.db);
    const metrics = createMetrics(() => [], () => undefined, () => t.sync.status());
    const app = createApi({
      ...gatewayStores(t.db),
      events: t.events,
      audit: new AuditLog(t.db),
      tokens: new TokenRegistry(ROLES.map((role) => ({ name: `${role}1`, role, token: token(role) })), (d) => users.byDigest(d)),
      users,
      metrics: metrics.registry,
      cameras: () => [],
      bodyLimitBytes: 2 ** 20,
      liveEvents: new LiveEventBus(),
      watchlist: new WatchlistStore(t.db),
      faceEngine: () => Promise.reject(new Error('no face engine in this test')),
      sync: () => t.sync.status(),
      version: 'test',
      log: { error: () => undefined },
    });
    const get = (path: string, role: Role) => app.request(path, { headers: { authorization: `Bearer ${token(role)}` } });

    const res = await get('/api/sync', 'ops');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      enabled: true,
      connected: false,
      backlog: 2,
      lastSuccessAt: null,
      sent: 0,
      dropped: { event: 0, event_update: 0, queue_stat: 12, camera_health: 0 },
      deadLettered: 0,
      gatewayId: 'gw-sqlite',
    });
    expect(body.oldestUnsentAgeSeconds).toBeGreaterThanOrEqual(89);
    expect(body.lastError).toMatch(/central answered 503/);
    expect(typeof body.clockOffsetMs).toBe('number');
    expect(JSON.stringify(body)).not.toContain(gateway.secret);
    expect((await get('/api/sync', 'admin')).status).toBe(200);
    expect((await get('/api/sync', 'supervisor')).status).toBe(403);
    expect((await get('/api/sync', 'security')).status).toBe(403);

    const text = await (await get('/metrics', 'ops')).text();
    expect(text).toMatch(/^gateway_sync_connected 0$/m);
    expect(text).toMatch(/^gateway_sync_backlog 2$/m);
    expect(text).toMatch(/^gateway_sync_oldest_unsent_seconds (89|9\d)$/m);
    expect(text).toMatch(/^gateway_sync_sent_total 0$/m);
    expect(text).toMatch(/^gateway_sync_dropped_total\{kind="queue_stat"\} 12$/m);

    c.ingestStatus = undefined;
    expect(await waitFor(() => t.sync.status().backlog === 0, 5000, 20)).toBe(true);
    const after = (await (await get('/api/sync', 'ops')).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ connected: true, backlog: 0, sent: 2, oldestUnsentAgeSeconds: null });
    expect(after.lastSuccessAt).toBeGreaterThan(Date.now() - 5000);
    await sleep(300); // one scrape reads the status once (cached 250 ms)
    expect(await (await get('/metrics', 'ops')).text()).toMatch(/^gateway_sync_sent_total 2$/m);
  });
});
