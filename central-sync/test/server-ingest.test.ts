import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { ErrorResponseSchema, IngestResponseSchema, LIMITS, PATHS, signedHeaders, WIRE_VERSION, type SyncRecord } from '../wire';
import {
  ADMIN_TOKEN,
  api,
  BACKENDS,
  batch,
  createEnrolmentToken,
  enrolGateway,
  mixedRecords,
  sendSigned,
  skipBackend,
  startTestServer,
  TestClock,
  useDatabases,
  type TestGateway,
} from './helpers/central';

const dbs = useDatabases();

describe.each(BACKENDS)('central ingest on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let gw: TestGateway;
  const clock = new TestClock();

  beforeAll(async () => {
    server = await startTestServer(await dbs.fresh(backend), { now: clock.now });
    gw = await enrolGateway(server.url, 'site-a');
  });
  afterAll(() => server?.close());

  const ingest = (g: TestGateway, records: SyncRecord[], o: Parameters<typeof sendSigned>[4] = {}) => sendSigned(server.url, PATHS.ingest, g, batch(g.id, records), o);
  const events = async (site: string) => (await api(server.url, 'GET', `/v1/events?site=${site}&limit=1000`, ADMIN_TOKEN)).json.events as Array<Record<string, unknown>>;

  it('exchanges an enrolment token for a gateway exactly once', async () => {
    const token = await createEnrolmentToken(server.url, 'site-once');
    const first = await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ siteId: 'site-once' });
    expect(String(first.json.secret)).toMatch(/^[0-9a-f]{64}$/);
    const again = await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token });
    expect(again.status).toBe(409);
    expect(ErrorResponseSchema.parse(again.json).serverTime).toBeGreaterThan(0);
    const unknown = await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token: 'x'.repeat(43) });
    expect(unknown.status).toBe(401);
    // Concurrent redemptions of one token: one gateway, never two.
    const raced = await createEnrolmentToken(server.url, 'site-race');
    const results = await Promise.all([1, 2, 3].map(() => api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token: raced })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it('refuses an expired enrolment token', async () => {
    const token = await createEnrolmentToken(server.url, 'site-exp', 1);
    clock.offsetMs = 2 * 3_600_000;
    try {
      const r = await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token });
      expect(r.status).toBe(401);
      expect(r.json.field).toBe('token');
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('stores a signed gzip batch and derives events, updates, queue stats and camera health', async () => {
    const g = await enrolGateway(server.url, 'site-store');
    const records = mixedRecords(1, 400);
    const r = await sendSigned(server.url, PATHS.ingest, g, batch(g.id, records), { gzip: true });
    expect(r.status).toBe(200);
    expect(IngestResponseSchema.parse(r.json)).toMatchObject({ stored: 400, duplicates: 0, highestSeq: 400 });
    expect(await server.store.recordCount(g.id)).toBe(400);
    const evs = await events('site-store');
    expect(evs).toHaveLength(100);
    // ev-4 got the update at seq 5 merged into its data.
    expect(evs.find((e) => e.uid === 'ev-4')).toMatchObject({ cameraId: 'cam1', zoneId: 'z1', data: { n: 4, dwellS: 5 }, endedAt: null, gatewayId: g.id });
    const stats = await api(server.url, 'GET', `/v1/queue-stats?site=site-store&from=0`, ADMIN_TOKEN);
    expect((stats.json.series as unknown[]).length).toBeGreaterThan(0);
    const fleet = (await api(server.url, 'GET', '/v1/fleet', ADMIN_TOKEN)).json.gateways as Array<Record<string, unknown>>;
    const mine = fleet.find((f) => f.gatewayId === g.id)!;
    expect((mine.cameras as unknown[]).length).toBe(3);
    expect(mine.sync).toMatchObject({ highestSeq: 400, recordsTotal: 400 });
  });

  it('stores a resent batch once and still reports highestSeq', async () => {
    const records = mixedRecords(1, 50);
    const first = await ingest(gw, records);
    expect(first.json).toMatchObject({ stored: 50, duplicates: 0, highestSeq: 50 });
    const before = await events(gw.siteId);
    const again = await ingest(gw, records, { gzip: true });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ stored: 0, duplicates: 50, highestSeq: 50 });
    // Overlapping resend: 26..75 -> 25 new.
    const overlap = await ingest(gw, mixedRecords(26, 50));
    expect(overlap.json).toMatchObject({ stored: 25, duplicates: 25, highestSeq: 75 });
    expect(await server.store.recordCount(gw.id)).toBe(75);
    // Derived tables saw each record once: the event is unchanged and the per-gateway total,
    // which grows by what each transaction stored, counts 75.
    const after = await events(gw.siteId);
    expect(after.find((e) => e.uid === 'ev-4')).toEqual(before.find((e) => e.uid === 'ev-4'));
    const fleet = (await api(server.url, 'GET', '/v1/fleet', ADMIN_TOKEN)).json.gateways as Array<Record<string, unknown>>;
    expect(fleet.find((f) => f.gatewayId === gw.id)?.sync).toMatchObject({ highestSeq: 75, recordsTotal: 75 });
    // A repeated seq inside one batch counts once.
    const inner = await ingest(gw, [...mixedRecords(76, 1), ...mixedRecords(76, 1)]);
    expect(inner.json).toMatchObject({ stored: 1, duplicates: 1, highestSeq: 76 });
  });

  it('refuses a batch with one bad record, naming record and field, and stores nothing', async () => {
    const g = await enrolGateway(server.url, 'site-bad');
    const records = mixedRecords(1, 10);
    // records[7] is seq 8, an event.
    const withEvent = structuredClone(records) as unknown as Array<Record<string, unknown> & { payload: Record<string, unknown> }>;
    withEvent[7]!.payload = { ...(withEvent[7]!.payload as object), severity: 'apocalyptic' };
    const r = await ingest(g, withEvent as unknown as SyncRecord[]);
    expect(r.status).toBe(400);
    expect(r.json.record).toBe(7);
    expect(String(r.json.field)).toMatch(/^records\[7\]\.payload/);
    expect(typeof r.json.serverTime).toBe('number');
    expect(await server.store.recordCount(g.id)).toBe(0);
    expect(await events('site-bad')).toHaveLength(0);
    const wrongSeq = structuredClone(records) as unknown as Array<Record<string, unknown>>;
    wrongSeq[2]!.seq = -1;
    const r2 = await ingest(g, wrongSeq as unknown as SyncRecord[]);
    expect(r2.json).toMatchObject({ record: 2, field: 'records[2].seq' });
    expect(await server.store.recordCount(g.id)).toBe(0);
  });

  it('answers 401 with serverTime and stores nothing for tampered, mis-signed, stale, replayed or revoked requests', async () => {
    const g = await enrolGateway(server.url, 'site-auth');
    const records = mixedRecords(1, 8);
    const body = Buffer.from(JSON.stringify(batch(g.id, records)));
    const tamperedBody = Buffer.from(JSON.stringify(batch(g.id, mixedRecords(1, 9))));
    const cases: Array<[string, () => Promise<{ status: number; json: Record<string, unknown> }>, string]> = [
      ['tampered body', () => sendSigned(server.url, PATHS.ingest, g, body, { sendInstead: tamperedBody }), 'x-signature'],
      ['wrong secret', () => sendSigned(server.url, PATHS.ingest, g, body, { secret: 'f'.repeat(64) }), 'x-signature'],
      ['old timestamp', () => sendSigned(server.url, PATHS.ingest, g, body, { now: Date.now() - LIMITS.maxClockSkewMs - 60_000 }), 'x-timestamp'],
      ['future timestamp', () => sendSigned(server.url, PATHS.ingest, g, body, { now: Date.now() + LIMITS.maxClockSkewMs + 60_000 }), 'x-timestamp'],
      ['unknown gateway', () => sendSigned(server.url, PATHS.ingest, { ...g, id: 'gw-nobody' }, body), 'x-gateway-id'],
      ['signed for another path', () => sendSigned(server.url, PATHS.ingest, g, body, { headers: signedHeaders(g.id, g.secret, 'POST', PATHS.heartbeat, body, Date.now()) }), 'x-signature'],
    ];
    for (const [name, send, field] of cases) {
      const r = await send();
      expect(r.status, name).toBe(401);
      expect(r.json.field, name).toBe(field);
      expect(ErrorResponseSchema.parse(r.json).serverTime, name).toBeGreaterThan(Date.now() - 60_000);
    }
    const missing = await fetch(`${server.url}${PATHS.ingest}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(401);
    expect(await server.store.recordCount(g.id)).toBe(0);

    const ok = await sendSigned(server.url, PATHS.ingest, g, body);
    expect(ok.status).toBe(200);
    const replay = await sendSigned(server.url, PATHS.ingest, g, body, { headers: ok.headers });
    expect(replay.status).toBe(401);
    expect(replay.json.field).toBe('x-nonce');
    expect(await server.store.recordCount(g.id)).toBe(8);

    const revoked = await api(server.url, 'POST', `/v1/admin/gateways/${g.id}/revoke`, ADMIN_TOKEN);
    expect(revoked.status).toBe(200);
    const afterRevoke = await ingest(g, mixedRecords(9, 5));
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.json.error).toMatch(/revoked/);
    const hb = await sendSigned(server.url, PATHS.heartbeat, g, { version: WIRE_VERSION, gatewayId: g.id, at: Date.now(), cameras: [], backlog: 0, oldestUnsentAt: null, dropped: 0 });
    expect(hb.status).toBe(401);
    expect(await server.store.recordCount(g.id)).toBe(8);
    expect((await api(server.url, 'POST', '/v1/admin/gateways/gw-nobody/revoke', ADMIN_TOKEN)).status).toBe(404);
  });

  it('answers malformed, oversized, bomb and foreign-version bodies with 4xx and keeps serving', async () => {
    const g = await enrolGateway(server.url, 'site-junk');
    const post = (bytes: Buffer, o: Parameters<typeof sendSigned>[4] = {}) => sendSigned(server.url, PATHS.ingest, g, bytes, o);
    const malformed = await post(Buffer.from('{"version":1,"gatewayId":'));
    expect(malformed).toMatchObject({ status: 400, json: { field: 'body' } });
    expect(JSON.stringify(malformed.json)).not.toMatch(/at .*\.ts|SyntaxError/);

    const version = await post(Buffer.from(JSON.stringify({ ...batch(g.id, mixedRecords(1, 2)), version: WIRE_VERSION + 1 })));
    expect(version).toMatchObject({ status: 400, json: { field: 'version' } });
    const noVersion = await post(Buffer.from(JSON.stringify({ gatewayId: g.id, records: mixedRecords(1, 2) })));
    expect(noVersion).toMatchObject({ status: 400, json: { field: 'version' } });

    const oversized = await post(Buffer.alloc(LIMITS.maxBodyBytes + 1024, 0x20));
    expect(oversized.status).toBe(413);
    // 64 MiB of JSON whitespace compresses to ~64 KiB: inflating must stop at the cap.
    const bomb = gzipSync(Buffer.alloc(64 * 2 ** 20, 0x20));
    expect(bomb.length).toBeLessThan(LIMITS.maxBodyBytes);
    const bombed = await post(bomb, { contentEncoding: 'gzip' });
    expect(bombed).toMatchObject({ status: 413, json: { field: 'body' } });
    const badGzip = await post(Buffer.from('not gzip at all'), { contentEncoding: 'gzip' });
    expect(badGzip).toMatchObject({ status: 400, json: { field: 'body' } });

    const good = Buffer.from(JSON.stringify(batch(g.id, mixedRecords(1, 2))));
    expect((await post(good, { contentType: 'text/plain' })).status).toBe(415);
    expect((await post(good, { contentEncoding: 'br' })).status).toBe(415);
    const notObject = await post(Buffer.from('[1,2,3]'));
    expect(notObject.status).toBe(400);
    const otherGateway = await post(Buffer.from(JSON.stringify(batch(gw.id, mixedRecords(1, 2)))));
    expect(otherGateway).toMatchObject({ status: 403, json: { field: 'gatewayId' } });
    const tooMany = await post(Buffer.from(JSON.stringify(batch(g.id, mixedRecords(1, LIMITS.maxRecordsPerBatch + 1)))), { gzip: true });
    expect(tooMany).toMatchObject({ status: 400, json: { field: 'records' } });

    expect(await server.store.recordCount(g.id)).toBe(0);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect((await post(good)).status).toBe(200);
  });

  it('merges event updates into the event and ends it on phase end', async () => {
    const g = await enrolGateway(server.url, 'site-upd');
    const t = Date.now() - 10_000;
    const first: SyncRecord[] = [
      { seq: 1, kind: 'event', at: t, payload: { uid: 'u1', cameraId: 'c1', zoneId: null, type: 'crowd', severity: 'high', at: t, data: { a: 1, keep: 'x' } } },
      { seq: 2, kind: 'event_update', at: t + 1000, payload: { uid: 'u1', at: t + 1000, phase: 'update', data: { a: 2, b: true } } },
    ];
    expect((await ingest(g, first)).json).toMatchObject({ stored: 2 });
    const mid = (await events('site-upd'))[0]!;
    expect(mid).toMatchObject({ uid: 'u1', data: { a: 2, b: true, keep: 'x' }, startedAt: t, updatedAt: t + 1000, endedAt: null });
    const second: SyncRecord[] = [
      { seq: 3, kind: 'event_update', at: t + 5000, payload: { uid: 'u1', at: t + 5000, phase: 'end', data: { durationS: 5 } } },
      // A later end does not move ended_at.
      { seq: 4, kind: 'event_update', at: t + 6000, payload: { uid: 'u1', at: t + 6000, phase: 'end', data: {} } },
      // Delivered before its event (out of order): held until the event arrives.
      { seq: 7, kind: 'event_update', at: t + 7000, payload: { uid: 'u2', at: t + 7000, phase: 'end', data: { b: 2 } } },
    ];
    expect((await ingest(g, second)).json).toMatchObject({ stored: 3, highestSeq: 7 });
    const done = await events('site-upd');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ data: { a: 2, b: true, keep: 'x', durationS: 5 }, endedAt: t + 5000, updatedAt: t + 6000 });

    const late: SyncRecord[] = [
      { seq: 5, kind: 'event', at: t + 6500, payload: { uid: 'u2', cameraId: 'c1', type: 'crowd', severity: 'low', at: t + 6500, data: { a: 1, b: 0 } } },
      { seq: 6, kind: 'event_update', at: t + 6800, payload: { uid: 'u2', at: t + 6800, phase: 'update', data: { b: 1, c: 1 } } },
    ];
    expect((await ingest(g, late)).json).toMatchObject({ stored: 2, highestSeq: 7 });
    // seq 6 then seq 7 applied in seq order although 7 arrived first.
    expect((await events('site-upd')).find((e) => e.uid === 'u2')).toMatchObject({ data: { a: 1, b: 2, c: 1 }, endedAt: t + 7000, updatedAt: t + 7000 });
    expect(await server.store.recordCount(g.id)).toBe(7);
  });

  it('strips face crops unless the server accepts them', async () => {
    const g = await enrolGateway(server.url, 'site-face');
    const t = Date.now();
    const withFace: SyncRecord[] = [
      { seq: 1, kind: 'event', at: t, payload: { uid: 'f1', cameraId: 'c1', type: 'watchlist_match', severity: 'high', at: t, data: { faceCrop: 'base64jpeg', score: 0.9 } } },
      { seq: 2, kind: 'event_update', at: t + 1, payload: { uid: 'f1', at: t + 1, phase: 'update', data: { faceCrop: 'another', score: 0.95 } } },
    ];
    await ingest(g, withFace);
    const ev = (await events('site-face'))[0]!;
    expect(ev.data).toEqual({ score: 0.95 });

    const accepting = await startTestServer('', { store: server.store, acceptFaceCrops: true });
    try {
      const r = await sendSigned(accepting.url, PATHS.ingest, g, batch(g.id, [{ ...withFace[0]!, seq: 3, payload: { ...(withFace[0]!.payload as object), uid: 'f2' } } as SyncRecord]));
      expect(r.status).toBe(200);
      const kept = (await events('site-face')).find((e) => e.uid === 'f2')!;
      // Kept, but the list never carries a crop (GET /v1/events/:id/face-crop serves it, audited).
      expect(kept).toMatchObject({ data: { score: 0.9 }, hasFaceCrop: true });
    } finally {
      await accepting.close();
    }
  });

  it('keeps the latest heartbeat and camera states for the fleet view', async () => {
    const g = await enrolGateway(server.url, 'site-hb');
    const hb = (at: number, backlog: number, state: string) => ({
      version: WIRE_VERSION,
      gatewayId: g.id,
      at,
      cameras: [
        { id: 'c1', state, reason: state === 'running' ? null : 'rtsp timeout' },
        { id: 'c2', state: 'running', reason: null },
      ],
      backlog,
      oldestUnsentAt: backlog ? at - 30_000 : null,
      dropped: 0,
    });
    const now = Date.now();
    expect((await sendSigned(server.url, PATHS.heartbeat, g, hb(now - 1000, 120, 'reconnecting'))).status).toBe(200);
    const r = await sendSigned(server.url, PATHS.heartbeat, g, hb(now, 40, 'running'), { gzip: true });
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    const fleet = (await api(server.url, 'GET', '/v1/fleet', ADMIN_TOKEN)).json.gateways as Array<Record<string, unknown>>;
    const mine = fleet.find((f) => f.gatewayId === g.id)!;
    expect(mine).toMatchObject({ siteId: 'site-hb', siteName: 'Site site-hb', backlog: 40, heartbeat: { at: now, backlog: 40, oldestUnsentAt: now - 30_000 } });
    expect(mine.syncLagMs as number).toBeGreaterThanOrEqual(30_000);
    expect(mine.cameras).toEqual([
      { cameraId: 'c1', state: 'running', reason: null, at: now },
      { cameraId: 'c2', state: 'running', reason: null, at: now },
    ]);
    const bad = await sendSigned(server.url, PATHS.heartbeat, g, { ...hb(now, -1, 'running') });
    expect(bad).toMatchObject({ status: 400, json: { field: 'backlog' } });
  });
});
