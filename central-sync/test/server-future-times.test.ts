import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralServer } from '../server';
import { LIMITS, PATHS, WIRE_VERSION, type SyncRecord } from '../wire';
import { BACKENDS, batch, enrolGateway, mixedRecords, sendSigned, skipBackend, startTestServer, TestClock, useDatabases, type TestGateway } from './helpers/central';
import { rawQuery } from './helpers/raw-sql';

const dbs = useDatabases();
const SKEW = LIMITS.maxClockSkewMs;

type Kind = SyncRecord['kind'];
/** A valid record of `kind` with every time at `t`, then `field` (a path in the record) set to `value`. */
function recordWith(kind: Kind, t: number, field: string, value: number): SyncRecord {
  const minute = t - (t % 60_000);
  const payloads: Record<Kind, Record<string, unknown>> = {
    event: { uid: 'f-1', cameraId: 'cam1', type: 'loitering', severity: 'low', at: t, data: {} },
    event_update: { uid: 'f-1', at: t, phase: 'end', data: {} },
    queue_stat: { cameraId: 'cam1', zoneId: 'q1', minute, avgCount: 1, maxCount: 1, departures: 0, estWaitS: null, occupiedRatio: null },
    camera_health: { cameraId: 'cam1', state: 'running', reason: null, at: t },
  };
  const record: Record<string, unknown> = { seq: 1, kind, at: t, payload: payloads[kind] };
  if (field === 'at') record.at = value;
  else (record.payload as Record<string, unknown>)[field.replace('payload.', '')] = value;
  return record as SyncRecord;
}

const TIME_FIELDS: Array<[Kind, string]> = [
  ['event', 'at'],
  ['event', 'payload.at'],
  ['event_update', 'at'],
  ['event_update', 'payload.at'],
  ['queue_stat', 'at'],
  ['queue_stat', 'payload.minute'],
  ['camera_health', 'at'],
  ['camera_health', 'payload.at'],
];

describe.each(BACKENDS)('central refuses times beyond its clock plus the allowed skew, on %s', (backend) => {
  if (skipBackend(backend)) {
    it.skip('needs PostgreSQL binaries (see the console message)', () => undefined);
    return;
  }
  let server: CentralServer;
  let url: string;
  let gw: TestGateway;
  const clock = new TestClock();

  beforeAll(async () => {
    url = await dbs.fresh(backend);
    server = await startTestServer(url, { now: clock.now });
    gw = await enrolGateway(server.url, 'site-future');
  });
  afterAll(() => server?.close());

  const ingest = (records: SyncRecord[]) => sendSigned(server.url, PATHS.ingest, gw, batch(gw.id, records), { now: clock.now() });

  describe.each(TIME_FIELDS)('%s %s', (kind, field) => {
    it.each([
      ['2^53-1', () => Number.MAX_SAFE_INTEGER],
      ['a minute past the skew', () => clock.now() + SKEW + 60_000],
    ])('at %s: 400 naming the field, nothing stored', async (_name, value) => {
      const good = mixedRecords(1, 1, clock.now() - 60_000)[0]!;
      const r = await ingest([good, { ...recordWith(kind, clock.now() - 60_000, field, value()), seq: 2 }]);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ record: 1, field: `records[1].${field}` });
      expect(String(r.json.error)).toMatch(/later than the server clock allows/);
      expect(await server.store.recordCount(gw.id)).toBe(0);
      for (const table of ['events', 'queue_stats', 'camera_health', 'pending_event_updates']) {
        expect(await rawQuery(url, `SELECT 1 FROM ${table} WHERE gateway_id = ?`, [gw.id]), table).toHaveLength(0);
      }
    });
  });

  it('takes times up to the skew ahead of its clock, judged by its own clock', async () => {
    const ahead = clock.now() + SKEW - 30_000;
    const records = TIME_FIELDS.filter(([, f]) => f !== 'at').map(([kind, field], i) => ({ ...recordWith(kind, ahead, field, ahead), seq: 100 + i }));
    expect((await ingest(records)).json).toMatchObject({ stored: records.length });
    // An hour ahead is refused now, and taken once the server's own clock is an hour on.
    const hourAhead = { ...recordWith('event', Date.now() + 3_600_000, 'at', Date.now() + 3_600_000), seq: 200 };
    expect((await ingest([hourAhead])).status).toBe(400);
    clock.offsetMs = 3_600_000;
    try {
      expect((await ingest([hourAhead])).json).toMatchObject({ stored: 1 });
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('refuses a heartbeat dated beyond the skew, which would pin the fleet view camera states', async () => {
    const hb = (at: number) => ({ version: WIRE_VERSION, gatewayId: gw.id, at, cameras: [{ id: 'cam9', state: 'running', reason: null }], backlog: 0, oldestUnsentAt: null, dropped: 0 });
    const r = await sendSigned(server.url, PATHS.heartbeat, gw, hb(Number.MAX_SAFE_INTEGER), { now: clock.now() });
    expect(r).toMatchObject({ status: 400, json: { field: 'at' } });
    expect(await rawQuery(url, 'SELECT 1 FROM camera_health WHERE gateway_id = ? AND camera_id = ?', [gw.id, 'cam9'])).toHaveLength(0);
    expect((await sendSigned(server.url, PATHS.heartbeat, gw, hb(clock.now()), { now: clock.now() })).status).toBe(200);
  });
});
