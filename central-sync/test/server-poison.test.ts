import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { PATHS, WIRE_VERSION, type SyncRecord } from '../wire';
import { ADMIN_TOKEN, api, BACKENDS, batch, createEnrolmentToken, enrolGateway, mixedRecords, sendSigned, skipBackend, startTestServer, useDatabases, type TestGateway } from './helpers/central';
import { rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();

const NUL = 'a\u0000b';
const HIGH_SURROGATE = 'a\uD800b';
const LOW_SURROGATE = '\uDC00z';
const INT32_OVER = 2 ** 31;

type Poison = [name: string, record: (at: number) => SyncRecord, field: string];

const event = (at: number, over: Record<string, unknown> = {}, data: Record<string, unknown> = {}): SyncRecord =>
  ({ seq: 1, kind: 'event', at, payload: { uid: 'p-1', cameraId: 'cam1', zoneId: 'z1', type: 'loitering', severity: 'low', at, data, ...over } }) as SyncRecord;
const update = (at: number, data: Record<string, unknown>): SyncRecord => ({ seq: 1, kind: 'event_update', at, payload: { uid: 'p-1', at, phase: 'update', data } });
const stat = (at: number, over: Record<string, unknown>): SyncRecord =>
  ({ seq: 1, kind: 'queue_stat', at, payload: { cameraId: 'cam1', zoneId: 'q1', minute: at - (at % 60_000), avgCount: 1, maxCount: 2, departures: 1, estWaitS: 30, occupiedRatio: 0.5, ...over } }) as SyncRecord;
const health = (at: number, over: Record<string, unknown>): SyncRecord =>
  ({ seq: 1, kind: 'camera_health', at, payload: { cameraId: 'cam1', state: 'running', reason: null, at, ...over } }) as SyncRecord;
const nested = (depth: number): Record<string, unknown> => (depth === 0 ? { leaf: 1 } : { d: nested(depth - 1) });

/** Each value PostgreSQL cannot store (text and jsonb refuse U+0000, jsonb a lone surrogate, integer columns 2^31). */
const POISONS: Poison[] = [
  ['U+0000 in event.cameraId', (at) => event(at, { cameraId: NUL }), 'records[1].payload.cameraId'],
  ['U+0000 in event.type', (at) => event(at, { type: NUL }), 'records[1].payload.type'],
  ['U+0000 in event.uid', (at) => event(at, { uid: NUL }), 'records[1].payload.uid'],
  ['U+0000 in event.zoneId', (at) => event(at, { zoneId: NUL }), 'records[1].payload.zoneId'],
  ['U+0000 in an event data value', (at) => event(at, {}, { personName: NUL }), 'records[1].payload.data.personName'],
  ['U+0000 in an event data key', (at) => event(at, {}, { ['na\u0000me']: 'x' }), 'records[1].payload.data'],
  ['U+0000 deep in event data', (at) => event(at, {}, { boxes: [{ label: 'ok' }, { label: NUL }] }), 'records[1].payload.data.boxes[1].label'],
  ['U+0000 in an event_update data value', (at) => update(at, { zoneName: NUL }), 'records[1].payload.data.zoneName'],
  ['U+0000 in camera_health.reason', (at) => health(at, { reason: NUL }), 'records[1].payload.reason'],
  ['U+0000 in camera_health.state', (at) => health(at, { state: NUL }), 'records[1].payload.state'],
  ['U+0000 in queue_stat.zoneId', (at) => stat(at, { zoneId: NUL }), 'records[1].payload.zoneId'],
  ['lone high surrogate in event.type', (at) => event(at, { type: HIGH_SURROGATE }), 'records[1].payload.type'],
  ['lone low surrogate in an event data value', (at) => event(at, {}, { watchlist: LOW_SURROGATE }), 'records[1].payload.data.watchlist'],
  ['lone surrogate in an event data key', (at) => event(at, {}, { [HIGH_SURROGATE]: 1 }), 'records[1].payload.data'],
  ['lone surrogate in camera_health.reason', (at) => health(at, { reason: LOW_SURROGATE }), 'records[1].payload.reason'],
  ['2^31 in queue_stat.maxCount', (at) => stat(at, { maxCount: INT32_OVER }), 'records[1].payload.maxCount'],
  ['2^31 in queue_stat.departures', (at) => stat(at, { departures: INT32_OVER }), 'records[1].payload.departures'],
  ['2^31 in queue_stat.estWaitS', (at) => stat(at, { estWaitS: INT32_OVER }), 'records[1].payload.estWaitS'],
];

describe.each(BACKENDS)('central refuses values its store cannot hold, on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let url: string;
  let gw: TestGateway;

  beforeAll(async () => {
    url = await dbs.fresh(backend);
    server = await startTestServer(url);
    gw = await enrolGateway(server.url, 'site-poison');
  });
  afterAll(() => server?.close());

  it.each(POISONS)('%s: 400 naming the field, nothing stored', async (_name, poison, field) => {
    const at = Date.now() - 60_000;
    // A good record first: the batch is refused as a whole, so it must not be stored either.
    const records = [mixedRecords(1, 1, at)[0]!, { ...poison(at), seq: 2 }];
    const r = await sendSigned(server.url, PATHS.ingest, gw, batch(gw.id, records));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ field, record: 1 });
    expect(String(r.json.error)).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `));
    expect(await server.store.recordCount(gw.id)).toBe(0);
    for (const table of ['events', 'queue_stats', 'camera_health', 'pending_event_updates']) {
      expect(await rawQuery(url, `SELECT 1 FROM ${table} WHERE gateway_id = ?`, [gw.id]), table).toHaveLength(0);
    }
  });

  it('refuses event data nested too deep to store (JSON.stringify overflows the stack), naming the field', async () => {
    const depth = 100_000;
    const at = Date.now() - 60_000;
    const record = JSON.stringify(event(at)).replace('"data":{}', `"data":${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}`);
    const body = Buffer.from(`{"version":${WIRE_VERSION},"gatewayId":"${gw.id}","records":[${record}]}`);
    const r = await sendSigned(server.url, PATHS.ingest, gw, body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ record: 0 });
    expect(String(r.json.field)).toMatch(/^records\[0\]\.payload\.data(\.d)*$/);
    expect(await server.store.recordCount(gw.id)).toBe(0);
  });

  it('takes the largest values the columns hold, and text with paired surrogates', async () => {
    const at = Date.now() - 60_000;
    const records: SyncRecord[] = [
      { ...stat(at, { maxCount: INT32_OVER - 1, departures: INT32_OVER - 1, estWaitS: INT32_OVER - 1 }), seq: 1 },
      { ...event(at, { type: 'loitering 🚶' }, { personName: 'Nguyễn Văn 😀', nested: nested(20) }), seq: 2 },
    ];
    const r = await sendSigned(server.url, PATHS.ingest, gw, batch(gw.id, records));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ stored: 2 });
    const series = (await api(server.url, 'GET', `/v1/queue-stats?site=site-poison&from=0`, ADMIN_TOKEN)).json.series as Array<Record<string, unknown>>;
    expect(series).toEqual([expect.objectContaining({ maxCount: INT32_OVER - 1, departures: INT32_OVER - 1, estWaitS: INT32_OVER - 1 })]);
    const events = (await api(server.url, 'GET', '/v1/events?site=site-poison', ADMIN_TOKEN)).json.events as Array<Record<string, unknown>>;
    expect(events[0]).toMatchObject({ type: 'loitering 🚶', data: { personName: 'Nguyễn Văn 😀' } });
  });

  it('refuses the same values in heartbeats and enrolments, storing nothing', async () => {
    const hb = (cameras: unknown[]) => ({ version: WIRE_VERSION, gatewayId: gw.id, at: Date.now(), cameras, backlog: 0, oldestUnsentAt: null, dropped: 0 });
    const nul = await sendSigned(server.url, PATHS.heartbeat, gw, hb([{ id: 'cam1', state: 'stalled', reason: NUL }]));
    expect(nul).toMatchObject({ status: 400, json: { field: 'cameras[0].reason' } });
    const surrogate = await sendSigned(server.url, PATHS.heartbeat, gw, hb([{ id: HIGH_SURROGATE, state: 'running', reason: null }]));
    expect(surrogate).toMatchObject({ status: 400, json: { field: 'cameras[0].id' } });
    expect(await rawQuery(url, 'SELECT 1 FROM heartbeats WHERE gateway_id = ?', [gw.id])).toHaveLength(0);

    const token = await createEnrolmentToken(server.url, 'site-poison-enrol');
    const enrol = await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token, gatewayName: NUL });
    expect(enrol).toMatchObject({ status: 400, json: { field: 'gatewayName' } });
    // The token was not spent on the refused request.
    expect((await api(server.url, 'POST', PATHS.enrol, undefined, { version: WIRE_VERSION, token, gatewayName: 'gate 1' })).status).toBe(200);
  });

  it('refuses the same values in admin bodies and query parameters (400 naming the field, not a database error)', async () => {
    const site = await api(server.url, 'POST', '/v1/admin/enrolments', ADMIN_TOKEN, { siteId: 'site-x', siteName: NUL });
    expect(site).toMatchObject({ status: 400, json: { field: 'siteName' } });
    const siteId = await api(server.url, 'POST', '/v1/admin/enrolments', ADMIN_TOKEN, { siteId: HIGH_SURROGATE, siteName: 'X' });
    expect(siteId).toMatchObject({ status: 400, json: { field: 'siteId' } });
    const token = await api(server.url, 'POST', '/v1/admin/tokens', ADMIN_TOKEN, { name: NUL, role: 'ops' });
    expect(token).toMatchObject({ status: 400, json: { field: 'name' } });
    expect((await api(server.url, 'GET', '/v1/admin/tokens', ADMIN_TOKEN)).json.tokens).toEqual([]);
    for (const param of ['site', 'camera', 'type']) {
      const r = await api(server.url, 'GET', `/v1/events?${param}=a%00b`, ADMIN_TOKEN);
      expect(r, param).toMatchObject({ status: 400, json: { field: param } });
    }
    for (const param of ['site', 'camera', 'zone']) {
      const r = await api(server.url, 'GET', `/v1/queue-stats?${param}=%ED%A0%80`, ADMIN_TOKEN);
      // %ED%A0%80 is not UTF-8 (an encoded surrogate): either refused by name or decoded to U+FFFD and found nothing.
      expect([200, 400], param).toContain(r.status);
      const nul = await api(server.url, 'GET', `/v1/queue-stats?${param}=%00`, ADMIN_TOKEN);
      expect(nul, param).toMatchObject({ status: 400, json: { field: param } });
    }
    const revoke = await api(server.url, 'POST', '/v1/admin/gateways/a%00b/revoke', ADMIN_TOKEN);
    expect(revoke).toMatchObject({ status: 400, json: { field: 'id' } });
  });
});
