import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, runRetention, startCentralServer, type CentralServer, type RetentionReport } from '../server';
import { PATHS, type SyncRecord } from '../wire';
import { captureLog } from './helpers/capture-log';
import { ADMIN_TOKEN, api, BACKENDS, batch, enrolGateway, mixedRecords, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { spawnCentral } from './helpers/central-process';
import { parsed, rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();
const DAY = 86_400_000;
const RECORDS_PER_BATCH = 30;
type Ev = { uid: string; data: Record<string, unknown>; hasFaceCrop: boolean };
/** Quarter hours (queue_slots rows, migration 008) that siteRecords(_, t) fills: its ten minutes before t. */
const quarterHours = (t: number) => new Set(Array.from({ length: 10 }, (_, m) => Math.floor(t / 60_000) * 60_000 - (10 - m) * 60_000).map((x) => x - (x % 900_000))).size;

/**
 * 30 records written at `t` by one site: 8 events each with an end update, a watchlist match whose
 * event and update both carry a face crop, an update whose event never arrives (held as pending,
 * with a crop), the 10 minutes of queue stats before `t` and a camera-health change.
 */
function siteRecords(from: number, t: number, tag: string): SyncRecord[] {
  const out: SyncRecord[] = [];
  let seq = from;
  const add = (r: Omit<SyncRecord, 'seq'>) => out.push({ ...r, seq: seq++ } as SyncRecord);
  for (let i = 0; i < 8; i++) {
    const uid = `${tag}-ev${i}`;
    add({ kind: 'event', at: t + i, payload: { uid, cameraId: 'cam1', type: 'loitering', severity: 'low', at: t + i, data: { i } } });
    add({ kind: 'event_update', at: t + i + 1, payload: { uid, at: t + i + 1, phase: 'end', data: { dwellS: i } } });
  }
  const face = `${tag}-face`;
  add({ kind: 'event', at: t, payload: { uid: face, cameraId: 'cam1', type: 'watchlist_match', severity: 'high', at: t, data: { faceCrop: `crop-${tag}`, personId: 'p1', score: 0.9 } } });
  add({ kind: 'event_update', at: t + 1, payload: { uid: face, at: t + 1, phase: 'update', data: { faceCrop: `crop2-${tag}`, score: 0.95 } } });
  add({ kind: 'event_update', at: t + 2, payload: { uid: `${tag}-ghost`, at: t + 2, phase: 'update', data: { faceCrop: `ghost-${tag}` } } });
  // The ten minutes before t: central refuses times later than its clock plus the 5-minute skew.
  const minute = Math.floor(t / 60_000) * 60_000 - 10 * 60_000;
  for (let m = 0; m < 10; m++) {
    const at = minute + m * 60_000;
    add({ kind: 'queue_stat', at: at + 60_000, payload: { cameraId: 'cam1', zoneId: 'q1', minute: at, avgCount: 2, maxCount: 3, departures: 1, estWaitS: 60, occupiedRatio: 0.5 } });
  }
  add({ kind: 'camera_health', at: t, payload: { cameraId: 'cam1', state: 'running', reason: null, at: t } });
  return out;
}

describe.each(BACKENDS)('central retention on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  const clock = new TestClock();
  const log = captureLog();
  const t0 = Date.now();
  let url: string;
  let server: CentralServer;
  let gw: TestGateway;

  beforeAll(async () => {
    url = await dbs.fresh(backend);
    // 7 rows per transaction: every step needs several batches.
    server = await startTestServer(url, { now: clock.now, log, acceptFaceCrops: true, retention: { days: 90, faceCropDays: 7, batchRows: 7 } });
    gw = await enrolGateway(server.url, 'site-ret');
  });
  afterAll(() => server?.close());

  const ingest = (records: SyncRecord[]) => sendSigned(server.url, PATHS.ingest, gw, batch(gw.id, records), { now: clock.now() });
  const events = async () => ((await api(server.url, 'GET', '/v1/events?site=site-ret&limit=1000', ADMIN_TOKEN)).json.events as Ev[]).sort((a, b) => a.uid.localeCompare(b.uid));
  const stats = async () => (await api(server.url, 'GET', `/v1/queue-stats?site=site-ret&from=0&to=${t0 + 400 * DAY}&limit=1000`, ADMIN_TOKEN)).json.series as unknown[];
  const rawRecords = () => rawQuery(url, 'SELECT seq, payload FROM records WHERE gateway_id = ? ORDER BY seq', [gw.id]);
  const pending = () => rawQuery(url, 'SELECT uid, data FROM pending_event_updates WHERE gateway_id = ? ORDER BY uid', [gw.id]);
  const crops = (rows: Array<Record<string, unknown>>, column: string) => rows.filter((r) => JSON.stringify(parsed(r[column])).includes('faceCrop')).length;

  it('strips face crops after faceCropDays, keeps the event, and deletes data older than days', async () => {
    const a = siteRecords(1, t0, 'A');
    expect((await ingest(a)).json).toMatchObject({ stored: RECORDS_PER_BATCH, highestSeq: 30 });
    clock.offsetMs = 10 * DAY;
    const b = siteRecords(31, t0 + 10 * DAY, 'B');
    expect((await ingest(b)).json).toMatchObject({ stored: RECORDS_PER_BATCH, highestSeq: 60 });
    expect(await pending()).toHaveLength(2);

    // Day 10: A's crops (10 days old) go, B's (today) stay; nothing is old enough to delete.
    const first = await server.retention!.runNow();
    expect(first.removed).toEqual({ eventFaceCrops: 1, recordFaceCrops: 3, pendingFaceCrops: 1, records: 0, events: 0, pendingUpdates: 0, queueStats: 0, queueSlots: 0 });
    const day10 = await events();
    expect(day10).toHaveLength(18);
    expect(day10.find((e) => e.uid === 'A-face')!.data).toEqual({ score: 0.95 });
    expect(day10.find((e) => e.uid === 'B-face')!).toMatchObject({ data: { score: 0.95 }, hasFaceCrop: true, identityWithheld: true });
    const records10 = await rawRecords();
    expect(crops(records10.slice(0, 30), 'payload')).toBe(0);
    expect(crops(records10.slice(30), 'payload')).toBe(3);
    // The record keeps everything but the crop.
    expect(parsed(records10[16]!.payload)).toMatchObject({ uid: 'A-face', data: { personId: 'p1', score: 0.9 } });
    expect(crops(await pending(), 'data')).toBe(1);

    // Day 95: everything from day 0 is past 90 days; B is 85 days old, its crops past 7.
    clock.offsetMs = 95 * DAY;
    const second = await server.retention!.runNow();
    expect(second.removed).toEqual({ eventFaceCrops: 1, recordFaceCrops: 3, pendingFaceCrops: 1, records: 30, events: 9, pendingUpdates: 1, queueStats: 10, queueSlots: quarterHours(t0) });
    expect(second.batches).toBeGreaterThan(10);
    const day95 = await events();
    expect(day95.map((e) => e.uid)).toEqual(['B-ev0', 'B-ev1', 'B-ev2', 'B-ev3', 'B-ev4', 'B-ev5', 'B-ev6', 'B-ev7', 'B-face']);
    expect(day95.find((e) => e.uid === 'B-face')!).toMatchObject({ data: { score: 0.95 }, hasFaceCrop: false });
    expect(await stats()).toHaveLength(10);
    expect(await server.store.recordCount(gw.id)).toBe(30);
    expect(crops(await rawRecords(), 'payload')).toBe(0);
    expect((await pending()).map((p) => p.uid)).toEqual(['B-ghost']);
    const sync = await rawQuery(url, 'SELECT highest_seq, purged_through_seq FROM gateway_sync WHERE gateway_id = ?', [gw.id]);
    expect(sync.map((r) => [Number(r.highest_seq), Number(r.purged_through_seq)])).toEqual([[60, 30]]);

    const removedLine = log.find('retention removed old data').at(-1)!;
    expect(removedLine.fields).toMatchObject({ days: 90, faceCropDays: 7, removed: { records: 30, events: 9, queueStats: 10, pendingUpdates: 1 } });

    // A third pass finds nothing.
    const third: RetentionReport = await server.retention!.runNow();
    expect(Object.values(third.removed).every((n) => n === 0)).toBe(true);
  });

  it('takes a resent purged batch for duplicates and stores nothing of it', async () => {
    const before = await events();
    const resend = await ingest(siteRecords(1, t0, 'A'));
    expect(resend.status).toBe(200);
    expect(resend.json).toMatchObject({ stored: 0, duplicates: RECORDS_PER_BATCH, highestSeq: 60 });
    // Half purged (26..30), half still held (31..35).
    const overlap = await ingest([...siteRecords(1, t0, 'A').slice(25), ...siteRecords(31, t0 + 10 * DAY, 'B').slice(0, 5)]);
    expect(overlap.json).toMatchObject({ stored: 0, duplicates: 10, highestSeq: 60 });
    expect(await events()).toEqual(before);
    expect(await stats()).toHaveLength(10);
    expect(await server.store.recordCount(gw.id)).toBe(30);
    expect(await pending()).toHaveLength(1);
    // New records above the watermark are stored as ever.
    const fresh = await ingest(siteRecords(61, clock.now(), 'C'));
    expect(fresh.json).toMatchObject({ stored: RECORDS_PER_BATCH, duplicates: 0, highestSeq: 90 });
    expect(await events()).toHaveLength(18);
  });

  it('purges while gateways deliver old data at the same time: no error, nothing stored twice', async () => {
    const busy = await startTestServer(await dbs.fresh(backend), { retention: { days: 90, faceCropDays: 7, batchRows: 50 } });
    try {
      const gateways = await Promise.all(['busy-1', 'busy-2', 'busy-3'].map((site) => enrolGateway(busy.url, site)));
      const old = Date.now() - 100 * DAY;
      const batches = (g: TestGateway) => Array.from({ length: 5 }, (_, i) => batch(g.id, mixedRecords(1 + i * 200, 200, old + i * 1000)));
      const send = (g: TestGateway) => batches(g).reduce<Promise<number[]>>(async (done, b) => [...(await done), (await sendSigned(busy.url, PATHS.ingest, g, b)).status], Promise.resolve([]));
      let sending = true;
      // Back-to-back runs for as long as the gateways send.
      const purging = (async () => {
        let purged = 0;
        while (sending) purged += (await busy.retention!.runNow()).removed.records;
        return purged;
      })();
      const statuses = await Promise.all(gateways.map(send)).finally(() => (sending = false));
      const purgedMeanwhile = await purging;
      expect(statuses.flat().every((s) => s === 200)).toBe(true);
      expect(purgedMeanwhile).toBeGreaterThan(0);
      await busy.retention!.runNow();
      for (const g of gateways) {
        expect(await busy.store.recordCount(g.id)).toBe(0);
        for (const b of batches(g)) expect((await sendSigned(busy.url, PATHS.ingest, g, b)).json).toMatchObject({ stored: 0, duplicates: 200, highestSeq: 1000 });
      }
      expect(((await api(busy.url, 'GET', '/v1/events?limit=1000', ADMIN_TOKEN)).json.events as unknown[]).length).toBe(0);
    } finally {
      await busy.close();
    }
  });

  it.runIf(backend === 'postgres')('purges records only once a batch of the same gateway being stored has committed', async () => {
    const lockedUrl = await dbs.fresh(backend);
    const store = await openStore(lockedUrl);
    const holder = new pg.Client({ connectionString: lockedUrl });
    try {
      const old = Date.now() - 100 * DAY;
      await store.ingest({ gatewayId: 'gw-locked', siteId: 'site-locked', receivedAt: old, records: siteRecords(1, old, 'L') });
      // What ingest holds while it stores a batch: the gateway's advisory lock.
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['gw-locked']);
      let finished = false;
      const run = runRetention(store, { days: 90, faceCropDays: 7 }, Date.now()).finally(() => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(finished).toBe(false);
      expect(await store.recordCount('gw-locked')).toBe(30);
      await holder.query('COMMIT');
      expect((await run).removed.records).toBe(30);
    } finally {
      await holder.end().catch(() => undefined);
      await store.close();
    }
  });

  it('runs at start, without being asked', async () => {
    const oldUrl = await dbs.fresh(backend);
    const store = await openStore(oldUrl);
    const old = Date.now() - 100 * DAY;
    await store.ingest({ gatewayId: 'gw-old', siteId: 'site-old', receivedAt: old, records: siteRecords(1, old, 'old') });
    await store.close();
    const startLog = captureLog();
    const started = await startTestServer(oldUrl, { log: startLog, retention: { days: 90, faceCropDays: 7 } });
    try {
      await vi.waitFor(() => expect(startLog.find('retention removed old data')).toHaveLength(1), { timeout: 10_000, interval: 20 });
      // Stored without the ingest route, so the crops were still there (stripped first, then deleted).
      expect(startLog.find('retention removed old data')[0]!.fields.removed).toEqual({
        eventFaceCrops: 1,
        recordFaceCrops: 3,
        pendingFaceCrops: 1,
        records: 30,
        events: 9,
        pendingUpdates: 1,
        queueStats: 10,
        queueSlots: quarterHours(old),
      });
      expect(await started.store.recordCount('gw-old')).toBe(0);
    } finally {
      await started.close();
    }
  });
});

describe('retention settings', () => {
  it('refuses bad options before listening', async () => {
    await expect(startCentralServer({ databaseUrl: 'sqlite::memory:', port: 0, retention: { days: 0, faceCropDays: 0 } })).rejects.toThrow(/days/);
  });

  it('main.ts exits 1 naming a bad CENTRAL_RETENTION_DAYS or CENTRAL_FACE_CROP_DAYS', async () => {
    const db = await dbs.fresh('sqlite');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ CENTRAL_RETENTION_DAYS: 'ninety' }, /configuration error: CENTRAL_RETENTION_DAYS: expected a whole number of days/],
      [{ CENTRAL_RETENTION_DAYS: '0' }, /configuration error: CENTRAL_RETENTION_DAYS/],
      [{ CENTRAL_RETENTION_DAYS: '5', CENTRAL_FACE_CROP_DAYS: '7' }, /configuration error: CENTRAL_FACE_CROP_DAYS: must not exceed CENTRAL_RETENTION_DAYS/],
    ];
    await Promise.all(cases.map(([env, expected]) => expect(spawnCentral({ DATABASE_URL: db, ...env }, 20_000)).rejects.toThrow(expected)));
  });
});
